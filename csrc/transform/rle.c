/* rle.c -- zero-run (RUNA/RUNB) and plain byte run-length coding (see rle.h). */
#include "rle.h"
#include "common/status.h"

/* Writes the bijective base-2 digits of run (>= 1). */
#define ZRLE_FLUSH_RUN(run, out, cap, j)                               \
    do {                                                               \
        while (run > 0) {                                              \
            if (j >= cap) return N1_ERR_OUTPUT_FULL;                   \
            if (run & 1) {                                             \
                out[j++] = N1C_ZRLE_RUNA;                              \
                run = (run - 1) >> 1;                                  \
            } else {                                                   \
                out[j++] = N1C_ZRLE_RUNB;                              \
                run = (run - 2) >> 1;                                  \
            }                                                          \
        }                                                              \
    } while (0)

#define ZRLE_ENCODE_BODY(in, n, out, cap, out_len)                     \
    do {                                                               \
        size_t j = 0, run = 0;                                         \
        for (size_t i = 0; i < n; i++) {                               \
            if (in[i] == 0) {                                          \
                run++;                                                 \
                continue;                                              \
            }                                                          \
            ZRLE_FLUSH_RUN(run, out, cap, j);                          \
            if (j >= cap) return N1_ERR_OUTPUT_FULL;                   \
            out[j++] = (uint16_t)(in[i] + 1u);                         \
        }                                                              \
        ZRLE_FLUSH_RUN(run, out, cap, j);                              \
        *out_len = j;                                                  \
    } while (0)

int n1c_zrle_encode_u8(const uint8_t *in, size_t n, uint16_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (n && (!in || !out))) return N1_ERR_INVALID_ARG;
    ZRLE_ENCODE_BODY(in, n, out, cap, out_len);
    return N1_OK;
}

int n1c_zrle_encode_u16(const uint16_t *in, size_t n, uint16_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (n && (!in || !out))) return N1_ERR_INVALID_ARG;
    for (size_t i = 0; i < n; i++)
        if (in[i] == 0xffffu) return N1_ERR_INVALID_ARG;
    ZRLE_ENCODE_BODY(in, n, out, cap, out_len);
    return N1_OK;
}

int n1c_zrle_decoded_length(const uint16_t *in, size_t m, uint64_t limit, uint64_t *n)
{
    if (!n || (m && !in)) return N1_ERR_INVALID_ARG;
    uint64_t total = 0, weight = 1;
    for (size_t i = 0; i < m; i++) {
        if (in[i] <= N1C_ZRLE_RUNB) {
            if (weight > limit) return N1_ERR_TOO_LARGE;
            total += weight << in[i];  /* RUNA adds weight, RUNB twice it */
            weight <<= 1;
        } else {
            total += 1;
            weight = 1;
        }
        if (total > limit) return N1_ERR_TOO_LARGE;
    }
    *n = total;
    return N1_OK;
}

#define ZRLE_DECODE_BODY(in, m, out, n, maxsym, type)                        \
    do {                                                               \
        size_t j = 0, weight = 1;                                      \
        for (size_t i = 0; i < m; i++) {                               \
            unsigned s = in[i];                                        \
            if (s <= N1C_ZRLE_RUNB) {                                  \
                size_t run = weight << s;                              \
                if (weight > n || run > n - j) return N1_ERR_CORRUPT;  \
                for (size_t r = 0; r < run; r++) out[j + r] = 0;       \
                j += run;                                              \
                weight <<= 1;                                          \
            } else {                                                   \
                if (s > (maxsym) || j >= n) return N1_ERR_CORRUPT;     \
                out[j++] = (type)(s - 1u);                             \
                weight = 1;                                            \
            }                                                          \
        }                                                              \
        if (j != n) return N1_ERR_CORRUPT;                             \
    } while (0)

int n1c_zrle_decode_u8(const uint16_t *in, size_t m, uint8_t *out, size_t n)
{
    if ((m && !in) || (n && !out)) return N1_ERR_INVALID_ARG;
    ZRLE_DECODE_BODY(in, m, out, n, 256u, uint8_t);
    return N1_OK;
}

int n1c_zrle_decode_u16(const uint16_t *in, size_t m, uint16_t *out, size_t n)
{
    if ((m && !in) || (n && !out)) return N1_ERR_INVALID_ARG;
    ZRLE_DECODE_BODY(in, m, out, n, 65535u, uint16_t);
    return N1_OK;
}

/* ---- plain RLE ----------------------------------------------------------- */

size_t n1c_rle_bound(size_t n)
{
    return n + n / 4 + 1;
}

int n1c_rle_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (n && (!in || !out))) return N1_ERR_INVALID_ARG;
    size_t i = 0, j = 0;
    while (i < n) {
        uint8_t c = in[i];
        size_t run = 1;
        while (i + run < n && in[i + run] == c && run < 4 + 251) run++;
        size_t lit = run < 4 ? run : 4;
        if (cap - j < lit + (run >= 4)) return N1_ERR_OUTPUT_FULL;
        for (size_t r = 0; r < lit; r++) out[j++] = c;
        if (run >= 4) out[j++] = (uint8_t)(run - 4);
        i += run;
    }
    *out_len = j;
    return N1_OK;
}

/* Decodes into out (or only counts when out is NULL), at most cap bytes. */
static int rle_decode(const uint8_t *in, size_t m, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t i = 0, j = 0;
    unsigned same = 0;
    int prev = -1;
    while (i < m) {
        uint8_t c = in[i++];
        if (j >= cap) return N1_ERR_OUTPUT_FULL;
        if (out) out[j] = c;
        j++;
        same = (c == prev) ? same + 1 : 1;
        prev = c;
        if (same == 4) {
            if (i >= m) return N1_ERR_TRUNCATED;
            unsigned extra = in[i++];
            if (extra > 251) return N1_ERR_CORRUPT;
            if (cap - j < extra) return N1_ERR_OUTPUT_FULL;
            if (out)
                for (unsigned r = 0; r < extra; r++) out[j + r] = c;
            j += extra;
            same = 0;
            prev = -1;
        }
    }
    *out_len = j;
    return N1_OK;
}

int n1c_rle_decoded_length(const uint8_t *in, size_t m, size_t *n)
{
    if (!n || (m && !in)) return N1_ERR_INVALID_ARG;
    return rle_decode(in, m, NULL, (size_t)-1, n);
}

int n1c_rle_decode(const uint8_t *in, size_t m, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!out_len || (m && !in) || (cap && !out)) return N1_ERR_INVALID_ARG;
    if (!out) {  /* cap == 0: only an empty stream fits */
        *out_len = 0;
        return m == 0 ? N1_OK : N1_ERR_OUTPUT_FULL;
    }
    return rle_decode(in, m, out, cap, out_len);
}
