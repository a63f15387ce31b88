/*
 * bitio.h -- MSB-first bit writer and reader over caller-owned byte buffers.
 *
 * Writer contract: n1_bw_init(w, buf, cap) writes at most cap bytes into buf.
 * n1_bw_put(w, value, nbits) appends the low nbits (0..32) of value, most
 * significant bit first. Running out of room never writes past cap: it sets an
 * overflow flag, and n1_bw_finish() then returns N1_ERR_OUTPUT_FULL. On success
 * n1_bw_finish() pads the last byte with zero bits and stores the byte count.
 *
 * Reader contract: n1_br_init(r, buf, len) reads at most len bytes of buf.
 * n1_br_peek(r, nbits) / n1_br_skip / n1_br_get take nbits in 1..32. Reading
 * past the end never touches memory beyond buf+len: missing bits read as zero
 * and are counted, so a decoder checks n1_br_overrun() once at the end (and may
 * check it inside long loops) and reports N1_ERR_TRUNCATED.
 *
 * Both are plain structs on the caller's stack: no allocation, no global state.
 */
#ifndef N1_BITIO_H
#define N1_BITIO_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef struct n1_bitwriter {
    uint8_t *buf;
    size_t cap;
    size_t pos;       /* bytes written so far */
    uint64_t acc;     /* pending bits in the low `count` bits */
    unsigned count;   /* number of pending bits, < 32 between calls */
    int overflow;     /* set once a write did not fit */
} n1_bitwriter;

typedef struct n1_bitreader {
    const uint8_t *buf;
    size_t len;
    size_t pos;       /* bytes loaded into acc, including virtual zero bytes past len */
    uint64_t acc;     /* next bits, left-aligned (bit 63 is the next bit) */
    unsigned count;   /* valid bits in acc */
} n1_bitreader;

static inline void n1_bw_init(n1_bitwriter *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->pos = 0;
    w->acc = 0;
    w->count = 0;
    w->overflow = 0;
}

static inline void n1_bw_flush32(n1_bitwriter *w)
{
    if (w->cap - w->pos < 4 || w->pos > w->cap) {
        w->overflow = 1;
        w->count -= 32;  /* drop the bits: the result is unusable anyway */
        return;
    }
    uint32_t top = (uint32_t)(w->acc >> (w->count - 32));
    w->buf[w->pos] = (uint8_t)(top >> 24);
    w->buf[w->pos + 1] = (uint8_t)(top >> 16);
    w->buf[w->pos + 2] = (uint8_t)(top >> 8);
    w->buf[w->pos + 3] = (uint8_t)top;
    w->pos += 4;
    w->count -= 32;
}

static inline void n1_bw_put(n1_bitwriter *w, uint32_t value, unsigned nbits)
{
    if (nbits == 0) return;
    uint64_t mask = (nbits >= 32) ? 0xffffffffu : ((1u << nbits) - 1u);
    w->acc = (w->acc << nbits) | ((uint64_t)value & mask);
    w->count += nbits;
    if (w->count >= 32) n1_bw_flush32(w);
}

/* Bits written so far, including pending ones. */
static inline uint64_t n1_bw_bits(const n1_bitwriter *w)
{
    return (uint64_t)w->pos * 8u + w->count;
}

/* Pads to a byte boundary, flushes, and stores the total byte count. */
static inline int n1_bw_finish(n1_bitwriter *w, size_t *out_len)
{
    while (w->count > 0 && !w->overflow) {
        if (w->pos >= w->cap) {
            w->overflow = 1;
            break;
        }
        if (w->count >= 8) {
            w->buf[w->pos++] = (uint8_t)(w->acc >> (w->count - 8));
            w->count -= 8;
        } else {
            w->buf[w->pos++] = (uint8_t)(w->acc << (8 - w->count));
            w->count = 0;
        }
    }
    if (w->overflow) return N1_ERR_OUTPUT_FULL;
    *out_len = w->pos;
    return N1_OK;
}

static inline void n1_br_init(n1_bitreader *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->pos = 0;
    r->acc = 0;
    r->count = 0;
}

/* Tops acc up to at least 57 valid bits. */
static inline void n1_br_refill(n1_bitreader *r)
{
    while (r->count <= 56) {
        uint64_t byte = (r->pos < r->len) ? r->buf[r->pos] : 0;
        r->pos++;
        r->acc |= byte << (56 - r->count);
        r->count += 8;
    }
}

static inline uint32_t n1_br_peek(n1_bitreader *r, unsigned nbits)
{
    if (r->count < nbits) n1_br_refill(r);
    return (uint32_t)(r->acc >> (64 - nbits));
}

static inline void n1_br_skip(n1_bitreader *r, unsigned nbits)
{
    if (r->count < nbits) n1_br_refill(r);
    r->acc <<= nbits;
    r->count -= nbits;
}

static inline uint32_t n1_br_get(n1_bitreader *r, unsigned nbits)
{
    uint32_t v = n1_br_peek(r, nbits);
    n1_br_skip(r, nbits);
    return v;
}

/* Bits consumed so far (including any read past the end). */
static inline uint64_t n1_br_consumed(const n1_bitreader *r)
{
    return (uint64_t)r->pos * 8u - r->count;
}

/* Nonzero when more bits were consumed than the buffer holds. */
static inline int n1_br_overrun(const n1_bitreader *r)
{
    return n1_br_consumed(r) > (uint64_t)r->len * 8u;
}

#endif
