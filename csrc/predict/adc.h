/*
 * adc.h -- the `adc` stage: maps 16-bit samples that take few distinct values
 * (ADC codes stretched onto 16 bits) to their index in the sorted table of the
 * stream's distinct values, and back, exactly.
 *
 * Order: samples are compared as int16 (the table is sorted by signed value),
 * so the mapping is monotone and predictors keep working on the codes.
 *
 * Side info (self-delimiting, at most N1C_ADC_SIDE_MAX bytes):
 *   byte 0: 0 = identity (codes are the samples unchanged), 1 = table follows.
 *   table, MSB-first bits: K-1 (12 bits, K = 1..N1C_ADC_MAX_VALUES), the first
 *   value (16 bits, offset binary), and when K > 1: the commonest gap g0
 *   (16 bits), then the K-1 gaps as runs: the number of gaps equal to g0
 *   (adaptive Rice), then, unless all K-1 gaps are told, one other gap d as
 *   Elias-gamma(d / g0 + 1) and d mod g0 (adaptive Rice), and so on; a final
 *   run (possibly 0) ends the table. Rice codes: golomb.h.
 * The encoder maps only when the stream has at most N1C_ADC_MAX_VALUES distinct
 * values and the bits saved on the samples (n * floor(log2(mean gap))) exceed
 * the table's cost; otherwise it writes the identity flag.
 *
 * n1c_adc_encode(in, n, codes, side, side_cap, &side_len): codes[i] receives
 * the index (or in[i] for identity); codes may equal in. Errors:
 * N1_ERR_OUTPUT_FULL (side_cap < needed; N1C_ADC_SIDE_MAX always suffices),
 * N1_ERR_NOMEM (a fixed 128 KB lookup table and
 * an N1C_ADC_SIDE_MAX scratch).
 *
 * n1c_adc_decode(side, side_len, &side_used, codes, out, n): reads the side
 * info (bytes used returned), then out[i] = table[codes[i]]; out may equal
 * codes. Errors: N1_ERR_TRUNCATED (side info ends early), N1_ERR_CORRUPT (a
 * bad flag, g0 = 0, runs past K, an exception gap equal to g0, values past
 * 65535, or a code >= K).
 * No global state; the table lives on the caller's stack (8 KB) in the decoder.
 */
#ifndef N1_PREDICT_ADC_H
#define N1_PREDICT_ADC_H

#include <stddef.h>
#include <stdint.h>

#define N1C_ADC_MAX_VALUES 4096u
#define N1C_ADC_SIDE_MAX (16u + N1C_ADC_MAX_VALUES * 14u)

int n1c_adc_encode(const uint16_t *in, size_t n, uint16_t *codes, uint8_t *side,
                   size_t side_cap, size_t *side_len);
int n1c_adc_decode(const uint8_t *side, size_t side_len, size_t *side_used,
                   const uint16_t *codes, uint16_t *out, size_t n);

#endif
