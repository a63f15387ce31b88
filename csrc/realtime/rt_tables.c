/*
 * rt_tables.c -- the shared, read-only tables of the real-time mode: ADC code
 * maps and one cumulative frequency table per (bin set, width class). See
 * rt.h for the model; everything here is integer arithmetic on frozen
 * constants (n1_gauss.h, n1_fast_w32), so every platform builds the same tables.
 */
#include <string.h>
#include "rt_model.h"
#include "../common/status.h"
#include "../n1/n1_gauss.h"
#include "../n1/n1_fast.h"

/* 2^((f + 0.5) / 4) * sqrt(pi / 2) in Q16: the Gaussian sigma of a class whose
 * mean |residual| is the geometric centre of its quarter octave. */
static const uint32_t sigma_frac[4] = {89571, 106519, 126673, 150640};

/* Sigma of class j in Q8 code units (a code is 256). */
static int64_t class_sigma(int j)
{
    int e = (j + 4) >> 2, f = (j + 4) & 3;
    /* mean |r| = 2^((j + 4.5) / 4) in Q4, so sigma in Q8 is 16 times that */
    return ((int64_t)sigma_frac[f] << (e + 4)) >> 16;
}

/* Width in Q8 of the bin of residual r (code base + r) for a bin set. */
static int64_t bin_width(int set, int r)
{
    if (set < RT_SET_PHASE0) return 256;
    int phase = set - RT_SET_PHASE0;
    return n1_fast_w32[(phase + r) & (RT_PHASES - 1)];
}

/* Left edges e[0..NSYM-1] (Q8, relative to the prediction) of residuals
 * -63..63 and the right edge of 63 in e[NSYM-1]. */
static void bin_edges(int set, int64_t *e)
{
    int64_t left0 = set == RT_SET_SHIFTED ? 0 : -bin_width(set, 0) / 2;
    e[RT_R] = left0;
    for (int r = 1; r <= RT_R + 1; r++) e[RT_R + r] = e[RT_R + r - 1] + bin_width(set, r - 1);
    for (int r = -1; r >= -RT_R; r--) e[RT_R + r] = e[RT_R + r + 1] - bin_width(set, r);
}

/* cum[0..NSYM]: symbol s < ESC gets floor(P(bin) * A) + 1 in effect, the
 * escape the two tails; every frequency >= 1, total RT_M. */
static void build_cum(int set, int cls, uint16_t *cum)
{
    int64_t e[N1C_RT_NSYM];
    bin_edges(set, e);
    int64_t sigma = class_sigma(cls);
    const uint64_t A = RT_M - N1C_RT_NSYM;
    uint32_t phi0 = n1_phi(e[0] * 2048 / sigma);
    for (int s = 0; s < N1C_RT_NSYM; s++) {
        uint32_t phi = n1_phi(e[s] * 2048 / sigma);
        cum[s] = (uint16_t)((((uint64_t)(phi - phi0) * A) >> 30) + (uint64_t)s);
    }
    cum[N1C_RT_NSYM] = (uint16_t)RT_M;
}

size_t n1c_rt_tables_size(void)
{
    return sizeof(n1c_rt_tables);
}

static void build_code_maps(n1c_rt_tables *t)
{
    for (int32_t u = 0; u < 65536; u++) {
        int32_t c = t->map.kind == N1_ADC_IDENTITY ? -1 : n1_adc_to_code(&t->map, u - 32768);
        t->code_of[u] = c < 0 ? (uint16_t)RT_NO_CODE : (uint16_t)c;
    }
    memset(t->value_of, 0, sizeof t->value_of);
    for (int32_t c = 0; c < t->map.ncodes; c++) t->value_of[c] = (int16_t)n1_adc_value(&t->map, c);
}

/* Decoder's first guess per slot bucket: the last symbol starting at or
 * before the bucket's first slot. */
static void build_guess(const uint16_t *cum, uint8_t *guess)
{
    int s = 0;
    for (int j = 0; j < (1 << RT_GUESS_BITS); j++) {
        uint32_t slot = (uint32_t)j << (N1C_RT_PROB_BITS - RT_GUESS_BITS);
        while (cum[s + 1] <= slot) s++;
        guess[j] = (uint8_t)s;
    }
}

static void build_class_lut(n1c_rt_tables *t)
{
    for (uint32_t q = 0; q < RT_CLASS_LUT; q++) {
        int cls = rt_class(q), k = 0;
        if (cls > N1C_RT_CLASSES - 1) {
            k = (cls - (N1C_RT_CLASSES - 1) + 3) >> 2;
            cls -= 4 * k;
        }
        t->class_k[q] = (uint8_t)(cls | k << 5);
    }
    for (int p = 0; p < RT_PHASES; p++)
        t->set_of_phase[p] = (uint8_t)(t->phases ? RT_SET_PHASE0 + p : RT_SET_CENTRED);
}

int n1c_rt_tables_init(n1c_rt_tables *t, int adc_kind, int adc_bits)
{
    if (!t) return N1_ERR_INVALID_ARG;
    if (adc_kind == N1_ADC_IDENTITY) adc_bits = 16;
    else if ((adc_kind != N1_ADC_STRETCH && adc_kind != N1_ADC_SHIFT) || adc_bits < 1 ||
             adc_bits > 15)
        return N1_ERR_INVALID_ARG;
    n1_adc_set(&t->map, adc_kind, adc_bits);
    t->phases = adc_kind == N1_ADC_STRETCH && adc_bits == 10;
    int sets = t->phases ? RT_SETS : RT_SET_PHASE0;
    memset(t->cum, 0, sizeof t->cum);
    memset(t->guess, 0, sizeof t->guess);
    for (int set = 0; set < sets; set++)
        for (int cls = 0; cls < N1C_RT_CLASSES; cls++) {
            build_cum(set, cls, t->cum[set][cls]);
            build_guess(t->cum[set][cls], t->guess[set][cls]);
        }
    build_class_lut(t);
    build_code_maps(t);
    return N1_OK;
}
