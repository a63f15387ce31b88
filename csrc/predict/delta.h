/*
 * delta.h -- fixed delta predictor of order 0..3 on 16-bit samples.
 *
 * Residuals are order-k finite differences computed modulo 2^16 on the
 * samples' uint16 bit patterns (x[-1] = x[-2] = x[-3] = 0), so every input,
 * extremes included, maps to exactly one residual stream of the same length
 * and the inverse (k prefix sums modulo 2^16) restores it bit for bit.
 *
 * in and out each hold n values; out may equal in (in-place). n may be 0.
 * Returns N1_OK, or N1_ERR_INVALID_ARG when order is outside 0..3.
 */
#ifndef N1C_DELTA_H
#define N1C_DELTA_H

#include <stddef.h>
#include <stdint.h>

#define N1C_DELTA_MAX_ORDER 3

int n1c_delta_encode(const uint16_t *in, uint16_t *out, size_t n, int order);
int n1c_delta_decode(const uint16_t *in, uint16_t *out, size_t n, int order);

#endif
