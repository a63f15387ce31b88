/* fuzz_rans.c -- the static rANS decoder (entropy/rans.h) on any bytes.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "entropy/rans.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_u16_decoder_target(data, size, n1c_rans_decode, "rans decode");
}
