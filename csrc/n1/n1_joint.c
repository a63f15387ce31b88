/*
 * n1_joint.c -- joint multichannel coding (see n1_joint.h).
 */
#include "n1_joint.h"
#include "n1_columns.h"
#include "../common/varint.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHAN_HEAD_MAX (5 + 5 * N1_CROSS_MAX)
#define PICK_SAMPLES 8192  /* samples (evenly spread) the reference choice looks at */
#define PICK_MIN_R2 0.01   /* explained share of the own-error variance worth a trial */
#define FOLLOW_GAIN_R2 0.02 /* more of it a follower's own pick must explain to be tried */

static size_t put_varint(uint8_t *p, uint64_t v) { return n1c_varint_put(p, v); }

/* Bytes read (1..8), 0 when truncated, -1 when malformed (common/varint.h; over 2^56). */
static int get_varint(const uint8_t *p, size_t len, uint64_t *v)
{
    size_t pos = 0;
    int st = n1c_varint_get(p, len, &pos, 8, UINT64_MAX, v);
    if (st != N1_OK) return st == N1_ERR_TRUNCATED ? 0 : -1;
    return (int)pos;
}

size_t n1_joint_bound(size_t frames, size_t channels)
{
    size_t one = n1_codec_bound(frames) + CHAN_HEAD_MAX;
    if (channels && one > ((size_t)-1 - 16) / channels) return 0;
    return 16 + channels * one;
}

/* The own errors the reference choice looks at: every step-th sample of each
 * channel's (step = frames / PICK_SAMPLES, at least 1), m a channel, contiguous so
 * that the sums vectorise, and each channel's sum of squares, computed once. */
typedef struct sampled {
    int16_t *q;       /* channel c's samples at q + c * m */
    int64_t *energy;  /* their sums of squares */
    size_t step, m;
} sampled;

static int64_t dot_rows(const int16_t *a, const int16_t *b, size_t m)
{
    int64_t s = 0;
    for (size_t k = 0; k < m; k++) s += (int32_t)a[k] * b[k]; /* |q| <= 32767: fits int32 */
    return s;
}

/* Sample channel c's own errors qc (again, whenever they change). */
static void sample_channel(sampled *sm, size_t c, const int16_t *qc)
{
    int16_t *row = sm->q + c * sm->m;
    for (size_t k = 0; k < sm->m; k++) row[k] = qc[k * sm->step];
    sm->energy[c] = dot_rows(row, row, sm->m);
}

/* Correlation of the sampled own errors of channels a and b. */
static double correlation(const sampled *sm, size_t a, size_t b)
{
    double e = (double)sm->energy[a] * (double)sm->energy[b];
    return e > 0 ? (double)dot_rows(sm->q + a * sm->m, sm->q + b * sm->m, sm->m) / sqrt(e) : 0;
}

/* Explained share of variance of two regressors correlating ra and rb with the
 * target and rab with each other (rab^2 < 1). */
static double pair_r2(double ra, double rb, double rab)
{
    return (ra * ra + rb * rb - 2 * ra * rb * rab) / (1 - rab * rab);
}

/* Choose up to N1_CROSS_MAX references for channel c among the earlier channels
 * (greedy: the best correlated own errors, then the one adding most explained
 * variance with it). Returns how many; refs[] gets them. */
static int pick_refs(const sampled *sm, size_t c, size_t refs[])
{
    size_t first = c > N1_JOINT_WINDOW ? c - N1_JOINT_WINDOW : 0;
    if (sm->energy[c] <= 0) return 0;
    double r[N1_JOINT_WINDOW];
    double best = 0;
    size_t b1 = 0;
    for (size_t j = first; j < c; j++) {
        r[j - first] = correlation(sm, j, c);
        double r2 = r[j - first] * r[j - first];
        if (r2 > best) { best = r2; b1 = j; }
    }
    if (best < PICK_MIN_R2) return 0;
    refs[0] = b1;
    double r1 = r[b1 - first], gain2 = 0;
    size_t b2 = b1;
    for (size_t j = first; j < c; j++) {
        if (j == b1 || sm->energy[j] <= 0) continue;
        double r1j = correlation(sm, b1, j);
        if (r1j * r1j > 0.999) continue;
        double r2 = pair_r2(r1, r[j - first], r1j);
        if (r2 - best > gain2) { gain2 = r2 - best; b2 = j; }
    }
    if (gain2 < PICK_MIN_R2 / 2) return 1;
    refs[1] = b2;
    return 2;
}

/* Share of channel c's own-error variance (sampled) that the least-squares
 * combination of refs[0..nref) explains: what pick_refs maximises. */
static double explained(const sampled *sm, size_t c, const size_t refs[], int nref)
{
    if (sm->energy[c] <= 0 || nref == 0) return 0;
    double r[N1_CROSS_MAX];
    for (int i = 0; i < nref; i++) {
        if (sm->energy[refs[i]] <= 0) return 0;
        r[i] = correlation(sm, refs[i], c);
    }
    if (nref == 1) return r[0] * r[0];
    double r01 = correlation(sm, refs[0], refs[1]);
    if (r01 * r01 > 0.999) return r[0] * r[0] > r[1] * r[1] ? r[0] * r[0] : r[1] * r[1];
    return pair_r2(r[0], r[1], r01);
}

typedef struct joint_work {
    n1_encoder *enc, *enc2;  /* the channel alone, then with references */
    int16_t *cols;      /* N1_COLUMNS channels' samples, channel after channel */
    int16_t *chan;      /* the channel being coded (in cols) */
    int16_t *q;         /* own errors of every channel, channel after channel */
    int16_t *qtry;      /* own errors of the joint trial */
    uint8_t *alone, *with;
    size_t cap;
    sampled picks;      /* what the reference choice looks at */
} joint_work;

static void work_free(joint_work *w)
{
    free(w->enc); free(w->enc2); free(w->cols); free(w->q); free(w->qtry); free(w->alone); free(w->with);
    free(w->picks.q); free(w->picks.energy);
}

static int work_alloc(joint_work *w, size_t frames, size_t channels)
{
    memset(w, 0, sizeof(*w));
    w->cap = n1_codec_bound(frames);
    w->enc = malloc(sizeof(n1_encoder));
    w->enc2 = malloc(sizeof(n1_encoder));
    w->cols = n1_columns_buffer(frames, channels);
    w->q = calloc(frames * channels + 1, sizeof(int16_t));
    w->qtry = malloc((frames ? frames : 1) * sizeof(int16_t));
    w->alone = malloc(w->cap);
    w->with = malloc(w->cap);
    w->picks.step = frames > PICK_SAMPLES ? frames / PICK_SAMPLES : 1;
    w->picks.m = frames ? (frames - 1) / w->picks.step + 1 : 0;
    w->picks.q = malloc((w->picks.m * channels + 1) * sizeof(int16_t));
    w->picks.energy = calloc(channels, sizeof(int64_t));
    if (!w->enc || !w->enc2 || !w->cols || !w->q || !w->qtry || !w->alone || !w->with ||
        !w->picks.q || !w->picks.energy) {
        work_free(w);
        return N1_ERR_NOMEM;
    }
    return N1_OK;
}

/* Code w->chan again into w->with with references refs[0..nref) (none: alone), its own
 * errors into w->qtry, in the format and parameters the first coding (w->enc) chose:
 * one pass instead of the trials of every candidate. */
static int encode_like(joint_work *w, size_t frames, int level, const size_t refs[], int nref,
                       size_t *len)
{
    n1_encoder *e = w->enc2;
    n1_cross cross;
    memset(&cross, 0, sizeof(cross));
    cross.nref = nref;
    for (int i = 0; i < nref; i++) cross.ref[i] = w->q + refs[i] * frames;
    cross.rec = w->qtry;
    size_t a = 0, b = 0;
    int st = n1_encoder_init(e, level);
    if (st == N1_OK) st = n1_encoder_set_cross(e, &cross);
    if (st == N1_OK && w->enc->started) st = n1_encoder_reuse_choice(e, w->enc);
    if (st == N1_OK) st = n1_encoder_block(e, w->chan, frames, w->with, w->cap, &a);
    if (st == N1_OK) st = n1_encoder_finish(e, w->with + a, w->cap - a, &b);
    *len = a + b;
    return st;
}

/* The second coding (encode_like) won: its own errors become channel c's. */
static void adopt_trial(joint_work *w, size_t c, size_t frames)
{
    memcpy(w->q + c * frames, w->qtry, frames * sizeof(int16_t));
    sample_channel(&w->picks, c, w->q + c * frames);
}

/* Put channel c's head (size, references) and its stream at out + *pos. */
static int put_channel(size_t c, const uint8_t *stream, size_t nbytes, int nref,
                       const size_t refs[], uint8_t *out, size_t cap, size_t *pos)
{
    if (cap - *pos < CHAN_HEAD_MAX + nbytes) return N1_ERR_OUTPUT_FULL;
    *pos += put_varint(out + *pos, (uint64_t)nbytes << 2 | (uint64_t)nref);
    for (int i = 0; i < nref; i++) *pos += put_varint(out + *pos, c - 1 - refs[i]);
    memcpy(out + *pos, stream, nbytes);
    *pos += nbytes;
    return N1_OK;
}

/* The references `follow` names for channel c, as channel indices: N1_ERR_INVALID_ARG
 * unless they are distinct earlier channels, at most N1_CROSS_MAX. */
static int lead_refs(const n1_joint_choice *follow, size_t c, size_t refs[])
{
    if (follow->nref > N1_CROSS_MAX) return N1_ERR_INVALID_ARG;
    for (int i = 0; i < follow->nref; i++) {
        if (follow->back[i] >= c || (i == 1 && follow->back[1] == follow->back[0]))
            return N1_ERR_INVALID_ARG;
        refs[i] = c - 1 - follow->back[i];
    }
    return N1_OK;
}

/* Channel c following `follow` (with a head): one pass with that model and the
 * references it had. A second pass, with the references its own errors pick (maybe
 * none), keeping the smaller, only where the lead's explain less than PICK_MIN_R2 of
 * those errors or its own pick FOLLOW_GAIN_R2 more; a channel that had none takes none. */
static int encode_following(joint_work *w, size_t c, size_t frames, int level,
                            const n1_joint_choice *follow, uint8_t *out, size_t cap, size_t *pos)
{
    int16_t *qc = w->q + c * frames;
    n1_cross cross;
    size_t refs[N1_CROSS_MAX], again[N1_CROSS_MAX], n = 0, n2 = 0;
    int st = lead_refs(follow, c, refs);
    if (st != N1_OK) return st;
    memset(&cross, 0, sizeof(cross));
    cross.rec = qc;
    cross.nref = follow->nref;
    for (int i = 0; i < follow->nref; i++) cross.ref[i] = w->q + refs[i] * frames;
    st = n1_codec_encode_with(w->enc, w->chan, frames, level, &cross, follow->head,
                                  follow->head_len, w->alone, w->cap, &n);
    if (st != N1_OK) return st;
    int nref = follow->nref;
    sample_channel(&w->picks, c, qc);
    if (nref == 0) return put_channel(c, w->alone, n, 0, refs, out, cap, pos);
    int nagain = pick_refs(&w->picks, c, again);
    double had = explained(&w->picks, c, refs, nref);
    double now = explained(&w->picks, c, again, nagain);
    if (had >= PICK_MIN_R2 && now < had + FOLLOW_GAIN_R2)
        return put_channel(c, w->alone, n, nref, refs, out, cap, pos);
    st = encode_like(w, frames, level, again, nagain, &n2);
    if (st != N1_OK) return st;
    if (n2 + (size_t)nagain * 2 >= n + (size_t)nref * 2)
        return put_channel(c, w->alone, n, nref, refs, out, cap, pos);
    adopt_trial(w, c, frames);
    return put_channel(c, w->with, n2, nagain, again, out, cap, pos);
}

/* Code channel c (its samples in w->chan) at out + *pos; with a `follow` that has
 * a head, that model and its references in one pass (encode_following). */
static int encode_channel(joint_work *w, size_t c, size_t frames, int level,
                          const n1_joint_choice *follow, uint8_t *out, size_t cap, size_t *pos)
{
    if (follow && follow->head_len) return encode_following(w, c, frames, level, follow, out, cap, pos);
    int16_t *qc = w->q + c * frames;
    int st;
    n1_cross cross;
    memset(&cross, 0, sizeof(cross));
    cross.rec = qc;
    size_t na = 0, nw = 0, refs[N1_CROSS_MAX];
    st = n1_codec_encode_with(w->enc, w->chan, frames, level, level == N1_LEVEL_FAST ? NULL : &cross,
                              NULL, 0, w->alone, w->cap, &na);
    if (st != N1_OK) return st;
    int nref = 0;
    if (level != N1_LEVEL_FAST) { /* the fast level has no own errors: no references */
        sample_channel(&w->picks, c, qc);
        nref = c > 0 ? pick_refs(&w->picks, c, refs) : 0;
    }
    const uint8_t *best = w->alone;
    size_t nbest = na;
    if (nref) {
        st = encode_like(w, frames, level, refs, nref, &nw);
        if (st != N1_OK) return st;
        if (nw + (size_t)nref * 2 < na) {
            best = w->with;
            nbest = nw;
            adopt_trial(w, c, frames);
        } else {
            nref = 0;
        }
    }
    return put_channel(c, best, nbest, nref, refs, out, cap, pos);
}

int n1_joint_encode_follow(const int16_t *x, size_t frames, size_t channels, int level,
                           const n1_joint_choice *follow, uint8_t *out, size_t cap,
                           size_t *out_len)
{
    if (!out_len || (frames && channels && !x) || !out || channels == 0 ||
        level < N1_LEVEL_FAST || level > N1_LEVEL_MAX || (follow && level == N1_LEVEL_FAST))
        return N1_ERR_INVALID_ARG;
    *out_len = 0;
    if (frames > ((size_t)-1 / 4) / (channels > N1_COLUMNS ? channels : N1_COLUMNS))
        return N1_ERR_INVALID_ARG;
    if (cap < 16) return N1_ERR_OUTPUT_FULL;
    joint_work w;
    int st = work_alloc(&w, frames, channels);
    if (st != N1_OK) return st;
    size_t pos = 0;
    out[pos++] = (uint8_t)(N1_JOINT_VERSION << 4 | level);
    pos += put_varint(out + pos, channels);
    for (size_t c = 0; c < channels && st == N1_OK; c++) {
        size_t g = channels - c < N1_COLUMNS ? channels - c : N1_COLUMNS;
        if (c % N1_COLUMNS == 0) n1_columns_gather(x, frames, channels, c, g, w.cols);
        w.chan = w.cols + (c % N1_COLUMNS) * frames;
        st = encode_channel(&w, c, frames, level, follow ? &follow[c] : NULL, out, cap, &pos);
    }
    work_free(&w);
    if (st == N1_OK) *out_len = pos;
    return st;
}

int n1_joint_encode(const int16_t *x, size_t frames, size_t channels, int level,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    return n1_joint_encode_follow(x, frames, channels, level, NULL, out, cap, out_len);
}

/* Read channel c's head at in + *pos: stream size and references. */
static int read_channel_head(const uint8_t *in, size_t len, size_t *pos, size_t c,
                             size_t *nbytes, int *nref, size_t refs[])
{
    uint64_t v;
    int k = get_varint(in + *pos, len - *pos, &v);
    if (k == 0) return N1_ERR_TRUNCATED;
    if (k < 0) return N1_ERR_CORRUPT;
    *pos += (size_t)k;
    *nref = (int)(v & 3);
    if (*nref > N1_CROSS_MAX) return N1_ERR_CORRUPT;
    if ((v >> 2) > len - *pos) return N1_ERR_TRUNCATED;
    *nbytes = (size_t)(v >> 2);
    for (int i = 0; i < *nref; i++) {
        k = get_varint(in + *pos, len - *pos, &v);
        if (k == 0) return N1_ERR_TRUNCATED;
        if (k < 0 || v >= c) return N1_ERR_CORRUPT; /* references are earlier channels */
        *pos += (size_t)k;
        refs[i] = c - 1 - (size_t)v;
        if (i == 1 && refs[1] == refs[0]) return N1_ERR_CORRUPT;
    }
    if (*nbytes > len - *pos) return N1_ERR_TRUNCATED;
    return N1_OK;
}

/* The stream header: version, level and channel count; *pos after it. */
static int read_joint_head(const uint8_t *in, size_t len, size_t channels, size_t *pos)
{
    if (len < 1) return N1_ERR_TRUNCATED;
    if ((in[0] >> 4) != N1_JOINT_VERSION) return N1_ERR_UNSUPPORTED;
    if ((in[0] & 15) > N1_LEVEL_MAX) return N1_ERR_CORRUPT;
    uint64_t nch;
    *pos = 1;
    int k = get_varint(in + *pos, len - *pos, &nch);
    if (k == 0) return N1_ERR_TRUNCATED;
    if (k < 0 || nch != channels) return N1_ERR_CORRUPT;
    *pos += (size_t)k;
    return N1_OK;
}

int n1_joint_choices(const uint8_t *in, size_t len, size_t channels, n1_joint_choice *choices)
{
    if ((len && !in) || channels == 0 || !choices) return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    int st = read_joint_head(in, len, channels, &pos);
    for (size_t c = 0; c < channels && st == N1_OK; c++) {
        size_t nbytes = 0, refs[N1_CROSS_MAX];
        int nref = 0;
        st = read_channel_head(in, len, &pos, c, &nbytes, &nref, refs);
        if (st != N1_OK) break;
        n1_joint_choice *ch = &choices[c];
        memset(ch, 0, sizeof(*ch));
        /* a table stream (the fast level) tries nothing; a stream shorter than its
         * 2-byte header has no model to name */
        if (nbytes >= 2 && (in[pos] & 15) != N1_STREAM_TABLE) {
            ch->head_len = (uint8_t)(nbytes < N1_JOINT_HEAD ? nbytes : N1_JOINT_HEAD);
            memcpy(ch->head, in + pos, ch->head_len);
        }
        ch->nref = (uint8_t)nref;
        for (int i = 0; i < nref; i++) ch->back[i] = (uint32_t)(c - 1 - refs[i]);
        pos += nbytes;
    }
    if (st == N1_OK && pos != len) st = N1_ERR_CORRUPT;
    return st;
}

int n1_joint_decode(const uint8_t *in, size_t len, int16_t *out, size_t frames, size_t channels)
{
    if ((len && !in) || (frames && channels && !out) || channels == 0) return N1_ERR_INVALID_ARG;
    if (frames > ((size_t)-1 / 4) / (channels > N1_COLUMNS ? channels : N1_COLUMNS))
        return N1_ERR_INVALID_ARG;
    size_t pos = 0;
    int st = read_joint_head(in, len, channels, &pos);
    if (st != N1_OK) return st;
    n1_decoder *d = malloc(sizeof(n1_decoder));
    int16_t *q = calloc(frames * channels + 1, sizeof(int16_t));
    int16_t *cols = n1_columns_buffer(frames, channels);
    st = d && q && cols ? N1_OK : N1_ERR_NOMEM;
    for (size_t c = 0; c < channels && st == N1_OK; c++) {
        size_t nbytes = 0, refs[N1_CROSS_MAX];
        int nref = 0;
        st = read_channel_head(in, len, &pos, c, &nbytes, &nref, refs);
        if (st != N1_OK) break;
        n1_cross cross;
        memset(&cross, 0, sizeof(cross));
        cross.nref = nref;
        for (int i = 0; i < nref; i++) cross.ref[i] = q + refs[i] * frames;
        cross.rec = q + c * frames;
        st = n1_codec_decode_with(d, in + pos, nbytes, &cross, cols + (c % N1_COLUMNS) * frames,
                                  frames);
        pos += nbytes;
        if (st == N1_OK && (c % N1_COLUMNS == N1_COLUMNS - 1 || c == channels - 1))
            n1_columns_scatter(cols, frames, channels, c - c % N1_COLUMNS, c % N1_COLUMNS + 1, out);
    }
    if (st == N1_OK && pos != len) st = N1_ERR_CORRUPT; /* bytes after the last channel */
    free(d); free(q); free(cols);
    return st;
}
