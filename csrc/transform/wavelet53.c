/* wavelet53.c -- integer 5/3 lifting wavelet, modulo 2^16 (see wavelet53.h). */
#include "wavelet53.h"
#include "common/status.h"

static int32_t s16(uint16_t v)
{
    return v < 0x8000u ? (int32_t)v : (int32_t)v - 65536;
}

/* floor(v / 2^shift) without relying on the sign behaviour of >> (|v| < 2^20). */
static int32_t floor_shift(int32_t v, unsigned shift)
{
    return (int32_t)(((uint32_t)(v + (1 << 20))) >> shift) - (1 << (20 - shift));
}

static uint16_t wrap(int32_t v)
{
    return (uint16_t)((uint32_t)v & 0xffffu);
}

/* One forward level on x[0..len) (len >= 2): tmp receives [s | d], copied back. */
static void forward_level(uint16_t *x, size_t len, uint16_t *tmp)
{
    size_t ns = (len + 1) / 2, nd = len / 2;
    uint16_t *s = tmp, *d = tmp + ns;
    for (size_t i = 0; i < nd; i++) {
        int32_t left = s16(x[2 * i]);
        int32_t right = (2 * i + 2 < len) ? s16(x[2 * i + 2]) : left;
        d[i] = wrap(s16(x[2 * i + 1]) - floor_shift(left + right, 1));
    }
    for (size_t i = 0; i < ns; i++) {
        int32_t dl = s16(d[i > 0 ? i - 1 : 0]);
        int32_t dr = s16(d[i < nd ? i : nd - 1]);
        s[i] = wrap(s16(x[2 * i]) + floor_shift(dl + dr + 2, 2));
    }
    for (size_t i = 0; i < len; i++) x[i] = tmp[i];
}

static void inverse_level(uint16_t *x, size_t len, uint16_t *tmp)
{
    size_t ns = (len + 1) / 2, nd = len / 2;
    const uint16_t *s = x, *d = x + ns;
    for (size_t i = 0; i < ns; i++) {
        int32_t dl = s16(d[i > 0 ? i - 1 : 0]);
        int32_t dr = s16(d[i < nd ? i : nd - 1]);
        tmp[2 * i] = wrap(s16(s[i]) - floor_shift(dl + dr + 2, 2));
    }
    for (size_t i = 0; i < nd; i++) {
        int32_t left = s16(tmp[2 * i]);
        int32_t right = (2 * i + 2 < len) ? s16(tmp[2 * i + 2]) : left;
        tmp[2 * i + 1] = wrap(s16(d[i]) + floor_shift(left + right, 1));
    }
    for (size_t i = 0; i < len; i++) x[i] = tmp[i];
}

int n1c_wavelet53_forward(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp)
{
    if (levels > N1C_WAVELET53_MAX_LEVELS || (n && (!data || !tmp))) return N1_ERR_INVALID_ARG;
    size_t len = n;
    for (unsigned l = 0; l < levels && len >= 2; l++) {
        forward_level(data, len, tmp);
        len = (len + 1) / 2;
    }
    return N1_OK;
}

int n1c_wavelet53_inverse(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp)
{
    if (levels > N1C_WAVELET53_MAX_LEVELS || (n && (!data || !tmp))) return N1_ERR_INVALID_ARG;
    size_t lens[N1C_WAVELET53_MAX_LEVELS];
    unsigned used = 0;
    size_t len = n;
    while (used < levels && len >= 2) {
        lens[used++] = len;
        len = (len + 1) / 2;
    }
    while (used-- > 0) inverse_level(data, lens[used], tmp);
    return N1_OK;
}
