/* test_transform_chain.c -- the bwtc coder: round trips, raw fallback, truncated and corrupt streams. */
#include <stdlib.h>
#include <string.h>
#include "transform/bwt_chain.h"
#include "common/status.h"
#include "test_util.h"

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

enum { N = 70000 };
static uint16_t x[N], y[N];
static uint8_t buf[2 * N + 4096];

static int round_trip(size_t n, const n1c_bwtc_params *p, size_t *len)
{
    size_t cap = n1c_bwtc_bound(n);
    if (cap > sizeof buf) return 0;
    int ok = n1c_bwtc_encode(x, n, p, buf, cap, len) == N1_OK && *len <= cap &&
             n1c_bwtc_decode(buf, *len, y, n) == N1_OK && (n == 0 || memcmp(x, y, n * 2) == 0);
    return ok;
}

/* N1-like: 10-bit codes spread ~64 apart, a slow wave plus noise. */
static void n1_like(size_t n, uint32_t seed)
{
    int level = 0;
    for (size_t i = 0; i < n; i++) {
        level += (int)(lcg(&seed) % 7) - 3;
        if (level > 40) level = 40;
        if (level < -40) level = -40;
        int code = level + (int)(lcg(&seed) % 9) - 4;
        x[i] = (uint16_t)(int16_t)(code * 64 + (code > 0 ? code / 16 : 0));
    }
}

int main(void)
{
    uint32_t seed = 21;
    size_t len = 0;
    n1c_bwtc_params p;
    n1c_bwtc_default_params(&p);

    CHECK(round_trip(0, NULL, &len) && len == 0);
    x[0] = 0x8000;
    CHECK(round_trip(1, NULL, &len));
    for (size_t i = 0; i < N; i++) x[i] = 0x7fff;
    CHECK(round_trip(N, NULL, &len) && len < 64);
    for (size_t i = 0; i < N; i++) x[i] = (uint16_t)lcg(&seed);  /* > 4096 values: raw blocks */
    CHECK(round_trip(N, NULL, &len) && len <= 2 * N + 8);
    for (size_t i = 0; i < N; i++) x[i] = (uint16_t)(lcg(&seed) % 3000);  /* incompressible-ish chain */
    CHECK(round_trip(N, NULL, &len));
    for (size_t i = 0; i < N; i++) x[i] = (uint16_t)((i % 13) * 1000);  /* periodic */
    CHECK(round_trip(N, NULL, &len) && len < 200);
    for (size_t i = 0; i < N; i++) x[i] = (uint16_t)((i % 5000) * 13);  /* 5000 values: byte mode */
    CHECK(round_trip(N, NULL, &len) && len < N / 4);
    for (size_t i = 0; i < N; i++) x[i] = (uint16_t)(lcg(&seed) % 6000 + (i / 8) % 3000);
    CHECK(round_trip(N, NULL, &len) && len < 2 * N);  /* byte mode beats raw */
    size_t byte_len = len;
    for (size_t cut = 0; cut < byte_len; cut += 1 + cut / 2) {
        int st = n1c_bwtc_decode(buf, cut, y, N);
        CHECK(st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
    }
    for (int trial = 0; trial < 100; trial++) {
        size_t pos = lcg(&seed) % byte_len;
        buf[pos] ^= (uint8_t)(1u << (lcg(&seed) % 8));
        int st = n1c_bwtc_decode(buf, byte_len, y, N);
        CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
    }
    n1_like(N, 5);
    CHECK(round_trip(N, NULL, &len) && len < N);
    size_t good_len = len;

    /* Every parameter corner, several blocks. */
    for (unsigned t = 0; t <= 8; t += 2) {
        p.tables = t;
        p.block_log = 12 + t;
        p.group = 1 + 30 * t;
        p.direct_log = t;
        p.mantissa = t < 3 ? t : 3;
        CHECK(round_trip(N, &p, &len));
    }
    n1c_bwtc_default_params(&p);
    p.block_log = 7;
    CHECK(n1c_bwtc_encode(x, N, &p, buf, sizeof buf, &len) == N1_ERR_INVALID_ARG);
    n1c_bwtc_default_params(&p);
    p.mantissa = 3;
    p.direct_log = 2;
    CHECK(n1c_bwtc_encode(x, N, &p, buf, sizeof buf, &len) == N1_ERR_INVALID_ARG);
    CHECK(n1c_bwtc_encode(x, N, NULL, buf, 10, &len) == N1_ERR_OUTPUT_FULL);

    /* Truncated, extended and bit-flipped streams fail cleanly. */
    n1_like(N, 5);
    CHECK(n1c_bwtc_encode(x, N, NULL, buf, sizeof buf, &len) == N1_OK && len == good_len);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 3) {
        int st = n1c_bwtc_decode(buf, cut, y, N);
        CHECK(st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
    }
    CHECK(n1c_bwtc_decode(buf, len + 1, y, N) == N1_ERR_CORRUPT);
    CHECK(n1c_bwtc_decode(buf, len, y, N - 1) != N1_OK);
    CHECK(n1c_bwtc_decode(buf, len, y, 0) == N1_ERR_CORRUPT);
    int failures = 0;
    for (int trial = 0; trial < 300; trial++) {
        size_t pos = lcg(&seed) % len;
        uint8_t old = buf[pos];
        buf[pos] ^= (uint8_t)(1u << (lcg(&seed) % 8));
        int st = n1c_bwtc_decode(buf, len, y, N);
        failures += st != N1_OK;
        CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
        buf[pos] = old;
    }
    CHECK(failures > 250);
    for (int trial = 0; trial < 100; trial++) {
        size_t n = 1 + lcg(&seed) % 2000;
        for (size_t i = 0; i < 300; i++) buf[i] = (uint8_t)lcg(&seed);
        int st = n1c_bwtc_decode(buf, 300, y, n);
        CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
    }
    return test_report("test_transform_chain");
}
