/* test_predict.c -- the fixed polynomial, LPC and LMS predictors and the adc
 * stage: exact round trips on generated signals, random data, empty, length 1
 * and extremes; bad parameters; truncated and corrupt side info. */
#include <stdlib.h>
#include <string.h>
#include "common/crc32.h"
#include "common/status.h"
#include "predict/adc.h"
#include "predict/fixed.h"
#include "predict/lms.h"
#include "predict/lpc.h"
#include "signals.h"
#include "common/bitio.h"
#include "test_util.h"

#define KAT_ADC_CODES 0x091d5ab5u
#define KAT_ADC_SIDE 0xa2ee196cu
#define KAT_LMS0 0xddc9faadu
#define KAT_LMS1 0x419f35d6u
#define KAT_LMS2 0xf832aa5fu
#define KAT_FIXED 0x4abf2e63u
#define KAT_FIXED_SIDE 0x7cb8a807u

#define NMAX 70001u

static uint16_t xs[NMAX], res[NMAX], ys[NMAX];
static uint8_t side[1u << 20];

static void report(const char *what, int kind, size_t n, int st)
{
    fprintf(stderr, "%s %s n=%zu: status %d\n", what, signal_name(kind), n, st);
    CHECK(0);
}

static void test_fixed(void)
{
    const size_t blocks[] = {1, 3, 256, 4096};
    for (size_t bi = 0; bi < 4; bi++)
        for (int kind = 0; kind < SIG_COUNT; kind++)
            for (size_t li = 0; li < TEST_NLENGTHS; li++) {
                size_t n = test_lengths[li], block = blocks[bi], sl = 99;
                make_signal(kind, xs, n, li);
                int st = n1c_fixed_encode(xs, res, n, block, side, sizeof side, &sl);
                CHECK(sl == n1c_fixed_side_size(n, block));
                memcpy(ys, res, n * 2);
                int ds = n1c_fixed_decode(side, sl, ys, ys, n, block);  /* in place */
                if (st || ds || memcmp(xs, ys, n * 2)) report("fixed", kind, n, ds);
                if (n > 0) CHECK(n1c_fixed_decode(side, sl - 1, res, ys, n, block) == N1_ERR_TRUNCATED);
            }
    /* A quadratic is predicted exactly by order 3 after the warm-up. */
    for (size_t i = 0; i < 4096; i++) xs[i] = (uint16_t)(i * i);
    size_t sl = 0;
    CHECK(n1c_fixed_encode(xs, res, 4096, 4096, side, sizeof side, &sl) == N1_OK);
    CHECK((side[0] >> 6) == 3);
    size_t sl2 = 0;
    CHECK(n1c_fixed_encode(xs, res, 10, 0, side, sizeof side, &sl2) == N1_ERR_INVALID_ARG);
    CHECK(n1c_fixed_encode(xs, res, 10, 1, side, 2, &sl2) == N1_ERR_OUTPUT_FULL);
}

static void test_lpc(void)
{
    const int orders[] = {0, 1, 8, 32};
    const int precisions[] = {2, 12, 15};
    for (int oi = 0; oi < 4; oi++)
        for (int pi = 0; pi < 3; pi++)
            for (int kind = 0; kind < SIG_COUNT; kind++)
                for (size_t li = 0; li < TEST_NLENGTHS; li++) {
                    size_t n = test_lengths[li], block = (li % 2) ? 4096 : 1000, sl = 0, used = 0;
                    make_signal(kind, xs, n, li + 100);
                    int st = n1c_lpc_encode(xs, res, n, block, orders[oi], precisions[pi], side,
                                            n1c_lpc_side_bound(n, block), &sl);
                    memcpy(ys, res, n * 2);
                    int ds = n1c_lpc_decode(side, sl, &used, ys, ys, n, block);
                    if (st || ds || used != sl || memcmp(xs, ys, n * 2)) report("lpc", kind, n, ds);
                    if (n > 0 && sl > 0) {
                        int ts = n1c_lpc_decode(side, sl - 1, &used, res, ys, n, block);
                        if (ts != N1_ERR_TRUNCATED) {
                            fprintf(stderr, "o%d p%d %s n=%zu sl=%zu -> %d\n", orders[oi], precisions[pi], signal_name(kind), n, sl, ts);
                            CHECK(0);
                        }
                    }
                }
    /* A sine is predicted well: residuals far below the signal. */
    size_t n = 8192, sl = 0;
    for (size_t i = 0; i < n; i++) xs[i] = (uint16_t)(int32_t)(10000.0 * sin(0.05 * (double)i));
    CHECK(n1c_lpc_encode(xs, res, n, 4096, 8, 14, side, sizeof side, &sl) == N1_OK);
    long big = 0;
    for (size_t i = 100; i < n; i++) big += abs((int16_t)res[i]) > 4;
    CHECK(big < 50);
    CHECK(n1c_lpc_encode(xs, res, n, 4096, 33, 14, side, sizeof side, &sl) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lpc_encode(xs, res, n, 4096, 8, 16, side, sizeof side, &sl) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lpc_encode(xs, res, n, 0, 8, 12, side, sizeof side, &sl) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lpc_encode(xs, res, n, 4096, 8, 12, side, 3, &sl) == N1_ERR_OUTPUT_FULL);
    /* Corrupt side info: order 63 is out of range; random bytes never crash. */
    size_t used = 0;
    uint8_t bad[64];
    memset(bad, 0xFF, sizeof bad);
    CHECK(n1c_lpc_decode(bad, sizeof bad, &used, res, ys, n, 4096) == N1_ERR_CORRUPT);
    test_rng r = {5};
    for (int t = 0; t < 2000; t++) {
        for (size_t i = 0; i < sizeof bad; i++) bad[i] = (uint8_t)rng_next(&r);
        int st = n1c_lpc_decode(bad, 1 + rng_next(&r) % sizeof bad, &used, res, ys, 300, 100);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    }
}

static void test_lms(void)
{
    const int variants[] = {N1C_LMS_SIGN, N1C_LMS_NLMS, N1C_LMS_CASCADE};
    const int orders[] = {1, 16, 64};
    const int mus[] = {1, 8, 16};
    for (int vi = 0; vi < 3; vi++)
        for (int oi = 0; oi < 3; oi++)
            for (int kind = 0; kind < SIG_COUNT; kind++)
                for (size_t li = 0; li < TEST_NLENGTHS; li++) {
                    size_t n = test_lengths[li];
                    int mu = mus[(vi + oi + kind) % 3];
                    make_signal(kind, xs, n, li + 200);
                    int st = n1c_lms_encode(xs, res, n, variants[vi], orders[oi], mu);
                    memcpy(ys, res, n * 2);
                    int ds = n1c_lms_decode(ys, ys, n, variants[vi], orders[oi], mu);
                    if (st || ds || memcmp(xs, ys, n * 2)) report("lms", kind, n, ds);
                }
    /* In-place encode too. */
    make_signal(SIG_SINE_NOISE, xs, 5000, 1);
    memcpy(ys, xs, 10000);
    CHECK(n1c_lms_encode(ys, ys, 5000, N1C_LMS_NLMS, 16, 6) == N1_OK);
    CHECK(n1c_lms_decode(ys, ys, 5000, N1C_LMS_NLMS, 16, 6) == N1_OK);
    CHECK(memcmp(xs, ys, 10000) == 0);
    CHECK(n1c_lms_encode(xs, res, 10, 3, 16, 6) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lms_encode(xs, res, 10, 0, 0, 6) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lms_encode(xs, res, 10, 0, 65, 6) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lms_decode(xs, res, 10, 0, 16, 0) == N1_ERR_INVALID_ARG);
    CHECK(n1c_lms_decode(xs, res, 10, 0, 16, 17) == N1_ERR_INVALID_ARG);
}

static void test_adc(void)
{
    for (int kind = 0; kind < SIG_COUNT; kind++)
        for (size_t li = 0; li < TEST_NLENGTHS; li++) {
            size_t n = test_lengths[li], sl = 0, used = 0;
            make_signal(kind, xs, n, li + 300);
            int st = n1c_adc_encode(xs, n, res, side, N1C_ADC_SIDE_MAX, &sl);
            memcpy(ys, res, n * 2);
            int ds = n1c_adc_decode(side, sl, &used, ys, ys, n);
            if (st || ds || used != sl || memcmp(xs, ys, n * 2)) report("adc", kind, n, ds);
            if (kind == SIG_ADC && n >= 1000) {
                CHECK(side[0] == 1);
                for (size_t i = 0; i < n; i++)
                    if (res[i] >= 1023) {
                        CHECK(0);
                        break;
                    }
                CHECK(sl < 400);
                CHECK(n1c_adc_decode(side, sl - 1, &used, res, ys, n) == N1_ERR_TRUNCATED);
                memcpy(ys, res, n * 2);
                ys[n / 2] = 4095;  /* a code past the table */
                CHECK(n1c_adc_decode(side, sl, &used, ys, ys, n) == N1_ERR_CORRUPT);
            }
            if (kind == SIG_RANDOM && n >= 4097) CHECK(side[0] == 0);   /* too many values */
        }
    /* Length 1 and two extreme values map (cheap table, worth it for long runs). */
    size_t sl = 0, used = 0;
    for (size_t i = 0; i < 10000; i++) xs[i] = (i & 1) ? 0x7FFF : 0x8000;
    CHECK(n1c_adc_encode(xs, 10000, res, side, N1C_ADC_SIDE_MAX, &sl) == N1_OK);
    CHECK(side[0] == 1 && res[0] == 0 && res[1] == 1);
    CHECK(n1c_adc_decode(side, sl, &used, res, ys, 10000) == N1_OK);
    CHECK(memcmp(xs, ys, 20000) == 0);
    CHECK(n1c_adc_encode(xs, 1, res, side, 0, &sl) == N1_ERR_OUTPUT_FULL);
    /* Corrupt side info: bad flag, gap 0, values past 65535; random bytes never crash. */
    uint8_t bad[64] = {2};
    CHECK(n1c_adc_decode(bad, 1, &used, res, ys, 4) == N1_ERR_CORRUPT);
    CHECK(n1c_adc_decode(bad, 0, &used, res, ys, 4) == N1_ERR_TRUNCATED);
    uint8_t zero_gap[] = {1, 0x00, 0x10, 0x00, 0x00, 0x00, 0x0F, 0xFF};  /* K = 2, gmin = 0 */
    CHECK(n1c_adc_decode(zero_gap, sizeof zero_gap, &used, res, ys, 0) == N1_ERR_CORRUPT);
    test_rng r = {77};
    for (int t = 0; t < 3000; t++) {
        bad[0] = 1;
        for (size_t i = 1; i < sizeof bad; i++) bad[i] = (uint8_t)rng_next(&r);
        for (size_t i = 0; i < 64; i++) res[i] = (uint16_t)(rng_next(&r) % 8u);
        int st = n1c_adc_decode(bad, 1 + rng_next(&r) % (sizeof bad - 1), &used, res, ys, 64);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    }
}

/* Known answers for the integer-only paths: the exact output (by CRC-32) for a
 * fixed input, so a change of format, platform or optimisation level shows. */
static void test_known_answers(void)
{
    size_t n = 20000, sl = 0;
    make_signal(SIG_ADC, xs, n, 5);
    CHECK(n1c_adc_encode(xs, n, res, side, N1C_ADC_SIDE_MAX, &sl) == N1_OK);
    CHECK(n1_crc32(0, res, n * 2) == KAT_ADC_CODES && n1_crc32(0, side, sl) == KAT_ADC_SIDE);
    const uint32_t lms_kat[3] = {KAT_LMS0, KAT_LMS1, KAT_LMS2};
    for (int v = 0; v < 3; v++) {
        CHECK(n1c_lms_encode(res, ys, n, v, 16, v ? 6 : 11) == N1_OK);
        CHECK(n1_crc32(0, ys, n * 2) == lms_kat[v]);
    }
    CHECK(n1c_fixed_encode(xs, ys, n, 1000, side, sizeof side, &sl) == N1_OK);
    CHECK(n1_crc32(0, ys, n * 2) == KAT_FIXED && n1_crc32(0, side, sl) == KAT_FIXED_SIDE);
    /* LPC decoding from hand-made side info: order 2, precision 14, shift 11,
     * coefficients 2.0 and -1.0 (a linear extrapolator). */
    uint8_t lpc_side[8];
    n1_bitwriter w;
    n1_bw_init(&w, lpc_side, sizeof lpc_side);
    n1_bw_put(&w, 2, 6);
    n1_bw_put(&w, 13, 4);
    n1_bw_put(&w, 11, 5);
    n1_bw_put(&w, 4096, 14);
    n1_bw_put(&w, (uint32_t)(-2048) & 0x3FFFu, 14);
    size_t wl = 0, used = 0;
    CHECK(n1_bw_finish(&w, &wl) == N1_OK && wl == 6);
    uint16_t r5[6] = {5, 0, 0, 1, 0, 0}, o5[6];
    CHECK(n1c_lpc_decode(lpc_side, wl, &used, r5, o5, 6, 6) == N1_OK);
    CHECK(used == 6);
    CHECK(o5[0] == 5 && o5[1] == 10 && o5[2] == 15 && o5[3] == 21 && o5[4] == 27 && o5[5] == 33);
}

int main(void)
{
    test_known_answers();
    test_fixed();
    test_lpc();
    test_lms();
    test_adc();
    return test_report("test_predict");
}
