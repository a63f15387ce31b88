/*
 * rice.h -- adaptive Rice coder for uint16 symbols.
 *
 * Each uint16 word is zigzag-folded as an int16 residual (symbols.h) and
 * written with a Rice code whose parameter k follows a running mean of the
 * previous values (golomb.h: LOCO-I style adaptation, escape after
 * N1C_RICE_QMAX unary bits). Nothing but the bits is stored: the decoder is
 * told n and replays the same adaptation.
 *
 * n1c_rice_encode(in, n, out, cap, &len): N1_OK and the byte count, or
 * N1_ERR_OUTPUT_FULL when cap is too small (n1c_rice_bound(n) always suffices).
 * n1c_rice_decode(in, len, out, n): reads only in[0..len); N1_ERR_TRUNCATED
 * when the bits run out, up front when n > 8 * len (every code takes at least one
 * bit, so len bytes never hold more symbols). Every bit pattern decodes to some symbols, so there is
 * no N1_ERR_CORRUPT. O(n) work whatever the bytes.
 */
#ifndef N1_ENTROPY_RICE_H
#define N1_ENTROPY_RICE_H

#include <stddef.h>
#include <stdint.h>

size_t n1c_rice_bound(size_t n);
int n1c_rice_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len);
int n1c_rice_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n);

#endif
