/* bwt.c -- SA-IS suffix arrays and the BWT with its LF-mapping inverse (see bwt.h). */
#include <stdlib.h>
#include <string.h>
#include "bwt.h"
#include "common/status.h"

/* ---- SA-IS ------------------------------------------------------------- */

/* Bucket starts (end == 0) or one-past-ends (end != 0) from symbol counts. */
static void bucket_bounds(const int32_t *count, int32_t k, int32_t *bkt, int end)
{
    int32_t sum = 0;
    for (int32_t c = 0; c < k; c++) {
        sum += count[c];
        bkt[c] = end ? sum : sum - count[c];
    }
}

/* t[i] != 0 marks an S-type suffix; an LMS suffix is S-type after an L-type one. */
#define IS_LMS(t, i) ((i) > 0 && (t)[i] && !(t)[(i) - 1])

/* Induces the order of L-type then S-type suffixes from the LMS suffixes already placed. */
static void induce(const int32_t *T, int32_t *SA, const uint8_t *t, int32_t n, int32_t k,
                   const int32_t *count, int32_t *bkt)
{
    bucket_bounds(count, k, bkt, 0);
    SA[bkt[T[n - 1]]++] = n - 1;  /* the suffix before the implicit sentinel is L-type */
    for (int32_t i = 0; i < n; i++) {
        int32_t j = SA[i] - 1;
        if (SA[i] > 0 && !t[j]) SA[bkt[T[j]]++] = j;
    }
    bucket_bounds(count, k, bkt, 1);
    for (int32_t i = n - 1; i >= 0; i--) {
        int32_t j = SA[i] - 1;
        if (SA[i] > 0 && t[j]) SA[--bkt[T[j]]] = j;
    }
}

static int sais(const int32_t *T, int32_t *SA, int32_t n, int32_t k)
{
    if (n == 0) return N1_OK;
    if (n == 1) {
        SA[0] = 0;
        return N1_OK;
    }
    uint8_t *t = malloc((size_t)n);
    int32_t *count = malloc(2 * (size_t)k * sizeof *count);
    if (!t || !count) {
        free(t);
        free(count);
        return N1_ERR_NOMEM;
    }
    int32_t *bkt = count + k;
    int status = N1_OK;

    memset(count, 0, (size_t)k * sizeof *count);
    for (int32_t i = 0; i < n; i++) count[T[i]]++;
    t[n - 1] = 0;
    for (int32_t i = n - 2; i >= 0; i--)
        t[i] = (uint8_t)(T[i] < T[i + 1] || (T[i] == T[i + 1] && t[i + 1]));

    /* Stage 1: sort the LMS substrings by one induction pass. */
    for (int32_t i = 0; i < n; i++) SA[i] = -1;
    bucket_bounds(count, k, bkt, 1);
    for (int32_t i = 1; i < n; i++)
        if (IS_LMS(t, i)) SA[--bkt[T[i]]] = i;
    induce(T, SA, t, n, k, count, bkt);

    int32_t m = 0;
    for (int32_t i = 0; i < n; i++)
        if (IS_LMS(t, SA[i])) SA[m++] = SA[i];

    /* Name the LMS substrings; equal substrings get equal names. */
    for (int32_t i = m; i < n; i++) SA[i] = -1;
    int32_t names = 0, prev = -1;
    for (int32_t i = 0; i < m; i++) {
        int32_t pos = SA[i];
        int diff = 0;
        for (int32_t d = 0;; d++) {
            if (prev < 0 || pos + d == n || prev + d == n || T[pos + d] != T[prev + d] ||
                t[pos + d] != t[prev + d]) {
                diff = 1;
                break;
            }
            if (d > 0 && (IS_LMS(t, pos + d) || IS_LMS(t, prev + d))) break;
        }
        if (diff) {
            names++;
            prev = pos;
        }
        SA[m + (pos >> 1)] = names - 1;
    }
    for (int32_t i = n - 1, j = n - 1; i >= m; i--)
        if (SA[i] >= 0) SA[j--] = SA[i];

    /* Stage 2: sort the reduced string (recursively when names repeat). */
    int32_t *s1 = SA + n - m;
    if (names < m) {
        status = sais(s1, SA, m, names);
        if (status != N1_OK) goto done;
    } else {
        for (int32_t i = 0; i < m; i++) SA[s1[i]] = i;
    }

    /* Stage 3: place the sorted LMS suffixes and induce the rest. */
    for (int32_t i = 1, j = 0; i < n; i++)
        if (IS_LMS(t, i)) s1[j++] = i;
    for (int32_t i = 0; i < m; i++) SA[i] = s1[SA[i]];
    for (int32_t i = m; i < n; i++) SA[i] = -1;
    bucket_bounds(count, k, bkt, 1);
    for (int32_t i = m - 1; i >= 0; i--) {
        int32_t j = SA[i];
        SA[i] = -1;
        SA[--bkt[T[j]]] = j;
    }
    induce(T, SA, t, n, k, count, bkt);

done:
    free(t);
    free(count);
    return status;
}

int n1c_bwt_suffix_array(const int32_t *text, size_t n, int32_t k, int32_t *sa)
{
    if (k <= 0 || (n > 0 && (!text || !sa))) return N1_ERR_INVALID_ARG;
    if (n > N1C_BWT_MAX_N) return N1_ERR_TOO_LARGE;
    for (size_t i = 0; i < n; i++)
        if (text[i] < 0 || text[i] >= k) return N1_ERR_INVALID_ARG;
    return sais(text, sa, (int32_t)n, k);
}

/* ---- BWT --------------------------------------------------------------- */

size_t n1c_bwt_work_size(size_t n)
{
    return 2 * n + 1;
}

size_t n1c_bwt_decode_work_size(size_t n, uint32_t k)
{
    return n + (size_t)k + 1;
}

/* Encodes text already widened into work[n..2n). */
#define BWT_ENCODE_BODY(in, n, out, primary, sa)          \
    do {                                                  \
        size_t j_ = 0;                                    \
        out[j_++] = in[n - 1];                            \
        for (size_t i_ = 0; i_ < n; i_++) {               \
            if (sa[i_] == 0)                              \
                *primary = (uint32_t)(i_ + 1);            \
            else                                          \
                out[j_++] = in[sa[i_] - 1];               \
        }                                                 \
    } while (0)

int n1c_bwt_encode_u8(const uint8_t *in, size_t n, uint8_t *out, uint32_t *primary, int32_t *work)
{
    if (!primary) return N1_ERR_INVALID_ARG;
    *primary = 0;
    if (n == 0) return N1_OK;
    if (!in || !out || !work) return N1_ERR_INVALID_ARG;
    if (n > N1C_BWT_MAX_N) return N1_ERR_TOO_LARGE;
    int32_t *text = work + n;
    for (size_t i = 0; i < n; i++) text[i] = in[i];
    int status = sais(text, work, (int32_t)n, 256);
    if (status != N1_OK) return status;
    BWT_ENCODE_BODY(in, n, out, primary, work);
    return N1_OK;
}

int n1c_bwt_encode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint32_t *primary,
                       int32_t *work)
{
    if (!primary || k == 0 || k > 65536) return N1_ERR_INVALID_ARG;
    *primary = 0;
    if (n == 0) return N1_OK;
    if (!in || !out || !work) return N1_ERR_INVALID_ARG;
    if (n > N1C_BWT_MAX_N) return N1_ERR_TOO_LARGE;
    int32_t *text = work + n;
    for (size_t i = 0; i < n; i++) {
        if (in[i] >= k) return N1_ERR_INVALID_ARG;
        text[i] = in[i];
    }
    int status = sais(text, work, (int32_t)n, (int32_t)k);
    if (status != N1_OK) return status;
    BWT_ENCODE_BODY(in, n, out, primary, work);
    return N1_OK;
}

/* LF walk from the '$'-first row back to the '$' row, writing the text backwards.
 * lf holds n links, count k + 1 counters. */
#define BWT_DECODE_BODY(in, n, k, primary, out, lf, count)                   \
    do {                                                                     \
        memset(count, 0, ((size_t)(k) + 1) * sizeof *count);                 \
        for (size_t i_ = 0; i_ < n; i_++) count[in[i_]]++;                   \
        uint32_t sum_ = 1; /* row 0 is the '$' rotation */                   \
        for (size_t c_ = 0; c_ < (size_t)(k); c_++) {                        \
            uint32_t t_ = count[c_];                                         \
            count[c_] = sum_;                                                \
            sum_ += t_;                                                      \
        }                                                                    \
        for (size_t i_ = 0; i_ < n; i_++) lf[i_] = count[in[i_]]++;          \
        size_t r_ = 0;                                                       \
        for (size_t i_ = n; i_-- > 0;) {                                     \
            if (r_ == primary) return N1_ERR_CORRUPT;                        \
            size_t q_ = r_ < primary ? r_ : r_ - 1;                          \
            out[i_] = in[q_];                                                \
            r_ = lf[q_];                                                     \
        }                                                                    \
        if (r_ != primary) return N1_ERR_CORRUPT;                            \
    } while (0)

int n1c_bwt_decode_u8(const uint8_t *in, size_t n, uint32_t primary, uint8_t *out, uint32_t *work)
{
    if (n == 0) return primary == 0 ? N1_OK : N1_ERR_CORRUPT;
    if (!in || !out || !work) return N1_ERR_INVALID_ARG;
    if (n > N1C_BWT_MAX_N) return N1_ERR_TOO_LARGE;
    if (primary < 1 || primary > n) return N1_ERR_CORRUPT;
    uint32_t *lf = work, *count = work + n;
    BWT_DECODE_BODY(in, n, 256u, primary, out, lf, count);
    return N1_OK;
}

int n1c_bwt_decode_u16(const uint16_t *in, size_t n, uint32_t k, uint32_t primary, uint16_t *out,
                       uint32_t *work)
{
    if (k == 0 || k > 65536) return N1_ERR_INVALID_ARG;
    if (n == 0) return primary == 0 ? N1_OK : N1_ERR_CORRUPT;
    if (!in || !out || !work) return N1_ERR_INVALID_ARG;
    if (n > N1C_BWT_MAX_N) return N1_ERR_TOO_LARGE;
    if (primary < 1 || primary > n) return N1_ERR_CORRUPT;
    for (size_t i = 0; i < n; i++)
        if (in[i] >= k) return N1_ERR_CORRUPT;
    uint32_t *lf = work, *count = work + n;
    BWT_DECODE_BODY(in, n, k, primary, out, lf, count);
    return N1_OK;
}
