/*
 * n1_lpc.c -- see n1_lpc.h for the contract.
 *
 * History rings are doubled (each value stored at pos and pos + taps) so the
 * most recent `taps` values are always contiguous at d[pos .. pos + taps - 1],
 * newest first.
 */
#include "n1_lpc.h"
#include <string.h>

#define W_MAX (1 << 17)

void n1_lpc_init(n1_lpc *p, int mode, int taps, int mu, int decay, int period, int ridge)
{
    memset(p, 0, sizeof(*p));
    if (taps < 1) taps = 1;
    if (taps > N1_LPC_MAX_TAPS) taps = N1_LPC_MAX_TAPS;
    if (decay < 4) decay = 4;
    if (decay > 14) decay = 14;
    if (period < 1) period = 1;
    p->mode = mode;
    p->taps = taps;
    p->mu = mu;
    p->decay = decay;
    p->period = period;
    p->ridge = ridge;
}

int64_t n1_lpc_predict(const n1_lpc *p)
{
    const int32_t *h = p->d + p->pos;
    const int32_t *w = p->w;
    int64_t s = 0;
    for (int i = 0; i < p->taps; i++) s += (int64_t)w[i] * h[i];
    return s >> 14;
}

static void gauss_seidel(n1_lpc *p)
{
    const int n = p->taps;
    const int64_t *a = p->acc;
    int64_t den = a[0] + (p->ridge ? (a[0] >> p->ridge) : 0) + 1;
    for (int i = 0; i < n; i++) {
        int64_t num = a[i + 1] * 16384;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            int k = i > j ? i - j : j - i;
            num -= a[k] * p->w[j];
        }
        int64_t wi = num / den;
        if (wi > W_MAX) wi = W_MAX;
        if (wi < -W_MAX) wi = -W_MAX;
        p->w[i] = (int32_t)wi;
    }
}

void n1_lpc_update(n1_lpc *p, int32_t d, int64_t err)
{
    const int n = p->taps;
    if (p->mode == N1_LPC_SIGN) {
        const int32_t *h = p->d + p->pos;
        int32_t mu = err > 0 ? p->mu : (err < 0 ? -p->mu : 0);
        if (mu) {
            for (int i = 0; i < n; i++) {
                int32_t v = p->w[i] + (h[i] > 0 ? mu : (h[i] < 0 ? -mu : 0));
                if (v > W_MAX) v = W_MAX;
                if (v < -W_MAX) v = -W_MAX;
                p->w[i] = v;
            }
        }
    } else {
        int32_t sv = d >> 4;
        if (sv > 8191) sv = 8191;
        if (sv < -8191) sv = -8191;
        const int32_t *hs = p->s + p->pos; /* previous clamped differences */
        const int dec = p->decay;
        p->acc[0] += (int64_t)sv * sv - (p->acc[0] >> dec);
        for (int l = 1; l <= n; l++)
            p->acc[l] += (int64_t)sv * hs[l - 1] - (p->acc[l] >> dec);
        if (++p->tick >= p->period) { p->tick = 0; gauss_seidel(p); }
    }
    /* push d: newest goes to index pos-1 (mod taps), stored twice */
    int pos = p->pos - 1;
    if (pos < 0) pos += n;
    p->d[pos] = d;
    p->d[pos + n] = d;
    int32_t sv = d >> 4;
    if (sv > 8191) sv = 8191;
    if (sv < -8191) sv = -8191;
    p->s[pos] = sv;
    p->s[pos + n] = sv;
    p->pos = pos;
}
