/*
 * n1_fast.c -- see n1_fast.h for the contract and the payload layouts. The encoder
 * writes version-2 blocks; the decoder reads both versions.
 */
#include "n1_fast.h"
#include "n1_fast_sse41.h"
#include <stddef.h>
#include <string.h>
#include "../common/status.h"
#include "../common/varint.h"

/* Step width of codes c with c mod 32 = i, Q8 (mean 256): count of the code over
 * the box-smoothed count (radius 16) of its neighbours, summed over codes seen
 * more than 1000 times in the EVEN-indexed half of the dev split (sorted by name).
 * Changing a value changes the stream format. */
const uint16_t n1_fast_w32[N1F_PHASES] = {
    230, 173, 304, 325, 245, 236, 247, 368, 254, 178, 311, 395, 189, 243, 255, 286,
    234, 180, 314, 336, 251, 241, 252, 440, 189, 178, 310, 394, 185, 211, 145, 92,
};

#define RANS_L (1u << 16)

/* The loops specialised per predictor order and rail table (constant arguments)
 * only specialise when inlined, so inlining is forced where the compiler allows;
 * a build for size (N1_SIZE_OVER_SPEED: the challenge kit's counted executables)
 * leaves that to the compiler. */
#if defined(N1_SIZE_OVER_SPEED)
#define SPECIALISED static
#elif defined(__GNUC__) || defined(__clang__)
#define SPECIALISED static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define SPECIALISED static __forceinline
#else
#define SPECIALISED static inline
#endif
/* Highest predictor order the encoder uses (the format allows N1F_ORDER_MAX).
 * Dev split, whole files: order 1 / 2 / 3 / 4 give 3.498 / 3.505 / 3.511 / 3.516,
 * but orders 3-4 cost ~15% of the decoder's speed (two more multiplies and a
 * deeper history in each of the four chains), so the fast level stops at 2. */
#define ENC_ORDER 2

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

static size_t put_varint(uint8_t *p, uint32_t v) { return n1c_varint_put(p, v); }

static inline void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

/* Encode one symbol (f, c) into state X; words are written backwards from *pp. */
#define ENC_PUT(X, e, pp, lo)                                                     \
    do {                                                                          \
        if (((X) >> 20) >= (e)->f) {                                              \
            if ((pp) - (lo) < 2) return N1_ERR_OUTPUT_FULL;                       \
            (pp) -= 2;                                                            \
            put16((pp), (X));                                                     \
            (X) >>= 16;                                                           \
        }                                                                         \
        uint32_t q_ = (uint32_t)(((uint64_t)(X) * (e)->rcp) >> (e)->rshift);      \
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
        uint32_t r_ = ((X) >> 20) >= (e)->f;                                      \
        put16((pp) - 2, (X));                                                     \
        (pp) -= 2 * r_;                                                           \
        (X) >>= 16 * r_;                                                          \
        uint32_t q_ = (uint32_t)(((uint64_t)(X) * (e)->rcp) >> (e)->rshift);      \
        (X) = (q_ << N1F_PROB_BITS) + ((X) - q_ * (e)->f) + (e)->c;               \
    } while (0)

/* Code length of a count v (1..2^17) as log2(v), in 1/256 bits (encoder only). */
static uint32_t log2_q8(uint32_t v)
{
    uint32_t msb = 0;
    while ((v >> msb) > 1) msb++;
    uint32_t m = msb <= 8 ? v << (8 - msb) : v >> (msb - 8); /* 256..511 */
    return (msb << 8) + log2_frac[m - 256];
}

/* floor(v / 2^k) without relying on the sign behaviour of >> */
static inline int32_t floor_shift(int32_t v, int k)
{
    return v >= 0 ? v >> k : ~((~v) >> k);
}

/* The v2 prediction: prev + floor((sum a_j d_j + 512) / 1024). |a_j| <=
 * N1F_COEF_MAX and |d_j| < 2^16 keep |sum| below 2^30, so the biased sum is a
 * non-negative int32 and the shift is a floor on every compiler. P may fall
 * outside [0, K): the residual then takes it back (decoded codes are checked). */
SPECIALISED int32_t predict(int32_t a1, int32_t a2, int32_t a3, int32_t a4, int32_t prev,
                              int32_t d1, int32_t d2, int32_t d3, int32_t d4, const int order)
{
    /* order is a constant wherever this is inlined: no work for unused taps */
    int32_t sum = 0;
    if (order >= 1) sum += a1 * d1;
    if (order >= 2) sum += a2 * d2;
    if (order >= 3) sum += a3 * d3;
    if (order >= 4) sum += a4 * d4;
    if (order == 0) return prev;
    return prev + (int32_t)((uint32_t)(sum + (1 << 30) + 512) >> N1F_COEF_BITS) -
           (1 << (30 - N1F_COEF_BITS));
}

/* 1 when code (0..kmax) is at either end of the ADC range. */
static inline uint32_t on_rail(int32_t code, int32_t kmax)
{
    return (uint32_t)(code - 1) >= (uint32_t)(kmax - 1);
}

/* Segment bounds s[0..4]: segment l is samples [s[l], s[l + 1]). */
static void segment_bounds(size_t n, size_t *s)
{
    for (size_t l = 0; l <= N1F_LANES; l++) s[l] = (l * n) / N1F_LANES;
}

/* On every eighth sample of the codes c[1..n] (c[0]: the previous code; 8192
 * samples of a full block are plenty for four coefficients: on the dev split the
 * bytes differ from every sample's by < 0.01%): the autocorrelation
 * acf[0..N1F_ORDER_MAX] of the first differences, and how many of these samples
 * follow a code on a rail (*nrail, out of *nseen). */
static void block_stats(const uint16_t *c, size_t n, int64_t *acf, int32_t kmax, size_t *nrail,
                        size_t *nseen)
{
    int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
    size_t rails = 0, seen = 0;
    for (size_t i = N1F_ORDER_MAX + 1; i <= n; i += 8) {
        int32_t d0 = c[i] - c[i - 1], d1 = c[i - 1] - c[i - 2], d2 = c[i - 2] - c[i - 3];
        int32_t d3 = c[i - 3] - c[i - 4], d4 = c[i - 4] - c[i - 5];
        a0 += (int64_t)d0 * d0;
        a1 += (int64_t)d0 * d1;
        a2 += (int64_t)d0 * d2;
        a3 += (int64_t)d0 * d3;
        a4 += (int64_t)d0 * d4;
        rails += on_rail(c[i - 1], kmax);
        seen++;
    }
    acf[0] = a0; acf[1] = a1; acf[2] = a2; acf[3] = a3; acf[4] = a4;
    *nrail = rails;
    *nseen = seen;
}

/* Q10 coefficients a[0..N1F_ORDER_MAX) of the least-squares predictor of d_t from
 * d_{t-1}..d_{t-4} given the autocorrelation acf: integer Levinson-Durbin in Q24
 * (exact integer steps, so the same on every compiler). Returns the order used;
 * the other coefficients are 0. */
static int solve_predictor(const int64_t *acf, int32_t *a)
{
    const int64_t one = (int64_t)1 << 24;
    int64_t r[N1F_ORDER_MAX + 1], q[N1F_ORDER_MAX + 1] = {0}, prevq[N1F_ORDER_MAX + 1];
    int64_t scale = 1;
    while (acf[0] / scale >= one) scale *= 2;
    for (int j = 0; j <= N1F_ORDER_MAX; j++) r[j] = acf[j] / scale; /* |r[j]| <= r[0] < 2^24 */
    for (int j = 0; j < N1F_ORDER_MAX; j++) a[j] = 0;
    int64_t err = r[0];
    int order = 0;
    for (int i = 1; i <= ENC_ORDER && err > 0; i++) {
        int64_t acc = r[i] * one; /* Q24 * r, |q| < 2^27 keeps every product < 2^52 */
        for (int j = 1; j < i; j++) acc -= q[j] * r[i - j];
        int64_t k = acc / err;
        if (k <= -one || k >= one) break;
        memcpy(prevq, q, sizeof(q));
        q[i] = k;
        for (int j = 1; j < i; j++) q[j] = prevq[j] - (k * prevq[i - j]) / one;
        err -= ((k * k) / one) * err / one;
        order = i;
    }
    const int64_t half = (int64_t)1 << (23 - N1F_COEF_BITS);
    for (int j = 1; j <= order; j++) {
        int64_t v = q[j] >= 0 ? (q[j] + half) / (2 * half) : -((-q[j] + half) / (2 * half));
        if (v > N1F_COEF_MAX) v = N1F_COEF_MAX;
        if (v < -N1F_COEF_MAX) v = -N1F_COEF_MAX;
        a[j - 1] = (int32_t)v;
    }
    while (order > 0 && a[order - 1] == 0) order--;
    return order;
}

/* Pass B1: the code of every sample into f->code[1..n] (f->code[0] is the
 * previous block's last code; the nearest code off the grid, marked by bit 15 of
 * sym). Returns how many samples were off the grid. */
static size_t block_codes(n1_fast_enc *f, const n1_adc_map *map, const int16_t *code_of,
                          const int16_t *x, size_t n)
{
    uint16_t *code = f->code + 1, *sym = f->sym;
    size_t off = 0;
    f->code[0] = (uint16_t)f->prev;
    memset(sym, 0, n * sizeof(uint16_t));
    if (map->ncodes == 65536) {
        for (size_t i = 0; i < n; i++) code[i] = (uint16_t)(x[i] + 32768);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t c = code_of[(uint16_t)x[i]];
        if (c < 0) {
            c = n1_adc_nearest(map, x[i]);
            sym[i] = 0x8000u;
            off++;
        }
        code[i] = (uint16_t)c;
    }
    return off;
}

/* The prediction of sample i of a segment starting at lo, from the codes c
 * (c[i - 1] is the previous code; differences before the segment count as 0).
 * edge: i may be within order samples of lo (a constant per inlined copy). */
SPECIALISED int32_t predict_at(const uint16_t *c, size_t i, size_t lo, int32_t a1, int32_t a2,
                               int32_t a3, int32_t a4, const int order, const int edge)
{
    /* Signed indices: at i == 0, c[-1] is the code before the block (held by the caller),
     * and an unsigned i - 1 would wrap (undefined pointer arithmetic, UBSan). */
    const ptrdiff_t k = (ptrdiff_t)i;
#define DIFF(j) (!edge || i >= lo + (j) ? (int32_t)c[k - (j)] - (int32_t)c[k - (j) - 1] : 0)
    int32_t d1 = order >= 1 ? DIFF(1) : 0, d2 = order >= 2 ? DIFF(2) : 0;
    int32_t d3 = order >= 3 ? DIFF(3) : 0, d4 = order >= 4 ? DIFF(4) : 0;
#undef DIFF
    return predict(a1, a2, a3, a4, c[k - 1], d1, d2, d3, d4, order);
}

/* Pass B2 on samples [lo, hi) of a segment starting at seg: the shift-0 symbol
 * (table << 7 | symbol: the phase, or N1F_RAIL after a rail code when the block
 * has a rail table; off-grid samples escape) into sym, or the residual into res
 * (symbols = 0, blocks that may shift). Constants per inlined copy: order, rail,
 * symbols, edge. The body (edge = 0) has no loop-carried state and vectorises. */
SPECIALISED void residuals_range(n1_fast_enc *f, size_t seg, size_t lo, size_t hi,
                                 const int32_t *a, int32_t mask, int32_t kmax, const int order,
                                 const int rail, const int symbols, const int edge)
{
    const uint16_t *c = f->code + 1;
    uint16_t *sym = f->sym;
    int32_t *res = f->res;
    const int32_t a1 = a[0], a2 = a[1], a3 = a[2], a4 = a[3];
    for (size_t i = lo; i < hi; i++) {
        int32_t P = predict_at(c, i, seg, a1, a2, a3, a4, order, edge);
        int32_t r = (int32_t)c[i] - P;
        if (!symbols) {
            res[i] = r;
            continue;
        }
        uint32_t off = sym[i] & 0x8000u;
        uint32_t t = (uint32_t)(r + N1F_R);
        t = t < N1F_ESC && !off ? t : N1F_ESC;
        uint32_t ctx = (uint32_t)(P & mask);
        if (rail && on_rail(c[(ptrdiff_t)i - 1], kmax)) ctx = N1F_RAIL;
        sym[i] = (uint16_t)(t | ctx << 7 | off);
    }
}

SPECIALISED void residuals_k(n1_fast_enc *f, const size_t *s, const int32_t *a, int32_t K,
                             const int order, const int rail, const int symbols)
{
    /* locals, not loads through f: the stores may alias them */
    const int32_t mask = f->phases ? N1F_PHASES - 1 : 0, kmax = K - 1;
    for (int l = 0; l < N1F_LANES; l++) {
        size_t head = s[l] + (size_t)order < s[l + 1] ? s[l] + (size_t)order : s[l + 1];
        residuals_range(f, s[l], s[l], head, a, mask, kmax, order, rail, symbols, 1);
        residuals_range(f, s[l], head, s[l + 1], a, mask, kmax, order, rail, symbols, 0);
    }
}

/* Counts of the symbols in sym[0..n) (two histograms, alternating: runs of one
 * symbol would otherwise wait on the previous increment of the same counter). */
static void count_symbols(n1_fast_enc *f, size_t n)
{
    uint32_t *h0 = f->hist, *h1 = f->hist2;
    const uint16_t *sym = f->sym;
    memset(h0, 0, sizeof(f->hist));
    memset(h1, 0, sizeof(f->hist2));
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        h0[sym[i] & 0x1fffu]++;
        h1[sym[i + 1] & 0x1fffu]++;
    }
    if (i < n) h0[sym[i] & 0x1fffu]++;
    for (int t = 0; t < N1F_TABLES * N1F_NSYM; t++) h0[t] += h1[t];
}

/* Pass B2 (see residuals_range): one copy per order, rail table and mode. */
static void block_residuals(n1_fast_enc *f, const size_t *s, const int32_t *a, int order,
                            int32_t K, int rail, int symbols)
{
#define RESIDUALS(o)                                                              \
    do {                                                                          \
        if (!symbols) residuals_k(f, s, a, K, o, 0, 0);                           \
        else if (rail) residuals_k(f, s, a, K, o, 1, 1);                          \
        else residuals_k(f, s, a, K, o, 0, 1);                                    \
    } while (0)
    switch (order) {
    case 0: RESIDUALS(0); break;
    case 1: RESIDUALS(1); break;
    case 2: RESIDUALS(2); break;
    case 3: RESIDUALS(3); break;
    default: RESIDUALS(4); break;
    }
#undef RESIDUALS
    if (symbols) count_symbols(f, s[N1F_LANES]);
}

/* Histogram of floor(r / 2^k) into f->wide (the last bin: outside, or off the grid). */
static void wide_histogram(n1_fast_enc *f, size_t n, int k)
{
    memset(f->wide, 0, sizeof(f->wide));
    for (size_t i = 0; i < n; i++) {
        uint32_t w = (uint32_t)(floor_shift(f->res[i], k) + N1F_WIDE);
        f->wide[w < 2 * N1F_WIDE && !(f->sym[i] & 0x8000u) ? w : 2 * N1F_WIDE]++;
    }
}

static uint64_t sum_abs(const int32_t *r, size_t n)
{
    uint64_t sa = 0;
    for (size_t i = 0; i < n; i++) sa += (uint32_t)(r[i] >= 0 ? r[i] : -r[i]);
    return sa;
}

/* Estimated cost (1/256 bits, static entropy) of the block with j more bits of
 * shift than the histogram's: the symbols, the escapes' raw 16 bits, j low bits. */
static uint64_t shift_cost(const uint32_t *wide, size_t n, int j)
{
    uint32_t cnt[N1F_NSYM];
    memset(cnt, 0, sizeof(cnt));
    for (int b = 0; b < 2 * N1F_WIDE; b++) {
        int32_t q = floor_shift(b - N1F_WIDE, j);
        cnt[q >= -N1F_R && q <= N1F_R ? q + N1F_R : N1F_ESC] += wide[b];
    }
    cnt[N1F_ESC] += wide[2 * N1F_WIDE];
    uint64_t cost = 0, ln = log2_q8((uint32_t)n);
    for (int s = 0; s < N1F_NSYM; s++)
        if (cnt[s]) cost += (uint64_t)cnt[s] * (ln - log2_q8(cnt[s]));
    cost += (uint64_t)cnt[N1F_ESC] * (16u << 8) + (uint64_t)(n - cnt[N1F_ESC]) * ((uint32_t)j << 8);
    return cost;
}

static size_t n1_fast_escapes(const n1_fast_enc *f)
{
    size_t nesc = 0;
    for (int t = 0; t < N1F_TABLES; t++) nesc += f->hist[t * N1F_NSYM + N1F_ESC];
    return nesc;
}

/* The block's shift, from the residuals in f->res. Identity streams first bring
 * the mean |r| to <= 12 (their residuals span 16 bits). Then the cheapest of 0..4
 * more bits by the histogram estimate (block_symbols asks only when more than
 * 1/256 of the samples escaped for want of range: an escape costs ~20 bits more
 * than a symbol). Shift 0 keeps the phase tables, which
 * the estimate does not see (they save ~1.5% on N1 data), so it must lose by more
 * than 1/64. */
static int choose_shift(n1_fast_enc *f, int32_t K, size_t n)
{
    int k0 = 0;
    const int identity = !f->phases && K > 1024;
    if (identity) {
        uint64_t sabs = sum_abs(f->res, n);
        while (k0 < N1F_SHIFT_MAX && (sabs >> k0) > 12 * (uint64_t)n) k0++;
    }
    wide_histogram(f, n, k0);
    uint64_t c0 = shift_cost(f->wide, n, 0), best = c0;
    if (f->phases) best -= c0 / 64;
    int bj = 0;
    for (int j = 1; j <= 4 && k0 + j <= N1F_SHIFT_MAX; j++) {
        uint64_t c = shift_cost(f->wide, n, j);
        if (c < best) { best = c; bj = j; }
    }
    return k0 + bj;
}

/* Pass C (shifted blocks): symbols floor(r / 2^sh) + 63 or escape, one table
 * (and the rail table). */
static void block_shifted(n1_fast_enc *f, size_t n, int sh)
{
    memset(f->hist, 0, sizeof(f->hist));
    for (size_t i = 0; i < n; i++) {
        uint32_t off = f->sym[i] & 0x8000u, ctx = f->sym[i] & (N1F_RAIL << 7);
        uint32_t t = (uint32_t)(floor_shift(f->res[i], sh) + N1F_R);
        t = (t < N1F_ESC && !off ? t : N1F_ESC) | ctx;
        f->sym[i] = (uint16_t)(t | off);
        f->hist[t]++;
    }
}

/* The block's table g and the frequencies of every table in freq. Without phases:
 * the symbol counts. With phases: each count over the average step width the
 * symbol met in this block; both variants are costed from the counts and the
 * cheaper one is kept (a 10-bit ADC whose steps are even codes better without).
 * Returns 1 when the phase tables are used; hs gets the counts over all phases. */
static int choose_tables(const n1_fast_enc *f, int phases, uint32_t *g, uint32_t *freq,
                         uint64_t *hs)
{
    const uint32_t *hist = f->hist;
    const int nall = phases ? N1F_PHASES : 1;
    for (int s = 0; s < N1F_NSYM; s++) {
        uint64_t h = 0;
        for (int p = 0; p < nall; p++) h += hist[p * N1F_NSYM + s];
        hs[s] = h;
    }
    uint64_t total = 0;
    for (int s = 0; s < N1F_NSYM; s++) total += hs[s];
    if (!total) hs[N1F_R] = 1; /* every sample after a rail: any valid table */
    n1_fast_normalise(hs, g);
    if (!phases) {
        build_tables(g, 0, freq);
        return 0;
    }
    uint64_t nphase[N1F_PHASES], t[N1F_NSYM];
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
    uint32_t gp[N1F_NSYM];
    n1_fast_normalise(t, gp);
    build_tables(gp, 1, freq);
    uint64_t cost_ph = 0, cost_flat = 0;
    for (int i = 0; i < N1F_PHASES * N1F_NSYM; i++)
        if (hist[i]) cost_ph += hist[i] * cost_q8(freq[i]);
    for (int s = 0; s < N1F_NSYM; s++)
        if (hs[s]) cost_flat += hs[s] * cost_q8(g[s]);
    if (cost_ph <= cost_flat) {
        memcpy(g, gp, sizeof(gp));
        return 1;
    }
    build_tables(g, 0, freq);
    return 0;
}

/* Encoder entries (frequency, start, reciprocal) of the tables in freq (32 phase
 * tables when use, else one); reciprocals only for the symbols the block codes. */
static void build_enc_tables(n1_fast_enc *f, const uint32_t *freq, int use, const uint64_t *hs,
                             int rail)
{
    const int nph = use ? N1F_PHASES : 1;
    for (int p = 0; p < N1F_TABLES; p++) {
        if (p >= nph && !(rail && p == N1F_RAIL)) continue;
        uint32_t c = 0;
        for (int s = 0; s < N1F_NSYM; s++) {
            n1_fast_enc_entry *e = &f->tab[p * N1F_NSYM + s];
            uint32_t fr = freq[p * N1F_NSYM + s];
            e->f = fr;
            e->c = c;
            c += fr;
            if (fr && (use || p == N1F_RAIL ? f->hist[p * N1F_NSYM + s] : hs[s])) {
                /* q = floor(X / f) = (X * ceil(2^(32+l) / f)) >> (32 + l), l = ceil(log2 f):
                 * exact for X < 2^32 (Granlund-Montgomery), and X < f * 2^20 keeps
                 * the product below 2^64, so one multiply */
                uint32_t l = 0;
                while ((1u << l) < fr) l++;
                e->rcp = (((uint64_t)1 << (32 + l)) + fr - 1) / fr;
                e->rshift = 32 + l;
            }
        }
    }
}

/* Sample i with every check: its extra symbols (raw bytes after an escape, low
 * bits of a shifted residual) first, then its symbol. */
static int enc_sample(const n1_fast_enc *f, const int16_t *x, size_t i, int sh, uint32_t *Xp,
                      uint8_t **ppp, uint8_t *lo)
{
    uint32_t Xl = *Xp;
    uint8_t *pp = *ppp;
    uint32_t ts = f->sym[i] & 0x1fffu;
    if ((ts & 127u) == N1F_ESC) {
        uint16_t v = (uint16_t)x[i];
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
        uint32_t low = (uint32_t)f->res[i] & ((1u << sh) - 1);
        Xl = ((Xl >> (N1F_PROB_BITS - sh)) << N1F_PROB_BITS) + (Xl & (fb - 1)) +
             (low << (N1F_PROB_BITS - sh));
    }
    ENC_PUT(Xl, &f->tab[ts], pp, lo);
    *Xp = Xl;
    *ppp = pp;
    return N1_OK;
}

/* rANS, backwards through the decoder's order (the longer segments' extra
 * samples, then sample i of segments 3..0 for i = m-1..0). Groups of four with no
 * extra symbols and enough room run branch-free; anything else takes the checked
 * path one sample at a time. Words go below *ppp. */
static int code_block(const n1_fast_enc *f, const int16_t *x, const size_t *s, int sh,
                      uint32_t *X, uint8_t *lo, uint8_t **ppp)
{
    const size_t m = s[N1F_LANES] / N1F_LANES;
    uint8_t *pp = *ppp;
    for (int l = N1F_LANES - 1; l >= 0; l--) {
        if (s[l + 1] - s[l] == m) continue;
        int st = enc_sample(f, x, s[l] + m, sh, &X[l], &pp, lo);
        if (st != N1_OK) return st;
    }
    const uint16_t *y0 = f->sym + s[0], *y1 = f->sym + s[1], *y2 = f->sym + s[2],
                   *y3 = f->sym + s[3];
    const n1_fast_enc_entry *tab = f->tab;
    uint32_t X0 = X[0], X1 = X[1], X2 = X[2], X3 = X[3];
    for (size_t i = m; i-- > 0;) {
        uint32_t t0 = y0[i], t1 = y1[i], t2 = y2[i], t3 = y3[i];
        int rare = ((t0 & 127u) == N1F_ESC) | ((t1 & 127u) == N1F_ESC) |
                   ((t2 & 127u) == N1F_ESC) | ((t3 & 127u) == N1F_ESC);
        if (rare || sh || pp - lo < 8) {
            X[0] = X0; X[1] = X1; X[2] = X2; X[3] = X3;
            uint8_t *pt = pp; /* a copy keeps pp in a register on the common path */
            for (int l = N1F_LANES - 1; l >= 0; l--) {
                int st = enc_sample(f, x, s[l] + i, sh, &X[l], &pt, lo);
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
    *ppp = pp;
    return N1_OK;
}

static size_t put_zigzag(uint8_t *p, int32_t v)
{
    return put_varint(p, v >= 0 ? (uint32_t)v << 1 : (((uint32_t)(-(v + 1))) << 1) | 1u);
}

/* lo, hi and the varints g(lo..hi) of a table. */
static size_t put_table(uint8_t *head, const uint32_t *g)
{
    int slo = 0, shi = N1F_NSYM - 1;
    while (g[slo] == 0) slo++;
    while (g[shi] == 0) shi--;
    size_t h = 0;
    head[h++] = (uint8_t)slo;
    head[h++] = (uint8_t)shi;
    for (int s = slo; s <= shi; s++) h += put_varint(head + h, g[s]);
    return h;
}

/* The v2 block head: flags, shift, coefficients, segment start codes, tables,
 * states. grail is NULL without a rail table. */
static size_t write_head(uint8_t *head, int phases, int sh, int order, const int32_t *a,
                         const int32_t *starts, const uint32_t *g, const uint32_t *grail,
                         const uint32_t *X)
{
    size_t h = 0;
    head[h++] = (uint8_t)(phases | (grail != NULL) << 1 | order << 2);
    head[h++] = (uint8_t)sh;
    for (int j = 0; j < order; j++) h += put_zigzag(head + h, a[j]);
    for (int l = 1; l < N1F_LANES; l++) h += put_varint(head + h, (uint32_t)starts[l]);
    h += put_table(head + h, g);
    if (grail) h += put_table(head + h, grail);
    for (int l = 0; l < N1F_LANES; l++) {
        put16(head + h, X[l]);
        put16(head + h + 2, X[l] >> 16);
        h += 4;
    }
    return h;
}

/* Residuals, shift and symbols of the block, from its codes (passes B and C). */
static int block_symbols(n1_fast_enc *f, const n1_adc_map *map, const int32_t *a, int order,
                         const size_t *s, int rail, size_t noff)
{
    size_t n = s[N1F_LANES];
    block_residuals(f, s, a, order, map->ncodes, rail, 1);
    const int identity = !f->phases && map->ncodes > 1024;
    if (!identity && n1_fast_escapes(f) - noff <= n / 256) return 0; /* the common case */
    block_residuals(f, s, a, order, map->ncodes, rail, 0);
    int sh = choose_shift(f, map->ncodes, n);
    if (sh) block_shifted(f, n, sh);
    return sh;
}

int n1_fast_encode_block(n1_fast_enc *f, const n1_adc_map *map, const int16_t *code_of,
                         const int16_t *x, size_t n, uint8_t *lo, uint8_t *hi,
                         uint8_t **start)
{
    size_t s[N1F_LANES + 1], nrail = 0, nseen = 0;
    int64_t acf[N1F_ORDER_MAX + 1];
    int32_t a[N1F_ORDER_MAX], starts[N1F_LANES];
    segment_bounds(n, s);
    size_t noff = block_codes(f, map, code_of, x, n);
    block_stats(f->code, n, acf, map->ncodes - 1, &nrail, &nseen);
    const int rail = nrail > 0 && nrail * 64 >= nseen;
    int order = solve_predictor(acf, a);
    for (int l = 0; l < N1F_LANES; l++) starts[l] = f->code[s[l]]; /* code[s_l - 1], prev at 0 */
    int sh = block_symbols(f, map, a, order, s, rail, noff);
    f->prev = f->code[n];

    uint32_t g[N1F_NSYM], grail[N1F_NSYM], freq[N1F_TABLES * N1F_NSYM];
    uint64_t hs[N1F_NSYM];
    int use = choose_tables(f, f->phases && !sh, g, freq, hs);
    if (f->phases && !use && !sh) /* one table: drop the phases from the symbols */
        for (size_t i = 0; i < n; i++)
            if ((f->sym[i] & 0x1f80u) != N1F_RAIL << 7) f->sym[i] &= 0x8000u | (N1F_NSYM - 1);
    if (rail) {
        uint64_t hr[N1F_NSYM];
        for (int k = 0; k < N1F_NSYM; k++) hr[k] = f->hist[N1F_RAIL * N1F_NSYM + k];
        n1_fast_normalise(hr, grail);
        memcpy(freq + N1F_RAIL * N1F_NSYM, grail, sizeof(grail));
    }
    build_enc_tables(f, freq, use, hs, rail);

    uint32_t X[N1F_LANES] = {RANS_L, RANS_L, RANS_L, RANS_L};
    uint8_t *pp = hi;
    int st = code_block(f, x, s, sh, X, lo, &pp);
    if (st != N1_OK) return st;
    uint8_t head[N1F_OVERHEAD];
    size_t h = write_head(head, use, sh, order, a, starts, g, rail ? grail : NULL, X);
    if ((size_t)(pp - lo) < h) return N1_ERR_OUTPUT_FULL;
    pp -= h;
    memcpy(pp, head, h);
    *start = pp;
    return N1_OK;
}

#if !defined(N1_SIZE_OVER_SPEED)
/* The identity grid's values, -32768 .. 32767, as read-only data (built by the
 * preprocessor): the grid of every ephys stream measured, whose 128 KB table a
 * decoder otherwise wrote for each channel of each chunk (4.5% of reading a
 * 384-channel window after the fill was vectorised). */
#define N1F_R16(v) (v), (v) + 1, (v) + 2, (v) + 3, (v) + 4, (v) + 5, (v) + 6, (v) + 7, \
    (v) + 8, (v) + 9, (v) + 10, (v) + 11, (v) + 12, (v) + 13, (v) + 14, (v) + 15
#define N1F_R256(v) N1F_R16(v), N1F_R16((v) + 16), N1F_R16((v) + 32), N1F_R16((v) + 48), \
    N1F_R16((v) + 64), N1F_R16((v) + 80), N1F_R16((v) + 96), N1F_R16((v) + 112), \
    N1F_R16((v) + 128), N1F_R16((v) + 144), N1F_R16((v) + 160), N1F_R16((v) + 176), \
    N1F_R16((v) + 192), N1F_R16((v) + 208), N1F_R16((v) + 224), N1F_R16((v) + 240)
#define N1F_R4096(v) N1F_R256(v), N1F_R256((v) + 256), N1F_R256((v) + 512), \
    N1F_R256((v) + 768), N1F_R256((v) + 1024), N1F_R256((v) + 1280), N1F_R256((v) + 1536), \
    N1F_R256((v) + 1792), N1F_R256((v) + 2048), N1F_R256((v) + 2304), N1F_R256((v) + 2560), \
    N1F_R256((v) + 2816), N1F_R256((v) + 3072), N1F_R256((v) + 3328), N1F_R256((v) + 3584), \
    N1F_R256((v) + 3840)
static const int16_t identity_values[65536] = {
    N1F_R4096(-32768), N1F_R4096(-28672), N1F_R4096(-24576), N1F_R4096(-20480),
    N1F_R4096(-16384), N1F_R4096(-12288), N1F_R4096(-8192), N1F_R4096(-4096),
    N1F_R4096(0), N1F_R4096(4096), N1F_R4096(8192), N1F_R4096(12288),
    N1F_R4096(16384), N1F_R4096(20480), N1F_R4096(24576), N1F_R4096(28672)};
#endif

/* The decoder's code -> value table (looked up once a call, not kept in the state,
 * so a state copied elsewhere stays whole). */
static const int16_t *values_of(const n1_fast_dec *d)
{
#if !defined(N1_SIZE_OVER_SPEED)
    if (d->identity) return identity_values;
#endif
    return d->value;
}

/* value[c] = n1_adc_value(map, c) for every code: a loop per kind, so that the
 * common ones vectorise (grids other than identity; the one-call-a-code loop was 4%
 * of reading a 384-channel window: up to 65,536 codes a channel a chunk). */
static void fill_values(int16_t *value, const n1_adc_map *map)
{
    const int32_t K = map->ncodes;
    if (map->kind == N1_ADC_AFFINE) {
        const int32_t x0 = map->x0, step = map->step;
        for (int32_t c = 0; c < K; c++) value[c] = (int16_t)(x0 + step * c);
    } else if (map->kind == N1_ADC_SHIFT) {
        const int shift = 16 - map->bits;
        for (int32_t c = 0; c < K; c++) value[c] = (int16_t)((c << shift) - 32768);
    } else if (map->kind == N1_ADC_STRETCH) {
        for (int32_t c = 0; c < K; c++) value[c] = (int16_t)n1_adc_value(map, c);
    } else {
        for (int32_t c = 0; c < K; c++) value[c] = (int16_t)(c - 32768);
    }
}

void n1_fast_dec_init(n1_fast_dec *d, const n1_adc_map *map, int version)
{
    d->prev = map->ncodes / 2;
    d->version = version;
    d->vector = n1_fast_sse41_available();
#if !defined(N1_SIZE_OVER_SPEED)
    d->identity = map->kind == N1_ADC_IDENTITY;
    if (d->identity) return;
#else
    d->identity = 0;
#endif
    fill_values(d->value, map);
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

/* A varint of at most maxb bytes at *pp (before end). */
static int get_varint(const uint8_t **pp, const uint8_t *end, int maxb, uint32_t *v)
{
    size_t pos = 0;
    uint64_t x = 0;
    int st = n1c_varint_get(*pp, (size_t)(end - *pp), &pos, maxb, UINT32_MAX, &x);
    if (st != N1_OK) return st;
    *v = (uint32_t)x;
    *pp += pos;
    return N1_OK;
}

/* lo, hi and the varints g(lo..hi) at *pp: checks them and builds the decoder's
 * slot and frequency tables from table index base on (32 phase tables when
 * phases, else one). */
static int read_tables(n1_fast_dec *d, const uint8_t **pp, const uint8_t *end, int phases,
                       int base)
{
    const uint8_t *p = *pp;
    if (end - p < 2) return N1_ERR_TRUNCATED;
    int slo = p[0], shi = p[1];
    if (slo > shi || shi >= N1F_NSYM) return N1_ERR_CORRUPT;
    p += 2;
    uint32_t g[N1F_NSYM], sum = 0;
    memset(g, 0, sizeof(g));
    for (int s = slo; s <= shi; s++) {
        int st = get_varint(&p, end, 2, &g[s]);
        if (st != N1_OK) return st;
        if (g[s] > N1F_M) return N1_ERR_CORRUPT;
        sum += g[s];
    }
    if (sum != N1F_M || g[slo] == 0 || g[shi] == 0) return N1_ERR_CORRUPT;
    const int nph = phases ? N1F_PHASES : 1;
    uint32_t freq[N1F_PHASES * N1F_NSYM];
    build_tables(g, phases, freq);
    for (int ph = 0; ph < nph; ph++) {
        uint32_t c = 0, *fc = d->fc + (base + ph) * N1F_NSYM;
        uint8_t *slot = d->slot[base + ph];
        for (int s = 0; s < N1F_NSYM; s++) {
            uint32_t fr = freq[ph * N1F_NSYM + s];
            fc[s] = fr | (c << 16);
            if (fr) memset(slot + c, s, fr);
            c += fr;
        }
    }
    *pp = p;
    return N1_OK;
}

/* The four final encoder states at *pp, each >= 2^16. */
static int read_states(const uint8_t **pp, const uint8_t *end, uint32_t *X)
{
    const uint8_t *p = *pp;
    if (end - p < 4 * N1F_LANES) return N1_ERR_TRUNCATED;
    for (int l = 0; l < N1F_LANES; l++) {
        X[l] = get16(p) | (get16(p + 2) << 16);
        p += 4;
        if (X[l] < RANS_L) return N1_ERR_CORRUPT;
    }
    *pp = p;
    return N1_OK;
}

/* The block must end with every byte read and every state back at 2^16. */
static int check_end(const uint8_t *p, const uint8_t *end, const uint32_t *X)
{
    if (p != end) return N1_ERR_CORRUPT;
    for (int l = 0; l < N1F_LANES; l++)
        if (X[l] != RANS_L) return N1_ERR_CORRUPT;
    return N1_OK;
}

/* The rest of a sample whose symbol s (already consumed) is an escape or a
 * shifted residual: read its extra symbol(s) with every check. base is the
 * prediction (v1: the previous code); *code gets the sample's code. */
static int dec_rare(const n1_fast_dec *d, const n1_adc_map *map, uint32_t s, int sh,
                    int32_t base, uint32_t *Xp, const uint8_t **pp, const uint8_t *end,
                    int32_t *code, int16_t *out)
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
        uint32_t c = (uint32_t)(base + dd);
        if (c >= (uint32_t)map->ncodes) return N1_ERR_CORRUPT;
        *out = values_of(d)[c];
        *code = (int32_t)c;
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
        *code = code_or_nearest(map, *out);
    }
    *Xp = Xl;
    *pp = p;
    return N1_OK;
}

/* ---- version 1 blocks: sample i on state i mod 4, residual from the previous code */

/* The fast loop of a v1 block: groups of four samples (one per lane) while at
 * least 24 bytes remain (a sample reads at most 3 words), branch-free
 * renormalisation reading ahead. Leaves X, d->prev, *pp and *ip where it stopped. */
static int v1_groups(n1_fast_dec *d, const n1_adc_map *map, int phases, int sh, uint32_t *X,
                     const uint8_t **pp, const uint8_t *end, int16_t *out, size_t n, size_t *ip)
{
    const uint32_t K = (uint32_t)map->ncodes;
    const int32_t mask = phases ? N1F_PHASES - 1 : 0;
    int32_t prev = d->prev;
    const uint32_t *fc = d->fc;
    const uint8_t *slot = &d->slot[0][0];
    const int16_t *value = values_of(d);
    const uint8_t *p = *pp;
    size_t i = 0;
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
            int st_ = dec_rare(d, map, s_, sh, prev, &xt_, &pt_, end, &pv_, &out[I]); \
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
    d->prev = prev;
    *pp = p;
    *ip = i;
    return N1_OK;
}

/* A v1 block's samples: the fast loop, then the rest with every check. */
static int run_v1(n1_fast_dec *d, const n1_adc_map *map, int phases, int sh, uint32_t *X,
                  const uint8_t *p, const uint8_t *end, int16_t *out, size_t n)
{
    size_t i = 0;
    int st = v1_groups(d, map, phases, sh, X, &p, end, out, n, &i);
    if (st != N1_OK) return st;
    const uint32_t K = (uint32_t)map->ncodes;
    const int32_t mask = phases ? N1F_PHASES - 1 : 0;
    int32_t prev = d->prev;
    const uint32_t *fc = d->fc;
    const uint8_t *slot = &d->slot[0][0];
    const int16_t *value = values_of(d);
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
            st = dec_rare(d, map, s, sh, prev, &Xl, &pt, end, &pv, &out[i]);
            if (st != N1_OK) return st;
            p = pt;
            prev = pv;
        }
        X[i & 3] = Xl;
    }
    d->prev = prev;
    return check_end(p, end, X);
}

static int decode_v1(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                     const uint8_t *end, int16_t *out, size_t n)
{
    if (end - p < 3 + 4 * N1F_LANES) return N1_ERR_TRUNCATED;
    const int flags = *p++, sh = flags >> 1, phases = flags & 1;
    if (sh > 10 || (phases && sh)) return N1_ERR_CORRUPT;
    int st = read_tables(d, &p, end, phases, 0);
    if (st != N1_OK) return st;
    uint32_t X[N1F_LANES];
    st = read_states(&p, end, X);
    if (st != N1_OK) return st;
    return run_v1(d, map, phases, sh, X, p, end, out, n);
}

/* ---- version 2 blocks: four segments side by side, per-block predictor */

typedef struct lane {      /* one segment's decoder state */
    uint32_t x;            /* rANS state */
    int32_t prev, d1, d2, d3, d4; /* previous code and first differences */
} lane;

typedef struct v2_ctx {    /* what every sample of a block reads */
    const n1_fast_dec *d;
    const n1_adc_map *map;
    const uint32_t *fc;
    const uint32_t *wide;  /* n1_fast_wide_table of table 0 for the vector loop, or NULL */
    const uint8_t *slot;
    const int16_t *value;
    const uint8_t *end;
    int32_t a[N1F_ORDER_MAX];
    int32_t mask, kmax;
    uint32_t rail;         /* ~0 with a rail table, else 0 */
    int order;             /* predictor order */
    int sh;
} v2_ctx;

/* One sample of a segment. checked: renormalise with a bound check (else the
 * caller guarantees 6 readable bytes at *pp and reads ahead branch-free). */
SPECIALISED int dec_v2(const v2_ctx *c, lane *L, int16_t *out, const uint8_t **pp,
                         int checked, const int order, const int rail)
{
    const uint8_t *p = *pp;
    int32_t P = predict(c->a[0], c->a[1], c->a[2], c->a[3], L->prev, L->d1, L->d2, L->d3, L->d4,
                        order);
    uint32_t Xl = L->x;
    uint32_t sl = Xl & (N1F_M - 1);
    uint32_t ph = (uint32_t)(P & c->mask);
    if (rail && on_rail(L->prev, c->kmax)) ph = N1F_RAIL;
    uint32_t s = c->slot[(ph << N1F_PROB_BITS) | sl];
    uint32_t e = c->fc[ph << 7 | s];
    Xl = (e & 0xffffu) * (Xl >> N1F_PROB_BITS) + sl - (e >> 16);
    if (checked) {
        if (Xl < RANS_L) {
            if (c->end - p < 2) return N1_ERR_TRUNCATED;
            Xl = (Xl << 16) | get16(p);
            p += 2;
        }
    } else {
        uint32_t w = get16(p), r = Xl < RANS_L;
        Xl = (Xl << (16 * r)) | (w & (0u - r));
        p += 2 * r;
    }
    int32_t code;
    if (s != N1F_ESC && !c->sh) {
        code = P + (int32_t)s - N1F_R;
        if ((uint32_t)code > (uint32_t)c->kmax) return N1_ERR_CORRUPT;
        *out = c->value[code];
    } else {
        uint32_t xt = Xl; /* copies: no address of the common path's variables */
        const uint8_t *pt = p;
        int st = dec_rare(c->d, c->map, s, c->sh, P, &xt, &pt, c->end, &code, out);
        if (st != N1_OK) return st;
        Xl = xt;
        p = pt;
    }
    if (order >= 4) L->d4 = L->d3;
    if (order >= 3) L->d3 = L->d2;
    if (order >= 2) L->d2 = L->d1;
    if (order >= 1) L->d1 = code - L->prev;
    L->prev = code;
    L->x = Xl;
    *pp = p;
    return N1_OK;
}

/* The fast loop of a v2 block: sample i of each segment (s: segment starts) for
 * i = 0, 1, ... while i < m and at least 24 bytes remain (a sample reads at most 3
 * words), renormalising branch-free. Returns N1_OK with *ip, *pp and the lanes
 * where it stopped, or an error. */
SPECIALISED int v2_groups(const n1_fast_dec *d, const v2_ctx *c, lane *ln, const uint8_t **pp,
                          int16_t *out, const size_t *s, size_t m, size_t *ip, const int order,
                          const int rail)
{
    int16_t *o0 = out + s[0], *o1 = out + s[1], *o2 = out + s[2], *o3 = out + s[3];
    const uint8_t *p = *pp;
    size_t i = 0;
    {
        /* Every lane's state and every table pointer in locals: stores to out
         * cannot alias them, so they stay in registers. */
        const int32_t a1 = c->a[0], a2 = c->a[1], a3 = c->a[2], a4 = c->a[3];
        const int32_t mask = c->mask, kmax = c->kmax;
        const int sh = c->sh;
        const uint8_t *slot = c->slot, *end = c->end;
        const uint32_t *fc = c->fc;
        const int16_t *value = c->value;
        uint32_t X0 = ln[0].x, X1 = ln[1].x, X2 = ln[2].x, X3 = ln[3].x;
        int32_t c0 = ln[0].prev, c1 = ln[1].prev, c2 = ln[2].prev, c3 = ln[3].prev;
        int32_t e0 = 0, e1 = 0, e2 = 0, e3 = 0, f0 = 0, f1 = 0, f2 = 0, f3 = 0; /* d1, d2 */
        int32_t g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0; /* d3, d4 */
#define DEC_V2(X, C, D1, D2, D3, D4, OUT)                                         \
    do {                                                                          \
        int32_t P_ = predict(a1, a2, a3, a4, C, D1, D2, D3, D4, order);           \
        uint32_t sl_ = (X) & (N1F_M - 1);                                         \
        uint32_t ph_ = (uint32_t)(P_ & mask);                                     \
        if (rail && on_rail(C, kmax)) ph_ = N1F_RAIL;                             \
        uint32_t s_ = slot[(ph_ << N1F_PROB_BITS) | sl_];                         \
        uint32_t e_ = fc[ph_ << 7 | s_];                                          \
        (X) = (e_ & 0xffffu) * ((X) >> N1F_PROB_BITS) + sl_ - (e_ >> 16);         \
        uint32_t w_ = get16(p), r_ = (X) < RANS_L;                                \
        (X) = ((X) << (16 * r_)) | (w_ & (0u - r_));                              \
        p += 2 * r_;                                                              \
        int32_t code_;                                                            \
        if (s_ != N1F_ESC && !sh) {                                               \
            code_ = P_ + (int32_t)s_ - N1F_R;                                     \
            if ((uint32_t)code_ > (uint32_t)kmax) return N1_ERR_CORRUPT;          \
            *(OUT) = value[code_];                                                \
        } else if (s_ != N1F_ESC) { /* wide block: sh low bits, uniform */        \
            uint32_t b_ = (X) & (N1F_M - 1);                                      \
            code_ = P_ + (int32_t)((uint32_t)((int32_t)s_ - N1F_R) << sh) +       \
                    (int32_t)(b_ >> (N1F_PROB_BITS - sh));                        \
            (X) = ((X) >> N1F_PROB_BITS << (N1F_PROB_BITS - sh)) +                \
                  (b_ & ((1u << (N1F_PROB_BITS - sh)) - 1));                      \
            w_ = get16(p); r_ = (X) < RANS_L;                                     \
            (X) = ((X) << (16 * r_)) | (w_ & (0u - r_));                          \
            p += 2 * r_;                                                          \
            if ((uint32_t)code_ > (uint32_t)kmax) return N1_ERR_CORRUPT;          \
            *(OUT) = value[code_];                                                \
        } else { /* copies keep X and p in registers on the common path */        \
            uint32_t xt_ = (X);                                                   \
            const uint8_t *pt_ = p;                                               \
            int st_ = dec_rare(d, c->map, s_, sh, P_, &xt_, &pt_, end, &code_, (OUT)); \
            if (st_ != N1_OK) return st_;                                         \
            (X) = xt_;                                                            \
            p = pt_;                                                              \
        }                                                                         \
        if (order >= 4) D4 = D3;                                                  \
        if (order >= 3) D3 = D2;                                                  \
        if (order >= 2) D2 = D1;                                                  \
        if (order >= 1) D1 = code_ - (C);                                         \
        (C) = code_;                                                              \
    } while (0)
        for (; i < m && end - p >= 24; i++) {
            DEC_V2(X0, c0, e0, f0, g0, h0, o0 + i);
            DEC_V2(X1, c1, e1, f1, g1, h1, o1 + i);
            DEC_V2(X2, c2, e2, f2, g2, h2, o2 + i);
            DEC_V2(X3, c3, e3, f3, g3, h3, o3 + i);
        }
#undef DEC_V2
        const lane back[N1F_LANES] = {{X0, c0, e0, f0, g0, h0}, {X1, c1, e1, f1, g1, h1},
                                      {X2, c2, e2, f2, g2, h2}, {X3, c3, e3, f3, g3, h3}};
        memcpy(ln, back, sizeof(back));
    }
    *pp = p;
    *ip = i;
    return N1_OK;
}

/* The vector loop's view of a block (n1_fast_sse41.h): what the block's context
 * fixes (set once a block), then the lanes and words (moved in and out around each
 * call, since the scalar code decodes the groups with escapes). */
static void run4_block(n1_fast_run4 *r, const v2_ctx *c, int16_t *out, const size_t *s)
{
    r->b.tab = c->wide;
    r->b.value = c->value;
    for (int l = 0; l < N1F_LANES; l++) r->b.out[l] = out + s[l];
    memcpy(r->b.a, c->a, sizeof(r->b.a));
    r->b.kmax = c->kmax;
    r->b.order = c->order;
    r->b.sh = c->sh;
    r->end = c->end;
}

static void run4_load(n1_fast_run4 *r, const lane *ln, const uint8_t *p)
{
    for (int l = 0; l < N1F_LANES; l++) {
        r->ln.x[l] = ln[l].x;
        r->ln.prev[l] = ln[l].prev;
        r->ln.d[0][l] = ln[l].d1; r->ln.d[1][l] = ln[l].d2;
        r->ln.d[2][l] = ln[l].d3; r->ln.d[3][l] = ln[l].d4;
    }
    r->p = p;
}

static void run4_save(const n1_fast_run4 *r, lane *ln, const uint8_t **pp)
{
    for (int l = 0; l < N1F_LANES; l++) {
        ln[l].x = r->ln.x[l];
        ln[l].prev = r->ln.prev[l];
        ln[l].d1 = r->ln.d[0][l]; ln[l].d2 = r->ln.d[1][l];
        ln[l].d3 = r->ln.d[2][l]; ln[l].d4 = r->ln.d[3][l];
    }
    *pp = r->p;
}

/* Group i with the scalar code (a group with an escape; at least 24 bytes remain). */
static int v2_group_scalar(const v2_ctx *c, lane *ln, const uint8_t **pp, int16_t *out,
                           const size_t *s, size_t i)
{
    int st = N1_OK;
    for (int l = 0; l < N1F_LANES && st == N1_OK; l++)
        st = dec_v2(c, &ln[l], out + s[l] + i, pp, 0, c->order, 0);
    return st;
}

/* The fast loop in SSE4.1 lanes where a group has no escape; the scalar code
 * decodes the groups that do. */
static int v2_groups_vector(const v2_ctx *c, lane *ln, const uint8_t **pp, int16_t *out,
                            const size_t *s, size_t m, size_t *ip)
{
    n1_fast_run4 r;
    size_t i = *ip;
    int st = N1_OK;
    run4_block(&r, c, out, s);
    while (st == N1_OK && i < m && c->end - *pp >= 24) {
        run4_load(&r, ln, *pp);
        st = n1_fast_groups_sse41(&r, m, &i);
        run4_save(&r, ln, pp);
        if (st != N1_OK || i >= m || c->end - *pp < 24) break;
        st = v2_group_scalar(c, ln, pp, out, s, i++);
    }
    *ip = i;
    return st;
}

/* A v2 block's samples from group i on: the fast loop, then the rest with every
 * check (the groups too close to the end, then the longer segments' extra samples). */
SPECIALISED int run_v2_k(n1_fast_dec *d, const v2_ctx *c, lane *ln, const uint8_t *p,
                         int16_t *out, size_t n, size_t i, const int order, const int rail)
{
    size_t s[N1F_LANES + 1];
    segment_bounds(n, s);
    const size_t m = n / N1F_LANES;
    int st = c->wide && !rail ? v2_groups_vector(c, ln, &p, out, s, m, &i)
                              : v2_groups(d, c, ln, &p, out, s, m, &i, order, rail);
    if (st != N1_OK) return st;
    for (; i < m; i++)
        for (int l = 0; l < N1F_LANES; l++) {
            st = dec_v2(c, &ln[l], out + s[l] + i, &p, 1, order, rail);
            if (st != N1_OK) return st;
        }
    for (int l = 0; l < N1F_LANES; l++) {
        if (s[l + 1] - s[l] == m) continue;
        st = dec_v2(c, &ln[l], out + s[l] + m, &p, 1, order, rail);
        if (st != N1_OK) return st;
    }
    d->prev = ln[N1F_LANES - 1].prev;
    uint32_t X[N1F_LANES] = {ln[0].x, ln[1].x, ln[2].x, ln[3].x};
    return check_end(p, c->end, X);
}

/* One copy of the decoding loop per predictor order, with and without a rail table. */
static int run_v2(n1_fast_dec *d, const v2_ctx *c, lane *ln, const uint8_t *p,
                  int16_t *out, size_t n, size_t i)
{
#define RUN_V2_ORDER(o)                                                           \
    return c->rail ? run_v2_k(d, c, ln, p, out, n, i, o, 1) : run_v2_k(d, c, ln, p, out, n, i, o, 0)
    switch (c->order) {
    case 0: RUN_V2_ORDER(0);
    case 1: RUN_V2_ORDER(1);
    case 2: RUN_V2_ORDER(2);
    case 3: RUN_V2_ORDER(3);
    default: RUN_V2_ORDER(4);
    }
#undef RUN_V2_ORDER
}

/* flags, shift, coefficients and segment start codes of a v2 block. */
static int read_head_v2(const uint8_t **pp, const uint8_t *end, int32_t K, v2_ctx *c,
                        lane *ln, int32_t prev, int *phases)
{
    const uint8_t *p = *pp;
    if (end - p < 2) return N1_ERR_TRUNCATED;
    const int flags = p[0], order = (flags >> 2) & 7;
    c->sh = p[1];
    p += 2;
    *phases = flags & 1;
    c->rail = (flags & 2) ? ~0u : 0u;
    c->order = order;
    if (c->sh > N1F_SHIFT_MAX || (*phases && c->sh) || order > N1F_ORDER_MAX || (flags >> 5))
        return N1_ERR_CORRUPT;
    for (int j = 0; j < N1F_ORDER_MAX; j++) {
        uint32_t z = 0;
        if (j < order) {
            int st = get_varint(&p, end, 2, &z);
            if (st != N1_OK) return st;
        }
        int32_t v = (z & 1) ? -(int32_t)(z >> 1) - 1 : (int32_t)(z >> 1);
        if (v > N1F_COEF_MAX || v < -N1F_COEF_MAX) return N1_ERR_CORRUPT;
        c->a[j] = v;
    }
    memset(ln, 0, N1F_LANES * sizeof(lane));
    ln[0].prev = prev;
    for (int l = 1; l < N1F_LANES; l++) {
        uint32_t v;
        int st = get_varint(&p, end, 3, &v);
        if (st != N1_OK) return st;
        if (v >= (uint32_t)K) return N1_ERR_CORRUPT;
        ln[l].prev = (int32_t)v;
    }
    *pp = p;
    return N1_OK;
}

/* A v2 block's head, tables and states: c, ln and *pp (at the first word) for
 * run_v2; the vector loop's table too when the block can take it. */
static int prepare_v2(n1_fast_dec *d, const n1_adc_map *map, const uint8_t **pp,
                      const uint8_t *end, size_t n, v2_ctx *c, lane *ln)
{
    int phases = 0;
    int st = read_head_v2(pp, end, map->ncodes, c, ln, d->prev, &phases);
    if (st != N1_OK) return st;
    st = read_tables(d, pp, end, phases, 0);
    if (st == N1_OK && c->rail) st = read_tables(d, pp, end, 0, N1F_RAIL);
    if (st != N1_OK) return st;
    uint32_t X[N1F_LANES];
    st = read_states(pp, end, X);
    if (st != N1_OK) return st;
    for (int l = 0; l < N1F_LANES; l++) ln[l].x = X[l];
    c->d = d;
    c->map = map;
    c->fc = d->fc;
    c->slot = &d->slot[0][0];
    c->value = values_of(d);
    c->end = end;
    c->mask = phases ? N1F_PHASES - 1 : 0;
    c->kmax = map->ncodes - 1;
    c->wide = NULL;
    if (!phases && !c->rail && n >= N1F_VECTOR_MIN && d->vector) {
        n1_fast_wide_table(d->fc, d->wide);
        c->wide = d->wide;
    }
    return N1_OK;
}

static int decode_v2(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                     const uint8_t *end, int16_t *out, size_t n)
{
    v2_ctx c;
    lane ln[N1F_LANES];
    int st = prepare_v2(d, map, &p, end, n, &c, ln);
    return st == N1_OK ? run_v2(d, &c, ln, p, out, n, 0) : st;
}

/* Two v2 blocks of n samples: their vector loops side by side while both can take
 * them, then each block's rest alone. */
static int decode_v2_pair(n1_fast_dec *d0, n1_fast_dec *d1, const n1_adc_map *map0,
                          const n1_adc_map *map1, const uint8_t *p0, const uint8_t *end0,
                          const uint8_t *p1, const uint8_t *end1, int16_t *out0,
                          int16_t *out1, size_t n)
{
    v2_ctx c0, c1;
    lane ln0[N1F_LANES], ln1[N1F_LANES];
    int st = prepare_v2(d0, map0, &p0, end0, n, &c0, ln0);
    if (st == N1_OK) st = prepare_v2(d1, map1, &p1, end1, n, &c1, ln1);
    if (st != N1_OK) return st;
    size_t i = 0, s[N1F_LANES + 1];
    if (c0.wide && c1.wide) {
        const size_t m = n / N1F_LANES;
        segment_bounds(n, s);
        n1_fast_run4 r0, r1;
        run4_block(&r0, &c0, out0, s);
        run4_block(&r1, &c1, out1, s);
        while (st == N1_OK && i < m && end0 - p0 >= 24 && end1 - p1 >= 24) {
            run4_load(&r0, ln0, p0);
            run4_load(&r1, ln1, p1);
            st = n1_fast_groups2_sse41(&r0, &r1, m, &i);
            run4_save(&r0, ln0, &p0);
            run4_save(&r1, ln1, &p1);
            if (st != N1_OK || i >= m || end0 - p0 < 24 || end1 - p1 < 24) break;
            st = v2_group_scalar(&c0, ln0, &p0, out0, s, i); /* an escape in either */
            if (st == N1_OK) st = v2_group_scalar(&c1, ln1, &p1, out1, s, i);
            i++;
        }
    }
    if (st == N1_OK) st = run_v2(d0, &c0, ln0, p0, out0, n, i);
    if (st == N1_OK) st = run_v2(d1, &c1, ln1, p1, out1, n, i);
    return st;
}

int n1_fast_decode_block(n1_fast_dec *d, const n1_adc_map *map, const uint8_t *p,
                         size_t nbytes, int16_t *out, size_t n)
{
    if (d->version == 1) return decode_v1(d, map, p, p + nbytes, out, n);
    return decode_v2(d, map, p, p + nbytes, out, n);
}

int n1_fast_decode_block2(n1_fast_dec *d0, n1_fast_dec *d1, const n1_adc_map *map0,
                          const n1_adc_map *map1, const uint8_t *p0, size_t nbytes0,
                          const uint8_t *p1, size_t nbytes1, int16_t *out0, int16_t *out1,
                          size_t n)
{
    if (d0->version == 1 || d1->version == 1) {
        int st = n1_fast_decode_block(d0, map0, p0, nbytes0, out0, n);
        return st == N1_OK ? n1_fast_decode_block(d1, map1, p1, nbytes1, out1, n) : st;
    }
    return decode_v2_pair(d0, d1, map0, map1, p0, p0 + nbytes0, p1, p1 + nbytes1, out0, out1, n);
}
