/* test_count_bounds.c -- decoders refuse a symbol count their stream cannot hold where the
 * format guarantees a minimum cost per symbol: rice up front (a bit a symbol), and
 * n1c_huffman_max_count reads the table to say how many symbols a huffman stream can
 * hold (none for the empty stream, any number for a single-symbol table). */
#include <stdint.h>
#include <stdlib.h>
#include "common/status.h"
#include "entropy/huffman.h"
#include "entropy/rice.h"
#include "test_util.h"

static void rice_bound(void)
{
    uint8_t zeros[4] = {0, 0, 0, 0};
    uint16_t out[40];
    uint16_t x[32] = {0};
    uint8_t stream[64];
    size_t len = 0;
    /* 32 bits cannot hold 33 codes; a stream of zero symbols still decodes */
    CHECK(n1c_rice_decode(zeros, 4, out, 33) == N1_ERR_TRUNCATED);
    CHECK(n1c_rice_encode(x, 32, stream, sizeof stream, &len) == N1_OK && len <= 8);
    CHECK(n1c_rice_decode(stream, len, out, 32) == N1_OK);
    /* a huge count is refused before a single symbol is decoded (out is never touched) */
    CHECK(n1c_rice_decode(zeros, 4, out, (size_t)1 << 40) == N1_ERR_TRUNCATED);
}

static void huffman_bound(void)
{
    n1c_huffman_encoder_work *enc = malloc(sizeof *enc);
    uint8_t *lengths = malloc(N1C_HUFFMAN_ALPHABET);
    uint16_t sym[1000];
    uint8_t stream[4096];
    size_t len = 0;
    uint64_t most = 1;
    CHECK(enc && lengths);
    if (!enc || !lengths) return;
    for (size_t i = 0; i < 1000; i++) sym[i] = (uint16_t)(i % 3);
    CHECK(n1c_huffman_encode(sym, 1000, enc, stream, sizeof stream, &len) == N1_OK);
    CHECK(n1c_huffman_max_count(stream, len, lengths, &most) == N1_OK);
    CHECK(most >= 1000 && most <= 8 * (uint64_t)len);
    for (size_t i = 0; i < 1000; i++) sym[i] = 42;
    CHECK(n1c_huffman_encode(sym, 1000, enc, stream, sizeof stream, &len) == N1_OK);
    CHECK(n1c_huffman_max_count(stream, len, lengths, &most) == N1_OK && most == UINT64_MAX);
    CHECK(n1c_huffman_max_count(stream, 0, lengths, &most) == N1_OK && most == 0);
    CHECK(n1c_huffman_max_count(stream, 1, lengths, &most) == N1_ERR_TRUNCATED);
    free(lengths);
    free(enc);
}

int main(void)
{
    rice_bound();
    huffman_bound();
    return test_report("test_count_bounds");
}
