/* test_public_static.c -- the opt-in static-allocation API of n1codec.h: states in the
 * caller's memory, sizes asked at run time, bad workspaces refused with NULL.
 * tests/test_c_core.py also compiles this file against an installed copy. */
#include <stdlib.h>
#include <string.h>
#include "n1codec.h"  /* first without the opt-in, as a file that includes it early would */
#define N1CODEC_STATIC_LINKING_ONLY
#include "n1codec.h"  /* the second include adds the static section */
#include "test_util.h"

enum { N = 30000 };

static void make_walk(int16_t *x)
{
    uint32_t s = 777;
    int32_t v = 0;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        v += (int32_t)((s >> 20) % 41) - 20;
        if (v > 20000) v = 20000;
        if (v < -20000) v = -20000;
        x[i] = (int16_t)v;
    }
}

static void test_sizes_and_refusals(void)
{
    size_t esize = n1_encoder_state_size(), dsize = n1_decoder_state_size();
    CHECK(esize > 1000 && dsize > 1000);
    unsigned char *mem = malloc(esize + 16);
    CHECK(mem != NULL);
    if (!mem) return;
    CHECK(n1_encoder_init_static(NULL, esize, N1_LEVEL_DEFAULT) == NULL);
    CHECK(n1_encoder_init_static(mem, esize - 1, N1_LEVEL_DEFAULT) == NULL);
    CHECK(n1_encoder_init_static(mem + 1, esize, N1_LEVEL_DEFAULT) == NULL);  /* misaligned */
    CHECK(n1_encoder_init_static(mem, esize, 9) == NULL);
    CHECK(n1_decoder_init_static(mem, dsize - 1) == NULL);
    CHECK(n1_decoder_init_static(mem + 1, dsize) == NULL);
    CHECK(n1_encoder_init_static(mem, esize + 16, N1_LEVEL_FAST) == (n1_encoder *)(void *)mem);
    free(mem);
}

static void test_static_states_round_trip_like_one_shot(const int16_t *x)
{
    static int16_t back[N];
    void *emem = malloc(n1_encoder_state_size()), *dmem = malloc(n1_decoder_state_size());
    size_t cap = n1_codec_bound(N);
    uint8_t *buf = malloc(cap), *ref = malloc(cap);
    CHECK(emem && dmem && buf && ref);
    if (!emem || !dmem || !buf || !ref) goto done;
    for (int level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        n1_encoder *e = n1_encoder_init_static(emem, n1_encoder_state_size(), level);
        n1_decoder *d = n1_decoder_init_static(dmem, n1_decoder_state_size());
        CHECK(e != NULL && d != NULL);
        if (!e || !d) continue;
        size_t len = 0, tail = 0, ref_len = 0;
        CHECK(n1_encoder_block(e, x, N, buf, cap, &len) == N1_OK);
        CHECK(n1_encoder_finish(e, buf + len, cap - len, &tail) == N1_OK);
        len += tail;
        /* a static state writes the one-shot stream */
        CHECK(n1_codec_encode(x, N, level, ref, cap, &ref_len) == N1_OK);
        CHECK(len == ref_len && memcmp(buf, ref, len) == 0);
        size_t in = 0, out = 0;
        while (out < N) {
            size_t used = 0, got = 0;
            int st = n1_decoder_block(d, buf + in, len - in, &used, back + out, N - out, &got);
            CHECK(st == N1_OK);
            if (st != N1_OK || (used == 0 && got == 0)) break;
            in += used;
            out += got;
        }
        CHECK(in == len && out == N && memcmp(back, x, sizeof back) == 0);
    }
done:
    free(emem);
    free(dmem);
    free(buf);
    free(ref);
}

int main(void)
{
    static int16_t x[N];
    make_walk(x);
    test_sizes_and_refusals();
    test_static_states_round_trip_like_one_shot(x);
    return test_report("test_public_static");
}
