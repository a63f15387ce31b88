/* fuzz_n1_stream.c -- the n1 codec's streaming decoder (n1_decoder_block, n1codec.h) on
 * any bytes, block by block into an output of a fuzzer-chosen capacity, on a heap state
 * or one placed in caller memory (N1CODEC_STATIC_LINKING_ONLY). Differential check:
 * when the blocks consume the whole stream, the one-shot decoder told the same sample
 * count must accept it and give the same samples.
 * Input: mode (1 byte: low bit = static state), capacity (u32 LE, capped), then the
 * stream. */
#define N1CODEC_STATIC_LINKING_ONLY
#include "fuzz.h"
#include "n1codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint32_t mode = fuzz_take_u8(&in);
    size_t cap = fuzz_take_count(&in), len = 0;
    uint8_t *stream = fuzz_take_rest(&in, &len);
    int16_t *out = (int16_t *)malloc(cap ? cap * 2 : 2);
    int16_t *again = (int16_t *)malloc(cap ? cap * 2 : 2);
    void *workspace = NULL;
    n1_decoder *d = NULL;
    if (mode & 1u) {
        size_t bytes = n1_decoder_state_size();
        workspace = malloc(bytes);
        d = workspace ? n1_decoder_init_static(workspace, bytes) : NULL;
    } else if (n1_decoder_create(&d) != N1_OK) {
        d = NULL;
    }
    if (stream && out && again && d) {
        size_t pos = 0, got = 0;
        int st = N1_OK;
        while (pos < len || pos == 0) {
            size_t used = 0, n = 0;
            st = n1_decoder_block(d, stream + pos, len - pos, &used, out + got, cap - got, &n);
            if (st != N1_OK) break;
            FUZZ_CHECK(used <= len - pos && n <= cap - got && n <= N1_BLOCK_MAX);
            pos += used;
            got += n;
            if (used == 0) break;
        }
        if (st != N1_ERR_OUTPUT_FULL) fuzz_check_decode_status(st, "n1 decoder block");
        if (st == N1_OK && pos == len) {
            FUZZ_CHECK(n1_codec_decode(stream, len, again, got) == N1_OK);
            fuzz_check_equal(again, out, 2 * got, "n1 streaming vs one-shot decode");
        }
    }
    if (!(mode & 1u)) n1_decoder_free(d);
    free(workspace);
    free(again);
    free(out);
    free(stream);
    return 0;
}
