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
    if (period < 16) period = 16;
    period &= ~15; /* a multiple of the forgetting step */
    p->mode = mode;
    p->taps = taps;
    p->mu = mu;
    p->decay = decay;
    p->period = period;
    p->ridge = ridge;
}

int64_t n1_lpc_predict(const n1_lpc *p)
{
    /* Q4 clamped differences (|s| < 2^13) times Q14 weights (|w| <= 2^17): the
     * sum is formed modulo 2^32 (well defined for unsigned), then read as
     * two's complement. It only overflows for absurd weights, and even then
     * encoder and decoder compute the same value. */
    const int32_t *h = p->s + p->pos;
    const int32_t *w = p->w;
    uint32_t s = 0;
    for (int i = 0; i < p->taps; i++) s += (uint32_t)w[i] * (uint32_t)h[i];
    int64_t v = s < 0x80000000u ? (int64_t)s : (int64_t)s - ((int64_t)1 << 32);
    return v >> 10; /* Q18 -> Q8 */
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
        /* int32 partial sums: 16 products of |.| < 2^26 each fit */
        p->part[0] += sv * sv;
        for (int l = 1; l <= n; l++) p->part[l] += sv * hs[l - 1];
        if ((++p->tick & 15) == 0) { /* flush, then forget: window ~2^decay samples */
            const int dec = p->decay - 4;
            for (int l = 0; l <= n; l++) {
                p->acc[l] += p->part[l];
                p->part[l] = 0;
                p->acc[l] -= p->acc[l] >> dec;
            }
        }
        if (p->tick >= p->period) { p->tick = 0; gauss_seidel(p); }
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
