/* test_transform_mtf_rle.c -- MTF and run-length round trips, bzip2 digit values, corrupt input. */
#include <stdlib.h>
#include <string.h>
#include "transform/mtf.h"
#include "transform/rle.h"
#include "common/status.h"
#include "test_util.h"

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

enum { N = 40000 };
static uint8_t a[N], b[N], c[N];
static uint16_t w[N], v[N], z[N];
static uint16_t list[65536];

static void fill_cases(int which, size_t *n)
{
    uint32_t seed = 11u + (uint32_t)which;
    *n = N;
    switch (which) {
    case 0: *n = 0; break;
    case 1: *n = 1; a[0] = 77; break;
    case 2: memset(a, 0, N); break;
    case 3: memset(a, 255, N); break;
    case 4: for (int i = 0; i < N; i++) a[i] = (uint8_t)lcg(&seed); break;
    case 5: for (int i = 0; i < N; i++) a[i] = (uint8_t)((i / 7) % 3); break;  /* periodic runs */
    default: for (int i = 0; i < N; i++) a[i] = (uint8_t)(lcg(&seed) % 50 < 45 ? 0 : lcg(&seed)); break;
    }
}

static void test_mtf(void)
{
    for (int which = 0; which < 7; which++) {
        size_t n;
        fill_cases(which, &n);
        n1c_mtf_encode_u8(a, n, b);
        n1c_mtf_decode_u8(b, n, c);
        CHECK(n == 0 || memcmp(a, c, n) == 0);
        memcpy(c, a, n);
        n1c_mtf_encode_u8(c, n, c);  /* in place */
        CHECK(n == 0 || memcmp(b, c, n) == 0);
    }
    const uint8_t s[4] = {2, 2, 0, 2};
    uint8_t o[4];
    n1c_mtf_encode_u8(s, 4, o);
    CHECK(o[0] == 2 && o[1] == 0 && o[2] == 1 && o[3] == 1);
    uint32_t seed = 5;
    for (int i = 0; i < N; i++) w[i] = (uint16_t)(lcg(&seed) % 300);
    CHECK(n1c_mtf_encode_u16(w, N, 300, v, list) == N1_OK);
    CHECK(n1c_mtf_decode_u16(v, N, 300, z, list) == N1_OK && memcmp(w, z, sizeof w) == 0);
    CHECK(n1c_mtf_encode_u16(w, N, 200, v, list) == N1_ERR_INVALID_ARG);
    v[5] = 300;
    CHECK(n1c_mtf_decode_u16(v, N, 300, z, list) == N1_ERR_CORRUPT);
    CHECK(n1c_mtf_encode_u16(w, 0, 0, v, list) == N1_ERR_INVALID_ARG);
}

static void test_zrle(void)
{
    for (int which = 0; which < 7; which++) {
        size_t n, m = 0;
        fill_cases(which, &n);
        CHECK(n1c_zrle_encode_u8(a, n, w, n, &m) == N1_OK && m <= n);
        uint64_t total = 0;
        CHECK(n1c_zrle_decoded_length(w, m, n, &total) == N1_OK && total == n);
        CHECK(n1c_zrle_decode_u8(w, m, c, n) == N1_OK && (n == 0 || memcmp(a, c, n) == 0));
        if (n > 1) {
            CHECK(n1c_zrle_decode_u8(w, m, c, n - 1) == N1_ERR_CORRUPT);
            if (m) CHECK(n1c_zrle_decode_u8(w, m - 1, c, n) == N1_ERR_CORRUPT);
        }
    }
    /* bzip2 digits: runs 1..6 are A, B, AA, BA, AB, BB. */
    static const uint16_t expect[6][2] = {{0, 9}, {1, 9}, {0, 0}, {1, 0}, {0, 1}, {1, 1}};
    for (int r = 1; r <= 6; r++) {
        uint8_t zeros[6] = {0};
        uint16_t o[6];
        size_t m = 0;
        CHECK(n1c_zrle_encode_u8(zeros, (size_t)r, o, 6, &m) == N1_OK);
        CHECK(m == (r <= 2 ? 1u : 2u) && o[0] == expect[r - 1][0] && (m == 1 || o[1] == expect[r - 1][1]));
    }
    uint16_t bad[3] = {5, 300, 2};
    CHECK(n1c_zrle_decode_u8(bad, 3, c, 3) == N1_ERR_CORRUPT);  /* 300 - 1 is not a byte */
    uint16_t many[80];
    for (int i = 0; i < 80; i++) many[i] = 1;  /* a run of about 2^81: refused, not allocated */
    uint64_t total = 0;
    CHECK(n1c_zrle_decoded_length(many, 80, (uint64_t)1 << 40, &total) == N1_ERR_TOO_LARGE);
    CHECK(n1c_zrle_decode_u8(many, 80, c, N) == N1_ERR_CORRUPT);
    uint16_t ww[2] = {3, 0xffff};
    size_t m = 0;
    CHECK(n1c_zrle_encode_u16(ww, 2, z, 2, &m) == N1_ERR_INVALID_ARG);
    CHECK(n1c_zrle_encode_u16(ww, 1, z, 1, &m) == N1_OK && m == 1 && z[0] == 4);
    CHECK(n1c_zrle_decode_u16(z, 1, v, 1) == N1_OK && v[0] == 3);
}

static void test_plain_rle(void)
{
    static uint8_t enc[N + N / 4 + 1];
    for (int which = 0; which < 7; which++) {
        size_t n, m = 0, back = 0;
        fill_cases(which, &n);
        CHECK(n1c_rle_encode(a, n, enc, n1c_rle_bound(n), &m) == N1_OK && m <= n1c_rle_bound(n));
        CHECK(n1c_rle_decode(enc, m, c, n, &back) == N1_OK && back == n && (n == 0 || memcmp(a, c, n) == 0));
        back = 12345;
        CHECK(n1c_rle_decoded_length(enc, m, &back) == N1_OK && back == n);
        if (n > 10 && which == 2) {
            CHECK(m < n / 50);
            CHECK(n1c_rle_decode(enc, m, c, n - 1, &back) == N1_ERR_OUTPUT_FULL);
            CHECK(n1c_rle_encode(a, n, enc, 3, &m) == N1_ERR_OUTPUT_FULL);
        }
    }
    const uint8_t truncated[4] = {1, 1, 1, 1};
    const uint8_t badcount[5] = {1, 1, 1, 1, 252};
    size_t back = 0;
    CHECK(n1c_rle_decode(truncated, 4, c, N, &back) == N1_ERR_TRUNCATED);
    CHECK(n1c_rle_decode(badcount, 5, c, N, &back) == N1_ERR_CORRUPT);
    CHECK(n1c_rle_decoded_length(truncated, 4, &back) == N1_ERR_TRUNCATED);
    CHECK(n1c_rle_decoded_length(badcount, 5, &back) == N1_ERR_CORRUPT);
    CHECK(n1c_rle_decode(truncated, 4, NULL, 0, &back) == N1_ERR_OUTPUT_FULL);
    CHECK(n1c_rle_decode(truncated, 0, NULL, 0, &back) == N1_OK && back == 0);
}

int main(void)
{
    test_mtf();
    test_zrle();
    test_plain_rle();
    return test_report("test_transform_mtf_rle");
}
