/* fuzz_n1.c -- the n1 codec's one-shot decoder (n1_codec_decode, the public header
 * n1codec.h) on any bytes: every level, stored and coded blocks, both block coders.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "n1codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in), len = 0;
    uint8_t *stream = fuzz_take_rest(&in, &len);
    int16_t *out = (int16_t *)malloc(count ? count * 2 : 2);
    if (stream && out)
        fuzz_check_decode_status(n1_codec_decode(stream, len, out, count), "n1 decode");
    free(out);
    free(stream);
    return 0;
}
