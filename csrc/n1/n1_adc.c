/*
 * n1_adc.c -- per-stream detection of the ADC code mapping (see n1_adc.h).
 *
 * Cost: candidates are tried from the coarsest grid (fewest codes) up; each is
 * first tested on 64 samples (which rejects wrong grids at once), then all
 * samples are looked up in an 8 KB bitmap of the grid's values (on the stack).
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
}

/* Every sample on the grid of m? A quick look at the first samples rejects most
 * candidates; survivors are checked against a bitmap of the grid's values. */
static int all_fit(const int16_t *x, size_t n, const n1_adc_map *m)
{
    size_t head = n < 64 ? n : 64;
    for (size_t i = 0; i < head; i++)
        if (n1_adc_to_code(m, x[i]) < 0) return 0;
    uint8_t grid[65536 / 8];
    memset(grid, 0, sizeof(grid));
    for (int32_t c = 0; c < m->ncodes; c++) {
        uint16_t u = (uint16_t)(int16_t)n1_adc_value(m, c);
        grid[u >> 3] |= (uint8_t)(1u << (u & 7));
    }
    for (size_t i = head; i < n; i++) {
        uint16_t u = (uint16_t)x[i];
        if (!(grid[u >> 3] & (1u << (u & 7)))) return 0;
    }
    return 1;
}

void n1_adc_detect(const int16_t *x, size_t n, n1_adc_map *m)
{
    n1_adc_map t;
    if (n > 0) {
        for (int b = 1; b <= 15; b++) {
            n1_adc_set(&t, N1_ADC_STRETCH, b);
            if (all_fit(x, n, &t)) { *m = t; return; }
            n1_adc_set(&t, N1_ADC_SHIFT, b);
            if (all_fit(x, n, &t)) { *m = t; return; }
        }
    }
    n1_adc_set(m, N1_ADC_IDENTITY, 16);
}
