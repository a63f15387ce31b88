/* bwt_chain.c -- the `bwtc` coder: value table, BWT, MTF, zero-run RLE, multi-table
 * canonical Huffman (see bwt_chain.h for the contract). */
#include <stdlib.h>
#include <string.h>
#include "bwt_chain.h"
#include "bwt.h"
#include "common/bitio.h"
#include "common/status.h"
#include "entropy/huffman.h"

#define MAX_CHAIN_K 4096u      /* more distinct values per block: byte mode */
#define K_BITS 12u
#define MAX_ALPHABET (2u + 256u + (16u - 8u) * 8u + 64u)  /* largest map is 322 symbols */
#define CODE_MAX_BITS 17u
#define RICE_ESCAPE 20u
#define MAX_BLOCK_LOG_FIELD 5u

void n1c_bwtc_default_params(n1c_bwtc_params *p)
{
    p->block_log = 20;
    p->tables = 3;
    p->group = 100;
    p->iterations = 2;
    p->direct_log = 5;
    p->mantissa = 3;
}

static int params_valid(const n1c_bwtc_params *p)
{
    return p->block_log >= N1C_BWTC_MIN_BLOCK_LOG && p->block_log <= N1C_BWTC_MAX_BLOCK_LOG &&
           p->tables <= N1C_BWTC_MAX_TABLES && p->group >= 1 && p->group <= 255 &&
           p->iterations >= 1 && p->iterations <= 16 && p->direct_log <= 8 && p->mantissa <= 3 &&
           p->mantissa <= p->direct_log;
}

static unsigned bits_for(size_t max_value)
{
    unsigned bits = 1;
    while (bits < 40 && (max_value >> bits) != 0) bits++;
    return bits;
}

static unsigned floor_log2(uint32_t v)
{
    unsigned e = 0;
    while (v >> (e + 1)) e++;
    return e;
}

/* ---- symbol map: MTF index -> (Huffman symbol, extra bits) -------------- */

typedef struct symmap {
    unsigned b, m;          /* direct_log, mantissa bits */
    uint32_t direct;        /* 2^b */
    unsigned alphabet;      /* 2 + direct + (16 - b) * 2^m */
} symmap;

static void symmap_init(symmap *sm, unsigned b, unsigned m)
{
    sm->b = b;
    sm->m = m;
    sm->direct = 1u << b;
    sm->alphabet = 2u + sm->direct + ((16u - b) << m);
}

/* u = MTF index - 1 (0..65534). */
static inline unsigned symmap_encode(const symmap *sm, uint32_t u, uint32_t *extra, unsigned *nextra)
{
    if (u < sm->direct) {
        *nextra = 0;
        *extra = 0;
        return 2u + u;
    }
    unsigned e = floor_log2(u), sh = e - sm->m;
    *nextra = sh;
    *extra = u & ((1u << sh) - 1u);
    return 2u + sm->direct + ((e - sm->b) << sm->m) + ((u >> sh) & ((1u << sm->m) - 1u));
}

/* Base value and extra-bit count of every symbol >= 2. */
static void symmap_tables(const symmap *sm, uint32_t *base, uint8_t *nextra)
{
    for (unsigned s = 0; s < sm->alphabet; s++) {
        if (s < 2) {
            base[s] = 0;
            nextra[s] = 0;
        } else if (s < 2 + sm->direct) {
            base[s] = s - 2;
            nextra[s] = 0;
        } else {
            unsigned t = s - 2 - sm->direct;
            unsigned e = sm->b + (t >> sm->m), mant = t & ((1u << sm->m) - 1u);
            unsigned sh = e - sm->m;
            base[s] = ((1u << sm->m) + mant) << sh;
            nextra[s] = (uint8_t)sh;
        }
    }
}

/* ---- Rice with an escape (value table) ---------------------------------- */

static uint64_t rice_bits(uint32_t v, unsigned k)
{
    uint32_t q = v >> k;
    return q < RICE_ESCAPE ? q + 1 + k : RICE_ESCAPE + 18;
}

static void put_rice(n1_bitwriter *w, uint32_t v, unsigned k)
{
    uint32_t q = v >> k;
    if (q < RICE_ESCAPE) {
        n1_bw_put(w, ((1u << q) - 1u) << 1, q + 1);
        n1_bw_put(w, v & ((1u << k) - 1u), k);
    } else {
        n1_bw_put(w, (1u << RICE_ESCAPE) - 1u, RICE_ESCAPE);
        n1_bw_put(w, v, 18);
    }
}

static uint32_t get_rice(n1_bitreader *r, unsigned k)
{
    uint32_t q = 0;
    while (q < RICE_ESCAPE && n1_br_get(r, 1)) q++;
    if (q == RICE_ESCAPE) return n1_br_get(r, 18);
    return (q << k) | (k ? n1_br_get(r, k) : 0);
}

static uint32_t zigzag(int32_t v) { return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31); }
static int32_t unzigzag(uint32_t u) { return (int32_t)(u >> 1) ^ -(int32_t)(u & 1); }

/* ---- encoder ------------------------------------------------------------- */

typedef struct table_set {
    unsigned ntables;
    uint8_t lengths[N1C_BWTC_MAX_TABLES][MAX_ALPHABET];
    uint8_t *sel;          /* one selector per group */
    uint64_t bits;         /* tables + selectors + codes */
} table_set;

typedef struct encoder {
    n1c_bwtc_params p;
    symmap sm;
    /* per block */
    uint16_t *rank_of;     /* 65536 */
    uint8_t *seen;         /* 65536 */
    uint16_t *values;      /* MAX_CHAIN_K */
    uint16_t *ranks;       /* block */
    uint16_t *bw;          /* block */
    int32_t *sa;           /* 2 * block + 1 */
    uint16_t *sym;         /* block */
    uint16_t *ext;         /* block */
    uint16_t list[MAX_CHAIN_K];
    uint32_t freq[MAX_ALPHABET];
    uint8_t used[MAX_ALPHABET];
    uint32_t tfreq[N1C_BWTC_MAX_TABLES][MAX_ALPHABET];
    uint64_t packed[MAX_ALPHABET][2];  /* code lengths of tables 0-3 and 4-7, 16 bits each */
    uint32_t codes[MAX_ALPHABET];
    uint64_t weights[MAX_ALPHABET];
    uint32_t order[MAX_ALPHABET];
    uint8_t nextra[MAX_ALPHABET];
    uint32_t base[MAX_ALPHABET];
    table_set sets[2];
} encoder;

static uint64_t table_bits(const uint8_t *lengths, const uint8_t *used, unsigned alphabet)
{
    uint64_t bits = 5;
    int cur = -1;
    for (unsigned s = 0; s < alphabet; s++) {
        if (!used[s]) continue;
        if (cur < 0) cur = lengths[s];
        int d = (int)lengths[s] - cur;
        bits += 1 + 2u * (unsigned)(d < 0 ? -d : d);
        cur = lengths[s];
    }
    return bits;
}

static void build_lengths(encoder *e, const uint32_t *freq, uint8_t *lengths)
{
    uint32_t smooth[MAX_ALPHABET];
    unsigned alphabet = e->sm.alphabet;
    for (unsigned s = 0; s < alphabet; s++) smooth[s] = e->used[s] ? freq[s] * 2u + 1u : 0;
    n1c_huffman_lengths(smooth, alphabet, CODE_MAX_BITS, lengths, e->weights, e->order);
}

/* Chooses selectors for `nt` tables by iterative refinement; fills ts and its bit cost. */
static void optimise_tables(encoder *e, size_t m, unsigned nt, table_set *ts)
{
    unsigned alphabet = e->sm.alphabet, group = e->p.group;
    size_t ngroups = (m + group - 1) / group;
    ts->ntables = nt;
    /* Initial tables: consecutive symbol ranges of about equal frequency mass. */
    uint64_t remaining = 0;
    for (unsigned s = 0; s < alphabet; s++) remaining += e->freq[s];
    unsigned gs = 0;
    for (unsigned part = nt; part > 0; part--) {
        uint64_t target = remaining / part, acc = 0;
        int ge = (int)gs - 1;
        while (acc < target && ge < (int)alphabet - 1) {
            ge++;
            acc += e->freq[ge];
        }
        if (ge > (int)gs && part != nt && part != 1 && ((nt - part) % 2 == 1)) {
            acc -= e->freq[ge];
            ge--;
        }
        uint8_t *len = ts->lengths[part - 1];
        for (unsigned s = 0; s < alphabet; s++)
            len[s] = ((int)s >= (int)gs && (int)s <= ge) ? 0 : 15;
        gs = (unsigned)(ge + 1);
        remaining -= acc;
    }
    uint64_t (*packed)[2] = e->packed;
    for (unsigned it = 0; it <= e->p.iterations; it++) {
        int last = it == e->p.iterations;
        for (unsigned s = 0; s < alphabet; s++) {
            packed[s][0] = packed[s][1] = 0;
            for (unsigned t = 0; t < nt; t++)
                packed[s][t >> 2] |= (uint64_t)ts->lengths[t][s] << (16 * (t & 3));
        }
        if (!last)
            for (unsigned t = 0; t < nt; t++) memset(e->tfreq[t], 0, alphabet * sizeof(uint32_t));
        uint64_t code_bits = 0;
        for (size_t g = 0; g < ngroups; g++) {
            size_t lo = g * group, hi = lo + group < m ? lo + group : m;
            /* Four 16-bit cost lanes per word (a group costs < 255 * 17 bits). */
            uint32_t cost[N1C_BWTC_MAX_TABLES];
            uint64_t c0 = 0, c1 = 0;
            if (nt <= 4) {
                for (size_t i = lo; i < hi; i++) c0 += packed[e->sym[i]][0];
            } else {
                for (size_t i = lo; i < hi; i++) {
                    unsigned s = e->sym[i];
                    c0 += packed[s][0];
                    c1 += packed[s][1];
                }
            }
            for (unsigned t = 0; t < N1C_BWTC_MAX_TABLES; t++)
                cost[t] = (uint32_t)(((t < 4 ? c0 : c1) >> (16 * (t & 3))) & 0xffffu);
            unsigned best = 0;
            for (unsigned t = 1; t < nt; t++)
                if (cost[t] < cost[best]) best = t;
            ts->sel[g] = (uint8_t)best;
            code_bits += cost[best];
            if (!last)
                for (size_t i = lo; i < hi; i++) e->tfreq[best][e->sym[i]]++;
        }
        if (!last) {
            for (unsigned t = 0; t < nt; t++) build_lengths(e, e->tfreq[t], ts->lengths[t]);
        } else {
            uint64_t bits = code_bits;
            for (unsigned t = 0; t < nt; t++) bits += table_bits(ts->lengths[t], e->used, alphabet);
            uint8_t mtf[N1C_BWTC_MAX_TABLES];
            for (unsigned t = 0; t < nt; t++) mtf[t] = (uint8_t)t;
            for (size_t g = 0; g < ngroups; g++) {
                unsigned j = 0;
                while (mtf[j] != ts->sel[g]) j++;
                bits += j + 1;
                memmove(mtf + 1, mtf, j);
                mtf[0] = ts->sel[g];
            }
            ts->bits = bits;
        }
    }
}

static void write_raw_block(n1_bitwriter *w, const uint16_t *x, size_t nb)
{
    n1_bw_put(w, 1, 1);
    for (size_t i = 0; i < nb; i++) n1_bw_put(w, x[i], 16);
}

/* Phase 1: the text to transform. Rank mode: each sample replaced by its rank among
 * the block's K distinct values (e->values, sorted). Byte mode (more than MAX_CHAIN_K
 * values): the samples' little-endian bytes, K = 256. Fills e->ranks[0..*len) and
 * returns 1 for byte mode, 0 for rank mode. */
static int rank_text(encoder *e, const uint16_t *x, size_t nb, uint32_t *K_out, size_t *len)
{
    memset(e->seen, 0, 65536);
    for (size_t i = 0; i < nb; i++) e->seen[x[i]] = 1;
    uint32_t K = 0;
    int bytes = 0;
    for (uint32_t v = 0; v < 65536; v++) {
        if (!e->seen[v]) continue;
        if (K >= MAX_CHAIN_K) {
            bytes = 1;
            break;
        }
        e->rank_of[v] = (uint16_t)K;
        e->values[K++] = (uint16_t)v;
    }
    if (bytes) {
        *K_out = 256;
        *len = 2 * nb;
        for (size_t i = 0; i < nb; i++) {
            e->ranks[2 * i] = (uint16_t)(x[i] & 0xffu);
            e->ranks[2 * i + 1] = (uint16_t)(x[i] >> 8);
        }
    } else {
        *K_out = K;
        *len = nb;
        for (size_t i = 0; i < nb; i++) e->ranks[i] = e->rank_of[x[i]];
    }
    return bytes;
}

/* Phase 3: MTF over the K symbols of e->bw[0..len), bzip2's zero-run RLE (RUNA = 0,
 * RUNB = 1) and the symbol map. Fills e->sym, e->ext, e->freq and e->used; returns
 * the number of RLE symbols m. */
static size_t mtf_rle_symbols(encoder *e, size_t len, uint32_t K)
{
    for (uint32_t i = 0; i < K; i++) e->list[i] = (uint16_t)i;
    memset(e->freq, 0, sizeof e->freq);
    size_t m = 0, run = 0;
    uint16_t *list = e->list;
    for (size_t i = 0; i <= len; i++) {
        uint32_t idx = 0;
        if (i < len) {
            uint16_t c = e->bw[i], prev = list[0];
            while (prev != c) {
                uint16_t tmp = list[++idx];
                list[idx] = prev;
                prev = tmp;
            }
            list[0] = c;
            if (idx == 0) {
                run++;
                continue;
            }
        }
        while (run > 0) {
            unsigned s = (run & 1) ? 0u : 1u;
            run = (run - 1 - s) >> 1;
            e->sym[m] = (uint16_t)s;
            e->ext[m++] = 0;
            e->freq[s]++;
        }
        if (i == len) break;
        uint32_t extra;
        unsigned nx;
        unsigned s = symmap_encode(&e->sm, idx - 1, &extra, &nx);
        e->sym[m] = (uint16_t)s;
        e->ext[m++] = (uint16_t)extra;
        e->freq[s]++;
    }
    for (unsigned s = 0; s < e->sm.alphabet; s++) e->used[s] = e->freq[s] > 0 || s < 2;
    return m;
}

/* Phase 4: the cheapest set of Huffman tables for the m symbols: the configured
 * count, or (tables = 0) the best of 1..6 that the symbol count can pay for. */
static const table_set *choose_tables(encoder *e, size_t m)
{
    table_set *best = NULL;
    unsigned lo_t = e->p.tables ? e->p.tables : 1, hi_t = e->p.tables ? e->p.tables : 6;
    if (!e->p.tables) {
        /* few symbols cannot pay for many tables */
        while (hi_t > 1 && (size_t)hi_t * 400 > m) hi_t--;
    }
    int which = 0;
    for (unsigned nt = lo_t; nt <= hi_t; nt++) {
        table_set *ts = &e->sets[which];
        optimise_tables(e, m, nt, ts);
        if (!best || ts->bits < best->bits) {
            best = ts;
            which ^= 1;  /* keep the best set, try the next count in the other */
        }
    }
    return best;
}

/* Rank mode's value table: K - 1, the first value, then (K > 1) Rice k and the
 * Rice-coded zigzag second differences of the sorted values (k chosen cheapest). */
static void write_value_table(n1_bitwriter *w, const uint16_t *values, uint32_t K)
{
    n1_bw_put(w, K - 1, K_BITS);
    n1_bw_put(w, values[0], 16);
    if (K <= 1) return;
    uint64_t cost[16] = {0};
    uint32_t gprev = 1;
    for (uint32_t i = 1; i < K; i++) {
        uint32_t g = (uint32_t)values[i] - values[i - 1];
        uint32_t z = zigzag((int32_t)g - (int32_t)gprev);
        for (unsigned k = 0; k < 16; k++) cost[k] += rice_bits(z, k);
        gprev = g;
    }
    unsigned k = 0;
    for (unsigned j = 1; j < 16; j++)
        if (cost[j] < cost[k]) k = j;
    n1_bw_put(w, k, 4);
    gprev = 1;
    for (uint32_t i = 1; i < K; i++) {
        uint32_t g = (uint32_t)values[i] - values[i - 1];
        put_rice(w, zigzag((int32_t)g - (int32_t)gprev), k);
        gprev = g;
    }
}

/* The code lengths of each table, bzip2-style: over the used symbols, a 5-bit
 * first length, then per symbol ("10" = +1, "11" = -1)* "0". */
static void write_table_lengths(n1_bitwriter *w, const table_set *ts, const uint8_t *used,
                                unsigned alphabet)
{
    for (unsigned t = 0; t < ts->ntables; t++) {
        const uint8_t *bits = ts->lengths[t];
        int cur = -1;
        for (unsigned s = 0; s < alphabet; s++) {
            if (!used[s]) continue;
            if (cur < 0) {
                cur = bits[s];
                n1_bw_put(w, (uint32_t)cur, 5);
            }
            while (cur < bits[s]) {
                n1_bw_put(w, 2, 2);
                cur++;
            }
            while (cur > bits[s]) {
                n1_bw_put(w, 3, 2);
                cur--;
            }
            n1_bw_put(w, 0, 1);
        }
    }
}

/* One selector per group, as its move-to-front position in unary. */
static void write_selectors(n1_bitwriter *w, const table_set *ts, size_t ngroups)
{
    uint8_t mtf[N1C_BWTC_MAX_TABLES];
    for (unsigned t = 0; t < ts->ntables; t++) mtf[t] = (uint8_t)t;
    for (size_t g = 0; g < ngroups; g++) {
        unsigned j = 0;
        while (mtf[j] != ts->sel[g]) j++;
        n1_bw_put(w, ((1u << j) - 1u) << 1, j + 1);
        memmove(mtf + 1, mtf, j);
        mtf[0] = ts->sel[g];
    }
}

/* Every symbol's code from its group's table, each followed by its extra bits. */
static void write_symbols(const encoder *e, n1_bitwriter *w, const table_set *ts, size_t m)
{
    unsigned alphabet = e->sm.alphabet, group = e->p.group;
    uint32_t codes[N1C_BWTC_MAX_TABLES][MAX_ALPHABET];
    for (unsigned t = 0; t < ts->ntables; t++) {
        uint8_t tmp[MAX_ALPHABET];
        for (unsigned s = 0; s < alphabet; s++) tmp[s] = e->used[s] ? ts->lengths[t][s] : 0;
        n1c_huffman_codes(tmp, alphabet, codes[t]);
    }
    size_t ngroups = (m + group - 1) / group;
    for (size_t g = 0; g < ngroups; g++) {
        unsigned t = ts->sel[g];
        const uint32_t *code = codes[t];
        const uint8_t *bits = ts->lengths[t];
        size_t lo = g * group, hi = lo + group < m ? lo + group : m;
        for (size_t i = lo; i < hi; i++) {
            unsigned s = e->sym[i];
            n1_bw_put(w, code[s], bits[s]);
            n1_bw_put(w, e->ext[i], e->nextra[s]);
        }
    }
}

/* Writes one block in rank or byte mode, phase by phase (bwt_chain.h's steps 1-5);
 * returns N1_OK or a negative status. */
static int write_chain_block(encoder *e, n1_bitwriter *w, const uint16_t *x, size_t nb)
{
    uint32_t K;
    size_t len;
    int bytes = rank_text(e, x, nb, &K, &len);
    uint32_t primary = 0;
    int st = n1c_bwt_encode_u16(e->ranks, len, K, e->bw, &primary, e->sa);
    if (st != N1_OK) return st;
    size_t m = mtf_rle_symbols(e, len, K);
    const table_set *best = choose_tables(e, m);

    n1_bw_put(w, 0, 1);
    n1_bw_put(w, (uint32_t)bytes, 1);
    if (!bytes) write_value_table(w, e->values, K);
    unsigned nbits = bits_for(len);
    n1_bw_put(w, primary, nbits);
    n1_bw_put(w, (uint32_t)m, nbits);
    n1_bw_put(w, e->sm.b, 4);
    n1_bw_put(w, e->sm.m, 2);
    n1_bw_put(w, best->ntables - 1, 3);
    n1_bw_put(w, e->p.group, 8);
    for (unsigned s = 0; s < e->sm.alphabet; s++) n1_bw_put(w, e->used[s], 1);
    write_table_lengths(w, best, e->used, e->sm.alphabet);
    write_selectors(w, best, (m + e->p.group - 1) / e->p.group);
    write_symbols(e, w, best, m);
    return N1_OK;
}

size_t n1c_bwtc_bound(size_t n)
{
    size_t blocks = (n >> N1C_BWTC_MIN_BLOCK_LOG) + 1;
    return 2 * n + blocks + 16;
}

int n1c_bwtc_encode(const uint16_t *samples, size_t n, const n1c_bwtc_params *params,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    if (!out_len) return N1_ERR_INVALID_ARG;
    *out_len = 0;
    n1c_bwtc_params p;
    if (params)
        p = *params;
    else
        n1c_bwtc_default_params(&p);
    if (!params_valid(&p)) return N1_ERR_INVALID_ARG;
    if (n == 0) return N1_OK;
    if (!samples || !out) return N1_ERR_INVALID_ARG;
    if (n > UINT32_MAX) return N1_ERR_TOO_LARGE;

    size_t block = (size_t)1 << p.block_log;
    size_t nb_max = n < block ? n : block;
    encoder *e = calloc(1, sizeof *e);
    if (!e) return N1_ERR_NOMEM;
    e->p = p;
    symmap_init(&e->sm, p.direct_log, p.mantissa);
    symmap_tables(&e->sm, e->base, e->nextra);
    e->rank_of = malloc(65536 * sizeof *e->rank_of);
    e->seen = malloc(65536);
    e->values = malloc(MAX_CHAIN_K * sizeof *e->values);
    /* A block in byte mode is a text of 2 * nb symbols. */
    e->ranks = malloc(2 * nb_max * sizeof *e->ranks);
    e->bw = malloc(2 * nb_max * sizeof *e->bw);
    e->sa = malloc(n1c_bwt_work_size(2 * nb_max) * sizeof *e->sa);
    e->sym = malloc(2 * nb_max * sizeof *e->sym);
    e->ext = malloc(2 * nb_max * sizeof *e->ext);
    e->sets[0].sel = malloc(2 * nb_max);
    e->sets[1].sel = malloc(2 * nb_max);
    int st = N1_OK;
    if (!e->rank_of || !e->seen || !e->values || !e->ranks || !e->bw || !e->sa || !e->sym ||
        !e->ext || !e->sets[0].sel || !e->sets[1].sel) {
        st = N1_ERR_NOMEM;
        goto done;
    }

    n1_bitwriter w;
    n1_bw_init(&w, out, cap);
    n1_bw_put(&w, p.block_log, MAX_BLOCK_LOG_FIELD);
    for (size_t start = 0; start < n; start += block) {
        size_t nb = n - start < block ? n - start : block;
        n1_bitwriter saved = w;
        int r = write_chain_block(e, &w, samples + start, nb);
        if (r < 0) {
            st = r;
            goto done;
        }
        if (w.overflow || n1_bw_bits(&w) - n1_bw_bits(&saved) > 1 + 16 * (uint64_t)nb) {
            w = saved;
            write_raw_block(&w, samples + start, nb);
        }
    }
    st = n1_bw_finish(&w, out_len);

done:
    free(e->rank_of);
    free(e->seen);
    free(e->values);
    free(e->ranks);
    free(e->bw);
    free(e->sa);
    free(e->sym);
    free(e->ext);
    free(e->sets[0].sel);
    free(e->sets[1].sel);
    free(e);
    return st;
}

/* ---- decoder ------------------------------------------------------------- */

typedef struct decoder {
    n1c_huffman_decoder huff[N1C_BWTC_MAX_TABLES];
    uint8_t lengths[MAX_ALPHABET];
    uint8_t used[MAX_ALPHABET];
    uint32_t base[MAX_ALPHABET];
    uint8_t nextra[MAX_ALPHABET];
    uint16_t values[MAX_CHAIN_K];
    uint16_t list[MAX_CHAIN_K];
    uint16_t *bw;      /* block */
    uint16_t *ranks;   /* block */
    uint32_t *lf;      /* block + MAX_CHAIN_K + 1 */
    uint8_t *sel;      /* block */
} decoder;

static int read_chain_block(decoder *d, n1_bitreader *r, uint16_t *out, size_t nb)
{
    int bytes = (int)n1_br_get(r, 1);
    uint32_t K = 256, v = 0;
    size_t len = 2 * nb;
    if (!bytes) {
        K = n1_br_get(r, K_BITS) + 1;
        v = n1_br_get(r, 16);
        d->values[0] = (uint16_t)v;
        len = nb;
    }
    if (!bytes && K > 1) {
        unsigned k = n1_br_get(r, 4);
        int32_t gprev = 1;
        for (uint32_t i = 1; i < K; i++) {
            int32_t g = gprev + unzigzag(get_rice(r, k));
            if (g < 1 || v + (uint32_t)g > 65535u) return N1_ERR_CORRUPT;
            v += (uint32_t)g;
            d->values[i] = (uint16_t)v;
            gprev = g;
        }
    }
    unsigned nbits = bits_for(len);
    uint32_t primary = n1_br_get(r, nbits);
    size_t m = n1_br_get(r, nbits);
    if (m > len) return N1_ERR_CORRUPT;
    unsigned b = n1_br_get(r, 4), mant = n1_br_get(r, 2);
    if (b > 8 || mant > b) return N1_ERR_CORRUPT;
    symmap sm;
    symmap_init(&sm, b, mant);
    symmap_tables(&sm, d->base, d->nextra);
    unsigned alphabet = sm.alphabet;
    unsigned nt = n1_br_get(r, 3) + 1;
    unsigned group = n1_br_get(r, 8);
    if (group == 0) return N1_ERR_CORRUPT;
    unsigned nused = 0;
    for (unsigned s = 0; s < alphabet; s++) nused += d->used[s] = (uint8_t)n1_br_get(r, 1);
    if (nused < 2) return N1_ERR_CORRUPT;
    for (unsigned t = 0; t < nt; t++) {
        int cur = -1;
        for (unsigned s = 0; s < alphabet; s++) {
            d->lengths[s] = 0;
            if (!d->used[s]) continue;
            if (cur < 0) cur = (int)n1_br_get(r, 5);
            while (n1_br_get(r, 1)) {
                cur += n1_br_get(r, 1) ? -1 : 1;
                if (cur < 1 || cur > (int)CODE_MAX_BITS) return N1_ERR_CORRUPT;
            }
            if (cur < 1 || cur > (int)CODE_MAX_BITS) return N1_ERR_CORRUPT;
            d->lengths[s] = (uint8_t)cur;
        }
        if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;
        if (n1c_huffman_decoder_init(&d->huff[t], d->lengths, alphabet) != N1_OK) return N1_ERR_CORRUPT;
    }
    size_t ngroups = (m + group - 1) / group;
    uint8_t mtf[N1C_BWTC_MAX_TABLES];
    for (unsigned t = 0; t < nt && t < N1C_BWTC_MAX_TABLES; t++) mtf[t] = (uint8_t)t;  /* nt <= 8 by its 3-bit field; the bound also quiets GCC -O3 -march=native */
    for (size_t g = 0; g < ngroups; g++) {
        unsigned j = 0;
        while (n1_br_get(r, 1))
            if (++j >= nt) return N1_ERR_CORRUPT;
        uint8_t t = mtf[j];
        memmove(mtf + 1, mtf, j);
        mtf[0] = t;
        d->sel[g] = t;
    }
    if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;

    /* Huffman -> zero-run expansion -> MTF, in one pass. */
    uint16_t *list = d->list, *bw = d->bw;
    for (uint32_t i = 0; i < K; i++) list[i] = (uint16_t)i;
    size_t j = 0, weight = 1, done = 0;
    for (size_t g = 0; g < ngroups; g++) {
        const n1c_huffman_decoder *h = &d->huff[d->sel[g]];
        size_t cnt = m - done < group ? m - done : group;
        done += cnt;
        for (size_t i = 0; i < cnt; i++) {
            unsigned s = n1c_huffman_decode_symbol(h, r);
            if (s < 2) {
                if (weight > len) return N1_ERR_CORRUPT;
                size_t run = weight << s;
                if (run > len - j) return N1_ERR_CORRUPT;
                uint16_t c = list[0];
                for (size_t q = 0; q < run; q++) bw[j + q] = c;
                j += run;
                weight <<= 1;
            } else {
                weight = 1;
                uint32_t idx = d->base[s] + 1u;
                if (d->nextra[s]) idx += n1_br_get(r, d->nextra[s]);
                if (idx >= K || j >= len) return N1_ERR_CORRUPT;
                uint16_t c = list[idx];
                memmove(list + 1, list, idx * sizeof *list);
                list[0] = c;
                bw[j++] = c;
            }
        }
        if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;
    }
    if (j != len) return N1_ERR_CORRUPT;
    int st = n1c_bwt_decode_u16(bw, len, K, primary, d->ranks, d->lf);
    if (st != N1_OK) return st;
    if (bytes) {
        for (size_t i = 0; i < nb; i++)
            out[i] = (uint16_t)(d->ranks[2 * i] | (d->ranks[2 * i + 1] << 8));
    } else {
        for (size_t i = 0; i < nb; i++) out[i] = d->values[d->ranks[i]];
    }
    return N1_OK;
}

int n1c_bwtc_decode(const uint8_t *in, size_t len, uint16_t *out, size_t n)
{
    if (n == 0) return len == 0 ? N1_OK : N1_ERR_CORRUPT;
    if (!out || (len && !in)) return N1_ERR_INVALID_ARG;
    if (n > UINT32_MAX) return N1_ERR_TOO_LARGE;
    n1_bitreader r;
    n1_br_init(&r, in, len);
    unsigned block_log = n1_br_get(&r, MAX_BLOCK_LOG_FIELD);
    if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
    if (block_log < N1C_BWTC_MIN_BLOCK_LOG || block_log > N1C_BWTC_MAX_BLOCK_LOG) return N1_ERR_CORRUPT;
    size_t block = (size_t)1 << block_log;
    size_t nb_max = n < block ? n : block;
    decoder *d = malloc(sizeof *d);
    if (!d) return N1_ERR_NOMEM;
    d->bw = malloc(2 * nb_max * sizeof *d->bw);
    d->ranks = malloc(2 * nb_max * sizeof *d->ranks);
    d->lf = malloc(n1c_bwt_decode_work_size(2 * nb_max, MAX_CHAIN_K) * sizeof *d->lf);
    d->sel = malloc(2 * nb_max);
    int st = N1_OK;
    if (!d->bw || !d->ranks || !d->lf || !d->sel) {
        st = N1_ERR_NOMEM;
        goto done;
    }
    for (size_t start = 0; start < n && st == N1_OK; start += block) {
        size_t nb = n - start < block ? n - start : block;
        if (n1_br_get(&r, 1)) {
            for (size_t i = 0; i < nb; i++) out[start + i] = (uint16_t)n1_br_get(&r, 16);
        } else {
            st = read_chain_block(d, &r, out + start, nb);
        }
        if (st == N1_OK && n1_br_overrun(&r)) st = N1_ERR_TRUNCATED;
    }
    /* Only zero padding may follow the last block. */
    if (st == N1_OK && (n1_br_consumed(&r) + 7) / 8 != len) st = N1_ERR_CORRUPT;

done:
    free(d->bw);
    free(d->ranks);
    free(d->lf);
    free(d->sel);
    free(d);
    return st;
}
