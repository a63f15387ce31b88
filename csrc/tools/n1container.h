/*
 * n1container.h -- the .n1 file container (FORMAT.md), read and written in C.
 *
 * The same bytes as n1codec/container.py: magic "\x89N1C", version (2 is
 * written; 1 and 2 are read), flags, codec spec, sample rate, channels, frames,
 * CRC-32 of the samples, [verbatim WAV header and trailer], payload length,
 * (version 2) a CRC-32 of every header byte before it, then the payload.
 *
 * n1_container_parse(in, len, &c, msg, cap)
 *   Inputs: the whole file (in may be NULL only when len is 0) and a buffer for
 *   a one-line English message (may be NULL when cap is 0).
 *   Output: c, whose pointers point into `in` (nothing is allocated or copied).
 *   Checks, in order: magic, version, that every field is present (each length
 *   bounded by the bytes really there), the header CRC (version 2) before any
 *   field is trusted, known flags, at most one WAV flag, an ASCII spec, 1..65535
 *   channels, frames x channels <= 2^31, a rate < 2^32, and that the payload ends
 *   exactly at the end of the input.
 *   Returns N1_OK, N1_ERR_TRUNCATED (input ends inside a field), N1_ERR_CORRUPT
 *   (also a header CRC mismatch; msg says "the .n1 header is corrupt"),
 *   N1_ERR_UNSUPPORTED (a version or flag from a newer writer), or
 *   N1_ERR_INVALID_ARG (the input is not an .n1 file: no magic).
 *
 * n1_container_write_header(&c, out, cap, &len)
 *   Writes the version-2 header for c (c.payload_len must be set; c.payload is
 *   not read) into out: at most n1_container_header_bound(&c) bytes.
 *   Returns N1_OK, N1_ERR_OUTPUT_FULL, or N1_ERR_INVALID_ARG (unknown flags,
 *   a spec longer than N1_CONTAINER_MAX_SPEC, a field out of its range).
 *
 * Varints are unsigned LEB128, at most 10 bytes, minimally encoded; a value that
 * does not fit 64 bits is corrupt. Nothing is global; nothing prints.
 */
#ifndef N1_TOOLS_CONTAINER_H
#define N1_TOOLS_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#define N1_CONTAINER_VERSION 2
#define N1_CONTAINER_FLAG_WAV_CANONICAL 1u
#define N1_CONTAINER_FLAG_WAV_VERBATIM 2u
#define N1_CONTAINER_FLAG_ONE_DIMENSIONAL 4u
#define N1_CONTAINER_KNOWN_FLAGS 7u
#define N1_CONTAINER_MAX_SPEC 1024
#define N1_CONTAINER_MAX_CHANNELS 65535u
#define N1_CONTAINER_MAX_SAMPLES ((uint64_t)1 << 31)
#define N1_CONTAINER_MAX_RATE 0xFFFFFFFFu

typedef struct n1_container {
    int version;
    uint64_t flags;
    const char *spec;           /* not NUL-terminated */
    size_t spec_len;
    uint64_t sample_rate;
    uint64_t channels;
    uint64_t frames;
    uint32_t sample_crc;        /* CRC-32 of the samples as interleaved little-endian int16 */
    const uint8_t *wav_header;  /* with FLAG_WAV_VERBATIM only, else NULL / 0 */
    size_t wav_header_len;
    const uint8_t *wav_trailer;
    size_t wav_trailer_len;
    const uint8_t *payload;
    size_t payload_len;
} n1_container;

int n1_container_parse(const uint8_t *in, size_t len, n1_container *c, char *msg, size_t cap);
size_t n1_container_header_bound(const n1_container *c);
int n1_container_write_header(const n1_container *c, uint8_t *out, size_t cap, size_t *out_len);

/* Varints (also used for the per-channel payload framing). n1_varint_read
 * returns N1_OK, N1_ERR_TRUNCATED or N1_ERR_CORRUPT; *pos advances past it. */
int n1_varint_read(const uint8_t *in, size_t len, size_t *pos, uint64_t *value);
size_t n1_varint_write(uint64_t value, uint8_t *out);  /* out holds >= 10 bytes */

#endif
