/* lms.c -- integer sign-sign and normalised LMS predictors (see lms.h). */
#include "lms.h"

#include <string.h>
#include "common/status.h"

#define W_LIMIT ((int32_t)1 << 24)
#define NLMS_GAIN_BITS 8
#define CASCADE_ORDER 16
#define CASCADE_MU_SHIFT 12

static inline int32_t s16(uint16_t w) { return (int32_t)(int16_t)w; }

/* floor(v / 2^s) for |v| < 2^62, branch-free and without the implementation-defined
 * right shift of a negative number: shift v + 2^62 (as unsigned), remove 2^62 / 2^s. */
static inline int64_t floor_shift(int64_t v, unsigned s)
{
    const uint64_t bias = (uint64_t)1 << 62;
    return (int64_t)(((uint64_t)v + bias) >> s) - (int64_t)(bias >> s);
}

static inline int32_t clamp_w(int64_t v)
{
    if (v > W_LIMIT) return W_LIMIT;
    if (v < -W_LIMIT) return -W_LIMIT;
    return (int32_t)v;
}

/* One adaptive FIR filter over a history of int32 inputs. The history is a
 * window sliding along a buffer (moved back once per LMS_SLIDE pushes) with the
 * newest input last; w[j] pairs with window[j] and sg[j] holds sign(window[j]). */
#define LMS_SLIDE 512
#define LMS_BUF (N1C_LMS_MAX_ORDER + LMS_SLIDE)

typedef struct lms_filter {
    int sign_sign;
    int order;
    int mu_shift;
    int pos;                         /* window start in hb / sg */
    int64_t energy;                  /* sum of squares of the window (NLMS) */
    int32_t w[N1C_LMS_MAX_ORDER];
    int32_t hb[LMS_BUF];
    int32_t sg[LMS_BUF];
} lms_filter;

static void filter_init(lms_filter *f, int sign_sign, int order, int mu_shift)
{
    memset(f, 0, sizeof *f);
    f->sign_sign = sign_sign;
    f->order = order;
    f->mu_shift = mu_shift;
}

static inline int64_t filter_predict(const lms_filter *f)
{
    const int32_t *h = f->hb + f->pos;
    int64_t sum = 0;
    for (int j = 0; j < f->order; j++) sum += (int64_t)f->w[j] * h[j];
    return floor_shift(sum, 16);
}

/* Adapts to the error e of the last prediction, then pushes the new input v. */
static inline void filter_update(lms_filter *f, int64_t e, int32_t v)
{
    const int k = f->order;
    const int32_t *h = f->hb + f->pos;
    if (e > 65536) e = 65536;
    if (e < -65536) e = -65536;
    if (f->sign_sign) {
        if (e != 0) {
            int32_t step = (int32_t)1 << (16 - f->mu_shift);
            if (e < 0) step = -step;
            const int32_t *sg = f->sg + f->pos;
            for (int j = 0; j < k; j++) {
                int32_t t = f->w[j] + step * sg[j];  /* |w| <= 2^24, |step| <= 2^15 */
                f->w[j] = t > W_LIMIT ? W_LIMIT : (t < -W_LIMIT ? -W_LIMIT : t);
            }
        }
    } else if (e != 0) {
        int64_t norm = f->energy + 16 * (int64_t)k + 1;
        int64_t g = (e * ((int64_t)1 << (16 + NLMS_GAIN_BITS - f->mu_shift))) / norm;
        if (g != 0)
            for (int j = 0; j < k; j++)
                f->w[j] = clamp_w((int64_t)f->w[j] + floor_shift(g * h[j], NLMS_GAIN_BITS));
    }
    int32_t old = h[0];
    f->energy += (int64_t)v * v - (int64_t)old * old;
    int32_t sv = (v > 0) - (v < 0);
    if (f->pos + k < LMS_BUF) {
        f->hb[f->pos + k] = v;
        f->sg[f->pos + k] = sv;
        f->pos++;
    } else {
        memmove(f->hb, f->hb + f->pos + 1, (size_t)(k - 1) * sizeof f->hb[0]);
        memmove(f->sg, f->sg + f->pos + 1, (size_t)(k - 1) * sizeof f->sg[0]);
        f->hb[k - 1] = v;
        f->sg[k - 1] = sv;
        f->pos = 0;
    }
}

typedef struct lms_state {
    int cascade;
    int32_t x1;                      /* previous sample */
    lms_filter a, b;                 /* b is the cascade's second stage */
} lms_state;

static int state_init(lms_state *s, int variant, int order, int mu_shift)
{
    if (order < 1 || order > N1C_LMS_MAX_ORDER || mu_shift < 1 || mu_shift > 16)
        return N1_ERR_INVALID_ARG;
    s->x1 = 0;
    switch (variant) {
    case N1C_LMS_SIGN: filter_init(&s->a, 1, order, mu_shift); s->cascade = 0; break;
    case N1C_LMS_NLMS: filter_init(&s->a, 0, order, mu_shift); s->cascade = 0; break;
    case N1C_LMS_CASCADE:
        filter_init(&s->a, 0, order, mu_shift);
        filter_init(&s->b, 1, CASCADE_ORDER, CASCADE_MU_SHIFT);
        s->cascade = 1;
        break;
    default: return N1_ERR_INVALID_ARG;
    }
    return N1_OK;
}

/* Prediction of the next difference; pa receives stage a's own prediction. */
static inline int64_t state_predict(const lms_state *s, int64_t *pa)
{
    *pa = filter_predict(&s->a);
    return s->cascade ? *pa + filter_predict(&s->b) : *pa;
}

static inline void state_update(lms_state *s, int32_t x, int64_t pa, int64_t p)
{
    int32_t d = s16((uint16_t)(x - s->x1));
    int64_t ea = (int64_t)d - pa;
    if (s->cascade) {
        if (ea > 32767) ea = 32767;
        if (ea < -32768) ea = -32768;
        filter_update(&s->b, (int64_t)d - p, (int32_t)ea);
    }
    filter_update(&s->a, (int64_t)d - pa, d);
    s->x1 = x;
}

int n1c_lms_encode(const uint16_t *in, uint16_t *res, size_t n, int variant, int order,
                   int mu_shift)
{
    if (n && (!in || !res)) return N1_ERR_INVALID_ARG;
    lms_state s;
    int st = state_init(&s, variant, order, mu_shift);
    if (st != N1_OK) return st;
    for (size_t i = 0; i < n; i++) {
        int64_t pa, p = state_predict(&s, &pa);
        int32_t x = s16(in[i]);
        res[i] = (uint16_t)((int64_t)x - s.x1 - p);
        state_update(&s, x, pa, p);
    }
    return N1_OK;
}

int n1c_lms_decode(const uint16_t *res, uint16_t *out, size_t n, int variant, int order,
                   int mu_shift)
{
    if (n && (!res || !out)) return N1_ERR_INVALID_ARG;
    lms_state s;
    int st = state_init(&s, variant, order, mu_shift);
    if (st != N1_OK) return st;
    for (size_t i = 0; i < n; i++) {
        int64_t pa, p = state_predict(&s, &pa);
        int32_t x = s16((uint16_t)((int64_t)res[i] + s.x1 + p));
        out[i] = (uint16_t)x;
        state_update(&s, x, pa, p);
    }
    return N1_OK;
}
