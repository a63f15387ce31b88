/*
 * huffman.h -- length-limited canonical Huffman coding of 16-bit symbols.
 *
 * Building blocks (usable by other coders, e.g. the BWT chain):
 *   n1c_huffman_lengths()  code lengths (<= max_bits) from symbol counts; the
 *                          code is always complete (Kraft sum exactly 1) when
 *                          two or more symbols occur.
 *   n1c_huffman_codes()    canonical codes from lengths.
 *   n1c_huffman_write_table()/read_table()  compact table: used symbols as
 *                          Rice-coded gaps, lengths as Rice-coded differences.
 *   n1c_huffman_decoder_init()/n1c_huffman_decode_symbol()  table-driven decoding:
 *                          an 11-bit lookup table resolves short codes in one
 *                          step, longer ones by canonical limits per length.
 *
 * One-shot stream (the `huffman` coder):
 *   n1c_huffman_encode(symbols, count, work, out, cap, &out_len)
 *   n1c_huffman_decode(in, len, work, out, count)
 *   n1c_huffman_max_count(in, len, lengths, &max)   the most symbols it can hold
 * Stream layout: table, then the codes of all symbols, MSB-first, zero-padded
 * to a byte. count == 0 gives an empty stream; a single distinct symbol costs
 * only its table. Decoding validates the table (symbols ascending and in the
 * alphabet, lengths in 1..20, complete code) and the bit count, returning
 * N1_ERR_CORRUPT or N1_ERR_TRUNCATED; it never writes more than count symbols.
 *
 * Memory: callers own the work structs below (about 1.4 MB to encode, 200 KB
 * to decode); nothing is allocated here and nothing is global.
 */
#ifndef N1C_HUFFMAN_H
#define N1C_HUFFMAN_H

#include <stddef.h>
#include <stdint.h>
#include "common/bitio.h"

#define N1C_HUFFMAN_ALPHABET 65536u
#define N1C_HUFFMAN_MAX_BITS 20u
#define N1C_HUFFMAN_LUT_BITS 11u

typedef struct n1c_huffman_encoder_work {
    uint32_t counts[N1C_HUFFMAN_ALPHABET];
    uint32_t codes[N1C_HUFFMAN_ALPHABET];
    uint8_t lengths[N1C_HUFFMAN_ALPHABET];
    uint64_t weights[N1C_HUFFMAN_ALPHABET];  /* scratch for n1c_huffman_lengths */
    uint32_t order[N1C_HUFFMAN_ALPHABET];   /* scratch for n1c_huffman_lengths */
} n1c_huffman_encoder_work;

typedef struct n1c_huffman_decoder {
    uint32_t lut[1u << N1C_HUFFMAN_LUT_BITS];  /* (symbol << 8) | length, 0 = long code */
    uint32_t limit[N1C_HUFFMAN_MAX_BITS + 2];  /* left-justified end of each length's codes */
    uint32_t first_code[N1C_HUFFMAN_MAX_BITS + 2];
    uint32_t offset[N1C_HUFFMAN_MAX_BITS + 2]; /* index in `sorted` of each length's first symbol */
    unsigned max_bits;
    uint16_t sorted[N1C_HUFFMAN_ALPHABET];    /* symbols ordered by (length, value) */
} n1c_huffman_decoder;

typedef struct n1c_huffman_decoder_work {
    n1c_huffman_decoder decoder;
    uint8_t lengths[N1C_HUFFMAN_ALPHABET];
} n1c_huffman_decoder_work;

/* counts[alphabet] -> lengths[alphabet] (0 for unused symbols). alphabet <= 65536,
 * max_bits in [ceil(log2(used symbols)), 20]. weights/order: scratch of alphabet
 * entries each. Returns the number of used symbols; a lone used symbol gets
 * length 1. Returns 0 when no symbol is used, or -N1_ERR_INVALID_ARG style
 * negative status on bad arguments. */
long n1c_huffman_lengths(const uint32_t *counts, size_t alphabet, unsigned max_bits,
                         uint8_t *lengths, uint64_t *weights, uint32_t *order);

/* Canonical codes (right-aligned, `lengths[s]` bits) for every used symbol. */
void n1c_huffman_codes(const uint8_t *lengths, size_t alphabet, uint32_t *codes);

/* Writes the table of a code over `alphabet` symbols with `used` >= 1 used symbols. */
void n1c_huffman_write_table(n1_bitwriter *w, const uint8_t *lengths, size_t alphabet, size_t used);

/* Reads a table written by n1c_huffman_write_table into lengths[alphabet].
 * Stores the number of used symbols in *used and, when *used == 1, that symbol
 * in *single. Returns N1_OK, N1_ERR_CORRUPT or N1_ERR_TRUNCATED. */
int n1c_huffman_read_table(n1_bitreader *r, uint8_t *lengths, size_t alphabet,
                           size_t *used, uint16_t *single);

/* Builds decoding tables from a complete code. Returns N1_ERR_CORRUPT when the
 * lengths do not form a complete prefix code of at most 20 bits. */
int n1c_huffman_decoder_init(n1c_huffman_decoder *d, const uint8_t *lengths, size_t alphabet);

/* Decodes one symbol. Always consumes 1..max_bits bits for a complete code. */
static inline unsigned n1c_huffman_decode_symbol(const n1c_huffman_decoder *d, n1_bitreader *r)
{
    uint32_t entry = d->lut[n1_br_peek(r, N1C_HUFFMAN_LUT_BITS)];
    if (entry & 0xffu) {
        n1_br_skip(r, entry & 0xffu);
        return entry >> 8;
    }
    uint32_t v = n1_br_peek(r, d->max_bits);
    unsigned len = N1C_HUFFMAN_LUT_BITS + 1;
    while (len < d->max_bits && v >= d->limit[len]) len++;
    n1_br_skip(r, len);
    return d->sorted[d->offset[len] + (v >> (d->max_bits - len)) - d->first_code[len]];
}

/* Worst-case stream size for count symbols. */
size_t n1c_huffman_bound(size_t count);

int n1c_huffman_encode(const uint16_t *symbols, size_t count, n1c_huffman_encoder_work *work,
                       uint8_t *out, size_t cap, size_t *out_len);

int n1c_huffman_decode(const uint8_t *in, size_t len, n1c_huffman_decoder_work *work,
                       uint16_t *out, size_t count);

/* The most symbols a stream of len bytes can hold, from its table alone (read into
 * lengths, caller work of N1C_HUFFMAN_ALPHABET bytes): with two or more used symbols
 * every code takes at least one bit, so 8 * len minus the table's bits; with one
 * used symbol UINT64_MAX (no data bits: any count); 0 for the empty stream.
 * Callers refuse a larger declared count before allocating for it. Returns N1_OK,
 * or the table's N1_ERR_TRUNCATED / N1_ERR_CORRUPT. */
int n1c_huffman_max_count(const uint8_t *in, size_t len, uint8_t *lengths, uint64_t *max_count);

#endif
