/* fuzz_bwtc.c -- the bwtc chain decoder (transform/bwt_chain.h) on any bytes.
 * Input: count (u32 LE, capped), then the stream. */
#include "fuzz.h"
#include "transform/bwt_chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_u16_decoder_target(data, size, n1c_bwtc_decode, "bwtc decode");
}
