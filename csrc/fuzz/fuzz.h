/*
 * fuzz.h -- what the libFuzzer targets in csrc/fuzz/ share: reading parameters
 * off the front of the fuzzer's input, the status a decoder may return for
 * untrusted bytes, and an abort that names the broken property.
 *
 * Input layout of every decoder target: a few parameter fields first (each read
 * with fuzz_take_*, missing bytes read as zero), then the stream to the end.
 * tools/fuzz_corpus.py writes seeds in the same layout; each target's comment
 * names its fields. Counts derived from the input are capped (FUZZ_MAX_COUNT),
 * so no input can make a target allocate or run without bound: a finding is a
 * real bug, never a budget artefact.
 *
 * Targets abort() on a broken property (a status outside the decoder's
 * contract, a round trip that does not give the input back); ASan and UBSan
 * (-fno-sanitize-recover) abort on memory and arithmetic errors.
 */
#ifndef N1_FUZZ_H
#define N1_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/status.h"

/* Most symbols or samples a target decodes or encodes in one run. */
#define FUZZ_MAX_COUNT (1u << 17)

typedef struct fuzz_input {
    const uint8_t *p;
    size_t n;
} fuzz_input;

static inline uint32_t fuzz_take_u8(fuzz_input *in)
{
    if (in->n == 0) return 0;
    uint32_t v = in->p[0];
    in->p++;
    in->n--;
    return v;
}

/* Little-endian 32-bit field. */
static inline uint32_t fuzz_take_u32(fuzz_input *in)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; i++) v |= fuzz_take_u8(in) << (8 * i);
    return v;
}

/* A count field: 32 bits little-endian, reduced to 0..FUZZ_MAX_COUNT. */
static inline size_t fuzz_take_count(fuzz_input *in)
{
    return fuzz_take_u32(in) % (FUZZ_MAX_COUNT + 1u);
}

/* A copy of the rest of the input in its own allocation (so ASan sees any read
 * past its end), or NULL when nothing is left. The caller frees it. */
static inline uint8_t *fuzz_take_rest(fuzz_input *in, size_t *len)
{
    *len = in->n;
    uint8_t *copy = (uint8_t *)malloc(in->n ? in->n : 1);
    if (copy && in->n) memcpy(copy, in->p, in->n);
    in->p += in->n;
    in->n = 0;
    return copy;
}

/* The rest of the input as 16-bit little-endian words (an odd last byte is dropped),
 * at most `max` of them. */
static inline uint16_t *fuzz_take_words(fuzz_input *in, size_t max, size_t *count)
{
    size_t n = in->n / 2;
    if (n > max) n = max;
    uint16_t *w = (uint16_t *)malloc(n ? n * 2 : 2);
    if (w)
        for (size_t i = 0; i < n; i++) w[i] = (uint16_t)(in->p[2 * i] | (in->p[2 * i + 1] << 8));
    in->p += 2 * n;
    in->n -= 2 * n;
    *count = n;
    return w;
}

#define FUZZ_FAIL(...)                                                          \
    do {                                                                       \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                        \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, "\n");                                                 \
        abort();                                                               \
    } while (0)

#define FUZZ_CHECK(cond)                                                        \
    do {                                                                       \
        if (!(cond)) FUZZ_FAIL("property broken: %s", #cond);                  \
    } while (0)

/* A decoder given untrusted bytes may succeed or refuse them as truncated,
 * corrupt, too large or of a newer version; anything else (an invalid argument
 * for valid arguments, a full output buffer the contract rules out, an unknown
 * code) is a bug. NOMEM is allowed: the fuzzer may run with a malloc limit. */
static inline void fuzz_check_decode_status(int status, const char *what)
{
    if (status == N1_OK || status == N1_ERR_TRUNCATED || status == N1_ERR_CORRUPT ||
        status == N1_ERR_TOO_LARGE || status == N1_ERR_UNSUPPORTED || status == N1_ERR_NOMEM)
        return;
    FUZZ_FAIL("%s returned status %d (%s), outside its contract", what, status,
              n1_status_message(status));
}

/* The targets of decoders with the signature decode(in, len, out, count) into uint16
 * symbols: input = count (u32 LE, capped), then the stream, copied so that a read past
 * its end is a finding. */
typedef int (*fuzz_u16_decoder)(const uint8_t *in, size_t len, uint16_t *out, size_t count);

static inline int fuzz_u16_decoder_target(const uint8_t *data, size_t size, fuzz_u16_decoder decode,
                                          const char *what)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in), len = 0;
    uint8_t *stream = fuzz_take_rest(&in, &len);
    uint16_t *out = (uint16_t *)malloc(count ? count * 2 : 2);
    if (stream && out)
        fuzz_check_decode_status(decode(stream, len, out, count), what);
    free(out);
    free(stream);
    return 0;
}

/* Encoders given valid arguments and a buffer of their bound must succeed. */
static inline void fuzz_check_encode_status(int status, const char *what)
{
    if (status == N1_OK || status == N1_ERR_NOMEM) return;
    FUZZ_FAIL("%s returned status %d (%s) for valid arguments", what, status,
              n1_status_message(status));
}

static inline void fuzz_check_equal(const void *a, const void *b, size_t bytes, const char *what)
{
    if (bytes && memcmp(a, b, bytes) != 0) FUZZ_FAIL("%s: the round trip changed the data", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
