/* rice.c -- adaptive Rice coder over zigzag-folded uint16 symbols (see rice.h). */
#include "rice.h"

#include "common/bitio.h"
#include "common/status.h"
#include "golomb.h"
#include "symbols.h"

#define RICE_INITIAL_MEAN 16u

size_t n1c_rice_bound(size_t n)
{
    return (n * (N1C_RICE_QMAX + 16u) + 7u) / 8u + 8u;
}

int n1c_rice_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    if ((n && !in) || !out_len) return N1_ERR_INVALID_ARG;
    n1_bitwriter w;
    n1_bw_init(&w, out, cap);
    n1c_rice_state rs;
    n1c_rice_init(&rs, RICE_INITIAL_MEAN);
    for (size_t i = 0; i < n; i++) {
        uint32_t z = n1_zigzag16(in[i]);
        n1c_rice_put(&w, z, n1c_rice_k(&rs));
        n1c_rice_update(&rs, z);
        if (w.overflow) break;
    }
    return n1_bw_finish(&w, out_len);
}

int n1c_rice_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n)
{
    if ((n && !out) || (len && !in)) return N1_ERR_INVALID_ARG;
    /* Every code is at least one bit: refuse a count the bytes cannot hold up front. */
    if ((uint64_t)n > (uint64_t)len * 8u) return N1_ERR_TRUNCATED;
    n1_bitreader r;
    n1_br_init(&r, in, len);
    n1c_rice_state rs;
    n1c_rice_init(&rs, RICE_INITIAL_MEAN);
    for (size_t i = 0; i < n; i++) {
        uint32_t z = n1c_rice_get(&r, n1c_rice_k(&rs));
        n1c_rice_update(&rs, z);
        out[i] = n1_unzigzag16((uint16_t)z);
        if ((i & 4095u) == 0 && n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
    }
    return n1_br_overrun(&r) ? N1_ERR_TRUNCATED : N1_OK;
}
