/* fuzz_container.c -- the whole-file path of the native program (n1file.h,
 * n1_file_decode_wav) on any bytes: the .n1 container (magic, version, header
 * fields, header CRC, WAV header and trailer), then the n1 payload and the sample
 * CRC, then the rebuilt WAV. Input: the .n1 file. Links n1tools, not n1core. */
#include "fuzz.h"
#include "n1file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *wav = NULL;
    size_t wav_len = 0;
    char msg[256];
    /* 2^22 samples: enough for every seed, and a cap on what a crafted header may claim. */
    int status = n1_file_decode_wav(data, size, (uint64_t)1 << 22, &wav, &wav_len, msg, sizeof msg);
    if (status == N1_OK && !wav) FUZZ_FAIL("n1_file_decode_wav: N1_OK without an output");
    if (status != N1_OK && wav) FUZZ_FAIL("n1_file_decode_wav: an error with an output");
    if (status != N1_ERR_INVALID_ARG)  /* not an .n1 file at all: inside the contract too */
        fuzz_check_decode_status(status, "container decode");
    free(wav);
    return 0;
}
