/* fuzz_n1_joint.c -- joint multichannel n1 streams (n1/n1_joint.h).
 * Mode 0, any bytes as a joint stream: n1_joint_decode and n1_joint_choices return a
 * status within the decoder's contract, the choices whenever the stream decodes; a
 * decoded chunk coded again following those choices decodes to the same samples (or
 * is refused as N1_ERR_INVALID_ARG: a foreign stream may name heads this level does
 * not write).
 * Mode 1, any samples: the first half of the frames coded as a lead, the second half
 * following its choices (n1_joint_encode_follow), each decoding to its samples.
 * Input: mode (u8, bit 0), channels (u8, 1..8), level (u8, 0..2), frames (u32 LE,
 * capped; mode 0 only), then the stream (mode 0) or the samples as 16-bit LE words
 * (mode 1: as many whole frames as they fill, at most 2,048). */
#include "fuzz.h"
#include "n1/n1_joint.h"

#define MAX_CHANNELS 8
#define MAX_FRAMES 2048 /* mode 1: the encoder's trials cost most */

/* x (frames x channels) coded at `level`, following `follow` (or NULL), decodes to x.
 * Returns the encoder's status. */
static int round_trip(const int16_t *x, size_t frames, size_t channels, int level,
                      const n1_joint_choice *follow)
{
    size_t cap = n1_joint_bound(frames, channels), len = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    int16_t *back = (int16_t *)malloc((frames * channels + 1) * sizeof(int16_t));
    int st = N1_ERR_NOMEM;
    if (buf && back) {
        st = n1_joint_encode_follow(x, frames, channels, level, follow, buf, cap, &len);
        if (st == N1_OK) {
            FUZZ_CHECK(n1_joint_decode(buf, len, back, frames, channels) == N1_OK);
            fuzz_check_equal(x, back, frames * channels * sizeof(int16_t), "n1 joint round trip");
        }
    }
    free(buf);
    free(back);
    return st;
}

static void decode_any(const uint8_t *in, size_t len, size_t frames, size_t channels, int level)
{
    int16_t *out = (int16_t *)malloc((frames * channels + 1) * sizeof(int16_t));
    n1_joint_choice choices[MAX_CHANNELS];
    if (!out) return;
    int st = n1_joint_decode(in, len, out, frames, channels);
    fuzz_check_decode_status(st, "n1 joint decode");
    int sc = n1_joint_choices(in, len, channels, choices);
    fuzz_check_decode_status(sc, "n1 joint choices");
    if (st == N1_OK) {
        FUZZ_CHECK(sc == N1_OK);
        if (level != N1_LEVEL_FAST) {
            int se = round_trip(out, frames, channels, level, choices);
            FUZZ_CHECK(se == N1_OK || se == N1_ERR_INVALID_ARG);
        }
    }
    free(out);
}

static void lead_and_follower(const uint16_t *words, size_t n, size_t channels, int level)
{
    size_t frames = n / channels;
    if (frames > MAX_FRAMES) frames = MAX_FRAMES;
    if (frames < 2) return;
    size_t half = frames / 2;
    int16_t *x = (int16_t *)malloc(frames * channels * sizeof(int16_t));
    if (!x) return;
    memcpy(x, words, frames * channels * sizeof(int16_t));
    size_t cap = n1_joint_bound(half, channels), len = 0;
    uint8_t *lead = (uint8_t *)malloc(cap);
    n1_joint_choice choices[MAX_CHANNELS];
    if (lead) {
        fuzz_check_encode_status(n1_joint_encode(x, half, channels, level, lead, cap, &len),
                                 "n1 joint encode (lead)");
        FUZZ_CHECK(n1_joint_choices(lead, len, channels, choices) == N1_OK);
        FUZZ_CHECK(round_trip(x, half, channels, level, NULL) == N1_OK);
        /* the fast level follows nothing; every model level follows its own choices */
        int st = round_trip(x + half * channels, frames - half, channels, level, choices);
        FUZZ_CHECK(level == N1_LEVEL_FAST ? st == N1_ERR_INVALID_ARG : st == N1_OK);
    }
    free(lead);
    free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    int mode = (int)(fuzz_take_u8(&in) & 1u);
    size_t channels = fuzz_take_u8(&in) % MAX_CHANNELS + 1;
    int level = (int)(fuzz_take_u8(&in) % 3u);
    if (mode == 0) {
        size_t frames = fuzz_take_count(&in) % (FUZZ_MAX_COUNT / MAX_CHANNELS + 1), len = 0;
        uint8_t *stream = fuzz_take_rest(&in, &len);
        decode_any(stream, len, frames, channels, level);
        free(stream);
    } else {
        size_t n = 0;
        uint16_t *words = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
        if (words) lead_and_follower(words, n, channels, level);
        free(words);
    }
    return 0;
}
