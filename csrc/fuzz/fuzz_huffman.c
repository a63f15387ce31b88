/* fuzz_huffman.c -- the canonical Huffman decoder (entropy/huffman.h) on any bytes.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "entropy/huffman.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in), len = 0;
    uint8_t *stream = fuzz_take_rest(&in, &len);
    uint16_t *out = (uint16_t *)malloc(count ? count * 2 : 2);
    n1c_huffman_decoder_work *work = (n1c_huffman_decoder_work *)malloc(sizeof *work);
    if (stream && out && work)
        fuzz_check_decode_status(n1c_huffman_decode(stream, len, work, out, count), "huffman decode");
    free(work);
    free(out);
    free(stream);
    return 0;
}
