/*
 * n1.h -- public C API of the n1 codec: lossless compression of single-channel
 * int16 recordings (built for Neuralink N1 data: 10-bit ADC codes on int16).
 *
 * Streaming (bounded memory, one state per channel, no allocation inside):
 *   n1_encoder *e = malloc(sizeof *e);          (the state is ~800 KiB)
 *   n1_encoder_init(e, level);                  level: N1_LEVEL_FAST/DEFAULT/MAX
 *   n1_encoder_block(e, x, n, out, cap, &len);  any n >= 0, repeatedly; appends
 *                                               len bytes (possibly 0: see below);
 *                                               cap >= n1_encoder_block_bound(n)
 *                                               always suffices
 *   n1_encoder_finish(e, out, cap, &len);       flushes what is held back;
 *                                               cap >= n1_encoder_block_bound(0)
 *   n1_decoder_init(d);
 *   n1_decoder_block(d, in, len, &used, out, cap, &got);  decodes the header (on
 *                                               the first call) and one block, which
 *                                               holds at most N1_BLOCK_MAX samples
 * The encoder holds back the first N1_DETECT_SAMPLES samples (whatever the call
 * sizes) and decides the ADC mapping from them plus the rest of the call that
 * completes them (or at finish, for shorter streams; the fast level looks at no
 * more than N1_DETECT_SAMPLES samples of that call); samples that later fall
 * off that grid are coded through an escape (still lossless). A block
 * that would code larger than its raw samples is stored raw instead, so a stream
 * is never larger than 2 * count + 2 + 4 * ceil(count / N1_BLOCK_MAX) bytes.
 * Stream formats (N1_FORMAT_V1/V2/V4 below): stretch grids (N1) are format 1, byte
 * for byte as before; for other inputs the model levels code a prefix of the
 * stream with each candidate model (format 1 among them; N1_PROBE_SAMPLES,
 * N1_TRIAL_SAMPLES) and the stream with the smallest, so the first output may
 * come from a few passes over up to N1_DETECT_SAMPLES + N1_BLOCK_MAX samples.
 * n1_encoder_block_bound() leaves room for the largest format-2/4 header
 * (N1_GRID_HEADER_MAX) as well.
 *
 * One-shot:
 *   n1_codec_bound(count)                        worst-case encoded size
 *   n1_codec_encode(x, count, level, out, cap, &len)
 *   n1_codec_decode(in, len, out, count)          count is known from the container;
 *                                               the stream must hold exactly count
 *                                               samples and nothing after them
 * Errors (n1_status): N1_ERR_INVALID_ARG (bad level / NULL), N1_ERR_OUTPUT_FULL,
 * N1_ERR_NOMEM (one-shot helpers allocate the state), N1_ERR_TRUNCATED,
 * N1_ERR_CORRUPT, N1_ERR_UNSUPPORTED (a newer format version). After an error
 * a state must be re-initialised. Decoding is integer-only: the same bytes give
 * the same samples on every compiler, flag set and CPU.
 */
#ifndef N1_CODEC_N1_H
#define N1_CODEC_N1_H

#include <stddef.h>
#include <stdint.h>
#include "n1_model.h"
#include "n1_rans.h"
#include "n1_fast.h"
#include "n1_grid.h"
#include "../common/status.h"

#define N1_LEVEL_FAST 0
#define N1_LEVEL_DEFAULT 1
#define N1_LEVEL_MAX 2
/* Stream format versions. 1: the ADC grids of n1_adc.h and the model of
 * n1_model.h with a Q4 predictor history (every stream written before format 2;
 * still written for stretch/shift ADC grids such as N1's, byte for byte as
 * before). 2: any value grid (n1_grid.h) and a predictor history scaled per
 * stream; the default encoder writes it for other inputs when it codes smaller. */
#define N1_FORMAT_V1 1
#define N1_FORMAT_V2 2
/* 4: format 2 with a long third stage (n1_lms.h; n1:max writes it when it codes
 * smaller): one more header byte after the flags. (3 is never an n1 stream: the
 * first nibble of joint streams, n1_joint.h, so n1 decoders refuse those.) */
#define N1_FORMAT_V4 4
#define N1_FORMAT_VERSION N1_FORMAT_V4 /* the newest version this build reads */
/* Level field of the stream header: 0..2 are model levels (0 = the model-based
 * fast level of the first format-1 streams, still decoded), 3 is the table-driven
 * fast level (n1_fast.h) that N1_LEVEL_FAST now writes. */
#define N1_STREAM_TABLE 3
/* Header version of the table level's streams written now (n1_fast.h block
 * format 2: segments and a per-block predictor); version-1 table streams still
 * decode. The model levels number their own formats (N1_FORMAT_V1/V2 above). */
#define N1_TABLE_VERSION 2
#define N1_BLOCK_MAX 65536
#define N1_SYMBUF (N1_BLOCK_MAX + 4096)
#define N1_DETECT_SAMPLES 4096  /* samples held back to recognise the ADC grid */
/* A format-2 encoder's trials (n1_stream.c): every candidate codes the first
 * N1_PROBE_SAMPLES samples, the N1_PROBE_KEEP smallest the first N1_TRIAL_SAMPLES
 * (n1:max: twice as many kept, twice as long). */
#ifndef N1_TRIAL_SAMPLES
#define N1_TRIAL_SAMPLES 8192
#endif
#ifndef N1_PROBE_SAMPLES
#define N1_PROBE_SAMPLES 2048
#endif
#ifndef N1_PROBE_KEEP
#define N1_PROBE_KEEP 3
#endif

typedef struct n1_encoder {
    int level;
    int table;          /* table-driven fast level (n1_fast.h) instead of the model */
    int started;        /* header written */
    int version;        /* format of the stream being written */
    int stream_level;   /* level field of its header (n1:max may write 1, see n1_stream.c) */
    int force_version;  /* 0: choose per stream; 1 or 2: always that format */
    n1_cross cross;     /* joint coding (n1_joint.h); nref 0 and rec NULL otherwise */
    int reuse_version;  /* 0, or the format whose parameters `reuse` the stream takes */
    n1_params reuse;    /* (n1_encoder_reuse_choice) instead of trying the candidates */
    int follow;         /* reuse came from a stream head (n1_encoder_follow): history
                           shift and width prior still chosen from this stream */
    n1_params par;      /* the level's parameters */
    n1_params used;     /* the parameters of the stream being written */
    n1_grid grid;       /* format 2: the value grid */
    n1_model model;
    size_t npending;
    int16_t pending[N1_DETECT_SAMPLES];
    int16_t code_of[65536];  /* sample (as uint16) -> code, -1 off the grid */
    int code_of_version;     /* the format whose map code_of holds (0: none yet) */
    union {             /* one or the other, never both */
        uint64_t syms[N1_SYMBUF];   /* model levels: queued rANS symbols */
        n1_fast_enc fast;           /* the table-driven fast level */
    } u;
} n1_encoder;

typedef struct n1_decoder {
    int started;
    int level;
    int version;
    n1_params par;
    n1_model model;
    n1_fast_dec fast;
    n1_grid grid;       /* format 2: the value grid of the header */
    n1_cross cross;     /* joint coding (n1_joint.h); nref 0 and rec NULL otherwise */
} n1_decoder;

/* Parameters of a level (exposed for experiments and tests). */
int n1_level_params(int level, n1_params *out);

size_t n1_encoder_block_bound(size_t count);
int n1_encoder_init(n1_encoder *e, int level);
/* Same, with explicit parameters for the per-sample model (experiments only: the
 * stream records the level number, so a decoder must be initialised with the same
 * parameters). n1_encoder_init_params(e, N1_LEVEL_FAST, &p) with
 * n1_level_params(N1_LEVEL_FAST, &p) writes the older model-based fast stream. */
int n1_encoder_init_params(n1_encoder *e, int level, const n1_params *par);
/* Force the stream format (1 or 2; 0 = choose per stream, the default) before
 * the first n1_encoder_block call. Format 1 is what every release before format 2
 * wrote (tests and frozen fixtures use this). N1_ERR_INVALID_ARG otherwise. */
int n1_encoder_set_version(n1_encoder *e, int version);
/* Joint coding (n1_joint.h): before the first block, the references whose own
 * errors join the prediction and where to record this channel's own errors
 * (model levels only; the arrays must hold one entry per sample coded).
 * N1_ERR_INVALID_ARG for the table-driven fast level with references. */
int n1_encoder_set_cross(n1_encoder *e, const n1_cross *cross);
int n1_decoder_set_cross(n1_decoder *d, const n1_cross *cross);
/* Before the first block: take the format and parameters that `from` chose for
 * its stream (after its finish) instead of trying every candidate again (joint
 * coding codes a channel twice). N1_ERR_INVALID_ARG if `from` has not started. */
int n1_encoder_reuse_choice(n1_encoder *e, const n1_encoder *from);
/* Before the first block: take the format, model variant and stages of the
 * stream that begins with head[0..len) (a stream of the same level, such as the
 * same channel's previous chunk) instead of trying the candidates; the grid, the
 * history shift and the width prior (10-bit grids) still come from this stream's
 * own samples. Reads at most 4 bytes of head. Coding one pass instead of the
 * trials' ~2.5; the bytes are a valid stream whatever head says.
 * N1_ERR_INVALID_ARG: a started encoder, the table level (it tries nothing), or a
 * head this level does not write (another level, another format, bad fields). */
int n1_encoder_follow(n1_encoder *e, const uint8_t *head, size_t len);
int n1_encoder_block(n1_encoder *e, const int16_t *x, size_t n,
                     uint8_t *out, size_t cap, size_t *out_len);
int n1_encoder_finish(n1_encoder *e, uint8_t *out, size_t cap, size_t *out_len);

int n1_decoder_init(n1_decoder *d);
int n1_decoder_init_params(n1_decoder *d, const n1_params *par);
int n1_decoder_block(n1_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                     int16_t *out, size_t cap, size_t *produced);

size_t n1_codec_bound(size_t count);
int n1_codec_encode(const int16_t *x, size_t count, int level,
                    uint8_t *out, size_t cap, size_t *out_len);
int n1_codec_decode(const uint8_t *in, size_t len, int16_t *out, size_t count);
/* The same with a caller's state (no allocation), optional references (cross may be
 * NULL: independent coding) and an optional stream head to follow (head NULL: the
 * candidates' trials; see n1_encoder_follow). Both NULL: n1_codec_encode's bytes. */
int n1_codec_encode_with(n1_encoder *e, const int16_t *x, size_t count, int level,
                         const n1_cross *cross, const uint8_t *head, size_t head_len,
                         uint8_t *out, size_t cap, size_t *out_len);
int n1_codec_decode_with(n1_decoder *d, const uint8_t *in, size_t len, const n1_cross *cross,
                         int16_t *out, size_t count);
/* Two streams of `count` samples each into out0 and out1, exactly as
 * n1_codec_decode_with on each (no references): the same samples and, on failure,
 * the same status, that of the first stream that fails (*failed: 0 or 1). Two
 * table-level (n1:fast) streams decode their blocks side by side, faster. */
int n1_codec_decode_pair(n1_decoder *d0, n1_decoder *d1, const uint8_t *in0, size_t len0,
                         const uint8_t *in1, size_t len1, int16_t *out0, int16_t *out1,
                         size_t count, int *failed);
/* n1_codec_encode following the stream head head[0..head_len) (n1_encoder_follow);
 * head NULL: exactly n1_codec_encode. */
int n1_codec_encode_follow(const int16_t *x, size_t count, int level, const uint8_t *head,
                           size_t head_len, uint8_t *out, size_t cap, size_t *out_len);

#endif
