/* test_n1_codec.c -- round trips, bounds and hostile input for the n1 codec (csrc/n1). */
#include <stdlib.h>
#include <string.h>
#include "n1/n1.h"
#include "test_util.h"

static uint32_t rnd(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return (uint32_t)(*s >> 16);
}

static int16_t adc10(int32_t c) /* the N1 stretch of a 10-bit code */
{
    if (c < 0) c = 0;
    if (c > 1023) c = 1023;
    return (int16_t)(((int64_t)c * 65535 - 32768 * 1023) / 1023);
}

enum { S_ADC, S_ADC_ESC, S_NOISE, S_CONST, S_EXTREMES, S_SINE, S_SHIFT8, S_COUNT };

static void make(int kind, int16_t *x, size_t n, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    int32_t c = 500;
    for (size_t i = 0; i < n; i++) {
        switch (kind) {
        case S_ADC:      /* random walk on 10-bit codes with a slow drift */
        case S_ADC_ESC:
            c += (int32_t)(rnd(&s) % 15u) - 7 + ((i / 1000) % 2 ? 1 : -1) * (int32_t)(rnd(&s) % 2u);
            if (c < 100) c = 100;
            if (c > 900) c = 900;
            x[i] = adc10(c);
            if (kind == S_ADC_ESC && rnd(&s) % 97u == 0) x[i] = (int16_t)(x[i] + 1); /* off grid */
            break;
        case S_NOISE: x[i] = (int16_t)(uint16_t)rnd(&s); break;
        case S_CONST: x[i] = -1234; break;
        case S_EXTREMES: x[i] = (rnd(&s) & 1) ? 32767 : -32768; break;
        case S_SINE: x[i] = (int16_t)((int32_t)(rnd(&s) % 64u) + (int32_t)((i * 37) % 2000) - 1000); break;
        case S_SHIFT8: x[i] = (int16_t)((int32_t)((rnd(&s) % 7u) + 120 + (i % 9)) * 256 - 32768); break;
        }
    }
}

static int roundtrip(const int16_t *x, size_t n, int level, size_t *enc_len)
{
    size_t cap = n1_codec_bound(n), len = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    int16_t *y = (int16_t *)malloc((n ? n : 1) * sizeof(int16_t));
    int ok = buf && y;
    if (ok) ok = n1_codec_encode(x, n, level, buf, cap, &len) == N1_OK;
    if (ok) ok = len <= cap;
    if (ok) ok = n1_codec_decode(buf, len, y, n) == N1_OK;
    if (ok && n) ok = memcmp(x, y, n * sizeof(int16_t)) == 0;
    if (enc_len) *enc_len = len;
    free(buf);
    free(y);
    return ok;
}

static void test_signals(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 17, 1000, 70000, 140000};
    for (int kind = 0; kind < S_COUNT; kind++)
        for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
            for (int level = 0; level <= 2; level++) {
                size_t n = sizes[si], len = 0;
                int16_t *x = (int16_t *)malloc((n ? n : 1) * sizeof(int16_t));
                make(kind, x, n, 7 + kind);
                int ok = roundtrip(x, n, level, &len);
                CHECK(ok);
                if (!ok) fprintf(stderr, "  kind %d n %zu level %d\n", kind, n, level);
                /* never more than a few bytes over the raw samples */
                CHECK(len <= 2 * n + 2 + 4 * ((n + N1_BLOCK_MAX - 1) / N1_BLOCK_MAX));
                if (kind == S_ADC && n >= 70000) CHECK(len < n); /* < 8 bits a sample */
                if (kind == S_CONST && n >= 70000) CHECK(len < n / 32); /* ~0.16 bit a sample */
                free(x);
            }
}

static void test_streaming(int level, int kind)
{
    const size_t n = 150000;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    make(kind, x, n, 3);
    n1_encoder *e = (n1_encoder *)malloc(sizeof(*e));
    n1_decoder *d = (n1_decoder *)malloc(sizeof(*d));
    size_t cap = n1_codec_bound(n) + 64, len = 0, part = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    CHECK(n1_encoder_init(e, level) == N1_OK);
    static const size_t chunks[] = {1, 999, 4096, 65536, 70000};
    size_t pos = 0;
    for (int i = 0; pos < n; i++) {
        size_t c = chunks[i % 5];
        if (c > n - pos) c = n - pos;
        CHECK(cap - len >= n1_encoder_block_bound(c));
        CHECK(n1_encoder_block(e, x + pos, c, buf + len, cap - len, &part) == N1_OK);
        len += part;
        pos += c;
    }
    CHECK(cap - len >= n1_encoder_block_bound(0));
    CHECK(n1_encoder_finish(e, buf + len, cap - len, &part) == N1_OK);
    len += part;
    /* small first calls are held back until the ADC grid is recognised, so the
     * stream codes about as well as the one-shot encoder */
    {
        size_t one = 0;
        uint8_t *ob = (uint8_t *)malloc(n1_codec_bound(n));
        CHECK(n1_codec_encode(x, n, level, ob, n1_codec_bound(n), &one) == N1_OK);
        printf("streamed level %d kind %d: %zu bytes, one-shot %zu\n", level, kind, len, one);
        CHECK(len <= one + one / 100 + 64);
        free(ob);
    }
    /* block by block */
    CHECK(n1_decoder_init(d) == N1_OK);
    size_t in = 0, got = 0;
    while (got < n) {
        size_t used = 0, produced = 0;
        int st = n1_decoder_block(d, buf + in, len - in, &used, y + got, n - got, &produced);
        CHECK(st == N1_OK);
        if (st != N1_OK || used == 0) break;
        in += used;
        got += produced;
    }
    CHECK(got == n && in == len);
    CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
    /* the one-shot decoder reads a streamed file too */
    memset(y, 0, n * sizeof(int16_t));
    CHECK(n1_codec_decode(buf, len, y, n) == N1_OK);
    CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
    free(x); free(y); free(e); free(d); free(buf);
}

static void test_errors(int level, int kind)
{
    const size_t n = 20000;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    make(kind, x, n, 11);
    size_t cap = n1_codec_bound(n), len = 0;
    uint8_t *buf = (uint8_t *)malloc(cap), *bad = (uint8_t *)malloc(cap);
    CHECK(n1_codec_encode(x, n, level, buf, cap, &len) == N1_OK);
    /* bad arguments */
    size_t l2 = 0;
    CHECK(n1_codec_encode(x, n, 3, bad, cap, &l2) == N1_ERR_INVALID_ARG);
    CHECK(n1_codec_encode(x, n, -1, bad, cap, &l2) == N1_ERR_INVALID_ARG);
    CHECK(n1_codec_encode(x, n, N1_LEVEL_DEFAULT, bad, 10, &l2) == N1_ERR_OUTPUT_FULL);
    /* every truncation is an error */
    for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : 97)) {
        int st = n1_codec_decode(buf, cut, y, n);
        CHECK(st == N1_ERR_TRUNCATED || st == N1_ERR_CORRUPT);
    }
    /* trailing bytes, wrong counts */
    memcpy(bad, buf, len);
    bad[len] = 0;
    CHECK(n1_codec_decode(bad, len + 1, y, n) != N1_OK);
    CHECK(n1_codec_decode(buf, len, y, n - 1) != N1_OK);
    CHECK(n1_codec_decode(buf, len, y, n / 2) != N1_OK);
    /* future version, unknown mapping */
    memcpy(bad, buf, len);
    bad[0] = (uint8_t)((N1_FORMAT_VERSION + 1) << 4 | 1);
    CHECK(n1_codec_decode(bad, len, y, n) == N1_ERR_UNSUPPORTED);
    memcpy(bad, buf, len);
    bad[0] = (uint8_t)(N1_FORMAT_VERSION << 4 | (level == N1_LEVEL_FAST ? 1 : N1_STREAM_TABLE));
    CHECK(n1_codec_decode(bad, len, y, n) != N1_OK); /* read with the other coder */
    memcpy(bad, buf, len);
    bad[1] = 0x7a;
    CHECK(n1_codec_decode(bad, len, y, n) == N1_ERR_CORRUPT);
    memcpy(bad, buf, len);
    bad[0] = (uint8_t)(N1_FORMAT_VERSION << 4 | 9); /* unknown level */
    CHECK(n1_codec_decode(bad, len, y, n) == N1_ERR_CORRUPT);
    /* random corruption never crashes; almost always detected */
    uint64_t s = 99;
    int detected = 0, trials = 300;
    for (int t = 0; t < trials; t++) {
        memcpy(bad, buf, len);
        int flips = 1 + (int)(rnd(&s) % 4u);
        for (int f = 0; f < flips; f++) bad[rnd(&s) % len] ^= (uint8_t)(1u << (rnd(&s) % 8u));
        int st = n1_codec_decode(bad, len, y, n);
        if (st != N1_OK || memcmp(x, y, n * sizeof(int16_t)) != 0) detected++;
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED ||
              st == N1_ERR_UNSUPPORTED);
    }
    CHECK(detected == trials);
    /* random garbage */
    for (int t = 0; t < 200; t++) {
        size_t gl = rnd(&s) % 300u;
        for (size_t i = 0; i < gl; i++) bad[i] = (uint8_t)rnd(&s);
        bad[0] = (uint8_t)(N1_FORMAT_VERSION << 4 | (rnd(&s) % 4u));
        int st = n1_codec_decode(bad, gl, y, n);
        CHECK(st != N1_OK);
    }
    /* streaming API misuse */
    n1_encoder *e = (n1_encoder *)malloc(sizeof(*e));
    CHECK(n1_encoder_init(e, 7) == N1_ERR_INVALID_ARG);
    CHECK(n1_encoder_init(NULL, 1) == N1_ERR_INVALID_ARG);
    n1_decoder d;
    size_t used, produced;
    CHECK(n1_decoder_init(&d) == N1_OK);
    CHECK(n1_decoder_block(&d, buf, len, &used, y, 10, &produced) == N1_ERR_OUTPUT_FULL);
    free(e); free(x); free(y); free(buf); free(bad);
}

/* Streams of the first, model-based fast level (stream level field 0) still decode,
 * and the table-driven fast level is smaller than raw on ADC data and on escapes. */
static void test_fast_levels(void)
{
    const size_t n = 100000;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    size_t cap = n1_codec_bound(n), a = 0, b = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    n1_encoder *e = (n1_encoder *)malloc(sizeof(*e));
    n1_params p;
    for (int kind = S_ADC; kind <= S_ADC_ESC; kind++) {
        make(kind, x, n, 21);
        CHECK(n1_level_params(N1_LEVEL_FAST, &p) == N1_OK);
        CHECK(n1_encoder_init_params(e, N1_LEVEL_FAST, &p) == N1_OK);
        CHECK(n1_encoder_block(e, x, n, buf, cap, &a) == N1_OK);
        CHECK(n1_encoder_finish(e, buf + a, cap - a, &b) == N1_OK);
        CHECK((buf[0] & 15) == N1_LEVEL_FAST);
        CHECK(n1_codec_decode(buf, a + b, y, n) == N1_OK);
        CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
        size_t len = 0;
        CHECK(n1_codec_encode(x, n, N1_LEVEL_FAST, buf, cap, &len) == N1_OK);
        CHECK((buf[0] & 15) == N1_STREAM_TABLE);
        /* off-grid samples make the stream fall back to identity codes (shifted
         * residuals): still no larger than the model-based fast level */
        if (kind == S_ADC) CHECK(len < n);
        CHECK(len <= a + b);
        if (kind == S_ADC) {
            /* even ADC steps: the encoder keeps the single table (flags bit 0
             * clear in the first block, after the header and two varints) */
            size_t q = 2;
            for (int v = 0; v < 2; v++) {
                while (q < len && (buf[q] & 0x80)) q++;
                q++;
            }
            CHECK(q < len && (buf[q] & 1) == 0);
        }
        CHECK(n1_codec_decode(buf, len, y, n) == N1_OK);
        CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
    }
    free(x); free(y); free(buf); free(e);
}

/* The fast level on the identity grid (its values from a shared constant table):
 * every int16 value, in a ramp and shuffled, comes back. */
static void test_fast_identity_every_value(void)
{
    const size_t n = 2 * 65536;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    size_t cap = n1_codec_bound(n), len = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    uint32_t r = 7;
    for (size_t i = 0; i < 65536; i++) x[i] = (int16_t)(i - 32768);
    for (size_t i = 0; i < 65536; i++) {
        r = r * 1664525u + 1013904223u;
        x[65536 + i] = (int16_t)(r >> 16);
    }
    CHECK(n1_codec_encode(x, n, N1_LEVEL_FAST, buf, cap, &len) == N1_OK);
    CHECK((buf[0] & 15) == N1_STREAM_TABLE && buf[1] == (N1_ADC_IDENTITY << 4));
    CHECK(n1_codec_decode(buf, len, y, n) == N1_OK);
    CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
    free(x); free(y); free(buf);
}

/* Random block payloads behind valid framing at the table level: never a crash or
 * an out-of-bounds access (run under ASan/UBSan), never more samples than asked. */
/* Random version-2 table blocks: a plausible head (flags, shift, coefficients,
 * segment starts, one or two tables of sum 4096) half of the time, then random
 * bytes. Every one decodes or fails with a status, never crashes or reads past. */
static void test_fast_v2_random_payloads(void)
{
    enum { NS = 3000 };
    static uint8_t buf[8192];
    static int16_t y[NS];
    uint64_t s = 4343;
    for (int t = 0; t < 3000; t++) {
        size_t len = 0;
        buf[len++] = (uint8_t)(N1_TABLE_VERSION << 4 | N1_STREAM_TABLE);
        buf[len++] = (uint8_t)(t % 3 == 0 ? 0x00 : 0x1a); /* identity or 10-bit stretch */
        size_t nb = 30 + rnd(&s) % 2000u;
        buf[len++] = (uint8_t)((NS << 1 | 1) & 0x7f) | 0x80;
        buf[len++] = (uint8_t)((NS << 1 | 1) >> 7);
        buf[len++] = (uint8_t)(nb | 0x80);
        buf[len++] = (uint8_t)(nb >> 7);
        size_t body = len;
        for (size_t i = 0; i < nb; i++) buf[len++] = (uint8_t)rnd(&s);
        if (t & 1) {
            size_t q = body;
            int rail = (int)(rnd(&s) & 1), order = (int)(rnd(&s) % 5u);
            int sh = (rnd(&s) & 1) ? 0 : (int)(rnd(&s) % 12u);
            int phases = sh ? 0 : (int)(rnd(&s) & 1);
            buf[q++] = (uint8_t)(phases | rail << 1 | order << 2);
            buf[q++] = (uint8_t)sh;
            for (int j = 0; j < order; j++) buf[q++] = (uint8_t)(rnd(&s) & 0x7f); /* small coefficient */
            for (int l = 0; l < 3; l++) buf[q++] = (uint8_t)(rnd(&s) & 0x7f);   /* start code < 128 */
            for (int k = 0; k <= rail; k++) {
                buf[q++] = 60;
                buf[q++] = 61;
                buf[q++] = 0x80; /* 2048 as a varint, twice */
                buf[q++] = 0x10;
                buf[q++] = 0x80;
                buf[q++] = 0x10;
            }
        }
        int st = n1_codec_decode(buf, len, y, NS);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    }
}

static void test_fast_random_payloads(void)
{
    enum { NS = 3000 };
    static uint8_t buf[8192];
    static int16_t y[NS];
    uint64_t s = 4242;
    for (int t = 0; t < 3000; t++) {
        size_t len = 0;
        buf[len++] = (uint8_t)(N1_TABLE_VERSION << 4 | N1_STREAM_TABLE);
        buf[len++] = (uint8_t)(t % 3 == 0 ? 0x00 : 0x1a); /* identity or 10-bit stretch */
        size_t nb = 19 + rnd(&s) % 2000u;
        buf[len++] = (uint8_t)((NS << 1 | 1) & 0x7f) | 0x80;
        buf[len++] = (uint8_t)((NS << 1 | 1) >> 7);
        buf[len++] = (uint8_t)(nb | 0x80);
        buf[len++] = (uint8_t)(nb >> 7);
        size_t body = len;
        for (size_t i = 0; i < nb; i++) buf[len++] = (uint8_t)rnd(&s);
        /* a plausible table half of the time: flags, lo, hi and a sum of 4096 */
        if (t & 1) {
            buf[body] = (uint8_t)((rnd(&s) & 1) ? (rnd(&s) & 1) : (rnd(&s) % 11u) << 1); /* phases or a shift */
            buf[body + 1] = 60;
            buf[body + 2] = 61;
            buf[body + 3] = 0x80;           /* 2048 as a varint */
            buf[body + 4] = 0x10;
            buf[body + 5] = 0x80;
            buf[body + 6] = 0x10;
        }
        int st = n1_codec_decode(buf, len, y, NS);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
    }
}

static void test_adc_detect(void)
{
    int16_t x[3000];
    n1_adc_map m;
    make(S_ADC, x, 3000, 5);
    n1_adc_detect(x, 3000, &m);
    CHECK(m.kind == N1_ADC_STRETCH && m.bits == 10);
    make(S_SHIFT8, x, 3000, 5);
    n1_adc_detect(x, 3000, &m);
    CHECK(m.kind == N1_ADC_SHIFT && m.bits == 8);
    make(S_NOISE, x, 3000, 5);
    n1_adc_detect(x, 3000, &m);
    CHECK(m.kind == N1_ADC_IDENTITY && m.ncodes == 65536);
    n1_adc_detect(x, 0, &m);
    CHECK(m.kind == N1_ADC_IDENTITY);
    /* value/code round trip on every code of the 10-bit stretch */
    n1_adc_set(&m, N1_ADC_STRETCH, 10);
    int ok = 1;
    for (int32_t c = 0; c < 1024; c++) ok &= n1_adc_to_code(&m, n1_adc_value(&m, c)) == c;
    CHECK(ok);
    CHECK(n1_adc_value(&m, 0) == -32768 && n1_adc_value(&m, 1023) == 32767);
}

int main(void)
{
    test_fast_identity_every_value();
    test_adc_detect();
    test_signals();
    test_streaming(N1_LEVEL_DEFAULT, S_ADC_ESC);
    test_streaming(N1_LEVEL_FAST, S_ADC_ESC);
    test_streaming(N1_LEVEL_FAST, S_ADC);
    test_fast_levels();
    test_errors(N1_LEVEL_DEFAULT, S_ADC);
    test_errors(N1_LEVEL_FAST, S_ADC);
    test_errors(N1_LEVEL_FAST, S_ADC_ESC);
    test_fast_random_payloads();
    test_fast_v2_random_payloads();
    return test_report("test_n1_codec");
}
