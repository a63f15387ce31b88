/* rans.c -- static 32-bit rANS over uint16 symbols, bucket or full alphabet (see rans.h). */
#include "rans.h"

#include <stdlib.h>
#include <string.h>
#include "common/bitio.h"
#include "common/varint.h"
#include "common/status.h"
#include "golomb.h"
#include "symbols.h"

#define SCALE N1C_RANS_SCALE_BITS
#define M (1u << SCALE)
#define RANS_L (1u << 23)
#define FULL_MAX N1C_RANS_FULL_MAX

size_t n1c_rans_bound(size_t n)
{
    if (n == 0) return 0;
    /* bucket mode (the larger): table + length, <= 2 renormalisation bytes per
     * symbol + state, <= 13 raw bits each; the full-alphabet mode is only
     * chosen when its estimate is smaller and then also checked against cap. */
    return 1u + N1_SYM_COUNT * 3u + 10u + (2u * n + 4u) + (13u * n + 7u) / 8u + 8u;
}

static size_t put_varint(uint8_t *p, uint64_t v) { return n1c_varint_put(p, v); }

/* Reads a LEB128 value of at most 5 bytes that fits 32 bits (common/varint.h). */
static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint32_t *v)
{
    uint64_t x = 0;
    int st = n1c_varint_get(p, len, pos, 5, UINT32_MAX, &x);
    if (st == N1_OK) *v = (uint32_t)x;
    return st;
}

/* log2(x) in 1/256 bits for x >= 1, integer only (repeated squaring). */
static uint32_t log2_q8(uint32_t x)
{
    unsigned L = 0;
    while ((x >> L) > 1u) L++;
    uint64_t m = ((uint64_t)x << 16) >> L;  /* in [2^16, 2^17) */
    uint32_t r = (uint32_t)L << 8;
    for (int i = 7; i >= 0; i--) {
        m = (m * m) >> 16;
        if (m >= (1u << 17)) {
            m >>= 1;
            r |= 1u << i;
        }
    }
    return r;
}

/* Frequencies summing to exactly M: each used symbol keeps >= 1. k <= FULL_MAX < M. */
static void normalise(const uint64_t *count, unsigned k, uint64_t n, uint32_t *freq)
{
    int64_t sum = 0;
    unsigned biggest = 0;
    for (unsigned s = 0; s < k; s++) {
        freq[s] = 0;
        if (count[s]) {
            uint64_t f = count[s] * M / n;
            freq[s] = f ? (uint32_t)f : 1u;
            sum += freq[s];
            if (count[s] > count[biggest]) biggest = s;
        }
    }
    int64_t diff = (int64_t)M - sum;
    if (diff >= 0) {
        freq[biggest] += (uint32_t)diff;
        return;
    }
    /* Too much from the max(1, .) rounding: take it from the largest ones. */
    while (diff < 0) {
        unsigned top = 0;
        for (unsigned s = 1; s < k; s++)
            if (freq[s] > freq[top]) top = s;
        uint32_t take = freq[top] / 16u + 1u;
        if (take > freq[top] - 1u) take = freq[top] - 1u;
        if ((int64_t)take > -diff) take = (uint32_t)(-diff);
        freq[top] -= take;
        diff += take;
    }
}

/* Estimated coded size in 1/256 bits of counts under normalised frequencies. */
static uint64_t coded_cost(const uint64_t *count, const uint32_t *freq, unsigned k)
{
    uint64_t bits = 0;
    for (unsigned s = 0; s < k; s++)
        if (count[s]) bits += count[s] * (uint64_t)((SCALE << 8) - log2_q8(freq[s]));
    return bits;
}

/* rANS-codes symbol indices idx(i) backwards into scratch; returns the start. */
static size_t rans_run(const uint16_t *in, size_t n, const uint16_t *full_index,
                       const uint32_t *freq, const uint32_t *cum, uint8_t *scratch, size_t scap)
{
    size_t p = scap;
    uint32_t x = RANS_L;
    for (size_t i = n; i-- > 0;) {
        unsigned z = n1_zigzag16(in[i]), s;
        if (full_index) {
            s = full_index[z];
        } else {
            unsigned ne, ex;
            s = n1_sym_split(z, &ne, &ex);
        }
        uint32_t f = freq[s];
        uint32_t x_max = ((RANS_L >> SCALE) << 8) * f;
        while (x >= x_max) {
            scratch[--p] = (uint8_t)x;
            x >>= 8;
        }
        x = ((x / f) << SCALE) + (x % f) + cum[s];
    }
    for (int k = 3; k >= 0; k--) scratch[--p] = (uint8_t)(x >> (8 * k));
    return p;  /* scratch[p..] starts with the state, little-endian */
}

typedef struct enc_work {
    uint32_t zcount[65536];
    uint16_t index[65536];
    uint16_t sym[FULL_MAX];
    uint64_t fcount[FULL_MAX];
    uint32_t ffreq[FULL_MAX];
    uint32_t fcum[FULL_MAX + 1];
    uint8_t table[16u + FULL_MAX * 12u];
} enc_work;

int n1c_rans_encode(const uint16_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    if ((n && (!in || !out)) || !out_len) return N1_ERR_INVALID_ARG;
    if (n == 0) {
        *out_len = 0;
        return N1_OK;
    }
    enc_work *wk = (enc_work *)calloc(1, sizeof *wk);
    if (!wk) return N1_ERR_NOMEM;

    /* Counts of buckets and of full symbols. */
    uint64_t count[N1_SYM_COUNT] = {0};
    uint64_t raw_bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned ne, ex, z = n1_zigzag16(in[i]);
        count[n1_sym_split(z, &ne, &ex)]++;
        raw_bits += ne;
        if (wk->zcount[z] < 0xFFFFFFFFu) wk->zcount[z]++;
    }
    uint32_t freq[N1_SYM_COUNT], cum[N1_SYM_COUNT + 1];
    normalise(count, N1_SYM_COUNT, (uint64_t)n, freq);
    unsigned nsym = 0;
    cum[0] = 0;
    for (unsigned s = 0; s < N1_SYM_COUNT; s++) {
        cum[s + 1] = cum[s] + freq[s];
        if (freq[s]) nsym = s + 1;
    }
    uint8_t head[1 + N1_SYM_COUNT * 3u];
    size_t hpos = 0;
    head[hpos++] = (uint8_t)nsym;
    for (unsigned s = 0; s < nsym; s++) hpos += put_varint(head + hpos, freq[s]);
    uint64_t bucket_cost = coded_cost(count, freq, N1_SYM_COUNT) + (raw_bits + hpos * 8u) * 256u;

    /* Full alphabet: worth it when few distinct values carry structure the raw
     * low bits of the bucket mode cannot (e.g. residuals on a lattice). */
    unsigned K = 0;
    int full = 0;
    size_t tlen = 0;
    for (unsigned z = 0; z < 65536u && K <= FULL_MAX; z++)
        if (wk->zcount[z]) {
            if (K < FULL_MAX) {
                wk->sym[K] = (uint16_t)z;
                wk->fcount[K] = wk->zcount[z];
                wk->index[z] = (uint16_t)K;
            }
            K++;
        }
    if (K <= FULL_MAX && n < 0xFFFFFFFFu) {
        normalise(wk->fcount, K, (uint64_t)n, wk->ffreq);
        wk->fcum[0] = 0;
        for (unsigned s = 0; s < K; s++) wk->fcum[s + 1] = wk->fcum[s] + wk->ffreq[s];
        n1_bitwriter w;
        n1_bw_init(&w, wk->table, sizeof wk->table);
        n1_bw_put(&w, 0, 8);
        n1_bw_put(&w, K - 1u, 12);
        n1_bw_put(&w, wk->sym[0], 16);
        n1c_rice_state gs, fs;
        n1c_rice_init(&gs, 4);
        n1c_rice_init(&fs, 16);
        for (unsigned s = 1; s < K; s++) {
            uint32_t g = (uint32_t)wk->sym[s] - wk->sym[s - 1] - 1u;
            n1c_rice_put(&w, g, n1c_rice_k(&gs));
            n1c_rice_update(&gs, g);
        }
        for (unsigned s = 0; s < K; s++) {
            uint32_t f = wk->ffreq[s] - 1u;
            n1c_rice_put(&w, f, n1c_rice_k(&fs));
            n1c_rice_update(&fs, f);
        }
        if (n1_bw_finish(&w, &tlen) == N1_OK) {
            uint64_t full_cost = coded_cost(wk->fcount, wk->ffreq, K) + tlen * 8u * 256u;
            full = full_cost < bucket_cost;
        }
    }

    size_t scap = 2u * n + 8u;
    uint8_t *scratch = (uint8_t *)malloc(scap);
    if (!scratch) {
        free(wk);
        return N1_ERR_NOMEM;
    }
    size_t p = full ? rans_run(in, n, wk->index, wk->ffreq, wk->fcum, scratch, scap)
                    : rans_run(in, n, NULL, freq, cum, scratch, scap);
    size_t rlen = scap - p;
    uint8_t lenbuf[10];
    size_t llen = put_varint(lenbuf, rlen);
    const uint8_t *hsrc = full ? wk->table : head;
    size_t hl = full ? tlen : hpos;
    if (hl + llen + rlen > cap) {
        free(scratch);
        free(wk);
        return N1_ERR_OUTPUT_FULL;
    }
    memcpy(out, hsrc, hl);
    memcpy(out + hl, lenbuf, llen);
    memcpy(out + hl + llen, scratch + p, rlen);
    free(scratch);
    free(wk);
    size_t pos = hl + llen + rlen;
    if (full) {
        *out_len = pos;
        return N1_OK;
    }

    /* Bucket mode: raw low bits, forwards. */
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

typedef struct dec_work {
    uint16_t slot[M];
    uint16_t sym[FULL_MAX];
    uint32_t freq[FULL_MAX];
    uint32_t cum[FULL_MAX + 1];
} dec_work;

/* Reads the full-alphabet table after byte 0; *pos receives the bytes used. */
static int read_full_table(const uint8_t *in, size_t len, dec_work *wk, unsigned *K_out,
                           size_t *pos)
{
    n1_bitreader r;
    n1_br_init(&r, in + 1, len - 1);
    unsigned K = n1_br_get(&r, 12) + 1u;
    uint32_t z = n1_br_get(&r, 16);
    if (K > FULL_MAX) return N1_ERR_CORRUPT;
    wk->sym[0] = (uint16_t)z;
    n1c_rice_state gs, fs;
    n1c_rice_init(&gs, 4);
    n1c_rice_init(&fs, 16);
    for (unsigned s = 1; s < K; s++) {
        uint32_t g = n1c_rice_get(&r, n1c_rice_k(&gs));
        n1c_rice_update(&gs, g);
        if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
        z += g + 1u;
        if (z > 0xFFFFu) return N1_ERR_CORRUPT;
        wk->sym[s] = (uint16_t)z;
    }
    uint32_t sum = 0;
    wk->cum[0] = 0;
    for (unsigned s = 0; s < K; s++) {
        uint32_t f = n1c_rice_get(&r, n1c_rice_k(&fs));
        n1c_rice_update(&fs, f);
        if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
        if (f >= M) return N1_ERR_CORRUPT;
        wk->freq[s] = f + 1u;
        sum += f + 1u;
        if (sum > M) return N1_ERR_CORRUPT;
        wk->cum[s + 1] = sum;
    }
    if (sum != M) return N1_ERR_CORRUPT;
    for (unsigned s = 0; s < K; s++)
        for (uint32_t j = wk->cum[s]; j < wk->cum[s + 1]; j++) wk->slot[j] = (uint16_t)s;
    *K_out = K;
    *pos = 1u + (size_t)((n1_br_consumed(&r) + 7u) / 8u);
    return N1_OK;
}

int n1c_rans_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n)
{
    if ((n && !out) || (len && !in)) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    if (len < 1) return N1_ERR_TRUNCATED;
    dec_work *wk = (dec_work *)malloc(sizeof *wk);
    if (!wk) return N1_ERR_NOMEM;
    int st = N1_OK;
    size_t pos = 0;
    unsigned nsym = in[0], K = 0;
    int full = (nsym == 0);
    if (full) {
        st = read_full_table(in, len, wk, &K, &pos);
    } else if (nsym > N1_SYM_COUNT) {
        st = N1_ERR_CORRUPT;
    } else {
        /* Bucket table: nsym varint frequencies; sym[s] is unused. */
        pos = 1;
        uint32_t sum = 0;
        wk->cum[0] = 0;
        for (unsigned s = 0; s < N1_SYM_COUNT && st == N1_OK; s++) {
            wk->freq[s] = 0;
            if (s < nsym) {
                st = get_varint(in, len, &pos, &wk->freq[s]);
                if (st == N1_OK && wk->freq[s] > M) st = N1_ERR_CORRUPT;
            }
            sum += wk->freq[s];
            wk->cum[s + 1] = sum;
        }
        if (st == N1_OK && sum != M) st = N1_ERR_CORRUPT;
        if (st == N1_OK)
            for (unsigned s = 0; s < N1_SYM_COUNT; s++)
                for (uint32_t j = wk->cum[s]; j < wk->cum[s + 1]; j++) wk->slot[j] = (uint16_t)s;
    }
    uint32_t rlen = 0;
    if (st == N1_OK) st = get_varint(in, len, &pos, &rlen);
    if (st == N1_OK && rlen > len - pos) st = N1_ERR_TRUNCATED;
    if (st == N1_OK && rlen < 4) st = N1_ERR_CORRUPT;
    if (st != N1_OK) {
        free(wk);
        return st;
    }

    const uint8_t *r = in + pos;
    size_t rpos = 4;
    uint32_t x = (uint32_t)r[0] | ((uint32_t)r[1] << 8) | ((uint32_t)r[2] << 16) |
                 ((uint32_t)r[3] << 24);
    n1_bitreader br;
    n1_br_init(&br, in + pos + rlen, len - pos - rlen);
    for (size_t i = 0; i < n; i++) {
        uint32_t sl = x & (M - 1u);
        unsigned s = wk->slot[sl];
        x = wk->freq[s] * (x >> SCALE) + sl - wk->cum[s];
        while (x < RANS_L) {
            if (rpos >= rlen) {
                free(wk);
                return N1_ERR_TRUNCATED;
            }
            x = (x << 8) | r[rpos++];
        }
        if (full) {
            out[i] = n1_unzigzag16(wk->sym[s]);
        } else {
            unsigned ne = n1_sym_nextra(s);
            unsigned ex = ne ? n1_br_get(&br, ne) : 0u;
            out[i] = n1_unzigzag16((uint16_t)n1_sym_join(s, ex));
        }
    }
    free(wk);
    if (n1_br_overrun(&br)) return N1_ERR_TRUNCATED;
    if (x != RANS_L || rpos != rlen) return N1_ERR_CORRUPT;
    if (full && len != pos + rlen) return N1_ERR_CORRUPT;
    return N1_OK;
}
