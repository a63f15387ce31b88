/* fuzz_roundtrip_n1.c -- differential target of the n1 codec (public header n1codec.h):
 * the input's words are int16 samples, coded at a fuzzer-chosen level one-shot and
 * through the streaming encoder in fuzzer-chosen call sizes; both streams must stay
 * within the documented size bound and decode (one-shot) to the samples.
 * Input: level (1 byte, mod 3), split seed (1 byte), then the samples as 16-bit LE words. */
#include "fuzz.h"
#include "n1codec.h"

#define N1_RT_MAX_COUNT (N1_BLOCK_MAX + 8192) /* spans a block border; model levels are ~1 us/sample */

static void check_decodes(const uint8_t *stream, size_t len, const int16_t *x, size_t n,
                          const char *what)
{
    uint8_t *exact = (uint8_t *)malloc(len ? len : 1);
    int16_t *y = (int16_t *)malloc(2 * n + 2);
    if (exact && y) {
        if (len) memcpy(exact, stream, len);
        int st = n1_codec_decode(exact, len, y, n);
        if (st != N1_ERR_NOMEM) {
            if (st != N1_OK) FUZZ_FAIL("%s: decoding its own stream gave %d", what, st);
            fuzz_check_equal(y, x, 2 * n, what);
        }
    }
    free(y);
    free(exact);
}

/* The documented worst case: 2 * count + 2 + 4 * ceil(count / N1_BLOCK_MAX). */
static size_t documented_max(size_t n)
{
    return 2 * n + 2 + 4 * ((n + N1_BLOCK_MAX - 1) / N1_BLOCK_MAX);
}

static void one_shot(const int16_t *x, size_t n, int level)
{
    size_t cap = n1_codec_bound(n), len = 0;
    uint8_t *stream = (uint8_t *)malloc(cap);
    if (!stream) return;
    int st = n1_codec_encode(x, n, level, stream, cap, &len);
    fuzz_check_encode_status(st, "n1 encode");
    if (st == N1_OK) {
        FUZZ_CHECK(len <= documented_max(n));
        check_decodes(stream, len, x, n, "n1 one-shot");
    }
    free(stream);
}

static void streaming(const int16_t *x, size_t n, int level, uint32_t split)
{
    size_t cap = n1_codec_bound(n) + n1_encoder_block_bound(0) * 64, len = 0;
    uint8_t *stream = (uint8_t *)malloc(cap);
    n1_encoder *e = NULL;
    if (stream && n1_encoder_create(&e, level) == N1_OK) {
        uint32_t r = split * 2654435761u + 1u;
        size_t i = 0;
        int st = N1_OK;
        while (i < n && st == N1_OK) {
            r = r * 1103515245u + 12345u;
            size_t part = (r >> 8) % 9000u, got = 0;
            if (part > n - i) part = n - i;
            if (n1_encoder_block_bound(part) > cap - len) break;
            st = n1_encoder_block(e, x + i, part, stream + len, cap - len, &got);
            len += got;
            i += part;
        }
        if (st == N1_OK && i == n) {
            size_t got = 0;
            st = n1_encoder_finish(e, stream + len, cap - len, &got);
            len += got;
            fuzz_check_encode_status(st, "n1 streaming encode");
            if (st == N1_OK) check_decodes(stream, len, x, n, "n1 streaming");
        }
    }
    n1_encoder_free(e);
    free(stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    int level = (int)(fuzz_take_u8(&in) % 3u);
    uint32_t split = fuzz_take_u8(&in);
    size_t n = 0;
    uint16_t *w = fuzz_take_words(&in, N1_RT_MAX_COUNT, &n);
    if (w) {
        one_shot((const int16_t *)w, n, level);
        streaming((const int16_t *)w, n, level, split);
    }
    free(w);
    return 0;
}
