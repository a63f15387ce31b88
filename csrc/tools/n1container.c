/* n1container.c -- the .n1 container (contract in n1container.h). */
#include "n1container.h"

#include <stdio.h>
#include <string.h>

#include "common/crc32.h"
#include "common/varint.h"
#include "common/status.h"

static const uint8_t magic[4] = {0x89, 'N', '1', 'C'};

int n1_varint_read(const uint8_t *in, size_t len, size_t *pos, uint64_t *value)
{
    return n1c_varint_get(in, len, pos, N1C_VARINT_MAX, UINT64_MAX, value);
}

size_t n1_varint_write(uint64_t value, uint8_t *out)
{
    return n1c_varint_put(out, value);
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A failure with its one-line message. */
static int fail(int status, char *msg, size_t cap, const char *text)
{
    if (cap)
        snprintf(msg, cap, "%s", text);
    return status;
}

/* Reads a varint field, naming it in the message when it is missing or malformed. */
static int read_field(const uint8_t *in, size_t len, size_t *pos, uint64_t *value,
                      const char *what, char *msg, size_t cap)
{
    int status = n1_varint_read(in, len, pos, value);
    if (status == N1_ERR_TRUNCATED && cap)
        snprintf(msg, cap, "truncated while reading the %s", what);
    else if (status != N1_OK && cap)
        snprintf(msg, cap, "the %s is not a valid varint", what);
    return status;
}

/* A varint length then that many bytes (at most `limit`, and no more than remain). */
static int read_sized(const uint8_t *in, size_t len, size_t *pos, const uint8_t **data,
                      size_t *size, uint64_t limit, const char *what, char *msg, size_t cap)
{
    uint64_t n;
    int status = read_field(in, len, pos, &n, what, msg, cap);
    if (status != N1_OK)
        return status;
    if (n > limit) {
        if (cap)
            snprintf(msg, cap, "the %s claims %llu bytes, more than the %llu allowed", what,
                     (unsigned long long)n, (unsigned long long)limit);
        return N1_ERR_CORRUPT;
    }
    if (n > len - *pos) {
        if (cap)
            snprintf(msg, cap, "truncated: the %s needs %llu bytes but only %llu remain", what,
                     (unsigned long long)n, (unsigned long long)(len - *pos));
        return N1_ERR_TRUNCATED;
    }
    *data = in + *pos;
    *size = (size_t)n;
    *pos += (size_t)n;
    return N1_OK;
}

static int check_flags(uint64_t flags, char *msg, size_t cap)
{
    if (flags & ~(uint64_t)N1_CONTAINER_KNOWN_FLAGS) {
        if (cap)
            snprintf(msg, cap, "the .n1 header sets unknown flags 0x%llx; upgrade n1codec",
                     (unsigned long long)flags);
        return N1_ERR_UNSUPPORTED;
    }
    if ((flags & N1_CONTAINER_FLAG_WAV_CANONICAL) && (flags & N1_CONTAINER_FLAG_WAV_VERBATIM))
        return fail(N1_ERR_CORRUPT, msg, cap, "the .n1 header sets both WAV header flags");
    return N1_OK;
}

static int check_sizes(const n1_container *c, char *msg, size_t cap)
{
    if (c->channels < 1 || c->channels > N1_CONTAINER_MAX_CHANNELS) {
        if (cap)
            snprintf(msg, cap, "the .n1 header claims %llu channels", (unsigned long long)c->channels);
        return N1_ERR_CORRUPT;
    }
    if (c->frames > N1_CONTAINER_MAX_SAMPLES / c->channels || c->sample_rate > N1_CONTAINER_MAX_RATE) {
        if (cap)
            snprintf(msg, cap, "the .n1 header claims %llu frames x %llu channels, more than a WAV file holds",
                     (unsigned long long)c->frames, (unsigned long long)c->channels);
        return N1_ERR_CORRUPT;
    }
    return N1_OK;
}

/* Walks the fields from the flags to the payload length; *pos ends after it. */
static int read_layout(const uint8_t *in, size_t len, size_t *pos, n1_container *c, char *msg, size_t cap)
{
    const uint8_t *spec;
    uint64_t payload_len;
    int status = read_field(in, len, pos, &c->flags, "flags", msg, cap);
    if (status == N1_OK && c->version == 1)  /* no header CRC: refuse as early as version 1 did */
        status = check_flags(c->flags, msg, cap);
    if (status == N1_OK)
        status = read_sized(in, len, pos, &spec, &c->spec_len, N1_CONTAINER_MAX_SPEC, "codec spec", msg, cap);
    if (status != N1_OK)
        return status;
    c->spec = (const char *)spec;
    if ((status = read_field(in, len, pos, &c->sample_rate, "sample rate", msg, cap)) != N1_OK
        || (status = read_field(in, len, pos, &c->channels, "channel count", msg, cap)) != N1_OK
        || (status = read_field(in, len, pos, &c->frames, "frame count", msg, cap)) != N1_OK)
        return status;
    if (c->version == 1 && (status = check_sizes(c, msg, cap)) != N1_OK)
        return status;
    if (len - *pos < 4)
        return fail(N1_ERR_TRUNCATED, msg, cap, "truncated .n1 file: it ends inside the header");
    c->sample_crc = load_le32(in + *pos);
    *pos += 4;
    if (c->flags & N1_CONTAINER_FLAG_WAV_VERBATIM) {
        status = read_sized(in, len, pos, &c->wav_header, &c->wav_header_len, len, "stored WAV header", msg, cap);
        if (status == N1_OK)
            status = read_sized(in, len, pos, &c->wav_trailer, &c->wav_trailer_len, len,
                                "stored WAV trailer", msg, cap);
        if (status != N1_OK)
            return status;
    }
    status = read_field(in, len, pos, &payload_len, "payload length", msg, cap);
    if (status != N1_OK)
        return status;
    /* compared with the bytes present once the header is trusted */
    c->payload_len = payload_len > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)payload_len;
    return N1_OK;
}

static int check_header_crc(const uint8_t *in, size_t len, size_t *pos, char *msg, size_t cap)
{
    uint32_t stored, actual;
    if (len - *pos < 4)
        return fail(N1_ERR_TRUNCATED, msg, cap, "truncated .n1 file: it ends inside the header");
    stored = load_le32(in + *pos);
    actual = n1_crc32(0, in, *pos);
    if (stored != actual) {
        if (cap)
            snprintf(msg, cap, "the .n1 header is corrupt (header CRC-32 stored 0x%08lx, computed 0x%08lx)",
                     (unsigned long)stored, (unsigned long)actual);
        return N1_ERR_CORRUPT;
    }
    *pos += 4;
    return N1_OK;
}

int n1_container_parse(const uint8_t *in, size_t len, n1_container *c, char *msg, size_t cap)
{
    size_t pos = 5, i;
    int status;
    if (!c || (!in && len))
        return fail(N1_ERR_INVALID_ARG, msg, cap, "no input");
    memset(c, 0, sizeof *c);
    if (len < 4 || memcmp(in, magic, 4) != 0)
        return fail(N1_ERR_INVALID_ARG, msg, cap, "not an .n1 file (missing the \\x89N1C magic bytes)");
    if (len < 5)
        return fail(N1_ERR_TRUNCATED, msg, cap, "truncated .n1 file: it ends after the magic bytes");
    c->version = in[4];
    if (c->version != 1 && c->version != 2) {
        if (cap)
            snprintf(msg, cap, ".n1 format version %d is not supported by this release (it reads "
                     "versions 1, 2); upgrade n1codec", c->version);
        return N1_ERR_UNSUPPORTED;
    }
    if ((status = read_layout(in, len, &pos, c, msg, cap)) != N1_OK)
        return status;
    if (c->version >= 2 && (status = check_header_crc(in, len, &pos, msg, cap)) != N1_OK)
        return status;
    if ((status = check_flags(c->flags, msg, cap)) != N1_OK || (status = check_sizes(c, msg, cap)) != N1_OK)
        return status;
    for (i = 0; i < c->spec_len; i++)
        if ((unsigned char)c->spec[i] >= 0x80)
            return fail(N1_ERR_CORRUPT, msg, cap, "the codec spec in the .n1 header is not ASCII");
    if (c->payload_len > len - pos) {
        if (cap)
            snprintf(msg, cap, "truncated .n1 file: the payload needs %llu bytes but only %llu remain",
                     (unsigned long long)c->payload_len, (unsigned long long)(len - pos));
        return N1_ERR_TRUNCATED;
    }
    if (c->payload_len != len - pos) {
        if (cap)
            snprintf(msg, cap, "%llu unexpected bytes after the .n1 payload",
                     (unsigned long long)(len - pos - c->payload_len));
        return N1_ERR_CORRUPT;
    }
    c->payload = in + pos;
    return N1_OK;
}

size_t n1_container_header_bound(const n1_container *c)
{
    /* magic, version, 8 varints, spec, crc, WAV parts, header crc */
    return 4 + 1 + 8 * 10 + c->spec_len + 4 + c->wav_header_len + c->wav_trailer_len + 4;
}

int n1_container_write_header(const n1_container *c, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t n = 0;
    int verbatim;
    if (!c || !out || !out_len || (c->flags & ~(uint64_t)N1_CONTAINER_KNOWN_FLAGS)
        || c->spec_len > N1_CONTAINER_MAX_SPEC || c->sample_rate > N1_CONTAINER_MAX_RATE
        || c->channels < 1 || c->channels > N1_CONTAINER_MAX_CHANNELS
        || c->frames > N1_CONTAINER_MAX_SAMPLES / c->channels)
        return N1_ERR_INVALID_ARG;
    if (cap < n1_container_header_bound(c))
        return N1_ERR_OUTPUT_FULL;
    verbatim = (c->flags & N1_CONTAINER_FLAG_WAV_VERBATIM) != 0;
    memcpy(out, magic, 4);
    out[4] = N1_CONTAINER_VERSION;
    n = 5;
    n += n1_varint_write(c->flags, out + n);
    n += n1_varint_write(c->spec_len, out + n);
    if (c->spec_len)
        memcpy(out + n, c->spec, c->spec_len);
    n += c->spec_len;
    n += n1_varint_write(c->sample_rate, out + n);
    n += n1_varint_write(c->channels, out + n);
    n += n1_varint_write(c->frames, out + n);
    store_le32(out + n, c->sample_crc);
    n += 4;
    if (verbatim) {
        n += n1_varint_write(c->wav_header_len, out + n);
        if (c->wav_header_len)
            memcpy(out + n, c->wav_header, c->wav_header_len);
        n += c->wav_header_len;
        n += n1_varint_write(c->wav_trailer_len, out + n);
        if (c->wav_trailer_len)
            memcpy(out + n, c->wav_trailer, c->wav_trailer_len);
        n += c->wav_trailer_len;
    }
    n += n1_varint_write(c->payload_len, out + n);
    store_le32(out + n, n1_crc32(0, out, n));
    *out_len = n + 4;
    return N1_OK;
}
