/*
 * n1_rans.c -- see n1_rans.h. State x lives in [2^31, 2^63); renormalisation
 * moves 32 bits at a time, so a symbol of frequency f emits a word exactly when
 * x >= f * 2^39 before encoding it.
 */
#include "n1_rans.h"

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

int n1_rans_flush(const uint64_t *syms, size_t n, uint8_t *lo, uint8_t *hi, uint8_t **start)
{
    uint64_t x = N1_RANS_L;
    uint8_t *p = hi;
    size_t i = n;
    while (i-- > 0) {
        uint32_t cum = (uint32_t)(syms[i] >> 32), freq = (uint32_t)syms[i];
        if (x >= ((uint64_t)freq << 39)) {
            if (p - lo < 4) return N1_ERR_OUTPUT_FULL;
            p -= 4;
            put32(p, (uint32_t)x);
            x >>= 32;
        }
        x = ((x / freq) << 24) + (x % freq) + cum;
    }
    if (p - lo < 8) return N1_ERR_OUTPUT_FULL;
    p -= 8;
    put32(p, (uint32_t)x);
    put32(p + 4, (uint32_t)(x >> 32));
    *start = p;
    return N1_OK;
}

int n1_rans_dec_init(n1_rans_dec *d, const uint8_t *buf, size_t len)
{
    if (len < 8) return N1_ERR_TRUNCATED;
    if (len % 4 != 0) return N1_ERR_CORRUPT;
    uint64_t lo = (uint64_t)buf[0] | ((uint64_t)buf[1] << 8) | ((uint64_t)buf[2] << 16) | ((uint64_t)buf[3] << 24);
    uint64_t hi = (uint64_t)buf[4] | ((uint64_t)buf[5] << 8) | ((uint64_t)buf[6] << 16) | ((uint64_t)buf[7] << 24);
    d->x = lo | (hi << 32);
    if (d->x < N1_RANS_L || d->x >= ((uint64_t)1 << 63)) return N1_ERR_CORRUPT;
    d->p = buf + 8;
    d->end = buf + len;
    d->bad = 0;
    return N1_OK;
}

int n1_rans_dec_done(const n1_rans_dec *d)
{
    if (d->bad) return N1_ERR_TRUNCATED;
    if (d->p != d->end || d->x != N1_RANS_L) return N1_ERR_CORRUPT;
    return N1_OK;
}
