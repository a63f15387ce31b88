/* fuzz_lpc.c -- the LPC decoder (predict/lpc.h): any side info and residuals; the side
 * bytes it reports used never exceed what it was given.
 * Input: block - 1 (u32 LE, reduced to 0..2^20 - 1), side length (u32 LE, reduced to at
 * most what follows), the side info, then the residuals as 16-bit LE words. */
#include "fuzz.h"
#include "predict/lpc.h"

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
    size_t n = 0, used = 0;
    uint16_t *res = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
    uint16_t *out = (uint16_t *)malloc(2 * n + 2);
    if (side && res && out) {
        int st = n1c_lpc_decode(side, side_len, &used, res, out, n, block);
        fuzz_check_decode_status(st, "lpc decode");
        if (st == N1_OK) FUZZ_CHECK(used <= side_len);
    }
    free(out);
    free(res);
    free(side);
    return 0;
}
