/* test_huffman.c -- canonical Huffman round trips, table edge cases, corrupt input. */
#include <stdlib.h>
#include <string.h>
#include "entropy/huffman.h"
#include "predict/delta.h"
#include "common/status.h"
#include "test_util.h"

static n1c_huffman_encoder_work enc_work;
static n1c_huffman_decoder_work dec_work;

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static int round_trip(const uint16_t *symbols, size_t count, size_t *encoded_len)
{
    size_t cap = n1c_huffman_bound(count);
    uint8_t *buf = malloc(cap ? cap : 1);
    uint16_t *back = malloc((count ? count : 1) * sizeof *back);
    size_t len = 0;
    int ok = n1c_huffman_encode(symbols, count, &enc_work, buf, cap, &len) == N1_OK &&
             n1c_huffman_decode(buf, len, &dec_work, back, count) == N1_OK &&
             (count == 0 || memcmp(symbols, back, count * sizeof *back) == 0);
    if (encoded_len) *encoded_len = len;
    free(buf);
    free(back);
    return ok;
}

static void test_round_trips(void)
{
    enum { N = 100000 };
    static uint16_t x[N];
    uint32_t seed = 1;
    size_t len = 0;

    CHECK(round_trip(x, 0, &len) && len == 0);
    x[0] = 65535;
    CHECK(round_trip(x, 1, NULL));
    for (int i = 0; i < N; i++) x[i] = 7;
    CHECK(round_trip(x, N, &len) && len <= 6);  /* a constant costs only its table */
    for (int i = 0; i < N; i++) x[i] = (uint16_t)lcg(&seed);  /* near-uniform, 65k symbols */
    CHECK(round_trip(x, N, NULL));
    for (int i = 0; i < N; i++) x[i] = (uint16_t)(lcg(&seed) & 1 ? 0 : 65535);
    CHECK(round_trip(x, N, &len) && len < N / 8 + 64);
    /* Geometric-ish distribution deep enough to need length limiting. */
    for (int i = 0; i < N; i++) {
        uint32_t v = lcg(&seed), s = 0;
        while ((v & 1) && s < 40) { v >>= 1; s++; if (!v) v = lcg(&seed); }
        x[i] = (uint16_t)(s * 977);
    }
    CHECK(round_trip(x, N, NULL));
}

static void test_lengths_are_limited_and_complete(void)
{
    static uint32_t counts[64];
    static uint8_t lengths[64];
    static uint64_t weights[64];
    static uint32_t order[64];
    uint32_t f0 = 1, f1 = 1;
    for (int i = 0; i < 40; i++) {  /* Fibonacci counts: optimal depth 39 */
        counts[i] = f0;
        uint32_t f2 = f0 + f1;
        f0 = f1;
        f1 = f2 > 100000000u ? 100000000u : f2;
    }
    long used = n1c_huffman_lengths(counts, 64, 12, lengths, weights, order);
    CHECK(used == 40);
    uint64_t kraft = 0;
    for (int i = 0; i < 64; i++) {
        CHECK(lengths[i] <= 12);
        if (lengths[i]) kraft += 1u << (12 - lengths[i]);
    }
    CHECK(kraft == 4096);
}

static void test_corrupt_and_truncated_streams_fail_cleanly(void)
{
    enum { N = 5000 };
    static uint16_t x[N], back[N];
    static uint8_t buf[20000];
    uint32_t seed = 9;
    for (int i = 0; i < N; i++) x[i] = (uint16_t)((lcg(&seed) % 50) * 64);
    size_t len = 0;
    CHECK(n1c_huffman_encode(x, N, &enc_work, buf, sizeof buf, &len) == N1_OK);
    for (size_t cut = 0; cut < len; cut += 97)
        CHECK(n1c_huffman_decode(buf, cut, &dec_work, back, N) != N1_OK);
    /* Flipping bits never crashes; most flips are detected. */
    for (size_t i = 0; i < len; i += 13) {
        buf[i] ^= 0x5a;
        (void)n1c_huffman_decode(buf, len, &dec_work, back, N);
        buf[i] ^= 0x5a;
    }
    uint8_t small[4];
    CHECK(n1c_huffman_encode(x, N, &enc_work, small, sizeof small, &len) == N1_ERR_OUTPUT_FULL);
}

static void test_delta_orders_invert(void)
{
    enum { N = 1000 };
    static uint16_t x[N], r[N], y[N];
    uint32_t seed = 3;
    for (int i = 0; i < N; i++) x[i] = (uint16_t)lcg(&seed);
    for (int order = 0; order <= 3; order++) {
        CHECK(n1c_delta_encode(x, r, N, order) == N1_OK);
        CHECK(n1c_delta_decode(r, y, N, order) == N1_OK);
        CHECK(memcmp(x, y, sizeof x) == 0);
        memcpy(y, x, sizeof x);  /* in place */
        CHECK(n1c_delta_encode(y, y, N, order) == N1_OK && memcmp(y, r, sizeof r) == 0);
        CHECK(n1c_delta_decode(y, y, N, order) == N1_OK && memcmp(y, x, sizeof x) == 0);
    }
    CHECK(n1c_delta_encode(x, r, N, 4) == N1_ERR_INVALID_ARG);
    x[0] = 32767; x[1] = (uint16_t)-32768;
    CHECK(n1c_delta_encode(x, r, 2, 1) == N1_OK && r[1] == 1);
}

/* delta then Huffman on an N1-like walk of 10-bit codes (moved here from
 * test_public_header.c: these families are internal, not in n1codec.h) */
static void test_delta_then_huffman(void)
{
    enum { N = 20000 };
    static int16_t x[N];
    static uint16_t res[N], back[N];
    uint32_t s = 12345;
    int32_t level = 0;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        level += (int32_t)((s >> 16) % 9) - 4;
        if (level > 500) level = 500;
        if (level < -500) level = -500;
        x[i] = (int16_t)(((int64_t)(level + 512) * 65535 - 32768 * 1023) / 1023);
    }
    size_t cap = n1c_huffman_bound(N), len = 0;
    uint8_t *buf = malloc(cap);
    CHECK(buf != NULL);
    if (!buf) return;
    CHECK(n1c_delta_encode((const uint16_t *)x, res, N, 1) == N1_OK);
    CHECK(n1c_huffman_encode(res, N, &enc_work, buf, cap, &len) == N1_OK);
    CHECK(n1c_huffman_decode(buf, len, &dec_work, back, N) == N1_OK);
    CHECK(n1c_delta_decode(back, back, N, 1) == N1_OK);
    CHECK(memcmp(back, x, sizeof back) == 0);
    free(buf);
}

int main(void)
{
    test_round_trips();
    test_lengths_are_limited_and_complete();
    test_corrupt_and_truncated_streams_fail_cleanly();
    test_delta_orders_invert();
    test_delta_then_huffman();
    return test_report("test_huffman");
}
