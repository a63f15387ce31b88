/* fuzz_realtime.c -- the real-time packet decoder (realtime/rt.h) on any packet stream,
 * for a fuzzer-chosen config on the N1 grid. Packets are cut with n1c_rt_packet_length;
 * with the fix-CRC flag the harness rewrites each packet's CRC-32 so mutations reach the
 * payload decoder (random bytes almost never carry a right CRC). A decoded frame is
 * written only into the caller's buffer of channels x frame_samples values.
 * Input: channels - 1 (1 byte, mod 16), frame_samples - 1 (1 byte, mod 64), predictor
 * (1 byte, mod 3), resync_interval - 1 (1 byte, mod 8), flags (1 byte: bit 0 = fix CRCs),
 * then the packets back to back (at most 256 are decoded). */
#include "fuzz.h"
#include "common/crc32.h"
#include "realtime/rt.h"

#define RT_MAX_PACKETS 256

/* The N1 grid's tables, built once (535 KiB, read-only after): a harness-level cache. */
static const n1c_rt_tables *n1_tables(void)
{
    static n1c_rt_tables *tables = NULL;
    if (!tables) {
        n1c_rt_config c;
        n1c_rt_config_default(&c, 1, 1);
        n1c_rt_tables *t = (n1c_rt_tables *)malloc(n1c_rt_tables_size());
        if (t && n1c_rt_tables_init(t, c.adc_kind, c.adc_bits) == N1_OK) tables = t;
        else free(t);
    }
    return tables;
}

static void decode_all(n1c_rt_decoder *d, fuzz_input *in, int fix_crc, int16_t *frame)
{
    for (int k = 0; k < RT_MAX_PACKETS && in->n > 0; k++) {
        size_t plen = 0;
        int st = n1c_rt_packet_length(in->p, in->n, &plen);
        if (st != N1_OK) {
            fuzz_check_decode_status(st, "rt packet length");
            in->p++; /* resynchronise on the next byte, as a reader of a damaged stream may */
            in->n--;
            continue;
        }
        FUZZ_CHECK(plen >= N1C_RT_TRAILER && plen <= in->n);
        uint8_t *packet = (uint8_t *)malloc(plen);
        if (!packet) return;
        memcpy(packet, in->p, plen);
        if (fix_crc) {
            uint32_t crc = n1_crc32(0, packet, plen - 4);
            for (unsigned i = 0; i < 4; i++) packet[plen - 4 + i] = (uint8_t)(crc >> (8 * i));
        }
        n1c_rt_packet_info info;
        fuzz_check_decode_status(n1c_rt_decode_packet(d, packet, plen, frame, &info), "rt decode");
        free(packet);
        in->p += plen;
        in->n -= plen;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    n1c_rt_config c;
    uint32_t channels = fuzz_take_u8(&in) % 16u + 1u, samples = fuzz_take_u8(&in) % 64u + 1u;
    n1c_rt_config_default(&c, channels, samples);
    c.predictor = fuzz_take_u8(&in) % 3u;
    c.resync_interval = fuzz_take_u8(&in) % 8u + 1u;
    int fix_crc = (int)(fuzz_take_u8(&in) & 1u);
    const n1c_rt_tables *t = n1_tables();
    FUZZ_CHECK(n1c_rt_config_check(&c) == N1_OK);
    size_t bytes = n1c_rt_decoder_size(&c);
    n1c_rt_decoder *d = (n1c_rt_decoder *)malloc(bytes);
    int16_t *frame = (int16_t *)malloc((size_t)channels * samples * 2);
    if (t && d && frame && n1c_rt_decoder_init(d, bytes, &c, t) == N1_OK)
        decode_all(d, &in, fix_crc, frame);
    free(frame);
    free(d);
    return 0;
}
