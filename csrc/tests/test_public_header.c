/* test_public_header.c -- a C user's view: one include, a few codecs end to end. */
#include <stdlib.h>
#include <string.h>
#include "n1codec.h"
#include "test_util.h"

enum { N = 20000 };

static void make_signal(int16_t *x)
{
    uint32_t s = 12345;
    int32_t level = 0;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        level += (int32_t)((s >> 16) % 9) - 4;
        if (level > 500) level = 500;
        if (level < -500) level = -500;
        /* 10-bit codes stretched onto int16 as the N1 files hold them (C division truncates) */
        x[i] = (int16_t)(((int64_t)(level + 512) * 65535 - 32768 * 1023) / 1023);
    }
}

static void test_delta_then_huffman(const int16_t *x)
{
    static uint16_t res[N], back[N];
    static n1_huffman_encoder_work enc;
    static n1_huffman_decoder_work dec;
    size_t cap = n1_huffman_bound(N), len = 0;
    uint8_t *buf = malloc(cap);
    CHECK(n1_delta_encode((const uint16_t *)x, res, N, 1) == N1_OK);
    CHECK(n1_huffman_encode(res, N, &enc, buf, cap, &len) == N1_OK);
    CHECK(n1_huffman_decode(buf, len, &dec, back, N) == N1_OK);
    CHECK(n1_delta_decode(back, back, N, 1) == N1_OK);
    CHECK(memcmp(back, x, sizeof back) == 0);
    free(buf);
}

static void test_n1_one_shot(const int16_t *x)
{
    static int16_t back[N];
    size_t cap = n1_codec_bound(N), len = 0;
    uint8_t *buf = malloc(cap);
    for (int level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        CHECK(n1_codec_encode(x, N, level, buf, cap, &len) == N1_OK);
        CHECK(len < N);  /* well under 8 bits per sample */
        CHECK(n1_codec_decode(buf, len, back, N) == N1_OK);
        CHECK(memcmp(back, x, sizeof back) == 0);
        CHECK(n1_codec_decode(buf, len / 2, back, N) != N1_OK);
    }
    free(buf);
}

int main(void)
{
    static int16_t x[N];
    make_signal(x);
    CHECK(n1_crc32(0, "123456789", 9) == 0xCBF43926u);
    test_delta_then_huffman(x);
    test_n1_one_shot(x);
    CHECK(strcmp(n1_status_message(N1_ERR_CORRUPT), "the compressed stream is corrupt") == 0);
    return test_report("test_public_header");
}
