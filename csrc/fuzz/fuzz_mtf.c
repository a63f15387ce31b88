/* fuzz_mtf.c -- move-to-front decoding (transform/mtf.h) of bytes and of 16-bit indices.
 * Decoding then encoding must give the input back (MTF is a bijection on index strings).
 * Input: mode (1 byte: low bit 0 = bytes, 1 = 16-bit), alphabet k - 1 (u32 LE, reduced
 * to 0..65535; 16-bit mode only), then the indices (bytes or 16-bit LE words; at most
 * MTF_WORK_MAX / k of them). */
#include "fuzz.h"
#include "transform/mtf.h"

/* Decoding costs O(n * mean index) and an index may reach k - 1: n * k stays below this. */
#define MTF_WORK_MAX (1u << 26)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint32_t mode = fuzz_take_u8(&in);
    if (!(mode & 1u)) {
        size_t n = 0;
        uint8_t *idx = fuzz_take_rest(&in, &n);
        uint8_t *sym = (uint8_t *)malloc(n + 1), *back = (uint8_t *)malloc(n + 1);
        if (idx && sym && back) {
            n1c_mtf_decode_u8(idx, n, sym);
            n1c_mtf_encode_u8(sym, n, back);
            fuzz_check_equal(back, idx, n, "mtf (bytes)");
        }
        free(back);
        free(sym);
        free(idx);
        return 0;
    }
    uint32_t k = fuzz_take_u32(&in) % 65536u + 1u;
    size_t n = 0;
    size_t max = MTF_WORK_MAX / k < FUZZ_MAX_COUNT ? MTF_WORK_MAX / k : FUZZ_MAX_COUNT;
    uint16_t *idx = fuzz_take_words(&in, max, &n);
    uint16_t *sym = (uint16_t *)malloc(2 * n + 2), *back = (uint16_t *)malloc(2 * n + 2);
    uint16_t *list = (uint16_t *)malloc(2 * (size_t)k);
    if (idx && sym && back && list) {
        int st = n1c_mtf_decode_u16(idx, n, k, sym, list);
        fuzz_check_decode_status(st, "mtf decode (16-bit)");
        if (st == N1_OK) {
            fuzz_check_encode_status(n1c_mtf_encode_u16(sym, n, k, back, list), "mtf encode");
            fuzz_check_equal(back, idx, 2 * n, "mtf (16-bit)");
        }
    }
    free(list);
    free(back);
    free(sym);
    free(idx);
    return 0;
}
