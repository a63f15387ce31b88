/*
 * fixed.h -- fixed polynomial predictors of order 0..3, the order chosen per
 * block of `block` samples (the one with the smallest sum of |residual|).
 *
 * Samples are int16 (uint16 bit patterns read as int16). Order k predicts
 * x[i] from x[i-1..i-k] with the binomial polynomial (0; x1; 2x1-x2;
 * 3x1-3x2+x3); history runs across block borders and is zero before the first
 * sample. Residuals are (x - pred) mod 2^16, so any input round-trips exactly.
 *
 * Side info: one 2-bit order per block, packed MSB first, n1c_fixed_side_size()
 * bytes (ceil(nblocks / 4)). The decoder is told n and block.
 *
 * n1c_fixed_encode(in, res, n, block, side, side_cap, &side_len): res must not
 * alias in. Errors: N1_ERR_INVALID_ARG (block == 0), N1_ERR_OUTPUT_FULL.
 * n1c_fixed_decode(side, side_len, res, out, n, block): out may equal res.
 * Errors: N1_ERR_INVALID_ARG, N1_ERR_TRUNCATED (side shorter than needed).
 * No allocation, no global state, integer only.
 */
#ifndef N1_PREDICT_FIXED_H
#define N1_PREDICT_FIXED_H

#include <stddef.h>
#include <stdint.h>

size_t n1c_fixed_side_size(size_t n, size_t block);
int n1c_fixed_encode(const uint16_t *in, uint16_t *res, size_t n, size_t block, uint8_t *side,
                     size_t side_cap, size_t *side_len);
int n1c_fixed_decode(const uint8_t *side, size_t side_len, const uint16_t *res, uint16_t *out,
                     size_t n, size_t block);

#endif
