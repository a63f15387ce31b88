/*
 * n1wav.h -- byte-exact splitting of a 16-bit PCM WAV file, as n1codec/wav.py does.
 *
 * n1_wav_parse(in, len, &w, msg, cap)
 *   Splits the file into header (every byte before the samples), samples (whole
 *   frames of the 'data' chunk that are present: a truncated file keeps what it
 *   has) and trailer (every byte after them), so header + samples + trailer is the
 *   input. Pointers point into `in`; nothing is allocated.
 *   Refuses (N1_ERR_UNSUPPORTED, with a one-line message in msg): no RIFF/WAVE,
 *   RF64, RIFX, no or a truncated 'fmt ' chunk, anything but 16-bit PCM (plain or
 *   WAVE_FORMAT_EXTENSIBLE with the PCM subformat), a block align other than
 *   2 x channels, a sample rate of 0 (its .n1 could never become a WAV again),
 *   'data' before 'fmt ', no 'data' chunk.
 *
 * n1_wav_canonical_header(rate, channels, frames, out44)
 *   The canonical 44-byte header (RIFF, 16-byte 'fmt ' PCM chunk, 'data').
 *   Returns N1_OK, or N1_ERR_TOO_LARGE when a field does not fit its 16 or 32
 *   bits (data bytes + 36, block align, byte rate).
 *
 * n1_wav_is_canonical(&w): the header is exactly the canonical one and nothing
 *   follows the samples (then the .n1 stores one flag instead of the header).
 */
#ifndef N1_TOOLS_WAV_H
#define N1_TOOLS_WAV_H

#include <stddef.h>
#include <stdint.h>

#define N1_WAV_CANONICAL_SIZE 44

typedef struct n1_wav {
    uint32_t sample_rate;
    uint32_t channels;
    uint64_t frames;
    const uint8_t *header;
    size_t header_len;
    const uint8_t *samples;     /* frames x channels interleaved little-endian int16 */
    const uint8_t *trailer;
    size_t trailer_len;
} n1_wav;

int n1_wav_parse(const uint8_t *in, size_t len, n1_wav *w, char *msg, size_t cap);
int n1_wav_canonical_header(uint64_t rate, uint64_t channels, uint64_t frames, uint8_t out[44]);
int n1_wav_is_canonical(const n1_wav *w);

#endif
