/*
 * n1_fast.h -- the block coder of the n1 codec's `fast` level: table-driven, no
 * per-sample model. Two block formats: version 2 (written since 2026-12) and
 * version 1 (the first table-driven streams, still decoded). The stream header
 * (n1_stream.c) says which.
 *
 * Residual. Version 1: r = code - previous code (first difference of ADC codes,
 * n1_adc.h). Version 2: r = code - P with P = prev + ((sum_j a_j d_j + 512) >> 10)
 * clamped to [0, K): a per-block linear predictor of order 0..4 over the last
 * first differences d_j (Q10 coefficients, |a_j| <= 4096, sent in the block,
 * chosen by the encoder with integer Levinson-Durbin on the block's
 * autocorrelation). Symbols: with shift k (0..11, chosen per block) q = floor(r /
 * 2^k); q in -63..63 is symbol q + 63 and the k low bits of r follow as one
 * uniform symbol; anything else (a larger jump, or a sample off the ADC grid) is
 * the escape symbol 127 followed by the raw 16-bit sample as two uniform bytes.
 * Version 2 picks k from a histogram of the block's residuals (the shift whose
 * estimated cost is lowest: wide blocks shift instead of escaping), version 1
 * shifted only identity-code streams.
 *
 * Tables. Each block carries one static frequency table g over the 128 symbols
 * (12-bit, sum 4096). When the block's `phase` flag is set (10-bit stretch
 * streams, shift 0), the ADC's uneven step widths are folded in: the table used
 * for a sample depends on the phase p = P mod 32 (v1: previous code mod 32) and is
 * g(s) * w[(p + s - 63) mod 32] renormalised to 4096 (w = n1_fast_w32, the
 * per-phase step widths, fitted on the even half of the dev split). The encoder
 * sets the flag only when the block's counts say the phase tables code it
 * shorter. Both sides build the 32 tables from g with n1_fast_normalise.
 * v2 blocks may also carry a second table, for the rail context: a sample whose
 * previous code is 0 or K - 1 (a clipped signal sits there for long runs with
 * residual 0, which one table shared with the rest cannot code in < 0.5 bit).
 * The encoder sends it when at least 1/64 of the block's samples follow a rail.
 *
 * Coder: four 32-bit rANS states, state in [2^16, 2^32), 12-bit probabilities,
 * 16-bit renormalisation (at most one word a symbol). v1: sample i uses state
 * i mod 4. v2: the block is cut into four segments [s_l, s_l+1) with s_l = l*n/4
 * (integer division); segment l uses state l, and the decoder runs the four
 * segments side by side (sample i of segments 0, 1, 2, 3, then the one extra
 * sample of the longer segments, in segment order), so four independent
 * prediction chains hide each other's latency. Segment l > 0 starts from the code
 * of sample s_l - 1 (sent in the block), segment 0 from the last code of the
 * previous block; every segment starts with zero difference history. The encoder
 * divides with an exact reciprocal (one 64-bit multiply); the decoder finds the
 * symbol with one byte lookup in a 4096-entry slot table per phase.
 *
 * Block payload (nbytes, delimited by the stream framing, n1_stream.c):
 *   v1: flags (bit 0: phase tables, bits 1..4: shift k <= 10), lo, hi, varint
 *       g(lo..hi), 4 x 32-bit LE final encoder states, 16-bit LE words.
 *   v2: flags (bit 0: phase tables, bit 1: rail table, bits 2..4: predictor order
 *       <= 4, bits 5..7: 0), shift k (<= 11), order x zigzag varint a_j (<= 2
 *       bytes), 3 x varint start code of segments 1..3 (< K, <= 3 bytes), lo, hi,
 *       varint g(lo..hi) (<= 2 bytes), the rail table the same way when flagged,
 *       4 x 32-bit LE final encoder states, 16-bit LE words.
 * The decoder checks every field: coefficient and code ranges, table sum, state
 * range, each word read against the block end, decoded codes against the ADC
 * range, and that the block ends exactly with every state back at 2^16 and every
 * byte consumed. Phase tables with a shift are refused.
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
#define N1F_RAIL N1F_PHASES  /* table index of the rail context (v2) */
#define N1F_TABLES (N1F_PHASES + 1)
#define N1F_LANES 4
#define N1F_ORDER_MAX 4
#define N1F_COEF_BITS 10
#define N1F_COEF_MAX 4096   /* |a_j| bound: the prediction sum stays below 2^30 */
#define N1F_SHIFT_MAX 11
#define N1F_WIDE 1024       /* residual histogram of the shift choice: -1024..1023 */
/* flags, shift, coefficients, start codes, two tables (lo, hi, varints) */
#define N1F_TABLE_MAX (2 + 2 * N1F_ORDER_MAX + 3 * (N1F_LANES - 1) + 2 * (2 + 2 * N1F_NSYM))
#define N1F_OVERHEAD (N1F_TABLE_MAX + 4 * N1F_LANES)

extern const uint16_t n1_fast_w32[N1F_PHASES];

typedef struct n1_fast_enc_entry {
    uint64_t rcp;            /* ceil(2^rshift / f) */
    uint16_t f, c;           /* frequency (renormalise when X >> 20 >= f), start */
    uint32_t rshift;         /* 32 + ceil(log2 f) */
} n1_fast_enc_entry;

typedef struct n1_fast_enc {
    int32_t prev;                     /* previous sample's code */
    int phases;                       /* phase tables allowed (10-bit stretch streams) */
    uint32_t hist[N1F_TABLES * N1F_NSYM];
    uint32_t hist2[N1F_TABLES * N1F_NSYM]; /* second half of the counts (odd samples) */
    uint32_t wide[2 * N1F_WIDE + 1];  /* residual histogram (last bin: outside) */
    n1_fast_enc_entry tab[N1F_TABLES * N1F_NSYM];
    uint16_t sym[N1F_BLOCK_MAX];      /* table << 7 | symbol; bit 15: off the grid */
    uint16_t code[N1F_BLOCK_MAX + 1]; /* previous block's last code, then each sample's */
    int32_t res[N1F_BLOCK_MAX];       /* residual: code - prediction (blocks that may shift) */
} n1_fast_enc;

/* Blocks of at least this many samples (without phase or rail tables) decode in
 * vector lanes where the CPU allows (n1_fast_sse41.h): filling its 4096-entry table
 * costs ~11,500 instructions (callgrind), as many as 130-340 decoded samples. */
#define N1F_VECTOR_MIN 2048

typedef struct n1_fast_dec {
    int32_t prev;
    int version;                            /* block format: 1 or 2 */
    int vector;                             /* 1: the vector loop where it applies (set by
                                               n1_fast_dec_init from the CPU; 0: scalar only) */
    uint32_t fc[N1F_TABLES * N1F_NSYM];     /* f | cum << 16 */
    uint8_t slot[N1F_TABLES][N1F_M];        /* slot -> symbol, per table */
    uint32_t wide[N1F_M];                   /* table 0 for the vector loop (n1_fast_sse41.h) */
    int identity;                           /* 1: the identity grid, whose values come
                                               from a shared constant table (n1_fast.c) */
    int16_t value[65536];                   /* code -> sample value, other grids */
} n1_fast_dec;

/* Integer normalisation of weights t[0..N1F_NSYM) (sum > 0, each < 2^32) to
 * frequencies summing to exactly N1F_M, every nonzero weight getting >= 1. */
void n1_fast_normalise(const uint64_t *t, uint32_t *f);

void n1_fast_enc_init(n1_fast_enc *f, const n1_adc_map *map);
/* Model and code x[0..n) (1 <= n <= N1F_BLOCK_MAX) as a version-2 block. The coded
 * payload goes to the END of [lo, hi): bytes [*start, hi). code_of maps a sample
 * (as uint16) to its code or -1 (unused for identity maps). Returns N1_OK, or
 * N1_ERR_OUTPUT_FULL when the payload does not fit (the model state is updated
 * either way, so the caller may store the block raw instead). */
int n1_fast_encode_block(n1_fast_enc *f, const n1_adc_map *map, const int16_t *code_of,
                         const int16_t *x, size_t n, uint8_t *lo, uint8_t *hi,
                         uint8_t **start);

/* version: the block format of the stream (1 or 2; anything else is refused by
 * the stream reader before this is called). */
void n1_fast_dec_init(n1_fast_dec *d, const n1_adc_map *map, int version);
/* Decode n samples from a payload of nbytes. N1_OK, N1_ERR_CORRUPT or N1_ERR_TRUNCATED. */
int n1_fast_decode_block(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                         size_t nbytes, int16_t *out, size_t n);
/* Two blocks of n samples each (two channels' streams at the same place; two distinct
 * states d0, d1): the same samples as n1_fast_decode_block on each, faster where both
 * take the vector loop (their chains run side by side). On failure it returns an error of either block,
 * not necessarily the one the two calls would report first: a caller that needs
 * that decodes the two blocks again one by one. */
int n1_fast_decode_block2(n1_fast_dec *d0, n1_fast_dec *d1, const n1_adc_map *map0,
                          const n1_adc_map *map1, const uint8_t *p0, size_t nbytes0,
                          const uint8_t *p1, size_t nbytes1, int16_t *out0, int16_t *out1,
                          size_t n);
/* Keep the model in step over a block stored raw. */
void n1_fast_stored(int32_t *prev, const n1_adc_map *map, const int16_t *x, size_t n);
/* Decoder side: copy n raw little-endian samples from p to out (n >= 1), same update. */
void n1_fast_stored_raw(int32_t *prev, const n1_adc_map *map, const uint8_t *p, int16_t *out,
                        size_t n);

#endif
