/* fuzz_fixed.c -- the fixed polynomial predictor's decoder (predict/fixed.h) on any side
 * info and residuals (the encoder picks its own orders, so there is no round trip here:
 * fuzz_roundtrip_predict covers that).
 * Input: block - 1 (u32 LE, reduced to 0..2^20 - 1), side length (u32 LE, reduced to at
 * most what follows), the side info, then the residuals as 16-bit LE words. */
#include "fuzz.h"
#include "predict/fixed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t block = fuzz_take_u32(&in) % (1u << 20) + 1u;
    size_t side_len = fuzz_take_u32(&in);
    if (side_len > in.n) side_len = in.n;
    uint8_t *side = (uint8_t *)malloc(side_len + 1);
    if (side && side_len) memcpy(side, in.p, side_len);
    in.p += side_len;
    in.n -= side_len;
    size_t n = 0;
    uint16_t *res = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
    uint16_t *out = (uint16_t *)malloc(2 * n + 2);
    if (side && res && out)
        fuzz_check_decode_status(n1c_fixed_decode(side, side_len, res, out, n, block), "fixed decode");
    free(out);
    free(res);
    free(side);
    return 0;
}
