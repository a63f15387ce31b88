/*
 * bwt_chain.h -- the `bwtc` coder: a bzip2-style chain over 16-bit samples.
 *
 * Per block of up to 2^block_log samples:
 *   1. value table: the block's distinct sample values, sorted, replace each
 *      sample by its rank (K distinct values -> symbols 0..K-1). Stored as the
 *      first value and Rice-coded second differences of the gaps.
 *   2. BWT of the rank string (SA-IS suffix array, bwt.h), primary index stored.
 *   3. MTF over the K ranks (mtf.h), then bzip2's zero-run RLE (rle.h).
 *   4. The RLE symbols (RUNA, RUNB, MTF index + 1) are mapped onto a small
 *      alphabet: indices up to 2^direct_log directly, larger ones as an octave
 *      bucket with `mantissa` leading bits as the Huffman symbol and the rest
 *      as raw extra bits. This keeps tables small for any K.
 *   5. Canonical Huffman with up to 8 tables (n1c_huffman_* building blocks),
 *      one chosen per group of `group` symbols by iterative refinement as in
 *      bzip2; selectors are MTF + unary coded, tables as bzip2-style length
 *      deltas. On the N1 dev split more tables or other group sizes change
 *      the ratio by < 0.3%, so the defaults favour speed (3 tables, groups
 *      of 100, 2 refinement passes).
 *   A block with more than 4096 distinct values is coded in byte mode: the
 *   same chain over the samples' little-endian bytes (2 nb symbols, K = 256,
 *   no value table), as bzip2 does. A block whose coding would be larger
 *   than its samples is stored raw (1 flag bit + 16 bits per sample).
 *
 * Measured on the N1 dev split (497 files) with
 *   n1codec bench ../shared/n1-data/dev --codecs bwtc,bz2 --repeats 3
 * (whole .n1 files, every file decoded and compared; bz2 is stdlib bz2 -9 in
 * the same container; median of 3 timings per file, in one process): ratio
 * 3.281 vs 3.118 (bz2 -9 on the bare WAV files: 3.115); encode 135 vs 60 xRT,
 * decode 359 vs 151 xRT (2026-12-01, shared 2-core machine; an earlier, quieter
 * run gave 11.9 s vs 20.7 s and 4.0 s vs 8.1 s for the whole split). The ratio
 * claims are checked in tests/test_transform.py. Huffman coding is within
 * 0.7% of the order-0 entropy of the RLE symbols; the rank domain (instead of
 * the samples' bytes) is where the gain over bzip2 comes from.
 *
 * Stream: one MSB-first bit stream: 5 bits block_log, then the blocks (the
 * decoder is told the sample count, so block sizes follow), zero-padded to a
 * byte. n == 0 gives an empty stream. A block of nb samples:
 *   1 bit raw flag; raw: nb x 16 bits. Otherwise 1 bit byte mode; the text
 *   has len = nb symbols (rank mode) or 2 nb (byte mode); B = bits to write
 *   len. Rank mode only, the value table:
 *   K-1 (12 bits), first value (16), and when K > 1: Rice k (4 bits) and K-1
 *   codes of zigzag(gap[i] - gap[i-1]) (gap[0] := 1; q < 20 ones, a zero, k
 *   bits; or 20 ones and the value in 18 bits);
 *   primary (B bits); m = RLE symbol count (B bits); direct_log (4);
 *   mantissa (2); tables-1 (3); group (8); one used flag per symbol of the
 *   alphabet 2 + 2^direct_log + (16 - direct_log) * 2^mantissa;
 *   per table: first length (5 bits), then per used symbol ("10" = +1,
 *   "11" = -1)* "0"; ceil(m / group) selectors as MTF positions in unary;
 *   then per symbol the code from its group's table and its extra bits.
 *
 *   n1c_bwtc_bound(n)     worst-case encoded size in bytes.
 *   n1c_bwtc_encode(samples, n, params or NULL for defaults, out, cap, &out_len)
 *       N1_ERR_INVALID_ARG (bad params), N1_ERR_OUTPUT_FULL, N1_ERR_NOMEM,
 *       N1_ERR_TOO_LARGE (n >= 2^32).
 *   n1c_bwtc_decode(in, len, out, n)
 *       decodes exactly n samples; N1_ERR_TRUNCATED or N1_ERR_CORRUPT on any
 *       inconsistency (it never reads past in+len nor writes past out+n).
 *       Allocates work for one block of min(n, 2^block_log) samples (about
 *       18 bytes per sample) plus about 1.1 MB of Huffman tables: the size
 *       is bounded by the caller's n, never by a length read from the stream.
 * Encoder work is allocated per call (about 36 bytes per sample of a block).
 * No global state.
 */
#ifndef N1_BWT_CHAIN_H
#define N1_BWT_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define N1C_BWTC_MAX_TABLES 8u
#define N1C_BWTC_MIN_BLOCK_LOG 8u
#define N1C_BWTC_MAX_BLOCK_LOG 24u

typedef struct n1c_bwtc_params {
    unsigned block_log;   /* samples per block = 2^block_log, 8..24; default 20 */
    unsigned tables;      /* Huffman tables 1..8, or 0 to try 1..6; default 3 */
    unsigned group;       /* symbols per table selection, 1..255; default 100 */
    unsigned iterations;  /* table refinement passes, 1..16; default 2 */
    unsigned direct_log;  /* MTF indices below 2^direct_log are direct symbols, 0..8; default 5 */
    unsigned mantissa;    /* leading bits of a bucket symbol, 0..3 (<= direct_log); default 3 */
} n1c_bwtc_params;

void n1c_bwtc_default_params(n1c_bwtc_params *p);

size_t n1c_bwtc_bound(size_t n);

int n1c_bwtc_encode(const uint16_t *samples, size_t n, const n1c_bwtc_params *params,
                    uint8_t *out, size_t cap, size_t *out_len);

int n1c_bwtc_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n);

#endif
