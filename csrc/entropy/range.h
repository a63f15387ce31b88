/*
 * range.h -- adaptive range coder for uint16 symbols with an order-0 or an
 * order-1 frequency model.
 *
 * Symbols: each uint16 word is zigzag-folded as an int16 residual and split
 * into one of 76 magnitude buckets plus low bits (entropy/symbols.h). The
 * bucket is coded with an adaptive frequency model (order 0: one model;
 * order 1: one of 8 models picked by the bit length of the previous symbol's
 * bucket index). The low bits are coded one by one, most significant first,
 * with adaptive binary models chosen by (bucket, bit position, the two bits
 * before it in the same symbol), so structured low bits (e.g. differences of
 * samples on a lattice of ADC codes) cost far less than raw bits. Models are
 * integer counts and probabilities, so encoder and decoder agree bit for bit
 * on every platform and optimisation level.
 *
 * The arithmetic is the carry-propagating 32-bit range coder (64-bit low,
 * cached byte and a run of 0xFF bytes); its always-zero first byte is not
 * stored.
 *
 * n1c_range_encode(in, n, order, out, cap, &len): codes n symbols into
 * out[0..cap). Returns N1_OK and the byte count, N1_ERR_OUTPUT_FULL when cap is
 * too small (n1c_range_bound(n), a worst case of 14 bytes per symbol, always
 * suffices; real streams take a small fraction of it), N1_ERR_INVALID_ARG for an
 * order other than 0 or 1, N1_ERR_NOMEM if the order-1 model table (about
 * 1.3 KB, fixed size) cannot be allocated. The bit models (8 KB) live on the
 * stack. n = 0 gives a few flush bytes.
 *
 * n1c_range_decode(in, len, order, out, n): the decoder is told n and the
 * order. Reads only in[0..len); a stream that ends early gives
 * N1_ERR_TRUNCATED, a code value outside the coder's range N1_ERR_CORRUPT.
 * Work is O(n * (76 + 13)) at worst whatever the bytes, so it cannot hang.
 */
#ifndef N1_ENTROPY_RANGE_H
#define N1_ENTROPY_RANGE_H

#include <stddef.h>
#include <stdint.h>

size_t n1c_range_bound(size_t n);
int n1c_range_encode(const uint16_t *in, size_t n, int order, uint8_t *out, size_t cap,
                     size_t *out_len);
int n1c_range_decode(const uint8_t *in, size_t len, int order, uint16_t *out, size_t n);

#endif
