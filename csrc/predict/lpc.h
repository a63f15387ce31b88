/*
 * lpc.h -- FLAC-style linear prediction: per-block Levinson-Durbin on the
 * autocorrelation of a Tukey(0.5)-windowed block, an order search, integer
 * coefficients with a precision and a shift, and exact integer residuals.
 *
 * Samples are int16 (uint16 bit patterns read as int16). For block b with
 * order k, integer coefficients c[0..k) and shift s, x[i] is predicted as
 * floor(sum_j c[j] * x[i-1-j] / 2^s) (64-bit sum), history running across
 * block borders and zero before the first sample; the residual is
 * (x - pred) mod 2^16, exactly invertible. Only the encoder uses floating
 * point (to choose coefficients); the decoder is integer-only, so decoding is
 * identical on every platform and optimisation level.
 *
 * Parameters (given to encoder and decoder alike): block >= 1 samples,
 * max_order 0..N1C_LPC_MAX_ORDER, precision 2..15 coefficient bits.
 *
 * Side info, MSB-first bits, per block: order (6 bits); when order > 0: the
 * coefficient precision p minus 1 (4 bits), the shift (5 bits, 0..N1C_LPC_MAX_SHIFT),
 * then order coefficients of p bits each in two's complement. Padded to a
 * byte at the end; at most n1c_lpc_side_bound(n, block) bytes.
 *
 * n1c_lpc_encode(in, res, n, block, max_order, precision, side, side_cap,
 *   &side_len): res must not alias in. Errors: N1_ERR_INVALID_ARG,
 *   N1_ERR_OUTPUT_FULL, N1_ERR_NOMEM (a block-sized scratch of doubles).
 * n1c_lpc_decode(side, side_len, &side_used, res, out, n, block): out may equal
 *   res. Errors: N1_ERR_INVALID_ARG, N1_ERR_TRUNCATED (side info ends early),
 *   N1_ERR_CORRUPT (order, precision or shift out of range). O(n * 32) work.
 * No global state.
 */
#ifndef N1_PREDICT_LPC_H
#define N1_PREDICT_LPC_H

#include <stddef.h>
#include <stdint.h>

#define N1C_LPC_MAX_ORDER 32
#define N1C_LPC_MAX_SHIFT 20

size_t n1c_lpc_side_bound(size_t n, size_t block);
int n1c_lpc_encode(const uint16_t *in, uint16_t *res, size_t n, size_t block, int max_order,
                   int precision, uint8_t *side, size_t side_cap, size_t *side_len);
int n1c_lpc_decode(const uint8_t *side, size_t side_len, size_t *side_used, const uint16_t *res,
                   uint16_t *out, size_t n, size_t block);

#endif
