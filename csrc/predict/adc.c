/* adc.c -- sample <-> ADC code mapping with a compact value table (see adc.h). */
#include "adc.h"

#include <stdlib.h>
#include <string.h>
#include "common/bitio.h"
#include "common/status.h"
#include "entropy/golomb.h"

/* Offset binary: sorting keys as unsigned sorts the samples as int16. */
static inline unsigned key_of(uint16_t w) { return (unsigned)(w ^ 0x8000u); }

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

int n1_adc_encode(const uint16_t *in, size_t n, uint16_t *codes, uint8_t *side,
                  size_t side_cap, size_t *side_len)
{
    if ((n && (!in || !codes)) || !side || !side_len) return N1_ERR_INVALID_ARG;
    if (n == 0) return write_identity(in, n, codes, side, side_cap, side_len);

    /* index[key] is 0 for absent values, else 1 + the value's code. */
    uint16_t *index = (uint16_t *)calloc(65536u, sizeof(uint16_t));
    if (!index) return N1_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) index[key_of(in[i])] = 1;

    uint16_t table[N1_ADC_MAX_VALUES];
    unsigned K = 0;
    for (unsigned key = 0; key < 65536u; key++) {
        if (!index[key]) continue;
        if (K == N1_ADC_MAX_VALUES) {
            free(index);
            return write_identity(in, n, codes, side, side_cap, side_len);
        }
        table[K] = (uint16_t)key;
        index[key] = (uint16_t)(K + 1u);
        K++;
    }

    unsigned gmin = 0xFFFFu;
    for (unsigned j = 1; j < K; j++) {
        unsigned d = (unsigned)table[j] - table[j - 1];
        if (d < gmin) gmin = d;
    }

    /* The table into a scratch buffer of the largest size it can take. */
    uint8_t tmp[N1_ADC_SIDE_MAX];
    n1_bitwriter w;
    n1_bw_init(&w, tmp, sizeof tmp);
    n1_bw_put(&w, 1, 8);
    n1_bw_put(&w, K - 1u, 12);
    n1_bw_put(&w, table[0], 16);
    if (K > 1) {
        n1_bw_put(&w, gmin, 16);
        n1_rice_state rs;
        n1_rice_init(&rs, 1);
        for (unsigned j = 1; j < K; j++) {
            unsigned d = (unsigned)table[j] - table[j - 1];
            unsigned q = d / gmin;
            unsigned rem = d - q * gmin;
            n1_gamma_put(&w, q);
            n1_rice_put(&w, rem, n1_rice_k(&rs));
            n1_rice_update(&rs, rem);
        }
    }
    size_t tlen = 0;
    int st = n1_bw_finish(&w, &tlen);
    if (st != N1_OK) {
        free(index);
        return st;
    }

    /* Pays off when the samples shrink by more bits than the table costs. */
    unsigned span = (K > 1) ? ((unsigned)table[K - 1] - table[0]) / (K - 1u) : 65536u;
    unsigned saved_per_sample = 0;
    while ((2u << saved_per_sample) <= span && saved_per_sample < 16u) saved_per_sample++;
    uint64_t saved = (uint64_t)n * saved_per_sample;
    if (saved <= (uint64_t)tlen * 8u) {
        free(index);
        return write_identity(in, n, codes, side, side_cap, side_len);
    }
    if (tlen > side_cap) {
        free(index);
        return N1_ERR_OUTPUT_FULL;
    }
    memcpy(side, tmp, tlen);
    *side_len = tlen;
    for (size_t i = 0; i < n; i++) codes[i] = (uint16_t)(index[key_of(in[i])] - 1u);
    free(index);
    return N1_OK;
}

int n1_adc_decode(const uint8_t *side, size_t side_len, size_t *side_used,
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
    uint16_t table[N1_ADC_MAX_VALUES];
    uint64_t key = n1_br_get(&r, 16);
    table[0] = (uint16_t)(key ^ 0x8000u);
    if (K > 1) {
        uint32_t gmin = n1_br_get(&r, 16);
        if (gmin == 0) return N1_ERR_CORRUPT;
        n1_rice_state rs;
        n1_rice_init(&rs, 1);
        for (unsigned j = 1; j < K; j++) {
            uint32_t q = n1_gamma_get(&r, 17);
            uint32_t rem = n1_rice_get(&r, n1_rice_k(&rs));
            n1_rice_update(&rs, rem);
            if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
            if (q == 0) return N1_ERR_CORRUPT;
            key += (uint64_t)q * gmin + rem;
            if (key > 0xFFFFu) return N1_ERR_CORRUPT;
            table[j] = (uint16_t)(key ^ 0x8000u);
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
