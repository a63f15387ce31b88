/*
 * symbols.h -- the shared symbol mapping of the adaptive entropy coders
 * (range coder, rANS): zigzag folding of int16 residuals and a small alphabet
 * of magnitude buckets with raw low bits.
 *
 * Zigzag: a uint16 word w is read as the int16 value v and folded to
 * z = 2v (v >= 0) or -2v-1 (v < 0), a bijection on 0..65535, so small
 * residuals of either sign become small codes. n1_unzigzag16 inverts it.
 *
 * Buckets: z < N1_SYM_DIRECT is its own bucket with no extra bits. Larger z
 * with bit length L (6..16) goes to bucket
 *     N1_SYM_DIRECT + (L - 6) * 4 + (the two bits below the leading one)
 * followed by L - 3 raw low bits. The alphabet has N1_SYM_COUNT (76) buckets,
 * so adaptive models scan at most 76 entries, never a 65536-entry table.
 *
 * Everything is static inline and pure: no state, cannot fail.
 */
#ifndef N1_ENTROPY_SYMBOLS_H
#define N1_ENTROPY_SYMBOLS_H

#include <stdint.h>

#define N1_SYM_DIRECT 32u
#define N1_SYM_COUNT (N1_SYM_DIRECT + 11u * 4u)
#define N1_SYM_MAX_EXTRA 13u

static inline uint16_t n1_zigzag16(uint16_t w)
{
    /* (w << 1) ^ (all ones when the int16 sign bit is set) */
    return (uint16_t)((uint16_t)(w << 1) ^ (uint16_t)(0u - (uint16_t)(w >> 15)));
}

static inline uint16_t n1_unzigzag16(uint16_t z)
{
    return (uint16_t)((z >> 1) ^ (uint16_t)(0u - (uint16_t)(z & 1u)));
}

static inline unsigned n1_bitlen16(unsigned z)
{
    unsigned L = 0;
    while (z) {
        L++;
        z >>= 1;
    }
    return L;
}

/* Splits z into a bucket, its number of extra bits and their value. */
static inline unsigned n1_sym_split(unsigned z, unsigned *nextra, unsigned *extra)
{
    if (z < N1_SYM_DIRECT) {
        *nextra = 0;
        *extra = 0;
        return z;
    }
    unsigned L = n1_bitlen16(z);
    unsigned nb = L - 3u;
    *nextra = nb;
    *extra = z & ((1u << nb) - 1u);
    return N1_SYM_DIRECT + (L - 6u) * 4u + ((z >> nb) & 3u);
}

/* Extra bits that follow bucket s (s < N1_SYM_COUNT). */
static inline unsigned n1_sym_nextra(unsigned s)
{
    return (s < N1_SYM_DIRECT) ? 0u : (s - N1_SYM_DIRECT) / 4u + 3u;
}

/* Rebuilds z from bucket s (s < N1_SYM_COUNT) and its extra bits. */
static inline unsigned n1_sym_join(unsigned s, unsigned extra)
{
    if (s < N1_SYM_DIRECT) return s;
    unsigned idx = s - N1_SYM_DIRECT;
    unsigned nb = idx / 4u + 3u;
    return ((4u | (idx & 3u)) << nb) | extra;
}

#endif
