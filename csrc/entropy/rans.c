/* rans.c -- static 32-bit rANS over bucketed uint16 symbols (see rans.h). */
#include "rans.h"

#include <stdlib.h>
#include <string.h>
#include "common/bitio.h"
#include "common/status.h"
#include "symbols.h"

#define SCALE N1_RANS_SCALE_BITS
#define M (1u << SCALE)
#define RANS_L (1u << 23)

size_t n1_rans_bound(size_t n)
{
    if (n == 0) return 0;
    /* table + length, <= 2 renormalisation bytes per symbol + state, <= 13 raw bits each */
    return 1u + N1_SYM_COUNT * 3u + 10u + (2u * n + 4u) + (13u * n + 7u) / 8u + 8u;
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t k = 0;
    while (v >= 0x80u) {
        p[k++] = (uint8_t)(v | 0x80u);
        v >>= 7;
    }
    p[k++] = (uint8_t)v;
    return k;
}

/* Reads a LEB128 value of at most 5 bytes; returns 0 when the bytes run out or it is too long. */
static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint32_t *v)
{
    uint64_t acc = 0;
    for (unsigned k = 0; k < 5; k++) {
        if (*pos >= len) return N1_ERR_TRUNCATED;
        uint8_t b = p[(*pos)++];
        acc |= (uint64_t)(b & 0x7Fu) << (7 * k);
        if (!(b & 0x80u)) {
            if (acc > 0xFFFFFFFFu) return N1_ERR_CORRUPT;
            *v = (uint32_t)acc;
            return N1_OK;
        }
    }
    return N1_ERR_CORRUPT;
}

static void normalise(const uint64_t *count, uint64_t n, uint32_t *freq)
{
    uint32_t sum = 0;
    unsigned biggest = 0;
    for (unsigned s = 0; s < N1_SYM_COUNT; s++) {
        freq[s] = 0;
        if (count[s]) {
            uint64_t f = count[s] * M / n;
            freq[s] = f ? (uint32_t)f : 1u;
            sum += freq[s];
            if (count[s] > count[biggest]) biggest = s;
        }
    }
    /* The biggest bucket holds >= M/76 before the fix-up, far more than the
     * <= 76 units the max(1, .) rounding can add. */
    freq[biggest] = (uint32_t)((int64_t)freq[biggest] + (int64_t)M - (int64_t)sum);
}

int n1_rans_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    if ((n && (!in || !out)) || !out_len) return N1_ERR_INVALID_ARG;
    if (n == 0) {
        *out_len = 0;
        return N1_OK;
    }
    uint64_t count[N1_SYM_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned ne, ex;
        count[n1_sym_split(n1_zigzag16(in[i]), &ne, &ex)]++;
    }
    uint32_t freq[N1_SYM_COUNT], cum[N1_SYM_COUNT + 1];
    normalise(count, (uint64_t)n, freq);
    unsigned nsym = 0;
    cum[0] = 0;
    for (unsigned s = 0; s < N1_SYM_COUNT; s++) {
        cum[s + 1] = cum[s] + freq[s];
        if (freq[s]) nsym = s + 1;
    }

    /* Table. */
    uint8_t head[1 + N1_SYM_COUNT * 3u];
    size_t hpos = 0;
    head[hpos++] = (uint8_t)nsym;
    for (unsigned s = 0; s < nsym; s++) hpos += put_varint(head + hpos, freq[s]);

    /* rANS data, written backwards into scratch. */
    size_t scap = 2u * n + 8u;
    uint8_t *scratch = (uint8_t *)malloc(scap);
    if (!scratch) return N1_ERR_NOMEM;
    size_t p = scap;
    uint32_t x = RANS_L;
    for (size_t i = n; i-- > 0;) {
        unsigned ne, ex;
        unsigned s = n1_sym_split(n1_zigzag16(in[i]), &ne, &ex);
        uint32_t f = freq[s];
        uint32_t x_max = ((RANS_L >> SCALE) << 8) * f;
        while (x >= x_max) {
            scratch[--p] = (uint8_t)x;
            x >>= 8;
        }
        x = ((x / f) << SCALE) + (x % f) + cum[s];
    }
    for (int k = 3; k >= 0; k--) scratch[--p] = (uint8_t)(x >> (8 * k));
    /* now scratch[p..] starts with the state, little-endian from the front */
    size_t rlen = scap - p;

    uint8_t lenbuf[10];
    size_t llen = put_varint(lenbuf, rlen);
    if (hpos + llen + rlen > cap) {
        free(scratch);
        return N1_ERR_OUTPUT_FULL;
    }
    memcpy(out, head, hpos);
    memcpy(out + hpos, lenbuf, llen);
    memcpy(out + hpos + llen, scratch + p, rlen);
    free(scratch);
    size_t pos = hpos + llen + rlen;

    /* Raw low bits, forwards. */
    n1_bitwriter w;
    n1_bw_init(&w, out + pos, cap - pos);
    for (size_t i = 0; i < n; i++) {
        unsigned ne, ex;
        n1_sym_split(n1_zigzag16(in[i]), &ne, &ex);
        if (ne) n1_bw_put(&w, ex, ne);
        if (w.overflow) break;
    }
    size_t blen = 0;
    int st = n1_bw_finish(&w, &blen);
    if (st != N1_OK) return st;
    *out_len = pos + blen;
    return N1_OK;
}

int n1_rans_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n)
{
    if ((n && !out) || (len && !in)) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    size_t pos = 0;
    if (len < 1) return N1_ERR_TRUNCATED;
    unsigned nsym = in[pos++];
    if (nsym < 1 || nsym > N1_SYM_COUNT) return N1_ERR_CORRUPT;
    uint32_t freq[N1_SYM_COUNT] = {0}, cum[N1_SYM_COUNT + 1];
    uint32_t sum = 0;
    for (unsigned s = 0; s < nsym; s++) {
        int st = get_varint(in, len, &pos, &freq[s]);
        if (st != N1_OK) return st;
        if (freq[s] > M) return N1_ERR_CORRUPT;
        sum += freq[s];
    }
    if (sum != M) return N1_ERR_CORRUPT;
    uint8_t slot[M];
    cum[0] = 0;
    for (unsigned s = 0; s < N1_SYM_COUNT; s++) {
        cum[s + 1] = cum[s] + freq[s];
        for (uint32_t j = cum[s]; j < cum[s + 1]; j++) slot[j] = (uint8_t)s;
    }
    uint32_t rlen;
    int st = get_varint(in, len, &pos, &rlen);
    if (st != N1_OK) return st;
    if (rlen > len - pos) return N1_ERR_TRUNCATED;
    if (rlen < 4) return N1_ERR_CORRUPT;
    const uint8_t *r = in + pos;
    size_t rpos = 4;
    uint32_t x = (uint32_t)r[0] | ((uint32_t)r[1] << 8) | ((uint32_t)r[2] << 16) |
                 ((uint32_t)r[3] << 24);
    n1_bitreader br;
    n1_br_init(&br, in + pos + rlen, len - pos - rlen);
    for (size_t i = 0; i < n; i++) {
        uint32_t sl = x & (M - 1u);
        unsigned s = slot[sl];
        x = freq[s] * (x >> SCALE) + sl - cum[s];
        while (x < RANS_L) {
            if (rpos >= rlen) return N1_ERR_TRUNCATED;
            x = (x << 8) | r[rpos++];
        }
        unsigned ne = n1_sym_nextra(s);
        unsigned ex = ne ? n1_br_get(&br, ne) : 0u;
        out[i] = n1_unzigzag16((uint16_t)n1_sym_join(s, ex));
    }
    if (n1_br_overrun(&br)) return N1_ERR_TRUNCATED;
    if (x != RANS_L || rpos != rlen) return N1_ERR_CORRUPT;
    return N1_OK;
}
