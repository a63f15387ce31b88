/* fuzz_rice.c -- the adaptive Rice decoder (entropy/rice.h) on any bytes.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "entropy/rice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_u16_decoder_target(data, size, n1c_rice_decode, "rice decode");
}
