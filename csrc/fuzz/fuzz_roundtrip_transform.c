/* fuzz_roundtrip_transform.c -- differential target of the transform family: the
 * input's bytes or words go through one transform (BWT of bytes or of 16-bit symbols,
 * MTF of bytes or 16-bit symbols, zero-run RLE, plain RLE, the 5/3 wavelet, the bwtc
 * coder with fuzzer-chosen parameters) and its inverse, and must come back unchanged
 * (16-bit MTF: the first 1024 words, as its cost grows with the alphabet).
 * Input: transform (1 byte, mod 9), parameter bytes a, b, c, d, then the data (bytes,
 * or 16-bit LE words for the 16-bit transforms, the wavelet and bwtc). */
#include "fuzz.h"
#include "transform/bwt.h"
#include "transform/bwt_chain.h"
#include "transform/mtf.h"
#include "transform/rle.h"
#include "transform/wavelet53.h"

#define BWTC_MAX_COUNT (1u << 15)

static void bwt_bytes(const uint8_t *x, size_t n)
{
    uint8_t *col = (uint8_t *)malloc(n + 1), *y = (uint8_t *)malloc(n + 1);
    int32_t *ework = (int32_t *)malloc(n1c_bwt_work_size(n) * sizeof(int32_t) + 4);
    uint32_t *dwork = (uint32_t *)malloc(n1c_bwt_decode_work_size(n, 256) * sizeof(uint32_t));
    uint32_t primary = 0;
    if (col && y && ework && dwork) {
        fuzz_check_encode_status(n1c_bwt_encode_u8(x, n, col, &primary, ework), "bwt encode");
        FUZZ_CHECK(n1c_bwt_decode_u8(col, n, primary, y, dwork) == N1_OK);
        fuzz_check_equal(y, x, n, "bwt (bytes)");
    }
    free(dwork);
    free(ework);
    free(y);
    free(col);
}

static void bwt_words(const uint16_t *x, size_t n)
{
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] >= k) k = x[i] + 1u;
    if (k == 0) k = 1;
    uint16_t *col = (uint16_t *)malloc(2 * n + 2), *y = (uint16_t *)malloc(2 * n + 2);
    int32_t *ework = (int32_t *)malloc(n1c_bwt_work_size(n) * sizeof(int32_t) + 4);
    uint32_t *dwork = (uint32_t *)malloc(n1c_bwt_decode_work_size(n, k) * sizeof(uint32_t));
    uint32_t primary = 0;
    if (col && y && ework && dwork) {
        fuzz_check_encode_status(n1c_bwt_encode_u16(x, n, k, col, &primary, ework), "bwt encode");
        FUZZ_CHECK(n1c_bwt_decode_u16(col, n, k, primary, y, dwork) == N1_OK);
        fuzz_check_equal(y, x, 2 * n, "bwt (16-bit)");
    }
    free(dwork);
    free(ework);
    free(y);
    free(col);
}

static void mtf_bytes(const uint8_t *x, size_t n)
{
    uint8_t *idx = (uint8_t *)malloc(n + 1), *y = (uint8_t *)malloc(n + 1);
    if (idx && y) {
        n1c_mtf_encode_u8(x, n, idx);
        n1c_mtf_decode_u8(idx, n, y);
        fuzz_check_equal(y, x, n, "mtf (bytes)");
    }
    free(y);
    free(idx);
}

static void mtf_words(const uint16_t *x, size_t n, uint32_t k)
{
    uint16_t *idx = (uint16_t *)malloc(2 * n + 2), *y = (uint16_t *)malloc(2 * n + 2);
    uint16_t *list = (uint16_t *)malloc(2 * (size_t)k);
    if (idx && y && list) {
        int st = n1c_mtf_encode_u16(x, n, k, idx, list);
        if (st == N1_ERR_INVALID_ARG) { /* only for a symbol >= k, as documented */
            int outside = 0;
            for (size_t i = 0; i < n; i++) outside |= x[i] >= k;
            FUZZ_CHECK(outside);
        } else {
            fuzz_check_encode_status(st, "mtf encode");
            FUZZ_CHECK(n1c_mtf_decode_u16(idx, n, k, y, list) == N1_OK);
            fuzz_check_equal(y, x, 2 * n, "mtf (16-bit)");
        }
    }
    free(list);
    free(y);
    free(idx);
}

static void zero_run(const uint8_t *x, size_t n)
{
    uint16_t *sym = (uint16_t *)malloc(2 * n + 2);
    uint8_t *y = (uint8_t *)malloc(n + 1);
    size_t m = 0;
    uint64_t back = 0;
    if (sym && y) {
        fuzz_check_encode_status(n1c_zrle_encode_u8(x, n, sym, n, &m), "zrle encode");
        FUZZ_CHECK(m <= n);
        FUZZ_CHECK(n1c_zrle_decoded_length(sym, m, n, &back) == N1_OK && back == n);
        FUZZ_CHECK(n1c_zrle_decode_u8(sym, m, y, n) == N1_OK);
        fuzz_check_equal(y, x, n, "zero-run rle");
    }
    free(y);
    free(sym);
}

static void plain_rle(const uint8_t *x, size_t n)
{
    size_t cap = n1c_rle_bound(n), m = 0, back = 0, got = 0;
    uint8_t *enc = (uint8_t *)malloc(cap + 1), *y = (uint8_t *)malloc(n + 1);
    if (enc && y) {
        fuzz_check_encode_status(n1c_rle_encode(x, n, enc, cap, &m), "rle encode");
        FUZZ_CHECK(n1c_rle_decoded_length(enc, m, &back) == N1_OK && back == n);
        FUZZ_CHECK(n1c_rle_decode(enc, m, y, n, &got) == N1_OK && got == n);
        fuzz_check_equal(y, x, n, "plain rle");
    }
    free(y);
    free(enc);
}

static void wavelet(const uint16_t *x, size_t n, unsigned levels)
{
    uint16_t *y = (uint16_t *)malloc(2 * n + 2), *tmp = (uint16_t *)malloc(2 * n + 2);
    if (y && tmp) {
        if (n) memcpy(y, x, 2 * n);
        FUZZ_CHECK(n1c_wavelet53_forward(y, n, levels, tmp) == N1_OK);
        FUZZ_CHECK(n1c_wavelet53_inverse(y, n, levels, tmp) == N1_OK);
        fuzz_check_equal(y, x, 2 * n, "wavelet");
    }
    free(tmp);
    free(y);
}

static void bwtc(const uint16_t *x, size_t n, const unsigned *par)
{
    n1c_bwtc_params p;
    n1c_bwtc_default_params(&p);
    p.block_log = N1C_BWTC_MIN_BLOCK_LOG + par[0] % 8u;
    p.tables = par[1] % (N1C_BWTC_MAX_TABLES + 1u);
    p.group = 1 + par[2] % 255u;
    p.iterations = 1 + par[3] % 4u;
    p.direct_log = (par[1] >> 4) % 9u;
    p.mantissa = (par[3] >> 4) % 4u;
    if (p.mantissa > p.direct_log) p.mantissa = p.direct_log;
    size_t cap = n1c_bwtc_bound(n), len = 0;
    uint8_t *stream = (uint8_t *)malloc(cap);
    uint16_t *y = (uint16_t *)malloc(2 * n + 2);
    if (stream && y) {
        int st = n1c_bwtc_encode(x, n, &p, stream, cap, &len);
        fuzz_check_encode_status(st, "bwtc encode");
        if (st == N1_OK) {
            uint8_t *exact = (uint8_t *)malloc(len ? len : 1);
            if (exact) {
                if (len) memcpy(exact, stream, len);
                st = n1c_bwtc_decode(exact, len, y, n);
                if (st != N1_ERR_NOMEM) {
                    if (st != N1_OK) FUZZ_FAIL("bwtc: decoding its own stream gave %d", st);
                    fuzz_check_equal(y, x, 2 * n, "bwtc");
                }
            }
            free(exact);
        }
    }
    free(y);
    free(stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    unsigned which = fuzz_take_u8(&in) % 9u;
    unsigned par[4];
    for (int i = 0; i < 4; i++) par[i] = fuzz_take_u8(&in);
    size_t n = 0;
    if (which == 0 || which == 2 || which == 4 || which == 5) {
        uint8_t *x = fuzz_take_rest(&in, &n);
        if (n > FUZZ_MAX_COUNT) n = FUZZ_MAX_COUNT;
        if (x) {
            if (which == 0) bwt_bytes(x, n);
            else if (which == 2) mtf_bytes(x, n);
            else if (which == 4) zero_run(x, n);
            else plain_rle(x, n);
        }
        free(x);
        return 0;
    }
    uint16_t *x = fuzz_take_words(&in, which == 8 ? BWTC_MAX_COUNT : FUZZ_MAX_COUNT, &n);
    if (x) {
        if (which == 1) bwt_words(x, n);
        else if (which == 3) mtf_words(x, n < (1u << 10) ? n : (1u << 10), 1u + (par[0] | par[1] << 8));
        else if (which == 6 || which == 7) wavelet(x, n, par[0] % (N1C_WAVELET53_MAX_LEVELS + 1u));
        else bwtc(x, n, par);
    }
    free(x);
    return 0;
}
