/*
 * bwt.h -- suffix arrays (SA-IS, linear time) and the Burrows-Wheeler transform.
 *
 * Suffix array:
 *   n1c_bwt_suffix_array(text, n, k, sa) sorts the n suffixes of text[0..n-1]
 *   (values in 0..k-1, k >= 1) into sa[0..n-1]. The end of the text sorts
 *   before every symbol (an implicit unique sentinel). Linear time (SA-IS,
 *   Nong, Zhang and Chan 2009); recursion levels reuse sa as their work area
 *   and allocate only a bucket array of the level's alphabet size and one
 *   type byte per symbol (both freed before return). n <= 2^31 - 2.
 *   Returns N1_OK, N1_ERR_INVALID_ARG (a symbol >= k, k == 0),
 *   N1_ERR_TOO_LARGE or N1_ERR_NOMEM.
 *
 * BWT (of text + sentinel, the sentinel left out of the output):
 *   n1c_bwt_encode_u8/u16(in, n, out, &primary, work) writes the n symbols of
 *   the last column of the sorted rotations of in$ with the '$' removed, and
 *   the row of the '$' (1..n for n >= 1, 0 for n == 0) in *primary. out must
 *   not alias in. work holds n1c_bwt_work_size(n) int32 entries (the suffix
 *   array and the text widened to int32).
 *
 *   n1c_bwt_decode_u8/u16(in, n, primary, out, work) inverts it through the
 *   LF mapping. work holds n1c_bwt_decode_work_size(n, k) uint32 entries
 *   (k = 256 for bytes): n LF links plus k + 1 counters. Any (in, primary) is checked:
 *   primary outside 1..n (or != 0 for n == 0), or a last column that is not
 *   the BWT of any text (the LF walk meets the '$' row early or misses it),
 *   gives N1_ERR_CORRUPT; out is then garbage but never written out of bounds.
 *   For u16, k is the alphabet size: every in[i] < k else N1_ERR_CORRUPT
 *   (decode) or N1_ERR_INVALID_ARG (encode). k <= 65536.
 *
 * No global state; nothing is allocated by the BWT functions themselves
 * except inside n1c_bwt_suffix_array as said above.
 */
#ifndef N1_BWT_H
#define N1_BWT_H

#include <stddef.h>
#include <stdint.h>

#define N1C_BWT_MAX_N 0x7ffffff0u

int n1c_bwt_suffix_array(const int32_t *text, size_t n, int32_t k, int32_t *sa);

/* int32 entries of encoder work for n symbols. */
size_t n1c_bwt_work_size(size_t n);

/* uint32 entries of decoder work for n symbols of a k-symbol alphabet. */
size_t n1c_bwt_decode_work_size(size_t n, uint32_t k);

int n1c_bwt_encode_u8(const uint8_t *in, size_t n, uint8_t *out, uint32_t *primary, int32_t *work);
int n1c_bwt_decode_u8(const uint8_t *in, size_t n, uint32_t primary, uint8_t *out, uint32_t *work);

int n1c_bwt_encode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint32_t *primary,
                       int32_t *work);
int n1c_bwt_decode_u16(const uint16_t *in, size_t n, uint32_t k, uint32_t primary, uint16_t *out,
                       uint32_t *work);

#endif
