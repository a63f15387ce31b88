/* test_realtime.c -- the real-time framed mode (csrc/realtime/rt.h): round trips
 * on N1-like and adversarial frames, packet loss and corruption, bounds, sizes. */
#include <stdlib.h>
#include <string.h>
#include "common/crc32.h"
#include "common/status.h"
#include "realtime/rt.h"
#include "signals.h"
#include "test_util.h"

typedef struct rt_pair {
    n1c_rt_config cfg;
    n1c_rt_tables *t;
    n1c_rt_encoder *e;
    n1c_rt_decoder *d;
    uint8_t *packet;
    size_t bound, values;
    int16_t *frame, *out;
} rt_pair;

static int pair_open(rt_pair *p, const n1c_rt_config *c)
{
    memset(p, 0, sizeof *p);
    p->cfg = *c;
    p->t = malloc(n1c_rt_tables_size());
    p->e = malloc(n1c_rt_encoder_size(c));
    p->d = malloc(n1c_rt_decoder_size(c));
    p->bound = n1c_rt_packet_bound(c);
    p->values = (size_t)c->channels * c->frame_samples;
    p->packet = malloc(p->bound);
    p->frame = malloc(2 * p->values);
    p->out = malloc(2 * p->values);
    if (!p->t || !p->e || !p->d || !p->packet || !p->frame || !p->out) return N1_ERR_NOMEM;
    int st = n1c_rt_tables_init(p->t, c->adc_kind, c->adc_bits);
    if (st == N1_OK) st = n1c_rt_encoder_init(p->e, n1c_rt_encoder_size(c), c, p->t);
    if (st == N1_OK) st = n1c_rt_decoder_init(p->d, n1c_rt_decoder_size(c), c, p->t);
    return st;
}

static void pair_close(rt_pair *p)
{
    free(p->t); free(p->e); free(p->d); free(p->packet); free(p->frame); free(p->out);
}

/* N1-like frame: per channel a bounded random walk on the 10-bit stretch grid,
 * kept in `codes` between frames. kind: 0 walk, 1 constant, 2 full-scale
 * noise (any int16), 3 alternating extremes. */
static void fill_frame(rt_pair *p, int32_t *codes, test_rng *r, int kind)
{
    uint32_t C = p->cfg.channels;
    for (uint32_t t = 0; t < p->cfg.frame_samples; t++)
        for (uint32_t ch = 0; ch < C; ch++) {
            int16_t v;
            if (kind == 0) {
                int32_t c = codes[ch] + (int32_t)(rng_next(r) % 11u) - 5;
                c = c < 0 ? 0 : c > 1023 ? 1023 : c;
                codes[ch] = c;
                v = (int16_t)((c * 65535 - 32768 * 1023) / 1023);
            } else if (kind == 1) {
                v = -1234;
            } else if (kind == 2) {
                v = (int16_t)(uint16_t)rng_next(r);
            } else {
                v = ((t + ch) & 1) ? 32767 : -32768;
            }
            p->frame[(size_t)t * C + ch] = v;
        }
}

static int encode(rt_pair *p, size_t *len)
{
    return n1c_rt_encode_frame(p->e, p->frame, p->packet, p->bound, len);
}

static void test_roundtrip(uint32_t channels, uint32_t frame, uint32_t predictor, int kind_adc,
                           int bits, int signal)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, channels, frame);
    c.predictor = predictor;
    c.resync_interval = 7;
    c.adc_kind = kind_adc;
    c.adc_bits = bits;
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64];
    for (int i = 0; i < 64; i++) codes[i] = 500 + 3 * i;
    test_rng r = {12345u + channels * 7u + frame};
    for (int f = 0; f < 30; f++) {
        fill_frame(&p, codes, &r, signal);
        size_t len = 0;
        CHECK(encode(&p, &len) == N1_OK);
        CHECK(len <= p.bound);
        size_t plen = 0;
        CHECK(n1c_rt_packet_length(p.packet, len, &plen) == N1_OK && plen == len);
        n1c_rt_packet_info info;
        CHECK(n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info) == N1_OK);
        CHECK(info.result == N1C_RT_FRAME_DECODED && info.frame == (uint32_t)f);
        CHECK(info.resync == (f % 7 == 0));
        CHECK(memcmp(p.frame, p.out, 2 * p.values) == 0);
    }
    pair_close(&p);
}

/* Drop frame `lost`: the frames up to the next resync point are reported
 * skipped, then every frame decodes exactly again. */
static void test_loss(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 16, 20);
    c.resync_interval = 5;
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64] = {0};
    for (int i = 0; i < 16; i++) codes[i] = 400 + i;
    test_rng r = {99};
    int decoded = 0, skipped = 0;
    for (int f = 0; f < 23; f++) {
        fill_frame(&p, codes, &r, 0);
        size_t len;
        CHECK(encode(&p, &len) == N1_OK);
        if (f == 6 || f == 16) continue; /* lost on the radio */
        n1c_rt_packet_info info;
        CHECK(n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info) == N1_OK);
        if (f == 7 || f == 17) CHECK(info.missing == 1);
        int expect_skip = (f > 6 && f < 10) || (f > 16 && f < 20);
        CHECK(info.result == (expect_skip ? N1C_RT_FRAME_SKIPPED : N1C_RT_FRAME_DECODED));
        if (info.result == N1C_RT_FRAME_DECODED) {
            CHECK(memcmp(p.frame, p.out, 2 * p.values) == 0);
            decoded++;
        } else {
            skipped++;
        }
    }
    CHECK(decoded == 15 && skipped == 6);
    pair_close(&p);
}

/* Flip one bit anywhere in a packet: the decoder reports an error, never
 * wrong samples, and recovers at the next resync point. */
static void test_bit_flips(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 8, 20);
    c.resync_interval = 4;
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64] = {0};
    for (int i = 0; i < 8; i++) codes[i] = 300 + 20 * i;
    test_rng r = {7};
    int errors = 0;
    for (int f = 0; f < 200; f++) {
        fill_frame(&p, codes, &r, 0);
        size_t len;
        CHECK(encode(&p, &len) == N1_OK);
        int flip = f % 3 == 1;
        if (flip) {
            size_t bit = rng_next(&r) % (len * 8);
            p.packet[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        n1c_rt_packet_info info;
        memset(p.out, 0, 2 * p.values);
        int st = n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info);
        if (flip) {
            CHECK(st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
            errors += st != N1_OK;
        } else if (st == N1_OK && info.result == N1C_RT_FRAME_DECODED) {
            CHECK(memcmp(p.frame, p.out, 2 * p.values) == 0);
        }
        if (!flip && f % 4 == 0) CHECK(st == N1_OK && info.result == N1C_RT_FRAME_DECODED);
    }
    CHECK(errors > 60);
    pair_close(&p);
}

static void test_truncation_and_mismatch(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 4, 20);
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64] = {500, 501, 502, 503};
    test_rng r = {3};
    fill_frame(&p, codes, &r, 0);
    size_t len;
    CHECK(encode(&p, &len) == N1_OK);
    n1c_rt_packet_info info;
    for (size_t cut = 0; cut < len; cut++)
        CHECK(n1c_rt_decode_packet(p.d, p.packet, cut, p.out, &info) == N1_ERR_TRUNCATED);
    size_t plen;
    CHECK(n1c_rt_packet_length(p.packet, 3, &plen) == N1_ERR_TRUNCATED);
    CHECK(n1c_rt_packet_length(p.packet, len - 1, &plen) == N1_ERR_TRUNCATED && plen == len);
    /* a decoder set up with another config refuses the packet */
    n1c_rt_config other = c;
    other.resync_interval = 50;
    n1c_rt_decoder *d2 = malloc(n1c_rt_decoder_size(&other));
    CHECK(n1c_rt_decoder_init(d2, n1c_rt_decoder_size(&other), &other, p.t) == N1_OK);
    CHECK(n1c_rt_decode_packet(d2, p.packet, len, p.out, &info) == N1_ERR_CORRUPT);
    free(d2);
    /* a complete packet decodes; a duplicate is stale */
    CHECK(n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info) == N1_OK);
    CHECK(info.result == N1C_RT_FRAME_DECODED);
    CHECK(n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info) == N1_OK);
    CHECK(info.result == N1C_RT_FRAME_STALE);
    /* small output buffer: refused, nothing consumed */
    CHECK(n1c_rt_encode_frame(p.e, p.frame, p.packet, p.bound - 1, &len) == N1_ERR_OUTPUT_FULL);
    CHECK(n1c_rt_encoder_frame(p.e) == 1);
    pair_close(&p);
}

static void test_config_and_sizes(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 1024, 20);
    CHECK(n1c_rt_config_check(&c) == N1_OK);
    CHECK(n1c_rt_channel_state_size() <= 1024);
    CHECK(n1c_rt_packet_bound(&c) == N1C_RT_HEADER_MAX + 2 * 1024 * 20 + N1C_RT_TRAILER);
    n1c_rt_config bad = c;
    bad.channels = 0;
    CHECK(n1c_rt_config_check(&bad) == N1_ERR_INVALID_ARG && n1c_rt_encoder_size(&bad) == 0);
    bad = c;
    bad.predictor = 3;
    CHECK(n1c_rt_config_check(&bad) == N1_ERR_INVALID_ARG);
    bad = c;
    bad.frame_samples = 4096;
    bad.channels = 4096;
    CHECK(n1c_rt_config_check(&bad) == N1_ERR_INVALID_ARG);
    bad = c;
    bad.adc_bits = 16;
    CHECK(n1c_rt_config_check(&bad) == N1_ERR_INVALID_ARG);
    bad = c;
    bad.resync_interval = 0;
    CHECK(n1c_rt_config_check(&bad) == N1_ERR_INVALID_ARG);
    n1c_rt_tables *t = malloc(n1c_rt_tables_size());
    CHECK(n1c_rt_tables_init(t, 7, 10) == N1_ERR_INVALID_ARG);
    CHECK(n1c_rt_tables_init(t, N1_ADC_IDENTITY, 16) == N1_OK);
    /* tables for another grid than the config's are refused */
    n1c_rt_encoder *e = malloc(n1c_rt_encoder_size(&c));
    CHECK(n1c_rt_encoder_init(e, n1c_rt_encoder_size(&c), &c, t) == N1_ERR_INVALID_ARG);
    CHECK(n1c_rt_tables_init(t, N1_ADC_STRETCH, 10) == N1_OK);
    CHECK(n1c_rt_encoder_init(e, n1c_rt_encoder_size(&c) - 1, &c, t) == N1_ERR_INVALID_ARG);
    CHECK(n1c_rt_encoder_init(e, n1c_rt_encoder_size(&c), &c, t) == N1_OK);
    free(e);
    free(t);
}

/* Packets concatenated into one byte stream split back by n1c_rt_packet_length. */
static void test_stream_split(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 3, 17);
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64] = {10, 1000, 512};
    test_rng r = {5};
    uint8_t *stream = malloc(10 * p.bound);
    size_t total = 0;
    for (int f = 0; f < 10; f++) {
        fill_frame(&p, codes, &r, 0);
        size_t len;
        CHECK(encode(&p, &len) == N1_OK);
        memcpy(stream + total, p.packet, len);
        total += len;
    }
    size_t at = 0;
    int n = 0;
    while (at < total) {
        size_t plen;
        CHECK(n1c_rt_packet_length(stream + at, total - at, &plen) == N1_OK);
        n1c_rt_packet_info info;
        CHECK(n1c_rt_decode_packet(p.d, stream + at, plen, p.out, &info) == N1_OK);
        CHECK(info.result == N1C_RT_FRAME_DECODED);
        at += plen;
        n++;
    }
    CHECK(n == 10 && at == total);
    free(stream);
    pair_close(&p);
}

/* Payloads that pass the CRC but hold garbage (a forged or unlucky packet):
 * the decoder must refuse or decode them without reading out of bounds (run
 * under ASan/UBSan too), and the next resync point must decode exactly. */
static void test_forged_payloads(void)
{
    n1c_rt_config c;
    n1c_rt_config_default(&c, 6, 20);
    c.resync_interval = 2;
    rt_pair p;
    CHECK(pair_open(&p, &c) == N1_OK);
    int32_t codes[64] = {100, 900, 512, 3, 1020, 600};
    test_rng r = {77};
    int refused = 0;
    for (int f = 0; f < 400; f++) {
        fill_frame(&p, codes, &r, f % 5 == 4 ? 2 : 0);
        size_t len;
        CHECK(encode(&p, &len) == N1_OK);
        size_t plen;
        CHECK(n1c_rt_packet_length(p.packet, len, &plen) == N1_OK);
        if (f % 2 == 1) { /* forge: garble the payload (past the 6-byte header prefix), fix the CRC */
            size_t from = 9, span = len - 4 - from;
            for (int k = 0; k < 1 + f % 7; k++)
                p.packet[from + rng_next(&r) % span] ^= (uint8_t)(1u + rng_next(&r) % 255u);
            uint32_t crc = n1_crc32(0, p.packet, len - 4);
            p.packet[len - 4] = (uint8_t)crc;
            p.packet[len - 3] = (uint8_t)(crc >> 8);
            p.packet[len - 2] = (uint8_t)(crc >> 16);
            p.packet[len - 1] = (uint8_t)(crc >> 24);
        }
        n1c_rt_packet_info info;
        int st = n1c_rt_decode_packet(p.d, p.packet, len, p.out, &info);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT || st == N1_ERR_TRUNCATED);
        refused += st != N1_OK;
        if (f % 2 == 0) { /* resync points: always back in step */
            CHECK(st == N1_OK && info.result == N1C_RT_FRAME_DECODED);
            CHECK(memcmp(p.frame, p.out, 2 * p.values) == 0);
        }
    }
    CHECK(refused > 100);
    pair_close(&p);
}

int main(void)
{
    for (int signal = 0; signal < 4; signal++) {
        test_roundtrip(16, 20, 1, N1_ADC_STRETCH, 10, signal);
        test_roundtrip(3, 7, 0, N1_ADC_STRETCH, 10, signal);
        test_roundtrip(1, 1, 1, N1_ADC_STRETCH, 10, signal);
        test_roundtrip(5, 33, 1, N1_ADC_IDENTITY, 16, signal);
        test_roundtrip(2, 20, 2, N1_ADC_SHIFT, 8, signal);
        test_roundtrip(7, 20, 2, N1_ADC_STRETCH, 10, signal);
        test_roundtrip(64, 3, 0, N1_ADC_IDENTITY, 16, signal);
    }
    test_loss();
    test_bit_flips();
    test_truncation_and_mismatch();
    test_config_and_sizes();
    test_stream_split();
    test_forged_payloads();
    return test_report("test_realtime");
}
