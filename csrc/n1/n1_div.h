/*
 * n1_div.h -- exact 64-bit integer division through a double estimate.
 *
 * n1_div_floor(num, den): floor(num / den) for 0 <= num < 2^60, 0 < den < 2^60.
 * n1_div_trunc(num, den): num / den as C rounds it (towards zero) for
 *   |num| < 2^60, 0 < den < 2^60.
 * The double quotient is within q * 2^-51 + 1 of the true one (each operand and the
 * division lose at most 2^-53 of themselves): a unit or two below 2^51, a few hundred
 * at worst. The loops step it to the exact integer quotient
 * (q * den stays near num, so no product overflows), whatever the FPU rounds, on
 * every CPU.
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
