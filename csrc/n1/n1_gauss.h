/*
 * n1_gauss.h -- fixed-point Gaussian CDF and square-root helpers for the n1 codec.
 *
 * n1_phi(z): z is a standard score in Q11 (z = 2048 means one sigma), any int64.
 *   Returns Phi(z) in Q30 (0 .. 2^30) by linear interpolation in n1_phi_table
 *   (step 1/64, range -8..+8, clamped outside). Non-decreasing in z, integer only,
 *   so encoder and decoder agree bit for bit on every platform.
 * n1_scale_from_var(v, &mul, &shift, &sigma): for a variance v (Q16, i.e. squared
 *   Q8 units, clamped to >= 1024) gives mul, shift such that
 *   ((int64)d * mul) >> shift ~= d / sqrt(v) in Q11 for d in Q8, and
 *   sigma ~= sqrt(v) in Q8 (only used for the decoder's search guesses).
 * All tables are frozen constants in n1_gauss_table.c: no state, no allocation.
 */
#ifndef N1_GAUSS_H
#define N1_GAUSS_H

#include <stdint.h>

#define N1_PHI_SIZE 1025
#define N1_PHI_ONE (1u << 30)
#define N1_RSQRT_SIZE 3072

extern const uint32_t n1_phi_table[N1_PHI_SIZE];
extern const int32_t n1_invphi[1024];
extern const uint32_t n1_rsqrt[N1_RSQRT_SIZE];
extern const uint32_t n1_sqrt[N1_RSQRT_SIZE];

static inline uint32_t n1_phi(int64_t z)
{
    int64_t i = (z >> 5) + 512;  /* arithmetic shift: floor division by 32 */
    if (i < 0) return 0;
    if (i >= N1_PHI_SIZE - 1) return N1_PHI_ONE;
    uint32_t a = n1_phi_table[i], b = n1_phi_table[i + 1];
    return a + (uint32_t)(((uint64_t)(b - a) * (uint64_t)(z & 31)) >> 5);
}


static inline unsigned n1_bitlen64(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
#else
    unsigned n = 0;
    while (v >= 65536u) { v >>= 16; n += 16; }
    while (v) { v >>= 1; n++; }
    return n;
#endif
}

/* v: variance in Q16 (Q8 units squared). Outputs mul, shift for the z computation
 * and sigma ~= sqrt(v) in Q8 (a guess for the decoder's search). */
static inline void n1_scale_from_var(uint64_t v, uint32_t *mul, unsigned *shift, int64_t *sigma)
{
    if (v < 1024u) v = 1024u;
    unsigned n = n1_bitlen64(v);          /* v in [2^(n-1), 2^n) */
    unsigned sh = n > 12 ? ((n - 11) & ~1u) : 0;
    uint64_t m = v >> sh;                 /* m in [1024, 4096) */
    if (m >= 4096u) { sh += 2; m >>= 2; }
    *mul = n1_rsqrt[m - 1024u];
    *shift = 19u + sh / 2u;
    *sigma = (int64_t)(((uint64_t)n1_sqrt[m - 1024u] << (sh / 2u)) >> 10);
}

#endif
