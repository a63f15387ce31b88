/* fuzz_rle.c -- the run-length decoders (transform/rle.h): bzip2's zero-run code into
 * bytes and into 16-bit symbols (sized by n1c_zrle_decoded_length with a cap), and the
 * plain byte RLE (sized by n1c_rle_decoded_length). Whatever decodes must encode back
 * to the same symbols, except where a code has two spellings (zero-run output of u8:
 * symbols above 256 are refused, so the check holds there too).
 * Input: mode (1 byte: 0 = zero-run to bytes, 1 = zero-run to 16-bit, 2, 3 = plain RLE),
 * then the stream (16-bit LE symbols for the zero-run modes, bytes for plain RLE). */
#include "fuzz.h"
#include "transform/rle.h"

#define EXPAND_LIMIT (4u * FUZZ_MAX_COUNT)

static void zero_run(fuzz_input *in, int wide)
{
    size_t m = 0;
    uint16_t *sym = fuzz_take_words(in, FUZZ_MAX_COUNT, &m);
    uint64_t n = 0;
    if (!sym) return;
    int st = n1c_zrle_decoded_length(sym, m, EXPAND_LIMIT, &n);
    fuzz_check_decode_status(st, "zrle decoded length");
    if (st == N1_OK) {
        FUZZ_CHECK(n <= EXPAND_LIMIT);
        size_t cap = (size_t)n + 1;
        void *out = malloc(wide ? 2 * cap : cap);
        uint16_t *back = (uint16_t *)malloc(2 * cap);
        if (out && back) {
            size_t got = 0;
            st = wide ? n1c_zrle_decode_u16(sym, m, (uint16_t *)out, (size_t)n)
                      : n1c_zrle_decode_u8(sym, m, (uint8_t *)out, (size_t)n);
            fuzz_check_decode_status(st, "zrle decode");
            if (st == N1_OK) {
                st = wide ? n1c_zrle_encode_u16((const uint16_t *)out, (size_t)n, back, cap, &got)
                          : n1c_zrle_encode_u8((const uint8_t *)out, (size_t)n, back, cap, &got);
                /* u16 inputs of 65535 cannot be re-encoded (outputs stay below 65536) */
                if (st != N1_ERR_INVALID_ARG) {
                    fuzz_check_encode_status(st, "zrle encode");
                    FUZZ_CHECK(got == m);
                    fuzz_check_equal(back, sym, 2 * m, "zrle");
                }
            }
        }
        free(back);
        free(out);
    }
    free(sym);
}

static void plain(fuzz_input *in)
{
    size_t m = 0, n = 0, got = 0;
    uint8_t *stream = fuzz_take_rest(in, &m);
    if (m > FUZZ_MAX_COUNT) m = FUZZ_MAX_COUNT;
    if (!stream) return;
    int st = n1c_rle_decoded_length(stream, m, &n);
    fuzz_check_decode_status(st, "rle decoded length");
    if (st == N1_OK) {
        uint8_t *out = (uint8_t *)malloc(n + 1);
        if (out) {
            st = n1c_rle_decode(stream, m, out, n, &got);
            fuzz_check_decode_status(st, "rle decode");
            FUZZ_CHECK(st == N1_OK && got == n);
            /* a short cap must be refused, never overrun */
            if (n > 0) FUZZ_CHECK(n1c_rle_decode(stream, m, out, n - 1, &got) == N1_ERR_OUTPUT_FULL);
        }
        free(out);
    }
    free(stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint32_t mode = fuzz_take_u8(&in) & 3u;
    if (mode < 2)
        zero_run(&in, (int)mode);
    else
        plain(&in);
    return 0;
}
