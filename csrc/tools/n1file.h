/*
 * n1file.h -- whole files in memory: a WAV file to .n1 bytes and back, with the
 * n1 codec (the bytes n1codec's Python package writes for the specs "n1:fast",
 * "n1" and "n1:max"). These are the C program's whole codec path, and the entry
 * points a fuzzer drives.
 *
 * n1_file_encode_wav(wav, len, level, &out, &out_len, msg, cap)
 *   level: N1_LEVEL_FAST, N1_LEVEL_DEFAULT or N1_LEVEL_MAX (n1/n1.h). A canonical
 *   WAV costs one flag; any other header and trailer are stored verbatim, so
 *   decoding gives the input byte for byte.
 * n1_file_decode_wav(n1, len, max_samples, &out, &out_len, msg, cap)
 *   Reads a version 1 or 2 .n1 file whose codec is an n1 level and rebuilds the
 *   WAV file. Any other codec: N1_ERR_UNSUPPORTED, "codec 'X' needs the Python
 *   package". The decoded samples must match the stored CRC-32. A file that
 *   declares more than max_samples samples (all channels; 0: no limit) is refused
 *   with N1_ERR_TOO_LARGE before anything is allocated (a 50-byte file may
 *   declare 2^31).
 *
 * On N1_OK, *out is a malloc'd buffer the caller frees (non-NULL, also for an
 * empty result); on error *out is NULL and msg (when cap > 0) holds one line.
 * Errors: N1_ERR_UNSUPPORTED (a WAV or .n1 this program cannot handle),
 * N1_ERR_TRUNCATED, N1_ERR_CORRUPT, N1_ERR_INVALID_ARG (not an .n1 file, a bad
 * level), N1_ERR_TOO_LARGE, N1_ERR_NOMEM. Memory use is bounded by the sizes the
 * container's fields declare (at most 2^31 samples), checked before allocating.
 */
#ifndef N1_TOOLS_FILE_H
#define N1_TOOLS_FILE_H

#include <stddef.h>
#include <stdint.h>

int n1_file_encode_wav(const uint8_t *wav, size_t len, int level, uint8_t **out, size_t *out_len,
                       char *msg, size_t cap);
int n1_file_decode_wav(const uint8_t *n1, size_t len, uint64_t max_samples, uint8_t **out,
                       size_t *out_len, char *msg, size_t cap);

/* The spec string Python writes for an n1 level ("n1:fast", "n1", "n1:max"),
 * NULL for anything else; and the level of such a spec (-1 if it is not one). */
const char *n1_file_level_spec(int level);
int n1_file_spec_level(const char *spec, size_t len);

#endif
