/* test_n1_arith.c -- the n1 model's exact arithmetic helpers against plain C:
 * n1_div.h's divisions through a double estimate (or a reciprocal) equal C's integer
 * division (clamped where asked), and n1_dot.h's vector dot products equal the scalar sums, over edge values and a
 * fixed pseudo-random sweep (the same on every run). */
#include <stdint.h>
#include "n1/n1_div.h"
#include "n1/n1_dot.h"
#include "test_util.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_u64(void) /* xorshift64*: deterministic, no libc rand */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* A value below 2^bits with a random bit length, so small and large both occur. */
static int64_t below(int bits)
{
    int len = (int)(next_u64() % (uint64_t)(bits + 1));
    return len ? (int64_t)(next_u64() >> (64 - len)) : 0;
}

/* n1_div_trunc_clamped against C's division clamped, for limits whose contract
 * (limit * den < 2^61) den meets. */
static void check_div_clamped(int64_t num, int64_t den)
{
    static const int64_t limits[] = {0, 1, 16383, 32767, (int64_t)1 << 20};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        int64_t limit = limits[i];
        if (limit && den > (((int64_t)1 << 61) - 1) / limit) continue;
        int64_t q = num / den;
        q = q > limit ? limit : (q < -limit ? -limit : q);
        CHECK(n1_div_trunc_clamped(num, den, 1.0 / (double)den, limit) == q);
    }
}

static void check_div(int64_t num, int64_t den)
{
    if (num >= 0) CHECK(n1_div_floor(num, den) == num / den);
    CHECK(n1_div_trunc(num, den) == num / den);
    check_div_clamped(num, den);
}

static void test_division(void)
{
    const int64_t top = ((int64_t)1 << 60) - 1;
    const int64_t dens[] = {1, 2, 3, 7, 255, 256, 4095, (int64_t)1 << 31, ((int64_t)1 << 40) + 1, top};
    const int64_t nums[] = {0, 1, 2, 255, 256, 257, (int64_t)1 << 53, ((int64_t)1 << 53) + 1, top};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        for (size_t j = 0; j < sizeof(dens) / sizeof(dens[0]); j++) {
            check_div(nums[i], dens[j]);
            check_div(-nums[i], dens[j]);
            check_div(nums[i] / dens[j] * dens[j], dens[j]);     /* exact multiples */
            if (nums[i] / dens[j] * dens[j] > 0)
                check_div(nums[i] / dens[j] * dens[j] - 1, dens[j]); /* one below */
        }
    for (int k = 0; k < 200000; k++) {
        int64_t den = below(60);
        int64_t num = below(60);
        check_div(num, den ? den : 1);
        check_div(-num, den ? den : 1);
    }
    for (int k = 0; k < 200000; k++) { /* the least-squares solve's range: den < 2^40 */
        int64_t den = below(40), num = below(58);
        check_div(num, den ? den : 1);
        check_div(-num, den ? den : 1);
        check_div(num / (den ? den : 1) * (den ? den : 1), den ? den : 1); /* multiples */
    }
}

static int32_t dot_plain(const int16_t *a, const int16_t *b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

static void test_dot(void)
{
    int16_t a[256 + 8], b[256 + 8];
    for (int round = 0; round < 2000; round++) {
        /* the bounds the predictors keep: |a| <= 16383 (weights), |b| <= 4095 (history),
         * extremes every few rounds */
        for (int i = 0; i < 264; i++) {
            int extreme = round % 4 == 0;
            a[i] = (int16_t)(extreme ? (i & 1 ? 16383 : -16383) : (int64_t)(next_u64() % 32767) - 16383);
            b[i] = (int16_t)(extreme ? (i & 2 ? -4095 : 4095) : (int64_t)(next_u64() % 8191) - 4095);
        }
        int off = round % 8; /* unaligned starts */
        CHECK(n1_dot_i16(a + off, b + off, 8) == dot_plain(a + off, b + off, 8));
        CHECK(n1_dot_i16(a + off, b + off, 16) == dot_plain(a + off, b + off, 16));
        CHECK(n1_dot_i16(a + off, b + off, 32) == dot_plain(a + off, b + off, 32));
        int32_t four[4]; /* four lags of a block of 16 against the values before it */
        n1_dot4_i16(a + 8 + off, b + 8 + off, four);
        for (int k = 0; k < 4; k++) CHECK(four[k] == dot_plain(a + 8 + off, b + 8 + off - k, 16));
        int64_t wide = 0;
        for (int i = 0; i < 256; i += 16) wide += dot_plain(a + i, b + i, 16);
        CHECK(n1_dot_i16_wide(a, b, 256) == wide);
    }
    /* the third stage's bound: |w| <= 32639 against |h| <= 4095, blocks of 16 */
    for (int i = 0; i < 256; i++) {
        a[i] = (int16_t)(i & 1 ? 32639 : -32639);
        b[i] = (int16_t)(i & 1 ? 4095 : -4095);
    }
    CHECK(n1_dot_i16_wide(a, b, 256) == (int64_t)256 * 32639 * 4095);
}

int main(void)
{
    test_division();
    test_dot();
    return test_report("test_n1_arith");
}
