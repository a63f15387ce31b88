/*
 * n1_fast.h -- the block coder of the n1 codec's `fast` level: table-driven, no
 * per-sample model.
 *
 * Model: the residual of a sample is d = code - previous code (first difference
 * of ADC codes, n1_adc.h). Residuals -63..63 are symbols 0..126; anything else
 * (a larger jump, or a sample off the ADC grid) is the escape symbol 127,
 * followed by the raw 16-bit sample as two uniform bytes. Each block carries one
 * static frequency table g over the 128 symbols (12-bit, sum 4096). When the
 * block's `phase` flag is set (10-bit stretch streams), the ADC's uneven step
 * widths are folded in: the table used for a sample depends on the previous
 * code's phase p = prev mod 32 and is g(s) * w[(p + s - 63) mod 32] renormalised
 * to 4096 (w = n1_fast_w32, the per-phase step widths, fitted on the even half of
 * the dev split). The encoder sets the flag only when the block's counts say the
 * phase tables code it shorter than a single table. Both sides build the 32 tables from g with the same integer
 * routine (n1_fast_normalise).
 *
 * Coder: four interleaved 32-bit rANS states (sample i uses state i mod 4),
 * state in [2^16, 2^32), 12-bit probabilities, 16-bit renormalisation (at most
 * one 16-bit word per symbol). The encoder divides with an exact 44-bit
 * reciprocal (no division per sample); the decoder finds the symbol with one
 * byte lookup in a 4096-entry slot table per phase.
 *
 * Streams with many codes (no ADC grid found: audio, noise) may shift: with shift
 * k (1..10, chosen per block from the mean |d|), the symbol codes d >> k and the
 * k low bits of d follow it as one uniform symbol.
 *
 * Block payload (nbytes, delimited by the stream framing, n1_stream.c):
 *   flags (bit 0: phase tables, bits 1..4: shift k), lo, hi (first/last symbol with g > 0),
 *   varint g(lo..hi) (sum 4096), 4 x 32-bit LE final encoder states,
 *   16-bit LE words.
 * The decoder checks every field: table sum, state range, each word read
 * against the block end, decoded codes against the ADC range, and that the
 * block ends exactly with every state back at 2^16 and every byte consumed.
 *
 * State is caller-provided (inside n1_encoder / n1_decoder), no allocation, no
 * global mutable state, integer arithmetic only.
 */
#ifndef N1_FAST_H
#define N1_FAST_H

#include <stddef.h>
#include <stdint.h>
#include "n1_adc.h"

#define N1F_BLOCK_MAX 65536
#define N1F_PROB_BITS 12
#define N1F_M (1u << N1F_PROB_BITS)
#define N1F_R 63
#define N1F_NSYM 128
#define N1F_ESC 127
#define N1F_PHASES 32
#define N1F_LANES 4
#define N1F_TABLE_MAX (3 + 2 * N1F_NSYM) /* flags, lo, hi, varints */
#define N1F_OVERHEAD (N1F_TABLE_MAX + 4 * N1F_LANES)

extern const uint16_t n1_fast_w32[N1F_PHASES];

typedef struct n1_fast_enc_entry {
    uint32_t rcp_hi, rcp_lo; /* ceil(2^44 / f), split */
    uint32_t f, c;
    uint32_t xmax;           /* f * 2^20 - 1: renormalise above */
} n1_fast_enc_entry;

typedef struct n1_fast_enc {
    int32_t prev;                     /* previous sample's code */
    int phases;                       /* phase tables allowed (10-bit stretch streams) */
    uint32_t hist[N1F_PHASES * N1F_NSYM];
    n1_fast_enc_entry tab[N1F_PHASES * N1F_NSYM];
    uint16_t sym[N1F_BLOCK_MAX];      /* phase << 7 | symbol */
    int16_t esc[N1F_BLOCK_MAX];       /* raw values of escaped samples, in order */
    uint16_t low[N1F_BLOCK_MAX];      /* low bits of residuals (shifted blocks) */
} n1_fast_enc;

typedef struct n1_fast_dec {
    int32_t prev;
    uint32_t fc[N1F_PHASES * N1F_NSYM];     /* f | cum << 16 */
    uint8_t slot[N1F_PHASES][N1F_M];        /* slot -> symbol, per phase */
    int16_t value[65536];                   /* code -> sample value */
} n1_fast_dec;

/* Integer normalisation of weights t[0..N1F_NSYM) (sum > 0) to frequencies summing
 * to exactly N1F_M, every nonzero weight getting >= 1. */
void n1_fast_normalise(const uint64_t *t, uint32_t *f);

void n1_fast_enc_init(n1_fast_enc *f, const n1_adc_map *map);
/* Model and code x[0..n) (1 <= n <= N1F_BLOCK_MAX). The coded payload goes to the
 * END of [lo, hi): bytes [*start, hi). code_of maps a sample (as uint16) to its
 * code or -1 (unused for identity maps). Returns N1_OK, or N1_ERR_OUTPUT_FULL when
 * the payload does not fit (the model state is updated either way, so the caller
 * may store the block raw instead). */
int n1_fast_encode_block(n1_fast_enc *f, const n1_adc_map *map, const int16_t *code_of,
                         const int16_t *x, size_t n, uint8_t *lo, uint8_t *hi,
                         uint8_t **start);

void n1_fast_dec_init(n1_fast_dec *d, const n1_adc_map *map);
/* Decode n samples from a payload of nbytes. N1_OK, N1_ERR_CORRUPT or N1_ERR_TRUNCATED. */
int n1_fast_decode_block(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                         size_t nbytes, int16_t *out, size_t n);
/* Keep the model in step over a block stored raw. */
void n1_fast_stored(int32_t *prev, const n1_adc_map *map, const int16_t *x, size_t n);
/* Decoder side: copy n raw little-endian samples from p to out (n >= 1), same update. */
void n1_fast_stored_raw(int32_t *prev, const n1_adc_map *map, const uint8_t *p, int16_t *out,
                        size_t n);

#endif
