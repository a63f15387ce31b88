/*
 * n1_adc.c -- per-stream detection of the ADC code mapping (see n1_adc.h).
 *
 * Cost: candidates are tried from the coarsest grid (fewest codes) up; each is
 * first tested on 64 samples (which rejects wrong grids at once), then all
 * samples are looked up in a bitmap of the grid's values (on the stack). A grid
 * is only accepted with enough distinct values to rule out a coincidence (see
 * all_fit), so a tiny or constant first block falls back to identity.
 */
#include "n1_adc.h"
#include <string.h>

void n1_adc_set(n1_adc_map *m, int kind, int bits)
{
    if (kind != N1_ADC_STRETCH && kind != N1_ADC_SHIFT) { kind = N1_ADC_IDENTITY; bits = 16; }
    if (bits < 1 || bits > 15) { kind = N1_ADC_IDENTITY; bits = 16; }
    m->kind = kind;
    m->bits = bits;
    m->ncodes = (int32_t)1 << bits;
    m->x0 = 0;
    m->step = 1;
}

void n1_adc_set_affine(n1_adc_map *m, int32_t x0, int32_t step, int32_t K)
{
    if (step < 1 || K < 1 || x0 < -32768 || (int64_t)x0 + (int64_t)step * (K - 1) > 32767) {
        n1_adc_set(m, N1_ADC_IDENTITY, 16);
        return;
    }
    m->kind = N1_ADC_AFFINE;
    m->bits = 0;
    m->ncodes = K;
    m->x0 = x0;
    m->step = step;
}

void n1_adc_set_table(n1_adc_map *m, int32_t K)
{
    if (K < 1 || K > N1_ADC_TABLE_MAX) {
        n1_adc_set(m, N1_ADC_IDENTITY, 16);
        return;
    }
    m->kind = N1_ADC_TABLE;
    m->bits = 0;
    m->ncodes = K;
    m->x0 = 0;
    m->step = 1;
}

/* Every sample on the grid of m, with enough distinct values that this is not a
 * coincidence? A quick look at the first samples rejects most candidates;
 * survivors are checked against a bitmap of the grid's values, or, when there are
 * fewer samples than codes, each sample through n1_adc_to_code (the same answer:
 * test_n1_adc.c compares the two on every int16 value; building a bitmap of 2^15
 * codes cost more than coding a short stream). A random value lies on a grid of K
 * codes with probability ~K/65536, so each distinct value is 16 - b bits of
 * evidence; at least 48 bits are required (e.g. 8 distinct values for a 10-bit
 * grid). Bitmaps live on the stack (16 KB). */
static int all_fit(const int16_t *a, size_t na, const int16_t *b, size_t nb, const n1_adc_map *m)
{
    size_t head = na < 64 ? na : 64;
    for (size_t i = 0; i < head; i++)
        if (n1_adc_to_code(m, a[i]) < 0) return 0;
    int by_code = na + nb < (size_t)m->ncodes;
    uint8_t grid[65536 / 8], seen[65536 / 8];
    memset(seen, 0, sizeof(seen));
    if (!by_code) {
        memset(grid, 0, sizeof(grid));
        for (int32_t c = 0; c < m->ncodes; c++) {
            uint16_t u = (uint16_t)(int16_t)n1_adc_value(m, c);
            grid[u >> 3] |= (uint8_t)(1u << (u & 7));
        }
    }
    long evidence = 0;
    const long per_value = 16 - m->bits;
    for (int part = 0; part < 2; part++) {
        const int16_t *x = part ? b : a;
        size_t n = part ? nb : na;
        for (size_t i = 0; i < n; i++) {
            uint16_t u = (uint16_t)x[i];
            uint8_t bit = (uint8_t)(1u << (u & 7));
            if (by_code ? n1_adc_to_code(m, x[i]) < 0 : !(grid[u >> 3] & bit)) return 0;
            if (!(seen[u >> 3] & bit)) {
                seen[u >> 3] |= bit;
                evidence += per_value;
            }
        }
    }
    return evidence >= 48;
}

void n1_adc_detect2(const int16_t *a, size_t na, const int16_t *b, size_t nb, n1_adc_map *m)
{
    n1_adc_map t;
    if (na == 0) { a = b; na = nb; b = NULL; nb = 0; }
    if (na > 0) {
        for (int bits = 1; bits <= 15; bits++) {
            n1_adc_set(&t, N1_ADC_STRETCH, bits);
            if (all_fit(a, na, b, nb, &t)) { *m = t; return; }
            n1_adc_set(&t, N1_ADC_SHIFT, bits);
            if (all_fit(a, na, b, nb, &t)) { *m = t; return; }
        }
    }
    n1_adc_set(m, N1_ADC_IDENTITY, 16);
}

void n1_adc_detect(const int16_t *x, size_t n, n1_adc_map *m)
{
    n1_adc_detect2(x, n, NULL, 0, m);
}
