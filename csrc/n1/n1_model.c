/*
 * n1_model.c -- see n1_model.h for the contract.
 */
#include "n1_model.h"
#include "n1_div.h"
#include <string.h>

static void refit_widths(n1_model *m);
static void fill_posmap(n1_model *m);

static void set_nominal_bins(n1_model *m)
{
    for (int32_t k = 0; k <= m->K; k++) m->edge[k] = k << 8;
    for (int32_t k = 0; k < m->K; k++) m->centre[k] = (k << 8) + 128;
}

void n1_model_init(n1_model *m, const n1_adc_map *map, const n1_params *par)
{
    n1_model_init_values(m, map, NULL, par);
}

void n1_model_init_values(n1_model *m, const n1_adc_map *map, const int32_t *values,
                          const n1_params *par)
{
    memset(m, 0, sizeof(*m));
    m->map = *map;
    m->par = *par;
    if (m->par.floor_freq < 1) m->par.floor_freq = 1;
    if (m->par.floor_freq > 64) m->par.floor_freq = 64;
    m->K = map->ncodes;
    m->stages = par->stage2_taps || par->stage3_taps; /* n1_model_set_cross adds references */
    m->table = m->K <= N1_MODEL_KMAX;
    if (!m->table) m->par.learn_widths = 0;
    m->A = N1_PROB_ONE - (uint32_t)m->par.floor_freq * (uint32_t)(m->K + 1);
    if (m->table) { /* nominal bins; the position map covers the K codes' cells only */
        set_nominal_bins(m);
        for (int32_t i = 0; i < (m->K << (8 - N1_POSMAP_SHIFT)); i++)
            m->posmap[i] = (int16_t)(i >> (8 - N1_POSMAP_SHIFT));
    }
    int prior = m->par.prior_any ? m->K == 1024
                                 : (map->kind == N1_ADC_STRETCH && map->bits == 10);
    if (m->par.learn_widths && m->par.width_table && prior) {
        m->prior_w = n1_dnl10;
        refit_widths(m);
    }
    m->y_prev = ((int64_t)m->K << 7);  /* middle of the range */
    m->var = (uint64_t)(8 * 256) * (8 * 256);
    m->var_f = m->var;
    if (m->table)
        for (int32_t k = 0; k < m->K; k++)
            m->value[k] = (map->kind == N1_ADC_TABLE && values) ? values[k] : n1_adc_value(map, k);
    n1_lpc_init(&m->lpc, par->pred_mode, par->taps, par->lms_mu, par->ls_decay,
                par->ls_period, par->ls_ridge);
    if (par->hist_shift) n1_lpc_set_shift(&m->lpc, par->hist_shift);
    if (par->stage2_taps) {
        n1_lpc_init(&m->lms2, N1_LPC_SIGN, par->stage2_taps, par->stage2_mu, 12, 128, 0);
        if (par->hist_shift) n1_lpc_set_shift(&m->lms2, par->hist_shift);
    }
    if (par->stage3_taps)
        n1_lms_init(&m->lms3, par->stage3_taps, par->stage3_mu,
                    par->hist_shift ? par->hist_shift : 4);
}

/* Last code whose value is <= x in the sorted table (0 when x is below all). */
static int32_t table_floor(const n1_model *m, int32_t x)
{
    int32_t lo = 0, hi = m->K - 1;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        if (m->value[mid] <= x) lo = mid; else hi = mid - 1;
    }
    return lo;
}

int32_t n1_model_code_of(const n1_model *m, int32_t x)
{
    if (m->map.kind != N1_ADC_TABLE) return n1_adc_to_code(&m->map, x);
    int32_t k = table_floor(m, x);
    return m->value[k] == x ? k : -1;
}

int32_t n1_model_nearest(const n1_model *m, int32_t x)
{
    if (m->map.kind != N1_ADC_TABLE) return n1_adc_nearest(&m->map, x);
    int32_t k = table_floor(m, x);
    if (k + 1 < m->K && (int64_t)m->value[k + 1] - x < (int64_t)x - m->value[k]) k++;
    return k;
}

/* Refit bin widths: width ~ count / smoothed count, normalised to K * 256.
 * The smoothed count is a quadratic Savitzky-Golay fit over k-R..k+R (exact for
 * a locally quadratic histogram, so peaks are not flattened), computed with
 * sliding window moments A0 = sum c_i, A1 = sum (i-k) c_i, A2 = sum (i-k)^2 c_i;
 * within R of either end of the code range it is a plain box average. */
static void refit_widths(n1_model *m)
{
    const int32_t K = m->K;
    int R = m->par.width_radius;
    if (R < 1) R = 1;
    if (2 * R + 1 > K) R = (K - 1) / 2;
    const int64_t prior = m->par.width_prior;
    const uint32_t *c = m->count;
    int32_t *w = m->centre; /* temporary: widths, overwritten by centres below */
    const int64_t sga = 3 * (3 * (int64_t)R * R + 3 * R - 1);
    const int64_t sgden = (2 * (int64_t)R + 1) * (4 * (int64_t)R * R + 4 * R - 3);
    int64_t A0 = 0, A1 = 0, A2 = 0, total = 0;
    if (R >= 1) {
        for (int j = -R; j <= R; j++) { /* window around k = R */
            int64_t ci = c[R + j];
            A0 += ci; A1 += j * ci; A2 += (int64_t)j * j * ci;
        }
    }
    for (int32_t k = 0; k < K; k++) {
        int64_t sm, den;
        if (R < 1 || k < R || k > K - 1 - R) {
            int32_t lo = k - R < 0 ? 0 : k - R, hi = k + R > K - 1 ? K - 1 : k + R;
            sm = 0;
            for (int32_t i = lo; i <= hi; i++) sm += c[i];
            den = hi - lo + 1;
        } else if (k > R && A0 == 0 && c[k + R] == 0) {
            sm = 0; /* an empty window stays empty (what leaves it is 0): most codes */
            den = sgden;
        } else {
            if (k > R) { /* slide the window from k-1 to k */
                int64_t out = c[k - 1 - R], in = c[k + R];
                A2 = A2 - 2 * A1 + A0;  /* offsets shift by -1 */
                A1 = A1 - A0;
                A0 -= out; A1 -= (int64_t)(-R - 1) * out; A2 -= (int64_t)(R + 1) * (R + 1) * out;
                A0 += in; A1 += (int64_t)R * in; A2 += (int64_t)R * R * in;
            }
            sm = sga * A0 - 15 * A2;
            den = sgden;
            if (sm < 0) sm = 0;
        }
        int64_t pw = m->prior_w ? m->prior_w[k] : 256;
        /* an empty neighbourhood gives exactly the prior width: skip the division */
        int64_t wk = (c[k] == 0 && sm == 0) ? pw
                     : n1_div_floor(((int64_t)c[k] * 256 + prior * pw) * den, sm + prior * den);
        if (wk < 16) wk = 16;
        if (wk > 1024) wk = 1024;
        w[k] = (int32_t)wk;
        total += wk;
    }
    int64_t target = (int64_t)K << 8;
    int64_t e = 0;
    for (int32_t k = 0; k < K; k++) {
        int64_t wk = n1_div_floor((int64_t)w[k] * target + total / 2, total);
        if (wk < 1) wk = 1;
        m->edge[k] = (int32_t)e;
        e += wk;
        m->centre[k] = (int32_t)(m->edge[k] + wk / 2);
    }
    m->edge[K] = (int32_t)e;
    fill_posmap(m);
}

/* Position -> code guess for the decoder: cell i holds the last code whose bin
 * starts at or before position i * 2^SHIFT (edge[0] = 0; the last code takes every
 * cell past its start). Edges increase, so that code is the number of codes k >= 1
 * starting by cell i: count the codes starting in each cell, then sum the counts
 * along the cells (no branch per run, whose lengths vary). */
static void fill_posmap(n1_model *m)
{
    const int32_t K = m->K, cells = K << (8 - N1_POSMAP_SHIFT);
    const int32_t step = 1 << N1_POSMAP_SHIFT;
    int16_t *map = m->posmap;
    memset(map, 0, (size_t)cells * sizeof(map[0]));
    for (int32_t k = 1; k < K; k++) {
        int32_t start = (m->edge[k] + step - 1) >> N1_POSMAP_SHIFT;
        if (start < cells) map[start]++;
    }
    int32_t code = 0;
    for (int32_t i = 0; i < cells; i++) {
        code += map[i];
        map[i] = (int16_t)code;
    }
}

void n1_model_set_cross(n1_model *m, const n1_cross *cx)
{
    m->cx = *cx;
    if (m->cx.nref < 0) m->cx.nref = 0;
    if (m->cx.nref > N1_CROSS_MAX) m->cx.nref = N1_CROSS_MAX;
    m->t = 0;
    m->stages = m->cx.rec || m->cx.nref || m->par.stage2_taps || m->par.stage3_taps;
    memset(m->cs, 0, sizeof(m->cs));
    m->cw[0] = m->cw[1] = 0;
    m->xc = 0;
}

#define CROSS_PERIOD 32   /* samples between weight solves */
#define CROSS_DECAY 6     /* sums forget 2^-6 each period: a window of ~2048 samples */
#define CROSS_WMAX 32767  /* |weight| < 8 (Q12) */

static int32_t clamp_w(int64_t w)
{
    return (int32_t)(w > CROSS_WMAX ? CROSS_WMAX : (w < -CROSS_WMAX ? -CROSS_WMAX : w));
}

/* Weights from the windowed sums (ridge: 1/256 of the diagonal). Two references:
 * Cramer's rule on the sums scaled below 2^24, so every product fits int64. */
static void cross_solve(n1_model *m)
{
    int64_t a = m->cs[0] + (m->cs[0] >> 8) + 1, b = m->cs[1];
    int64_t c = m->cs[2] + (m->cs[2] >> 8) + 1, u = m->cs[3], v = m->cs[4];
    if (m->cx.nref == 1) {
        m->cw[0] = clamp_w((u * 4096) / a);  /* |u| < 2^42 */
        return;
    }
    int64_t big = a;
    const int64_t all[4] = {c, b < 0 ? -b : b, u < 0 ? -u : u, v < 0 ? -v : v};
    for (int i = 0; i < 4; i++) big = all[i] > big ? all[i] : big;
    int sh = 0;
    while ((big >> sh) >= ((int64_t)1 << 24)) sh++;
    a >>= sh; b >>= sh; c >>= sh; u >>= sh; v >>= sh;
    int64_t det = a * c - b * b;
    if (det <= 0) { m->cw[0] = m->cw[1] = 0; return; }
    m->cw[0] = clamp_w(((c * u - b * v) * 4096) / det); /* |num| < 2^49 */
    m->cw[1] = clamp_w(((a * v - b * u) * 4096) / det);
}

/* Record this sample's own error and fold it into the reference sums. */
static void cross_update(n1_model *m, int64_t e_own)
{
    int hs = m->par.hist_shift ? m->par.hist_shift : 4;
    int64_t q = e_own >> hs;
    q = q > 32767 ? 32767 : (q < -32767 ? -32767 : q);
    if (m->cx.rec) m->cx.rec[m->t] = (int16_t)q;
    if (m->cx.nref) {
        int64_t r0 = m->cx.ref[0][m->t], r1 = m->cx.nref > 1 ? m->cx.ref[1][m->t] : 0;
        m->cs[0] += r0 * r0;
        m->cs[1] += r0 * r1;
        m->cs[2] += r1 * r1;
        m->cs[3] += r0 * q;
        m->cs[4] += r1 * q;
        if (((m->t + 1) & (CROSS_PERIOD - 1)) == 0) {
            for (int i = 0; i < 5; i++) m->cs[i] -= m->cs[i] >> CROSS_DECAY;
            cross_solve(m);
        }
    }
    m->t++;
}

void n1_model_update_stages(n1_model *m, int64_t d)
{
    if (m->cx.rec || m->cx.nref) cross_update(m, d - m->pd);
    if (m->par.stage2_taps) {
        int64_t e1 = d - m->pd1;
        const int64_t lim = (int64_t)1 << 30;
        e1 = e1 > lim ? lim : (e1 < -lim ? -lim : e1);
        n1_lpc_update(&m->lms2, (int32_t)e1, e1 - m->pd2);
    }
    if (m->par.stage3_taps) { /* the error both stages leave */
        int64_t e2 = d - m->pd1 - m->pd2;
        n1_lms_update(&m->lms3, e2, e2 - m->pd3);
    }
}

void n1_model_count_full(n1_model *m, int32_t code)
{
    if (m->count[code] >= (1u << 30))
        for (int32_t k = 0; k < m->K; k++) m->count[k] >>= 1;
    if (m->since_fit >= (uint32_t)m->par.width_period) {
        m->since_fit = 0;
        refit_widths(m);
        /* keep the history on the new axis */
        m->y_prev = m->centre[code];
    }
}
