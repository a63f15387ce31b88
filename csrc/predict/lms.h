/*
 * lms.h -- adaptive LMS prediction in integer arithmetic, no side info.
 *
 * Samples are int16 (uint16 bit patterns read as int16). A first-difference
 * prefilter d[i] = x[i] - x[i-1] (mod 2^16, read as int16; x[-1] = 0) feeds an
 * adaptive FIR filter of `order` taps over the previous differences:
 *     pd = floor(sum_j w[j] * d[i-1-j] / 2^16)        (weights in Q16)
 *     residual = (x[i] - x[i-1] - pd) mod 2^16
 * and the error e = d[i] - pd updates the weights after each sample:
 *   N1C_LMS_SIGN (sign-sign):  w[j] += sign(e) * sign(d[i-1-j]) * 2^(16-mu_shift)
 *   N1C_LMS_NLMS (normalised): w[j] += e * d[i-1-j] * 2^(16-mu_shift)
 *                                     / (eps + sum_j d[i-1-j]^2)
 *   N1C_LMS_CASCADE: an NLMS stage of `order` taps followed by a sign-sign stage
 *     of 16 taps that predicts the NLMS stage's error from its past errors.
 * Weights are clamped to +-2^24 and errors to +-2^16, so every 64-bit product
 * and sum stays below 2^56; integer division
 * truncates (C99), so encoder and decoder evolve identically everywhere.
 *
 * Parameters (given to encoder and decoder alike): variant, order
 * 1..N1C_LMS_MAX_ORDER, mu_shift 1..16.
 * n1c_lms_encode(in, res, n, ...) and n1c_lms_decode(res, out, n, ...): in-place
 * allowed (res == in, out == res). Errors: N1_ERR_INVALID_ARG. Every residual
 * stream decodes (no corrupt state exists). No allocation, no global state.
 */
#ifndef N1_PREDICT_LMS_H
#define N1_PREDICT_LMS_H

#include <stddef.h>
#include <stdint.h>

#define N1C_LMS_SIGN 0
#define N1C_LMS_NLMS 1
#define N1C_LMS_CASCADE 2
#define N1C_LMS_MAX_ORDER 64

int n1c_lms_encode(const uint16_t *in, uint16_t *res, size_t n, int variant, int order,
                   int mu_shift);
int n1c_lms_decode(const uint16_t *res, uint16_t *out, size_t n, int variant, int order,
                   int mu_shift);

#endif
