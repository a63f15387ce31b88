/*
 * n1_columns.c -- channels of an interleaved array as separate n1 streams (see n1_columns.h).
 *
 * Moving columns is a transpose. On 64-bit x86 it runs in 8 x 8 tiles of SSE2 unpacks
 * (a scalar element-by-element copy took ~19% of decoding a 384-channel chunk of
 * n1:fast, perf); plain loops elsewhere, or with N1_PORTABLE. Either way it only
 * copies: the same values land in the same places.
 */
#include "n1_columns.h"
#include "n1.h"
#include <stdlib.h>

#if ((defined(__x86_64__) && defined(__SSE2__)) || defined(_M_X64)) && !defined(N1_PORTABLE)
#include <emmintrin.h>
#define N1_COLUMNS_TILE 8

/* dst[k * dstride + i] = src[i * sstride + k] for i, k < 8: rows a[i] -> b (pairs of
 * rows interleaved by 16 bits) -> c (quads by 32 bits: c[m] holds elements 2m, 2m + 1
 * of rows 0-3, c[m + 4] of rows 4-7) -> output row k from c's 64-bit halves. */
static void transpose_tile(const int16_t *src, size_t sstride, int16_t *dst, size_t dstride)
{
    __m128i a[8], b[8], c[8];
    for (int i = 0; i < 8; i++)
        a[i] = _mm_loadu_si128((const __m128i *)(const void *)(src + i * sstride));
    for (int i = 0; i < 8; i += 2) {
        b[i] = _mm_unpacklo_epi16(a[i], a[i + 1]);     /* elements 0-3 of rows i, i + 1 */
        b[i + 1] = _mm_unpackhi_epi16(a[i], a[i + 1]); /* elements 4-7 */
    }
    for (int q = 0; q < 8; q += 4)     /* rows 0-3, then 4-7 */
        for (int h = 0; h < 2; h++) {  /* elements 0-3, then 4-7 */
            c[q + 2 * h] = _mm_unpacklo_epi32(b[q + h], b[q + 2 + h]);
            c[q + 2 * h + 1] = _mm_unpackhi_epi32(b[q + h], b[q + 2 + h]);
        }
    for (int m = 0; m < 4; m++) {
        _mm_storeu_si128((__m128i *)(void *)(dst + 2 * m * dstride),
                         _mm_unpacklo_epi64(c[m], c[m + 4]));
        _mm_storeu_si128((__m128i *)(void *)(dst + (2 * m + 1) * dstride),
                         _mm_unpackhi_epi64(c[m], c[m + 4]));
    }
}
#else
#define N1_COLUMNS_TILE 0
#endif

/* dst[k * dstride + i] = src[i * sstride + k] for i < rows, k < cols: tiles where they
 * fit (all rows of a tile column before the next, so each destination row is written
 * in one go), single elements at the edges. */
static void transpose(const int16_t *src, size_t sstride, size_t rows, size_t cols, int16_t *dst,
                      size_t dstride)
{
    size_t rt = 0, kt = 0; /* the tiled rows and columns */
#if N1_COLUMNS_TILE
    rt = rows - rows % N1_COLUMNS_TILE;
    kt = cols - cols % N1_COLUMNS_TILE;
    for (size_t k0 = 0; k0 < kt; k0 += N1_COLUMNS_TILE)
        for (size_t r0 = 0; r0 < rt; r0 += N1_COLUMNS_TILE)
            transpose_tile(src + r0 * sstride + k0, sstride, dst + k0 * dstride + r0, dstride);
#endif
    for (size_t i = 0; i < rows; i++)
        for (size_t k = i < rt ? kt : 0; k < cols; k++) dst[k * dstride + i] = src[i * sstride + k];
}

void n1_columns_gather(const int16_t *x, size_t frames, size_t channels, size_t c0, size_t g,
                       int16_t *cols)
{
    transpose(x + c0, channels, frames, g, cols, frames);
}

void n1_columns_scatter(const int16_t *cols, size_t frames, size_t channels, size_t c0,
                        size_t g, int16_t *out)
{
    transpose(cols, frames, g, frames, out + c0, channels);
}

/* The checks both coding entries share: channels first .. first + count - 1 inside the
 * array, and (count > 0) its frames * channels samples there and addressable. */
static int check_columns(const int16_t *array, size_t frames, size_t channels, size_t first,
                         size_t count)
{
    if (first > channels || count > channels - first) return N1_ERR_INVALID_ARG;
    if (count && frames && (!array || frames > (size_t)-1 / sizeof(int16_t) / channels))
        return N1_ERR_INVALID_ARG;
    return N1_OK;
}

int16_t *n1_columns_buffer(size_t frames, size_t count)
{
    return malloc((frames ? frames : 1) * (count < N1_COLUMNS ? count : N1_COLUMNS) *
                  sizeof(int16_t));
}

int n1_codec_decode_columns(const uint8_t *const *in, const size_t *len, size_t count,
                            size_t frames, int16_t *out, size_t channels, size_t first,
                            size_t *failed)
{
    if (!failed || (count && (!in || !len))) return N1_ERR_INVALID_ARG;
    *failed = 0;
    int st = check_columns(out, frames, channels, first, count);
    if (st != N1_OK || count == 0) return st;
    n1_decoder *d = malloc(2 * sizeof(n1_decoder)); /* two: streams decode in pairs */
    int16_t *cols = n1_columns_buffer(frames, count);
    st = d && cols ? N1_OK : N1_ERR_NOMEM;
    for (size_t j = 0; j < count && st == N1_OK;) {
        int16_t *col = cols + (j % N1_COLUMNS) * frames;
        size_t step = 2; /* a pair within a group of N1_COLUMNS (an even number) */
        int second = 0;
        if (j + 1 < count) {
            st = n1_codec_decode_pair(d, d + 1, in[j], len[j], in[j + 1], len[j + 1], col,
                                      col + frames, frames, &second);
        } else {
            st = n1_codec_decode_with(d, in[j], len[j], NULL, col, frames);
            step = 1;
        }
        if (st != N1_OK) {
            *failed = j + (size_t)second;
            break;
        }
        j += step;
        if (j % N1_COLUMNS == 0 || j == count)
            n1_columns_scatter(cols, frames, channels, first + (j - 1) - (j - 1) % N1_COLUMNS,
                               (j - 1) % N1_COLUMNS + 1, out);
    }
    free(d);
    free(cols);
    return st;
}

int n1_codec_encode_columns(const int16_t *x, size_t frames, size_t channels, size_t first,
                            size_t count, int level, const uint8_t *const *heads,
                            const size_t *head_lens, uint8_t *out, size_t cap, size_t *lens,
                            size_t *failed)
{
    if (!failed || (count && (!out || !lens)) || (heads && !head_lens)) return N1_ERR_INVALID_ARG;
    *failed = 0;
    int st = check_columns(x, frames, channels, first, count);
    if (st != N1_OK || count == 0) return st;
    n1_encoder *e = malloc(sizeof(n1_encoder));
    int16_t *cols = n1_columns_buffer(frames, count);
    st = e && cols ? N1_OK : N1_ERR_NOMEM;
    size_t pos = 0;
    for (size_t j = 0; j < count && st == N1_OK; j++) {
        if (j % N1_COLUMNS == 0)
            n1_columns_gather(x, frames, channels, first + j,
                              count - j < N1_COLUMNS ? count - j : N1_COLUMNS, cols);
        const uint8_t *head = heads ? heads[j] : NULL;
        st = n1_codec_encode_with(e, cols + (j % N1_COLUMNS) * frames, frames, level, NULL, head,
                                  head ? head_lens[j] : 0, out + pos, cap - pos, &lens[j]);
        if (st != N1_OK) *failed = j;
        else pos += lens[j];
    }
    free(e);
    free(cols);
    return st;
}
