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
 * n1_div_trunc_clamped(num, den, inv, limit): n1_div_trunc(num, den) clamped to
 *   [-limit, limit], given inv = 1.0 / den: for a loop dividing by one den, a multiply
 *   instead of a division on its chain. |num| < 2^60, 0 < den < 2^60, limit * den <
 *   2^61, limit < 2^40 (so the loops' (limit + 3) * den stays below 2^63). The product's estimate is within |q| * 2^-50 + 1 of the quotient q: an
 *   estimate beyond limit + 2 means q is beyond limit (clamped at once), one within
 *   it is a unit or two from q (stepped there as above).
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

static inline int64_t n1_div_trunc_clamped(int64_t num, int64_t den, double inv, int64_t limit)
{
    int64_t n = num < 0 ? -num : num;
    int64_t q = (int64_t)((double)n * inv);
    if (q > limit + 2) return num < 0 ? -limit : limit;
    while (q > 0 && q * den > n) q--;
    while ((q + 1) * den <= n) q++;
    if (q > limit) q = limit;
    return num < 0 ? -q : q;
}

#endif
