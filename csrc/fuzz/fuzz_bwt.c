/* fuzz_bwt.c -- the inverse BWT (transform/bwt.h) of bytes and of 16-bit symbols on any
 * column and primary index. Whenever it accepts them, the forward BWT of its output
 * must give the same column and index back (the transform is a bijection).
 * Input: mode (1 byte: low bit 0 = bytes, 1 = 16-bit symbols), primary (u32 LE),
 * alphabet k - 1 (u32 LE, reduced to 0..65535; 16-bit mode only), then the column
 * (bytes, or 16-bit LE words), at most FUZZ_MAX_COUNT symbols. */
#include "fuzz.h"
#include "transform/bwt.h"

static void bytes_case(fuzz_input *in, uint32_t primary)
{
    size_t n = 0;
    uint8_t *col = fuzz_take_rest(in, &n);
    if (n > FUZZ_MAX_COUNT) n = FUZZ_MAX_COUNT;
    uint8_t *text = (uint8_t *)malloc(n + 1), *back = (uint8_t *)malloc(n + 1);
    uint32_t *work = (uint32_t *)malloc(n1c_bwt_decode_work_size(n, 256) * sizeof(uint32_t));
    int32_t *ework = (int32_t *)malloc(n1c_bwt_work_size(n) * sizeof(int32_t) + 4);
    if (col && text && back && work && ework) {
        int st = n1c_bwt_decode_u8(col, n, primary, text, work);
        fuzz_check_decode_status(st, "bwt decode (bytes)");
        if (st == N1_OK) {
            uint32_t again = 0;
            fuzz_check_encode_status(n1c_bwt_encode_u8(text, n, back, &again, ework), "bwt encode");
            FUZZ_CHECK(again == primary);
            fuzz_check_equal(back, col, n, "bwt (bytes)");
        }
    }
    free(ework);
    free(work);
    free(back);
    free(text);
    free(col);
}

static void words_case(fuzz_input *in, uint32_t primary)
{
    uint32_t k = fuzz_take_u32(in) % 65536u + 1u;
    size_t n = 0;
    uint16_t *col = fuzz_take_words(in, FUZZ_MAX_COUNT, &n);
    uint16_t *text = (uint16_t *)malloc(2 * n + 2), *back = (uint16_t *)malloc(2 * n + 2);
    uint32_t *work = (uint32_t *)malloc(n1c_bwt_decode_work_size(n, k) * sizeof(uint32_t));
    int32_t *ework = (int32_t *)malloc(n1c_bwt_work_size(n) * sizeof(int32_t) + 4);
    if (col && text && back && work && ework) {
        int st = n1c_bwt_decode_u16(col, n, k, primary, text, work);
        fuzz_check_decode_status(st, "bwt decode (16-bit)");
        if (st == N1_OK) {
            uint32_t again = 0;
            fuzz_check_encode_status(n1c_bwt_encode_u16(text, n, k, back, &again, ework), "bwt encode");
            FUZZ_CHECK(again == primary);
            fuzz_check_equal(back, col, 2 * n, "bwt (16-bit)");
        }
    }
    free(ework);
    free(work);
    free(back);
    free(text);
    free(col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint32_t mode = fuzz_take_u8(&in);
    uint32_t primary = fuzz_take_u32(&in);
    if (mode & 1u)
        words_case(&in, primary);
    else
        bytes_case(&in, primary);
    return 0;
}
