/*
 * rt_config.c -- configs, sizes and packet framing shared by the real-time
 * encoder and decoder (contract in rt.h).
 */
#include <string.h>
#include "rt_model.h"
#include "rt_packet.h"
#include "../common/crc32.h"
#include "../common/status.h"
#include "../common/varint.h"

void n1c_rt_config_default(n1c_rt_config *c, uint32_t channels, uint32_t frame_samples)
{
    c->channels = channels;
    c->frame_samples = frame_samples;
    c->resync_interval = 100;
    c->predictor = 1;
    c->adc_kind = N1_ADC_STRETCH;
    c->adc_bits = 10;
}

int n1c_rt_config_check(const n1c_rt_config *c)
{
    if (!c) return N1_ERR_INVALID_ARG;
    if (c->channels < 1 || c->channels > N1C_RT_MAX_CHANNELS) return N1_ERR_INVALID_ARG;
    if (c->frame_samples < 1 || c->frame_samples > N1C_RT_MAX_FRAME_SAMPLES) return N1_ERR_INVALID_ARG;
    if ((uint64_t)c->channels * c->frame_samples > N1C_RT_MAX_FRAME_VALUES) return N1_ERR_INVALID_ARG;
    if (c->resync_interval < 1 || c->resync_interval > (1u << 20)) return N1_ERR_INVALID_ARG;
    if (c->predictor > 2) return N1_ERR_INVALID_ARG;
    if (c->adc_kind == N1_ADC_IDENTITY) return c->adc_bits == 16 ? N1_OK : N1_ERR_INVALID_ARG;
    if (c->adc_kind != N1_ADC_STRETCH && c->adc_kind != N1_ADC_SHIFT) return N1_ERR_INVALID_ARG;
    return c->adc_bits >= 1 && c->adc_bits <= 15 ? N1_OK : N1_ERR_INVALID_ARG;
}

uint8_t n1c_rt_config_tag(const n1c_rt_config *c)
{
    uint8_t b[16];
    rt_put32(b, c->channels);
    rt_put32(b + 4, c->frame_samples);
    rt_put32(b + 8, c->resync_interval);
    b[12] = (uint8_t)c->predictor;
    b[13] = (uint8_t)c->adc_kind;
    b[14] = (uint8_t)c->adc_bits;
    b[15] = N1C_RT_VERSION;
    return (uint8_t)(n1_crc32(0, b, sizeof b) & 0xFFu);
}

size_t n1c_rt_channel_state_size(void)
{
    return sizeof(n1c_rt_channel);
}

size_t n1c_rt_packet_bound(const n1c_rt_config *c)
{
    if (n1c_rt_config_check(c) != N1_OK) return 0;
    return N1C_RT_HEADER_MAX + 2 * (size_t)c->channels * c->frame_samples + N1C_RT_TRAILER;
}

void rt_channel_reset(n1c_rt_channel *ch, int predictor)
{
    memset(ch, 0, sizeof *ch);
    ch->prev = -1;
    ch->mag = RT_MAG_INIT;
    ch->gain = predictor ? RT_GAIN_INIT : 0;
}

int n1c_rt_packet_length(const uint8_t *p, size_t len, size_t *packet_len)
{
    if (!p || !packet_len) return N1_ERR_INVALID_ARG;
    rt_header h;
    int st = rt_read_header(p, len, &h);
    if (st != N1_OK) return st;
    if (h.payload_len > N1C_RT_MAX_FRAME_VALUES * 2u) return N1_ERR_CORRUPT;
    *packet_len = h.header_len + (size_t)h.payload_len + N1C_RT_TRAILER;
    return *packet_len <= len ? N1_OK : N1_ERR_TRUNCATED;
}

/* Payload length: a varint (common/varint.h) of at most 4 bytes (payloads < 2^28). */
int rt_read_header(const uint8_t *p, size_t len, rt_header *h)
{
    if (len < 6) return N1_ERR_TRUNCATED;
    h->tag = p[0];
    h->config = p[1];
    h->frame = rt_get32(p + 2);
    if ((h->tag & 0x0Fu) != N1C_RT_VERSION || (h->tag & 0xC0u)) return N1_ERR_CORRUPT;
    size_t i = 6;
    uint64_t v = 0;
    int st = n1c_varint_get(p, len, &i, 4, (1u << 28) - 1, &v);
    if (st != N1_OK) return st;
    h->payload_len = (uint32_t)v;
    h->header_len = i;
    return N1_OK;
}

size_t rt_write_header(uint8_t *p, uint8_t tag, uint8_t config, uint32_t frame,
                       uint32_t payload_len)
{
    p[0] = tag;
    p[1] = config;
    rt_put32(p + 2, frame);
    return 6 + n1c_varint_put(p + 6, payload_len); /* < 2^28 by the frame limit: <= 4 bytes */
}
