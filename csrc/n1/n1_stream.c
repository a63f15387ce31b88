/*
 * n1_stream.c -- stream framing and the public API of the n1 codec (see n1.h).
 *
 * Stream layout (all fields checked against the bytes present before use):
 *   header, 2 bytes: [version:4 | level:4] [adc kind:4 | adc bits:4 (0 = 16)]
 *                    (level N1_STREAM_TABLE = the table-driven fast level; its
 *                    version is 1 or N1_TABLE_VERSION = 2, the block format of
 *                    n1_fast.h; a model level's version is N1_FORMAT_V1 or V2
 *                    (n1.h), and a V2 header goes on with a flags byte and the
 *                    value grid of n1_grid.h)
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
#include "../common/varint.h"
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

static size_t put_varint(uint8_t *p, uint32_t v) { return n1c_varint_put(p, v); }

/* Returns bytes read (1..5), 0 when truncated, or -1 when malformed (common/varint.h). */
static int get_varint(const uint8_t *p, size_t len, uint32_t *v)
{
    size_t pos = 0;
    uint64_t x = 0;
    int st = n1c_varint_get(p, len, &pos, 5, UINT32_MAX, &x);
    if (st != N1_OK) return st == N1_ERR_TRUNCATED ? 0 : -1;
    *v = (uint32_t)x;
    return (int)pos;
}

size_t n1_encoder_block_bound(size_t count)
{
    /* a call may also flush up to N1_DETECT_SAMPLES samples held back by earlier calls */
    size_t total = count + N1_DETECT_SAMPLES;
    size_t blocks = (total + N1_BLOCK_MAX - 1) / N1_BLOCK_MAX + 1;
    return 4 + N1_GRID_HEADER_MAX + 2 * total + 4 * blocks + HDR_MAX;
}

size_t n1_codec_bound(size_t count) { return n1_encoder_block_bound(count); }

int n1_encoder_init_params(n1_encoder *e, int level, const n1_params *par)
{
    if (!e || !par || level < 0 || level > 15) return N1_ERR_INVALID_ARG;
    e->level = level;
    e->stream_level = level;
    e->table = 0;
    e->started = 0;
    e->npending = 0;
    e->version = N1_FORMAT_V1;
    e->force_version = 0;
    memset(&e->cross, 0, sizeof(e->cross));
    e->reuse_version = 0;
    e->follow = 0;
    e->code_of_version = 0;
    e->par = *par;
    e->used = *par;
    return N1_OK;
}

int n1_encoder_set_version(n1_encoder *e, int version)
{
    if (!e || e->started || e->npending || version < 0 || version > N1_FORMAT_V2)
        return N1_ERR_INVALID_ARG;
    e->force_version = version;
    return N1_OK;
}

int n1_encoder_set_cross(n1_encoder *e, const n1_cross *cross)
{
    if (!e || !cross || e->started || e->npending || cross->nref < 0 ||
        cross->nref > N1_CROSS_MAX || (e->table && cross->nref))
        return N1_ERR_INVALID_ARG;
    for (int i = 0; i < cross->nref; i++)
        if (!cross->ref[i]) return N1_ERR_INVALID_ARG;
    e->cross = *cross;
    return N1_OK;
}

int n1_encoder_reuse_choice(n1_encoder *e, const n1_encoder *from)
{
    if (!e || !from || e == from || e->started || e->npending || !from->started ||
        from->table || e->table || from->level != e->level)
        return N1_ERR_INVALID_ARG;
    e->reuse_version = from->version;
    e->reuse = from->used;
    return N1_OK;
}

int n1_decoder_set_cross(n1_decoder *d, const n1_cross *cross)
{
    if (!d || !cross || d->started || cross->nref < 0 || cross->nref > N1_CROSS_MAX)
        return N1_ERR_INVALID_ARG;
    for (int i = 0; i < cross->nref; i++)
        if (!cross->ref[i]) return N1_ERR_INVALID_ARG;
    d->cross = *cross;
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

/* Format 2's model variants (header byte 2, bits 5-6): how fast the residual
 * variance and the predictor follow the signal. */
#define N1_V2_VARIANTS 4
static const struct { int var_shift, var_fast, ls_period, ls_decay; } v2_variant[N1_V2_VARIANTS] = {
    {8, 0, 0, 0},     /* the level's own: slow variance (stationary signals, N1) */
    {4, 0, 0, 0},     /* variance over ~16 samples (bursts, artefacts) */
    {4, 0, 32, 11},   /* and a predictor that follows faster */
    {6, 2, 32, 11},   /* a fast and a slow variance averaged */
};

/* Format 2's second stage (header byte 2, bit 7) per level: a sign-sign LMS
 * cascade on the LS stage's error (taps, step). */
static const struct { int taps, mu; } v2_stage2[3] = {{16, 8}, {16, 8}, {32, 4}};

/* Format 4's third stage (n1:max): a long sign-sign LMS filter on the error of the
 * first two (n1_lms.h). Round values: chosen among 64-1024 taps and steps 2-32 on
 * the ephys dev recordings (docs/n1-codec.md, "Third stage"). */
#define V4_STAGE3_TAPS 256
#define V4_STAGE3_MU 8

/* Header byte 3 of a format-4 stream: log2(taps / 16) (bits 0-3, at most 4) and
 * log2(step) (bits 4-7, at most 7). */
static uint8_t v4_stage3_byte(const n1_params *p)
{
    int t = 0, u = 0;
    while ((16 << t) < p->stage3_taps) t++;
    while ((1 << u) < p->stage3_mu) u++;
    return (uint8_t)(t | u << 4);
}

/* Parameters of a format-2 stream of the given level from that level's own
 * (`level`): history shift, prior, variant, second and third stage on or off. */
static void v2_params(const n1_params *level, int lvl, int shift, int prior, int variant,
                      int stage2, int stage3, n1_params *p)
{
    *p = *level;
    p->hist_shift = shift;
    p->prior_any = 1;
    p->width_table = prior;
    p->var_shift = v2_variant[variant].var_shift;
    p->var_fast = v2_variant[variant].var_fast;
    if (v2_variant[variant].ls_period) {
        p->ls_period = v2_variant[variant].ls_period;
        p->ls_decay = v2_variant[variant].ls_decay;
    }
    p->variant = variant;
    int i = lvl == N1_LEVEL_MAX ? 2 : (lvl == N1_LEVEL_DEFAULT ? 1 : 0);
    p->stage2_taps = stage2 ? v2_stage2[i].taps : 0;
    p->stage2_mu = stage2 ? v2_stage2[i].mu : 0;
    p->stage3_taps = stage3 ? V4_STAGE3_TAPS : 0;
    p->stage3_mu = stage3 ? V4_STAGE3_MU : 0;
}

/* Byte 2 of a format-2 header: history shift - 4 (bits 0-3), prior (bit 4),
 * variant (bits 5-6), second stage (bit 7). */
static uint8_t v2_flags(const n1_params *p)
{
    return (uint8_t)((p->hist_shift - 4) | (p->width_table ? 16 : 0) | (p->variant << 5) |
                     (p->stage2_taps ? 128 : 0));
}

/* The candidate a format-2/4 head names, for an encoder of level e->level: the
 * flags byte's prior, variant and second stage, and the third stage of format 4
 * (n1:max's own model only). The history shift is left for the stream to choose. */
static int followed_params(const n1_encoder *e, int version, int level, const uint8_t *head,
                           n1_params *p)
{
    n1_params base = e->par;
    int lvl = e->level;
    if (level != e->level) { /* n1:max may write the default level's model */
        if (e->level != N1_LEVEL_MAX || level != N1_LEVEL_DEFAULT) return N1_ERR_INVALID_ARG;
        n1_level_params(N1_LEVEL_DEFAULT, &base);
        lvl = N1_LEVEL_DEFAULT;
    }
    int stage3 = version == N1_FORMAT_V4;
    unsigned flags = head[2];
    if ((flags & 15u) > 8u || (stage3 && lvl != N1_LEVEL_MAX)) return N1_ERR_INVALID_ARG;
    v2_params(&base, lvl, 4, (flags >> 4) & 1u, (flags >> 5) & 3u, flags >> 7, stage3, p);
    if (stage3 && head[3] != v4_stage3_byte(p)) return N1_ERR_INVALID_ARG;
    if (lvl != e->level) p->level_field = N1_LEVEL_DEFAULT;
    return N1_OK;
}

int n1_encoder_follow(n1_encoder *e, const uint8_t *head, size_t len)
{
    if (!e || !head || e->started || e->npending || e->table || len < 1)
        return N1_ERR_INVALID_ARG;
    int version = head[0] >> 4, level = head[0] & 15;
    if (version == N1_FORMAT_V1) {
        if (level != e->level || e->force_version == N1_FORMAT_V2) return N1_ERR_INVALID_ARG;
        e->reuse = e->par;
    } else {
        if ((version != N1_FORMAT_V2 && version != N1_FORMAT_V4) ||
            len < (version == N1_FORMAT_V4 ? 4u : 3u) || e->force_version == N1_FORMAT_V1)
            return N1_ERR_INVALID_ARG;
        int st = followed_params(e, version, level, head, &e->reuse);
        if (st != N1_OK) return st;
        version = N1_FORMAT_V2;
    }
    e->reuse_version = version;
    e->follow = 1;
    return N1_OK;
}

static size_t header_size(const n1_encoder *e)
{
    if (e->table || e->version == N1_FORMAT_V1) return 2;
    return 3 + (e->used.stage3_taps ? 1 : 0) + n1_grid_size(&e->grid);
}

static int write_header(n1_encoder *e, uint8_t *out, size_t cap, size_t *pos)
{
    if (cap - *pos < header_size(e)) return N1_ERR_OUTPUT_FULL;
    const n1_adc_map *map = &e->model.map;
    /* The table level numbers its own block format; a model level's version is its model's. */
    int stage3 = !e->table && e->version == N1_FORMAT_V2 && e->used.stage3_taps;
    int version = e->table ? N1_TABLE_VERSION : (stage3 ? N1_FORMAT_V4 : e->version);
    out[*pos] = (uint8_t)((version << 4) | (e->table ? N1_STREAM_TABLE : e->stream_level));
    out[*pos + 1] = (uint8_t)((map->kind << 4) | (map->bits & 15));
    *pos += 2;
    if (!e->table && e->version == N1_FORMAT_V2) {
        out[(*pos)++] = v2_flags(&e->used);
        if (stage3) out[(*pos)++] = v4_stage3_byte(&e->used);
        *pos += n1_grid_write(&e->grid, out + *pos, cap - *pos);
    }
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
            code = n1_model_nearest(m, v);
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

/* Set up the model for a stream of the given format and map (format 2: the
 * grid in e->grid) with parameters p, and the encoder's value -> code table. */
static void setup_model(n1_encoder *e, int version, const n1_adc_map *map, const n1_params *p)
{
    e->version = version;
    e->stream_level = p->level_field ? p->level_field : e->level;
    e->used = *p;
    n1_model_init_values(&e->model, map, version == N1_FORMAT_V2 ? e->grid.value : NULL, p);
    n1_model_set_cross(&e->model, &e->cross);
    /* identity streams compute codes directly; the table depends on the map only,
     * and each format has one map per stream, so the trials build it once each */
    if (map->ncodes <= 32768 && e->code_of_version != version) {
        e->code_of_version = version;
        memset(e->code_of, 0xff, sizeof(e->code_of)); /* -1: off the grid */
        for (int32_t c = 0; c < map->ncodes; c++)
            e->code_of[(uint16_t)(int16_t)n1_model_value(&e->model, c)] = (int16_t)c;
    }
}

/* Write the header and code the first m samples of the held-back ones followed
 * by x. The held-back samples stay (a trial may run again) until the caller drops them. */
static int code_prefix(n1_encoder *e, const int16_t *x, size_t m, uint8_t *out,
                       size_t cap, size_t *pos)
{
    size_t held = e->npending < m ? e->npending : m;
    int st = write_header(e, out, cap, pos);
    if (st == N1_OK) st = encode_all(e, e->pending, held, out, cap, pos);
    if (st == N1_OK) st = encode_all(e, x, m - held, out, cap, pos);
    return st;
}

/* Write the header and code the held-back samples, then x[0..n). */
static int code_start(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out,
                      size_t cap, size_t *pos)
{
    return code_prefix(e, x, e->npending + n, out, cap, pos);
}

/* The candidate streams a format-2 encoder tries (list_candidates): format 1, three
 * without the width prior, n1:max's six of the default level, eight of its own. */
enum { MAX_CANDIDATES = 1 + 3 + 6 + 8 };
typedef struct candidates {
    n1_params par[MAX_CANDIDATES];
    int version[MAX_CANDIDATES];
    int count;
} candidates;

/* size[c]: bytes of candidate c coding the first m samples (header included),
 * written from out + pos and overwritten by the next. map: format 1's map. */
static int trial_sizes(n1_encoder *e, const candidates *cs, const n1_adc_map *map,
                       const int16_t *x, size_t m, uint8_t *out, size_t cap, size_t pos,
                       size_t *size)
{
    for (int c = 0; c < cs->count; c++) {
        size_t tp = pos;
        setup_model(e, cs->version[c], cs->version[c] == N1_FORMAT_V1 ? map : &e->grid.map,
                    &cs->par[c]);
        int st = code_prefix(e, x, m, out, cap, &tp);
        if (st != N1_OK) return st;
        size[c] = tp - pos;
    }
    return N1_OK;
}

/* Keep the `keep` candidates of smallest size (the earlier on ties), in order. */
static void keep_smallest(candidates *cs, const size_t *size, int keep)
{
    int kept = 0;
    for (int c = 0; c < cs->count; c++) {
        int rank = 0;
        for (int o = 0; o < cs->count; o++)
            rank += size[o] < size[c] || (size[o] == size[c] && o < c);
        if (rank < keep) {
            cs->version[kept] = cs->version[c];
            cs->par[kept++] = cs->par[c];
        }
    }
    cs->count = kept;
}

/* Sum of |v[i] - v[i-1]| for 0 < i < m. In uint32 runs of 16,384 differences (each
 * < 2^16, so a run's sum < 2^30) added to 64 bits: a loop the compiler vectorises
 * (the one-sample-at-a-time form cost 5% of a channel's one-pass encode). */
static int64_t abs_diff_sum(const int16_t *v, size_t m)
{
    int64_t sum = 0;
    for (size_t i = 1; i < m; i += 16384) {
        size_t end = m - i > 16384 ? i + 16384 : m;
        uint32_t run = 0;
        for (size_t k = i; k < end; k++) {
            int32_t d = (int32_t)v[k] - v[k - 1];
            run += (uint32_t)(d < 0 ? -d : d);
        }
        sum += run;
    }
    return sum;
}

/* History shift for format 2: keeps the mean absolute first difference of the
 * codes (Q8 units) at most ~96 in the predictor's int16 history. */
static int choose_hist_shift(const n1_encoder *e, const int16_t *x, size_t n)
{
    const n1_adc_map *map = &e->grid.map;
    int64_t sum = abs_diff_sum(e->pending, e->npending) + abs_diff_sum(x, n);
    int64_t cnt = (int64_t)(e->npending + n); /* the first sample counts as a difference of 0 */
    if (e->npending && n) {
        int32_t d = (int32_t)x[0] - e->pending[e->npending - 1];
        sum += d < 0 ? -d : d;
    }
    int64_t span = 1, codes = 1; /* average distance between codes: span / codes */
    if (map->kind == N1_ADC_AFFINE) span = map->step;
    else if (map->kind == N1_ADC_TABLE && map->ncodes > 1) {
        span = (int64_t)e->grid.value[map->ncodes - 1] - e->grid.value[0];
        codes = map->ncodes - 1;
    } else if (map->kind != N1_ADC_IDENTITY) span = 65536 >> map->bits;
    if (cnt == 0) return 4;
    int64_t mad_q8 = sum * codes * 256 / (span * cnt);
    int h = 4;
    while (h < 12 && (mad_q8 >> h) > 96) h++;
    return h;
}

/* Candidates: format 1 (unless forced); for the level (and, for n1:max, the default
 * level too) each variant without the second stage and the two fast ones with it
 * (n1:max's own model: those two with the third stage as well, format 4);
 * for aligned 10-bit grids, tries 0, 2 and 4 also without the width prior. The
 * usual winners come last (the last trial's output is kept when it wins). */
static void list_candidates(const n1_encoder *e, int shift, int prior, candidates *cs)
{
    static const struct { int variant, stage2, stage3; } tries[8] = {
        {0, 0, 0}, {3, 0, 0}, {1, 0, 0}, {2, 0, 0}, {1, 1, 0}, {2, 1, 0}, {1, 1, 1}, {2, 1, 1}};
    int nc = 0;
    if (e->force_version == 0) { cs->version[nc] = N1_FORMAT_V1; cs->par[nc++] = e->par; }
    for (int t = 0; prior && t < 6; t += 2) { /* 10-bit codes of another ADC than N1's */
        cs->version[nc] = N1_FORMAT_V2;
        v2_params(&e->par, e->level, shift, 0, tries[t].variant, tries[t].stage2, 0,
                  &cs->par[nc++]);
    }
    for (int l = e->level == N1_LEVEL_MAX ? 0 : 1; l < 2; l++) {
        n1_params base = e->par;
        int lvl = e->level;
        if (l == 0) { /* n1:max also tries the default level's model */
            n1_level_params(N1_LEVEL_DEFAULT, &base);
            lvl = N1_LEVEL_DEFAULT;
        }
        int ntries = lvl == N1_LEVEL_MAX ? 8 : 6; /* n1:max's own model: the third stage too */
        for (int t = 0; t < ntries; t++) {
            cs->version[nc] = N1_FORMAT_V2;
            v2_params(&base, lvl, shift, prior, tries[t].variant, tries[t].stage2,
                      tries[t].stage3, &cs->par[nc]);
            if (l == 0) cs->par[nc].level_field = N1_LEVEL_DEFAULT;
            nc++;
        }
    }
    cs->count = nc;
}

/* Try the candidates on a prefix and code the stream (held-back samples, then
 * x[0..n)) with the smallest. Every candidate codes the first N1_PROBE_SAMPLES
 * samples, the N1_PROBE_KEEP smallest then the first N1_TRIAL_SAMPLES (n1:max:
 * twice both): rankings settle early, and coding whole blocks once per candidate
 * cost ~8x the decode. */
static int choose_and_code(n1_encoder *e, candidates *cs, const n1_adc_map *map,
                           const int16_t *x, size_t n, size_t nfirst, uint8_t *out,
                           size_t cap, size_t *pos)
{
    size_t total = e->npending + nfirst, size[MAX_CANDIDATES];
    int wide = e->level == N1_LEVEL_MAX; /* n1:max: ratio first, twice the trials */
    size_t trial = (size_t)N1_TRIAL_SAMPLES << wide;
    int keep = N1_PROBE_KEEP << wide;
    size_t mtrial = total < trial ? total : trial;
    size_t mprobe = total < N1_PROBE_SAMPLES ? total : N1_PROBE_SAMPLES;
    int st = N1_OK;
    if (cs->count > keep && mprobe < mtrial) {
        st = trial_sizes(e, cs, map, x, mprobe, out, cap, *pos, size);
        if (st != N1_OK) return st;
        keep_smallest(cs, size, keep);
    }
    int bi = cs->count - 1;
    if (cs->count > 1) {
        st = trial_sizes(e, cs, map, x, mtrial, out, cap, *pos, size);
        if (st != N1_OK) return st;
        for (int c = cs->count - 2; c >= 0; c--) /* the earliest smallest */
            if (size[c] <= size[bi]) bi = c;
        if (bi == cs->count - 1 && mtrial == total) { /* the last trial won: keep its output */
            *pos += size[bi];
            return n > nfirst ? encode_all(e, x + nfirst, n - nfirst, out, cap, pos) : N1_OK;
        }
    }
    setup_model(e, cs->version[bi], cs->version[bi] == N1_FORMAT_V1 ? map : &e->grid.map,
                &cs->par[bi]);
    return code_start(e, x, n, out, cap, pos);
}

/* Decide the stream's format and grid from the held-back samples plus x[0..n)
 * (the rest of the current call), write the header and the first samples.
 * Format 1 for N1's stretch grids (the bytes of every earlier release);
 * otherwise the candidates (list_candidates) code a prefix and the smallest
 * codes the stream (choose_and_code). */
static int start_stream_inner(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out,
                              size_t cap, size_t *pos)
{
    n1_adc_map map;
    /* the table level looks at N1_DETECT_SAMPLES samples of the call only (a whole
     * call costs ~15 instructions a sample, a fifth of that level's encoder);
     * later samples off the grid are escapes, still lossless */
    size_t nd = n;
    if (e->table && nd > N1_DETECT_SAMPLES) nd = N1_DETECT_SAMPLES;
    n1_adc_detect2(e->pending, e->npending, x, nd, &map);
    if (!out) return N1_ERR_OUTPUT_FULL;
    size_t nfirst = n < N1_BLOCK_MAX ? n : N1_BLOCK_MAX;
    if (e->table) {
        e->model.map = map; /* the table level keeps only the mapping */
        n1_fast_enc_init(&e->u.fast, &map);
        if (map.ncodes <= 32768) {
            memset(e->code_of, 0xff, sizeof(e->code_of));
            for (int32_t c = 0; c < map.ncodes; c++)
                e->code_of[(uint16_t)(int16_t)n1_adc_value(&map, c)] = (int16_t)c;
        }
        return code_start(e, x, n, out, cap, pos);
    }
    if (e->force_version == N1_FORMAT_V1 ||
        (e->force_version == 0 && map.kind == N1_ADC_STRETCH)) {
        setup_model(e, N1_FORMAT_V1, &map, &e->par);
        return code_start(e, x, n, out, cap, pos);
    }
    if (e->reuse_version == N1_FORMAT_V1) {
        setup_model(e, N1_FORMAT_V1, &map, &e->reuse);
        return code_start(e, x, n, out, cap, pos);
    }
    n1_grid_detect(e->pending, e->npending, x, nfirst, &e->grid);
    if (e->reuse_version == N1_FORMAT_V2) { /* reuse_choice: the same samples, the same grid */
        n1_params p = e->reuse;
        if (e->follow) { /* other samples: their own scale and grid */
            p.hist_shift = choose_hist_shift(e, x, nfirst);
            p.width_table = p.width_table && e->grid.aligned10;
        }
        setup_model(e, N1_FORMAT_V2, &e->grid.map, &p);
        return code_start(e, x, n, out, cap, pos);
    }
    int shift = choose_hist_shift(e, x, nfirst), prior = e->grid.aligned10;
    candidates cs;
    list_candidates(e, shift, prior, &cs);
    return choose_and_code(e, &cs, &map, x, n, nfirst, out, cap, pos);
}

static int start_stream(n1_encoder *e, const int16_t *x, size_t n, uint8_t *out, size_t cap,
                        size_t *pos)
{
    int st = start_stream_inner(e, x, n, out, cap, pos);
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
        /* enough samples: no holding back */
        int st = start_stream(e, x, n, out, cap, &pos);
        if (st != N1_OK) return st;
        *out_len = pos;
        return N1_OK;
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
        *out_len = pos;
        return N1_OK;
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
    memset(&d->cross, 0, sizeof(d->cross));
    return N1_OK;
}

int n1_decoder_init(n1_decoder *d)
{
    if (!d) return N1_ERR_INVALID_ARG;
    d->started = 0;
    d->level = -1;
    memset(&d->par, 0, sizeof(d->par));
    memset(&d->cross, 0, sizeof(d->cross));
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
            code = n1_model_nearest(m, out[i]);
        }
        n1_model_update(m, code);
        if (r.bad) return N1_ERR_TRUNCATED;
    }
    return n1_rans_dec_done(&r);
}

/* Parse the stream header (format 1 or 2) and set up the decoder's model. */
static int read_header(n1_decoder *d, const uint8_t *in, size_t len, size_t *pos)
{
    if (len < 2) return N1_ERR_TRUNCATED;
    int version = in[0] >> 4, level = in[0] & 15;
    int kind = in[1] >> 4, bits = in[1] & 15;
    int model_version =
        version == N1_FORMAT_V1 || version == N1_FORMAT_V2 || version == N1_FORMAT_V4;
    if (level == N1_STREAM_TABLE ? version < 1 || version > N1_TABLE_VERSION : !model_version)
        return N1_ERR_UNSUPPORTED;
    if (level != N1_STREAM_TABLE && d->level == -1 && d->par.taps == 0) {
        if (n1_level_params(level, &d->par) != N1_OK) return N1_ERR_CORRUPT;
    }
    n1_grid *g = NULL;
    n1_adc_map map;
    size_t used = 0;
    if (version == N1_FORMAT_V1 || level == N1_STREAM_TABLE) { /* the table level: 2 bytes, any version */
        if (kind == N1_ADC_IDENTITY) {
            if (bits != 0) return N1_ERR_CORRUPT;
            n1_adc_set(&map, N1_ADC_IDENTITY, 16);
        } else if (kind == N1_ADC_STRETCH || kind == N1_ADC_SHIFT) {
            if (bits < 1) return N1_ERR_CORRUPT;
            n1_adc_set(&map, kind, bits);
        } else {
            return N1_ERR_CORRUPT;
        }
        *pos = 2;
    } else {
        size_t head = version == N1_FORMAT_V4 ? 4 : 3;
        if (len < head) return N1_ERR_TRUNCATED;
        unsigned flags = in[2];
        if ((flags & 15u) > 8u) return N1_ERR_CORRUPT;
        v2_params(&d->par, level, 4 + (int)(flags & 15u), (flags >> 4) & 1u, (flags >> 5) & 3u,
                  flags >> 7, 0, &d->par);
        if (version == N1_FORMAT_V4) { /* the third stage: 16 << t taps, step 1 << u */
            unsigned t = in[3] & 15u, u = in[3] >> 4;
            if (t > 4u || u > 7u) return N1_ERR_CORRUPT;
            d->par.stage3_taps = 16 << t;
            d->par.stage3_mu = 1 << u;
        }
        g = &d->grid;
        int st = n1_grid_read(in + head, len - head, kind, bits, &used, g);
        if (st != N1_OK) return st;
        map = g->map;
        *pos = head + used;
    }
    if (level == N1_STREAM_TABLE) {
        if (d->cross.nref) return N1_ERR_CORRUPT; /* joint coding is model levels only */
        d->model.map = map;
        n1_fast_dec_init(&d->fast, &map, version);
    } else {
        n1_model_init_values(&d->model, &map, g ? g->value : NULL, &d->par);
        n1_model_set_cross(&d->model, &d->cross);
    }
    d->version = version;
    d->level = level;
    d->started = 1;
    return N1_OK;
}

/* A block's frame: n samples, coded in nbytes at p, or stored raw (2n bytes at p). */
typedef struct block_frame {
    size_t n, nbytes;
    const uint8_t *p;
    int coded;
} block_frame;

/* The frame of the block at in + *pos (at most cap samples); *pos moves past it. */
static int read_frame(const uint8_t *in, size_t len, size_t *pos, size_t cap, block_frame *f)
{
    uint32_t h, nbytes;
    int k = get_varint(in + *pos, len - *pos, &h);
    if (k == 0) return N1_ERR_TRUNCATED;
    if (k < 0) return N1_ERR_CORRUPT;
    *pos += (size_t)k;
    f->n = h >> 1;
    f->coded = (int)(h & 1u);
    if (f->n == 0 || f->n > N1_BLOCK_MAX) return N1_ERR_CORRUPT;
    if (f->n > cap) return N1_ERR_OUTPUT_FULL;
    if (f->coded) {
        k = get_varint(in + *pos, len - *pos, &nbytes);
        if (k == 0) return N1_ERR_TRUNCATED;
        if (k < 0) return N1_ERR_CORRUPT;
        *pos += (size_t)k;
        if (nbytes > len - *pos) return N1_ERR_TRUNCATED;
        f->nbytes = nbytes;
    } else {
        if (2 * f->n > len - *pos) return N1_ERR_TRUNCATED;
        f->nbytes = 2 * f->n;
    }
    f->p = in + *pos;
    *pos += f->nbytes;
    return N1_OK;
}

/* A block stored raw: its samples, and the model kept in step. */
static void decode_stored(n1_decoder *d, const uint8_t *p, int16_t *out, size_t n)
{
    n1_model *m = &d->model;
    if (d->level == N1_STREAM_TABLE) {
        n1_fast_stored_raw(&d->fast.prev, &m->map, p, out, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int16_t v = (int16_t)(uint16_t)(p[2 * i] | (p[2 * i + 1] << 8));
        out[i] = v;
        int32_t code = n1_model_code_of(m, v);
        if (code < 0) code = n1_model_nearest(m, v);
        n1_model_begin(m);
        n1_model_update(m, code);
    }
}

static int decode_frame(n1_decoder *d, const block_frame *f, int16_t *out)
{
    if (!f->coded) {
        decode_stored(d, f->p, out, f->n);
        return N1_OK;
    }
    if (d->level == N1_STREAM_TABLE)
        return n1_fast_decode_block(&d->fast, &d->model.map, f->p, f->nbytes, out, f->n);
    return decode_coded(d, f->p, f->nbytes, out, f->n);
}

int n1_decoder_block(n1_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                     int16_t *out, size_t cap, size_t *produced)
{
    if (!d || !consumed || !produced || (len && !in) || (cap && !out)) return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    *consumed = 0;
    *produced = 0;
    if (!d->started) {
        int st = read_header(d, in, len, &pos);
        if (st != N1_OK) return st;
        *consumed = pos;
    }
    if (pos == len) return N1_OK;
    block_frame f;
    int st = read_frame(in, len, &pos, cap, &f);
    if (st == N1_OK) st = decode_frame(d, &f, out);
    if (st != N1_OK) return st;
    *consumed = pos;
    *produced = f.n;
    return N1_OK;
}

/* Code x[0..count) as one stream with a set-up state: its blocks, then the finish. */
static int code_whole(n1_encoder *e, const int16_t *x, size_t count, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    size_t a = 0, b = 0;
    int st = n1_encoder_block(e, x, count, out, cap, &a);
    if (st == N1_OK) st = n1_encoder_finish(e, out + a, cap - a, &b);
    if (st == N1_OK) *out_len = a + b;
    return st;
}

int n1_codec_encode_with(n1_encoder *e, const int16_t *x, size_t count, int level,
                         const n1_cross *cross, const uint8_t *head, size_t head_len,
                         uint8_t *out, size_t cap, size_t *out_len)
{
    if (!e || !out_len || (count && !x) || !out) return N1_ERR_INVALID_ARG;
    *out_len = 0;
    int st = n1_encoder_init(e, level);
    if (st == N1_OK && cross) st = n1_encoder_set_cross(e, cross);
    if (st == N1_OK && head) st = n1_encoder_follow(e, head, head_len);
    return st == N1_OK ? code_whole(e, x, count, out, cap, out_len) : st;
}

int n1_codec_encode_follow(const int16_t *x, size_t count, int level, const uint8_t *head,
                           size_t head_len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (count && !x) || !out) return N1_ERR_INVALID_ARG;
    *out_len = 0;
    n1_encoder *e = (n1_encoder *)malloc(sizeof(*e));
    if (!e) return N1_ERR_NOMEM;
    int st = n1_codec_encode_with(e, x, count, level, NULL, head, head_len, out, cap, out_len);
    free(e);
    return st;
}

int n1_codec_encode(const int16_t *x, size_t count, int level,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    return n1_codec_encode_follow(x, count, level, NULL, 0, out, cap, out_len);
}

int n1_codec_decode(const uint8_t *in, size_t len, int16_t *out, size_t count)
{
    if ((len && !in) || (count && !out)) return N1_ERR_INVALID_ARG;
    n1_decoder *d = (n1_decoder *)malloc(sizeof(*d));
    if (!d) return N1_ERR_NOMEM;
    int st = n1_codec_decode_with(d, in, len, NULL, out, count);
    free(d);
    return st;
}

int n1_codec_decode_with(n1_decoder *d, const uint8_t *in, size_t len, const n1_cross *cross,
                         int16_t *out, size_t count)
{
    if (!d || (len && !in) || (count && !out)) return N1_ERR_INVALID_ARG;
    n1_decoder_init(d);
    size_t pos = 0, got = 0;
    int st = cross ? n1_decoder_set_cross(d, cross) : N1_OK;
    if (st != N1_OK) return st;
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
    return st;
}

/* Two streams of `count` samples block by block in step, table-level blocks of the
 * same length two at a time (n1_fast_decode_block2). Any failure, or streams whose
 * blocks do not line up, is left to the one-by-one decoding. */
static int decode_in_step(n1_decoder *d0, n1_decoder *d1, const uint8_t *in0, size_t len0,
                          const uint8_t *in1, size_t len1, int16_t *out0, int16_t *out1,
                          size_t count)
{
    n1_decoder_init(d0);
    n1_decoder_init(d1);
    size_t pos0 = 0, pos1 = 0, got = 0;
    int st = read_header(d0, in0, len0, &pos0);
    if (st == N1_OK) st = read_header(d1, in1, len1, &pos1);
    while (st == N1_OK && got < count) {
        block_frame f0, f1;
        st = read_frame(in0, len0, &pos0, count - got, &f0);
        if (st == N1_OK) st = read_frame(in1, len1, &pos1, count - got, &f1);
        if (st != N1_OK) break;
        if (f0.n != f1.n) return N1_ERR_CORRUPT;
        if (f0.coded && f1.coded && d0->level == N1_STREAM_TABLE && d1->level == N1_STREAM_TABLE) {
            st = n1_fast_decode_block2(&d0->fast, &d1->fast, &d0->model.map, &d1->model.map,
                                       f0.p, f0.nbytes, f1.p, f1.nbytes, out0 + got, out1 + got,
                                       f0.n);
        } else {
            st = decode_frame(d0, &f0, out0 + got);
            if (st == N1_OK) st = decode_frame(d1, &f1, out1 + got);
        }
        got += f0.n;
    }
    if (st == N1_OK && (pos0 != len0 || pos1 != len1)) st = N1_ERR_CORRUPT;
    return st;
}

int n1_codec_decode_pair(n1_decoder *d0, n1_decoder *d1, const uint8_t *in0, size_t len0,
                         const uint8_t *in1, size_t len1, int16_t *out0, int16_t *out1,
                         size_t count, int *failed)
{
    if (!d0 || !d1 || d0 == d1 || !failed || (len0 && !in0) || (len1 && !in1) ||
        (count && (!out0 || !out1)))
        return N1_ERR_INVALID_ARG;
    *failed = 0;
    if (count && decode_in_step(d0, d1, in0, len0, in1, len1, out0, out1, count) == N1_OK)
        return N1_OK;
    int st = n1_codec_decode_with(d0, in0, len0, NULL, out0, count);
    if (st != N1_OK) return st;
    st = n1_codec_decode_with(d1, in1, len1, NULL, out1, count);
    if (st != N1_OK) *failed = 1;
    return st;
}
