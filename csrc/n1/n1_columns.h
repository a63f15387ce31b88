/*
 * n1_columns.h -- the channels of an interleaved (frames x channels) int16 array
 * (C order: sample t of channel c at x[t * channels + c]) as separate n1 streams.
 *
 * Channels move between the array and planar buffers N1_COLUMNS at a time: a row's
 * 2 * N1_COLUMNS bytes then fill whole cache lines, each written once (one channel at
 * a time touched a line a sample; 16 at a time, half a line, decoded a 384-channel
 * n1:fast chunk 13% slower than 64, and 32 3% slower: docs/n1-codec.md).
 *
 * n1_columns_gather(x, frames, channels, c0, g, cols)
 *     channels c0 .. c0 + g - 1 of x into cols, channel after channel
 *     (cols[j * frames + t]); c0 + g <= channels.
 * n1_columns_scatter(cols, frames, channels, c0, g, out)
 *     the inverse: cols into channels c0 .. c0 + g - 1 of out.
 * n1_columns_buffer(frames, count)
 *     malloc'd room for min(count, N1_COLUMNS) channels of `frames` samples (the
 *     planar buffer of the loops above; at least one sample a channel), or NULL.
 * n1_codec_decode_columns(in, len, count, frames, out, channels, first, &failed)
 *     count independent n1 streams (in[j]: len[j] bytes, each exactly `frames`
 *     samples, as n1_codec_decode) into channels first .. first + count - 1 of
 *     out (frames x channels). Returns N1_OK; N1_ERR_INVALID_ARG (NULL pointers,
 *     first + count > channels, frames * channels overflowing); N1_ERR_NOMEM; or
 *     the first failing stream's error (n1_codec_decode's codes), with *failed set
 *     to its index j. On error the columns hold partial output.
 *     Streams decode two at a time (n1_codec_decode_pair: two n1:fast streams run
 *     side by side). Memory: two decoder states and min(count, N1_COLUMNS) * frames
 *     samples, freed on return.
 * n1_codec_encode_columns(x, frames, channels, first, count, level, heads, head_lens,
 *                         out, cap, lens, &failed)
 *     channels first .. first + count - 1 of x (frames x channels), each as its own
 *     n1 stream, exactly n1_codec_encode_follow's bytes (heads[j], head_lens[j]: the
 *     stream head channel j follows; heads NULL or heads[j] NULL: its own trials),
 *     one after another into out[0..cap); lens[j] gets stream j's size
 *     (count * n1_codec_bound(frames) bytes always suffice). Returns N1_OK;
 *     N1_ERR_INVALID_ARG (NULL pointers, first + count > channels, a bad level);
 *     N1_ERR_NOMEM; N1_ERR_OUTPUT_FULL; or stream j's error, with *failed = j.
 *     Memory: one encoder state and min(count, N1_COLUMNS) * frames samples, freed
 *     on return.
 */
#ifndef N1_COLUMNS_H
#define N1_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#define N1_COLUMNS 64

void n1_columns_gather(const int16_t *x, size_t frames, size_t channels, size_t c0, size_t g,
                       int16_t *cols);
void n1_columns_scatter(const int16_t *cols, size_t frames, size_t channels, size_t c0,
                        size_t g, int16_t *out);
int16_t *n1_columns_buffer(size_t frames, size_t count);
int n1_codec_decode_columns(const uint8_t *const *in, const size_t *len, size_t count,
                            size_t frames, int16_t *out, size_t channels, size_t first,
                            size_t *failed);
int n1_codec_encode_columns(const int16_t *x, size_t frames, size_t channels, size_t first,
                            size_t count, int level, const uint8_t *const *heads,
                            const size_t *head_lens, uint8_t *out, size_t cap, size_t *lens,
                            size_t *failed);

#endif
