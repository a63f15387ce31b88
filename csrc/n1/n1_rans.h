/*
 * n1_rans.h -- 64-bit rANS with 24-bit probabilities (the n1 codec's entropy coder).
 *
 * Encoder: symbols are queued as (cum, freq) pairs with 0 < freq, cum + freq <=
 * 2^24, and encoded in reverse by n1_rans_flush() into the END of a caller
 * buffer [lo, hi): the coded block is the bytes [*start, hi), a 64-bit
 * little-endian state followed by 32-bit little-endian words. Returns N1_OK or
 * N1_ERR_OUTPUT_FULL when it does not fit (nothing before lo is touched).
 * Each symbol costs at most one 32-bit word plus its information content.
 *
 * Decoder: n1_rans_dec_init() reads the state from a block of len bytes
 * (len >= 8 and a multiple of 4, else N1_ERR_CORRUPT / N1_ERR_TRUNCATED);
 * n1_rans_dec_slot() gives the current slot (0..2^24-1); n1_rans_dec_advance()
 * consumes the decoded symbol. Reads never go past the block: a missing word
 * sets `bad`. n1_rans_dec_done() checks that the block was consumed exactly and
 * the final state is the initial one (N1_OK or N1_ERR_CORRUPT).
 */
#ifndef N1_RANS_H
#define N1_RANS_H

#include <stddef.h>
#include <stdint.h>
#include "../common/status.h"

#define N1_RANS_L ((uint64_t)1 << 31)

int n1_rans_flush(const uint64_t *syms, size_t n, uint8_t *lo, uint8_t *hi, uint8_t **start);

typedef struct n1_rans_dec {
    uint64_t x;
    const uint8_t *p, *end;
    int bad;
} n1_rans_dec;

static inline uint64_t n1_rans_pack(uint32_t cum, uint32_t freq)
{
    return ((uint64_t)cum << 32) | freq;
}

int n1_rans_dec_init(n1_rans_dec *d, const uint8_t *buf, size_t len);

static inline uint32_t n1_rans_dec_slot(const n1_rans_dec *d)
{
    return (uint32_t)(d->x & ((1u << 24) - 1));
}

static inline void n1_rans_dec_advance(n1_rans_dec *d, uint32_t cum, uint32_t freq)
{
    d->x = (uint64_t)freq * (d->x >> 24) + (d->x & ((1u << 24) - 1)) - cum;
    if (d->x < N1_RANS_L) {
        if (d->end - d->p >= 4) {
            uint32_t w = (uint32_t)d->p[0] | ((uint32_t)d->p[1] << 8) |
                         ((uint32_t)d->p[2] << 16) | ((uint32_t)d->p[3] << 24);
            d->p += 4;
            d->x = (d->x << 32) | w;
        } else {
            d->bad = 1;
            d->x = N1_RANS_L; /* keep going with a valid state; the result is discarded */
        }
    }
}

int n1_rans_dec_done(const n1_rans_dec *d);

#endif
