/*
 * n1_fast_sse41.h -- the fast loop of n1:fast's version-2 block decoder (n1_fast.h)
 * with the block's four segments in the four 32-bit lanes of SSE4.1 registers.
 *
 * Same stream, same samples, same errors as the scalar loop (n1_fast.c, v2_groups);
 * only blocks without phase and rail tables take it (every ephys stream: those
 * tables are for N1's 10-bit stretch grids and clipped signals). Per group of four
 * samples (sample i of each segment) it decodes the four symbols at once. The words
 * the four lanes read come from one shared stream in lane order, each lane reading
 * 0, 1 or 2 (after its symbol, after its low bits); how many is known before reading
 * any: a lane renormalises after the symbol when the decoded state X' < 2^16, and
 * after the low bits when X' < 2^sh (it renormalised) or X' < 2^(16+sh) (it did
 * not), since the low-bits step is X >> sh. So the words are placed with one
 * prefix sum and two byte shuffles.
 *
 * n1_fast_sse41_available()   1 when this build has the loop and the CPU runs it.
 * n1_fast_wide_table(fc, tab) tab[slot] for the symbol table fc (f | cum << 16 per
 *                             symbol, summing to 4096): f << 19 | (slot - cum) << 7 |
 *                             symbol, for every slot 0..4095.
 * n1_fast_groups_sse41(r, m, &i)
 *     decodes groups i, i + 1, ... of the block r while i < m, at least 24 bytes remain
 *     before r->end and no lane's next symbol is the escape (the caller decodes that
 *     group with the scalar code and calls again). Updates r's lanes and word
 *     pointer and i. Returns N1_OK, or N1_ERR_CORRUPT for a code outside 0..kmax (the
 *     scalar loop's error there; r and i are then unspecified).
 * n1_fast_groups2_sse41(r0, r1, m, &i)
 *     the same for two blocks of the same length side by side (two channels' blocks:
 *     each chain hides the other's latency), stopping where either would. Both run
 *     at the higher predictor order; a[j] must be 0 beyond a block's own order (as the
 *     block header gives them), which keeps its predictions its own.
 * Integer only; no allocation, no state between calls.
 */
#ifndef N1_FAST_SSE41_H
#define N1_FAST_SSE41_H

#include <stddef.h>
#include <stdint.h>
#include "n1_fast.h"

typedef struct n1_fast_lanes4 {  /* the four segments' decoder state, lane by lane */
    uint32_t x[N1F_LANES];       /* rANS states */
    int32_t prev[N1F_LANES];     /* previous codes */
    int32_t d[N1F_ORDER_MAX][N1F_LANES]; /* first differences, newest first */
} n1_fast_lanes4;

typedef struct n1_fast_block4 {  /* what every group of a block reads */
    const uint32_t *tab;         /* n1_fast_wide_table of the block's symbol table */
    const int16_t *value;        /* code -> sample */
    int16_t *out[N1F_LANES];     /* segment l's sample i goes to out[l][i] */
    int32_t a[N1F_ORDER_MAX];    /* predictor coefficients (Q10) */
    int32_t kmax;                /* highest code */
    int order, sh;               /* predictor order (0..4), shift (0..11) */
} n1_fast_block4;

typedef struct n1_fast_run4 {    /* one block in the vector loop */
    n1_fast_block4 b;
    n1_fast_lanes4 ln;
    const uint8_t *p, *end;      /* the next word, the block's end */
} n1_fast_run4;

int n1_fast_sse41_available(void);
void n1_fast_wide_table(const uint32_t *fc, uint32_t *tab);
int n1_fast_groups_sse41(n1_fast_run4 *r, size_t m, size_t *ip);
int n1_fast_groups2_sse41(n1_fast_run4 *r0, n1_fast_run4 *r1, size_t m, size_t *ip);

#endif
