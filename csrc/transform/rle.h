/*
 * rle.h -- run-length coding: bzip2's zero-run code for MTF output, and a
 * plain byte run-length code.
 *
 * Zero-run RLE (bzip2's RUNA/RUNB): a run of r >= 1 zeros is written as the
 * digits of r in bijective base 2, least significant first, RUNA (symbol 0)
 * for digit 1 and RUNB (symbol 1) for digit 2; every nonzero value v becomes
 * v + 1. Inputs are < k (k <= 65535), outputs < k + 1, and the output is never
 * longer than the input (cap >= n always suffices).
 *   n1c_zrle_encode_u8/u16(in, n, out, cap, &out_len)
 *       N1_ERR_OUTPUT_FULL when cap is too small (never for cap >= n).
 *   n1c_zrle_decoded_length(in, m, limit, &n)
 *       the length the m symbols expand to; N1_ERR_TOO_LARGE beyond limit.
 *   n1c_zrle_decode_u8/u16(in, m, out, n)
 *       expands exactly into n outputs: a symbol that does not fit the output
 *       type (> 256 for u8, > 65535 for u16), a total other than n, gives
 *       N1_ERR_CORRUPT. Never writes beyond out[n-1].
 *
 * Plain RLE (bzip2's first stage): after 4 equal bytes a count byte 0..251
 * says how many more copies follow.
 *   n1c_rle_bound(n) = worst-case output size (n + n/4 + 1).
 *   n1c_rle_encode(in, n, out, cap, &out_len)  N1_ERR_OUTPUT_FULL if cap is short.
 *   n1c_rle_decode(in, m, out, cap, &out_len)  N1_ERR_CORRUPT for a count
 *       byte > 251, N1_ERR_TRUNCATED for a missing count byte,
 *       N1_ERR_OUTPUT_FULL when the output would exceed cap.
 *   n1c_rle_decoded_length(in, m, &n)  the exact decoded size (same errors
 *       except OUTPUT_FULL), so callers allocate only what the stream holds.
 * No allocation, no global state.
 */
#ifndef N1_RLE_H
#define N1_RLE_H

#include <stddef.h>
#include <stdint.h>

#define N1C_ZRLE_RUNA 0u
#define N1C_ZRLE_RUNB 1u

int n1c_zrle_encode_u8(const uint8_t *in, size_t n, uint16_t *out, size_t cap, size_t *out_len);
int n1c_zrle_encode_u16(const uint16_t *in, size_t n, uint16_t *out, size_t cap, size_t *out_len);
int n1c_zrle_decoded_length(const uint16_t *in, size_t m, uint64_t limit, uint64_t *n);
int n1c_zrle_decode_u8(const uint16_t *in, size_t m, uint8_t *out, size_t n);
int n1c_zrle_decode_u16(const uint16_t *in, size_t m, uint16_t *out, size_t n);

size_t n1c_rle_bound(size_t n);
int n1c_rle_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len);
int n1c_rle_decode(const uint8_t *in, size_t m, uint8_t *out, size_t cap, size_t *out_len);
int n1c_rle_decoded_length(const uint8_t *in, size_t m, size_t *n);

#endif
