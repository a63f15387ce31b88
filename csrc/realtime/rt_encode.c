/*
 * rt_encode.c -- the real-time encoder: model the frame forwards, queue its
 * rANS symbols, code them backwards into one packet (contract in rt.h).
 */
#include <string.h>
#include "rt_model.h"
#include "rt_packet.h"
#include "../common/crc32.h"
#include "../common/status.h"

#define RT_ALIGN(n) (((n) + 15u) & ~(size_t)15u)
#define RT_SYMS_PER_VALUE 3 /* main symbol + up to two uniform symbols */

size_t n1c_rt_encoder_size(const n1c_rt_config *c)
{
    if (n1c_rt_config_check(c) != N1_OK) return 0;
    size_t values = (size_t)c->channels * c->frame_samples;
    return RT_ALIGN(sizeof(n1c_rt_encoder)) + RT_ALIGN(c->channels * sizeof(n1c_rt_channel)) +
           RT_ALIGN(RT_SYMS_PER_VALUE * values * sizeof(uint32_t)) +
           RT_ALIGN(RT_SYMS_PER_VALUE * values * sizeof(uint16_t));
}

int n1c_rt_encoder_init(n1c_rt_encoder *e, size_t mem_size, const n1c_rt_config *c,
                      const n1c_rt_tables *t)
{
    if (!e || !t || n1c_rt_config_check(c) != N1_OK) return N1_ERR_INVALID_ARG;
    if (mem_size < n1c_rt_encoder_size(c)) return N1_ERR_INVALID_ARG;
    if (t->map.kind != c->adc_kind || t->map.bits != (c->adc_kind ? c->adc_bits : 16))
        return N1_ERR_INVALID_ARG;
    size_t values = (size_t)c->channels * c->frame_samples;
    uint8_t *base = (uint8_t *)e;
    size_t off = RT_ALIGN(sizeof(n1c_rt_encoder));
    e->cfg = *c;
    e->t = t;
    e->frame = 0;
    e->tag = n1c_rt_config_tag(c);
    e->ch = (n1c_rt_channel *)(base + off);
    off += RT_ALIGN(c->channels * sizeof(n1c_rt_channel));
    e->syms = (uint32_t *)(base + off);
    off += RT_ALIGN(RT_SYMS_PER_VALUE * values * sizeof(uint32_t));
    e->words = (uint16_t *)(base + off);
    for (uint32_t i = 0; i < c->channels; i++) rt_channel_reset(&e->ch[i], (int)c->predictor);
    return N1_OK;
}

uint32_t n1c_rt_encoder_frame(const n1c_rt_encoder *e)
{
    return e->frame;
}

static inline uint32_t rt_sym(uint32_t start, uint32_t freq)
{
    return start | freq << 16;
}

/* Queue the low `bits` (0..16) bits of v as uniform symbols of at most 8 bits. */
static inline size_t push_uniform(uint32_t *syms, size_t n, uint32_t v, int bits)
{
    while (bits > 0) {
        int nb = bits > 8 ? 8 : bits;
        bits -= nb;
        uint32_t part = (v >> bits) & ((1u << nb) - 1u);
        syms[n++] = rt_sym(part << (N1C_RT_PROB_BITS - nb), 1u << (N1C_RT_PROB_BITS - nb));
    }
    return n;
}

/* floor(r / 2^k) without relying on the sign behaviour of >>. */
static inline int32_t floor_shift(int32_t r, int k)
{
    return r >= 0 ? r >> k : -(int32_t)(((uint32_t)(-r) + (1u << k) - 1u) >> k);
}

/* Queue the symbols of sample v under context cx; returns the new count and
 * sets *code to the code the model continues from. */
static inline size_t code_sample(const n1c_rt_tables *t, const rt_ctx *cx, int16_t v,
                                 uint32_t *syms, size_t n, int32_t *code)
{
    int identity = t->map.kind == N1_ADC_IDENTITY;
    uint32_t c16 = identity ? (uint32_t)((int32_t)v + 32768)
                            : t->code_of[(uint16_t)((int32_t)v + 32768)];
    if (identity || c16 != RT_NO_CODE) {
        *code = (int32_t)c16;
        int32_t r = *code - cx->base;
        int32_t q = cx->k ? floor_shift(r, cx->k) : r;
        if (q >= -RT_R && q <= RT_R) {
            int s = q + RT_R;
            syms[n++] = rt_sym(cx->cum[s], (uint32_t)(cx->cum[s + 1] - cx->cum[s]));
            if (cx->k) n = push_uniform(syms, n, (uint32_t)(r - q * (1 << cx->k)), cx->k);
            return n;
        }
    } else {
        *code = rt_model_code(t, v);
    }
    /* escape: the raw sample follows */
    syms[n++] = rt_sym(cx->cum[RT_ESC], (uint32_t)(RT_M - cx->cum[RT_ESC]));
    return push_uniform(syms, n, (uint16_t)v, 16);
}

/* Model one sample of a channel (not its first after a reset) and queue its symbols. */
static inline size_t model_sample(const n1c_rt_tables *restrict t, n1c_rt_channel *restrict ch,
                                  int predictor, int16_t v, uint32_t *restrict syms, size_t n)
{
    rt_ctx cx;
    int32_t code;
    rt_context(t, ch, predictor, &cx);
    n = code_sample(t, &cx, v, syms, n, &code);
    rt_update(ch, predictor, code, &cx);
    return n;
}

/* First row of a resync frame: every channel starts from its reset state. */
static size_t model_first_row(const n1c_rt_tables *t, n1c_rt_channel *ch, const int16_t *row,
                              uint32_t channels, uint32_t *syms, size_t n)
{
    rt_ctx cx;
    rt_context_first(t, &cx);
    for (uint32_t i = 0; i < channels; i++) {
        int32_t code;
        n = code_sample(t, &cx, row[i], syms, n, &code);
        ch[i].prev = code;
    }
    return n;
}

/* rANS over syms[0..n) backwards; returns the word count, *state the final state. */
static size_t rans_code(const uint32_t *syms, size_t n, uint16_t *words, uint32_t *state)
{
    uint32_t x = RT_L;
    size_t nw = 0;
    for (size_t i = n; i-- > 0;) {
        uint32_t f = syms[i] >> 16, start = syms[i] & 0xFFFFu;
        if ((uint64_t)x >= (uint64_t)f << (32 - N1C_RT_PROB_BITS)) {
            words[nw++] = (uint16_t)x;
            x >>= 16;
        }
        x = ((x / f) << N1C_RT_PROB_BITS) + (x % f) + start;
    }
    *state = x;
    return nw;
}

static void write_payload_coded(uint8_t *p, uint32_t state, const uint16_t *words, size_t nw)
{
    rt_put32(p, state);
    p += 4;
    for (size_t i = nw; i-- > 0; p += 2) {
        p[0] = (uint8_t)words[i];
        p[1] = (uint8_t)(words[i] >> 8);
    }
}

static void write_payload_raw(uint8_t *p, const int16_t *frame, size_t values)
{
    for (size_t i = 0; i < values; i++) {
        uint16_t u = (uint16_t)frame[i];
        p[2 * i] = (uint8_t)u;
        p[2 * i + 1] = (uint8_t)(u >> 8);
    }
}

int n1c_rt_encode_frame(n1c_rt_encoder *e, const int16_t *frame, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    if (!e || !frame || !out || !out_len) return N1_ERR_INVALID_ARG;
    const n1c_rt_config *c = &e->cfg;
    size_t values = (size_t)c->channels * c->frame_samples;
    if (cap < n1c_rt_packet_bound(c)) return N1_ERR_OUTPUT_FULL;
    int resync = e->frame % c->resync_interval == 0;
    if (resync)
        for (uint32_t i = 0; i < c->channels; i++) rt_channel_reset(&e->ch[i], (int)c->predictor);
    /* time major, the order of the frame: neighbouring symbols belong to
     * different channels, so their model updates do not wait on each other */
    size_t n = 0;
    uint32_t j = 0;
    if (resync) n = model_first_row(e->t, e->ch, frame, c->channels, e->syms, n), j = 1;
    for (; j < c->frame_samples; j++) {
        const int16_t *row = frame + (size_t)j * c->channels;
        for (uint32_t i = 0; i < c->channels; i++)
            n = model_sample(e->t, &e->ch[i], (int)c->predictor, row[i], e->syms, n);
    }
    for (uint32_t i = 0; i < c->channels; i++) rt_frame_done(&e->ch[i]);
    uint32_t state;
    size_t nw = rans_code(e->syms, n, e->words, &state);
    size_t coded_len = 4 + 2 * nw;
    int raw = coded_len >= 2 * values;
    uint32_t payload_len = (uint32_t)(raw ? 2 * values : coded_len);
    uint8_t tag = (uint8_t)(N1C_RT_VERSION | (resync ? RT_TAG_RESYNC : 0) | (raw ? RT_TAG_RAW : 0));
    size_t h = rt_write_header(out, tag, e->tag, e->frame, payload_len);
    if (raw) write_payload_raw(out + h, frame, values);
    else write_payload_coded(out + h, state, e->words, nw);
    size_t len = h + payload_len;
    rt_put32(out + len, n1_crc32(0, out, len));
    *out_len = len + N1C_RT_TRAILER;
    e->frame++;
    return N1_OK;
}
