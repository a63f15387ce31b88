/* n1file.c -- WAV files to .n1 bytes and back with the n1 codec (contract in n1file.h). */
#include "n1file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/crc32.h"
#include "common/status.h"
#include "n1/n1.h"
#include "n1container.h"
#include "n1wav.h"

static const char *const level_specs[3] = {"n1:fast", "n1", "n1:max"};

const char *n1_file_level_spec(int level)
{
    return level >= N1_LEVEL_FAST && level <= N1_LEVEL_MAX ? level_specs[level] : NULL;
}

int n1_file_spec_level(const char *spec, size_t len)
{
    int level;
    for (level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++)
        if (strlen(level_specs[level]) == len && memcmp(spec, level_specs[level], len) == 0)
            return level;
    return -1;
}

static int fail(int status, char *msg, size_t cap, const char *text)
{
    if (cap)
        snprintf(msg, cap, "%s", text);
    return status;
}

/* Channel `ch` of interleaved little-endian int16 frames, as host int16 values. */
static void gather(const uint8_t *interleaved, size_t frames, size_t channels, size_t ch, int16_t *column)
{
    const uint8_t *p = interleaved + 2 * ch;
    size_t i;
    for (i = 0; i < frames; i++, p += 2 * channels)
        column[i] = (int16_t)(uint16_t)(p[0] | p[1] << 8);
}

static void scatter(const int16_t *column, size_t frames, size_t channels, size_t ch, uint8_t *interleaved)
{
    uint8_t *p = interleaved + 2 * ch;
    size_t i;
    for (i = 0; i < frames; i++, p += 2 * channels) {
        uint16_t v = (uint16_t)column[i];
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
    }
}

/* The payload: channels 0..C-2 each behind a varint length, the last to the end. */
static int encode_payload(const n1_wav *w, int level, uint8_t **payload, size_t *payload_len,
                          char *msg, size_t cap)
{
    size_t frames = (size_t)w->frames, channels = w->channels, bound = n1_codec_bound(frames);
    size_t pos = 0, ch, len = 0;
    int status = N1_OK;
    int16_t *column = malloc(frames ? frames * sizeof *column : 1);
    uint8_t *scratch = channels > 1 ? malloc(bound) : NULL;
    uint8_t *out = malloc(channels * (bound + 10));
    if (!column || !out || (channels > 1 && !scratch))
        status = fail(N1_ERR_NOMEM, msg, cap, "not enough memory to encode the recording");
    for (ch = 0; status == N1_OK && ch < channels; ch++) {
        int last = ch + 1 == channels;
        gather(w->samples, frames, channels, ch, column);
        status = n1_codec_encode(column, frames, level, last ? out + pos : scratch, bound, &len);
        if (status != N1_OK) {
            if (cap)
                snprintf(msg, cap, "n1 encode: %s", n1_status_message(status));
        } else if (!last) {
            pos += n1_varint_write(len, out + pos);
            memcpy(out + pos, scratch, len);
        }
        pos += len;
    }
    free(column);
    free(scratch);
    if (status != N1_OK) {
        free(out);
        return status;
    }
    *payload = out;
    *payload_len = pos;
    return N1_OK;
}

int n1_file_encode_wav(const uint8_t *wav, size_t len, int level, uint8_t **out, size_t *out_len,
                       char *msg, size_t cap)
{
    n1_wav w;
    n1_container c;
    uint8_t *payload = NULL, *file;
    size_t header_len = 0;
    int status;
    *out = NULL;
    if (!n1_file_level_spec(level))
        return fail(N1_ERR_INVALID_ARG, msg, cap, "unknown n1 level");
    if ((status = n1_wav_parse(wav, len, &w, msg, cap)) != N1_OK)
        return status;
    if (w.frames * w.channels > N1_CONTAINER_MAX_SAMPLES)
        return fail(N1_ERR_TOO_LARGE, msg, cap, "the recording has more samples than a .n1 file holds (2^31)");
    memset(&c, 0, sizeof c);
    c.spec = n1_file_level_spec(level);
    c.spec_len = strlen(c.spec);
    c.sample_rate = w.sample_rate;
    c.channels = w.channels;
    c.frames = w.frames;
    c.sample_crc = n1_crc32(0, w.samples, (size_t)(w.frames * w.channels * 2));
    if (n1_wav_is_canonical(&w)) {
        c.flags = N1_CONTAINER_FLAG_WAV_CANONICAL;
    } else {
        c.flags = N1_CONTAINER_FLAG_WAV_VERBATIM;
        c.wav_header = w.header;
        c.wav_header_len = w.header_len;
        c.wav_trailer = w.trailer;
        c.wav_trailer_len = w.trailer_len;
    }
    if ((status = encode_payload(&w, level, &payload, &c.payload_len, msg, cap)) != N1_OK)
        return status;
    file = malloc(n1_container_header_bound(&c) + c.payload_len);
    if (!file) {
        free(payload);
        return fail(N1_ERR_NOMEM, msg, cap, "not enough memory for the .n1 file");
    }
    status = n1_container_write_header(&c, file, n1_container_header_bound(&c), &header_len);
    if (status == N1_OK) {
        memcpy(file + header_len, payload, c.payload_len);
        *out = file;
        *out_len = header_len + c.payload_len;
    } else {
        free(file);
        fail(status, msg, cap, "internal error: the .n1 header could not be written");
    }
    free(payload);
    return status;
}

/* Decodes every channel of the payload into the interleaved samples of the WAV. */
static int decode_payload(const n1_container *c, uint8_t *samples, char *msg, size_t cap)
{
    size_t frames = (size_t)c->frames, channels = (size_t)c->channels, pos = 0, ch;
    int status = N1_OK;
    int16_t *column = malloc(frames ? frames * sizeof *column : 1);
    if (!column)
        return fail(N1_ERR_NOMEM, msg, cap, "not enough memory to decode the recording");
    for (ch = 0; status == N1_OK && ch < channels; ch++) {
        uint64_t len = c->payload_len - pos;
        if (ch + 1 < channels) {
            status = n1_varint_read(c->payload, c->payload_len, &pos, &len);
            if (status == N1_OK && len > c->payload_len - pos)
                status = N1_ERR_TRUNCATED;
            if (status != N1_OK) {
                if (cap)
                    snprintf(msg, cap, "the payload is corrupt (the length of channel %lu's payload is "
                             "not valid)", (unsigned long)ch);
                status = N1_ERR_CORRUPT;
                break;
            }
        }
        status = n1_codec_decode(c->payload + pos, (size_t)len, column, frames);
        if (status == N1_ERR_NOMEM)
            fail(status, msg, cap, "not enough memory to decode the recording");
        else if (status != N1_OK) {
            if (cap)
                snprintf(msg, cap, "the payload is corrupt (n1 decode: %s)", n1_status_message(status));
            status = N1_ERR_CORRUPT;
        } else {
            scatter(column, frames, channels, ch, samples);
        }
        pos += (size_t)len;
    }
    free(column);
    return status;
}

/* The bytes before the samples: stored verbatim, or the canonical header rebuilt. */
static int wav_header_of(const n1_container *c, uint8_t canonical[44], const uint8_t **header,
                         size_t *len, char *msg, size_t cap)
{
    if (c->flags & N1_CONTAINER_FLAG_WAV_VERBATIM) {
        *header = c->wav_header;
        *len = c->wav_header_len;
        return N1_OK;
    }
    if (!c->sample_rate)
        return fail(N1_ERR_UNSUPPORTED, msg, cap, "this .n1 file holds an array without a sample rate, so "
                    "it cannot become a WAV file; use n1codec.decode() to get the samples");
    if (n1_wav_canonical_header(c->sample_rate, c->channels, c->frames, canonical) != N1_OK) {
        if (cap)
            snprintf(msg, cap, "%llu channels at %llu Hz do not fit in a WAV header",
                     (unsigned long long)c->channels, (unsigned long long)c->sample_rate);
        return N1_ERR_UNSUPPORTED;
    }
    *header = canonical;
    *len = N1_WAV_CANONICAL_SIZE;
    return N1_OK;
}

int n1_file_decode_wav(const uint8_t *n1, size_t len, uint64_t max_samples, uint8_t **out,
                       size_t *out_len, char *msg, size_t cap)
{
    n1_container c;
    uint8_t canonical[N1_WAV_CANONICAL_SIZE], *file;
    const uint8_t *header = NULL;
    size_t header_len = 0, sample_bytes;
    uint64_t total;
    uint32_t crc;
    int status;
    *out = NULL;
    if ((status = n1_container_parse(n1, len, &c, msg, cap)) != N1_OK)
        return status;
    if (n1_file_spec_level(c.spec, c.spec_len) < 0) {
        if (cap)
            snprintf(msg, cap, "codec '%.*s' needs the Python package (pip install n1codec); this program "
                     "decodes the n1 levels only", (int)(c.spec_len > 200 ? 200 : c.spec_len), c.spec);
        return N1_ERR_UNSUPPORTED;
    }
    if (max_samples && c.frames * c.channels > max_samples) {
        if (cap)
            snprintf(msg, cap, "the file declares %llu frames x %llu channels = %llu samples, more than the "
                     "limit of %llu (raise --max-samples if the file is trusted)",
                     (unsigned long long)c.frames, (unsigned long long)c.channels,
                     (unsigned long long)(c.frames * c.channels), (unsigned long long)max_samples);
        return N1_ERR_TOO_LARGE;
    }
    if ((status = wav_header_of(&c, canonical, &header, &header_len, msg, cap)) != N1_OK)
        return status;
    total = (uint64_t)header_len + c.frames * c.channels * 2 + c.wav_trailer_len;
    if (total > (uint64_t)SIZE_MAX - 1)
        return fail(N1_ERR_TOO_LARGE, msg, cap, "the recording is too large for this platform");
    sample_bytes = (size_t)(c.frames * c.channels * 2);
    file = malloc((size_t)total + 1);
    if (!file)
        return fail(N1_ERR_NOMEM, msg, cap, "not enough memory for the decoded recording");
    if (header_len)
        memcpy(file, header, header_len);
    status = decode_payload(&c, file + header_len, msg, cap);
    if (status == N1_OK && (crc = n1_crc32(0, file + header_len, sample_bytes)) != c.sample_crc) {
        if (cap)
            snprintf(msg, cap, "CRC-32 mismatch: stored 0x%08lx, decoded samples give 0x%08lx; the file "
                     "is corrupt", (unsigned long)c.sample_crc, (unsigned long)crc);
        status = N1_ERR_CORRUPT;
    }
    if (status != N1_OK) {
        free(file);
        return status;
    }
    if (c.wav_trailer_len)
        memcpy(file + header_len + sample_bytes, c.wav_trailer, c.wav_trailer_len);
    *out = file;
    *out_len = (size_t)total;
    return N1_OK;
}
