/* fuzz_lms.c -- the LMS decoder (predict/lms.h) on any residuals and parameters: every
 * residual stream decodes, and encoding the output gives the residuals back.
 * Input: variant (1 byte, mod 3), order - 1 (1 byte, mod N1C_LMS_MAX_ORDER), mu_shift - 1
 * (1 byte, mod 16), then the residuals as 16-bit LE words. */
#include "fuzz.h"
#include "predict/lms.h"

#define LMS_MAX_COUNT (1u << 14) /* O(n * order) work: keep one run short */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    int variant = (int)(fuzz_take_u8(&in) % 3u);
    int order = (int)(fuzz_take_u8(&in) % N1C_LMS_MAX_ORDER) + 1;
    int mu_shift = (int)(fuzz_take_u8(&in) % 16u) + 1;
    size_t n = 0;
    uint16_t *res = fuzz_take_words(&in, LMS_MAX_COUNT, &n);
    uint16_t *out = (uint16_t *)malloc(2 * n + 2), *back = (uint16_t *)malloc(2 * n + 2);
    if (res && out && back) {
        FUZZ_CHECK(n1c_lms_decode(res, out, n, variant, order, mu_shift) == N1_OK);
        FUZZ_CHECK(n1c_lms_encode(out, back, n, variant, order, mu_shift) == N1_OK);
        fuzz_check_equal(back, res, 2 * n, "lms decode then encode");
    }
    free(back);
    free(out);
    free(res);
    return 0;
}
