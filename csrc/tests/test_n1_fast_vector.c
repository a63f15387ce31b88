/* test_n1_fast_vector.c -- n1:fast's vector decoding loop (n1_fast_sse41.h) against
 * the scalar one, block by block: the same samples and the same status for blocks
 * of every shift (narrow and wide signals), with escapes (jumps), rails, several
 * lengths, on affine and identity grids, and for every truncation and thousands of
 * flipped bytes of each. Where the CPU or build has no vector loop both runs are
 * scalar and the test still checks the round trips. */
#include <stdlib.h>
#include <string.h>
#include "n1/n1_fast.h"
#include "n1/n1_fast_sse41.h"
#include "common/status.h"
#include "test_util.h"

#define NMAX 20000

static uint32_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

/* A walk whose steps have width ~2^spread (wide ones shift), with a jump of up to
 * +-2^14 every `jumps` samples (escapes) when jumps > 0, on the grid x0 + step * c. */
static void make_block(int16_t *x, size_t n, int spread, size_t jumps, int step, uint64_t seed)
{
    uint64_t s = seed;
    int32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t w = (int32_t)(rnd(&s) % (2u << spread)) - (1 << spread);
        v += w / 2 + (int32_t)(rnd(&s) % 3) - 1;
        if (jumps && rnd(&s) % jumps == 0) v += (int32_t)(rnd(&s) % 32768) - 16384;
        v = v > 30000 / step ? 30000 / step : (v < -30000 / step ? -30000 / step : v);
        x[i] = (int16_t)(v * step);
    }
}

/* Decode p[0..len) twice, vector loop allowed and not: the same status, and the same
 * samples when it is N1_OK. Returns that status. */
static int decode_both(const n1_adc_map *map, int32_t prev, const uint8_t *p, size_t len,
                       size_t n, int16_t *a, int16_t *b, n1_fast_dec *d)
{
    n1_fast_dec_init(d, map, 2);
    d->prev = prev;
    int sa = n1_fast_decode_block(d, map, p, len, a, n);
    n1_fast_dec_init(d, map, 2);
    d->prev = prev;
    d->vector = 0;
    int sb = n1_fast_decode_block(d, map, p, len, b, n);
    CHECK(sa == sb);
    if (sa == N1_OK && sb == N1_OK) CHECK(memcmp(a, b, n * sizeof(int16_t)) == 0);
    return sa;
}

static void check_block(n1_fast_enc *enc, n1_fast_dec *d, const n1_adc_map *map,
                        const int16_t *code_of, const int16_t *x, size_t n, uint64_t *s)
{
    static uint8_t buf[4 * NMAX + 4096];
    static int16_t a[NMAX], b[NMAX];
    n1_fast_enc_init(enc, map);
    int32_t prev = enc->prev;
    uint8_t *start = NULL;
    CHECK(n1_fast_encode_block(enc, map, code_of, x, n, buf, buf + sizeof(buf), &start) == N1_OK);
    size_t len = (size_t)(buf + sizeof(buf) - start);
    CHECK(decode_both(map, prev, start, len, n, a, b, d) == N1_OK);
    CHECK(memcmp(a, x, n * sizeof(int16_t)) == 0);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 3)
        CHECK(decode_both(map, prev, start, cut, n, a, b, d) != N1_OK);
    for (int k = 0; k < 300; k++) {
        size_t at = rnd(s) % len;
        uint8_t old = start[at];
        start[at] ^= (uint8_t)(1 + rnd(s) % 255);
        (void)decode_both(map, prev, start, len, n, a, b, d);
        start[at] = old;
    }
}

int main(void)
{
    n1_fast_enc *enc = malloc(sizeof(n1_fast_enc));
    n1_fast_dec *d = malloc(sizeof(n1_fast_dec));
    int16_t *x = malloc(NMAX * sizeof(int16_t));
    int16_t *code_of = malloc(65536 * sizeof(int16_t));
    uint64_t s = 99;
    printf("vector loop available: %d\n", n1_fast_sse41_available());
    static const size_t lengths[] = {2048, 2051, 5003, NMAX};
    for (int grid = 0; grid < 2; grid++) {
        int step = grid ? 7 : 1;
        n1_adc_map map;
        if (grid) n1_adc_set_affine(&map, -30000 / 7 * 7, 7, 60000 / 7 + 1);
        else n1_adc_set(&map, N1_ADC_IDENTITY, 16);
        memset(code_of, 0xff, 65536 * sizeof(int16_t));
        for (int32_t c = 0; grid && c < map.ncodes; c++)
            code_of[(uint16_t)(int16_t)n1_adc_value(&map, c)] = (int16_t)c;
        for (int spread = 1; spread <= 12; spread += 2)
            for (size_t li = 0; li < sizeof(lengths) / sizeof(lengths[0]); li++) {
                size_t jumps = (li % 2) ? 500 : 0;
                make_block(x, lengths[li], spread, jumps, step, 1000u * spread + li);
                check_block(enc, d, &map, code_of, x, lengths[li], &s);
            }
        /* a clipped signal sitting on the rail (a rail table: the scalar loop) */
        for (size_t i = 0; i < 4000; i++) x[i] = (int16_t)(i % 700 < 350 ? 30000 / step * step : (int32_t)(i % 50) * step);
        check_block(enc, d, &map, code_of, x, 4000, &s);
    }
    free(enc); free(d); free(x); free(code_of);
    return test_report("test_n1_fast_vector");
}
