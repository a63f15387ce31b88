/*
 * n1_lpc.h -- backward-adaptive linear predictor of the n1 codec (integer only).
 *
 * Predicts the next first difference d[t] = y[t] - y[t-1] of a signal y given in
 * Q8 fixed point, from the previous `taps` differences (1..N1_LPC_MAX_TAPS):
 *   pred = sum_i w[i] * s[t-1-i] >> 10   (weights Q14; s = d in Q4 clamped to
 *                                          +-8191; sum taken modulo 2^32)
 * Two ways to adapt the weights, both from past data only (the decoder repeats
 * them exactly):
 *   N1_LPC_SIGN  sign-sign LMS: w[i] += mu * sgn(err) * sgn(d[t-1-i]).
 *   N1_LPC_LS    least squares: exponentially windowed autocorrelation of the
 *                differences (window 2^decay samples, decay 4..14, lags 0..taps, accumulated in
 *                int64 from differences clamped to +-2^13 in Q4; forgetting
 *                applied every 16 samples) and one Gauss-Seidel sweep of the
 *                normal equations every `period` samples (a multiple of 16,
 *                >= 16), warm-started from the current weights.
 * Bounds: |w| <= 2^17; the statistics fit in int64 for decay <= 14. No allocation.
 */
#ifndef N1_LPC_H
#define N1_LPC_H

#include <stdint.h>

#define N1_LPC_MAX_TAPS 32
enum { N1_LPC_SIGN = 0, N1_LPC_LS = 1 };

typedef struct n1_lpc {
    int mode, taps, mu, decay, period, ridge, tick;
    int pos;                                  /* ring position, see n1_lpc.c */
    int32_t d[2 * N1_LPC_MAX_TAPS];           /* Q8 differences, doubled ring */
    int32_t s[2 * N1_LPC_MAX_TAPS + 2];       /* clamped Q4 differences, doubled ring */
    int32_t w[N1_LPC_MAX_TAPS];               /* Q14 weights */
    int64_t acc[N1_LPC_MAX_TAPS + 1];         /* windowed autocorrelation */
    int32_t part[N1_LPC_MAX_TAPS + 1];        /* last <= 16 samples' products */
} n1_lpc;

void n1_lpc_init(n1_lpc *p, int mode, int taps, int mu, int decay, int period, int ridge);
/* Predicted next difference (Q8). */
int64_t n1_lpc_predict(const n1_lpc *p);
/* Feed the true difference d (Q8) and the prediction error err = d - pred. */
void n1_lpc_update(n1_lpc *p, int32_t d, int64_t err);

#endif
