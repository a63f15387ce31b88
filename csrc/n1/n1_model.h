/*
 * n1_model.h -- the per-sample probability model of the n1 codec.
 *
 * State (all integer, reproduced exactly by the decoder):
 *   - the ADC mapping (n1_adc.h): K codes;
 *   - a bin per code on a "linear" axis in Q8 (nominal width 256): when the
 *     alphabet is small (K <= N1_MODEL_KMAX) the bin widths are learnt online
 *     from the code histogram (count of a code / smoothed count of its
 *     neighbours, shrunk towards 1 by a prior), because the ADC's steps are
 *     uneven; otherwise every bin has width 256;
 *   - a predictor (n1_lpc.h) on the bin centres;
 *   - a slowly tracked residual variance.
 * For each sample the model is a Gaussian N(pred, var) integrated over the
 * bins, with the two outermost bins open-ended, plus a floor of `floor_freq`
 * per symbol, plus one escape symbol (index K) for samples off the ADC grid.
 * Cumulative frequencies are integers with total N1_PROB_ONE = 2^24, strictly
 * increasing in the symbol index (every symbol has frequency >= 1).
 *
 * Use: n1_model_begin() before each sample, then n1_model_cum() (encoder) or
 * n1_model_find() (decoder), then n1_model_update() with the sample's code
 * (the nearest code for an escaped sample). No allocation, no failure modes.
 */
#ifndef N1_MODEL_H
#define N1_MODEL_H

#include <stdint.h>
#include "n1_adc.h"
#include "n1_gauss.h"
#include "n1_lpc.h"
#include "n1_lms.h"

#define N1_PROB_BITS 24
#define N1_PROB_ONE (1u << N1_PROB_BITS)
#define N1_MODEL_KMAX 4096
#define N1_INVPHI_BITS 10
#define N1_POSMAP_SHIFT 6 /* decoder's position->code map: 4 cells a nominal code */

typedef struct n1_params {
    int pred_mode;     /* N1_LPC_SIGN or N1_LPC_LS */
    int taps;          /* 1..32 */
    int lms_mu;        /* sign-sign LMS step (Q14) */
    int ls_decay;      /* LS window 2^ls_decay samples */
    int ls_period;     /* samples between LS solves */
    int ls_ridge;      /* diagonal loading acc0 >> ridge (0 = none) */
    int var_shift;     /* variance tracker: v += (r^2 - v) >> var_shift */
    int learn_widths;  /* 0/1 */
    int width_period;  /* samples between bin-width refits */
    int width_radius;  /* neighbourhood for the smoothed histogram */
    int width_prior;   /* prior count (shrinks widths towards nominal) */
    int floor_freq;    /* per-symbol floor out of 2^24 */
    int width_table;   /* 0/1: start 10-bit stretch streams from n1_dnl10 */
    /* format 2 only (0 in format-1 streams, which behave as before): */
    int hist_shift;    /* predictor history shift, 4..12 (0 = 4) */
    int prior_any;     /* 1: the n1_dnl10 prior applies to any grid of K = 1024 */
    int var_fast;      /* 0, or a second, fast tracker (shift var_fast); the model
                        * variance is then (fast + slow) / 2 */
    int variant;       /* format 2: the model variant number (header) */
    int level_field;   /* encoder only: level written in the header (0 = its own) */
    int stage2_taps;   /* 0, or a sign-sign LMS stage (1..32 taps) predicting the
                        * LS stage's error from that error's history */
    int stage2_mu;     /* its step (Q12 weights) */
    int stage3_taps;   /* 0, or a long sign-sign LMS stage (n1_lms.h, format 4)
                        * predicting the error of the first two stages */
    int stage3_mu;     /* its step (Q16 weights) */
} n1_params;

/* Joint multichannel coding (n1_joint.h): the "own error" of a channel is the
 * first difference minus the channel's own prediction, q = clamp((d - pd) >> h,
 * +-32767) with h its history shift (4 in format 1). A channel coded with
 * references adds to its prediction a windowed least-squares combination of the
 * references' q at the same instant (already decoded), weights solved from past
 * samples only, in integers. */
#define N1_CROSS_MAX 2
typedef struct n1_cross {
    const int16_t *ref[N1_CROSS_MAX]; /* q of each reference channel, one per sample */
    int nref;                         /* 0..N1_CROSS_MAX */
    int16_t *rec;                     /* this channel's own q is written here (or NULL) */
} n1_cross;

typedef struct n1_model {
    n1_adc_map map;
    n1_params par;
    int32_t K;
    int table;                     /* bins tabulated (K <= KMAX) */
    uint32_t A;                    /* Gaussian mass: 2^24 - floor*(K+1) */
    int64_t y_prev;                /* centre of the previous sample's bin, Q8 */
    int64_t pred;                  /* prediction for the current sample, Q8 */
    int64_t pd;                    /* predicted difference, Q8 */
    uint64_t var;                  /* Q16 */
    uint64_t var_f;                /* fast tracker (var_fast), Q16 */
    uint32_t zmul;
    unsigned zshift;
    int64_t sigma;                 /* ~sqrt(var), Q8: search guesses only */
    uint32_t since_fit;
    n1_lpc lpc;
    n1_lpc lms2;                   /* stage 2 (stage2_taps) */
    n1_lms lms3;                   /* stage 3 (stage3_taps) */
    int64_t pd1, pd2, pd3;         /* stage predictions, Q8 */
    const uint16_t *prior_w;       /* prior widths (Q8) or NULL for nominal */
    n1_cross cx;                   /* references (nref 0: independent coding) */
    uint32_t t;                    /* samples modelled so far (index into cx arrays) */
    int stages;                    /* references or a second/third stage to update */
    int64_t cs[5];                 /* windowed sums: r0r0, r0r1, r1r1, r0e, r1e */
    int32_t cw[N1_CROSS_MAX];      /* Q12 weights of the references */
    int64_t xc;                    /* cross term of the current prediction, Q8 */
    int32_t edge[N1_MODEL_KMAX + 1];   /* Q8 left edges, edge[K] = total */
    int32_t centre[N1_MODEL_KMAX];
    uint32_t count[N1_MODEL_KMAX];
    int16_t posmap[N1_MODEL_KMAX << (8 - N1_POSMAP_SHIFT)]; /* code at position i << SHIFT (a guess) */
    int32_t value[N1_MODEL_KMAX];    /* sample value of each code (table mode) */
} n1_model;

extern const uint16_t n1_dnl10[1024];

/* Sample value of code k (0 <= k < K). */
static inline int32_t n1_model_value(const n1_model *m, int32_t k)
{
    return m->table ? m->value[k] : n1_adc_value(&m->map, k);
}

void n1_model_init(n1_model *m, const n1_adc_map *map, const n1_params *par);
/* Same; for an N1_ADC_TABLE map `values` holds its K sorted values (else unused). */
void n1_model_init_values(n1_model *m, const n1_adc_map *map, const int32_t *values,
                          const n1_params *par);

/* Code of sample value x, or -1 when x is not one of the K values. */
int32_t n1_model_code_of(const n1_model *m, int32_t x);
/* Nearest code to x (for escaped samples: keeps the model running). */
int32_t n1_model_nearest(const n1_model *m, int32_t x);

static inline int64_t n1_model_edge(const n1_model *m, int32_t k)
{
    return m->table ? m->edge[k] : ((int64_t)k << 8);
}

static inline void n1_model_begin(n1_model *m)
{
    m->pd = m->pd1 = n1_lpc_predict(&m->lpc);
    if (m->par.stage2_taps) {
        m->pd2 = n1_lpc_predict(&m->lms2);
        m->pd += m->pd2;
    }
    if (m->par.stage3_taps) {
        m->pd3 = n1_lms_predict(&m->lms3);
        m->pd += m->pd3;
    }
    int64_t pr = m->y_prev + m->pd;
    if (m->cx.nref) {
        int64_t acc = (int64_t)m->cw[0] * m->cx.ref[0][m->t];
        if (m->cx.nref > 1) acc += (int64_t)m->cw[1] * m->cx.ref[1][m->t];
        int hs = m->par.hist_shift ? m->par.hist_shift : 4;
        m->xc = acc >> (12 - hs);
        pr += m->xc;
    }
    const int64_t lim = (int64_t)1 << 26;
    m->pred = pr > lim ? lim : (pr < -lim ? -lim : pr);
    uint64_t v = m->par.var_fast ? (m->var >> 1) + (m->var_f >> 1) : m->var;
    n1_scale_from_var(v, &m->zmul, &m->zshift, &m->sigma);
}

/* Cumulative frequency of symbol k, 0 <= k <= K + 1 (K is the escape). */
static inline uint32_t n1_model_cum(const n1_model *m, int32_t k)
{
    if (k <= 0) return 0;
    if (k > m->K) return N1_PROB_ONE;
    uint32_t f = (uint32_t)m->par.floor_freq * (uint32_t)k;
    if (k == m->K) return m->A + f;
    int64_t z = ((n1_model_edge(m, k) - m->pred) * (int64_t)m->zmul) >> m->zshift;
    return (uint32_t)(((uint64_t)n1_phi(z) * m->A) >> 30) + f;
}

/* Code whose bin holds linear position pos (a guess: exact for nominal bins). */
static inline int32_t n1_model_code_at(const n1_model *m, int64_t pos)
{
    const int32_t K = m->K;
    if (pos < 0) return 0;
    int64_t g = pos >> 8;
    if (g > K - 1) return K - 1;
    if (!m->table) return (int32_t)g;
    int32_t k = m->posmap[pos >> N1_POSMAP_SHIFT];
    while (k < K - 1 && m->edge[k + 1] <= pos) k++;
    while (k > 0 && m->edge[k] > pos) k--;
    return k;
}

/* Largest k in 0..K with cum(k) <= slot (slot < 2^24); *lo, *hi = cum(k), cum(k+1).
 * Inline: the decoder calls it once a sample. */
static inline int32_t n1_model_find(const n1_model *m, uint32_t slot, uint32_t *lo,
                                     uint32_t *hi)
{
    /* invert the Gaussian for a first guess, then walk to the exact symbol */
    uint64_t u = (uint64_t)slot << (30 - N1_PROB_BITS);  /* ~ Phi(z), Q30 (A ~ 2^24) */
    int64_t z = n1_invphi[u >> (30 - N1_INVPHI_BITS)];
    int64_t d = (z * m->sigma) >> 11;
    int32_t k = n1_model_code_at(m, m->pred + d);
    uint32_t c0 = n1_model_cum(m, k), c1;
    if (c0 > slot) {
        do { c1 = c0; k--; c0 = n1_model_cum(m, k); } while (c0 > slot);
    } else {
        c1 = n1_model_cum(m, k + 1);
        while (c1 <= slot) { k++; c0 = c1; c1 = n1_model_cum(m, k + 1); }
    }
    *lo = c0;
    *hi = c1;
    return k;
}

/* Out of line parts of n1_model_update: the stages only some streams have (joint
 * references, the second and third predictor stages; independent of the first
 * stage's update), and a count that reached its limit or a due width refit. */
void n1_model_update_stages(n1_model *m, int64_t d);
void n1_model_count_full(n1_model *m, int32_t code);

/* Feed the sample's code: residual variance, predictors, bin counts. Inline: the
 * decoder and encoder loops call it once a sample. */
static inline void n1_model_update(n1_model *m, int32_t code)
{
    int64_t y = m->table ? m->centre[code] : (((int64_t)code << 8) + 128);
    int64_t r = y - m->pred;
    int64_t ar = r < 0 ? -r : r;
    if (ar > ((int64_t)1 << 30)) ar = (int64_t)1 << 30;
    uint64_t r2 = (uint64_t)ar * (uint64_t)ar;
    int vs = m->par.var_shift, vf = m->par.var_fast;
    m->var = m->var + (r2 >> vs) - (m->var >> vs);
    if (vf)
        m->var_f = m->var_f + (r2 >> vf) - (m->var_f >> vf);
    int64_t d = y - m->y_prev;
    if (m->stages) n1_model_update_stages(m, d);
    n1_lpc_update(&m->lpc, (int32_t)d, d - m->pd);
    m->y_prev = y;
    /* both counters advance every sample: '|' of the two tests, not '||' */
    if (m->par.learn_widths && ((unsigned)(++m->count[code] >= (1u << 30)) |
                                (unsigned)(++m->since_fit >= (uint32_t)m->par.width_period)))
        n1_model_count_full(m, code);
}

/* Set the references and the recording of own errors (after n1_model_init*). */
void n1_model_set_cross(n1_model *m, const n1_cross *cx);

#endif
