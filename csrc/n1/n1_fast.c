/*
 * n1_fast.c -- see n1_fast.h for the contract and the payload layout.
 */
#include "n1_fast.h"
#include <string.h>
#include "../common/status.h"

/* Step width of codes c with c mod 32 = i, Q8 (mean 256): count of the code over
 * the box-smoothed count (radius 16) of its neighbours, summed over codes seen
 * more than 1000 times in the EVEN-indexed half of the dev split (sorted by name).
 * Changing a value changes the stream format. */
const uint16_t n1_fast_w32[N1F_PHASES] = {
    230, 173, 304, 325, 245, 236, 247, 368, 254, 178, 311, 395, 189, 243, 255, 286,
    234, 180, 314, 336, 251, 241, 252, 440, 189, 178, 310, 394, 185, 211, 145, 92,
};

#define RANS_L (1u << 16)

void n1_fast_normalise(const uint64_t *t, uint32_t *f)
{
    uint64_t sum = 0;
    for (int s = 0; s < N1F_NSYM; s++) sum += t[s];
    /* t < 2^32 and sum >= t, so t * inv <= 2^44 */
    uint64_t inv = ((uint64_t)N1F_M << 32) / sum;
    uint32_t total = 0;
    for (int s = 0; s < N1F_NSYM; s++) {
        uint32_t v = 0;
        if (t[s]) {
            v = (uint32_t)((t[s] * inv + ((uint64_t)1 << 31)) >> 32);
            if (v < 1) v = 1;
        }
        f[s] = v;
        total += v;
    }
    while (total != N1F_M) {
        int best = 0;
        for (int s = 1; s < N1F_NSYM; s++)
            if (f[s] > f[best]) best = s;
        if (total > N1F_M) {
            uint32_t d = total - N1F_M;
            if (d > f[best] - 1) d = f[best] - 1;
            f[best] -= d;
            total -= d;
        } else {
            f[best] += N1F_M - total;
            total = N1F_M;
        }
    }
}

/* Weight of symbol s after a code of phase p (Q8). */
static inline uint32_t phase_w(int p, int s)
{
    return s == N1F_ESC ? 256u : n1_fast_w32[(p + s - N1F_R) & (N1F_PHASES - 1)];
}

/* Frequencies of every phase table from g (sum 4096): f[p * NSYM + s]. */
static void build_tables(const uint32_t *g, int phases, uint32_t *f)
{
    uint64_t t[N1F_NSYM];
    if (!phases) {
        memcpy(f, g, N1F_NSYM * sizeof(uint32_t));
        return;
    }
    for (int p = 0; p < N1F_PHASES; p++) {
        for (int s = 0; s < N1F_NSYM; s++) t[s] = (uint64_t)g[s] * phase_w(p, s);
        n1_fast_normalise(t, f + p * N1F_NSYM);
    }
}

/* 256 * log2(1 + i / 256), rounded */
static const uint8_t log2_frac[256] = {
    0, 1, 3, 4, 6, 7, 9, 10, 11, 13, 14, 16, 17, 18, 20, 21,
    22, 24, 25, 26, 28, 29, 30, 32, 33, 34, 36, 37, 38, 40, 41, 42,
    44, 45, 46, 47, 49, 50, 51, 52, 54, 55, 56, 57, 59, 60, 61, 62,
    63, 65, 66, 67, 68, 69, 71, 72, 73, 74, 75, 77, 78, 79, 80, 81,
    82, 84, 85, 86, 87, 88, 89, 90, 92, 93, 94, 95, 96, 97, 98, 99,
    100, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 116, 117,
    118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133,
    134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149,
    150, 151, 152, 153, 154, 155, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164,
    165, 166, 167, 168, 169, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 178,
    179, 180, 181, 182, 183, 184, 185, 185, 186, 187, 188, 189, 190, 191, 192, 192,
    193, 194, 195, 196, 197, 198, 198, 199, 200, 201, 202, 203, 203, 204, 205, 206,
    207, 208, 208, 209, 210, 211, 212, 212, 213, 214, 215, 216, 216, 217, 218, 219,
    220, 220, 221, 222, 223, 224, 224, 225, 226, 227, 228, 228, 229, 230, 231, 231,
    232, 233, 234, 234, 235, 236, 237, 238, 238, 239, 240, 241, 241, 242, 243, 244,
    244, 245, 246, 247, 247, 248, 249, 249, 250, 251, 252, 252, 253, 254, 255, 255
};

/* Code length of a symbol of frequency f (1..4096), in 1/256 bits (encoder only). */
static uint32_t cost_q8(uint32_t f)
{
    uint32_t msb = 0, v = f;
    if (v >= 1u << 8) { v >>= 8; msb += 8; }
    if (v >= 1u << 4) { v >>= 4; msb += 4; }
    if (v >= 1u << 2) { v >>= 2; msb += 2; }
    if (v >= 1u << 1) msb += 1;
    uint32_t m = msb <= 8 ? f << (8 - msb) : f >> (msb - 8); /* 256..511 */
    return ((uint32_t)N1F_PROB_BITS << 8) - ((msb << 8) + log2_frac[m - 256]);
}

void n1_fast_enc_init(n1_fast_enc *f, const n1_adc_map *map)
{
    f->prev = map->ncodes / 2;
    f->phases = map->kind == N1_ADC_STRETCH && map->bits == 10;
}

static inline int32_t code_or_nearest(const n1_adc_map *map, int32_t v)
{
    int32_t c = n1_adc_to_code(map, v);
    return c >= 0 ? c : n1_adc_nearest(map, v);
}

static size_t put_varint(uint8_t *p, uint32_t v)
{
    size_t n = 0;
    while (v >= 0x80) { p[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    p[n++] = (uint8_t)v;
    return n;
}

static inline void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

/* Encode one symbol (f, c) into state X; words are written backwards from *pp. */
#define ENC_PUT(X, e, pp, lo)                                                     \
    do {                                                                          \
        if ((X) > (e)->xmax) {                                              \
            if ((pp) - (lo) < 2) return N1_ERR_OUTPUT_FULL;                       \
            (pp) -= 2;                                                            \
            put16((pp), (X));                                                     \
            (X) >>= 16;                                                           \
        }                                                                         \
        uint32_t q_ = (uint32_t)(((uint64_t)(X) * (e)->rcp_hi +                   \
                                  (((uint64_t)(X) * (e)->rcp_lo) >> 32)) >> 12);  \
        (X) = (q_ << N1F_PROB_BITS) + ((X) - q_ * (e)->f) + (e)->c;               \
    } while (0)

/* A uniform byte b (f = 16). */
#define ENC_BYTE(X, b, pp, lo)                                                    \
    do {                                                                          \
        if ((X) >= (16u << 20)) {                                                 \
            if ((pp) - (lo) < 2) return N1_ERR_OUTPUT_FULL;                       \
            (pp) -= 2;                                                            \
            put16((pp), (X));                                                     \
            (X) >>= 16;                                                           \
        }                                                                         \
        (X) = (((X) >> 4) << N1F_PROB_BITS) + ((X) & 15u) + ((uint32_t)(b) << 4); \
    } while (0)

/* Branch-free symbol step: the caller guarantees 2 bytes of room below pp (a
 * word is always written there; pp only moves when it is kept). */
#define ENC_FAST(X, e, pp)                                                        \
    do {                                                                          \
        uint32_t r_ = (X) > (e)->xmax;                                            \
        put16((pp) - 2, (X));                                                     \
        (pp) -= 2 * r_;                                                           \
        (X) >>= 16 * r_;                                                          \
        uint32_t q_ = (uint32_t)(((uint64_t)(X) * (e)->rcp_hi +                   \
                                  (((uint64_t)(X) * (e)->rcp_lo) >> 32)) >> 12);  \
        (X) = (q_ << N1F_PROB_BITS) + ((X) - q_ * (e)->f) + (e)->c;               \
    } while (0)

/* Sample i with every check: its extra symbols (raw bytes after an escape, low
 * bits of a shifted residual) first, then its symbol. */
static int enc_sample(n1_fast_enc *f, size_t i, int sh, uint32_t *Xp, uint8_t **ppp,
                      uint8_t *lo, size_t *ne)
{
    uint32_t Xl = *Xp;
    uint8_t *pp = *ppp;
    uint32_t ts = f->sym[i];
    if ((ts & 127u) == N1F_ESC) {
        uint16_t v = (uint16_t)f->esc[--*ne];
        ENC_BYTE(Xl, v & 255u, pp, lo);
        ENC_BYTE(Xl, v >> 8, pp, lo);
    } else if (sh) {
        /* k low bits, uniform: f = 2^(12 - k) */
        const uint32_t fb = 1u << (N1F_PROB_BITS - sh);
        if (Xl > (((uint32_t)fb << 20) - 1)) {
            if (pp - lo < 2) return N1_ERR_OUTPUT_FULL;
            pp -= 2;
            put16(pp, Xl);
            Xl >>= 16;
        }
        Xl = ((Xl >> (N1F_PROB_BITS - sh)) << N1F_PROB_BITS) + (Xl & (fb - 1)) +
             ((uint32_t)f->low[i] << (N1F_PROB_BITS - sh));
    }
    ENC_PUT(Xl, &f->tab[ts], pp, lo);
    *Xp = Xl;
    *ppp = pp;
    return N1_OK;
}

int n1_fast_encode_block(n1_fast_enc *f, const n1_adc_map *map, const int16_t *code_of,
                         const int16_t *x, size_t n, uint8_t *lo, uint8_t *hi,
                         uint8_t **start)
{
    const int32_t K = map->ncodes;
    const int32_t mask = f->phases ? N1F_PHASES - 1 : 0;
    uint32_t *hist = f->hist;
    uint16_t *sym = f->sym;
    size_t ne = 0;
    int32_t prev = f->prev;
    memset(hist, 0, sizeof(f->hist));
    int sh = 0;
    if (!f->phases && K > 1024) {
        /* wide residuals: choose the shift that brings the mean |d| to <= 12 */
        uint64_t sa = 0;
        int32_t pv = prev;
        for (size_t i = 0; i < n; i++) {
            int32_t v = x[i];
            int32_t code = K == 65536 ? v + 32768 : code_of[(uint16_t)v];
            if (code < 0) continue;
            sa += (uint64_t)(code > pv ? code - pv : pv - code);
            pv = code;
        }
        while (sh < 10 && (sa >> sh) > 12 * (uint64_t)n) sh++;
    }
    /* pass 1: symbols and their counts */
    for (size_t i = 0; i < n && sh; i++) {
        int32_t v = x[i];
        int32_t code = K == 65536 ? v + 32768 : code_of[(uint16_t)v];
        int32_t d = code - prev;
        int32_t q = d >= 0 ? d >> sh : ~((~d) >> sh); /* floor(d / 2^k) */
        uint32_t s = (uint32_t)(q + N1F_R);
        uint32_t t;
        if (code >= 0 && s < N1F_ESC) {
            t = s;
            f->low[i] = (uint16_t)((uint32_t)d & ((1u << sh) - 1));
            prev = code;
        } else {
            t = N1F_ESC;
            f->esc[ne++] = (int16_t)v;
            prev = code >= 0 ? code : n1_adc_nearest(map, v);
        }
        sym[i] = (uint16_t)t;
        hist[t]++;
    }
    for (size_t i = 0; i < n && !sh; i++) {
        int32_t v = x[i];
        int32_t code = K == 65536 ? v + 32768 : code_of[(uint16_t)v];
        uint32_t s = (uint32_t)(code - prev + N1F_R);
        uint32_t t;
        if (code >= 0 && s < N1F_ESC) {
            t = (uint32_t)(prev & mask) << 7 | s;
            prev = code;
        } else {
            t = (uint32_t)(prev & mask) << 7 | N1F_ESC;
            f->esc[ne++] = (int16_t)v;
            prev = code >= 0 ? code : n1_adc_nearest(map, v);
        }
        sym[i] = (uint16_t)t;
        hist[t]++;
    }
    f->prev = prev;

    /* the block's table g. Without phases: the symbol counts. With phases: each
     * count over the average step width the symbol met in this block; then both
     * variants are costed from the counts and the cheaper one is kept (a 10-bit
     * ADC whose steps are even codes better without). */
    uint32_t g[N1F_NSYM], freq[N1F_PHASES * N1F_NSYM];
    uint64_t t[N1F_NSYM], hs[N1F_NSYM];
    const int nall = f->phases ? N1F_PHASES : 1;
    for (int s = 0; s < N1F_NSYM; s++) {
        uint64_t h = 0;
        for (int p = 0; p < nall; p++) h += hist[p * N1F_NSYM + s];
        hs[s] = h;
    }
    int use = 0;
    if (f->phases) {
        uint64_t nphase[N1F_PHASES];
        for (int p = 0; p < N1F_PHASES; p++) {
            uint64_t c = 0;
            for (int s = 0; s < N1F_NSYM; s++) c += hist[p * N1F_NSYM + s];
            nphase[p] = c;
        }
        for (int s = 0; s < N1F_NSYM; s++) {
            t[s] = 0;
            if (!hs[s]) continue;
            uint64_t aw = 0;
            for (int p = 0; p < N1F_PHASES; p++) aw += nphase[p] * phase_w(p, s);
            /* count / (average step width met by this symbol), ~16 bits */
            t[s] = (hs[s] << 24) / (aw ? aw : 1) + 1;
        }
        n1_fast_normalise(t, g);
        build_tables(g, 1, freq);
        uint64_t cost_ph = 0, cost_flat = 0;
        for (int i = 0; i < N1F_PHASES * N1F_NSYM; i++)
            if (hist[i]) cost_ph += hist[i] * cost_q8(freq[i]);
        uint32_t g0[N1F_NSYM];
        n1_fast_normalise(hs, g0);
        for (int s = 0; s < N1F_NSYM; s++)
            if (hs[s]) cost_flat += hs[s] * cost_q8(g0[s]);
        use = cost_ph <= cost_flat;
        if (!use) memcpy(g, g0, sizeof(g));
    } else {
        n1_fast_normalise(hs, g);
    }
    if (!use) build_tables(g, 0, freq);
    const int nph = use ? N1F_PHASES : 1;
    if (f->phases && !use) /* one table: drop the phases from the symbols */
        for (size_t i = 0; i < n; i++) sym[i] &= N1F_NSYM - 1;
    for (int p = 0; p < nph; p++) {
        uint32_t c = 0;
        for (int s = 0; s < N1F_NSYM; s++) {
            n1_fast_enc_entry *e = &f->tab[p * N1F_NSYM + s];
            uint32_t fr = freq[p * N1F_NSYM + s];
            e->f = fr;
            e->c = c;
            e->xmax = (uint32_t)(((uint64_t)fr << 20) - 1);
            c += fr;
            if (fr && (use ? hist[p * N1F_NSYM + s] : hs[s])) {
                uint64_t r = (((uint64_t)1 << 44) + fr - 1) / fr;
                e->rcp_hi = (uint32_t)(r >> 32);
                e->rcp_lo = (uint32_t)r;
            }
        }
    }

    /* pass 2: rANS, backwards. Whole groups of four samples (one per lane) with
     * no extra symbols and enough room run branch-free; anything else takes the
     * checked path one sample at a time. */
    uint32_t X[N1F_LANES] = {RANS_L, RANS_L, RANS_L, RANS_L};
    uint8_t *pp = hi;
    size_t i = n;
    while (i & 3) {
        i--;
        uint8_t *pt = pp;
        int st = enc_sample(f, i, sh, &X[i & 3], &pt, lo, &ne);
        if (st != N1_OK) return st;
        pp = pt;
    }
    const n1_fast_enc_entry *tab = f->tab;
    uint32_t X0 = X[0], X1 = X[1], X2 = X[2], X3 = X[3];
    while (i > 0) {
        i -= 4;
        uint32_t t0 = sym[i], t1 = sym[i + 1], t2 = sym[i + 2], t3 = sym[i + 3];
        int rare = ((t0 & 127u) == N1F_ESC) | ((t1 & 127u) == N1F_ESC) |
                   ((t2 & 127u) == N1F_ESC) | ((t3 & 127u) == N1F_ESC);
        if (rare || sh || pp - lo < 8) {
            X[0] = X0; X[1] = X1; X[2] = X2; X[3] = X3;
            uint8_t *pt = pp; /* a copy keeps pp in a register on the common path */
            for (int j = 3; j >= 0; j--) {
                int st = enc_sample(f, i + (size_t)j, sh, &X[j], &pt, lo, &ne);
                if (st != N1_OK) return st;
            }
            pp = pt;
            X0 = X[0]; X1 = X[1]; X2 = X[2]; X3 = X[3];
            continue;
        }
        ENC_FAST(X3, &tab[t3], pp);
        ENC_FAST(X2, &tab[t2], pp);
        ENC_FAST(X1, &tab[t1], pp);
        ENC_FAST(X0, &tab[t0], pp);
    }
    X[0] = X0; X[1] = X1; X[2] = X2; X[3] = X3;
    /* header: flags, lo, hi, g; then the four states */
    int slo = 0, shi = N1F_NSYM - 1;
    while (g[slo] == 0) slo++;
    while (g[shi] == 0) shi--;
    uint8_t head[N1F_OVERHEAD];
    size_t h = 0;
    head[h++] = (uint8_t)(use | sh << 1);
    head[h++] = (uint8_t)slo;
    head[h++] = (uint8_t)shi;
    for (int s = slo; s <= shi; s++) h += put_varint(head + h, g[s]);
    for (int l = 0; l < N1F_LANES; l++) {
        put16(head + h, X[l]);
        put16(head + h + 2, X[l] >> 16);
        h += 4;
    }
    if ((size_t)(pp - lo) < h) return N1_ERR_OUTPUT_FULL;
    pp -= h;
    memcpy(pp, head, h);
    *start = pp;
    return N1_OK;
}

void n1_fast_dec_init(n1_fast_dec *d, const n1_adc_map *map)
{
    d->prev = map->ncodes / 2;
    for (int32_t c = 0; c < map->ncodes; c++) d->value[c] = (int16_t)n1_adc_value(map, c);
}

void n1_fast_stored(int32_t *prev, const n1_adc_map *map, const int16_t *x, size_t n)
{
    if (n) *prev = code_or_nearest(map, x[n - 1]);
}

void n1_fast_stored_raw(int32_t *prev, const n1_adc_map *map, const uint8_t *p, int16_t *out,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = (int16_t)(uint16_t)(p[2 * i] | (p[2 * i + 1] << 8));
    n1_fast_stored(prev, map, out, n);
}

static inline uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

/* The rest of a sample whose symbol s (already consumed) is an escape or a
 * shifted residual: read its extra symbol(s) with every check. */
static int dec_rare(const n1_fast_dec *d, const n1_adc_map *map, uint32_t s, int sh,
                    uint32_t *Xp, const uint8_t **pp, const uint8_t *end, int32_t *prev,
                    int16_t *out)
{
    uint32_t Xl = *Xp;
    const uint8_t *p = *pp;
    if (s != N1F_ESC) {
        const uint32_t fb = 1u << (N1F_PROB_BITS - sh);
        uint32_t sb = Xl & (N1F_M - 1);
        int32_t dd = (int32_t)((uint32_t)((int32_t)s - N1F_R) << sh) +
                     (int32_t)(sb >> (N1F_PROB_BITS - sh));
        Xl = fb * (Xl >> N1F_PROB_BITS) + (sb & (fb - 1));
        if (Xl < RANS_L) {
            if (end - p < 2) return N1_ERR_TRUNCATED;
            Xl = (Xl << 16) | get16(p);
            p += 2;
        }
        uint32_t code = (uint32_t)(*prev + dd);
        if (code >= (uint32_t)map->ncodes) return N1_ERR_CORRUPT;
        *out = d->value[code];
        *prev = (int32_t)code;
    } else {
        uint32_t v = 0;
        for (int b = 0; b < 2; b++) {
            uint32_t sb = Xl & (N1F_M - 1);
            v = (v << 8) | (sb >> 4);
            Xl = 16u * (Xl >> N1F_PROB_BITS) + (sb & 15u);
            if (Xl < RANS_L) {
                if (end - p < 2) return N1_ERR_TRUNCATED;
                Xl = (Xl << 16) | get16(p);
                p += 2;
            }
        }
        *out = (int16_t)(uint16_t)v;
        *prev = code_or_nearest(map, *out);
    }
    *Xp = Xl;
    *pp = p;
    return N1_OK;
}

int n1_fast_decode_block(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                         size_t nbytes, int16_t *out, size_t n)
{
    const uint8_t *end = p + nbytes;
    if (nbytes < 3 + 4 * N1F_LANES) return N1_ERR_TRUNCATED;
    int flags = p[0], slo = p[1], shi = p[2];
    const int sh = flags >> 1;
    if (sh > 10 || ((flags & 1) && sh) || slo > shi || shi >= N1F_NSYM) return N1_ERR_CORRUPT;
    p += 3;
    uint32_t g[N1F_NSYM], sum = 0;
    memset(g, 0, sizeof(g));
    for (int s = slo; s <= shi; s++) {
        uint32_t v = 0;
        int k = 0;
        for (;;) {
            if (p >= end) return N1_ERR_TRUNCATED;
            uint32_t b = *p++;
            v |= (b & 0x7f) << (7 * k);
            if (!(b & 0x80)) break;
            if (++k >= 2) return N1_ERR_CORRUPT;
        }
        if (v > N1F_M) return N1_ERR_CORRUPT;
        g[s] = v;
        sum += v;
    }
    if (sum != N1F_M || g[slo] == 0 || g[shi] == 0) return N1_ERR_CORRUPT;
    const int phases = flags & 1;
    const int nph = phases ? N1F_PHASES : 1;
    const int32_t mask = phases ? N1F_PHASES - 1 : 0;
    uint32_t freq[N1F_PHASES * N1F_NSYM];
    build_tables(g, phases, freq);
    for (int ph = 0; ph < nph; ph++) {
        uint32_t c = 0;
        for (int s = 0; s < N1F_NSYM; s++) {
            uint32_t fr = freq[ph * N1F_NSYM + s];
            d->fc[ph * N1F_NSYM + s] = fr | (c << 16);
            if (fr) memset(&d->slot[ph][c], s, fr);
            c += fr;
        }
    }
    if (end - p < 4 * N1F_LANES) return N1_ERR_TRUNCATED;
    uint32_t X[N1F_LANES];
    for (int l = 0; l < N1F_LANES; l++) {
        X[l] = get16(p) | (get16(p + 2) << 16);
        p += 4;
        if (X[l] < RANS_L) return N1_ERR_CORRUPT;
    }
    const uint32_t K = (uint32_t)map->ncodes;
    int32_t prev = d->prev;
    const uint32_t *fc = d->fc;
    const uint8_t *slot = &d->slot[0][0];
    const int16_t *value = d->value;
    size_t i = 0;
    /* Groups of four samples (one per lane) while at least 24 bytes remain (a
     * sample reads at most 3 words): branch-free renormalisation reading ahead. */
    uint32_t X0 = X[0], X1 = X[1], X2 = X[2], X3 = X[3];
#define DEC_FAST(XL, I)                                                           \
    do {                                                                          \
        uint32_t sl_ = (XL) & (N1F_M - 1);                                        \
        uint32_t ph_ = (uint32_t)(prev & mask);                                   \
        uint32_t s_ = slot[(ph_ << N1F_PROB_BITS) | sl_];                         \
        uint32_t e_ = fc[ph_ << 7 | s_];                                          \
        (XL) = (e_ & 0xffffu) * ((XL) >> N1F_PROB_BITS) + sl_ - (e_ >> 16);       \
        uint32_t w_ = get16(p), r_ = (XL) < RANS_L;                               \
        (XL) = ((XL) << (16 * r_)) | (w_ & (0u - r_));                            \
        p += 2 * r_;                                                              \
        if (s_ != N1F_ESC && !sh) {                                               \
            uint32_t code_ = (uint32_t)(prev + (int32_t)s_ - N1F_R);              \
            if (code_ >= K) return N1_ERR_CORRUPT;                                \
            out[I] = value[code_];                                                \
            prev = (int32_t)code_;                                                \
        } else { /* copies keep X, p and prev in registers on the common path */  \
            uint32_t xt_ = (XL);                                                  \
            const uint8_t *pt_ = p;                                               \
            int32_t pv_ = prev;                                                   \
            int st_ = dec_rare(d, map, s_, sh, &xt_, &pt_, end, &pv_, &out[I]);   \
            if (st_ != N1_OK) return st_;                                         \
            (XL) = xt_;                                                           \
            p = pt_;                                                              \
            prev = pv_;                                                           \
        }                                                                         \
    } while (0)
    for (; i + 4 <= n && end - p >= 24; i += 4) {
        DEC_FAST(X0, i);
        DEC_FAST(X1, i + 1);
        DEC_FAST(X2, i + 2);
        DEC_FAST(X3, i + 3);
    }
#undef DEC_FAST
    X[0] = X0; X[1] = X1; X[2] = X2; X[3] = X3;
    for (; i < n; i++) {
        uint32_t Xl = X[i & 3];
        uint32_t sl = Xl & (N1F_M - 1);
        uint32_t ph = (uint32_t)(prev & mask);
        uint32_t s = slot[(ph << N1F_PROB_BITS) | sl];
        uint32_t e = fc[ph << 7 | s];
        Xl = (e & 0xffffu) * (Xl >> N1F_PROB_BITS) + sl - (e >> 16);
        if (Xl < RANS_L) {
            if (end - p < 2) return N1_ERR_TRUNCATED;
            Xl = (Xl << 16) | get16(p);
            p += 2;
        }
        if (s != N1F_ESC && !sh) {
            uint32_t code = (uint32_t)(prev + (int32_t)s - N1F_R);
            if (code >= K) return N1_ERR_CORRUPT;
            out[i] = value[code];
            prev = (int32_t)code;
        } else {
            const uint8_t *pt = p;
            int32_t pv = prev;
            int st = dec_rare(d, map, s, sh, &Xl, &pt, end, &pv, &out[i]);
            if (st != N1_OK) return st;
            p = pt;
            prev = pv;
        }
        X[i & 3] = Xl;
    }
    d->prev = prev;
    if (p != end) return N1_ERR_CORRUPT;
    for (int l = 0; l < N1F_LANES; l++)
        if (X[l] != RANS_L) return N1_ERR_CORRUPT;
    return N1_OK;
}
