/*
 * n1_model.c -- see n1_model.h for the contract.
 */
#include "n1_model.h"
#include <string.h>

static void refit_widths(n1_model *m);

static void set_nominal_bins(n1_model *m)
{
    for (int32_t k = 0; k <= m->K; k++) m->edge[k] = k << 8;
    for (int32_t k = 0; k < m->K; k++) m->centre[k] = (k << 8) + 128;
}

void n1_model_init(n1_model *m, const n1_adc_map *map, const n1_params *par)
{
    memset(m, 0, sizeof(*m));
    m->map = *map;
    m->par = *par;
    if (m->par.floor_freq < 1) m->par.floor_freq = 1;
    if (m->par.floor_freq > 64) m->par.floor_freq = 64;
    m->K = map->ncodes;
    m->table = m->K <= N1_MODEL_KMAX;
    if (!m->table) m->par.learn_widths = 0;
    m->A = N1_PROB_ONE - (uint32_t)m->par.floor_freq * (uint32_t)(m->K + 1);
    if (m->table) set_nominal_bins(m);
    if (m->par.learn_widths && m->par.width_table && map->kind == N1_ADC_STRETCH && map->bits == 10) {
        m->prior_w = n1_dnl10;
        refit_widths(m);
    }
    m->y_prev = ((int64_t)m->K << 7);  /* middle of the range */
    m->var = (uint64_t)(8 * 256) * (8 * 256);
    n1_rsqrt_init(m->rsqrt);
    n1_lpc_init(&m->lpc, par->pred_mode, par->taps, par->lms_mu, par->ls_decay,
                par->ls_period, par->ls_ridge);
}

int32_t n1_model_find(const n1_model *m, uint32_t slot)
{
    const int32_t K = m->K;
    int64_t g = m->pred >> 8;
    int32_t k = g < 0 ? 0 : (g > K - 1 ? K - 1 : (int32_t)g);
    int32_t lo, hi, step = 1;
    if (n1_model_cum(m, k) <= slot) {
        lo = k;
        for (;;) {
            int32_t t = lo + step;
            if (t > K) { hi = K + 1; break; }
            if (n1_model_cum(m, t) <= slot) { lo = t; step <<= 1; }
            else { hi = t; break; }
        }
    } else {
        hi = k;
        for (;;) {
            int32_t t = hi - step;
            if (t <= 0) { lo = 0; break; }
            if (n1_model_cum(m, t) <= slot) { lo = t; break; }
            hi = t;
            step <<= 1;
        }
    }
    while (hi - lo > 1) {
        int32_t mid = lo + (hi - lo) / 2;
        if (n1_model_cum(m, mid) <= slot) lo = mid; else hi = mid;
    }
    return lo;
}

/* Smoothed count at k: a quadratic Savitzky-Golay fit over k-R..k+R (exact for a
 * locally quadratic histogram, so peaks are not flattened), times den. Falls
 * back to a box average near the ends of the code range. */
static int64_t smooth_count(const n1_model *m, int32_t k, int R, int64_t *den)
{
    const int32_t K = m->K;
    if (k - R < 0 || k + R > K - 1) {
        int32_t lo = k - R < 0 ? 0 : k - R, hi = k + R > K - 1 ? K - 1 : k + R;
        int64_t s = 0;
        for (int32_t j = lo; j <= hi; j++) s += m->count[j];
        *den = hi - lo + 1;
        return s;
    }
    int64_t a = 3 * (3 * (int64_t)R * R + 3 * R - 1), s = 0;
    for (int j = -R; j <= R; j++) s += (a - 15 * (int64_t)j * j) * m->count[k + j];
    *den = (2 * (int64_t)R + 1) * (4 * (int64_t)R * R + 4 * R - 3);
    return s;
}

/* Refit bin widths: width ~ count / smoothed count, normalised to K * 256. */
static void refit_widths(n1_model *m)
{
    const int32_t K = m->K;
    const int R = m->par.width_radius;
    const int64_t prior = m->par.width_prior;
    int32_t *w = m->centre; /* temporary: widths, overwritten by centres below */
    int64_t total = 0;
    for (int32_t k = 0; k < K; k++) {
        int64_t den = 1;
        int64_t sm = smooth_count(m, k, R, &den);
        if (sm < 0) sm = 0;
        /* width = 256 * (count + prior) / (sm/den + prior) */
        int64_t pw = m->prior_w ? m->prior_w[k] : 256;
        int64_t wk = ((int64_t)m->count[k] * 256 + prior * pw) * den / (sm + prior * den);
        if (wk < 16) wk = 16;
        if (wk > 1024) wk = 1024;
        w[k] = (int32_t)wk;
        total += wk;
    }
    int64_t target = (int64_t)K << 8;
    int64_t e = 0;
    for (int32_t k = 0; k < K; k++) {
        int64_t wk = ((int64_t)w[k] * target + total / 2) / total;
        if (wk < 1) wk = 1;
        m->edge[k] = (int32_t)e;
        e += wk;
        m->centre[k] = (int32_t)(m->edge[k] + wk / 2);
    }
    m->edge[K] = (int32_t)e;
}

void n1_model_update(n1_model *m, int32_t code)
{
    int64_t y = m->table ? m->centre[code] : (((int64_t)code << 8) + 128);
    int64_t r = y - m->pred;
    int64_t ar = r < 0 ? -r : r;
    if (ar > ((int64_t)1 << 30)) ar = (int64_t)1 << 30;
    uint64_t r2 = (uint64_t)ar * (uint64_t)ar;
    m->var = m->var + (r2 >> m->par.var_shift) - (m->var >> m->par.var_shift);
    int64_t d = y - m->y_prev;
    n1_lpc_update(&m->lpc, (int32_t)d, d - m->pd);
    m->y_prev = y;
    if (m->par.learn_widths) {
        if (++m->count[code] >= (1u << 30))
            for (int32_t k = 0; k < m->K; k++) m->count[k] >>= 1;
        if (++m->since_fit >= (uint32_t)m->par.width_period) {
            m->since_fit = 0;
            refit_widths(m);
            /* keep the history on the new axis */
            m->y_prev = m->centre[code];
        }
    }
}
