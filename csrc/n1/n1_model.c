/*
 * n1_model.c -- see n1_model.h for the contract.
 */
#include "n1_model.h"
#include <string.h>

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

/* Refit bin widths: width ~ count / smoothed count, normalised to K * 256. */
static void refit_widths(n1_model *m)
{
    const int32_t K = m->K;
    const int R = m->par.width_radius;
    const int64_t prior = m->par.width_prior;
    int32_t *w = m->centre; /* temporary: widths, overwritten by centres below */
    int64_t win = 0;
    int32_t lo = 0, hi = -1;
    int64_t total = 0;
    for (int32_t k = 0; k < K; k++) {
        int32_t nlo = k - R < 0 ? 0 : k - R;
        int32_t nhi = k + R > K - 1 ? K - 1 : k + R;
        while (hi < nhi) win += m->count[++hi];
        while (lo < nlo) win -= m->count[lo++];
        int64_t len = nhi - nlo + 1;
        /* width = 256 * (count + prior) / (win/len + prior) */
        int64_t num = ((int64_t)m->count[k] + prior) * len * 256;
        int64_t den = win + prior * len;
        int64_t wk = num / den;
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
