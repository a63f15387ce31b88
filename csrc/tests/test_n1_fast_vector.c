/* test_n1_fast_vector.c -- n1:fast's vector decoding loop (n1_fast_sse41.h) against
 * the scalar one, block by block: the same samples and the same status for blocks
 * of every shift (narrow and wide signals), with escapes (jumps), rails, several
 * lengths, on affine and identity grids, and for every truncation and thousands of
 * flipped bytes of each; and two blocks side by side (n1_fast_decode_block2) against
 * one by one. Where the CPU or build has no vector loop both runs are scalar and the
 * test still checks the round trips. */
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

/* Two blocks side by side (n1_fast_decode_block2) against one by one: both decode
 * alike when both do, and it fails when either would. */
static void check_pair_blocks(const n1_adc_map *map, const int32_t *prev, uint8_t *const *p,
                              const size_t *len, size_t n, n1_fast_dec *d)
{
    static int16_t a[2][NMAX], b[2][NMAX];
    n1_fast_dec *d1 = d + 1;
    int single[2];
    int32_t after[2];
    for (int k = 0; k < 2; k++) {
        n1_fast_dec_init(d, map, 2);
        d->prev = prev[k];
        single[k] = n1_fast_decode_block(d, map, p[k], len[k], a[k], n);
        after[k] = d->prev;
    }
    n1_fast_dec_init(d, map, 2);
    n1_fast_dec_init(d1, map, 2);
    d->prev = prev[0];
    d1->prev = prev[1];
    int st = n1_fast_decode_block2(d, d1, map, map, p[0], len[0], p[1], len[1], b[0], b[1], n);
    CHECK((st == N1_OK) == (single[0] == N1_OK && single[1] == N1_OK));
    if (st == N1_OK) {
        CHECK(memcmp(a[0], b[0], n * sizeof(int16_t)) == 0);
        CHECK(memcmp(a[1], b[1], n * sizeof(int16_t)) == 0);
        CHECK(d->prev == after[0] && d1->prev == after[1]); /* the next block starts there */
    }
}

static void test_pairs(n1_fast_enc *enc, n1_fast_dec *d, int16_t *x, uint64_t *s)
{
    static uint8_t buf[2][4 * NMAX + 4096];
    n1_adc_map map;
    n1_adc_set(&map, N1_ADC_IDENTITY, 16);
    const size_t n = 6001;
    int mixed = 0;
    for (int spread = 1; spread <= 12; spread += 3) {
        uint8_t *p[2];
        size_t len[2];
        int32_t prev[2];
        for (int k = 0; k < 2; k++) { /* the second block: other width, escapes */
            make_block(x, n, k ? 13 - spread : spread, k ? 300 : 0, 1, 77u * spread + k);
            n1_fast_enc_init(enc, &map);
            prev[k] = enc->prev;
            CHECK(n1_fast_encode_block(enc, &map, NULL, x, n, buf[k], buf[k] + sizeof(buf[k]),
                                       &p[k]) == N1_OK);
            len[k] = (size_t)(buf[k] + sizeof(buf[k]) - p[k]);
        }
        mixed += ((p[0][0] >> 2) & 7) != ((p[1][0] >> 2) & 7); /* predictor orders differ */
        check_pair_blocks(&map, prev, p, len, n, d);
        for (int k = 0; k < 200; k++) {
            uint8_t *victim = p[k % 2];
            size_t at = rnd(s) % len[k % 2];
            uint8_t old = victim[at];
            victim[at] ^= (uint8_t)(1 + rnd(s) % 255);
            check_pair_blocks(&map, prev, p, len, n, d);
            victim[at] = old;
        }
    }
    CHECK(mixed > 0); /* a pair runs at the higher order, the other block's a_j zero */
}

int main(void)
{
    n1_fast_enc *enc = malloc(sizeof(n1_fast_enc));
    n1_fast_dec *d = malloc(2 * sizeof(n1_fast_dec)); /* two for the pairs */
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
    test_pairs(enc, d, x, &s);
    free(enc); free(d); free(x); free(code_of);
    return test_report("test_n1_fast_vector");
}
