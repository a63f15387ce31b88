/*
 * n1_stream.c -- stream framing and the public API of the n1 codec (see n1.h).
 *
 * Stream layout (all fields checked against the bytes present before use):
 *   header, 2 bytes: [version:4 | level:4] [adc kind:4 | adc bits:4 (0 = 16)]
 *                    (level N1_STREAM_TABLE = the table-driven fast level; its
 *                    version is 1 or N1_TABLE_VERSION = 2, the block format of
 *                    n1_fast.h; the model levels are version 1)
 *   blocks, each:     varint(n << 1 | coded), 1 <= n <= N1_BLOCK_MAX samples
 *       coded:  varint(nbytes), then an rANS block of nbytes (n1_rans.h), or for
 *               the table level a block payload of n1_fast.h
 *       stored: n int16 little-endian samples
 * Varints are LEB128 (7 bits a byte, low first, at most 5 bytes). The model
 * (n1_model.h) runs over every sample of every block, stored ones included, so
 * encoder and decoder states stay in step whatever each block's mode (the table
 * level's only state is the previous code).
 */
#include "n1.h"
#include <stdlib.h>
#include <string.h>

#define HDR_MAX 10 /* two varints */

int n1_level_params(int level, n1_params *p)
{
    memset(p, 0, sizeof(*p));
    if (level < N1_LEVEL_FAST || level > N1_LEVEL_MAX) return N1_ERR_INVALID_ARG;
    /* shared by every level (chosen on the even half of the dev split) */
    p->var_shift = 8;
    p->learn_widths = 1;
    p->width_table = 1;
    p->width_period = 4096;
    p->width_radius = 16;
    p->width_prior = 512;
    p->floor_freq = 1;
    p->ls_period = 128;
    p->ls_decay = 12;
    switch (level) {
    case N1_LEVEL_FAST: /* first difference: no predictor work at all */
        p->pred_mode = N1_LPC_NONE; p->taps = 1;
        break;
    case N1_LEVEL_DEFAULT:
        p->pred_mode = N1_LPC_LS; p->taps = 16;
        break;
    default: /* N1_LEVEL_MAX */
        p->pred_mode = N1_LPC_LS; p->taps = 32; p->ls_decay = 13; p->ls_ridge = 8;
        p->ls_period = 64;
        break;
    }
    return N1_OK;
}

static size_t put_varint(uint8_t *p, uint32_t v)
{
    size_t n = 0;
    while (v >= 0x80) { p[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    p[n++] = (uint8_t)v;
    return n;
}

/* Returns bytes read (1..5), 0 when truncated, or -1 when malformed. */
static int get_varint(const uint8_t *p, size_t len, uint32_t *v)
{
    uint32_t r = 0;
    for (int i = 0; i < 5; i++) {
        if ((size_t)i >= len) return 0;
        uint32_t b = p[i];
        if (i == 4 && b > 0x0f) return -1;
        r |= (b & 0x7f) << (7 * i);
        if (!(b & 0x80)) { *v = r; return i + 1; }
    }
    return -1;
}

size_t n1_encoder_block_bound(size_t count)
{
    /* a call may also flush up to N1_DETECT_SAMPLES samples held back by earlier calls */
    size_t total = count + N1_DETECT_SAMPLES;
    size_t blocks = (total + N1_BLOCK_MAX - 1) / N1_BLOCK_MAX + 1;
    return 2 + 2 * total + 4 * blocks + HDR_MAX;
}

size_t n1_codec_bound(size_t count) { return n1_encoder_block_bound(count); }

int n1_encoder_init_params(n1_encoder *e, int level, const n1_params *par)
{
    if (!e || !par || level < 0 || level > 15) return N1_ERR_INVALID_ARG;
    e->level = level;
    e->table = 0;
    e->started = 0;
    e->npending = 0;
    e->par = *par;
    return N1_OK;
}

int n1_encoder_init(n1_encoder *e, int level)
{
    n1_params p;
    if (!e) return N1_ERR_INVALID_ARG;
    int st = n1_level_params(level, &p);
    if (st != N1_OK) return st;
    st = n1_encoder_init_params(e, level, &p);
    if (st == N1_OK && level == N1_LEVEL_FAST) e->table = 1;
    return st;
}

static int write_header(n1_encoder *e, uint8_t *out, size_t cap, size_t *pos)
{
    if (cap - *pos < 2) return N1_ERR_OUTPUT_FULL;
    int version = e->table ? N1_TABLE_VERSION : N1_FORMAT_VERSION;
    out[*pos] = (uint8_t)((version << 4) | (e->table ? N1_STREAM_TABLE : e->level));
    out[*pos + 1] = (uint8_t)((e->model.map.kind << 4) | (e->model.map.bits & 15));
    *pos += 2;
    e->started = 1;
    return N1_OK;
}

/* Model and code samples x[0..n) (n <= N1_BLOCK_MAX) as one block at out+*pos. */
static int store_raw(const int16_t *x, size_t n, uint8_t *out, size_t cap, size_t *pos)
{
    size_t raw = 2 * n;
    if (cap - *pos < raw + 3) return N1_ERR_OUTPUT_FULL;
    size_t h = put_varint(out + *pos, (uint32_t)(n << 1));
    uint8_t *p = out + *pos + h;
    for (size_t j = 0; j < n; j++) {
        uint16_t u = (uint16_t)x[j];
        p[2 * j] = (uint8_t)u;
        p[2 * j + 1] = (uint8_t)(u >> 8);
    }
    *pos += h + raw;
    return N1_OK;
}

/* The table-driven fast level: one block through n1_fast.h, stored raw when the
 * payload would not be smaller than the samples. */
static int encode_one_table(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out,
                            size_t cap, size_t *pos)
{
    size_t raw = 2 * n, avail = cap - *pos;
    int st = N1_ERR_OUTPUT_FULL;
    uint8_t *start = NULL;
    if (avail > HDR_MAX + 8) {
        size_t room = avail - HDR_MAX;
        if (room > raw) room = raw;
        st = n1_fast_encode_block(&e->u.fast, &e->model.map, e->code_of, x, n,
                                  out + cap - room, out + cap, &start);
    } else {
        n1_fast_stored(&e->u.fast.prev, &e->model.map, x, n);
    }
    if (st == N1_OK) {
        size_t nbytes = (size_t)(out + cap - start);
        size_t h = put_varint(out + *pos, (uint32_t)(n << 1 | 1u));
        h += put_varint(out + *pos + h, (uint32_t)nbytes);
        memmove(out + *pos + h, start, nbytes);
        *pos += h + nbytes;
        return N1_OK;
    }
    return store_raw(x, n, out, cap, pos);
}

static int encode_one(n1_encoder *e, const int16_t *x, size_t n, size_t *used,
                      uint8_t *out, size_t cap, size_t *pos)
{
    if (e->table) {
        *used = n;
        return encode_one_table(e, x, n, out, cap, pos);
    }
    n1_model *m = &e->model;
    const int32_t K = m->K;
    size_t ns = 0, i = 0;
    for (; i < n && ns + 2 <= N1_SYMBUF; i++) {
        int32_t v = x[i];
        int32_t code = K == 65536 ? v + 32768 : e->code_of[(uint16_t)v];
        n1_model_begin(m);
        if (code >= 0) {
            uint32_t lo = n1_model_cum(m, code), hi = n1_model_cum(m, code + 1);
            e->u.syms[ns++] = n1_rans_pack(lo, hi - lo);
        } else {
            uint32_t lo = n1_model_cum(m, K);
            e->u.syms[ns++] = n1_rans_pack(lo, N1_PROB_ONE - lo);
            e->u.syms[ns++] = n1_rans_pack((uint32_t)(uint16_t)v << 8, 256);
            code = n1_adc_nearest(&m->map, v);
        }
        n1_model_update(m, code);
    }
    *used = i;
    size_t raw = 2 * i;
    size_t avail = cap - *pos;
    uint8_t *start = NULL;
    int st = N1_ERR_OUTPUT_FULL;
    if (avail > HDR_MAX + 8) {
        /* never let the coded block take more room than the raw samples would */
        size_t room = avail - HDR_MAX;
        if (room > raw) room = raw;
        uint8_t *hi = out + cap, *lo = hi - room;
        st = n1_rans_flush(e->u.syms, ns, lo, hi, &start);
    }
    if (st == N1_OK) {
        size_t nbytes = (size_t)(out + cap - start);
        size_t h = put_varint(out + *pos, (uint32_t)(i << 1 | 1u));
        h += put_varint(out + *pos + h, (uint32_t)nbytes);
        memmove(out + *pos + h, start, nbytes);
        *pos += h + nbytes;
        return N1_OK;
    }
    return store_raw(x, i, out, cap, pos);
}

/* Code x[0..n) as blocks of at most N1_BLOCK_MAX samples from out + *pos. */
static int encode_all(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out, size_t cap,
                      size_t *pos)
{
    while (n > 0) {
        size_t chunk = n < N1_BLOCK_MAX ? n : N1_BLOCK_MAX, used = 0;
        int st = encode_one(e, x, chunk, &used, out, cap, pos);
        if (st != N1_OK) return st;
        x += used;
        n -= used;
    }
    return N1_OK;
}

/* Decide the ADC grid from the held-back samples plus x[0..n) (the rest of the
 * current call), set up the model, write the header and the held-back samples. */
static int start_stream(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out, size_t cap,
                        size_t *pos)
{
    n1_adc_map map;
    /* the table level looks at N1_DETECT_SAMPLES samples of the call only (a whole
     * call costs ~15 instructions a sample, a fifth of that level's encoder);
     * later samples off the grid are escapes, still lossless */
    size_t nd = n;
    if (e->table && nd > N1_DETECT_SAMPLES) nd = N1_DETECT_SAMPLES;
    n1_adc_detect2(e->pending, e->npending, x, nd, &map);
    if (e->table) {
        e->model.map = map; /* the table level keeps only the mapping */
        n1_fast_enc_init(&e->u.fast, &map);
    } else {
        n1_model_init(&e->model, &map, &e->par);
    }
    if (map.ncodes <= 32768) { /* identity streams compute codes directly */
        memset(e->code_of, 0xff, sizeof(e->code_of)); /* -1: off the grid */
        for (int32_t c = 0; c < map.ncodes; c++)
            e->code_of[(uint16_t)(int16_t)n1_adc_value(&map, c)] = (int16_t)c;
    }
    if (!out) return N1_ERR_OUTPUT_FULL;
    int st = write_header(e, out, cap, pos);
    if (st != N1_OK) return st;
    st = encode_all(e, e->pending, e->npending, out, cap, pos);
    e->npending = 0;
    return st;
}

int n1_encoder_block(n1_encoder *e, const int16_t *x, size_t n,
                     uint8_t *out, size_t cap, size_t *out_len)
{
    if (!e || !out_len || (n && !x) || (!out && cap)) return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    *out_len = 0;
    if (!e->started && e->npending == 0 && n >= N1_DETECT_SAMPLES) {
        int st = start_stream(e, x, n, out, cap, &pos); /* enough samples: no holding back */
        if (st != N1_OK) return st;
    } else if (!e->started) {
        /* hold back the first samples until there are enough to recognise the grid */
        size_t take = N1_DETECT_SAMPLES - e->npending;
        if (take > n) take = n;
        memcpy(e->pending + e->npending, x, take * sizeof(int16_t));
        e->npending += take;
        x += take;
        n -= take;
        if (e->npending < N1_DETECT_SAMPLES) return N1_OK;
        int st = start_stream(e, x, n, out, cap, &pos);
        if (st != N1_OK) return st;
    }
    int st = encode_all(e, x, n, out, cap, &pos);
    if (st != N1_OK) return st;
    *out_len = pos;
    return N1_OK;
}

int n1_encoder_finish(n1_encoder *e, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!e || !out_len || (!out && cap)) return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    *out_len = 0;
    if (!e->started) {
        int st = start_stream(e, NULL, 0, out, cap, &pos);
        if (st != N1_OK) return st;
    }
    *out_len = pos;
    return N1_OK;
}

int n1_decoder_init_params(n1_decoder *d, const n1_params *par)
{
    if (!d || !par) return N1_ERR_INVALID_ARG;
    d->started = 0;
    d->level = -1;
    d->par = *par;
    return N1_OK;
}

int n1_decoder_init(n1_decoder *d)
{
    if (!d) return N1_ERR_INVALID_ARG;
    d->started = 0;
    d->level = -1;
    memset(&d->par, 0, sizeof(d->par));
    return N1_OK;
}

static int decode_coded(n1_decoder *d, const uint8_t *p, size_t nbytes, int16_t *out, size_t n)
{
    n1_model *m = &d->model;
    const int32_t K = m->K;
    n1_rans_dec r;
    int st = n1_rans_dec_init(&r, p, nbytes);
    if (st != N1_OK) return st;
    for (size_t i = 0; i < n; i++) {
        n1_model_begin(m);
        uint32_t slot = n1_rans_dec_slot(&r);
        uint32_t lo, hi;
        int32_t k = n1_model_find(m, slot, &lo, &hi);
        n1_rans_dec_advance(&r, lo, hi - lo);
        int32_t code;
        if (k < K) {
            out[i] = (int16_t)n1_model_value(m, k);
            code = k;
        } else {
            uint32_t raw = n1_rans_dec_slot(&r) >> 8;
            n1_rans_dec_advance(&r, raw << 8, 256);
            out[i] = (int16_t)(uint16_t)raw;
            code = n1_adc_nearest(&m->map, out[i]);
        }
        n1_model_update(m, code);
        if (r.bad) return N1_ERR_TRUNCATED;
    }
    return n1_rans_dec_done(&r);
}

int n1_decoder_block(n1_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                     int16_t *out, size_t cap, size_t *produced)
{
    if (!d || !consumed || !produced || (len && !in) || (cap && !out)) return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    *consumed = 0;
    *produced = 0;
    if (!d->started) {
        if (len < 2) return N1_ERR_TRUNCATED;
        int version = in[0] >> 4, level = in[0] & 15;
        int kind = in[1] >> 4, bits = in[1] & 15;
        /* version 2 exists only for the table level (its v2 block format) */
        if (version != N1_FORMAT_VERSION &&
            !(version == N1_TABLE_VERSION && level == N1_STREAM_TABLE))
            return N1_ERR_UNSUPPORTED;
        if (level != N1_STREAM_TABLE && d->level == -1 && d->par.taps == 0) {
            int st = n1_level_params(level, &d->par);
            if (st != N1_OK) return N1_ERR_CORRUPT;
        }
        n1_adc_map map;
        if (kind == N1_ADC_IDENTITY) {
            if (bits != 0) return N1_ERR_CORRUPT;
            n1_adc_set(&map, N1_ADC_IDENTITY, 16);
        } else if (kind == N1_ADC_STRETCH || kind == N1_ADC_SHIFT) {
            if (bits < 1) return N1_ERR_CORRUPT;
            n1_adc_set(&map, kind, bits);
        } else {
            return N1_ERR_CORRUPT;
        }
        if (level == N1_STREAM_TABLE) {
            d->model.map = map;
            n1_fast_dec_init(&d->fast, &map, version);
        } else {
            n1_model_init(&d->model, &map, &d->par);
        }
        d->level = level;
        d->started = 1;
        pos = 2;
        *consumed = pos;
    }
    if (pos == len) return N1_OK;
    uint32_t h, nbytes;
    int k = get_varint(in + pos, len - pos, &h);
    if (k == 0) return N1_ERR_TRUNCATED;
    if (k < 0) return N1_ERR_CORRUPT;
    pos += (size_t)k;
    size_t n = h >> 1;
    if (n == 0 || n > N1_BLOCK_MAX) return N1_ERR_CORRUPT;
    if (n > cap) return N1_ERR_OUTPUT_FULL;
    int st;
    if (h & 1u) {
        k = get_varint(in + pos, len - pos, &nbytes);
        if (k == 0) return N1_ERR_TRUNCATED;
        if (k < 0) return N1_ERR_CORRUPT;
        pos += (size_t)k;
        if (nbytes > len - pos) return N1_ERR_TRUNCATED;
        if (d->level == N1_STREAM_TABLE)
            st = n1_fast_decode_block(&d->fast, &d->model.map, in + pos, nbytes, out, n);
        else
            st = decode_coded(d, in + pos, nbytes, out, n);
        if (st != N1_OK) return st;
        pos += nbytes;
    } else {
        if (2 * n > len - pos) return N1_ERR_TRUNCATED;
        n1_model *m = &d->model;
        const uint8_t *p = in + pos;
        if (d->level == N1_STREAM_TABLE) {
            n1_fast_stored_raw(&d->fast.prev, &m->map, p, out, n);
        } else {
            for (size_t i = 0; i < n; i++) {
                int16_t v = (int16_t)(uint16_t)(p[2 * i] | (p[2 * i + 1] << 8));
                out[i] = v;
                int32_t code = n1_adc_to_code(&m->map, v);
                if (code < 0) code = n1_adc_nearest(&m->map, v);
                n1_model_begin(m);
                n1_model_update(m, code);
            }
        }
        pos += 2 * n;
    }
    *consumed = pos;
    *produced = n;
    return N1_OK;
}

int n1_codec_encode(const int16_t *x, size_t count, int level,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (count && !x) || !out) return N1_ERR_INVALID_ARG;
    *out_len = 0;
    n1_encoder *e = (n1_encoder *)malloc(sizeof(*e));
    if (!e) return N1_ERR_NOMEM;
    int st = n1_encoder_init(e, level);
    size_t a = 0, b = 0;
    if (st == N1_OK) st = n1_encoder_block(e, x, count, out, cap, &a);
    if (st == N1_OK) st = n1_encoder_finish(e, out + a, cap - a, &b);
    free(e);
    if (st == N1_OK) *out_len = a + b;
    return st;
}

int n1_codec_decode(const uint8_t *in, size_t len, int16_t *out, size_t count)
{
    if ((len && !in) || (count && !out)) return N1_ERR_INVALID_ARG;
    n1_decoder *d = (n1_decoder *)malloc(sizeof(*d));
    if (!d) return N1_ERR_NOMEM;
    n1_decoder_init(d);
    size_t pos = 0, got = 0;
    int st = N1_OK;
    for (;;) {
        size_t used = 0, n = 0;
        st = n1_decoder_block(d, in + pos, len - pos, &used, out + got, count - got, &n);
        if (st == N1_ERR_OUTPUT_FULL) st = N1_ERR_CORRUPT; /* more samples than announced */
        if (st != N1_OK) break;
        pos += used;
        got += n;
        if (got == count && pos == len) break;
        if (used == 0 || (n == 0 && pos == len)) {
            st = N1_ERR_TRUNCATED;
            break;
        }
        if (got == count && pos < len && d->started && n == 0) {
            st = N1_ERR_CORRUPT;
            break;
        }
    }
    free(d);
    return st;
}
