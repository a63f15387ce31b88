/*
 * n1codec.h -- the public C API of n1codec: the only header installed for C users,
 * and all they need (it includes nothing from the library's source tree).
 *
 * The n1 codec: lossless compression of single-channel int16 recordings (built for
 * Neuralink N1 data: 10-bit ADC codes on int16), one-shot or streaming, plus the
 * library's status codes and its CRC-32. The other families of the C core
 * (predictors, transforms, entropy coders) are internal: the Python package binds
 * them from the source tree.
 *
 * Every fallible function returns an n1_status: N1_OK (0) or a negative code below
 * (n1_status_message() gives a sentence). Nothing is global, nothing prints,
 * decoders bound every read and never write past the count their caller gives.
 * Decoding is integer-only: the same bytes give the same samples on every
 * compiler, flag set and CPU.
 *
 * One-shot:
 *   n1_codec_bound(count)                        worst-case encoded size
 *   n1_codec_encode(x, count, level, out, cap, &len)
 *   n1_codec_decode(in, len, out, count)         the stream must hold exactly count
 *                                                samples and nothing after them
 *
 * Streaming (bounded memory, one state per channel; the state is opaque):
 *   n1_encoder *e;  n1_encoder_create(&e, level);
 *   n1_encoder_block(e, x, n, out, cap, &len);   any n >= 0, repeatedly; appends len
 *                                                bytes (possibly 0: the encoder holds
 *                                                back the first 4096 samples to
 *                                                recognise the ADC grid);
 *                                                cap >= n1_encoder_block_bound(n)
 *   n1_encoder_finish(e, out, cap, &len);        flushes what is held back;
 *                                                cap >= n1_encoder_block_bound(0)
 *   n1_encoder_free(e);
 *   (n1_encoder_follow(e, head, len) before the first block: a chunk of a channel
 *   takes the model its previous chunk's stream chose, without trials)
 *   n1_decoder *d;  n1_decoder_create(&d);
 *   n1_decoder_block(d, in, len, &used, out, cap, &got);   decodes the header (on the
 *                                                first call) and one block of at most
 *                                                N1_BLOCK_MAX samples; call again with
 *                                                the bytes after `used`
 *   n1_decoder_free(d);
 * After an error a state must be re-initialised (n1_encoder_init / n1_decoder_init)
 * before it is used again. A stream is never larger than
 * 2 * count + 2 + 4 * ceil(count / N1_BLOCK_MAX) bytes.
 *
 * Static allocation (no malloc inside the library), as zstd's ZSTD_STATIC_LINKING_ONLY:
 * define N1CODEC_STATIC_LINKING_ONLY before including this header, then place a
 * state in your own memory of n1_encoder_state_size() / n1_decoder_state_size()
 * bytes, 8-byte aligned, with n1_encoder_init_static / n1_decoder_init_static. The
 * sizes belong to this build of the library (the encoder state is ~780 KiB): ask
 * for them at run time, never hard-code them.
 *
 * Build and install the library alone with CMake:
 *   cmake -S . -B build && cmake --build build && cmake --install build --prefix P
 * gives P/include/n1codec.h and P/lib/libn1core.a; link with -ln1core -lm.
 */
#ifndef N1CODEC_H
#define N1CODEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes (the library's common/status.h defines the same enum under
 * the same guard, so either header may come first) ---- */
#ifndef N1_STATUS_H
#define N1_STATUS_H
typedef enum n1_status {
    N1_OK = 0,
    N1_ERR_TRUNCATED = -1,    /* the input stream ended before the data it announced */
    N1_ERR_CORRUPT = -2,      /* the input stream holds values no encoder writes */
    N1_ERR_OUTPUT_FULL = -3,  /* the caller's output buffer is too small */
    N1_ERR_NOMEM = -4,        /* an allocation failed */
    N1_ERR_INVALID_ARG = -5,  /* a parameter is outside its documented range */
    N1_ERR_UNSUPPORTED = -6,  /* a valid stream uses a feature this build lacks */
    N1_ERR_TOO_LARGE = -7     /* a size exceeds what the format or this build allows */
} n1_status;

/* A static English sentence for a status code (never NULL). */
const char *n1_status_message(int status);
#endif

/* CRC-32 (zlib's): crc = 0 to start; data may be NULL only when len is 0. */
uint32_t n1_crc32(uint32_t crc, const void *data, size_t len);

/* ---- the n1 codec ---- */
#define N1_LEVEL_FAST 0
#define N1_LEVEL_DEFAULT 1
#define N1_LEVEL_MAX 2
#define N1_BLOCK_MAX 65536   /* most samples one n1_decoder_block call produces */

/* The opaque states (the library's n1/n1.h defines them; it comes first there). */
#ifndef N1_CODEC_N1_H
typedef struct n1_encoder n1_encoder;
typedef struct n1_decoder n1_decoder;
#endif

/* One-shot. Errors: N1_ERR_INVALID_ARG (bad level, NULL), N1_ERR_OUTPUT_FULL,
 * N1_ERR_NOMEM (they allocate a state), N1_ERR_TRUNCATED, N1_ERR_CORRUPT,
 * N1_ERR_UNSUPPORTED (a newer format version). */
size_t n1_codec_bound(size_t count);
int n1_codec_encode(const int16_t *x, size_t count, int level,
                    uint8_t *out, size_t cap, size_t *out_len);
int n1_codec_decode(const uint8_t *in, size_t len, int16_t *out, size_t count);

/* Streaming states on the heap. create: N1_OK and *state set, or N1_ERR_INVALID_ARG
 * (NULL, bad level) / N1_ERR_NOMEM with *state = NULL. free: NULL is a no-op. */
int n1_encoder_create(struct n1_encoder **encoder, int level);
void n1_encoder_free(struct n1_encoder *encoder);
int n1_decoder_create(struct n1_decoder **decoder);
void n1_decoder_free(struct n1_decoder *decoder);

/* (Re-)initialise an existing state: start a new stream. */
int n1_encoder_init(struct n1_encoder *e, int level);
int n1_decoder_init(struct n1_decoder *d);

/* Before the first block of a model level's stream: take the format, model variant
 * and stages named by head[0..len), the first bytes (at most 4 are read) of an earlier
 * stream of the same level, such as the same channel's previous chunk, instead of
 * trying every candidate (one pass instead of ~2.5; the grid and scale are still the
 * stream's own). N1_ERR_INVALID_ARG for a started state, the fast level, or a head
 * this level does not write. */
int n1_encoder_follow(struct n1_encoder *e, const uint8_t *head, size_t len);

size_t n1_encoder_block_bound(size_t count);
int n1_encoder_block(struct n1_encoder *e, const int16_t *x, size_t n,
                     uint8_t *out, size_t cap, size_t *out_len);
int n1_encoder_finish(struct n1_encoder *e, uint8_t *out, size_t cap, size_t *out_len);
int n1_decoder_block(struct n1_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                     int16_t *out, size_t cap, size_t *produced);

#ifdef __cplusplus
}
#endif

#endif

/* ---- static allocation: only with N1CODEC_STATIC_LINKING_ONLY (outside the main
 * guard, so a second include with the macro defined still adds it) ---- */
#if defined(N1CODEC_STATIC_LINKING_ONLY) && !defined(N1CODEC_H_STATIC)
#define N1CODEC_H_STATIC
#ifdef __cplusplus
extern "C" {
#endif
/* Bytes a state needs in this build of the library. */
size_t n1_encoder_state_size(void);
size_t n1_decoder_state_size(void);
/* Initialise a state inside the caller's memory [workspace, workspace + size):
 * returns the state (at workspace), or NULL when workspace is NULL, not aligned
 * for the state (8 bytes suffice; malloc's memory always is), smaller than the
 * state size, or the level is invalid. The memory must outlive the state; there
 * is nothing to free. */
struct n1_encoder *n1_encoder_init_static(void *workspace, size_t size, int level);
struct n1_decoder *n1_decoder_init_static(void *workspace, size_t size);
#ifdef __cplusplus
}
#endif
#endif
