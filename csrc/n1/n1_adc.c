/*
 * n1_adc.c -- per-stream detection of the ADC code mapping (see n1_adc.h).
 *
 * Cost: one pass over the samples per candidate mapping, stopping at the first
 * sample that does not fit; candidates are tried from the coarsest grid (fewest
 * codes) up, so a 10-bit recording is recognised after ~20 short passes.
 */
#include "n1_adc.h"

void n1_adc_set(n1_adc_map *m, int kind, int bits)
{
    if (kind != N1_ADC_STRETCH && kind != N1_ADC_SHIFT) { kind = N1_ADC_IDENTITY; bits = 16; }
    if (bits < 1 || bits > 15) { kind = N1_ADC_IDENTITY; bits = 16; }
    m->kind = kind;
    m->bits = bits;
    m->ncodes = (int32_t)1 << bits;
}

static int all_fit(const int16_t *x, size_t n, const n1_adc_map *m)
{
    for (size_t i = 0; i < n; i++)
        if (n1_adc_to_code(m, x[i]) < 0) return 0;
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
