/*
 * n1_lpc.c -- see n1_lpc.h for the contract.
 *
 * The history ring has length len (8, 16 or 32: the smallest that holds taps)
 * and is doubled (each value stored at pos and pos + len), so the newest len
 * values are always contiguous at s[pos .. pos + len - 1], newest first, and
 * the dot product runs over a compile-time length.
 */
#include "n1_lpc.h"
#include <string.h>

#define W_MAX 16383
#define S_MAX 4095

void n1_lpc_init(n1_lpc *p, int mode, int taps, int mu, int decay, int period, int ridge)
{
    memset(p, 0, sizeof(*p));
    if (taps < 1) taps = 1;
    if (taps > N1_LPC_MAX_TAPS) taps = N1_LPC_MAX_TAPS;
    if (decay < 5) decay = 5;
    if (decay > 14) decay = 14;
    if (period < 16) period = 16;
    period &= ~15;
    p->mode = mode;
    p->taps = taps;
    p->len = taps <= 8 ? 8 : (taps <= 16 ? 16 : 32);
    p->mu = mu;
    p->decay = decay;
    p->period = period;
    p->ridge = ridge;
    p->shift = 4;
}

void n1_lpc_set_shift(n1_lpc *p, int shift)
{
    p->shift = shift < 4 ? 4 : (shift > 12 ? 12 : shift);
}

/* One sweep of w[i] = (a[i+1] * 4096 - sum_{j != i} a[|i-j|] w[j]) / (a[0] (1 + ridge)),
 * the sum split at i so that each part is a straight loop. */
static void gauss_seidel(n1_lpc *p)
{
    const int n = p->taps;
    const int64_t *a = p->acc;
    int64_t den = a[0] + (p->ridge ? (a[0] >> p->ridge) : 0) + 1;
    for (int i = 0; i < n; i++) {
        int64_t num = a[i + 1] * 4096;
        for (int j = 0; j < i; j++) num -= a[i - j] * p->w[j];
        for (int j = i + 1; j < n; j++) num -= a[j - i] * p->w[j];
        int64_t wi = num / den;
        if (wi > W_MAX) wi = W_MAX;
        if (wi < -W_MAX) wi = -W_MAX;
        p->w[i] = (int16_t)wi;
    }
}

/* part[l] += s * h[l-1] for l = 1..len: products of two int16 (the compiler's
 * widening multiply) over a compile-time length. Lags beyond taps are summed
 * too and never read. */
static void add_products(int32_t *part, int16_t s, const int16_t *h, int len)
{
    if (len == 8) {
        for (int l = 0; l < 8; l++) part[l] += s * h[l];
    } else if (len == 16) {
        for (int l = 0; l < 16; l++) part[l] += s * h[l];
    } else {
        for (int l = 0; l < 32; l++) part[l] += s * h[l];
    }
}

void n1_lpc_update(n1_lpc *p, int32_t d, int64_t err)
{
    if (p->mode == N1_LPC_NONE) return;
    const int n = p->taps;
    const int16_t *h = p->s + p->pos; /* previous differences, newest first */
    int32_t sv = d >> p->shift;
    if (sv > S_MAX) sv = S_MAX;
    if (sv < -S_MAX) sv = -S_MAX;
    if (p->mode == N1_LPC_SIGN) {
        int32_t mu = err > 0 ? p->mu : (err < 0 ? -p->mu : 0);
        if (mu) {
            for (int i = 0; i < n; i++) {
                int32_t v = p->w[i] + (h[i] > 0 ? mu : (h[i] < 0 ? -mu : 0));
                if (v > W_MAX) v = W_MAX;
                if (v < -W_MAX) v = -W_MAX;
                p->w[i] = (int16_t)v;
            }
        }
    } else {
        p->part[0] += sv * sv; /* < 2^24 each, 16 of them fit in int32 */
        add_products(p->part + 1, (int16_t)sv, h, p->len);
        if ((++p->tick & 15) == 0) {
            const int dec = p->decay - 4;
            for (int l = 0; l <= p->len; l++) {
                p->acc[l] += p->part[l];
                p->part[l] = 0;
                p->acc[l] -= p->acc[l] >> dec;
            }
        }
        if (p->tick >= p->period) { p->tick = 0; gauss_seidel(p); }
    }
    const int len = p->len;
    int pos = p->pos - 1;
    if (pos < 0) pos += len;
    p->s[pos] = (int16_t)sv;
    p->s[pos + len] = (int16_t)sv;
    p->pos = pos;
}
