/* fuzz_roundtrip_predict.c -- differential target of the predict family: the input's
 * words are samples for one stage (delta, fixed, lpc, lms, adc) with fuzzer-chosen
 * parameters; encoding then decoding (side info through its exact-size buffer) must
 * give the samples back, and a decoder must use exactly the side bytes written.
 * Input: stage (1 byte, mod 5), three parameter bytes a, b, c, then the samples as
 * 16-bit LE words. */
#include "fuzz.h"
#include "predict/adc.h"
#include "predict/delta.h"
#include "predict/fixed.h"
#include "predict/lms.h"
#include "predict/lpc.h"

#define LPC_MAX_COUNT (1u << 14) /* the order search is O(n * 32^2) floating point */

static uint8_t *exact_copy(const uint8_t *p, size_t len)
{
    uint8_t *q = (uint8_t *)malloc(len ? len : 1);
    if (q && len) memcpy(q, p, len);
    return q;
}

/* Encodes x into res (+ side), decodes into y; returns the encoder's status. */
static int round_trip(unsigned stage, const unsigned *par, const uint16_t *x, size_t n,
                      uint16_t *res, uint16_t *y)
{
    size_t side_len = 0, used = 0, block = 0;
    uint8_t *side = NULL, *exact = NULL;
    int st = N1_OK;
    switch (stage) {
    case 0: { /* delta */
        int order = (int)(par[0] % 4u);
        FUZZ_CHECK(n1c_delta_encode(x, res, n, order) == N1_OK);
        FUZZ_CHECK(n1c_delta_decode(res, y, n, order) == N1_OK);
        return N1_OK;
    }
    case 1: { /* fixed */
        block = 1 + par[0] * 256u + par[1];
        size_t cap = n1c_fixed_side_size(n, block);
        side = (uint8_t *)malloc(cap + 1);
        if (!side) return N1_ERR_NOMEM;
        st = n1c_fixed_encode(x, res, n, block, side, cap, &side_len);
        fuzz_check_encode_status(st, "fixed encode");
        exact = exact_copy(side, side_len);
        if (st == N1_OK && exact)
            FUZZ_CHECK(n1c_fixed_decode(exact, side_len, res, y, n, block) == N1_OK);
        break;
    }
    case 2: { /* lpc */
        block = 1 + par[0] * 64u;
        int max_order = (int)(par[1] % (N1C_LPC_MAX_ORDER + 1u));
        int precision = 2 + (int)(par[2] % 14u);
        size_t cap = n1c_lpc_side_bound(n, block);
        side = (uint8_t *)malloc(cap + 1);
        if (!side) return N1_ERR_NOMEM;
        st = n1c_lpc_encode(x, res, n, block, max_order, precision, side, cap, &side_len);
        fuzz_check_encode_status(st, "lpc encode");
        exact = exact_copy(side, side_len);
        if (st == N1_OK && exact) {
            FUZZ_CHECK(n1c_lpc_decode(exact, side_len, &used, res, y, n, block) == N1_OK);
            FUZZ_CHECK(used == side_len);
        }
        break;
    }
    case 3: { /* lms */
        int variant = (int)(par[0] % 3u), order = 1 + (int)(par[1] % N1C_LMS_MAX_ORDER);
        int mu_shift = 1 + (int)(par[2] % 16u);
        FUZZ_CHECK(n1c_lms_encode(x, res, n, variant, order, mu_shift) == N1_OK);
        FUZZ_CHECK(n1c_lms_decode(res, y, n, variant, order, mu_shift) == N1_OK);
        return N1_OK;
    }
    default: { /* adc */
        side = (uint8_t *)malloc(N1C_ADC_SIDE_MAX);
        if (!side) return N1_ERR_NOMEM;
        st = n1c_adc_encode(x, n, res, side, N1C_ADC_SIDE_MAX, &side_len);
        fuzz_check_encode_status(st, "adc encode");
        exact = exact_copy(side, side_len);
        if (st == N1_OK && exact) {
            FUZZ_CHECK(n1c_adc_decode(exact, side_len, &used, res, y, n) == N1_OK);
            FUZZ_CHECK(used == side_len);
        }
        break;
    }
    }
    free(exact);
    free(side);
    return exact || st != N1_OK ? st : N1_ERR_NOMEM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const NAMES[5] = {"delta", "fixed", "lpc", "lms", "adc"};
    fuzz_input in = {data, size};
    unsigned stage = fuzz_take_u8(&in) % 5u;
    unsigned par[3];
    for (int i = 0; i < 3; i++) par[i] = fuzz_take_u8(&in);
    size_t n = 0;
    uint16_t *x = fuzz_take_words(&in, stage == 2 || stage == 3 ? LPC_MAX_COUNT : FUZZ_MAX_COUNT, &n);
    uint16_t *res = (uint16_t *)malloc(2 * n + 2), *y = (uint16_t *)malloc(2 * n + 2);
    if (x && res && y && round_trip(stage, par, x, n, res, y) == N1_OK)
        fuzz_check_equal(y, x, 2 * n, NAMES[stage]);
    free(y);
    free(res);
    free(x);
    return 0;
}
