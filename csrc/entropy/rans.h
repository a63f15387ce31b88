/*
 * rans.h -- static rANS coder for uint16 symbols.
 *
 * Symbols: each uint16 word is zigzag-folded as an int16 residual and split
 * into one of 76 magnitude buckets plus raw low bits (symbols.h). Bucket
 * frequencies are counted over the whole stream, normalised to sum to
 * 2^N1_RANS_SCALE_BITS (every used bucket keeps at least 1) and stored in the
 * stream; buckets are coded with a 32-bit rANS state (byte renormalisation,
 * lower bound 2^23), raw bits in a plain MSB-first bit stream.
 *
 * Stream layout (empty when n == 0):
 *   1 byte       nsym: highest used bucket + 1 (1..76)
 *   nsym varints the normalised frequency of each bucket (LEB128, 0 = unused)
 *   varint       byte length R of the rANS data
 *   R bytes      rANS data (final state little-endian first, then renormalisation bytes)
 *   the rest     raw low bits of the buckets that have them, in symbol order
 *
 * n1_rans_encode(in, n, out, cap, &len): N1_OK, N1_ERR_OUTPUT_FULL (cap below
 * need; n1_rans_bound(n) always suffices), N1_ERR_NOMEM (scratch of 2n+8 bytes).
 * n1_rans_decode(in, len, out, n): the decoder is told n. Reads only
 * in[0..len). N1_ERR_TRUNCATED when data runs out, N1_ERR_CORRUPT for a bad
 * table (frequencies not summing to the scale, nsym out of range), a symbol
 * in an unused slot or a final state other than the initial one. O(n) work.
 * No allocation in the decoder (a 16 KB slot table on the stack), no global state.
 */
#ifndef N1_ENTROPY_RANS_H
#define N1_ENTROPY_RANS_H

#include <stddef.h>
#include <stdint.h>

#define N1_RANS_SCALE_BITS 14

size_t n1_rans_bound(size_t n);
int n1_rans_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len);
int n1_rans_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n);

#endif
