/*
 * rt_model.h -- internals of the real-time mode (rt.h): the shared tables, the
 * per-channel model and the structures of the encoder and decoder. Private to
 * csrc/realtime/ (C users include rt.h only).
 *
 * The model functions are inline and used by both sides, so encoder and
 * decoder run the same integer arithmetic:
 *   rt_context(t, ch, taps, &cx)  -> prediction base, shift k, table
 *   rt_update(ch, taps, code, cx) -> state after the sample's code is known
 */
#ifndef N1_REALTIME_RT_MODEL_H
#define N1_REALTIME_RT_MODEL_H

#include <stdint.h>
#include <string.h>
#include "rt.h"

/* SSE2 (every x86-64) for the 16-tap predictor; the C fallback computes the
 * same integers. Define N1RT_NO_SIMD to force the fallback. */
#if defined(__SSE2__) && !defined(N1RT_NO_SIMD)
#include <emmintrin.h>
#define RT_SSE2 1
#else
#define RT_SSE2 0
#endif

#define RT_M (1u << N1RT_PROB_BITS)
#define RT_L (1u << 16)               /* rANS state lower bound */
#define RT_R 63                       /* symbol of residual 0 */
#define RT_ESC (N1RT_NSYM - 1)
#define RT_PHASES 32                  /* N1's step widths repeat every 32 codes */
#define RT_SET_CENTRED 0              /* even bins, prediction at a bin centre */
#define RT_SET_SHIFTED 1              /* even bins, prediction on a bin edge (k > 0) */
#define RT_SET_PHASE0 2               /* + phase: the N1 ADC's uneven bins */
#define RT_SETS (RT_SET_PHASE0 + RT_PHASES)
#define RT_MAG_SHIFT 6                /* mean |residual| window: 2^6 samples */
/* Mean |residual| a channel starts from after a resync: 4.5 codes (72 in Q4),
 * the median over the even-indexed dev files of N1's first-difference residual. */
#define RT_MAG_INIT (72u << RT_MAG_SHIFT)
#define RT_HIST_MAX 4095              /* LMS history clamp: keeps the dot product in int32 */
#define RT_W_MAX 16383                /* LMS weight clamp, Q12 */
#define RT_MU 2                       /* sign-sign LMS step, Q12 */
#define RT_NO_CODE 0xFFFFu
#define RT_CLASS_LUT 1024             /* mean |residual| (Q4) below this: class by lookup */
#define RT_GUESS_BITS 6               /* decoder: first symbol guess per 2^6 slot buckets */

struct n1rt_tables {
    n1_adc_map map;
    int phases;                                      /* N1's 10-bit grid: phase tables */
    uint16_t cum[RT_SETS][N1RT_CLASSES][N1RT_NSYM + 1]; /* cum[..][NSYM] = RT_M */
    uint8_t guess[RT_SETS][N1RT_CLASSES][1 << RT_GUESS_BITS]; /* last s: cum[s] <= bucket start */
    uint8_t class_k[RT_CLASS_LUT];                   /* class | shift k << 5, for q < LUT */
    uint8_t set_of_phase[RT_PHASES];                 /* bin set for k == 0, by base mod 32 */
    uint16_t code_of[65536];                         /* (x + 32768) -> code or RT_NO_CODE */
    int16_t value_of[32768];                         /* code -> sample (K <= 32768) */
};

typedef struct n1rt_channel {
    int32_t prev;                    /* previous code; -1: next sample starts the channel */
    uint32_t mag;                    /* running mean |residual|, Q(4 + RT_MAG_SHIFT) */
    int16_t hist[N1RT_MAX_TAPS];     /* recent first differences, newest first */
    int16_t w[N1RT_MAX_TAPS];        /* LMS weights, Q12 */
} n1rt_channel;

struct n1rt_encoder {
    n1rt_config cfg;
    const n1rt_tables *t;
    uint32_t frame;
    uint8_t tag;
    n1rt_channel *ch;     /* [channels] */
    uint32_t *syms;       /* [3 * values]: start | freq << 16 */
    uint16_t *words;      /* [3 * values] */
};

struct n1rt_decoder {
    n1rt_config cfg;
    const n1rt_tables *t;
    uint32_t expected;    /* next frame counter */
    int started, synced;
    uint8_t tag;
    n1rt_channel *ch;     /* [channels] */
};

typedef struct rt_ctx {
    int32_t base;         /* predicted code */
    int k;                /* residual shift */
    const uint16_t *cum;  /* table: N1RT_NSYM + 1 entries */
    const uint8_t *guess; /* its decoder guesses: 2^RT_GUESS_BITS entries */
} rt_ctx;

void rt_channel_reset(n1rt_channel *ch, int taps);

static inline unsigned rt_bitlen(uint32_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return v ? 32u - (unsigned)__builtin_clz(v) : 0u;
#else
    unsigned n = 0;
    while (v) { v >>= 1; n++; }
    return n;
#endif
}

/* Quarter-octave class of a mean |residual| q (Q4): class 0 holds q < 2^(5/4),
 * class j >= 1 holds q in [2^((j+4)/4), 2^((j+5)/4)). */
static inline int rt_class(uint32_t q)
{
    unsigned b = rt_bitlen(q);
    if (b < 2) return 0;
    int lc = (int)(4 * (b - 1) + (((q << 2) >> (b - 1)) & 3u));
    return lc < 4 ? 0 : lc - 4;
}

/* Predicted next first difference. |w| < 2^15 and |hist| <= RT_HIST_MAX keep
 * every partial sum in int32 (16 * 2^15 * 2^12 = 2^31 is never reached), so
 * the SSE2 path and the plain C path give the same integer. */
static inline int32_t rt_predict(const n1rt_channel *ch)
{
#if RT_SSE2
    __m128i s = _mm_add_epi32(
        _mm_madd_epi16(_mm_loadu_si128((const __m128i *)ch->w),
                       _mm_loadu_si128((const __m128i *)ch->hist)),
        _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(ch->w + 8)),
                       _mm_loadu_si128((const __m128i *)(ch->hist + 8))));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    int32_t acc = _mm_cvtsi128_si32(s);
#else
    int32_t acc = 0;
    for (int i = 0; i < N1RT_MAX_TAPS; i++) acc += (int32_t)ch->w[i] * ch->hist[i];
#endif
    return (acc + 2048) >> 12;
}

/* Context of the first sample of a channel after a reset: centred on
 * mid-scale, shifted so that 64 symbols span the whole grid. */
static inline void rt_context_first(const n1rt_tables *t, rt_ctx *cx)
{
    cx->base = t->map.ncodes / 2;
    cx->k = t->map.bits > 6 ? t->map.bits - 6 : 0;
    cx->cum = t->cum[RT_SET_SHIFTED][N1RT_CLASSES - 1];
    cx->guess = t->guess[RT_SET_SHIFTED][N1RT_CLASSES - 1];
}

/* Context of every later sample (ch->prev >= 0). */
static inline void rt_context(const n1rt_tables *t, const n1rt_channel *ch, int taps, rt_ctx *cx)
{
    int32_t b = ch->prev + (taps ? rt_predict(ch) : 0);
    if (b < 0) b = 0;
    if (b > t->map.ncodes - 1) b = t->map.ncodes - 1;
    cx->base = b;
    uint32_t q = ch->mag >> RT_MAG_SHIFT;
    int cls, k;
    if (q < RT_CLASS_LUT) {
        cls = t->class_k[q] & 31;
        k = t->class_k[q] >> 5;
    } else {
        cls = rt_class(q);
        k = (cls - (N1RT_CLASSES - 1) + 3) >> 2;
        cls -= 4 * k;
    }
    cx->k = k;
    int set = t->set_of_phase[b & (RT_PHASES - 1)];
    if (k) set = RT_SET_SHIFTED;
    cx->cum = t->cum[set][cls];
    cx->guess = t->guess[set][cls];
}

static inline int16_t rt_clamp16(int32_t v, int32_t lim)
{
    return (int16_t)(v > lim ? lim : v < -lim ? -lim : v);
}

/* Sign-sign LMS step, then the history shift:
 *   w += mu * sign(residual r) * sign(hist);  hist = {delta, hist[0..14]}
 * int16 arithmetic that cannot wrap: weights are clamped once a frame
 * (rt_frame_done), which bounds them by RT_W_MAX + RT_MU * 4096 < 2^15. */
static inline void rt_lms(n1rt_channel *ch, int32_t r, int16_t delta)
{
    int16_t step = (int16_t)(r > 0 ? RT_MU : r < 0 ? -RT_MU : 0);
#if RT_SSE2
    const __m128i zero = _mm_setzero_si128(), st = _mm_set1_epi16(step);
    __m128i h0 = _mm_loadu_si128((const __m128i *)ch->hist);
    __m128i h1 = _mm_loadu_si128((const __m128i *)(ch->hist + 8));
    __m128i g0 = _mm_sub_epi16(_mm_cmpgt_epi16(zero, h0), _mm_cmpgt_epi16(h0, zero));
    __m128i g1 = _mm_sub_epi16(_mm_cmpgt_epi16(zero, h1), _mm_cmpgt_epi16(h1, zero));
    __m128i w0 = _mm_loadu_si128((const __m128i *)ch->w);
    __m128i w1 = _mm_loadu_si128((const __m128i *)(ch->w + 8));
    _mm_storeu_si128((__m128i *)ch->w, _mm_add_epi16(w0, _mm_mullo_epi16(g0, st)));
    _mm_storeu_si128((__m128i *)(ch->w + 8), _mm_add_epi16(w1, _mm_mullo_epi16(g1, st)));
    h1 = _mm_or_si128(_mm_slli_si128(h1, 2), _mm_srli_si128(h0, 14));
    h0 = _mm_insert_epi16(_mm_slli_si128(h0, 2), delta, 0);
    _mm_storeu_si128((__m128i *)ch->hist, h0);
    _mm_storeu_si128((__m128i *)(ch->hist + 8), h1);
#else
    for (int i = 0; i < N1RT_MAX_TAPS; i++) {
        int16_t h = ch->hist[i];
        ch->w[i] = (int16_t)(ch->w[i] + (int16_t)((h > 0) - (h < 0)) * step);
    }
    memmove(ch->hist + 1, ch->hist, (N1RT_MAX_TAPS - 1) * sizeof ch->hist[0]);
    ch->hist[0] = delta;
#endif
}

/* State after a sample's code is known (not for a channel's first sample:
 * that one only sets prev). */
static inline void rt_update(n1rt_channel *ch, int taps, int32_t code, const rt_ctx *cx)
{
    int32_t r = code - cx->base;
    uint32_t a = (uint32_t)(r < 0 ? -r : r);
    ch->mag += (a << 4) - (ch->mag >> RT_MAG_SHIFT);
    if (taps) rt_lms(ch, r, rt_clamp16(code - ch->prev, RT_HIST_MAX));
    ch->prev = code;
}

/* After each frame of a channel: bring the weights back into [-RT_W_MAX, RT_W_MAX]. */
static inline void rt_frame_done(n1rt_channel *ch)
{
    for (int i = 0; i < N1RT_MAX_TAPS; i++) ch->w[i] = rt_clamp16(ch->w[i], RT_W_MAX);
}

/* Code used by the model for sample x: its ADC code, or the nearest one when x
 * is off the grid (then coded as an escape). */
static inline int32_t rt_model_code(const n1rt_tables *t, int16_t x)
{
    if (t->map.kind == N1_ADC_IDENTITY) return (int32_t)x + 32768;
    uint16_t c = t->code_of[(uint16_t)((int32_t)x + 32768)];
    return c != RT_NO_CODE ? (int32_t)c : n1_adc_nearest(&t->map, x);
}

#endif
