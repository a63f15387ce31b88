/* delta.c -- order-k differences modulo 2^16 and their inverse (see delta.h). */
#include "delta.h"
#include "common/status.h"

int n1c_delta_encode(const uint16_t *in, uint16_t *out, size_t n, int order)
{
    if (order < 0 || order > N1C_DELTA_MAX_ORDER) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    if (out != in)
        for (size_t i = 0; i < n; i++) out[i] = in[i];
    /* k passes of first differences; walking backwards keeps each pass in place. */
    for (int pass = 0; pass < order; pass++) {
        for (size_t i = n - 1; i > 0; i--) out[i] = (uint16_t)(out[i] - out[i - 1]);
    }
    return N1_OK;
}

int n1c_delta_decode(const uint16_t *in, uint16_t *out, size_t n, int order)
{
    if (order < 0 || order > N1C_DELTA_MAX_ORDER) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    if (out != in)
        for (size_t i = 0; i < n; i++) out[i] = in[i];
    for (int pass = 0; pass < order; pass++) {
        uint16_t running = 0;
        for (size_t i = 0; i < n; i++) {
            running = (uint16_t)(running + out[i]);
            out[i] = running;
        }
    }
    return N1_OK;
}
