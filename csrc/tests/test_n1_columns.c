/* test_n1_columns.c -- channels of an interleaved array as separate n1 streams
 * (n1_columns.h): gather and scatter against element-by-element copies for shapes
 * around the transpose's 8 x 8 tiles and N1_COLUMNS; n1_codec_decode_columns:
 * streams straight into their columns (the others untouched), a corrupt stream named
 * by its index, bad arguments refused; n1_codec_decode_pair: two streams side by
 * side as two one-stream decodes, statuses included; n1_codec_encode_columns: the one-channel
 * encoders' bytes (with and without followed heads), a bad head named by its channel.
 * The -O0 build runs the plain loops, -O3 SSE2's. */
#include <stdlib.h>
#include <string.h>
#include "n1/n1.h"
#include "n1/n1_columns.h"
#include "test_util.h"

static uint32_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

static void fill(int16_t *x, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) x[i] = (int16_t)rnd(&seed);
}

/* Every (frames, channels, first channel, count) below, both directions. */
static void test_gather_scatter(void)
{
    static const size_t frames_list[] = {0, 1, 7, 8, 9, 16, 23, 64, 1001};
    static const size_t channels_list[] = {1, 3, 8, 9, 17, N1_COLUMNS, N1_COLUMNS + 5, 70};
    for (size_t a = 0; a < sizeof(frames_list) / sizeof(frames_list[0]); a++)
        for (size_t b = 0; b < sizeof(channels_list) / sizeof(channels_list[0]); b++) {
            size_t frames = frames_list[a], channels = channels_list[b];
            size_t c0 = channels > 2 ? 1 : 0;
            size_t g = channels - c0 < N1_COLUMNS ? channels - c0 : N1_COLUMNS;
            int16_t *x = malloc((frames * channels + 1) * sizeof(int16_t));
            int16_t *out = malloc((frames * channels + 1) * sizeof(int16_t));
            int16_t *cols = malloc((frames * g + 1) * sizeof(int16_t));
            fill(x, frames * channels, 7 + frames * 131 + channels);
            memcpy(out, x, frames * channels * sizeof(int16_t));
            n1_columns_gather(x, frames, channels, c0, g, cols);
            int gathered = 1;
            for (size_t j = 0; j < g; j++)
                for (size_t t = 0; t < frames; t++)
                    gathered &= cols[j * frames + t] == x[t * channels + c0 + j];
            CHECK(gathered);
            for (size_t i = 0; i < frames * g; i++) cols[i] = (int16_t)~cols[i];
            n1_columns_scatter(cols, frames, channels, c0, g, out);
            int scattered = 1; /* columns c0 .. c0 + g - 1 inverted, the rest as they were */
            for (size_t t = 0; t < frames; t++)
                for (size_t c = 0; c < channels; c++) {
                    int16_t v = x[t * channels + c];
                    scattered &= out[t * channels + c] == (c >= c0 && c < c0 + g ? (int16_t)~v : v);
                }
            CHECK(scattered);
            free(x);
            free(out);
            free(cols);
        }
}

#define FRAMES 3000
#define STREAMS (N1_COLUMNS + 3)
#define CHANNELS (STREAMS + 2)

/* Streams of random walks of different widths, at the given level. */
static void encode_streams(int level, int16_t *x, uint8_t **in, size_t *len)
{
    uint64_t seed = 99 + (uint64_t)level;
    for (size_t j = 0; j < STREAMS; j++) {
        int32_t walk = 0, width = 1 + (int32_t)(j % 7) * 40;
        for (size_t t = 0; t < FRAMES; t++) {
            walk += (int32_t)(rnd(&seed) % (uint32_t)(2 * width + 1)) - width;
            walk = walk > 30000 ? 30000 : (walk < -30000 ? -30000 : walk);
            x[j * FRAMES + t] = (int16_t)walk;
        }
        size_t cap = n1_codec_bound(FRAMES);
        in[j] = malloc(cap);
        CHECK(n1_codec_encode(x + j * FRAMES, FRAMES, level, in[j], cap, &len[j]) == N1_OK);
    }
}

static void test_decode_columns(int level)
{
    int16_t *x = malloc(STREAMS * FRAMES * sizeof(int16_t));
    int16_t *out = malloc(CHANNELS * FRAMES * sizeof(int16_t));
    uint8_t *in[STREAMS];
    size_t len[STREAMS], failed = 99;
    encode_streams(level, x, in, len);
    for (size_t i = 0; i < CHANNELS * FRAMES; i++) out[i] = 12345;
    const uint8_t *const *streams = (const uint8_t *const *)in;
    CHECK(n1_codec_decode_columns(streams, len, STREAMS, FRAMES, out, CHANNELS, 1, &failed) ==
          N1_OK);
    int same = 1;
    for (size_t t = 0; t < FRAMES; t++) {
        same &= out[t * CHANNELS] == 12345 && out[t * CHANNELS + CHANNELS - 1] == 12345;
        for (size_t j = 0; j < STREAMS; j++) same &= out[t * CHANNELS + 1 + j] == x[j * FRAMES + t];
    }
    CHECK(same);
    /* a flipped byte in stream N1_COLUMNS + 1 (after a full group was written; the
     * second of a pair), then in N1_COLUMNS + 2 (the first of the next) */
    in[N1_COLUMNS + 1][len[N1_COLUMNS + 1] / 2] ^= 0x10;
    int st = n1_codec_decode_columns(streams, len, STREAMS, FRAMES, out, CHANNELS, 1, &failed);
    CHECK(st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    CHECK(failed == N1_COLUMNS + 1);
    in[N1_COLUMNS + 1][len[N1_COLUMNS + 1] / 2] ^= 0x10;
    in[N1_COLUMNS + 2][len[N1_COLUMNS + 2] / 2] ^= 0x10;
    st = n1_codec_decode_columns(streams, len, STREAMS, FRAMES, out, CHANNELS, 1, &failed);
    CHECK(st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    CHECK(failed == N1_COLUMNS + 2);
    /* a stream holding fewer samples than asked for */
    CHECK(n1_codec_decode_columns(streams, len, 1, FRAMES + 1, out, CHANNELS, 0, &failed) != N1_OK);
    /* the streams must fit the channels; pointers must be there */
    CHECK(n1_codec_decode_columns(streams, len, STREAMS, FRAMES, out, CHANNELS, 3, &failed) ==
          N1_ERR_INVALID_ARG);
    CHECK(n1_codec_decode_columns(streams, len, STREAMS, FRAMES, NULL, CHANNELS, 0, &failed) ==
          N1_ERR_INVALID_ARG);
    CHECK(n1_codec_decode_columns(NULL, len, 1, FRAMES, out, CHANNELS, 0, &failed) ==
          N1_ERR_INVALID_ARG);
    CHECK(n1_codec_decode_columns(streams, len, 1, FRAMES, out, CHANNELS, 0, NULL) ==
          N1_ERR_INVALID_ARG);
    CHECK(n1_codec_decode_columns(streams, len, 0, FRAMES, out, CHANNELS, CHANNELS, &failed) ==
          N1_OK);
    for (size_t j = 0; j < STREAMS; j++) free(in[j]);
    free(x);
    free(out);
}

/* n1_codec_decode_pair(a, b) against n1_codec_decode_with on each: the same status,
 * the same failing stream and, when both decode, the same samples. */
static void check_pair(n1_decoder *d, const uint8_t *a, size_t la, const uint8_t *b, size_t lb,
                       size_t count, int16_t *buf)
{
    int16_t *p0 = buf, *p1 = buf + count, *s0 = buf + 2 * count, *s1 = buf + 3 * count;
    int second = 7;
    int st = n1_codec_decode_pair(d, d + 1, a, la, b, lb, p0, p1, count, &second);
    int sa = n1_codec_decode_with(d, a, la, NULL, s0, count);
    int sb = sa == N1_OK ? n1_codec_decode_with(d, b, lb, NULL, s1, count) : N1_OK;
    CHECK(st == (sa != N1_OK ? sa : sb));
    CHECK(second == (sa == N1_OK && sb != N1_OK));
    if (st == N1_OK)
        CHECK(memcmp(p0, s0, count * sizeof(int16_t)) == 0 &&
              memcmp(p1, s1, count * sizeof(int16_t)) == 0);
}

/* Pairs of streams: intact, truncated, with flipped bytes in either, of two levels. */
static void test_decode_pair(void)
{
    int16_t *x = malloc(STREAMS * FRAMES * sizeof(int16_t));
    int16_t *buf = malloc(4 * (FRAMES + 1) * sizeof(int16_t));
    n1_decoder *d = malloc(2 * sizeof(n1_decoder));
    uint8_t *fast[STREAMS], *model[STREAMS];
    size_t lf[STREAMS], lm[STREAMS];
    uint64_t s = 5;
    encode_streams(N1_LEVEL_FAST, x, fast, lf);
    encode_streams(N1_LEVEL_DEFAULT, x, model, lm);
    for (size_t j = 0; j + 1 < STREAMS; j += 9) {
        check_pair(d, fast[j], lf[j], fast[j + 1], lf[j + 1], FRAMES, buf);
        check_pair(d, fast[j], lf[j], model[j + 1], lm[j + 1], FRAMES, buf);
        check_pair(d, fast[j], lf[j], fast[j + 1], lf[j + 1], FRAMES + 1, buf);
        for (size_t cut = 0; cut < lf[j]; cut += 1 + cut / 2) {
            check_pair(d, fast[j], cut, fast[j + 1], lf[j + 1], FRAMES, buf);
            check_pair(d, fast[j], lf[j], fast[j + 1], cut < lf[j + 1] ? cut : 0, FRAMES, buf);
        }
        for (int k = 0; k < 60; k++) {
            uint8_t *victim = k % 2 ? fast[j + 1] : fast[j];
            size_t at = rnd(&s) % (k % 2 ? lf[j + 1] : lf[j]);
            uint8_t old = victim[at];
            victim[at] ^= (uint8_t)(1 + rnd(&s) % 255);
            check_pair(d, fast[j], lf[j], fast[j + 1], lf[j + 1], FRAMES, buf);
            victim[at] = old;
        }
    }
    int second = 0;
    CHECK(n1_codec_decode_pair(d, d, fast[0], lf[0], fast[1], lf[1], buf, buf + FRAMES, FRAMES,
                               &second) == N1_ERR_INVALID_ARG);
    CHECK(n1_codec_decode_pair(d, d + 1, fast[0], lf[0], fast[1], lf[1], buf, NULL, FRAMES,
                               &second) == N1_ERR_INVALID_ARG);
    for (size_t j = 0; j < STREAMS; j++) free(fast[j]), free(model[j]);
    free(x);
    free(buf);
    free(d);
}

/* The streams of channels 1 .. STREAMS of an interleaved array are n1_codec_encode's
 * (n1_codec_encode_follow's with heads) bytes, back to back; errors name the channel. */
static void test_encode_columns(int level)
{
    int16_t *planar = malloc(STREAMS * FRAMES * sizeof(int16_t));
    int16_t *x = malloc(CHANNELS * FRAMES * sizeof(int16_t));
    uint8_t *in[STREAMS];
    size_t len[STREAMS], got[STREAMS], failed = 99, cap = STREAMS * n1_codec_bound(FRAMES);
    uint8_t *out = malloc(cap);
    encode_streams(level, planar, in, len);
    for (size_t t = 0; t < FRAMES; t++)
        for (size_t c = 0; c < CHANNELS; c++)
            x[t * CHANNELS + c] =
                c >= 1 && c <= STREAMS ? planar[(c - 1) * FRAMES + t] : (int16_t)c;
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 1, STREAMS, level, NULL, NULL, out, cap, got,
                                  &failed) == N1_OK);
    int same = 1;
    size_t pos = 0;
    for (size_t j = 0; j < STREAMS; j++) {
        same &= got[j] == len[j] && memcmp(out + pos, in[j], len[j]) == 0;
        pos += got[j];
    }
    CHECK(same);
    /* following each stream's own head (the model levels): n1_codec_encode_follow's bytes */
    const uint8_t *heads[STREAMS];
    size_t head_lens[STREAMS];
    for (size_t j = 0; j < STREAMS; j++) {
        heads[j] = level == N1_LEVEL_FAST || j % 3 == 0 ? NULL : in[j];
        head_lens[j] = heads[j] ? 4 : 0;
    }
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 1, STREAMS, level, heads, head_lens, out,
                                  cap, got, &failed) == N1_OK);
    same = 1;
    pos = 0;
    uint8_t *one = malloc(n1_codec_bound(FRAMES));
    for (size_t j = 0; j < STREAMS; j++) {
        size_t n = 0;
        CHECK(n1_codec_encode_follow(planar + j * FRAMES, FRAMES, level, heads[j], head_lens[j],
                                     one, n1_codec_bound(FRAMES), &n) == N1_OK);
        same &= got[j] == n && memcmp(out + pos, one, n) == 0;
        pos += got[j];
    }
    CHECK(same);
    /* a head of another level is refused, naming its channel */
    uint8_t bad_head[4] = {0xff, 0xff, 0xff, 0xff};
    heads[N1_COLUMNS + 2] = bad_head;
    head_lens[N1_COLUMNS + 2] = 4;
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 1, STREAMS, level, heads, head_lens, out,
                                  cap, got, &failed) != N1_OK);
    CHECK(failed == N1_COLUMNS + 2);
    /* too little room; bad arguments */
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 1, STREAMS, level, NULL, NULL, out, 100, got,
                                  &failed) == N1_ERR_OUTPUT_FULL);
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 3, STREAMS, level, NULL, NULL, out, cap, got,
                                  &failed) == N1_ERR_INVALID_ARG);
    CHECK(n1_codec_encode_columns(NULL, FRAMES, CHANNELS, 1, 1, level, NULL, NULL, out, cap, got,
                                  &failed) == N1_ERR_INVALID_ARG);
    CHECK(n1_codec_encode_columns(x, FRAMES, CHANNELS, 1, 1, 7, NULL, NULL, out, cap, got,
                                  &failed) == N1_ERR_INVALID_ARG);
    for (size_t j = 0; j < STREAMS; j++) free(in[j]);
    free(one);
    free(out);
    free(x);
    free(planar);
}

int main(void)
{
    test_gather_scatter();
    test_decode_pair();
    for (int level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        test_decode_columns(level);
        test_encode_columns(level);
    }
    return test_report("test_n1_columns");
}
