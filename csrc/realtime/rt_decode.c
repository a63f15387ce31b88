/*
 * rt_decode.c -- the real-time decoder: check a packet (framing, config byte,
 * CRC, frame counter), then decode it forwards with the same model as the
 * encoder (contract in rt.h).
 */
#include <string.h>
#include "rt_model.h"
#include "rt_packet.h"
#include "../common/crc32.h"
#include "../common/status.h"

#define RT_ALIGN(n) (((n) + 15u) & ~(size_t)15u)

size_t n1c_rt_decoder_size(const n1c_rt_config *c)
{
    if (n1c_rt_config_check(c) != N1_OK) return 0;
    return RT_ALIGN(sizeof(n1c_rt_decoder)) + RT_ALIGN(c->channels * sizeof(n1c_rt_channel));
}

int n1c_rt_decoder_init(n1c_rt_decoder *d, size_t mem_size, const n1c_rt_config *c,
                      const n1c_rt_tables *t)
{
    if (!d || !t || n1c_rt_config_check(c) != N1_OK) return N1_ERR_INVALID_ARG;
    if (mem_size < n1c_rt_decoder_size(c)) return N1_ERR_INVALID_ARG;
    if (t->map.kind != c->adc_kind || t->map.bits != (c->adc_kind ? c->adc_bits : 16))
        return N1_ERR_INVALID_ARG;
    d->cfg = *c;
    d->t = t;
    d->expected = 0;
    d->started = 0;
    d->synced = 0;
    d->tag = n1c_rt_config_tag(c);
    d->ch = (n1c_rt_channel *)((uint8_t *)d + RT_ALIGN(sizeof(n1c_rt_decoder)));
    for (uint32_t i = 0; i < c->channels; i++) rt_channel_reset(&d->ch[i], (int)d->cfg.predictor);
    return N1_OK;
}

/* Forward rANS reader over one packet's payload. */
typedef struct rt_reader {
    uint32_t x;
    const uint8_t *pos, *end;
    int bad;               /* a renormalisation ran past the payload */
} rt_reader;

static inline uint32_t rd_slot(const rt_reader *rd)
{
    return rd->x & (RT_M - 1);
}

static inline void rd_advance(rt_reader *rd, uint32_t start, uint32_t freq, uint32_t slot)
{
    uint32_t x = freq * (rd->x >> N1C_RT_PROB_BITS) + slot - start;
    if (x < RT_L) {
        if (rd->end - rd->pos < 2) {
            rd->bad = 1;
            x = RT_L; /* keep going harmlessly; the caller reports corruption */
        } else {
            x = x << 16 | (uint32_t)rd->pos[0] | (uint32_t)rd->pos[1] << 8;
            rd->pos += 2;
        }
    }
    rd->x = x;
}

/* The symbol whose interval holds the state's slot: start from the bucket's
 * guess and step up (cum[NSYM] = RT_M > slot stops the walk). */
static inline int rd_symbol(rt_reader *rd, const rt_ctx *cx)
{
    uint32_t slot = rd_slot(rd);
    const uint16_t *cum = cx->cum;
    int s = cx->guess[slot >> (N1C_RT_PROB_BITS - RT_GUESS_BITS)];
    while (cum[s + 1] <= slot) s++;
    rd_advance(rd, cum[s], (uint32_t)(cum[s + 1] - cum[s]), slot);
    return s;
}

static inline uint32_t rd_uniform(rt_reader *rd, int bits)
{
    uint32_t v = 0;
    while (bits > 0) {
        int nb = bits > 8 ? 8 : bits;
        bits -= nb;
        uint32_t slot = rd_slot(rd);
        uint32_t part = slot >> (N1C_RT_PROB_BITS - nb);
        rd_advance(rd, part << (N1C_RT_PROB_BITS - nb), 1u << (N1C_RT_PROB_BITS - nb), slot);
        v |= part << bits;
    }
    return v;
}

static inline int16_t rt_value(const n1c_rt_tables *t, int32_t code)
{
    return t->value_of[code];
}

/* Decode one sample under context cx into *v; *code is the model's code.
 * N1_ERR_CORRUPT when the code falls off the grid. */
static inline int decode_sample(const n1c_rt_tables *t, const rt_ctx *cx, rt_reader *rd,
                                int16_t *v, int32_t *code)
{
    int s = rd_symbol(rd, cx);
    if (s == RT_ESC) {
        *v = (int16_t)(uint16_t)rd_uniform(rd, 16);
        *code = rt_model_code(t, *v);
        return N1_OK;
    }
    int32_t r = s - RT_R;
    if (cx->k) r = r * (1 << cx->k) + (int32_t)rd_uniform(rd, cx->k);
    *code = cx->base + r;
    if (*code < 0 || *code >= t->map.ncodes) return N1_ERR_CORRUPT;
    *v = rt_value(t, *code);
    return N1_OK;
}

/* resync: the packet starts every channel from its reset state (row 0 holds
 * the first samples; the models are reset only there, so later rows never
 * meet a channel without a previous code). */
static int decode_coded(n1c_rt_decoder *d, const uint8_t *p, size_t n, int resync, int16_t *out)
{
    const n1c_rt_config *c = &d->cfg;
    const n1c_rt_tables *t = d->t;
    int predictor = (int)c->predictor;
    if (n < 4 || (n & 1u)) return N1_ERR_CORRUPT;
    rt_reader rd = {rt_get32(p), p + 4, p + n, 0};
    if (rd.x < RT_L) return N1_ERR_CORRUPT;
    uint32_t j = 0;
    if (resync) {
        rt_ctx cx;
        rt_context_first(t, &cx);
        for (uint32_t i = 0; i < c->channels; i++)
            if (decode_sample(t, &cx, &rd, &out[i], &d->ch[i].prev) != N1_OK) return N1_ERR_CORRUPT;
        j = 1;
    }
    for (; j < c->frame_samples; j++) { /* time major, as the encoder */
        int16_t *row = out + (size_t)j * c->channels;
        for (uint32_t i = 0; i < c->channels; i++) {
            n1c_rt_channel *ch = &d->ch[i];
            rt_ctx cx;
            int32_t code;
            rt_context(t, ch, predictor, &cx);
            if (decode_sample(t, &cx, &rd, &row[i], &code) != N1_OK) return N1_ERR_CORRUPT;
            rt_update(ch, predictor, code, &cx);
        }
    }
    for (uint32_t i = 0; i < c->channels; i++) rt_frame_done(&d->ch[i]);
    return !rd.bad && rd.pos == rd.end && rd.x == RT_L ? N1_OK : N1_ERR_CORRUPT;
}

/* A raw payload: copy the samples and run the models over them. */
static void decode_raw(n1c_rt_decoder *d, const uint8_t *p, int16_t *out)
{
    const n1c_rt_config *c = &d->cfg;
    size_t values = (size_t)c->channels * c->frame_samples;
    for (size_t at = 0; at < values; at++) { /* time major, as the encoder */
        n1c_rt_channel *ch = &d->ch[at % c->channels];
        int16_t v = (int16_t)(uint16_t)(p[2 * at] | p[2 * at + 1] << 8);
        out[at] = v;
        int32_t code = rt_model_code(d->t, v);
        if (ch->prev < 0) {
            ch->prev = code;
            continue;
        }
        rt_ctx cx;
        rt_context(d->t, ch, (int)c->predictor, &cx);
        rt_update(ch, (int)c->predictor, code, &cx);
    }
    for (uint32_t i = 0; i < c->channels; i++) rt_frame_done(&d->ch[i]);
}

/* Framing, config byte and CRC: N1_OK when the packet is intact. */
static int check_packet(const n1c_rt_decoder *d, const uint8_t *p, size_t len, rt_header *h)
{
    int st = rt_read_header(p, len, h);
    if (st != N1_OK) return st;
    size_t values = (size_t)d->cfg.channels * d->cfg.frame_samples;
    if (h->payload_len > 2 * values) return N1_ERR_CORRUPT;
    size_t total = h->header_len + h->payload_len + N1C_RT_TRAILER;
    if (len < total) return N1_ERR_TRUNCATED;
    if (len > total) return N1_ERR_CORRUPT;
    if (n1_crc32(0, p, total - N1C_RT_TRAILER) != rt_get32(p + total - N1C_RT_TRAILER))
        return N1_ERR_CORRUPT;
    if (h->config != d->tag) return N1_ERR_CORRUPT;
    int resync = (h->tag & RT_TAG_RESYNC) != 0;
    if (resync != (h->frame % d->cfg.resync_interval == 0)) return N1_ERR_CORRUPT;
    if ((h->tag & RT_TAG_RAW) && h->payload_len != 2 * values) return N1_ERR_CORRUPT;
    return N1_OK;
}

int n1c_rt_decode_packet(n1c_rt_decoder *d, const uint8_t *p, size_t len, int16_t *out,
                       n1c_rt_packet_info *info)
{
    if (!d || !p || !out || !info) return N1_ERR_INVALID_ARG;
    memset(info, 0, sizeof *info);
    rt_header h;
    int st = check_packet(d, p, len, &h);
    if (st != N1_OK) {
        d->synced = 0; /* this frame is lost: wait for the next resync point */
        return st;
    }
    info->frame = h.frame;
    info->resync = (h.tag & RT_TAG_RESYNC) != 0;
    int32_t ahead = (int32_t)(h.frame - d->expected);
    if (d->started && ahead < 0) {
        info->result = N1C_RT_FRAME_STALE;
        return N1_OK;
    }
    if (d->started && ahead > 0) {
        info->missing = (uint32_t)ahead;
        d->synced = 0;
    }
    d->started = 1;
    d->expected = h.frame + 1;
    if (info->resync) {
        for (uint32_t i = 0; i < d->cfg.channels; i++) rt_channel_reset(&d->ch[i], (int)d->cfg.predictor);
        d->synced = 1;
    }
    if (!d->synced) {
        info->result = N1C_RT_FRAME_SKIPPED;
        return N1_OK;
    }
    const uint8_t *payload = p + h.header_len;
    if (h.tag & RT_TAG_RAW) {
        decode_raw(d, payload, out);
        st = N1_OK;
    } else {
        st = decode_coded(d, payload, h.payload_len, info->resync, out);
    }
    if (st != N1_OK) d->synced = 0;
    info->result = N1C_RT_FRAME_DECODED;
    return st;
}
