/*
 * n1_lpc.h -- backward-adaptive linear predictor of the n1 codec (integer only).
 *
 * Predicts the next first difference d[t] = y[t] - y[t-1] of a signal y given in
 * Q8 fixed point, from the previous `taps` differences (1..N1_LPC_MAX_TAPS).
 * History is kept as s = d >> h clamped to +-4095 in int16 (h = `shift`, 4..12:
 * format-1 streams use h = 4, i.e. Q4; format-2 streams choose h per stream so
 * that wide 16-bit signals do not saturate the history), weights as Q12 in int16
 * clamped to +-16383, so the dot product
 *   pred = (sum_i w[i] * s[t-1-i]) >> (12 - h)    (Q8)
 * fits in int32 for up to 32 taps (32 * 4095 * 16383 < 2^31) and vectorises
 * (SSE2 pmaddwd). Two ways to adapt the weights, both from past data only (the
 * decoder repeats them exactly):
 *   N1_LPC_SIGN  sign-sign LMS: w[i] += mu * sgn(err) * sgn(s[t-1-i]).
 *   N1_LPC_LS    least squares: exponentially windowed autocorrelation of s
 *                (lags 0..taps, summed over blocks of 16 samples in int32 and
 *                added to int64 sums, when a forgetting factor 1 - 2^(4-decay) is applied:
 *                a window of ~2^decay samples, decay 5..14) and one Gauss-Seidel
 *                sweep of the normal equations every `period` samples (a
 *                multiple of 16), warm-started from the current weights.
 * Bounds: with |s| < 2^12, window <= 2^14 and |w| < 2^14 every sum fits in
 * int64. The state is a plain struct: no allocation, no failure modes.
 */
#ifndef N1_LPC_H
#define N1_LPC_H

#include <stdint.h>
#include "n1_dot.h"

#define N1_LPC_MAX_TAPS 32
enum { N1_LPC_SIGN = 0, N1_LPC_LS = 1, N1_LPC_NONE = 2 };

typedef struct n1_lpc {
    int mode, taps, len, mu, decay, period, ridge, tick, shift;
    int pos;                                  /* ring position, see n1_lpc.c */
    int16_t s[2 * N1_LPC_MAX_TAPS];           /* clamped Q4 differences, doubled ring of len */
    int16_t w[N1_LPC_MAX_TAPS + 8];           /* Q12 weights; zero beyond taps (w[len]
                                                 is read as 0 by the older products) */
    int32_t older;                            /* sum of w[i] * s[pos + i] for i >= 1:
                                                 the next prediction but its newest term */
    int16_t blk[N1_LPC_MAX_TAPS + 16];        /* LS: the len values before the current
                                                 block of 16, then the block so far */
    int64_t acc[N1_LPC_MAX_TAPS + 1];         /* windowed autocorrelation */
} n1_lpc;

void n1_lpc_init(n1_lpc *p, int mode, int taps, int mu, int decay, int period, int ridge);
/* History shift h (4..12, clamped); n1_lpc_init sets 4. Call before any update. */
void n1_lpc_set_shift(n1_lpc *p, int shift);

/* Predicted next difference (Q8): sum of w[i] * s[pos + i], the newest term
 * added to the older ones summed by the last update. The split keeps the vector
 * dot product off the decoder's sample-to-sample chain (its loads would read the
 * value just stored). */
static inline int64_t n1_lpc_predict(const n1_lpc *p)
{
    if (p->mode == N1_LPC_NONE) return 0;
    int32_t dot = p->older + (int32_t)p->w[0] * p->s[p->pos];
    return (int64_t)(dot >> (12 - p->shift));
}

/* Out of line parts of n1_lpc_update: the sign-sign step, and the end of a block
 * of 16 (LS: the autocorrelation, every `period` samples the solve). */
void n1_lpc_sign_step(n1_lpc *p, int64_t err);
void n1_lpc_block_done(n1_lpc *p);

#define N1_LPC_S_MAX 4095 /* history clamp */

/* Feed the true difference d (Q8) and the prediction error err = d - pred.
 * Inline: the per-sample work is a few stores, once the weights are adapted. */
static inline void n1_lpc_update(n1_lpc *p, int32_t d, int64_t err)
{
    if (p->mode == N1_LPC_NONE) return;
    int32_t sv = d >> p->shift;
    if (sv > N1_LPC_S_MAX) sv = N1_LPC_S_MAX;
    if (sv < -N1_LPC_S_MAX) sv = -N1_LPC_S_MAX;
    if (p->mode == N1_LPC_SIGN) {
        n1_lpc_sign_step(p, err);
    } else {
        p->blk[p->len + (p->tick & 15)] = (int16_t)sv;
        if ((++p->tick & 15) == 0) n1_lpc_block_done(p);
    }
    const int len = p->len;
    /* the older terms of the next prediction: w[1..len] against the history before
     * this value (w[len] = 0); constant lengths unroll */
    const int16_t *w1 = p->w + 1, *h = p->s + p->pos;
    p->older = len == 16 ? n1_dot_i16(w1, h, 16)
             : len == 32 ? n1_dot_i16(w1, h, 32) : n1_dot_i16(w1, h, 8);
    int pos = p->pos - 1;
    if (pos < 0) pos += len;
    p->s[pos] = (int16_t)sv;
    p->s[pos + len] = (int16_t)sv;
    p->pos = pos;
}

#endif
