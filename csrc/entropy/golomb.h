/*
 * golomb.h -- adaptive Rice (Golomb power-of-two) codes on a bit stream,
 * shared by the Rice coder and the side info of the predictors.
 *
 * Code for a value v in 0..65535 with parameter k (0..15): q = v >> k; when
 * q < N1C_RICE_QMAX it is q one-bits, a zero bit and the k low bits of v;
 * otherwise N1C_RICE_QMAX one-bits followed by v in 16 raw bits (an escape,
 * so no code is longer than N1C_RICE_QMAX + 16 bits).
 *
 * Adaptation (LOCO-I style, integer only): the state keeps a decaying sum of
 * recent values and their count; k is the smallest k with
 * 16 * count << k >= 9 * sum (k ~ log2 of 0.56 x the mean, measured best on
 * Laplacian-like residuals). Both halve when count reaches N1C_RICE_WINDOW.
 *
 * n1c_rice_get() never reads past the reader's buffer (bitio.h: missing bits
 * read as zero); callers check n1_br_overrun() for truncation. Static inline,
 * no global state, cannot fail.
 */
#ifndef N1_ENTROPY_GOLOMB_H
#define N1_ENTROPY_GOLOMB_H

#include <stdint.h>
#include "common/bitio.h"

#define N1C_RICE_QMAX 20u
#define N1C_RICE_WINDOW 128u

typedef struct n1c_rice_state {
    uint32_t sum;
    uint32_t count;
} n1c_rice_state;

static inline void n1c_rice_init(n1c_rice_state *s, uint32_t mean)
{
    s->sum = mean * 2u;
    s->count = 2;
}

static inline unsigned n1c_rice_k(const n1c_rice_state *s)
{
    unsigned k = 0;
    /* count <= N1C_RICE_WINDOW and sum <= N1C_RICE_WINDOW * 65535: no overflow. */
    while (k < 15u && ((s->count * 16u) << k) < s->sum * 9u) k++;
    return k;
}

static inline void n1c_rice_update(n1c_rice_state *s, uint32_t v)
{
    s->sum += v;
    s->count++;
    if (s->count >= N1C_RICE_WINDOW) {
        s->sum >>= 1;
        s->count >>= 1;
    }
}

/* Length in bits of the code for v with parameter k. */
static inline unsigned n1c_rice_len(uint32_t v, unsigned k)
{
    uint32_t q = v >> k;
    return q < N1C_RICE_QMAX ? (unsigned)q + 1u + k : N1C_RICE_QMAX + 16u;
}

static inline void n1c_rice_put(n1_bitwriter *w, uint32_t v, unsigned k)
{
    uint32_t q = v >> k;
    if (q < N1C_RICE_QMAX) {
        /* q ones then a zero, then k low bits (q + 1 <= 20 bits). */
        n1_bw_put(w, ((1u << q) - 1u) << 1, (unsigned)q + 1u);
        if (k) n1_bw_put(w, v & ((1u << k) - 1u), k);
    } else {
        n1_bw_put(w, (1u << N1C_RICE_QMAX) - 1u, N1C_RICE_QMAX);
        n1_bw_put(w, v & 0xFFFFu, 16);
    }
}

static inline uint32_t n1c_rice_get(n1_bitreader *r, unsigned k)
{
    uint32_t bits = n1_br_peek(r, N1C_RICE_QMAX);
    unsigned q = 0;
    while (q < N1C_RICE_QMAX && (bits >> (N1C_RICE_QMAX - 1u - q)) & 1u) q++;
    if (q < N1C_RICE_QMAX) {
        n1_br_skip(r, q + 1u);
        uint32_t low = k ? n1_br_get(r, k) : 0u;
        return ((uint32_t)q << k) | low;
    }
    n1_br_skip(r, N1C_RICE_QMAX);
    return n1_br_get(r, 16);
}

/* Elias-gamma code of v >= 1 (at most 2*32-1 bits; v <= 2^31 here). */
static inline void n1_gamma_put(n1_bitwriter *w, uint32_t v)
{
    unsigned L = 0;
    while ((v >> L) > 1u) L++;
    n1_bw_put(w, 0, L);
    n1_bw_put(w, v, L + 1u);
}

/* Reads an Elias-gamma value; lengths past maxbits give 0 (invalid). */
static inline uint32_t n1_gamma_get(n1_bitreader *r, unsigned maxbits)
{
    unsigned L = 0;
    while (L < maxbits && n1_br_peek(r, 1) == 0u) {
        n1_br_skip(r, 1);
        L++;
    }
    if (L >= maxbits) return 0;
    return n1_br_get(r, L + 1u);
}

#endif
