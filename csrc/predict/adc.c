/* adc.c -- sample <-> ADC code mapping with a compact value table (see adc.h). */
#include "adc.h"

#include <stdlib.h>
#include <string.h>
#include "common/bitio.h"
#include "common/status.h"
#include "entropy/golomb.h"

/* Offset binary: sorting keys as unsigned sorts the samples as int16. */
static inline unsigned key_of(uint16_t w) { return (unsigned)(w ^ 0x8000u); }

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* The most frequent gap between consecutive table entries (smallest on ties); 1 if K < 2. */
static unsigned commonest_gap(const uint16_t *table, unsigned K)
{
    uint16_t gaps[N1C_ADC_MAX_VALUES];
    if (K < 2) return 1;
    for (unsigned j = 1; j < K; j++) gaps[j - 1] = (uint16_t)(table[j] - table[j - 1]);
    qsort(gaps, K - 1u, sizeof gaps[0], cmp_u16);
    unsigned best = gaps[0], best_count = 0;
    for (unsigned j = 0; j < K - 1u;) {
        unsigned e = j;
        while (e < K - 1u && gaps[e] == gaps[j]) e++;
        if (e - j > best_count) {
            best_count = e - j;
            best = gaps[j];
        }
        j = e;
    }
    return best;
}

static int write_identity(const uint16_t *in, size_t n, uint16_t *codes, uint8_t *side,
                          size_t side_cap, size_t *side_len)
{
    if (side_cap < 1) return N1_ERR_OUTPUT_FULL;
    side[0] = 0;
    *side_len = 1;
    if (codes != in)
        for (size_t i = 0; i < n; i++) codes[i] = in[i];
    return N1_OK;
}

int n1c_adc_encode(const uint16_t *in, size_t n, uint16_t *codes, uint8_t *side,
                   size_t side_cap, size_t *side_len)
{
    if ((n && (!in || !codes)) || !side || !side_len) return N1_ERR_INVALID_ARG;
    if (n == 0) return write_identity(in, n, codes, side, side_cap, side_len);

    /* index[key] is 0 for absent values, else 1 + the value's code. */
    uint16_t *index = (uint16_t *)calloc(65536u, sizeof(uint16_t));
    if (!index) return N1_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) index[key_of(in[i])] = 1;

    uint16_t table[N1C_ADC_MAX_VALUES];
    unsigned K = 0;
    for (unsigned key = 0; key < 65536u; key++) {
        if (!index[key]) continue;
        if (K == N1C_ADC_MAX_VALUES) {
            free(index);
            return write_identity(in, n, codes, side, side_cap, side_len);
        }
        table[K] = (uint16_t)key;
        index[key] = (uint16_t)(K + 1u);
        K++;
    }

    /* The commonest gap g0 (smallest on ties): gaps equal to it are "normal". */
    unsigned g0 = commonest_gap(table, K);

    /* The table into a scratch buffer of the largest size it can take. */
    uint8_t *tmp = (uint8_t *)malloc(N1C_ADC_SIDE_MAX);
    if (!tmp) {
        free(index);
        return N1_ERR_NOMEM;
    }
    n1_bitwriter w;
    n1_bw_init(&w, tmp, N1C_ADC_SIDE_MAX);
    n1_bw_put(&w, 1, 8);
    n1_bw_put(&w, K - 1u, 12);
    n1_bw_put(&w, table[0], 16);
    if (K > 1) {
        n1_bw_put(&w, g0, 16);
        n1c_rice_state run_rs, rem_rs;
        n1c_rice_init(&run_rs, 8);
        n1c_rice_init(&rem_rs, 1);
        unsigned run = 0;
        for (unsigned j = 1; j < K; j++) {
            unsigned d = (unsigned)table[j] - table[j - 1];
            if (d == g0) {
                run++;
                continue;
            }
            n1c_rice_put(&w, run, n1c_rice_k(&run_rs));
            n1c_rice_update(&run_rs, run);
            run = 0;
            unsigned q = d / g0, rem = d - q * g0;
            n1_gamma_put(&w, q + 1u);
            n1c_rice_put(&w, rem, n1c_rice_k(&rem_rs));
            n1c_rice_update(&rem_rs, rem);
        }
        n1c_rice_put(&w, run, n1c_rice_k(&run_rs));
    }
    size_t tlen = 0;
    int st = n1_bw_finish(&w, &tlen);
    if (st != N1_OK) {
        free(tmp);
        free(index);
        return st;
    }

    /* Pays off when the samples shrink by more bits than the table costs. */
    unsigned span = (K > 1) ? ((unsigned)table[K - 1] - table[0]) / (K - 1u) : 65536u;
    unsigned saved_per_sample = 0;
    while ((2u << saved_per_sample) <= span && saved_per_sample < 16u) saved_per_sample++;
    uint64_t saved = (uint64_t)n * saved_per_sample;
    if (saved <= (uint64_t)tlen * 8u) {
        free(tmp);
        free(index);
        return write_identity(in, n, codes, side, side_cap, side_len);
    }
    if (tlen > side_cap) {
        free(tmp);
        free(index);
        return N1_ERR_OUTPUT_FULL;
    }
    memcpy(side, tmp, tlen);
    free(tmp);
    *side_len = tlen;
    for (size_t i = 0; i < n; i++) codes[i] = (uint16_t)(index[key_of(in[i])] - 1u);
    free(index);
    return N1_OK;
}

int n1c_adc_decode(const uint8_t *side, size_t side_len, size_t *side_used,
                   const uint16_t *codes, uint16_t *out, size_t n)
{
    if ((n && (!codes || !out)) || !side_used || (side_len && !side)) return N1_ERR_INVALID_ARG;
    if (side_len < 1) return N1_ERR_TRUNCATED;
    if (side[0] == 0) {
        *side_used = 1;
        if (out != codes)
            for (size_t i = 0; i < n; i++) out[i] = codes[i];
        return N1_OK;
    }
    if (side[0] != 1) return N1_ERR_CORRUPT;

    n1_bitreader r;
    n1_br_init(&r, side + 1, side_len - 1);
    unsigned K = n1_br_get(&r, 12) + 1u;
    uint16_t table[N1C_ADC_MAX_VALUES];
    uint64_t key = n1_br_get(&r, 16);
    table[0] = (uint16_t)(key ^ 0x8000u);
    if (K > 1) {
        uint32_t g0 = n1_br_get(&r, 16);
        if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
        if (g0 == 0) return N1_ERR_CORRUPT;
        n1c_rice_state run_rs, rem_rs;
        n1c_rice_init(&run_rs, 8);
        n1c_rice_init(&rem_rs, 1);
        unsigned j = 1;
        for (;;) {
            uint32_t run = n1c_rice_get(&r, n1c_rice_k(&run_rs));
            n1c_rice_update(&run_rs, run);
            if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
            if (run > K - j) return N1_ERR_CORRUPT;
            for (uint32_t t = 0; t < run; t++, j++) {
                key += g0;
                if (key > 0xFFFFu) return N1_ERR_CORRUPT;
                table[j] = (uint16_t)(key ^ 0x8000u);
            }
            if (j == K) break;
            uint32_t q1 = n1_gamma_get(&r, 17);
            uint32_t rem = n1c_rice_get(&r, n1c_rice_k(&rem_rs));
            n1c_rice_update(&rem_rs, rem);
            if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
            if (q1 == 0) return N1_ERR_CORRUPT;
            key += (uint64_t)(q1 - 1u) * g0 + rem;
            if (key > 0xFFFFu || (q1 - 1u == 1u && rem == 0)) return N1_ERR_CORRUPT;
            table[j++] = (uint16_t)(key ^ 0x8000u);
        }
    }
    if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
    *side_used = 1u + (size_t)((n1_br_consumed(&r) + 7u) / 8u);

    for (size_t i = 0; i < n; i++) {
        if (codes[i] >= K) return N1_ERR_CORRUPT;
        out[i] = table[codes[i]];
    }
    return N1_OK;
}
