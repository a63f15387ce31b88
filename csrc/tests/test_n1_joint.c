/* test_n1_joint.c -- joint multichannel n1 coding (n1_joint.h): round trips of
 * correlated and unrelated channels at every level, a golden CRC of a joint
 * payload (integer-deterministic bytes), never larger than the channels alone
 * plus a few bytes, hostile payloads (truncated, flipped, wrong shape), and
 * following an earlier chunk's choices (n1_joint_choices, n1_joint_encode_follow). */
#include <stdlib.h>
#include <string.h>
#include "n1/n1_joint.h"
#include "common/crc32.h"
#include "test_util.h"

#define FRAMES 6000
#define CHANNELS 6

static uint32_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

/* Channels 0..3 share a random walk (with per-channel gains) and noise of their
 * own; channels 4 and 5 are unrelated walks. */
static void make_signal(int16_t *x)
{
    uint64_t s = 12345;
    int32_t shared = 0, walk4 = 0, walk5 = 0;
    for (size_t t = 0; t < FRAMES; t++) {
        shared += (int32_t)(rnd(&s) % 61) - 30;
        walk4 += (int32_t)(rnd(&s) % 41) - 20;
        walk5 += (int32_t)(rnd(&s) % 201) - 100;
        for (int c = 0; c < 4; c++) {
            int32_t v = shared * (c + 2) / 4 + (int32_t)(rnd(&s) % 9) - 4;
            x[t * CHANNELS + c] = (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
        }
        x[t * CHANNELS + 4] = (int16_t)(walk4 % 30000);
        x[t * CHANNELS + 5] = (int16_t)(walk5 % 30000);
    }
}

static size_t alone_size(const int16_t *x, int level, uint8_t *buf, size_t cap)
{
    int16_t *col = malloc(FRAMES * sizeof(int16_t));
    size_t total = 0;
    for (int c = 0; c < CHANNELS; c++) {
        size_t len = 0;
        for (size_t t = 0; t < FRAMES; t++) col[t] = x[t * CHANNELS + c];
        CHECK(n1_codec_encode(col, FRAMES, level, buf, cap, &len) == N1_OK);
        total += len;
    }
    free(col);
    return total;
}

/* References a follower cannot take: too many, not an earlier channel, one twice. */
static void test_follow_bad_references(const int16_t *x, size_t frames, const n1_joint_choice *ch,
                                       uint8_t *buf, size_t cap)
{
    n1_joint_choice bad[CHANNELS];
    size_t len = 0;
    for (int k = 0; k < 3; k++) {
        memcpy(bad, ch, sizeof(bad));
        if (k == 0) bad[2].nref = N1_CROSS_MAX + 1;
        if (k == 1) { bad[1].nref = 1; bad[1].back[0] = 1; } /* channel -1 */
        if (k == 2) { bad[2].nref = 2; bad[2].back[0] = bad[2].back[1] = 0; }
        CHECK(n1_joint_encode_follow(x, frames, CHANNELS, N1_LEVEL_DEFAULT, bad, buf, cap, &len) ==
              N1_ERR_INVALID_ARG);
    }
    memcpy(bad, ch, sizeof(bad));
    bad[2].nref = 2; /* two valid references where the lead had others: still a stream */
    bad[2].back[0] = 0;
    bad[2].back[1] = 1;
    CHECK(n1_joint_encode_follow(x, frames, CHANNELS, N1_LEVEL_DEFAULT, bad, buf, cap, &len) == N1_OK);
}

/* Following: choices read back from a stream repeat it exactly on the same samples;
 * the second half of the frames follows the first half's and round-trips, with
 * references only where the first half had them; references a channel cannot have
 * are refused; the fast level has nothing to follow; damaged streams give errors,
 * not choices. */
static void test_follow(const int16_t *x, int16_t *y, uint8_t *buf, size_t cap)
{
    n1_joint_choice ch[CHANNELS], again[CHANNELS];
    size_t len = 0, len2 = 0, half = FRAMES / 2;
    uint8_t *buf2 = malloc(cap);
    CHECK(n1_joint_encode(x, FRAMES, CHANNELS, N1_LEVEL_DEFAULT, buf, cap, &len) == N1_OK);
    CHECK(n1_joint_choices(buf, len, CHANNELS, ch) == N1_OK);
    int with_refs = 0;
    for (int c = 0; c < CHANNELS; c++) {
        CHECK(ch[c].head_len == N1_JOINT_HEAD && ch[c].nref <= N1_CROSS_MAX);
        for (int i = 0; i < ch[c].nref; i++) CHECK(ch[c].back[i] < (uint32_t)c);
        with_refs += ch[c].nref > 0;
    }
    CHECK(with_refs > 0 && !ch[0].nref); /* the shared walk: later channels refer */
    CHECK(n1_joint_encode_follow(x, FRAMES, CHANNELS, N1_LEVEL_DEFAULT, ch, buf2, cap, &len2) ==
          N1_OK);
    CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
    /* the second half, following the first half's choices */
    CHECK(n1_joint_encode(x, half, CHANNELS, N1_LEVEL_DEFAULT, buf, cap, &len) == N1_OK);
    CHECK(n1_joint_choices(buf, len, CHANNELS, ch) == N1_OK);
    const int16_t *second = x + half * CHANNELS;
    CHECK(n1_joint_encode_follow(second, FRAMES - half, CHANNELS, N1_LEVEL_DEFAULT, ch, buf2, cap,
                                 &len2) == N1_OK);
    CHECK(n1_joint_decode(buf2, len2, y, FRAMES - half, CHANNELS) == N1_OK);
    CHECK(memcmp(second, y, (FRAMES - half) * CHANNELS * sizeof(int16_t)) == 0);
    CHECK(n1_joint_choices(buf2, len2, CHANNELS, again) == N1_OK);
    for (int c = 0; c < CHANNELS; c++) CHECK(!again[c].nref || ch[c].nref); /* only where it had */
    test_follow_bad_references(second, FRAMES - half, ch, buf2, cap);
    /* damaged or foreign streams and bad arguments */
    for (size_t cut = 0; cut < len; cut += 1 + cut / 4)
        CHECK(n1_joint_choices(buf, cut, CHANNELS, ch) != N1_OK);
    CHECK(n1_joint_choices(buf, len, CHANNELS - 1, ch) == N1_ERR_CORRUPT);
    CHECK(n1_joint_choices(buf, len, CHANNELS, NULL) == N1_ERR_INVALID_ARG);
    buf[0] ^= 0x10; /* another version nibble */
    CHECK(n1_joint_choices(buf, len, CHANNELS, ch) == N1_ERR_UNSUPPORTED);
    buf[0] ^= 0x10;
    ch[1].head[0] = 0x31; /* not a head the default level writes */
    CHECK(n1_joint_encode_follow(second, FRAMES - half, CHANNELS, N1_LEVEL_DEFAULT, ch, buf2, cap,
                                 &len2) == N1_ERR_INVALID_ARG);
    /* the fast level: table streams name no model, and it takes none */
    CHECK(n1_joint_encode(x, FRAMES, CHANNELS, N1_LEVEL_FAST, buf, cap, &len) == N1_OK);
    CHECK(n1_joint_choices(buf, len, CHANNELS, ch) == N1_OK);
    for (int c = 0; c < CHANNELS; c++) CHECK(ch[c].head_len == 0 && !ch[c].nref);
    CHECK(n1_joint_encode_follow(x, FRAMES, CHANNELS, N1_LEVEL_FAST, ch, buf2, cap, &len2) ==
          N1_ERR_INVALID_ARG);
    free(buf2);
}

int main(void)
{
    int16_t *x = malloc(FRAMES * CHANNELS * sizeof(int16_t));
    int16_t *y = malloc(FRAMES * CHANNELS * sizeof(int16_t));
    size_t cap = n1_joint_bound(FRAMES, CHANNELS);
    uint8_t *buf = malloc(cap), *alone = malloc(n1_codec_bound(FRAMES));
    make_signal(x);
    for (int level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        size_t len = 0;
        CHECK(n1_joint_encode(x, FRAMES, CHANNELS, level, buf, cap, &len) == N1_OK);
        memset(y, 0, FRAMES * CHANNELS * sizeof(int16_t));
        CHECK(n1_joint_decode(buf, len, y, FRAMES, CHANNELS) == N1_OK);
        CHECK(memcmp(x, y, FRAMES * CHANNELS * sizeof(int16_t)) == 0);
        size_t sep = alone_size(x, level, alone, n1_codec_bound(FRAMES));
        CHECK(len <= sep + 2 + 4 * CHANNELS);         /* never (much) larger */
        if (level != N1_LEVEL_FAST) CHECK(len < sep); /* the shared walk pays */
        if (level == N1_LEVEL_DEFAULT) {
            uint32_t crc = n1_crc32(0, buf, len);
            printf("joint default: %zu bytes (alone %zu), crc %08x\n", len, sep, (unsigned)crc);
            CHECK(crc == 0x091be9d3u); /* the same bytes on every compiler and flag set */
            /* hostile inputs: every truncation, flipped bytes, a wrong shape */
            for (size_t cut = 0; cut < len; cut += 1 + cut / 8)
                CHECK(n1_joint_decode(buf, cut, y, FRAMES, CHANNELS) != N1_OK);
            uint64_t s = 7;
            for (int i = 0; i < 200; i++) {
                size_t at = rnd(&s) % len;
                uint8_t old = buf[at];
                buf[at] ^= (uint8_t)(1 + rnd(&s) % 255);
                (void)n1_joint_decode(buf, len, y, FRAMES, CHANNELS); /* no crash, no overrun */
                buf[at] = old;
            }
            CHECK(n1_joint_decode(buf, len, y, FRAMES, CHANNELS - 1) == N1_ERR_CORRUPT);
            CHECK(n1_joint_decode(buf, len, y, FRAMES - 1, CHANNELS) != N1_OK);
        }
    }
    /* one channel: the payload holds exactly n1_codec_encode's stream */
    size_t len = 0, one = 0;
    int16_t *col = malloc(FRAMES * sizeof(int16_t));
    for (size_t t = 0; t < FRAMES; t++) col[t] = x[t * CHANNELS];
    CHECK(n1_joint_encode(col, FRAMES, 1, N1_LEVEL_DEFAULT, buf, cap, &len) == N1_OK);
    CHECK(n1_codec_encode(col, FRAMES, N1_LEVEL_DEFAULT, alone, n1_codec_bound(FRAMES), &one) == N1_OK);
    CHECK(len > one && memcmp(buf + len - one, alone, one) == 0);
    CHECK(n1_joint_encode(x, FRAMES, 0, N1_LEVEL_DEFAULT, buf, cap, &len) == N1_ERR_INVALID_ARG);
    CHECK(n1_joint_encode(x, FRAMES, CHANNELS, 3, buf, cap, &len) == N1_ERR_INVALID_ARG);
    test_follow(x, y, buf, cap);
    free(col); free(x); free(y); free(buf); free(alone);
    return test_report("test_n1_joint");
}
