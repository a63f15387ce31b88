/* fuzz_wavelet.c -- the inverse 5/3 wavelet (transform/wavelet53.h) on any coefficients;
 * the forward transform must give them back (both are bijections modulo 2^16).
 * Input: levels (1 byte, reduced to 0..N1C_WAVELET53_MAX_LEVELS), then the coefficients
 * as 16-bit LE words. */
#include "fuzz.h"
#include "transform/wavelet53.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    unsigned levels = fuzz_take_u8(&in) % (N1C_WAVELET53_MAX_LEVELS + 1u);
    size_t n = 0;
    uint16_t *coef = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
    uint16_t *x = (uint16_t *)malloc(2 * n + 2), *tmp = (uint16_t *)malloc(2 * n + 2);
    if (coef && x && tmp) {
        if (n) memcpy(x, coef, 2 * n);
        FUZZ_CHECK(n1c_wavelet53_inverse(x, n, levels, tmp) == N1_OK);
        FUZZ_CHECK(n1c_wavelet53_forward(x, n, levels, tmp) == N1_OK);
        fuzz_check_equal(x, coef, 2 * n, "wavelet inverse then forward");
    }
    free(tmp);
    free(x);
    free(coef);
    return 0;
}
