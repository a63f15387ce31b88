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
    m->table = m->K <= N1_MODEL_KMAX;
    if (!m->table) m->par.learn_widths = 0;
    m->A = N1_PROB_ONE - (uint32_t)m->par.floor_freq * (uint32_t)(m->K + 1);
    if (m->table) set_nominal_bins(m);
    for (int32_t i = 0; i < (N1_MODEL_KMAX << (8 - N1_POSMAP_SHIFT)); i++)
        m->posmap[i] = (int16_t)(i >> (8 - N1_POSMAP_SHIFT));
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

/* Code whose bin holds linear position pos (a guess: exact for nominal bins). */
static int32_t code_at(const n1_model *m, int64_t pos)
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

int32_t n1_model_find(const n1_model *m, uint32_t slot, uint32_t *lo, uint32_t *hi)
{
    /* invert the Gaussian for a first guess, then walk to the exact symbol */
    uint64_t u = (uint64_t)slot << (30 - N1_PROB_BITS);  /* ~ Phi(z), Q30 (A ~ 2^24) */
    int64_t z = n1_invphi[u >> (30 - N1_INVPHI_BITS)];
    int64_t d = (z * m->sigma) >> 11;
    int32_t k = code_at(m, m->pred + d);
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
                     : ((int64_t)c[k] * 256 + prior * pw) * den / (sm + prior * den);
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
    /* position -> code guess for the decoder: code holding position i * 2^SHIFT */
    int32_t k = 0;
    for (int32_t i = 0; i < (K << (8 - N1_POSMAP_SHIFT)); i++) {
        int64_t pos = (int64_t)i << N1_POSMAP_SHIFT;
        while (k < K - 1 && m->edge[k + 1] <= pos) k++;
        m->posmap[i] = (int16_t)k;
    }
}

void n1_model_update(n1_model *m, int32_t code)
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
    n1_lpc_update(&m->lpc, (int32_t)d, d - m->pd);
    if (m->par.stage2_taps) {
        int64_t e1 = d - m->pd1;
        const int64_t lim = (int64_t)1 << 30;
        e1 = e1 > lim ? lim : (e1 < -lim ? -lim : e1);
        n1_lpc_update(&m->lms2, (int32_t)e1, e1 - m->pd2);
    }

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
