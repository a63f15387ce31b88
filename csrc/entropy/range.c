/* range.c -- adaptive order-0/order-1 range coder over bucketed uint16 symbols (see range.h). */
#include "range.h"

#include <stdlib.h>
#include "common/status.h"
#include "symbols.h"

#define RC_TOP (1u << 24)
#define MODEL_INC 16u             /* slow adaptation measured best on neural data */
#define MODEL_LIMIT (1u << 16)    /* totals stay <= 2^16 so range / total >= 256 */
/* Order-1 context: the bit length of the previous bucket (0..7), which groups
 * buckets of similar magnitude and learns faster than 76 separate contexts. */
#define CTX_COUNT 8u
#define CTX_OF(s) (n1_bitlen16(s))

/* ---- adaptive frequency model over the N1_SYM_COUNT buckets ---- */

typedef struct rc_model {
    uint32_t total;
    uint16_t freq[N1_SYM_COUNT];
} rc_model;

static void model_init(rc_model *m)
{
    for (unsigned s = 0; s < N1_SYM_COUNT; s++) m->freq[s] = 1;
    m->total = N1_SYM_COUNT;
}

static void model_update(rc_model *m, unsigned s)
{
    m->freq[s] = (uint16_t)(m->freq[s] + MODEL_INC);
    m->total += MODEL_INC;
    if (m->total > MODEL_LIMIT) {
        uint32_t t = 0;
        for (unsigned i = 0; i < N1_SYM_COUNT; i++) {
            m->freq[i] = (uint16_t)((m->freq[i] + 1u) >> 1);
            t += m->freq[i];
        }
        m->total = t;
    }
}

/* ---- encoder ---- */

typedef struct rc_enc {
    uint8_t *out;
    size_t cap, pos;
    int overflow;
    int skip_first;     /* the first byte is always zero and is not stored */
    uint64_t low;
    uint32_t range;
    uint8_t cache;
    uint64_t pending;   /* cache byte plus the 0xFF bytes waiting for a carry */
} rc_enc;

static void enc_put(rc_enc *e, unsigned byte)
{
    if (e->skip_first) {
        e->skip_first = 0;
        return;
    }
    if (e->pos >= e->cap) {
        e->overflow = 1;
        return;
    }
    e->out[e->pos++] = (uint8_t)byte;
}

static void enc_shift_low(rc_enc *e)
{
    if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32) != 0) {
        unsigned carry = (unsigned)(e->low >> 32);
        unsigned b = e->cache;
        do {
            enc_put(e, (b + carry) & 0xFFu);
            b = 0xFF;
        } while (--e->pending != 0);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->pending++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

static void enc_code(rc_enc *e, uint32_t start, uint32_t size, uint32_t total)
{
    uint32_t r = e->range / total;
    e->low += (uint64_t)r * start;
    e->range = r * size;
    while (e->range < RC_TOP) {
        e->range <<= 8;
        enc_shift_low(e);
    }
}

/* Adaptive binary models for the extra bits: probability of a 0 in 1/4096. */
#define BIT_PROB_BITS 12u
#define BIT_MOVE 5u
#define PB 2u  /* context bits of history inside a symbol's extra bits */
#define BIT_CTX (N1_SYM_COUNT * N1_SYM_MAX_EXTRA << PB)

static inline unsigned bit_ctx(unsigned s, unsigned b, unsigned prev2)
{
    return ((s * N1_SYM_MAX_EXTRA + b) << PB) + prev2;
}

static void enc_bit(rc_enc *e, uint16_t *p, unsigned bit)
{
    uint32_t bound = (e->range >> BIT_PROB_BITS) * *p;
    if (!bit) {
        e->range = bound;
        *p = (uint16_t)(*p + (((1u << BIT_PROB_BITS) - *p) >> BIT_MOVE));
    } else {
        e->low += bound;
        e->range -= bound;
        *p = (uint16_t)(*p - (*p >> BIT_MOVE));
    }
    while (e->range < RC_TOP) {
        e->range <<= 8;
        enc_shift_low(e);
    }
}

/* The nbits extra bits of bucket s, most significant first; each bit's model
 * is chosen by the bucket, the bit's position and the two bits before it. */
static void enc_extra(rc_enc *e, uint16_t *probs, unsigned s, unsigned value, unsigned nbits)
{
    unsigned prev2 = 0;
    for (unsigned b = nbits; b-- > 0;) {
        unsigned bit = (value >> b) & 1u;
        enc_bit(e, &probs[bit_ctx(s, b, prev2)], bit);
        prev2 = ((prev2 << 1) | bit) & ((1u << PB) - 1u);
    }
}

static void enc_symbol(rc_enc *e, rc_model *m, unsigned s)
{
    uint32_t start = 0;
    for (unsigned i = 0; i < s; i++) start += m->freq[i];
    enc_code(e, start, m->freq[s], m->total);
    model_update(m, s);
}

/* ---- decoder ---- */

typedef struct rc_dec {
    const uint8_t *in;
    size_t len, pos;    /* pos may pass len: missing bytes read as zero */
    uint32_t range, code;
    int corrupt;
} rc_dec;

static unsigned dec_byte(rc_dec *d)
{
    unsigned b = (d->pos < d->len) ? d->in[d->pos] : 0u;
    d->pos++;
    return b;
}

static void dec_normalize(rc_dec *d)
{
    while (d->range < RC_TOP) {
        d->range <<= 8;
        d->code = (d->code << 8) | dec_byte(d);
    }
}

static unsigned dec_symbol(rc_dec *d, rc_model *m)
{
    uint32_t r = d->range / m->total;
    uint32_t v = d->code / r;
    if (v >= m->total) {
        d->corrupt = 1;
        v = m->total - 1;
    }
    unsigned s = 0;
    uint32_t start = 0;
    while (start + m->freq[s] <= v) {
        start += m->freq[s];
        s++;
    }
    d->code -= r * start;
    d->range = r * m->freq[s];
    dec_normalize(d);
    model_update(m, s);
    return s;
}

static unsigned dec_bit(rc_dec *d, uint16_t *p)
{
    uint32_t bound = (d->range >> BIT_PROB_BITS) * *p;
    unsigned bit;
    if (d->code < bound) {
        d->range = bound;
        *p = (uint16_t)(*p + (((1u << BIT_PROB_BITS) - *p) >> BIT_MOVE));
        bit = 0;
    } else {
        d->code -= bound;
        d->range -= bound;
        *p = (uint16_t)(*p - (*p >> BIT_MOVE));
        bit = 1;
    }
    dec_normalize(d);
    return bit;
}

static unsigned dec_extra(rc_dec *d, uint16_t *probs, unsigned s, unsigned nbits)
{
    unsigned prev2 = 0, value = 0;
    for (unsigned b = nbits; b-- > 0;) {
        unsigned bit = dec_bit(d, &probs[bit_ctx(s, b, prev2)]);
        value = (value << 1) | bit;
        prev2 = ((prev2 << 1) | bit) & ((1u << PB) - 1u);
    }
    return value;
}

/* ---- public API ---- */

size_t n1c_range_bound(size_t n)
{
    /* Worst case per symbol: a bucket at the smallest frequency (< 17 bits) and
     * 13 low bits at the most skewed binary probability (31/4096: < 7.1 bits each). */
    return n * 14u + 16u;
}

static rc_model *alloc_models(int order, rc_model *one)
{
    if (order == 0) {
        model_init(one);
        return one;
    }
    rc_model *ms = (rc_model *)malloc(sizeof(rc_model) * CTX_COUNT);
    if (!ms) return NULL;
    for (unsigned c = 0; c < CTX_COUNT; c++) model_init(&ms[c]);
    return ms;
}

int n1c_range_encode(const uint16_t *in, size_t n, int order, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    if (order != 0 && order != 1) return N1_ERR_INVALID_ARG;
    if (n > 0 && !in) return N1_ERR_INVALID_ARG;
    rc_model one;
    rc_model *models = alloc_models(order, &one);
    if (!models) return N1_ERR_NOMEM;
    uint16_t probs[BIT_CTX];
    for (unsigned c = 0; c < BIT_CTX; c++) probs[c] = 1u << (BIT_PROB_BITS - 1u);

    rc_enc e = {out, cap, 0, 0, 1, 0, 0xFFFFFFFFu, 0, 1};
    unsigned ctx = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned nextra, extra;
        unsigned s = n1_sym_split(n1_zigzag16(in[i]), &nextra, &extra);
        enc_symbol(&e, &models[ctx], s);
        if (nextra) enc_extra(&e, probs, s, extra, nextra);
        if (order == 1) ctx = CTX_OF(s);
        if (e.overflow) break;
    }
    for (int k = 0; k < 5; k++) enc_shift_low(&e);

    if (models != &one) free(models);
    if (e.overflow) return N1_ERR_OUTPUT_FULL;
    *out_len = e.pos;
    return N1_OK;
}

int n1c_range_decode(const uint8_t *in, size_t len, int order, uint16_t *out, size_t n)
{
    if (order != 0 && order != 1) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    if (!in && len) return N1_ERR_INVALID_ARG;
    rc_model one;
    rc_model *models = alloc_models(order, &one);
    if (!models) return N1_ERR_NOMEM;
    uint16_t probs[BIT_CTX];
    for (unsigned c = 0; c < BIT_CTX; c++) probs[c] = 1u << (BIT_PROB_BITS - 1u);

    rc_dec d = {in, len, 0, 0xFFFFFFFFu, 0, 0};
    for (int k = 0; k < 4; k++) d.code = (d.code << 8) | dec_byte(&d);

    int status = N1_OK;
    unsigned ctx = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned s = dec_symbol(&d, &models[ctx]);
        unsigned nextra = n1_sym_nextra(s);
        unsigned extra = nextra ? dec_extra(&d, probs, s, nextra) : 0u;
        out[i] = n1_unzigzag16((uint16_t)n1_sym_join(s, extra));
        if (order == 1) ctx = CTX_OF(s);
        if ((i & 1023u) == 0 && (d.corrupt || d.pos > len + 8u)) break;
    }
    if (d.corrupt) status = N1_ERR_CORRUPT;
    else if (d.pos > len) status = N1_ERR_TRUNCATED;

    if (models != &one) free(models);
    return status;
}
