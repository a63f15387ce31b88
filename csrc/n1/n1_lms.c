/*
 * n1_lms.c -- see n1_lms.h for the contract.
 */
#include "n1_lms.h"
#include <string.h>

#define LMS_H_MAX 4095

void n1_lms_init(n1_lms *f, int taps, int mu, int shift)
{
    memset(f, 0, sizeof(*f));
    if (taps > N1_LMS_MAX_TAPS) taps = N1_LMS_MAX_TAPS;
    taps &= ~15;
    f->taps = taps < 16 ? 16 : taps;
    f->mu = mu < 1 ? 1 : (mu > N1_LMS_MAX_MU ? N1_LMS_MAX_MU : mu);
    f->shift = shift < 4 ? 4 : (shift > 12 ? 12 : shift);
}

void n1_lms_update(n1_lms *f, int64_t e, int64_t err)
{
    const int16_t *sg = f->sg + f->pos;
    const int16_t mu = (int16_t)(err > 0 ? f->mu : (err < 0 ? -f->mu : 0));
    if (mu) {
        for (int i = 0; i < f->taps; i++) { /* |w + mu * sg| <= 32767: no overflow */
            int16_t v = (int16_t)(f->w[i] + mu * sg[i]);
            v = v > N1_LMS_W_MAX ? N1_LMS_W_MAX : v;
            f->w[i] = v < -N1_LMS_W_MAX ? -N1_LMS_W_MAX : v;
        }
    }
    int64_t sv = e >> f->shift;
    sv = sv > LMS_H_MAX ? LMS_H_MAX : (sv < -LMS_H_MAX ? -LMS_H_MAX : sv);
    int16_t sign = (int16_t)(sv > 0 ? 1 : (sv < 0 ? -1 : 0));
    int pos = f->pos - 1;
    if (pos < 0) pos += f->taps;
    f->h[pos] = f->h[pos + f->taps] = (int16_t)sv;
    f->sg[pos] = f->sg[pos + f->taps] = sign;
    f->pos = pos;
}
