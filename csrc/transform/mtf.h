/*
 * mtf.h -- move-to-front coding of bytes and of 16-bit symbols.
 *
 * Each symbol is replaced by its position in a list of the alphabet that
 * starts in ascending order (0, 1, ..., k-1) and moves every coded symbol to
 * the front. Runs of a symbol become runs of 0, which the zero-run RLE
 * (rle.h) then folds.
 *
 *   n1c_mtf_encode_u8/decode_u8(in, n, out): k = 256, every input valid.
 *   n1c_mtf_encode_u16/decode_u16(in, n, k, out, list): alphabet k in 1..65536,
 *   list is caller work of k uint16 entries. Encoding a symbol >= k gives
 *   N1_ERR_INVALID_ARG, decoding an index >= k gives N1_ERR_CORRUPT.
 * in and out may be the same buffer. n may be 0. Cost: O(n * mean index).
 */
#ifndef N1_MTF_H
#define N1_MTF_H

#include <stddef.h>
#include <stdint.h>

void n1c_mtf_encode_u8(const uint8_t *in, size_t n, uint8_t *out);
void n1c_mtf_decode_u8(const uint8_t *in, size_t n, uint8_t *out);

int n1c_mtf_encode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint16_t *list);
int n1c_mtf_decode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint16_t *list);

#endif
