/*
 * rt.h -- real-time framed mode: one self-delimited packet per frame of all
 * channels, decodable as soon as it arrives, robust to lost packets.
 *
 * A frame is `frame_samples` samples of each of `channels` channels, int16,
 * interleaved (value of channel ch at time t is frame[t * channels + ch]); at
 * 19.5 kHz a 20-sample frame is ~1 ms. The encoder keeps a small model per
 * channel (n1c_rt_channel_state_size() = 24 bytes: previous ADC code, mean
 * absolute residual, predictor level and gains) and codes each frame into one
 * packet; the decoder rebuilds the frame from that packet and its own copy of
 * the same state. Latency is one frame.
 *
 * Model, per sample (identical on both sides, integer only):
 *   code  c = ADC code of the sample (n1_adc.h grid; off-grid -> escape)
 *   base  b = previous code - gain * level, rounded, clamped to the grid, where
 *             level is a leaky sum (decay 7/8) of past first differences and
 *             gain adapts by sign-sign LMS (predictor 1; predictor 0: b = previous
 *             code; predictor 2 adds gain2 * last difference, for smoother,
 *             oversampled signals). One pole does what a 16-tap least-squares filter does on N1
 *             data: pull the signal back towards its recent mean.
 *   class j = quarter-octave of the channel's running mean |c - b| (64-sample
 *             window); above the largest class the residual is shifted right by
 *             k bits (its k low bits follow as uniform symbols)
 *   table   = Gaussian of the class's width integrated over the code bins around
 *             b; for 10-bit "stretch" grids (N1) the bins have the ADC's uneven
 *             widths, which depend on b mod 32 (n1_fast_w32), so there is one
 *             table per (class, phase). Symbols: residual -63..63 and escape
 *             (followed by the raw 16-bit sample).
 * Tables are shared, read-only, built once per grid by n1c_rt_tables_init()
 * (n1c_rt_tables_size(): 535 KiB, of which 278 KiB frequency tables and 256 KiB
 * sample <-> code maps) and may serve any number of encoders and decoders.
 *
 * Coder: one 32-bit rANS state per packet, 15-bit probabilities, 16-bit words;
 * the encoder codes the frame backwards once it has it all, so the decoder
 * reads the packet forwards. Samples are coded in the frame's own order (time
 * major: all channels at t, then t + 1), so consecutive symbols belong to
 * different channels and their model updates overlap in the CPU. A packet whose coded payload would not be smaller
 * than the raw samples stores them raw (the models run over them all the same).
 *
 * Resynchronisation: frame n is a resync point when n % resync_interval == 0.
 * Before coding it, every channel's model restarts from the fixed initial
 * state (the first row of the frame is coded around mid-scale with 64
 * symbols spanning the grid). A decoder
 * that missed a packet, or got a corrupt one, reports the following frames as
 * lost (N1C_RT_FRAME_SKIPPED) until the next resync point and decodes correctly
 * from there on: a loss costs at most resync_interval frames (the lost frame
 * and the frames up to the next resync point).
 *
 * Packet (little endian):
 *   u8  tag      bits 0..3: format version (1), bit 4: resync point,
 *                bit 5: raw payload, bits 6..7: zero
 *   u8  config   low byte of the CRC-32 of the stream's config (a decoder set
 *                up with another config refuses the packet)
 *   u32 frame    frame counter (wraps at 2^32)
 *   varint n     payload length
 *   n bytes      payload: raw: frame_samples*channels LE int16 (time major);
 *                coded: u32 final rANS state, then 16-bit LE words
 *   u32 crc      CRC-32 of every byte before it
 * A packet is never longer than n1c_rt_packet_bound(config).
 *
 * Errors (n1_status, common/status.h): N1_ERR_INVALID_ARG for a bad config or
 * a null pointer, N1_ERR_OUTPUT_FULL when a buffer is smaller than the bound,
 * N1_ERR_TRUNCATED when a packet is shorter than its header says,
 * N1_ERR_CORRUPT for a bad tag, config byte, CRC or payload. After an error
 * the decoder waits for the next resync point; the encoder stays usable.
 * No allocation, no global mutable state; every read is bounds-checked.
 */
#ifndef N1_REALTIME_RT_H
#define N1_REALTIME_RT_H

#include <stddef.h>
#include <stdint.h>
#include "../n1/n1_adc.h"

#define N1C_RT_VERSION 1
#define N1C_RT_MAX_CHANNELS 4096
#define N1C_RT_MAX_FRAME_SAMPLES 4096
#define N1C_RT_MAX_FRAME_VALUES (1u << 20)   /* channels * frame_samples */
#define N1C_RT_CLASSES 26                     /* width classes of the residual model */
#define N1C_RT_NSYM 128                       /* residuals -63..63, escape */
#define N1C_RT_PROB_BITS 15
#define N1C_RT_HEADER_MAX 11                  /* tag, config, frame, varint(<2^28) */
#define N1C_RT_TRAILER 4

typedef struct n1c_rt_config {
    uint32_t channels;        /* 1..N1C_RT_MAX_CHANNELS */
    uint32_t frame_samples;   /* 1..N1C_RT_MAX_FRAME_SAMPLES, channels*frame_samples <= MAX_FRAME_VALUES */
    uint32_t resync_interval; /* frames between resync points, 1..2^20 */
    uint32_t predictor;       /* 0: first difference, 1: adaptive one-pole predictor,
                                 2: 1 plus a tap on the last difference (smooth signals) */
    int adc_kind, adc_bits;   /* ADC grid, as n1_adc_set() takes them */
} n1c_rt_config;

/* Default config for `channels` x `frame_samples`: resync every 100 frames,
 * adaptive predictor, 10-bit stretch grid (N1). */
void n1c_rt_config_default(n1c_rt_config *c, uint32_t channels, uint32_t frame_samples);
/* N1_OK or N1_ERR_INVALID_ARG. */
int n1c_rt_config_check(const n1c_rt_config *c);
/* The config byte packets carry (c must be valid). */
uint8_t n1c_rt_config_tag(const n1c_rt_config *c);

/* Shared coding tables for one ADC grid. */
typedef struct n1c_rt_tables n1c_rt_tables;
size_t n1c_rt_tables_size(void);
/* Build into caller memory of n1c_rt_tables_size() bytes (suitably aligned, e.g.
 * from malloc). N1_OK or N1_ERR_INVALID_ARG (bad grid). */
int n1c_rt_tables_init(n1c_rt_tables *t, int adc_kind, int adc_bits);

/* Bytes of model state per channel (the figure the implant must hold). */
size_t n1c_rt_channel_state_size(void);
/* Upper bound on one packet's length for config c (0 if c is invalid). */
size_t n1c_rt_packet_bound(const n1c_rt_config *c);

/* Encoder: caller memory of n1c_rt_encoder_size(c) bytes (0 if c is invalid),
 * holding the channel states and the frame's scratch. t must outlive it and be
 * built for c's grid. */
typedef struct n1c_rt_encoder n1c_rt_encoder;
size_t n1c_rt_encoder_size(const n1c_rt_config *c);
int n1c_rt_encoder_init(n1c_rt_encoder *e, size_t mem_size, const n1c_rt_config *c,
                      const n1c_rt_tables *t);
/* Code one frame (channels*frame_samples values) into out[0..cap); *out_len is
 * the packet length. cap must be >= n1c_rt_packet_bound(c), else
 * N1_ERR_OUTPUT_FULL and nothing is consumed (the frame counter does not move). */
int n1c_rt_encode_frame(n1c_rt_encoder *e, const int16_t *frame, uint8_t *out, size_t cap,
                      size_t *out_len);
/* Frame counter of the next packet. */
uint32_t n1c_rt_encoder_frame(const n1c_rt_encoder *e);

/* Decoder. */
typedef struct n1c_rt_decoder n1c_rt_decoder;
size_t n1c_rt_decoder_size(const n1c_rt_config *c);
int n1c_rt_decoder_init(n1c_rt_decoder *d, size_t mem_size, const n1c_rt_config *c,
                      const n1c_rt_tables *t);

enum {
    N1C_RT_FRAME_DECODED = 0, /* frame written to out */
    N1C_RT_FRAME_SKIPPED = 1, /* valid packet, but the decoder lost step: out untouched */
    N1C_RT_FRAME_STALE = 2    /* counter older than expected (duplicate/reordered): ignored */
};
typedef struct n1c_rt_packet_info {
    uint32_t frame;   /* the packet's frame counter (when the header was readable) */
    uint32_t missing; /* frames skipped over by the counter before this packet */
    int resync;       /* the packet is a resync point */
    int result;       /* N1C_RT_FRAME_* */
} n1c_rt_packet_info;

/* Length of the packet starting at p (header + payload + CRC), reading at most
 * len bytes: N1_OK when all of it is in p[0..len); N1_ERR_TRUNCATED when the
 * header or the packet is incomplete (*packet_len is set once the header is
 * readable, so a reader knows how many bytes to wait for); N1_ERR_CORRUPT for
 * a header no encoder writes. Checks no CRC (n1c_rt_decode_packet does). */
int n1c_rt_packet_length(const uint8_t *p, size_t len, size_t *packet_len);
/* Decode the packet at p[0..len) (exactly one packet). out holds
 * channels*frame_samples values. On N1_OK, info->result says whether out was
 * written. On an error the frame is lost and the decoder waits for the next
 * resync point. */
int n1c_rt_decode_packet(n1c_rt_decoder *d, const uint8_t *p, size_t len, int16_t *out,
                       n1c_rt_packet_info *info);

#endif
