/*
 * n1_lms.h -- the long third stage of format-4 streams (n1:max): a sign-sign LMS
 * filter of up to N1_LMS_MAX_TAPS taps predicting the error the first two stages
 * leave (n1_model.h), from that error's own history.
 *
 * Long filters see what the short stages cannot: mains hum and its harmonics, a
 * period of 600 samples at 30 kHz, stay in the second stage's error. As in the
 * cascades of lossless audio coders (Monkey's Audio's long NN filters), but
 * integer and sign-sign, so encoder and decoder agree bit for bit everywhere.
 *
 * n1_lms_init(f, taps, mu, shift): taps 16..N1_LMS_MAX_TAPS (clamped, rounded
 *   down to a multiple of 16), step mu (Q16, 1..N1_LMS_MAX_MU, clamped), history shift
 *   (4..12) as the stream's predictor uses.
 * n1_lms_predict(f): the predicted error, Q8. |w| < 32767 (Q16, below 1/2) and
 *   |h| <= 4095, so 16 products sum below 2^31 in int32 (the blocks vectorise) and
 *   the blocks' int64 sum cannot overflow for any input.
 * n1_lms_update(f, e, err): e the error to predict (Q8), err = e - prediction.
 * No allocation, no failure modes.
 */
#ifndef N1_LMS_H
#define N1_LMS_H

#include <stdint.h>
#include "n1_dot.h"

#define N1_LMS_MAX_TAPS 256
#define N1_LMS_MAX_MU 128
/* |w| stays below 32767 - N1_LMS_MAX_MU, so a step never leaves int16 */
#define N1_LMS_W_MAX (32767 - N1_LMS_MAX_MU)

typedef struct n1_lms {
    int taps, mu, shift, pos;
    int16_t w[N1_LMS_MAX_TAPS];      /* Q16 weights, |w| <= N1_LMS_W_MAX */
    int16_t h[2 * N1_LMS_MAX_TAPS];  /* clamped history, doubled ring (newest first at pos) */
    int16_t sg[2 * N1_LMS_MAX_TAPS]; /* its signs (-1, 0, 1), the same ring: the update
                                      * is then int16 multiply-adds that vectorise */
} n1_lms;

void n1_lms_init(n1_lms *f, int taps, int mu, int shift);

static inline int64_t n1_lms_predict(const n1_lms *f)
{
    /* 16 * 4095 * N1_LMS_W_MAX < 2^31: each block of 16 products fits int32 */
    return n1_dot_i16_wide(f->w, f->h + f->pos, f->taps) >> (16 - f->shift);
}

void n1_lms_update(n1_lms *f, int64_t e, int64_t err);

#endif
