/* fuzz_bwtc.c -- the bwtc chain decoder (transform/bwt_chain.h) on any bytes.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "transform/bwt_chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in), len = 0;
    uint8_t *stream = fuzz_take_rest(&in, &len);
    uint16_t *out = (uint16_t *)malloc(count ? count * 2 : 2);
    if (stream && out)
        fuzz_check_decode_status(n1c_bwtc_decode(stream, len, out, count), "bwtc decode");
    free(out);
    free(stream);
    return 0;
}
