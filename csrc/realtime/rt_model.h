/*
 * rt_model.h -- internals of the real-time mode (rt.h): the shared tables, the
 * per-channel model and the structures of the encoder and decoder. Private to
 * csrc/realtime/ (C users include rt.h only).
 *
 * The model functions are inline and used by both sides, so encoder and
 * decoder run the same integer arithmetic:
 *   rt_context(t, ch, predictor, &cx)  -> prediction base, shift k, table
 *   rt_update(ch, predictor, code, cx) -> state after the sample's code is known
 */
#ifndef N1_REALTIME_RT_MODEL_H
#define N1_REALTIME_RT_MODEL_H

#include <stdint.h>
#include "rt.h"

#define RT_M (1u << N1C_RT_PROB_BITS)
#define RT_L (1u << 16)               /* rANS state lower bound */
#define RT_R 63                       /* symbol of residual 0 */
#define RT_ESC (N1C_RT_NSYM - 1)
#define RT_PHASES 32                  /* N1's step widths repeat every 32 codes */
#define RT_SET_CENTRED 0              /* even bins, prediction at a bin centre */
#define RT_SET_SHIFTED 1              /* even bins, prediction on a bin edge (k > 0) */
#define RT_SET_PHASE0 2               /* + phase: the N1 ADC's uneven bins */
#define RT_SETS (RT_SET_PHASE0 + RT_PHASES)
#define RT_MAG_SHIFT 6                /* mean |residual| window: 2^6 samples */
/* Mean |residual| a channel starts from after a resync: 4.5 codes (72 in Q4), a
 * round value a little below the median mean |first difference| of the even-
 * indexed dev files (4.80; the predictor's residual is smaller). */
#define RT_MAG_INIT (72u << RT_MAG_SHIFT)
#define RT_MU 8                       /* sign-sign step of the predictor gain, Q12 */
#define RT_GAIN_MAX 8192              /* gain clamp: [0, 2), Q12 */
/* Initial predictor gain, Q12: least squares of the next first difference on
 * the leaky sum (decay 7/8) of the previous ones, pooled over the EVEN-indexed
 * dev files (sorted by name): -0.2253. Reproduced by tools/fit_realtime_gain.py.
 * A prior only: each channel adapts. Changing it changes the stream format. */
#define RT_GAIN_INIT 923
#define RT_NO_CODE 0xFFFFu
#define RT_CLASS_LUT 1024             /* mean |residual| (Q4) below this: class by lookup */
#define RT_GUESS_BITS 6               /* decoder: first symbol guess per 2^6 slot buckets */

struct n1c_rt_tables {
    n1_adc_map map;
    int phases;                                      /* N1's 10-bit grid: phase tables */
    uint16_t cum[RT_SETS][N1C_RT_CLASSES][N1C_RT_NSYM + 1]; /* cum[..][NSYM] = RT_M */
    uint8_t guess[RT_SETS][N1C_RT_CLASSES][1 << RT_GUESS_BITS]; /* last s: cum[s] <= bucket start */
    uint8_t class_k[RT_CLASS_LUT];                   /* class | shift k << 5, for q < LUT */
    uint8_t set_of_phase[RT_PHASES];                 /* bin set for k == 0, by base mod 32 */
    uint16_t code_of[65536];                         /* (x + 32768) -> code or RT_NO_CODE */
    int16_t value_of[65536];                         /* code -> sample */
};

typedef struct n1c_rt_channel {
    int32_t prev;   /* previous code; -1: next sample starts the channel */
    uint32_t mag;   /* running mean |residual|, Q(4 + RT_MAG_SHIFT) */
    int32_t level;  /* leaky sum of first differences, Q4: level += 16 d - (level >> 3) */
    int32_t gain;   /* predictor gain, Q12: next difference ~ -gain * level */
    int32_t last;   /* predictor 2: the last first difference */
    int32_t gain2;  /* predictor 2: gain on it, Q12 (next difference ~ + gain2 * last) */
} n1c_rt_channel;

struct n1c_rt_encoder {
    n1c_rt_config cfg;
    const n1c_rt_tables *t;
    uint32_t frame;
    uint8_t tag;
    n1c_rt_channel *ch;     /* [channels] */
    uint32_t *syms;       /* [3 * values]: start | freq << 16 */
    uint16_t *words;      /* [3 * values] */
};

struct n1c_rt_decoder {
    n1c_rt_config cfg;
    const n1c_rt_tables *t;
    uint32_t expected;    /* next frame counter */
    int started, synced;
    uint8_t tag;
    n1c_rt_channel *ch;     /* [channels] */
};

typedef struct rt_ctx {
    int32_t base;         /* predicted code */
    int k;                /* residual shift */
    const uint16_t *cum;  /* table: N1C_RT_NSYM + 1 entries */
    const uint8_t *guess; /* its decoder guesses: 2^RT_GUESS_BITS entries */
} rt_ctx;

void rt_channel_reset(n1c_rt_channel *ch, int predictor);

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

/* Predicted next first difference: -gain * level (+ gain2 * last for predictor
 * 2), rounded (|level| < 2^24, |last| < 2^16, |gain|, |gain2| < 2^16). Like
 * n1_gauss.h, >> on negative values is taken to be an arithmetic shift (floor
 * division), as gcc, clang and MSVC define it. */
static inline int32_t rt_predict(const n1c_rt_channel *ch, int predictor)
{
    int64_t v = -(int64_t)ch->gain * ch->level + (1 << 15);
    if (predictor == 2) v += 16 * (int64_t)ch->gain2 * ch->last;
    return (int32_t)(v >> 16);
}

/* Context of the first sample of a channel after a reset: centred on
 * mid-scale, shifted so that 64 symbols span the whole grid. */
static inline void rt_context_first(const n1c_rt_tables *t, rt_ctx *cx)
{
    cx->base = t->map.ncodes / 2;
    cx->k = t->map.bits > 6 ? t->map.bits - 6 : 0;
    cx->cum = t->cum[RT_SET_SHIFTED][N1C_RT_CLASSES - 1];
    cx->guess = t->guess[RT_SET_SHIFTED][N1C_RT_CLASSES - 1];
}

/* Context of every later sample (ch->prev >= 0). */
static inline void rt_context(const n1c_rt_tables *t, const n1c_rt_channel *ch, int predictor, rt_ctx *cx)
{
    int32_t b = ch->prev + (predictor ? rt_predict(ch, predictor) : 0);
    if ((uint32_t)b > (uint32_t)(t->map.ncodes - 1)) b = b < 0 ? 0 : t->map.ncodes - 1;
    cx->base = b;
    uint32_t q = ch->mag >> RT_MAG_SHIFT;
    int cls, k;
    if (q < RT_CLASS_LUT) {
        cls = t->class_k[q] & 31;
        k = t->class_k[q] >> 5;
    } else {
        cls = rt_class(q);
        k = (cls - (N1C_RT_CLASSES - 1) + 3) >> 2;
        cls -= 4 * k;
    }
    cx->k = k;
    int set = t->set_of_phase[b & (RT_PHASES - 1)];
    if (k) set = RT_SET_SHIFTED;
    cx->cum = t->cum[set][cls];
    cx->guess = t->guess[set][cls];
}

/* State after a sample's code is known (not for a channel's first sample:
 * that one only sets prev). */
static inline void rt_update(n1c_rt_channel *ch, int predictor, int32_t code, const rt_ctx *cx)
{
    int32_t r = code - cx->base;
    uint32_t a = (uint32_t)(r < 0 ? -r : r);
    ch->mag += (a << 4) - (ch->mag >> RT_MAG_SHIFT);
    if (predictor) {
        /* sign-sign LMS on the gains (the prediction moves by -level per unit of
         * gain, by last per unit of gain2; zeros count as positive); clamped once
         * a frame by rt_frame_done */
        ch->gain += (r ^ ch->level) < 0 ? RT_MU : -RT_MU; /* sign(r) == sign(-level) */
        int32_t d = code - ch->prev;
        if (predictor == 2) {
            ch->gain2 += (r ^ ch->last) < 0 ? -RT_MU : RT_MU; /* sign(r) == sign(last) */
            ch->last = d;
        }
        ch->level += 16 * d - (ch->level >> 3);
    }
    ch->prev = code;
}

/* After each frame of a channel: the gain back into [0, RT_GAIN_MAX]. Within
 * a frame it moves by at most RT_MU * N1C_RT_MAX_FRAME_SAMPLES, so |gain| < 2^16
 * and rt_predict's product stays below 2^40. */
static inline void rt_frame_done(n1c_rt_channel *ch)
{
    ch->gain = ch->gain < 0 ? 0 : ch->gain > RT_GAIN_MAX ? RT_GAIN_MAX : ch->gain;
    ch->gain2 = ch->gain2 < -RT_GAIN_MAX ? -RT_GAIN_MAX
              : ch->gain2 > RT_GAIN_MAX ? RT_GAIN_MAX : ch->gain2;
}

/* Code used by the model for sample x: its ADC code, or the nearest one when x
 * is off the grid (then coded as an escape). */
static inline int32_t rt_model_code(const n1c_rt_tables *t, int16_t x)
{
    if (t->map.kind == N1_ADC_IDENTITY) return (int32_t)x + 32768;
    uint16_t c = t->code_of[(uint16_t)((int32_t)x + 32768)];
    return c != RT_NO_CODE ? (int32_t)c : n1_adc_nearest(&t->map, x);
}

#endif
