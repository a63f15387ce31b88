/*
 * n1_gauss.c -- integer reciprocal-square-root table for n1_scale_from_var().
 *
 * Contract: n1_rsqrt_init(t) writes N1_RSQRT_SIZE entries, t[i] =
 * floor(2^30 / sqrt(1024 + i)), computed as floor(sqrt(floor(2^60 / m))) with an
 * exact integer square root (no floating point: identical on every platform).
 */
#include "n1_gauss.h"

static uint64_t isqrt64(uint64_t x)
{
    uint64_t r = 0, bit = (uint64_t)1 << 62;
    while (bit > x) bit >>= 2;
    while (bit) {
        if (x >= r + bit) { x -= r + bit; r = (r >> 1) + bit; }
        else r >>= 1;
        bit >>= 2;
    }
    return r;
}

void n1_rsqrt_init(uint32_t *t)
{
    for (unsigned i = 0; i < N1_RSQRT_SIZE; i++) {
        uint64_t m = 1024u + i;
        t[i] = (uint32_t)isqrt64(((uint64_t)1 << 60) / m);
    }
}
