/*
 * n1_div.h -- exact 64-bit integer division through a double estimate.
 *
 * n1_div_floor(num, den): floor(num / den) for 0 <= num < 2^60, 0 < den < 2^60.
 * n1_div_trunc(num, den): num / den as C rounds it (towards zero) for
 *   |num| < 2^60, 0 < den < 2^60.
 * The double quotient is off by at most one here (both operands lose at most
 * 2^-53 of themselves in the conversion); integer products correct it, so the
 * result is the exact integer quotient whatever the FPU rounds, on every CPU.
 * Why: a 64-bit idiv costs tens of cycles, and the n1 model's width refit and
 * least-squares solve divide in loops (the solve on its sample-to-sample chain).
 */
#ifndef N1_DIV_H
#define N1_DIV_H

#include <stdint.h>

static inline int64_t n1_div_floor(int64_t num, int64_t den)
{
    int64_t q = (int64_t)((double)num / (double)den);
    while (q > 0 && q * den > num) q--;
    while ((q + 1) * den <= num) q++;
    return q;
}

static inline int64_t n1_div_trunc(int64_t num, int64_t den)
{
    return num < 0 ? -n1_div_floor(-num, den) : n1_div_floor(num, den);
}

#endif
