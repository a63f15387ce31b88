/* test_transform_bwt.c -- SA-IS against a naive suffix sort, BWT round trips, corrupt input. */
#include <stdlib.h>
#include <string.h>
#include "transform/bwt.h"
#include "common/status.h"
#include "test_util.h"

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static const int32_t *cmp_text;
static size_t cmp_n;

static int suffix_cmp(const void *a, const void *b)
{
    int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
    while ((size_t)i < cmp_n && (size_t)j < cmp_n) {
        if (cmp_text[i] != cmp_text[j]) return cmp_text[i] < cmp_text[j] ? -1 : 1;
        i++;
        j++;
    }
    return (size_t)i == cmp_n ? -1 : 1;  /* the shorter suffix (end first) sorts first */
}

static int sa_matches_naive(const int32_t *text, size_t n, int32_t k)
{
    int32_t *sa = malloc((n + 1) * sizeof *sa), *ref = malloc((n + 1) * sizeof *ref);
    for (size_t i = 0; i < n; i++) ref[i] = (int32_t)i;
    cmp_text = text;
    cmp_n = n;
    qsort(ref, n, sizeof *ref, suffix_cmp);
    int ok = n1c_bwt_suffix_array(text, n, k, sa) == N1_OK && (n == 0 || memcmp(sa, ref, n * sizeof *sa) == 0);
    free(sa);
    free(ref);
    return ok;
}

static void test_suffix_array(void)
{
    enum { N = 3000 };
    static int32_t t[N];
    uint32_t seed = 7;
    CHECK(sa_matches_naive(t, 0, 1));
    t[0] = 0;
    CHECK(sa_matches_naive(t, 1, 1));
    for (int i = 0; i < N; i++) t[i] = 3;
    CHECK(sa_matches_naive(t, N, 4));  /* all equal: deep recursion on repeats */
    for (int k = 2; k <= 300; k *= 3) {
        for (int i = 0; i < N; i++) t[i] = (int32_t)(lcg(&seed) % (uint32_t)k);
        CHECK(sa_matches_naive(t, N, k));
    }
    for (int p = 1; p <= 7; p++) {  /* periodic */
        for (int i = 0; i < N; i++) t[i] = i % p;
        CHECK(sa_matches_naive(t, N, 8));
    }
    const char *s = "mississippi";
    for (int i = 0; i < 11; i++) t[i] = s[i];
    CHECK(sa_matches_naive(t, 11, 256));
    t[0] = 5;
    CHECK(n1c_bwt_suffix_array(t, 1, 5, t + 10) == N1_ERR_INVALID_ARG);  /* symbol >= k */
}

static int round_trip_u8(const uint8_t *x, size_t n)
{
    uint8_t *y = malloc(n + 1), *z = malloc(n + 1);
    int32_t *work = malloc(n1c_bwt_work_size(n) * sizeof *work);
    uint32_t *dwork = malloc(n1c_bwt_decode_work_size(n, 256) * sizeof *dwork);
    uint32_t primary = 99;
    int ok = n1c_bwt_encode_u8(x, n, y, &primary, work) == N1_OK &&
             n1c_bwt_decode_u8(y, n, primary, z, dwork) == N1_OK && (n == 0 || memcmp(x, z, n) == 0);
    free(y);
    free(z);
    free(work);
    free(dwork);
    return ok;
}

static int round_trip_u16(const uint16_t *x, size_t n, uint32_t k)
{
    uint16_t *y = malloc((n + 1) * 2), *z = malloc((n + 1) * 2);
    int32_t *work = malloc(n1c_bwt_work_size(n) * sizeof *work);
    uint32_t *dwork = malloc(n1c_bwt_decode_work_size(n, k) * sizeof *dwork);
    uint32_t primary = 99;
    int ok = n1c_bwt_encode_u16(x, n, k, y, &primary, work) == N1_OK &&
             n1c_bwt_decode_u16(y, n, k, primary, z, dwork) == N1_OK &&
             (n == 0 || memcmp(x, z, n * 2) == 0);
    free(y);
    free(z);
    free(work);
    free(dwork);
    return ok;
}

static void test_bwt(void)
{
    enum { N = 50000 };
    static uint8_t x[N];
    static uint16_t w[N];
    uint32_t seed = 3;
    CHECK(round_trip_u8(x, 0));
    x[0] = 200;
    CHECK(round_trip_u8(x, 1));
    memset(x, 9, N);
    CHECK(round_trip_u8(x, N));
    for (int i = 0; i < N; i++) x[i] = (uint8_t)lcg(&seed);
    CHECK(round_trip_u8(x, N));
    for (int i = 0; i < N; i++) x[i] = (uint8_t)("abracadabra"[i % 11]);
    CHECK(round_trip_u8(x, N));
    for (int i = 0; i < N; i++) w[i] = (uint16_t)(lcg(&seed) % 1000);
    CHECK(round_trip_u16(w, N, 1000));
    for (int i = 0; i < N; i++) w[i] = (uint16_t)lcg(&seed);
    CHECK(round_trip_u16(w, N, 65536));
    for (int i = 0; i < N; i++) w[i] = 0;
    CHECK(round_trip_u16(w, N, 1));
    CHECK(round_trip_u16(w, 1, 1));

    /* A known transform: banana$ -> last column annb$aa, '$' at row 4. */
    uint8_t out[6], back[6];
    int32_t work[13];
    uint32_t dwork[6 + 257], primary = 0;
    CHECK(n1c_bwt_encode_u8((const uint8_t *)"banana", 6, out, &primary, work) == N1_OK);
    CHECK(memcmp(out, "annbaa", 6) == 0 && primary == 4);
    CHECK(n1c_bwt_decode_u8(out, 6, primary, back, dwork) == N1_OK && memcmp(back, "banana", 6) == 0);

    /* Corrupt: bad primary indices, and last columns that are no BWT. */
    CHECK(n1c_bwt_decode_u8(out, 6, 0, back, dwork) == N1_ERR_CORRUPT);
    CHECK(n1c_bwt_decode_u8(out, 6, 7, back, dwork) == N1_ERR_CORRUPT);
    CHECK(n1c_bwt_decode_u8(out, 0, 1, back, dwork) == N1_ERR_CORRUPT);
    int corrupt = 0, ok = 0;
    for (uint32_t p = 1; p <= 6; p++) {
        int st = n1c_bwt_decode_u8((const uint8_t *)"aabbcc", 6, p, back, dwork);
        corrupt += st == N1_ERR_CORRUPT;
        ok += st == N1_OK;
    }
    CHECK(corrupt + ok == 6 && corrupt > 0);
    /* Random garbage never crashes; the result is OK or CORRUPT. */
    for (int trial = 0; trial < 200; trial++) {
        uint8_t g[64], h[64];
        uint32_t gw[64 + 257];
        for (int i = 0; i < 64; i++) g[i] = (uint8_t)(lcg(&seed) % 4);
        int st = n1c_bwt_decode_u8(g, 64, lcg(&seed) % 70, h, gw);
        CHECK(st == N1_OK || st == N1_ERR_CORRUPT);
    }
    uint16_t big[3] = {1, 2, 7};
    uint16_t hb[3];
    uint32_t hw[3 + 8];
    CHECK(n1c_bwt_decode_u16(big, 3, 5, 1, hb, hw) == N1_ERR_CORRUPT);  /* symbol >= k */
}

int main(void)
{
    test_suffix_array();
    test_bwt();
    return test_report("test_transform_bwt");
}
