/*
 * n1_joint.h -- joint coding of a (frames x channels) chunk with the n1 codec.
 *
 * Channels are coded in order, each as an ordinary n1 stream (n1.h); a channel
 * may name up to N1_CROSS_MAX earlier channels as references: its prediction
 * then adds a windowed least-squares combination of the references' own errors
 * at the same instant (n1_model.h, n1_cross), which the decoder has already
 * reproduced. The encoder picks the references per channel from the data (the
 * earlier N1_JOINT_WINDOW channels whose own errors correlate best with this
 * channel's, greedily, by the gain in explained variance), codes the channel
 * both with them and without, and keeps the smaller, so a joint stream is never
 * larger than the channels coded alone plus a few bytes a channel.
 *
 * Layout: [0x30 | level] varint(channels), then per channel
 *   varint(nbytes << 2 | nref), nref varints (c - 1 - reference index),
 *   nbytes of the channel's n1 stream.
 * A chunk decodes as a whole (a channel needs its references decoded first).
 *
 * n1_joint_bound(frames, channels)  worst-case size (0 when it overflows size_t)
 * n1_joint_encode(x, frames, channels, level, out, cap, &len)
 *     x: frames * channels int16, C order (sample t of channel c at x[t * channels + c]);
 *     level as n1.h (the fast level codes every channel alone).
 * n1_joint_choices(in, len, channels, choices)
 *     what each channel of a joint stream chose (choices[channels]): the head of its
 *     n1 stream (head_len 0 for a stream no encoder follows: the fast level's, or one
 *     shorter than a header) and its references (nref, back[i] = c - 1 - reference).
 *     Errors as the decoder's for the framing (the channels' streams are not decoded).
 * n1_joint_encode_follow(x, frames, channels, level, follow, out, cap, &len)
 *     n1_joint_encode of other samples of the same channels (a chunked file's next
 *     chunks) taking follow[c] (or NULL: n1_joint_encode): channel c codes one pass
 *     with its head's model (n1_encoder_follow) instead of trying every candidate, and
 *     with the references it had (none where it had none), instead of coding alone,
 *     choosing references and coding again: one pass a channel. So a follower channel
 *     is no longer sure to be as small as alone; the lead's choice was, on the lead's
 *     samples (a chunked file's leads choose again every 32 chunks). Without a head
 *     (head_len 0) a channel tries everything as n1_joint_encode does.
 *     N1_ERR_INVALID_ARG: the fast level with follow (as n1_encoder_follow), a head it
 *     cannot follow, nref > N1_CROSS_MAX, a reference that is not an earlier channel,
 *     or the same one twice.
 * n1_joint_decode(in, len, out, frames, channels)
 *     frames and channels come from the container; the stream must hold exactly
 *     them. Errors: N1_ERR_INVALID_ARG, N1_ERR_NOMEM, N1_ERR_OUTPUT_FULL,
 *     N1_ERR_TRUNCATED, N1_ERR_CORRUPT (bad reference, channel count, sizes),
 *     N1_ERR_UNSUPPORTED (not a joint stream of a known version).
 * Memory: both sides allocate 2 bytes a sample (the own errors), the samples of up to
 * N1_COLUMNS channels (moved between the interleaved array and planar buffers that
 * many at a time, n1_columns.h) and one state; the encoder also the own errors the
 * reference choice samples (under 16,384 of them, 32 KB, a channel).
 */
#ifndef N1_JOINT_H
#define N1_JOINT_H

#include <stddef.h>
#include <stdint.h>
#include "n1.h"

#define N1_JOINT_VERSION 3   /* high nibble of the first byte (n1 streams use 1 and 2) */
#define N1_JOINT_WINDOW 16   /* earlier channels considered as references */

#define N1_JOINT_HEAD 4   /* stream head bytes a follower reads (n1_encoder_follow) */

typedef struct n1_joint_choice {
    uint8_t head[N1_JOINT_HEAD];  /* the first bytes of the channel's n1 stream */
    uint8_t head_len;             /* 0..N1_JOINT_HEAD; 0: nothing to follow (own trials) */
    uint8_t nref;                 /* 0..N1_CROSS_MAX references the channel had */
    uint32_t back[N1_CROSS_MAX];  /* reference i is channel c - 1 - back[i] */
} n1_joint_choice;

size_t n1_joint_bound(size_t frames, size_t channels);
int n1_joint_choices(const uint8_t *in, size_t len, size_t channels, n1_joint_choice *choices);
int n1_joint_encode_follow(const int16_t *x, size_t frames, size_t channels, int level,
                           const n1_joint_choice *follow, uint8_t *out, size_t cap,
                           size_t *out_len);
int n1_joint_encode(const int16_t *x, size_t frames, size_t channels, int level,
                    uint8_t *out, size_t cap, size_t *out_len);
int n1_joint_decode(const uint8_t *in, size_t len, int16_t *out, size_t frames,
                    size_t channels);

#endif
