/* test_public_header.c -- a C user's view: one include (n1codec.h, nothing else from
 * the library), the n1 codec one-shot and streaming through opaque heap states.
 * tests/test_c_core.py also compiles this file against an installed copy of the
 * library, where no internal header exists. */
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

static void test_status_messages_name_every_code(void)
{
    static const char *const expected[] = {
        "success", "the compressed stream is truncated", "the compressed stream is corrupt",
        "the output buffer is too small", "out of memory", "invalid argument",
        "the stream uses an unsupported feature", "a size exceeds the supported maximum"};
    const int codes[] = {N1_OK, N1_ERR_TRUNCATED, N1_ERR_CORRUPT, N1_ERR_OUTPUT_FULL,
                         N1_ERR_NOMEM, N1_ERR_INVALID_ARG, N1_ERR_UNSUPPORTED, N1_ERR_TOO_LARGE};
    /* the public enum carries the library's values: each maps to its own sentence */
    for (int i = 0; i < 8; i++) CHECK(strcmp(n1_status_message(codes[i]), expected[i]) == 0);
    /* a code added to common/status.h must be added to n1codec.h too: this fails first */
    CHECK(strcmp(n1_status_message(N1_ERR_TOO_LARGE - 1), "unknown error") == 0);
    CHECK(strcmp(n1_status_message(1), "unknown error") == 0);
}

static void test_n1_one_shot(const int16_t *x)
{
    static int16_t back[N];
    size_t cap = n1_codec_bound(N), len = 0;
    uint8_t *buf = malloc(cap);
    CHECK(buf != NULL);
    if (!buf) return;
    for (int level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        CHECK(n1_codec_encode(x, N, level, buf, cap, &len) == N1_OK);
        CHECK(len < N);  /* well under 8 bits per sample */
        CHECK(n1_codec_decode(buf, len, back, N) == N1_OK);
        CHECK(memcmp(back, x, sizeof back) == 0);
        CHECK(n1_codec_decode(buf, len / 2, back, N) != N1_OK);
    }
    CHECK(n1_codec_encode(x, N, N1_LEVEL_MAX + 1, buf, cap, &len) == N1_ERR_INVALID_ARG);
    free(buf);
}

/* Encode x in uneven calls, decode block by block; returns the stream length (0 on error). */
static size_t stream_round_trip(n1_encoder *e, n1_decoder *d, const int16_t *x, uint8_t *buf,
                                size_t cap)
{
    static int16_t back[N];
    size_t pos = 0, len = 0, done = 0;
    const size_t calls[] = {1, 999, 3000, 7, N};
    for (int c = 0; c < 5 && done < N; c++) {
        size_t n = calls[c] < N - done ? calls[c] : N - done;
        if (cap - pos < n1_encoder_block_bound(n)) return 0;
        if (n1_encoder_block(e, x + done, n, buf + pos, cap - pos, &len) != N1_OK) return 0;
        pos += len;
        done += n;
    }
    if (n1_encoder_finish(e, buf + pos, cap - pos, &len) != N1_OK) return 0;
    pos += len;
    size_t in = 0, got = 0, out = 0;
    while (out < N) {
        size_t used = 0;
        if (n1_decoder_block(d, buf + in, pos - in, &used, back + out, N - out, &got) != N1_OK)
            return 0;
        if (used == 0 && got == 0) return 0;
        in += used;
        out += got;
    }
    if (in != pos || memcmp(back, x, sizeof back) != 0) return 0;
    return pos;
}

static void test_n1_streaming_with_opaque_states(const int16_t *x)
{
    size_t cap = 2 * n1_codec_bound(N);
    uint8_t *buf = malloc(cap);
    n1_encoder *e = NULL;
    n1_decoder *d = NULL;
    CHECK(buf != NULL);
    CHECK(n1_encoder_create(&e, N1_LEVEL_DEFAULT) == N1_OK && e != NULL);
    CHECK(n1_decoder_create(&d) == N1_OK && d != NULL);
    if (buf && e && d) {
        size_t len = stream_round_trip(e, d, x, buf, cap);
        CHECK(len > 0 && len < N);
        /* the same states, re-initialised, give the same stream */
        CHECK(n1_encoder_init(e, N1_LEVEL_DEFAULT) == N1_OK && n1_decoder_init(d) == N1_OK);
        CHECK(stream_round_trip(e, d, x, buf, cap) == len);
    }
    n1_encoder_free(e);
    n1_decoder_free(d);
    free(buf);

    n1_encoder *bad = (n1_encoder *)&cap;
    CHECK(n1_encoder_create(&bad, 7) == N1_ERR_INVALID_ARG && bad == NULL);
    CHECK(n1_encoder_create(NULL, N1_LEVEL_FAST) == N1_ERR_INVALID_ARG);
    CHECK(n1_decoder_create(NULL) == N1_ERR_INVALID_ARG);
    n1_encoder_free(NULL);
    n1_decoder_free(NULL);
}

/* A second chunk of a channel follows the first chunk's choice: same model, decodes. */
static void test_n1_follow_an_earlier_stream(const int16_t *x)
{
    static int16_t back[N / 2];
    size_t cap = n1_codec_bound(N), first = 0, a = 0, b = 0;
    uint8_t *head = malloc(cap), *buf = malloc(cap);
    n1_encoder *e = NULL;
    CHECK(head && buf && n1_encoder_create(&e, N1_LEVEL_DEFAULT) == N1_OK);
    if (head && buf && e) {
        CHECK(n1_codec_encode(x, N / 2, N1_LEVEL_DEFAULT, head, cap, &first) == N1_OK);
        CHECK(n1_encoder_follow(e, head, first < 4 ? first : 4) == N1_OK);
        CHECK(n1_encoder_block(e, x + N / 2, N / 2, buf, cap, &a) == N1_OK);
        CHECK(n1_encoder_finish(e, buf + a, cap - a, &b) == N1_OK);
        CHECK(buf[0] == head[0]);  /* the same format and level */
        CHECK(n1_codec_decode(buf, a + b, back, N / 2) == N1_OK);
        CHECK(memcmp(back, x + N / 2, sizeof back) == 0);
        /* too late once started; the fast level tries nothing to skip */
        CHECK(n1_encoder_follow(e, head, 4) == N1_ERR_INVALID_ARG);
        CHECK(n1_encoder_init(e, N1_LEVEL_FAST) == N1_OK);
        CHECK(n1_encoder_follow(e, head, 4) == N1_ERR_INVALID_ARG);
    }
    n1_encoder_free(e);
    free(head);
    free(buf);
}

int main(void)
{
    static int16_t x[N];
    make_signal(x);
    CHECK(n1_crc32(0, "123456789", 9) == 0xCBF43926u);
    test_status_messages_name_every_code();
    test_n1_one_shot(x);
    test_n1_streaming_with_opaque_states(x);
    test_n1_follow_an_earlier_stream(x);
    return test_report("test_public_header");
}
