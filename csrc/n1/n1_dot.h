/*
 * n1_dot.h -- int16 dot products of the n1 predictors.
 *
 * n1_dot_i16(a, b, n): sum of a[i] * b[i] for i < n, n a multiple of 8 (8, 16 or 32
 * here), as int32. Contract: the caller's bounds keep n times the largest
 * |a[i] * b[i]| below 2^31 (n1_lpc.h states its own), so every partial sum fits and
 * the result is the exact integer sum whatever the order of the additions: the SSE2
 * path (pmaddwd), the NEON path (smlal) and the portable loop give the same value.
 * n1_dot_i16_wide(a, b, n): the same sum as int64, n a multiple of 16, for sums
 * beyond int32 (n1_lms.h's 256 taps): the caller's bounds need only keep 16 times
 * the largest |a[i] * b[i]| below 2^31 (any 16 products then sum inside int32);
 * partial sums are added in int64.
 * n1_dot4_i16(a, b, out): out[k] = n1_dot_i16(a, b - k, 16) for k = 0..3 (four lags
 * of a block of 16 against the values before it; reads b[-3 .. 15]), under the
 * same contract; the SSE2 path sums the four at once (one reduction, not four).
 * Why not leave it to the compiler: gcc vectorises such loops only for some trip
 * counts (n = 16 stayed 16 scalar multiplies in the n1 decoder's predictor).
 */
#ifndef N1_DOT_H
#define N1_DOT_H

#include <stdint.h>

/* The baseline vector units of 64-bit x86 (SSE2) and 64-bit Arm (NEON); the plain loops
 * elsewhere, or with N1_PORTABLE (the tests build the core both ways and compare the
 * bytes it writes). */
#if ((defined(__x86_64__) && defined(__SSE2__)) || defined(_M_X64)) && !defined(N1_PORTABLE)
#include <emmintrin.h>

static inline int32_t n1_dot_i16(const int16_t *a, const int16_t *b, int n)
{
    __m128i acc = _mm_setzero_si128();
    for (int i = 0; i < n; i += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(x, y));
    }
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4E)); /* swap 64-bit halves */
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xB1)); /* swap 32-bit pairs */
    return _mm_cvtsi128_si32(acc);
}

static inline int64_t n1_dot_i16_wide(const int16_t *a, const int16_t *b, int n)
{
    __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
    for (int i = 0; i < n; i += 16) {
        __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        __m128i y0 = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(a + i + 8));
        __m128i y1 = _mm_loadu_si128((const __m128i *)(const void *)(b + i + 8));
        __m128i s = _mm_add_epi32(_mm_madd_epi16(x0, y0), _mm_madd_epi16(x1, y1));
        __m128i sign = _mm_srai_epi32(s, 31); /* sign-extend the four int32 to int64 */
        lo = _mm_add_epi64(lo, _mm_unpacklo_epi32(s, sign));
        hi = _mm_add_epi64(hi, _mm_unpackhi_epi32(s, sign));
    }
    lo = _mm_add_epi64(lo, hi);
    lo = _mm_add_epi64(lo, _mm_unpackhi_epi64(lo, lo));
    return (int64_t)_mm_cvtsi128_si64(lo);
}

static inline void n1_dot4_i16(const int16_t *a, const int16_t *b, int32_t out[4])
{
    __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)a);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(a + 8));
    __m128i s[4];
    for (int k = 0; k < 4; k++) {
        __m128i y0 = _mm_loadu_si128((const __m128i *)(const void *)(b - k));
        __m128i y1 = _mm_loadu_si128((const __m128i *)(const void *)(b - k + 8));
        s[k] = _mm_add_epi32(_mm_madd_epi16(x0, y0), _mm_madd_epi16(x1, y1));
    }
    /* transpose-and-add: lane k of the result is the sum of s[k]'s four lanes */
    __m128i t01 = _mm_add_epi32(_mm_unpacklo_epi32(s[0], s[1]), _mm_unpackhi_epi32(s[0], s[1]));
    __m128i t23 = _mm_add_epi32(_mm_unpacklo_epi32(s[2], s[3]), _mm_unpackhi_epi32(s[2], s[3]));
    __m128i r = _mm_add_epi32(_mm_unpacklo_epi64(t01, t23), _mm_unpackhi_epi64(t01, t23));
    _mm_storeu_si128((__m128i *)(void *)out, r);
}

#elif (defined(__aarch64__) || defined(_M_ARM64)) && !defined(N1_PORTABLE)
#include <arm_neon.h>

static inline int32_t n1_dot_i16(const int16_t *a, const int16_t *b, int n)
{
    int32x4_t acc = vdupq_n_s32(0);
    for (int i = 0; i < n; i += 8) {
        int16x8_t x = vld1q_s16(a + i), y = vld1q_s16(b + i);
        acc = vmlal_s16(acc, vget_low_s16(x), vget_low_s16(y));
        acc = vmlal_s16(acc, vget_high_s16(x), vget_high_s16(y));
    }
    return vaddvq_s32(acc);
}

static inline int64_t n1_dot_i16_wide(const int16_t *a, const int16_t *b, int n)
{
    int64x2_t acc = vdupq_n_s64(0);
    for (int i = 0; i < n; i += 16) {
        int16x8_t x0 = vld1q_s16(a + i), y0 = vld1q_s16(b + i);
        int16x8_t x1 = vld1q_s16(a + i + 8), y1 = vld1q_s16(b + i + 8);
        int32x4_t s = vmull_s16(vget_low_s16(x0), vget_low_s16(y0));
        s = vmlal_s16(s, vget_high_s16(x0), vget_high_s16(y0));
        s = vmlal_s16(s, vget_low_s16(x1), vget_low_s16(y1));
        s = vmlal_s16(s, vget_high_s16(x1), vget_high_s16(y1));
        acc = vpadalq_s32(acc, s); /* the four int32 added pairwise into int64 */
    }
    return vaddvq_s64(acc);
}

#else

static inline int32_t n1_dot_i16(const int16_t *a, const int16_t *b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

static inline int64_t n1_dot_i16_wide(const int16_t *a, const int16_t *b, int n)
{
    int64_t acc = 0;
    for (int i = 0; i < n; i += 16) acc += n1_dot_i16(a + i, b + i, 16);
    return acc;
}

#endif

#if !(((defined(__x86_64__) && defined(__SSE2__)) || defined(_M_X64)) && !defined(N1_PORTABLE))
static inline void n1_dot4_i16(const int16_t *a, const int16_t *b, int32_t out[4])
{
    for (int k = 0; k < 4; k++) out[k] = n1_dot_i16(a, b - k, 16);
}
#endif

#endif
