/*
 * n1_grid.h -- the value grid of a format-2 n1 stream: which int16 values the
 * samples take, as a list of K codes (n1_adc.h), recognised from the first
 * samples and described in the stream header.
 *
 * n1_grid_detect(a, na, b, nb, &g) looks at the distinct values of a[] and b[]:
 *   - their gcd g and span give a lattice x0 + g*c (any offset, gcd > 1,
 *     plain small-range codes). A lattice that fits 10-bit codes aligned on 0
 *     (signed -512..511 or unsigned 0..1023, times g) becomes exactly that
 *     1024-code grid, so ADC codes keep their code numbers (N1_GRID_ALIGNED10);
 *     another small lattice gets a margin of codes around the values seen;
 *     a large one covers the whole int16 range on the lattice (identity for g = 1);
 *   - when the values are few and the lattice mostly empty (rescaled ADC codes
 *     with uneven steps, e.g. steps of 24 and 25), a value table instead: the
 *     values seen, gaps of about q modal steps filled with q - 1 evenly spaced
 *     values, a margin of modal steps at both ends; at most N1_ADC_TABLE_MAX.
 * Samples off the grid later are escapes (lossless), so any choice is safe.
 *
 * Header (after the two format bytes, see n1_stream.c), written by
 * n1_grid_write() and parsed by n1_grid_read():
 *   AFFINE: varint zz(x0), varint step, varint K
 *   TABLE:  varint zz(x0), varint K, varint h (modal step), then K - 1 gaps as
 *           bits (LSB first, padded to a byte): 0 = a gap of h; 1 then Elias
 *           gamma of zz(gap - h) (>= 1) otherwise
 *   other kinds: nothing
 * (zz = zigzag: 0, -1, 1, -2 -> 0, 1, 2, 3; varints are LEB128, <= 5 bytes).
 * n1_grid_read checks every field: values strictly increasing within int16,
 * K within limits, every byte present (N1_ERR_TRUNCATED / N1_ERR_CORRUPT).
 * No allocation; bitmaps live on the stack (16 KiB).
 */
#ifndef N1_GRID_H
#define N1_GRID_H

#include <stddef.h>
#include <stdint.h>
#include "n1_adc.h"

#define N1_GRID_HEADER_MAX (15 + (4095 * 35 + 7) / 8) /* largest grid description */

typedef struct n1_grid {
    n1_adc_map map;
    int aligned10;                      /* 1024 codes aligned as 10-bit ADC codes */
    int32_t value[N1_ADC_TABLE_MAX];    /* TABLE: the K sorted values */
} n1_grid;

void n1_grid_detect(const int16_t *a, size_t na, const int16_t *b, size_t nb, n1_grid *g);
/* Bytes of the description (<= N1_GRID_HEADER_MAX). */
size_t n1_grid_size(const n1_grid *g);
/* Writes the description; returns its size, or 0 if cap is too small. */
size_t n1_grid_write(const n1_grid *g, uint8_t *out, size_t cap);
/* Parses the description of a grid of the given kind (and bits) from in[0..len). */
int n1_grid_read(const uint8_t *in, size_t len, int kind, int bits, size_t *used, n1_grid *g);

#endif
