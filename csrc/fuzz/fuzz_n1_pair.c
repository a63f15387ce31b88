/* fuzz_n1_pair.c -- two n1 streams decoded side by side (n1_codec_decode_pair, n1/n1.h:
 * n1:fast streams run their blocks two at a time in vector lanes where the CPU has
 * them) against each decoded alone (n1_codec_decode_with): the same status, the same
 * failing stream and, on success, the same samples.
 * Input: count (u32 LE, capped), the first stream's length (u32 LE, reduced to what is
 * left), the first stream, then the second to the end. */
#include "fuzz.h"
#include "n1/n1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t count = fuzz_take_count(&in);
    size_t first = fuzz_take_u32(&in) % (in.n + 1), len = 0;
    uint8_t *both = fuzz_take_rest(&in, &len);
    int16_t *out = (int16_t *)malloc(4 * (count ? count : 1) * sizeof(int16_t));
    n1_decoder *d = (n1_decoder *)malloc(2 * sizeof(n1_decoder));
    if (both && out && d) {
        /* each stream in its own allocation, so a read past either is a finding */
        uint8_t *a = (uint8_t *)malloc(first ? first : 1), *b = (uint8_t *)malloc(len - first + 1);
        if (a && b) {
            memcpy(a, both, first);
            memcpy(b, both + first, len - first);
            int16_t *p0 = out, *p1 = out + count, *s0 = out + 2 * count, *s1 = out + 3 * count;
            int second = 0;
            int st = n1_codec_decode_pair(d, d + 1, a, first, b, len - first, p0, p1, count, &second);
            fuzz_check_decode_status(st, "n1 decode pair");
            int sa = n1_codec_decode_with(d, a, first, NULL, s0, count);
            int sb = sa == N1_OK ? n1_codec_decode_with(d, b, len - first, NULL, s1, count) : N1_OK;
            FUZZ_CHECK(st == (sa != N1_OK ? sa : sb));
            FUZZ_CHECK(second == (sa == N1_OK && sb != N1_OK));
            if (st == N1_OK) {
                fuzz_check_equal(p0, s0, 2 * count, "n1 pair vs alone, first stream");
                fuzz_check_equal(p1, s1, 2 * count, "n1 pair vs alone, second stream");
            }
        }
        free(a);
        free(b);
    }
    free(d);
    free(out);
    free(both);
    return 0;
}
