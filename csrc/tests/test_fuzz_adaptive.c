/* test_fuzz_adaptive.c -- a deterministic mutation fuzzer over every decoder of
 * the predictive and adaptive entropy families: valid streams of random signals
 * and lengths, then flipped bytes, truncation, trailing garbage and wrong
 * symbol counts. Every outcome must be N1_OK or a truncation/corruption status,
 * with no crash, hang or out-of-bounds access (also run it under ASan/UBSan). */
#include <stdlib.h>
#include <string.h>
#include "common/status.h"
#include "entropy/range.h"
#include "entropy/rans.h"
#include "entropy/rice.h"
#include "predict/adc.h"
#include "predict/fixed.h"
#include "predict/lpc.h"
#include "signals.h"
#include "test_util.h"

#define ITERATIONS 6000L
#define NMAX 3000u

static int encode(int c, test_rng *r, const uint16_t *x, size_t n, uint16_t *res, uint8_t *buf,
                  size_t *len)
{
    switch (c) {
    case 0: return n1c_range_encode(x, n, 0, buf, n1c_range_bound(n), len);
    case 1: return n1c_range_encode(x, n, 1, buf, n1c_range_bound(n), len);
    case 2: return n1c_rans_encode(x, n, buf, n1c_rans_bound(n) + 1, len);
    case 3: return n1c_rice_encode(x, n, buf, n1c_rice_bound(n), len);
    case 4: return n1c_adc_encode(x, n, res, buf, N1C_ADC_SIDE_MAX, len);
    case 5: {
        int order = 1 + (int)(rng_next(r) % 32u), precision = 2 + (int)(rng_next(r) % 14u);
        return n1c_lpc_encode(x, res, n, 500, order, precision, buf, n1c_lpc_side_bound(n, 500), len);
    }
    default: return n1c_fixed_encode(x, res, n, 100, buf, n1c_fixed_side_size(n, 100) + 1, len);
    }
}

static int decode(int c, const uint8_t *bad, size_t blen, const uint16_t *res, uint16_t *y, size_t m)
{
    size_t used = 0;
    switch (c) {
    case 0: return n1c_range_decode(bad, blen, 0, y, m);
    case 1: return n1c_range_decode(bad, blen, 1, y, m);
    case 2: return n1c_rans_decode(bad, blen, y, m);
    case 3: return n1c_rice_decode(bad, blen, y, m);
    case 4: return n1c_adc_decode(bad, blen, &used, res, y, m);
    case 5: return n1c_lpc_decode(bad, blen, &used, res, y, m, 500);
    default: return n1c_fixed_decode(bad, blen, res, y, m, 100);
    }
}

int main(void)
{
    test_rng r = {12345};
    size_t cap = n1c_range_bound(NMAX) + N1C_ADC_SIDE_MAX;
    uint16_t *x = malloc(NMAX * 2), *y = malloc(NMAX * 2), *res = malloc(NMAX * 2);
    uint8_t *buf = malloc(cap), *bad = malloc(cap);
    long ok = 0, err = 0;
    for (long it = 0; it < ITERATIONS; it++) {
        size_t n = rng_next(&r) % NMAX, len = 0;
        make_signal((int)(rng_next(&r) % SIG_COUNT), x, n, (uint64_t)it);
        int c = (int)(rng_next(&r) % 7u);
        int st = encode(c, &r, x, n, res, buf, &len);
        CHECK(st == N1_OK);
        if (st != N1_OK) continue;
        /* damage: trailing garbage, flipped bytes, truncation */
        size_t blen = len + ((rng_next(&r) % 3u == 0) ? rng_next(&r) % 8u : 0u);
        memcpy(bad, buf, len);
        for (size_t i = len; i < blen; i++) bad[i] = (uint8_t)rng_next(&r);
        unsigned flips = rng_next(&r) % 5u;
        for (unsigned f = 0; f < flips && blen; f++) bad[rng_next(&r) % blen] ^= (uint8_t)(1u + rng_next(&r) % 255u);
        if (rng_next(&r) % 4u == 0 && blen) blen = rng_next(&r) % blen;
        /* sometimes the wrong symbol count, and arbitrary codes for the stages */
        size_t m = (rng_next(&r) % 5u == 0) ? rng_next(&r) % NMAX : n;
        for (size_t i = 0; i < m; i++) res[i] = (uint16_t)(rng_next(&r) % 64u);
        st = decode(c, bad, blen, res, y, m);
        CHECK(st == N1_OK || st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
        if (st == N1_OK) ok++;
        else err++;
    }
    CHECK(ok > 0 && err > 0);
    free(x);
    free(y);
    free(res);
    free(buf);
    free(bad);
    return test_report("test_fuzz_adaptive");
}
