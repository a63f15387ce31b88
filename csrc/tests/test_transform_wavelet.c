/* test_transform_wavelet.c -- 5/3 lifting: exact inverse for any length, levels, extremes. */
#include <stdlib.h>
#include <string.h>
#include "transform/wavelet53.h"
#include "common/status.h"
#include "test_util.h"

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

enum { N = 4099 };
static uint16_t x[N], y[N], tmp[N];

static int round_trip(size_t n, unsigned levels)
{
    memcpy(y, x, n * sizeof *x);
    return n1c_wavelet53_forward(y, n, levels, tmp) == N1_OK &&
           n1c_wavelet53_inverse(y, n, levels, tmp) == N1_OK && memcmp(x, y, n * sizeof *x) == 0;
}

int main(void)
{
    uint32_t seed = 9;
    const size_t lengths[] = {0, 1, 2, 3, 4, 5, 17, 1000, 4097, N};
    for (int kind = 0; kind < 5; kind++) {
        for (size_t i = 0; i < N; i++) {
            switch (kind) {
            case 0: x[i] = (uint16_t)lcg(&seed); break;                       /* full-range noise */
            case 1: x[i] = (i & 1) ? 0x7fff : 0x8000; break;                  /* extremes alternating */
            case 2: x[i] = 1234; break;                                      /* constant */
            case 3: x[i] = (uint16_t)(int16_t)((int)(i % 97) * 300 - 14000); break;
            default: x[i] = (uint16_t)(int16_t)((int)(lcg(&seed) % 201) - 100); break;
            }
        }
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++)
            for (unsigned levels = 0; levels <= 14; levels += (levels < 4 ? 1 : 5))
                CHECK(round_trip(lengths[li], levels));
    }
    /* A linear ramp has zero detail coefficients away from the right edge. */
    for (size_t i = 0; i < 64; i++) x[i] = (uint16_t)(3 * i);
    memcpy(y, x, 64 * sizeof *x);
    CHECK(n1c_wavelet53_forward(y, 64, 1, tmp) == N1_OK);
    int zero = 1;
    for (size_t i = 32; i < 63; i++) zero &= y[i] == 0;
    CHECK(zero);
    /* A constant keeps its value in the approximation band at every level. */
    for (size_t i = 0; i < 100; i++) x[i] = 500;
    memcpy(y, x, 100 * sizeof *x);
    CHECK(n1c_wavelet53_forward(y, 100, 3, tmp) == N1_OK && y[0] == 500 && y[99] == 0);
    CHECK(n1c_wavelet53_forward(y, 100, N1C_WAVELET53_MAX_LEVELS + 1, tmp) == N1_ERR_INVALID_ARG);
    CHECK(n1c_wavelet53_inverse(y, 100, 40, tmp) == N1_ERR_INVALID_ARG);
    return test_report("test_transform_wavelet");
}
