/*
 * n1_adc.h -- map 16-bit samples to the ADC codes they were stretched from.
 *
 * An N1 recording holds 10-bit ADC codes c stretched onto int16 as
 * x = trunc(c * 65535 / 1023 - 32768). This file generalises that to a family of
 * mappings with b-bit codes (K = 2^b codes), chosen per stream:
 *   N1_ADC_IDENTITY  K = 65536, code = x + 32768 (always valid; the fallback)
 *   N1_ADC_STRETCH   x = trunc((c * 65535 - 32768 * (K - 1)) / (K - 1)), b in 1..15
 *   N1_ADC_SHIFT     x = c * 2^(16 - b) - 32768, b in 1..15
 * and, in format-2 streams only (chosen by n1_grid.h, never by n1_adc_detect):
 *   N1_ADC_AFFINE    x = x0 + step * c, 0 <= c < K (any offset, gcd lattices,
 *                    plain small-range codes), K <= 65536
 *   N1_ADC_TABLE     x = value[c] from a sorted table of K <= N1_ADC_TABLE_MAX
 *                    values held by the model (uneven lattices); the inline
 *                    functions below do not handle it (see n1_model_code_of)
 *
 * n1_adc_detect(x, n, &map) picks the mapping with the fewest codes under which
 * every one of the n samples is exact and which at least 48 bits of evidence
 * support (distinct values x (16 - b)); identity when none qualifies (n == 0, a
 * constant block, noise). Give it a few thousand samples.
 * n1_adc_to_code() returns the code of x or -1 if x is not on the grid (the
 * stream then codes an escape); n1_adc_nearest() returns the nearest code for
 * any x (used to keep the model running across escapes); n1_adc_value() is the
 * inverse for 0 <= c < K. All integer, no allocation, no failure modes.
 */
#ifndef N1_ADC_H
#define N1_ADC_H

#include <stddef.h>
#include <stdint.h>

enum { N1_ADC_IDENTITY = 0, N1_ADC_STRETCH = 1, N1_ADC_SHIFT = 2, N1_ADC_AFFINE = 3,
       N1_ADC_TABLE = 4 };
#define N1_ADC_TABLE_MAX 4096

typedef struct n1_adc_map {
    int kind;       /* N1_ADC_* */
    int bits;       /* b: 16 for identity, 1..15 otherwise */
    int32_t ncodes; /* K = 2^b (any K for AFFINE and TABLE) */
    int32_t x0;     /* AFFINE: value of code 0 */
    int32_t step;   /* AFFINE: distance between codes (>= 1) */
} n1_adc_map;

void n1_adc_set(n1_adc_map *m, int kind, int bits);
/* AFFINE: needs step >= 1, K >= 1 and x0 + step * (K - 1) <= 32767, x0 >= -32768
 * (else the identity map is set). TABLE: K in 1..N1_ADC_TABLE_MAX (else identity). */
void n1_adc_set_affine(n1_adc_map *m, int32_t x0, int32_t step, int32_t K);
void n1_adc_set_table(n1_adc_map *m, int32_t K);
void n1_adc_detect(const int16_t *x, size_t n, n1_adc_map *m);
/* Same over the concatenation of a[0..na) and b[0..nb). */
void n1_adc_detect2(const int16_t *a, size_t na, const int16_t *b, size_t nb, n1_adc_map *m);

static inline int32_t n1_adc_value(const n1_adc_map *m, int32_t c)
{
    if (m->kind == N1_ADC_STRETCH) {
        int64_t d = m->ncodes - 1;
        return (int32_t)(((int64_t)c * 65535 - 32768 * d) / d); /* C99: truncates */
    }
    if (m->kind == N1_ADC_SHIFT) return (c << (16 - m->bits)) - 32768;
    if (m->kind == N1_ADC_AFFINE) return m->x0 + m->step * c;
    return c - 32768;
}

static inline int32_t n1_adc_nearest(const n1_adc_map *m, int32_t x)
{
    int64_t u = (int64_t)x + 32768; /* 0..65535 */
    int32_t c;
    if (m->kind == N1_ADC_STRETCH) {
        int64_t d = m->ncodes - 1;
        c = (int32_t)((u * d + 32767) / 65535);
    } else if (m->kind == N1_ADC_SHIFT) {
        c = (int32_t)((u + ((int64_t)1 << (15 - m->bits))) >> (16 - m->bits));
    } else if (m->kind == N1_ADC_AFFINE) {
        int64_t t = (int64_t)x - m->x0 + m->step / 2; /* round half down, floor division */
        c = t < 0 ? 0 : (int32_t)(t / m->step);
    } else {
        return (int32_t)u;
    }
    if (c < 0) c = 0;
    if (c > m->ncodes - 1) c = m->ncodes - 1;
    return c;
}

static inline int32_t n1_adc_to_code(const n1_adc_map *m, int32_t x)
{
    int32_t c = n1_adc_nearest(m, x);
    if (n1_adc_value(m, c) == x) return c;
    if (m->kind == N1_ADC_STRETCH) { /* rounding may land one code off */
        if (c > 0 && n1_adc_value(m, c - 1) == x) return c - 1;
        if (c + 1 < m->ncodes && n1_adc_value(m, c + 1) == x) return c + 1;
    }
    return -1;
}

#endif
