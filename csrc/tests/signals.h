/* signals.h -- deterministic test signals for the predictor and coder tests (no global state). */
#ifndef N1_TEST_SIGNALS_H
#define N1_TEST_SIGNALS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { uint64_t s; } test_rng;

static inline uint32_t rng_next(test_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 16);
}

enum {
    SIG_SINE_NOISE, SIG_RANDOM, SIG_CONSTANT, SIG_EXTREMES, SIG_ADC, SIG_RAMP_WRAP,
    SIG_SPIKES, SIG_COUNT
};

static inline const char *signal_name(int kind)
{
    static const char *const names[SIG_COUNT] = {
        "sine+noise", "random", "constant", "extremes", "adc", "ramp-wrap", "spikes"};
    return names[kind];
}

/* Fills x[0..n) with signal `kind`, reproducibly from `seed`. */
static inline void make_signal(int kind, uint16_t *x, size_t n, uint64_t seed)
{
    test_rng r = {seed * 2654435761u + 88172645463325252ull};
    int32_t code = 512;
    for (size_t i = 0; i < n; i++) {
        int32_t v = 0;
        switch (kind) {
        case SIG_SINE_NOISE:
            v = (int32_t)(3000.0 * sin(0.01 * (double)i)) + (int32_t)(rng_next(&r) % 41u) - 20;
            break;
        case SIG_RANDOM: v = (int32_t)(rng_next(&r) & 0xFFFFu); break;
        case SIG_CONSTANT: v = -1234; break;
        case SIG_EXTREMES: v = (rng_next(&r) & 1u) ? 32767 : -32768; break;
        case SIG_ADC:
            code += (int32_t)(rng_next(&r) % 9u) - 4;
            if (code < 0) code = 0;
            if (code > 1022) code = 1022;
            v = (int32_t)floor((double)code * 64.0625) - 32768;
            break;
        case SIG_RAMP_WRAP: v = (int32_t)(i * 977u); break;
        case SIG_SPIKES:
            v = (rng_next(&r) % 97u == 0) ? (int32_t)(rng_next(&r) & 0xFFFFu) : (int32_t)(rng_next(&r) % 7u);
            break;
        }
        x[i] = (uint16_t)v;
    }
}

static const size_t test_lengths[] = {0, 1, 2, 3, 4, 17, 1000, 4096, 4097, 70001};
#define TEST_NLENGTHS (sizeof test_lengths / sizeof test_lengths[0])

#endif
