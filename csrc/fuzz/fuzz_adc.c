/* fuzz_adc.c -- the adc stage's decoder (predict/adc.h): any side info and codes; the
 * side bytes it reports used never exceed what it was given.
 * Input: side length (u32 LE, reduced to at most what follows), the side info, then the
 * codes as 16-bit LE words. */
#include "fuzz.h"
#include "predict/adc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t side_len = fuzz_take_u32(&in);
    if (side_len > in.n) side_len = in.n;
    uint8_t *side = (uint8_t *)malloc(side_len + 1);
    if (side && side_len) memcpy(side, in.p, side_len);
    in.p += side_len;
    in.n -= side_len;
    size_t n = 0, used = 0;
    uint16_t *codes = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
    uint16_t *out = (uint16_t *)malloc(2 * n + 2);
    if (side && codes && out) {
        int st = n1c_adc_decode(side, side_len, &used, codes, out, n);
        fuzz_check_decode_status(st, "adc decode");
        if (st == N1_OK) FUZZ_CHECK(used <= side_len);
    }
    free(out);
    free(codes);
    free(side);
    return 0;
}
