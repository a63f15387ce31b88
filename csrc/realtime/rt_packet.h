/*
 * rt_packet.h -- packet header helpers of the real-time mode (layout in rt.h).
 * Private to csrc/realtime/.
 *
 * rt_read_header(p, len, &h): parses tag, config byte, frame counter and the
 *   payload length varint from at most len bytes. N1_OK, N1_ERR_TRUNCATED (len
 *   too short for the header) or N1_ERR_CORRUPT (bad version or reserved bits,
 *   varint longer than 4 bytes). Does not check the payload or the CRC.
 * rt_write_header(p, ...): writes at most N1C_RT_HEADER_MAX bytes, returns the count.
 */
#ifndef N1_REALTIME_RT_PACKET_H
#define N1_REALTIME_RT_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define RT_TAG_RESYNC 0x10u
#define RT_TAG_RAW 0x20u

typedef struct rt_header {
    uint8_t tag, config;
    uint32_t frame;
    uint32_t payload_len;
    size_t header_len;
} rt_header;

int rt_read_header(const uint8_t *p, size_t len, rt_header *h);
size_t rt_write_header(uint8_t *p, uint8_t tag, uint8_t config, uint32_t frame,
                       uint32_t payload_len);

static inline uint32_t rt_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void rt_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif
