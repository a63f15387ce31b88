/* fuzz_roundtrip_entropy.c -- differential target of the entropy family: the input's
 * words are coded by one coder (huffman, rice, range order 0 or 1, rans) into a buffer of
 * its bound, decoded, and must come back unchanged; the stream never exceeds the bound.
 * Input: coder (1 byte, mod 5), then the symbols as 16-bit LE words. */
#include "fuzz.h"
#include "entropy/huffman.h"
#include "entropy/range.h"
#include "entropy/rans.h"
#include "entropy/rice.h"

static const char *const NAMES[5] = {"huffman", "rice", "range order 0", "range order 1", "rans"};

static size_t bound(unsigned coder, size_t n)
{
    switch (coder) {
    case 0: return n1c_huffman_bound(n);
    case 1: return n1c_rice_bound(n);
    case 2:
    case 3: return n1c_range_bound(n);
    default: return n1c_rans_bound(n) + 1; /* as the Python binding calls it */
    }
}

static int encode(unsigned coder, const uint16_t *x, size_t n, uint8_t *out, size_t cap,
                  size_t *len)
{
    switch (coder) {
    case 0: {
        n1c_huffman_encoder_work *work = (n1c_huffman_encoder_work *)malloc(sizeof *work);
        int st = work ? n1c_huffman_encode(x, n, work, out, cap, len) : N1_ERR_NOMEM;
        free(work);
        return st;
    }
    case 1: return n1c_rice_encode(x, n, out, cap, len);
    case 2:
    case 3: return n1c_range_encode(x, n, (int)coder - 2, out, cap, len);
    default: return n1c_rans_encode(x, n, out, cap, len);
    }
}

static int decode(unsigned coder, const uint8_t *in, size_t len, uint16_t *y, size_t n)
{
    switch (coder) {
    case 0: {
        n1c_huffman_decoder_work *work = (n1c_huffman_decoder_work *)malloc(sizeof *work);
        int st = work ? n1c_huffman_decode(in, len, work, y, n) : N1_ERR_NOMEM;
        free(work);
        return st;
    }
    case 1: return n1c_rice_decode(in, len, y, n);
    case 2:
    case 3: return n1c_range_decode(in, len, (int)coder - 2, y, n);
    default: return n1c_rans_decode(in, len, y, n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    unsigned coder = fuzz_take_u8(&in) % 5u;
    size_t n = 0, len = 0;
    uint16_t *x = fuzz_take_words(&in, FUZZ_MAX_COUNT, &n);
    size_t cap = bound(coder, n);
    uint8_t *stream = (uint8_t *)malloc(cap);
    uint16_t *y = (uint16_t *)malloc(2 * n + 2);
    if (x && stream && y) {
        int st = encode(coder, x, n, stream, cap, &len);
        fuzz_check_encode_status(st, NAMES[coder]);
        if (st == N1_OK) {
            FUZZ_CHECK(len <= cap);
            /* the exact-size copy lets ASan catch any read past the stream */
            uint8_t *exact = (uint8_t *)malloc(len ? len : 1);
            if (exact) {
                if (len) memcpy(exact, stream, len);
                st = decode(coder, exact, len, y, n);
                if (st != N1_ERR_NOMEM) {
                    if (st != N1_OK) FUZZ_FAIL("%s: decoding its own stream gave %d", NAMES[coder], st);
                    fuzz_check_equal(y, x, 2 * n, NAMES[coder]);
                }
            }
            free(exact);
        }
    }
    free(y);
    free(stream);
    free(x);
    return 0;
}
