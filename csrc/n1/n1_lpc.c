/*
 * n1_lpc.c -- see n1_lpc.h for the contract.
 *
 * The history ring has length len (8, 16 or 32: the smallest that holds taps)
 * and is doubled (each value stored at pos and pos + len), so the newest len
 * values are always contiguous at s[pos .. pos + len - 1], newest first, and
 * the dot product runs over a compile-time length.
 */
#include "n1_lpc.h"
#include "n1_div.h"
#include <string.h>

#define W_MAX 16383

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
    double inv = 1.0 / (double)den; /* every row divides by den: one division a sweep */
    for (int i = 0; i < n; i++) {
        int64_t num = a[i + 1] * 4096;
        for (int j = 0; j < i; j++) num -= a[i - j] * p->w[j];
        for (int j = i + 1; j < n; j++) num -= a[j - i] * p->w[j];
        /* |num| < 2^58, den < 2^40: W_MAX * den < 2^54 */
        p->w[i] = (int16_t)n1_div_trunc_clamped(num, den, inv, W_MAX);
    }
}

/* A block of 16 is complete: add its products at lags 0..len to the windowed
 * autocorrelation (lags beyond taps are summed too and never read), apply the
 * forgetting factor, and keep the newest len values as the next block's past. */
static void flush_block(n1_lpc *p)
{
    const int len = p->len, dec = p->decay - 4;
    const int16_t *now = p->blk + len;
    int32_t dot[N1_LPC_MAX_TAPS + 4];
    int l = 0;
    for (; l + 3 <= len; l += 4) n1_dot4_i16(now, now - l, dot + l); /* each < 16 * 2^24 */
    for (; l <= len; l++) dot[l] = n1_dot_i16(now, now - l, 16);
    for (l = 0; l <= len; l++) {
        p->acc[l] += dot[l];
        p->acc[l] -= p->acc[l] >> dec;
    }
    memmove(p->blk, p->blk + 16, (size_t)len * sizeof(p->blk[0]));
}

/* w[i] += m * sgn(h[i]), clamped to +-W_MAX, for i < n. In int16 lanes (SSE2
 * words) when inlined with a constant n: |w| <= W_MAX and |m| <= 16384 keep every
 * sum inside int16, so the result is the int32 computation's. */
static inline void sign_add(int16_t *w, const int16_t *h, int16_t m, int n)
{
    for (int i = 0; i < n; i++) {
        int16_t v = (int16_t)(w[i] + ((h[i] > 0) - (h[i] < 0)) * m);
        if (v > W_MAX) v = W_MAX;
        if (v < -W_MAX) v = -W_MAX;
        w[i] = v;
    }
}

void n1_lpc_sign_step(n1_lpc *p, int64_t err)
{
    const int n = p->taps;
    const int16_t *h = p->s + p->pos; /* previous differences, newest first */
    int32_t mu = err > 0 ? p->mu : (err < 0 ? -p->mu : 0);
    if (!mu) return;
    if (mu >= -16384 && mu <= 16384 && n == p->len) { /* the usual case, vectorised */
        if (n == 8) sign_add(p->w, h, (int16_t)mu, 8);
        else if (n == 16) sign_add(p->w, h, (int16_t)mu, 16);
        else sign_add(p->w, h, (int16_t)mu, 32);
        return;
    }
    for (int i = 0; i < n; i++) {
        int32_t v = p->w[i] + (h[i] > 0 ? mu : (h[i] < 0 ? -mu : 0));
        if (v > W_MAX) v = W_MAX;
        if (v < -W_MAX) v = -W_MAX;
        p->w[i] = (int16_t)v;
    }
}

void n1_lpc_block_done(n1_lpc *p)
{
    flush_block(p);
    if (p->tick >= p->period) { /* period is a multiple of 16: only ever reached here */
        p->tick = 0;
        gauss_seidel(p);
    }
}
