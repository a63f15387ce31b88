/* n1wav.c -- splitting 16-bit PCM WAV files byte-exactly (contract in n1wav.h). */
#include "n1wav.h"

#include <stdio.h>
#include <string.h>

#include "common/status.h"

#define FORMAT_PCM 0x0001u
#define FORMAT_FLOAT 0x0003u
#define FORMAT_EXTENSIBLE 0xFFFEu
#define MAX_RIFF_BYTES 0xFFFFFFFFull

/* The 14 bytes of the KSDATAFORMAT_SUBTYPE GUID after its 2-byte format tag. */
static const uint8_t pcm_subformat_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                               0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

static int refuse(char *msg, size_t cap, const char *text)
{
    if (cap)
        snprintf(msg, cap, "%s", text);
    return N1_ERR_UNSUPPORTED;
}

static void describe(uint32_t tag, uint32_t bits, int known, char *out, size_t cap)
{
    if (!known)
        snprintf(out, cap, "an unknown extensible subformat");
    else if (tag == FORMAT_FLOAT)
        snprintf(out, cap, "%u-bit IEEE float", (unsigned)bits);
    else if (tag == FORMAT_PCM)
        snprintf(out, cap, "%u-bit PCM", (unsigned)bits);
    else
        snprintf(out, cap, "compressed (format tag 0x%04x)", (unsigned)tag);
}

/* Checks a 'fmt ' chunk whose body (of `size` bytes) starts at in[body]. */
static int read_fmt(const uint8_t *in, size_t len, size_t body, uint64_t size,
                    uint32_t *channels, uint32_t *rate, char *msg, size_t cap)
{
    uint32_t tag, bits, align;
    int known = 1;
    if (size < 16 || len - body < 16)
        return refuse(msg, cap, "the input has a truncated 'fmt ' chunk");
    tag = le16(in + body);
    *channels = le16(in + body + 2);
    *rate = le32(in + body + 4);
    align = le16(in + body + 12);
    bits = le16(in + body + 14);
    if (tag == FORMAT_EXTENSIBLE) {
        if (size < 40 || len - body < 40)
            return refuse(msg, cap, "the input has a truncated WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk");
        known = memcmp(in + body + 26, pcm_subformat_tail, 14) == 0;
        tag = known ? le16(in + body + 24) : 0;
    }
    if (!known || tag != FORMAT_PCM || bits != 16) {
        char desc[64];
        describe(tag, bits, known, desc, sizeof desc);
        if (cap)
            snprintf(msg, cap, "the input holds %s audio; n1codec stores 16-bit PCM WAV only", desc);
        return N1_ERR_UNSUPPORTED;
    }
    if (*channels < 1 || align != 2 * *channels) {
        if (cap)
            snprintf(msg, cap, "the input has an inconsistent 'fmt ' chunk (%u channels, block align %u)",
                     (unsigned)*channels, (unsigned)align);
        return N1_ERR_UNSUPPORTED;
    }
    if (*rate == 0)
        return refuse(msg, cap, "the input says its sample rate is 0 Hz; n1codec refuses it so that "
                      "every .n1 file it writes can be decoded back to a WAV file");
    return N1_OK;
}

int n1_wav_parse(const uint8_t *in, size_t len, n1_wav *w, char *msg, size_t cap)
{
    size_t pos = 12;
    int have_fmt = 0;
    uint32_t channels = 0, rate = 0;
    memset(w, 0, sizeof *w);
    if (len < 12 || memcmp(in + 8, "WAVE", 4) != 0
        || (memcmp(in, "RIFF", 4) != 0 && memcmp(in, "RF64", 4) != 0 && memcmp(in, "RIFX", 4) != 0))
        return refuse(msg, cap, "the input is not a WAV file (no RIFF/WAVE header)");
    if (memcmp(in, "RF64", 4) == 0)
        return refuse(msg, cap, "the input is an RF64 WAV (over 4 GiB); only standard RIFF WAV is supported");
    if (memcmp(in, "RIFX", 4) == 0)
        return refuse(msg, cap, "the input is a big-endian RIFX WAV; only little-endian RIFF WAV is supported");
    while (len - pos >= 8) {
        uint64_t size = le32(in + pos + 4), skip;
        size_t body = pos + 8;
        if (memcmp(in + pos, "fmt ", 4) == 0) {
            int status = read_fmt(in, len, body, size, &channels, &rate, msg, cap);
            if (status != N1_OK)
                return status;
            have_fmt = 1;
        } else if (memcmp(in + pos, "data", 4) == 0) {
            uint64_t available = size < len - body ? size : len - body;
            if (!have_fmt)
                return refuse(msg, cap, "the input has its 'data' chunk before the 'fmt ' chunk");
            w->sample_rate = rate;
            w->channels = channels;
            w->frames = available / (2u * channels);
            w->header = in;
            w->header_len = body;
            w->samples = in + body;
            w->trailer = in + body + w->frames * 2u * channels;
            w->trailer_len = len - body - (size_t)(w->frames * 2u * channels);
            return N1_OK;
        }
        skip = size + (size & 1);
        if (skip >= len - body)
            break;  /* the chunk runs past the end: nothing follows it */
        pos = body + (size_t)skip;
    }
    return refuse(msg, cap, have_fmt ? "the input has no 'data' chunk" : "the input has no 'fmt ' chunk");
}

int n1_wav_canonical_header(uint64_t rate, uint64_t channels, uint64_t frames, uint8_t out[44])
{
    uint64_t data_bytes;
    if (channels < 1 || channels > 0x7FFF || frames > MAX_RIFF_BYTES)
        return N1_ERR_TOO_LARGE;
    data_bytes = frames * channels * 2u;
    if (data_bytes + 36 > MAX_RIFF_BYTES || rate * channels * 2u > MAX_RIFF_BYTES)
        return N1_ERR_TOO_LARGE;
    memcpy(out, "RIFF", 4);
    put32(out + 4, (uint32_t)(36 + data_bytes));
    memcpy(out + 8, "WAVEfmt ", 8);
    put32(out + 16, 16);
    put16(out + 20, FORMAT_PCM);
    put16(out + 22, (uint32_t)channels);
    put32(out + 24, (uint32_t)rate);
    put32(out + 28, (uint32_t)(rate * channels * 2u));
    put16(out + 32, (uint32_t)(channels * 2u));
    put16(out + 34, 16);
    memcpy(out + 36, "data", 4);
    put32(out + 40, (uint32_t)data_bytes);
    return N1_OK;
}

int n1_wav_is_canonical(const n1_wav *w)
{
    uint8_t expected[N1_WAV_CANONICAL_SIZE];
    return w->trailer_len == 0 && w->header_len == N1_WAV_CANONICAL_SIZE
           && n1_wav_canonical_header(w->sample_rate, w->channels, w->frames, expected) == N1_OK
           && memcmp(w->header, expected, N1_WAV_CANONICAL_SIZE) == 0;
}
