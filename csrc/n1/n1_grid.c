/*
 * n1_grid.c -- value grids of format-2 streams (see n1_grid.h).
 */
#include "n1_grid.h"
#include "../common/status.h"
#include "../common/varint.h"
#include <string.h>

#define TABLE_MIN_VALUES 8   /* fewer distinct values: no table (too little evidence) */
#define GAP_FILL_MAX 64      /* gaps wider than this many modal steps are not filled */

static uint32_t zz(int32_t v) { return v >= 0 ? (uint32_t)v << 1 : ((uint32_t)(-(v + 1)) << 1) | 1u; }
static int32_t unzz(uint32_t u) { return (u & 1u) ? -(int32_t)(u >> 1) - 1 : (int32_t)(u >> 1); }

static int32_t gcd32(int32_t a, int32_t b)
{
    while (b) { int32_t t = a % b; a = b; b = t; }
    return a;
}

static unsigned bitlen32(uint32_t v)
{
    unsigned n = 0;
    while (v) { v >>= 1; n++; }
    return n;
}

/* Distinct values of a[] and b[] in increasing order into u[] (at most cap of
 * them are stored); returns how many there are. */
static size_t distinct(const int16_t *a, size_t na, const int16_t *b, size_t nb,
                       int32_t *u, size_t cap)
{
    uint8_t seen[65536 / 8];
    memset(seen, 0, sizeof(seen));
    for (int part = 0; part < 2; part++) {
        const int16_t *x = part ? b : a;
        size_t n = part ? nb : na;
        for (size_t i = 0; i < n; i++) {
            uint16_t v = (uint16_t)((int32_t)x[i] + 32768);
            seen[v >> 3] |= (uint8_t)(1u << (v & 7));
        }
    }
    size_t d = 0;
    for (int32_t byte = 0; byte < 65536 / 8; byte++) {
        if (!seen[byte]) continue; /* short channels touch few bytes: skip the rest fast */
        for (int32_t bit = 0; bit < 8; bit++) {
            if (!(seen[byte] & (1u << bit))) continue;
            if (d < cap) u[d] = byte * 8 + bit - 32768;
            d++;
        }
    }
    return d;
}

/* Most frequent gap between consecutive values u[0..d) (d <= N1_ADC_TABLE_MAX;
 * the smaller on ties). The gaps (1..65535: distinct int16 values) are sorted by a
 * two-pass radix sort, a byte a pass: qsort's comparison calls cost more than the
 * rest of a short channel's set-up. */
static int32_t modal_gap(const int32_t *u, size_t d)
{
    uint16_t gaps[N1_ADC_TABLE_MAX], tmp[N1_ADC_TABLE_MAX];
    size_t n = d - 1;
    for (size_t i = 0; i < n; i++) gaps[i] = (uint16_t)(u[i + 1] - u[i]);
    for (int shift = 0; shift < 16; shift += 8) {
        size_t start[257] = {0};
        for (size_t i = 0; i < n; i++) start[((gaps[i] >> shift) & 255) + 1]++;
        for (int v = 0; v < 256; v++) start[v + 1] += start[v];
        for (size_t i = 0; i < n; i++) tmp[start[(gaps[i] >> shift) & 255]++] = gaps[i];
        memcpy(gaps, tmp, n * sizeof(gaps[0]));
    }
    int32_t best = gaps[0];
    size_t best_n = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && gaps[j] == gaps[i]) j++;
        if (j - i > best_n) { best = gaps[i]; best_n = j - i; }
        i = j;
    }
    return best;
}

/* Table from the distinct values u[0..d): gaps of ~q modal steps filled, a margin
 * at both ends. Returns K, or 0 if it would exceed N1_ADC_TABLE_MAX. */
static int32_t build_table(const int32_t *u, size_t d, int32_t h, int32_t *t)
{
    int32_t k = 0;
    t[k++] = u[0];
    for (size_t i = 1; i < d; i++) {
        int32_t gap = u[i] - u[i - 1];
        int32_t q = (gap + h / 2) / h;
        if (q > GAP_FILL_MAX) q = 1;
        if (k + q > N1_ADC_TABLE_MAX) return 0;
        for (int32_t j = 1; j < q; j++)
            t[k++] = u[i - 1] + (int32_t)(((int64_t)gap * j + q / 2) / q);
        t[k++] = u[i];
    }
    int32_t margin = k / 8 < 4 ? 4 : (k / 8 > 64 ? 64 : k / 8);
    int32_t lo = 0, hi = 0;
    while (lo < margin && t[0] - (int64_t)h * (lo + 1) >= -32768) lo++;
    while (hi < margin && t[k - 1] + (int64_t)h * (hi + 1) <= 32767) hi++;
    if (k + lo + hi > N1_ADC_TABLE_MAX) lo = hi = 0;
    memmove(t + lo, t, (size_t)k * sizeof(int32_t));
    for (int32_t j = 0; j < lo; j++) t[j] = t[lo] - h * (lo - j);
    k += lo;
    for (int32_t j = 0; j < hi; j++) t[k + j] = t[k - 1] + h * (j + 1);
    return k + hi;
}

/* Lattice x0 + g*c around the values umin..umax (see n1_grid.h). */
static void set_lattice(n1_grid *gr, int32_t umin, int32_t umax, int32_t g)
{
    int32_t span = (umax - umin) / g + 1;
    gr->aligned10 = 0;
    if (span >= 64 && (umin % g) == 0 && (int64_t)g * 1023 <= 65535) {
        if (umin >= -512 * g && umax <= 511 * g) {
            n1_adc_set_affine(&gr->map, -512 * g, g, 1024);
            gr->aligned10 = gr->map.kind == N1_ADC_AFFINE;
        } else if (umin >= 0 && umax <= 1023 * g) {
            n1_adc_set_affine(&gr->map, 0, g, 1024);
            gr->aligned10 = gr->map.kind == N1_ADC_AFFINE;
        }
        if (gr->aligned10) return;
    }
    if (span <= N1_ADC_TABLE_MAX - 32) {
        int32_t margin = span / 4 < 16 ? 16 : span / 4;
        if (span + 2 * margin > N1_ADC_TABLE_MAX) margin = (N1_ADC_TABLE_MAX - span) / 2;
        int32_t below = (umin + 32768) / g, above = (32767 - umax) / g;
        int32_t lo = margin < below ? margin : below, hi = margin < above ? margin : above;
        n1_adc_set_affine(&gr->map, umin - lo * g, g, span + lo + hi);
        return;
    }
    if (g == 1) {
        n1_adc_set(&gr->map, N1_ADC_IDENTITY, 16);
        return;
    }
    int32_t x0 = umin - g * ((umin + 32768) / g);
    n1_adc_set_affine(&gr->map, x0, g, (32767 - x0) / g + 1);
}

void n1_grid_detect(const int16_t *a, size_t na, const int16_t *b, size_t nb, n1_grid *gr)
{
    int32_t *u = gr->value; /* scratch: the distinct values, then the table */
    size_t d = distinct(a, na, b, nb, u, N1_ADC_TABLE_MAX);
    gr->aligned10 = 0;
    if (d < 2) {
        n1_adc_set(&gr->map, N1_ADC_IDENTITY, 16);
        return;
    }
    int32_t umin, umax, g = 0;
    if (d <= N1_ADC_TABLE_MAX) {
        umin = u[0];
        umax = u[d - 1];
        for (size_t i = 1; i < d; i++) g = gcd32(u[i] - umin, g);
    } else { /* many values: scan again for the extremes and the gcd */
        int32_t lo = 32767, hi = -32768;
        for (int part = 0; part < 2; part++) {
            const int16_t *x = part ? b : a;
            size_t n = part ? nb : na;
            for (size_t i = 0; i < n; i++) { lo = x[i] < lo ? x[i] : lo; hi = x[i] > hi ? x[i] : hi; }
        }
        for (int part = 0; part < 2 && g != 1; part++) {
            const int16_t *x = part ? b : a;
            size_t n = part ? nb : na;
            for (size_t i = 0; i < n && g != 1; i++) g = gcd32(x[i] - lo, g);
        }
        umin = lo;
        umax = hi;
    }
    /* a gcd > 1 must be more than a coincidence of a few values */
    if (g > 1 && (int64_t)(d - 1) * (bitlen32((uint32_t)g) - 1) < 24) g = 1;
    if (g < 1) g = 1;
    int32_t span = (umax - umin) / g + 1;
    if (d >= TABLE_MIN_VALUES && d <= N1_ADC_TABLE_MAX && span > 3 * (int32_t)d) {
        int32_t h = modal_gap(u, d);
        if (h > 1) {
            int32_t t[N1_ADC_TABLE_MAX];
            int32_t K = build_table(u, d, h, t);
            if (K > 0 && 3 * K <= span) {
                memcpy(gr->value, t, (size_t)K * sizeof(int32_t));
                n1_adc_set_table(&gr->map, K);
                return;
            }
        }
    }
    set_lattice(gr, umin, umax, g);
}

static size_t put_varint(uint8_t *p, uint32_t v) { return n1c_varint_put(p, v); }

static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint32_t *v)
{
    uint64_t x = 0;
    int st = n1c_varint_get(p, len, pos, 5, UINT32_MAX, &x);
    if (st == N1_OK) *v = (uint32_t)x;
    return st;
}

typedef struct bitw { uint8_t *p; size_t cap, bit; int full; } bitw;

static void put_bit(bitw *w, unsigned b)
{
    if ((w->bit >> 3) >= w->cap) { w->full = 1; return; }
    if ((w->bit & 7) == 0) w->p[w->bit >> 3] = 0;
    w->p[w->bit >> 3] |= (uint8_t)(b << (w->bit & 7));
    w->bit++;
}

/* Gap bits of a table: returns the number of bits; writes them when w != NULL. */
static size_t table_bits(const n1_grid *g, int32_t h, bitw *w)
{
    size_t bits = 0;
    for (int32_t k = 1; k < g->map.ncodes; k++) {
        int32_t gap = g->value[k] - g->value[k - 1];
        if (gap == h) {
            bits++;
            if (w) put_bit(w, 0);
            continue;
        }
        uint32_t v = zz(gap - h); /* >= 1 */
        unsigned n = bitlen32(v);
        bits += 1 + 2 * n - 1;
        if (w) {
            put_bit(w, 1);
            for (unsigned i = 1; i < n; i++) put_bit(w, 0);
            for (unsigned i = n; i-- > 0;) put_bit(w, (v >> i) & 1u);
        }
    }
    return bits;
}

static int32_t table_step(const n1_grid *g)
{
    return g->map.ncodes > 1 ? modal_gap(g->value, (size_t)g->map.ncodes) : 1;
}

size_t n1_grid_size(const n1_grid *g)
{
    uint8_t tmp[15];
    if (g->map.kind == N1_ADC_AFFINE)
        return put_varint(tmp, zz(g->map.x0)) + put_varint(tmp, (uint32_t)g->map.step) +
               put_varint(tmp, (uint32_t)g->map.ncodes);
    if (g->map.kind == N1_ADC_TABLE) {
        int32_t h = table_step(g);
        return put_varint(tmp, zz(g->value[0])) + put_varint(tmp, (uint32_t)g->map.ncodes) +
               put_varint(tmp, (uint32_t)h) + (table_bits(g, h, NULL) + 7) / 8;
    }
    return 0;
}

size_t n1_grid_write(const n1_grid *g, uint8_t *out, size_t cap)
{
    size_t need = n1_grid_size(g);
    if (need > cap) return 0;
    size_t n = 0;
    if (g->map.kind == N1_ADC_AFFINE) {
        n += put_varint(out + n, zz(g->map.x0));
        n += put_varint(out + n, (uint32_t)g->map.step);
        n += put_varint(out + n, (uint32_t)g->map.ncodes);
    } else if (g->map.kind == N1_ADC_TABLE) {
        int32_t h = table_step(g);
        n += put_varint(out + n, zz(g->value[0]));
        n += put_varint(out + n, (uint32_t)g->map.ncodes);
        n += put_varint(out + n, (uint32_t)h);
        bitw w = {out + n, cap - n, 0, 0};
        table_bits(g, h, &w);
        n += (w.bit + 7) / 8;
    }
    return n;
}

static int read_table(const uint8_t *in, size_t len, size_t *pos, n1_grid *g)
{
    uint32_t x0z, K, h;
    int st;
    if ((st = get_varint(in, len, pos, &x0z)) != N1_OK) return st;
    if ((st = get_varint(in, len, pos, &K)) != N1_OK) return st;
    if ((st = get_varint(in, len, pos, &h)) != N1_OK) return st;
    int32_t x0 = unzz(x0z);
    if (K < 1 || K > N1_ADC_TABLE_MAX || h < 1 || h > 65535 || x0 < -32768 || x0 > 32767)
        return N1_ERR_CORRUPT;
    size_t bit = 0, avail = (len - *pos) * 8;
    const uint8_t *p = in + *pos;
    g->value[0] = x0;
    for (uint32_t k = 1; k < K; k++) {
        if (bit >= avail) return N1_ERR_TRUNCATED;
        int32_t gap = (int32_t)h;
        if ((p[bit >> 3] >> (bit & 7)) & 1u) {
            bit++;
            unsigned n = 1;
            for (;;) { /* leading zeros, then the value's bits */
                if (bit >= avail) return N1_ERR_TRUNCATED;
                if ((p[bit >> 3] >> (bit & 7)) & 1u) break;
                bit++;
                if (++n > 18) return N1_ERR_CORRUPT;
            }
            if (bit + n > avail) return N1_ERR_TRUNCATED;
            uint32_t v = 0;
            for (unsigned i = 0; i < n; i++, bit++) v = (v << 1) | ((p[bit >> 3] >> (bit & 7)) & 1u);
            gap += unzz(v);
        } else {
            bit++;
        }
        int64_t next = (int64_t)g->value[k - 1] + gap;
        if (gap < 1 || next > 32767) return N1_ERR_CORRUPT;
        g->value[k] = (int32_t)next;
    }
    *pos += (bit + 7) / 8;
    n1_adc_set_table(&g->map, (int32_t)K);
    return N1_OK;
}

int n1_grid_read(const uint8_t *in, size_t len, int kind, int bits, size_t *used, n1_grid *g)
{
    size_t pos = 0;
    int st = N1_OK;
    *used = 0;
    g->aligned10 = 0;
    if (kind == N1_ADC_IDENTITY) {
        if (bits != 0) return N1_ERR_CORRUPT;
        n1_adc_set(&g->map, N1_ADC_IDENTITY, 16);
    } else if (kind == N1_ADC_STRETCH || kind == N1_ADC_SHIFT) {
        if (bits < 1) return N1_ERR_CORRUPT;
        n1_adc_set(&g->map, kind, bits);
    } else if (kind == N1_ADC_AFFINE) {
        uint32_t x0z, step, K;
        if (bits != 0) return N1_ERR_CORRUPT;
        if ((st = get_varint(in, len, &pos, &x0z)) != N1_OK) return st;
        if ((st = get_varint(in, len, &pos, &step)) != N1_OK) return st;
        if ((st = get_varint(in, len, &pos, &K)) != N1_OK) return st;
        int32_t x0 = unzz(x0z);
        if (step < 1 || step > 65535 || K < 1 || K > 65536 || x0 < -32768 ||
            (int64_t)x0 + (int64_t)step * (K - 1) > 32767)
            return N1_ERR_CORRUPT;
        n1_adc_set_affine(&g->map, x0, (int32_t)step, (int32_t)K);
    } else if (kind == N1_ADC_TABLE) {
        if (bits != 0) return N1_ERR_CORRUPT;
        if ((st = read_table(in, len, &pos, g)) != N1_OK) return st;
    } else {
        return N1_ERR_CORRUPT;
    }
    *used = pos;
    return N1_OK;
}
