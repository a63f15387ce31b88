/* huffman.c -- length-limited canonical Huffman codes and the `huffman` stream (see huffman.h). */
#include <string.h>
#include "huffman.h"
#include "common/status.h"

/* ---- code lengths ------------------------------------------------------ */

/* Stable bottom-up merge sort of symbol indices by ascending count (C99's
 * qsort has no context argument). tmp holds n entries. */
static void sort_by_count(uint32_t *idx, uint32_t *tmp, size_t n, const uint32_t *counts)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = counts[idx[j]] < counts[idx[i]] ? idx[j++] : idx[i++];
            while (i < mid) tmp[k++] = idx[i++];
            while (j < hi) tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* In-place minimum-redundancy code lengths (Moffat and Katajainen, 1995):
 * a[0..n-1] holds weights in ascending order on entry and code lengths on exit. */
static void minimum_redundancy_lengths(uint64_t *a, size_t n)
{
    if (n == 1) {
        a[0] = 1;
        return;
    }
    size_t root = 0, leaf = 2, next;
    a[0] += a[1];
    for (next = 1; next < n - 1; next++) {
        if (leaf >= n || a[root] < a[leaf]) {
            a[next] = a[root];
            a[root++] = next;
        } else {
            a[next] = a[leaf++];
        }
        if (leaf >= n || (root < next && a[root] < a[leaf])) {
            a[next] += a[root];
            a[root++] = next;
        } else {
            a[next] += a[leaf++];
        }
    }
    a[n - 2] = 0;
    for (size_t j = n - 2; j-- > 0;) a[j] = a[a[j]] + 1;
    size_t avail = 1, used = 0, depth = 0;
    long r = (long)n - 2;
    long nx = (long)n - 1;
    while (avail > 0) {
        while (r >= 0 && a[r] == depth) {
            used++;
            r--;
        }
        while (avail > used) {
            a[nx--] = depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
}

/* Caps lengths at max_bits and restores a complete code. `order` lists the used
 * symbols by ascending weight, so lengths are non-increasing along it. */
static void limit_lengths(uint8_t *lengths, const uint32_t *order, size_t n, unsigned max_bits)
{
    const uint64_t full = (uint64_t)1 << max_bits;
    uint64_t kraft = 0;
    for (size_t i = 0; i < n; i++) {
        if (lengths[order[i]] > max_bits) lengths[order[i]] = (uint8_t)max_bits;
        kraft += full >> lengths[order[i]];
    }
    /* Over-subscribed: lengthen the rarest codes that are still short enough. */
    while (kraft > full) {
        for (size_t i = 0; i < n && kraft > full; i++) {
            uint8_t len = lengths[order[i]];
            if (len < max_bits) {
                kraft -= full >> (len + 1);
                lengths[order[i]] = (uint8_t)(len + 1);
            }
        }
    }
    /* Under-subscribed: shorten the most frequent codes while room remains. */
    for (size_t i = n; i-- > 0 && kraft < full;) {
        uint8_t len = lengths[order[i]];
        while (len > 1 && kraft + (full >> len) <= full) {
            kraft += full >> len;
            len--;
        }
        lengths[order[i]] = len;
    }
}

long n1c_huffman_lengths(const uint32_t *counts, size_t alphabet, unsigned max_bits,
                         uint8_t *lengths, uint64_t *weights, uint32_t *order)
{
    if (alphabet == 0 || alphabet > N1C_HUFFMAN_ALPHABET || max_bits == 0 ||
        max_bits > N1C_HUFFMAN_MAX_BITS)
        return N1_ERR_INVALID_ARG;
    size_t n = 0;
    for (size_t s = 0; s < alphabet; s++) {
        lengths[s] = 0;
        if (counts[s]) order[n++] = (uint32_t)s;
    }
    if (n == 0) return 0;
    if (((size_t)1 << max_bits) < n) return N1_ERR_INVALID_ARG;
    if (n == 1) {
        lengths[order[0]] = 1;
        return 1;
    }
    /* The weights array serves first as the sort's scratch (n uint32 fit in
     * alphabet uint64), then as the in-place length computation's array. */
    sort_by_count(order, (uint32_t *)(void *)weights, n, counts);
    for (size_t i = 0; i < n; i++) weights[i] = counts[order[i]];
    minimum_redundancy_lengths(weights, n);
    for (size_t i = 0; i < n; i++)
        lengths[order[i]] = (uint8_t)(weights[i] > 255 ? 255 : weights[i]);
    limit_lengths(lengths, order, n, max_bits);
    return (long)n;
}

void n1c_huffman_codes(const uint8_t *lengths, size_t alphabet, uint32_t *codes)
{
    uint32_t count[N1C_HUFFMAN_MAX_BITS + 2] = {0};
    uint32_t next[N1C_HUFFMAN_MAX_BITS + 2] = {0};
    for (size_t s = 0; s < alphabet; s++)
        if (lengths[s] && lengths[s] <= N1C_HUFFMAN_MAX_BITS) count[lengths[s]]++;
    uint32_t code = 0;
    for (unsigned len = 1; len <= N1C_HUFFMAN_MAX_BITS; len++) {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    for (size_t s = 0; s < alphabet; s++)
        codes[s] = (lengths[s] && lengths[s] <= N1C_HUFFMAN_MAX_BITS) ? next[lengths[s]]++ : 0;
}

/* ---- the table ----------------------------------------------------------- */

static unsigned bits_for(size_t max_value)
{
    unsigned bits = 1;
    while (bits < 32 && (max_value >> bits) != 0) bits++;
    return bits;
}

static uint32_t zigzag(int32_t v) { return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31); }
static int32_t unzigzag(uint32_t u) { return (int32_t)(u >> 1) ^ -(int32_t)(u & 1); }

static void put_rice(n1_bitwriter *w, uint32_t value, unsigned k)
{
    uint32_t q = value >> k;
    while (q >= 32) {
        n1_bw_put(w, 0, 32);
        q -= 32;
    }
    n1_bw_put(w, 1, q + 1);  /* q zeros, then a one */
    n1_bw_put(w, value, k);
}

/* Reads a Rice code whose value may not exceed `max_value`. */
static int get_rice(n1_bitreader *r, unsigned k, uint32_t max_value, uint32_t *value)
{
    uint32_t q = 0, max_q = max_value >> k;
    while (n1_br_get(r, 1) == 0) {
        if (++q > max_q || n1_br_overrun(r)) return n1_br_overrun(r) ? N1_ERR_TRUNCATED : N1_ERR_CORRUPT;
    }
    uint32_t v = (q << k) | (k ? n1_br_get(r, k) : 0);
    if (v > max_value) return N1_ERR_CORRUPT;
    *value = v;
    return N1_OK;
}

static uint64_t rice_cost(const uint32_t *values, size_t n, unsigned k)
{
    uint64_t bits = 0;
    for (size_t i = 0; i < n; i++) bits += (values[i] >> k) + 1 + k;
    return bits;
}

static unsigned best_rice_k(const uint32_t *values, size_t n, unsigned max_k)
{
    unsigned best = 0;
    uint64_t best_bits = rice_cost(values, n, 0);
    for (unsigned k = 1; k <= max_k; k++) {
        uint64_t bits = rice_cost(values, n, k);
        if (bits < best_bits) {
            best_bits = bits;
            best = k;
        }
    }
    return best;
}

/* Table layout: used-1 (b bits, b = bits for alphabet-1); if one symbol: that
 * symbol (b bits). Otherwise: max length (5 bits), first symbol (b bits), gap
 * Rice parameter (4 bits), length Rice parameter (3 bits), the gaps between
 * consecutive used symbols minus one, the first length (5 bits), then the
 * zigzagged differences of consecutive lengths. */
void n1c_huffman_write_table(n1_bitwriter *w, const uint8_t *lengths, size_t alphabet, size_t used)
{
    const unsigned b = bits_for(alphabet - 1);
    n1_bw_put(w, (uint32_t)(used - 1), b);
    uint32_t gaps[2 * 4096], len_diffs[2 * 4096];
    size_t s = 0;
    while (s < alphabet && lengths[s] == 0) s++;
    if (used == 1) {
        n1_bw_put(w, (uint32_t)s, b);
        return;
    }
    unsigned max_len = 0;
    for (size_t t = s; t < alphabet; t++)
        if (lengths[t] > max_len) max_len = lengths[t];
    n1_bw_put(w, max_len, 5);
    n1_bw_put(w, (uint32_t)s, b);
    /* Choose the Rice parameters on a sample of up to 8192 values (exact for
     * the usual few hundred symbols), then write every value. */
    size_t n = 0, prev = s;
    for (size_t t = s + 1; t < alphabet && n < 8192; t++) {
        if (!lengths[t]) continue;
        gaps[n] = (uint32_t)(t - prev - 1);
        len_diffs[n] = zigzag((int32_t)lengths[t] - (int32_t)lengths[prev]);
        n++;
        prev = t;
    }
    unsigned k_gap = best_rice_k(gaps, n, 15), k_len = best_rice_k(len_diffs, n, 7);
    n1_bw_put(w, k_gap, 4);
    n1_bw_put(w, k_len, 3);
    prev = s;
    for (size_t t = s + 1; t < alphabet; t++) {
        if (!lengths[t]) continue;
        put_rice(w, (uint32_t)(t - prev - 1), k_gap);
        prev = t;
    }
    n1_bw_put(w, lengths[s], 5);
    prev = s;
    for (size_t t = s + 1; t < alphabet; t++) {
        if (!lengths[t]) continue;
        put_rice(w, zigzag((int32_t)lengths[t] - (int32_t)lengths[prev]), k_len);
        prev = t;
    }
}

int n1c_huffman_read_table(n1_bitreader *r, uint8_t *lengths, size_t alphabet,
                           size_t *used, uint16_t *single)
{
    if (alphabet == 0 || alphabet > N1C_HUFFMAN_ALPHABET) return N1_ERR_INVALID_ARG;
    const unsigned b = bits_for(alphabet - 1);
    memset(lengths, 0, alphabet);
    size_t n = (size_t)n1_br_get(r, b) + 1;
    if (n > alphabet) return N1_ERR_CORRUPT;
    if (n == 1) {
        uint32_t s = n1_br_get(r, b);
        if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;
        if (s >= alphabet) return N1_ERR_CORRUPT;
        lengths[s] = 1;
        *used = 1;
        *single = (uint16_t)s;
        return N1_OK;
    }
    unsigned max_len = n1_br_get(r, 5);
    uint32_t s = n1_br_get(r, b);
    unsigned k_gap = n1_br_get(r, 4), k_len = n1_br_get(r, 3);
    if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;
    if (max_len == 0 || max_len > N1C_HUFFMAN_MAX_BITS || s >= alphabet) return N1_ERR_CORRUPT;
    /* Symbols: mark them with a provisional length of 1, remembering the order. */
    lengths[s] = 1;
    uint32_t prev = s;
    for (size_t i = 1; i < n; i++) {
        uint32_t gap;
        int st = get_rice(r, k_gap, (uint32_t)alphabet, &gap);
        if (st) return st;
        uint64_t next = (uint64_t)prev + gap + 1;
        if (next >= alphabet) return N1_ERR_CORRUPT;
        prev = (uint32_t)next;
        lengths[prev] = 1;
    }
    int32_t len = (int32_t)n1_br_get(r, 5);
    for (size_t t = s;; t++) {
        if (len < 1 || len > (int32_t)max_len) return n1_br_overrun(r) ? N1_ERR_TRUNCATED : N1_ERR_CORRUPT;
        lengths[t] = (uint8_t)len;
        if (t == prev) break;
        while (!lengths[t + 1]) t++;
        uint32_t diff;
        int st = get_rice(r, k_len, 2 * N1C_HUFFMAN_MAX_BITS, &diff);
        if (st) return st;
        len += unzigzag(diff);
    }
    if (n1_br_overrun(r)) return N1_ERR_TRUNCATED;
    *used = n;
    return N1_OK;
}

/* ---- decoding tables ----------------------------------------------------- */

int n1c_huffman_decoder_init(n1c_huffman_decoder *d, const uint8_t *lengths, size_t alphabet)
{
    uint32_t count[N1C_HUFFMAN_MAX_BITS + 2] = {0};
    unsigned max_bits = 0;
    if (alphabet == 0 || alphabet > N1C_HUFFMAN_ALPHABET) return N1_ERR_INVALID_ARG;
    for (size_t s = 0; s < alphabet; s++) {
        if (lengths[s] > N1C_HUFFMAN_MAX_BITS) return N1_ERR_CORRUPT;
        count[lengths[s]]++;
        if (lengths[s] > max_bits) max_bits = lengths[s];
    }
    count[0] = 0;
    uint64_t kraft = 0;
    for (unsigned len = 1; len <= max_bits; len++) kraft += (uint64_t)count[len] << (max_bits - len);
    if (max_bits == 0 || kraft != ((uint64_t)1 << max_bits)) return N1_ERR_CORRUPT;

    d->max_bits = max_bits;
    /* Canonical order: first_code[len] = (first_code[len-1] + count[len-1]) << 1. */
    uint32_t code = 0, index = 0;
    for (unsigned len = 1; len <= N1C_HUFFMAN_MAX_BITS + 1; len++) {
        d->first_code[len] = code;
        d->offset[len] = index;
        uint32_t here = len <= N1C_HUFFMAN_MAX_BITS ? count[len] : 0;
        d->limit[len] = len <= max_bits ? (code + here) << (max_bits - len) : UINT32_MAX;
        index += here;
        code = (code + here) << 1;
    }
    uint32_t fill[N1C_HUFFMAN_MAX_BITS + 2];
    for (unsigned len = 0; len <= N1C_HUFFMAN_MAX_BITS + 1; len++) fill[len] = d->offset[len];
    for (size_t s = 0; s < alphabet; s++)
        if (lengths[s]) d->sorted[fill[lengths[s]]++] = (uint16_t)s;

    memset(d->lut, 0, sizeof d->lut);
    for (unsigned len = 1; len <= max_bits && len <= N1C_HUFFMAN_LUT_BITS; len++) {
        for (uint32_t i = 0; i < count[len]; i++) {
            uint32_t sym = d->sorted[d->offset[len] + i];
            uint32_t c = d->first_code[len] + i;
            uint32_t lo = c << (N1C_HUFFMAN_LUT_BITS - len), span = 1u << (N1C_HUFFMAN_LUT_BITS - len);
            for (uint32_t j = 0; j < span; j++) d->lut[lo + j] = (sym << 8) | len;
        }
    }
    return N1_OK;
}

/* ---- the one-shot stream ------------------------------------------------- */

size_t n1c_huffman_bound(size_t count)
{
    size_t used = count < N1C_HUFFMAN_ALPHABET ? count : N1C_HUFFMAN_ALPHABET;
    /* table: header + per symbol at most 1+15+16 gap bits and 1+7+8 length bits */
    return 16 + (used * 48 + 7) / 8 + (count / 8) * N1C_HUFFMAN_MAX_BITS + N1C_HUFFMAN_MAX_BITS;
}

int n1c_huffman_encode(const uint16_t *symbols, size_t count, n1c_huffman_encoder_work *work,
                       uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (count == 0) return N1_OK;
    if (count > UINT32_MAX) return N1_ERR_TOO_LARGE;
    memset(work->counts, 0, sizeof work->counts);
    for (size_t i = 0; i < count; i++) work->counts[symbols[i]]++;
    long used = n1c_huffman_lengths(work->counts, N1C_HUFFMAN_ALPHABET, N1C_HUFFMAN_MAX_BITS,
                                    work->lengths, work->weights, work->order);
    if (used < 1) return used < 0 ? (int)used : N1_ERR_INVALID_ARG;
    n1_bitwriter w;
    n1_bw_init(&w, out, cap);
    n1c_huffman_write_table(&w, work->lengths, N1C_HUFFMAN_ALPHABET, (size_t)used);
    if (used > 1) {
        n1c_huffman_codes(work->lengths, N1C_HUFFMAN_ALPHABET, work->codes);
        const uint32_t *codes = work->codes;
        const uint8_t *lengths = work->lengths;
        for (size_t i = 0; i < count; i++) n1_bw_put(&w, codes[symbols[i]], lengths[symbols[i]]);
    }
    return n1_bw_finish(&w, out_len);
}

int n1c_huffman_max_count(const uint8_t *in, size_t len, uint8_t *lengths, uint64_t *max_count)
{
    if (!max_count || !lengths || (len && !in)) return N1_ERR_INVALID_ARG;
    *max_count = 0;
    if (len == 0) return N1_OK; /* the empty stream holds no symbol */
    n1_bitreader r;
    n1_br_init(&r, in, len);
    size_t used = 0;
    uint16_t single = 0;
    int st = n1c_huffman_read_table(&r, lengths, N1C_HUFFMAN_ALPHABET, &used, &single);
    if (st) return st;
    if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
    uint64_t table_bits = n1_br_consumed(&r);
    /* one symbol: no data bits at all; two or more: every code takes a bit */
    *max_count = used == 1 ? UINT64_MAX : (uint64_t)len * 8u - table_bits;
    return N1_OK;
}

int n1c_huffman_decode(const uint8_t *in, size_t len, n1c_huffman_decoder_work *work,
                       uint16_t *out, size_t count)
{
    if (count == 0) return len == 0 ? N1_OK : N1_ERR_CORRUPT;
    n1_bitreader r;
    n1_br_init(&r, in, len);
    size_t used = 0;
    uint16_t single = 0;
    int st = n1c_huffman_read_table(&r, work->lengths, N1C_HUFFMAN_ALPHABET, &used, &single);
    if (st) return st;
    if (used == 1) {
        for (size_t i = 0; i < count; i++) out[i] = single;
    } else {
        st = n1c_huffman_decoder_init(&work->decoder, work->lengths, N1C_HUFFMAN_ALPHABET);
        if (st) return st;
        const n1c_huffman_decoder *d = &work->decoder;
        /* Every code is at least one bit: a stream too short for count symbols is
         * refused up front, and overrun is checked every 64k symbols after that. */
        if ((uint64_t)count > (uint64_t)len * 8u) return N1_ERR_TRUNCATED;
        for (size_t i = 0; i < count; i++) {
            out[i] = (uint16_t)n1c_huffman_decode_symbol(d, &r);
            if ((i & 0xffff) == 0xffff && n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
        }
    }
    if (n1_br_overrun(&r)) return N1_ERR_TRUNCATED;
    /* The padding must end within the last byte: trailing bytes mean a foreign stream. */
    if ((n1_br_consumed(&r) + 7) / 8 != len) return N1_ERR_CORRUPT;
    return N1_OK;
}
