/*
 * rans.h -- static rANS coder for uint16 symbols.
 *
 * Symbols: each uint16 word is zigzag-folded as an int16 residual (symbols.h).
 * Frequencies are counted over the whole stream, normalised to sum to
 * 2^N1C_RANS_SCALE_BITS (every used symbol keeps at least 1) and stored in the
 * stream; symbols are coded with a 32-bit rANS state (byte renormalisation,
 * lower bound 2^23). Two alphabets, the encoder taking the one its integer
 * cost estimate finds smaller:
 *   bucket mode: 76 magnitude buckets (symbols.h), low bits raw;
 *   full mode (at most N1C_RANS_FULL_MAX distinct values): every value its own
 *   symbol, which keeps structure in the low bits (e.g. lattice residuals).
 *
 * Stream layout (empty when n == 0):
 *   bucket mode: 1 byte nsym = highest used bucket + 1 (1..76); nsym LEB128
 *     frequencies (0 = unused); varint R; R bytes of rANS data (final state
 *     little-endian, then renormalisation bytes); raw low bits to the end.
 *   full mode: 1 byte 0; MSB-first bits: K-1 (12 bits), the first value
 *     (16 bits), K-1 gaps minus 1 and K frequencies minus 1 (adaptive Rice,
 *     golomb.h), padded to a byte; varint R; R bytes of rANS data; nothing after.
 *
 * n1c_rans_encode(in, n, out, cap, &len): N1_OK, N1_ERR_OUTPUT_FULL (cap below
 * need; n1c_rans_bound(n) always suffices), N1_ERR_NOMEM (fixed work area of
 * about 600 KB and a 2n+8 byte scratch).
 * n1c_rans_decode(in, len, out, n): the decoder is told n. Reads only
 * in[0..len). N1_ERR_TRUNCATED when data runs out, N1_ERR_CORRUPT for a bad
 * table (frequencies not summing to the scale, counts or values out of range),
 * a final state other than the initial one, or trailing bytes in full mode.
 * O(n + 2^14) work. The decoder allocates one fixed-size work area (about
 * 80 KB, never sized from the stream). No global state.
 */
#ifndef N1_ENTROPY_RANS_H
#define N1_ENTROPY_RANS_H

#include <stddef.h>
#include <stdint.h>

#define N1C_RANS_SCALE_BITS 14
#define N1C_RANS_FULL_MAX 4096u

size_t n1c_rans_bound(size_t n);
int n1c_rans_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len);
int n1c_rans_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n);

#endif
