/* fixed.c -- per-block fixed polynomial predictors, orders 0..3 (see fixed.h). */
#include "fixed.h"

#include <string.h>
#include "common/status.h"

static inline int32_t s16(uint16_t w) { return (int32_t)(int16_t)w; }

static inline int32_t predict(int order, int32_t x1, int32_t x2, int32_t x3)
{
    switch (order) {
    case 1: return x1;
    case 2: return 2 * x1 - x2;
    case 3: return 3 * x1 - 3 * x2 + x3;
    default: return 0;
    }
}

size_t n1c_fixed_side_size(size_t n, size_t block)
{
    if (block == 0) return 0;
    size_t nblocks = n / block + (n % block != 0);
    return (nblocks + 3u) / 4u;
}

int n1c_fixed_encode(const uint16_t *in, uint16_t *res, size_t n, size_t block, uint8_t *side,
                     size_t side_cap, size_t *side_len)
{
    if (block == 0 || (n && (!in || !res)) || !side_len) return N1_ERR_INVALID_ARG;
    size_t need = n1c_fixed_side_size(n, block);
    if (need > side_cap) return N1_ERR_OUTPUT_FULL;
    if (need) memset(side, 0, need);

    int32_t x1 = 0, x2 = 0, x3 = 0;  /* history before the block */
    size_t b = 0;
    for (size_t start = 0; start < n; start += block, b++) {
        size_t end = (n - start > block) ? start + block : n;
        uint64_t cost[4] = {0, 0, 0, 0};
        int32_t h1 = x1, h2 = x2, h3 = x3;
        for (size_t i = start; i < end; i++) {
            int32_t x = s16(in[i]);
            for (int k = 0; k < 4; k++) {
                int32_t r = s16((uint16_t)(x - predict(k, h1, h2, h3)));
                cost[k] += (uint64_t)(r < 0 ? -r : r);
            }
            h3 = h2;
            h2 = h1;
            h1 = x;
        }
        int best = 0;
        for (int k = 1; k < 4; k++)
            if (cost[k] < cost[best]) best = k;
        side[b / 4] = (uint8_t)(side[b / 4] | (best << (6 - 2 * (b % 4))));
        for (size_t i = start; i < end; i++) {
            int32_t x = s16(in[i]);
            res[i] = (uint16_t)(x - predict(best, x1, x2, x3));
            x3 = x2;
            x2 = x1;
            x1 = x;
        }
    }
    *side_len = need;
    return N1_OK;
}

int n1c_fixed_decode(const uint8_t *side, size_t side_len, const uint16_t *res, uint16_t *out,
                     size_t n, size_t block)
{
    if (block == 0 || (n && (!res || !out)) || (side_len && !side)) return N1_ERR_INVALID_ARG;
    if (n1c_fixed_side_size(n, block) > side_len) return N1_ERR_TRUNCATED;
    int32_t x1 = 0, x2 = 0, x3 = 0;
    size_t b = 0;
    for (size_t start = 0; start < n; start += block, b++) {
        size_t end = (n - start > block) ? start + block : n;
        int order = (side[b / 4] >> (6 - 2 * (b % 4))) & 3;
        for (size_t i = start; i < end; i++) {
            int32_t x = s16((uint16_t)(res[i] + predict(order, x1, x2, x3)));
            out[i] = (uint16_t)x;
            x3 = x2;
            x2 = x1;
            x1 = x;
        }
    }
    return N1_OK;
}
