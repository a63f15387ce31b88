/* test_entropy_adaptive.c -- round trips, truncation and corruption of the
 * adaptive Rice, range (order 0/1) and rANS coders. */
#include <stdlib.h>
#include <string.h>
#include "common/crc32.h"
#include "common/status.h"
#include "entropy/range.h"
#include "entropy/rans.h"
#include "entropy/rice.h"
#include "entropy/symbols.h"
#include "signals.h"
#include "test_util.h"

enum { CODER_RICE, CODER_RANGE0, CODER_RANGE1, CODER_RANS, CODER_COUNT };
static const char *const coder_names[CODER_COUNT] = {"rice", "range0", "range1", "rans"};

static size_t bound(int c, size_t n)
{
    switch (c) {
    case CODER_RICE: return n1c_rice_bound(n);
    case CODER_RANS: return n1c_rans_bound(n);
    default: return n1c_range_bound(n);
    }
}

static int enc(int c, const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    switch (c) {
    case CODER_RICE: return n1c_rice_encode(in, n, out, cap, len);
    case CODER_RANGE0: return n1c_range_encode(in, n, 0, out, cap, len);
    case CODER_RANGE1: return n1c_range_encode(in, n, 1, out, cap, len);
    default: return n1c_rans_encode(in, n, out, cap, len);
    }
}

static int dec(int c, const uint8_t *in, size_t len, uint16_t *out, size_t n)
{
    switch (c) {
    case CODER_RICE: return n1c_rice_decode(in, len, out, n);
    case CODER_RANGE0: return n1c_range_decode(in, len, 0, out, n);
    case CODER_RANGE1: return n1c_range_decode(in, len, 1, out, n);
    default: return n1c_rans_decode(in, len, out, n);
    }
}

static void test_symbol_mapping(void)
{
    for (unsigned w = 0; w < 65536u; w++) {
        uint16_t z = n1_zigzag16((uint16_t)w);
        CHECK(n1_unzigzag16(z) == w);
        unsigned ne, ex;
        unsigned s = n1_sym_split(z, &ne, &ex);
        if (!(s < N1_SYM_COUNT && ne == n1_sym_nextra(s) && n1_sym_join(s, ex) == z)) {
            CHECK(0);
            break;
        }
    }
    CHECK(n1_zigzag16(0) == 0 && n1_zigzag16(0xFFFF) == 1 && n1_zigzag16(1) == 2);
    CHECK(n1_zigzag16(0x8000) == 0xFFFF && n1_zigzag16(0x7FFF) == 0xFFFE);
}

static void test_round_trips(void)
{
    size_t nmax = 70001;
    uint16_t *x = malloc(nmax * 2), *y = malloc(nmax * 2 + 2);
    uint8_t *buf = malloc(n1c_rice_bound(nmax) + n1c_rans_bound(nmax) + n1c_range_bound(nmax));
    for (int c = 0; c < CODER_COUNT; c++)
        for (int kind = 0; kind < SIG_COUNT; kind++)
            for (size_t li = 0; li < TEST_NLENGTHS; li++) {
                size_t n = test_lengths[li], len = 0;
                make_signal(kind, x, n, 7 + li);
                int st = enc(c, x, n, buf, bound(c, n), &len);
                CHECK(st == N1_OK);
                CHECK(len <= bound(c, n));
                memset(y, 0xAB, nmax * 2);
                int ds = dec(c, buf, len, y, n);
                if (ds != N1_OK || memcmp(x, y, n * 2) != 0) {
                    fprintf(stderr, "%s %s n=%zu: status %d\n", coder_names[c], signal_name(kind), n, ds);
                    CHECK(0);
                }
            }
    free(x);
    free(y);
    free(buf);
}

static void test_compresses_small_residuals(void)
{
    size_t n = 50000;
    uint16_t *x = malloc(n * 2);
    test_rng r = {99};
    for (size_t i = 0; i < n; i++) x[i] = (uint16_t)((int32_t)(rng_next(&r) % 9u) - 4);
    uint8_t *buf = malloc(n1c_rice_bound(n) + n1c_range_bound(n) + n1c_rans_bound(n));
    for (int c = 0; c < CODER_COUNT; c++) {
        size_t len = 0;
        CHECK(enc(c, x, n, buf, bound(c, n), &len) == N1_OK);
        /* log2(9) = 3.17 bits per symbol is the entropy; allow some slack (rice pays more). */
        CHECK(len * 8 < n * (c == CODER_RICE ? 4.0 : 3.3));
    }
    free(x);
    free(buf);
}

static void test_output_full(void)
{
    uint16_t x[1000];
    make_signal(SIG_RANDOM, x, 1000, 3);
    uint8_t buf[64];
    for (int c = 0; c < CODER_COUNT; c++) {
        size_t len = 0;
        CHECK(enc(c, x, 1000, buf, sizeof buf, &len) == N1_ERR_OUTPUT_FULL);
    }
    size_t len = 0;
    CHECK(n1c_range_encode(x, 10, 2, buf, sizeof buf, &len) == N1_ERR_INVALID_ARG);
    /* Skew the low-bit models hard, then defy them: still within the bound. */
    size_t n = 40000;
    uint16_t *adv = malloc(n * 2);
    for (size_t i = 0; i < n; i++) adv[i] = (i % 200 < 199) ? 0x4000 : 0x3FFF;
    uint8_t *big = malloc(n1c_range_bound(n));
    for (int order = 0; order < 2; order++) {
        CHECK(n1c_range_encode(adv, n, order, big, n1c_range_bound(n), &len) == N1_OK);
        uint16_t *back = malloc(n * 2);
        CHECK(n1c_range_decode(big, len, order, back, n) == N1_OK);
        CHECK(memcmp(back, adv, n * 2) == 0);
        free(back);
    }
    free(adv);
    free(big);
    CHECK(n1c_range_decode(buf, 10, -1, x, 10) == N1_ERR_INVALID_ARG);
}

static void test_truncated_and_corrupt(void)
{
    size_t n = 5000;
    uint16_t *x = malloc(n * 2), *y = malloc(n * 2);
    uint8_t *buf = malloc(n1c_rice_bound(n) + n1c_range_bound(n) + n1c_rans_bound(n));
    uint8_t *bad = malloc(n1c_rice_bound(n) + n1c_range_bound(n) + n1c_rans_bound(n));
    for (int c = 0; c < CODER_COUNT; c++)
        for (int kind = 0; kind < SIG_COUNT; kind++) {
            size_t len = 0;
            make_signal(kind, x, n, 11);
            CHECK(enc(c, x, n, buf, bound(c, n), &len) == N1_OK);
            /* Every proper prefix is reported as an error (never a crash). */
            size_t cuts[] = {0, 1, len / 2, len - 1};
            for (int k = 0; k < 4; k++) {
                if (cuts[k] >= len) continue;
                int st = dec(c, buf, cuts[k], y, n);
                if (st != N1_ERR_TRUNCATED && st != N1_ERR_CORRUPT) {
                    fprintf(stderr, "%s %s cut %zu/%zu: status %d\n", coder_names[c],
                            signal_name(kind), cuts[k], len, st);
                    CHECK(0);
                }
            }
            /* Random damage: any status is fine, memory safety is the point (run under ASan). */
            test_rng r = {1234 + (uint64_t)c};
            for (int trial = 0; trial < 200; trial++) {
                memcpy(bad, buf, len);
                int flips = 1 + (int)(rng_next(&r) % 4u);
                for (int f = 0; f < flips && len; f++) bad[rng_next(&r) % len] ^= (uint8_t)(1u + rng_next(&r) % 255u);
                int st = dec(c, bad, len, y, n);
                CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
            }
            /* Garbage of every small length. */
            for (size_t gl = 0; gl < 40; gl++) {
                for (size_t i = 0; i < gl; i++) bad[i] = (uint8_t)rng_next(&r);
                int st = dec(c, bad, gl, y, n);
                CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
            }
        }
    free(x);
    free(y);
    free(buf);
    free(bad);
}

static void test_rans_rejects_bad_tables(void)
{
    uint16_t y[4];
    const uint8_t zero_syms[] = {0};
    CHECK(n1c_rans_decode(zero_syms, 1, y, 4) == N1_ERR_TRUNCATED);  /* full mode, no table */
    const uint8_t too_many[] = {77};
    CHECK(n1c_rans_decode(too_many, 1, y, 4) == N1_ERR_CORRUPT);
    const uint8_t bad_sum[] = {1, 5, 4, 0, 0, 0x80, 0};
    CHECK(n1c_rans_decode(bad_sum, sizeof bad_sum, y, 4) == N1_ERR_CORRUPT);
    const uint8_t long_varint[] = {1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    CHECK(n1c_rans_decode(long_varint, sizeof long_varint, y, 4) == N1_ERR_CORRUPT);
    CHECK(n1c_rans_decode(NULL, 0, y, 4) == N1_ERR_TRUNCATED);
    CHECK(n1c_rans_decode(NULL, 0, y, 0) == N1_OK);
}

/* Known answers: the exact bytes (by CRC-32) for a fixed input, so a change of
 * format, platform or optimisation level that alters the streams is caught. */
static void test_known_answers(void)
{
    size_t n = 20000, len = 0;
    uint16_t *x = malloc(n * 2), *d = malloc(n * 2);
    uint8_t *o = malloc(n1c_range_bound(n) + n1c_rans_bound(n) + n1c_rice_bound(n));
    make_signal(SIG_ADC, x, n, 5);  /* integer-exact: floor(code * 64.0625) */
    for (size_t i = 0; i < n; i++) d[i] = (uint16_t)(x[i] - (i ? x[i - 1] : 0));
    CHECK(n1c_range_encode(d, n, 0, o, n1c_range_bound(n), &len) == N1_OK);
    CHECK(len == 9518 && n1_crc32(0, o, len) == 0x93606976u);
    CHECK(n1c_range_encode(d, n, 1, o, n1c_range_bound(n), &len) == N1_OK);
    CHECK(len == 9528 && n1_crc32(0, o, len) == 0xb67a1958u);
    CHECK(n1c_rice_encode(d, n, o, n1c_rice_bound(n), &len) == N1_OK);
    CHECK(len == 24258 && n1_crc32(0, o, len) == 0xa9d455bcu);
    CHECK(n1c_rans_encode(d, n, o, n1c_rans_bound(n), &len) == N1_OK);
    CHECK(len == 9267 && n1_crc32(0, o, len) == 0x515ca8c2u);  /* full-alphabet mode */
    make_signal(SIG_RANDOM, d, n, 6);
    CHECK(n1c_rans_encode(d, n, o, n1c_rans_bound(n), &len) == N1_OK);
    CHECK(o[0] != 0);  /* bucket mode */
    CHECK(len == 40096 && n1_crc32(0, o, len) == 0x5c3911e6u);
    free(x);
    free(d);
    free(o);
}

int main(void)
{
    test_known_answers();
    test_symbol_mapping();
    test_round_trips();
    test_compresses_small_residuals();
    test_output_full();
    test_truncated_and_corrupt();
    test_rans_rejects_bad_tables();
    return test_report("test_entropy_adaptive");
}
