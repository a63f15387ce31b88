/* fuzz_range.c -- the adaptive range decoder (entropy/range.h), order 0 and 1, on any bytes.
 * Input: count (u32 LE, capped), order (1 byte, low bit), then the stream. */
#include "fuzz.h"
#include "entropy/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in), len = 0;
    int order = (int)(fuzz_take_u8(&in) & 1u);
    uint8_t *stream = fuzz_take_rest(&in, &len);
    uint16_t *out = (uint16_t *)malloc(count ? count * 2 : 2);
    if (stream && out)
        fuzz_check_decode_status(n1c_range_decode(stream, len, order, out, count), "range decode");
    free(out);
    free(stream);
    return 0;
}
