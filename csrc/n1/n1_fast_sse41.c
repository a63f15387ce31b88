/*
 * n1_fast_sse41.c -- see n1_fast_sse41.h. Built on gcc/clang for x86 (a function
 * target, so the rest of the library stays at the baseline instruction set) and
 * chosen at run time; elsewhere, or with N1_PORTABLE, only the scalar loop exists.
 */
#include "n1_fast_sse41.h"
#include "../common/status.h"

void n1_fast_wide_table(const uint32_t *fc, uint32_t *tab)
{
    for (uint32_t s = 0; s < N1F_NSYM; s++) {
        uint32_t f = fc[s] & 0xffffu, cum = fc[s] >> 16;
        uint32_t entry = f << 19 | s; /* f <= 4096: 13 bits */
        for (uint32_t k = 0; k < f; k++) tab[cum + k] = entry | k << 7;
    }
}

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__)) && \
    !defined(N1_PORTABLE)
#include <smmintrin.h>

#define SSE41 __attribute__((target("sse4.1")))
#define SSE41_INLINE static inline __attribute__((always_inline, target("sse4.1")))

int n1_fast_sse41_available(void)
{
    __builtin_cpu_init(); /* idempotent; the runtime's CPU probe, no state of ours */
    return __builtin_cpu_supports("sse4.1") != 0;
}

/* x <= lim in every lane, unsigned: -1 / 0 per lane. */
SSE41_INLINE __m128i at_most(__m128i x, __m128i lim)
{
    return _mm_cmpeq_epi32(_mm_min_epu32(x, lim), x);
}

/* The table entries of the four slots in the low 12 bits of x. */
SSE41_INLINE __m128i entries(const uint32_t *tab, __m128i x)
{
    __m128i sl = _mm_and_si128(x, _mm_set1_epi32(N1F_M - 1));
    return _mm_setr_epi32((int)tab[_mm_cvtsi128_si32(sl)], (int)tab[_mm_extract_epi32(sl, 1)],
                          (int)tab[_mm_extract_epi32(sl, 2)], (int)tab[_mm_extract_epi32(sl, 3)]);
}

/* Each lane's prediction: prev + round(sum a_j d_j / 2^10), as the scalar predict(). */
SSE41_INLINE __m128i predict4(const __m128i *a, __m128i prev, const __m128i *d, const int order)
{
    if (order == 0) return prev;
    __m128i sum = _mm_set1_epi32((1 << 30) + 512);
    for (int j = 0; j < order; j++) sum = _mm_add_epi32(sum, _mm_mullo_epi32(a[j], d[j]));
    sum = _mm_sub_epi32(_mm_srli_epi32(sum, N1F_COEF_BITS), _mm_set1_epi32(1 << (30 - N1F_COEF_BITS)));
    return _mm_add_epi32(prev, sum);
}

/* The 16-bit word at byte offset b[l] of `words` in each lane l, where the lane holds
 * b | b << 8 (b <= 14): a shuffle control of bytes b, b + 1, zero, zero. */
SSE41_INLINE __m128i words_at(__m128i words, __m128i b2)
{
    return _mm_shuffle_epi8(words, _mm_add_epi32(b2, _mm_set1_epi32(0x80800100)));
}

SSE41_INLINE void store4(const n1_fast_block4 *b, size_t i, __m128i code)
{
    b->out[0][i] = b->value[_mm_cvtsi128_si32(code)];
    b->out[1][i] = b->value[_mm_extract_epi32(code, 1)];
    b->out[2][i] = b->value[_mm_extract_epi32(code, 2)];
    b->out[3][i] = b->value[_mm_extract_epi32(code, 3)];
}

/* One block's chain in registers: its lanes' state and its constants. */
typedef struct chain {
    __m128i X, C, d[N1F_ORDER_MAX], a[N1F_ORDER_MAX];
    __m128i sh, low_sh, lim_r, lim_n, rest, kmax;
    const uint8_t *p;
    const n1_fast_block4 *b;
} chain;

SSE41_INLINE void chain_load(chain *k, const n1_fast_run4 *r)
{
    const n1_fast_block4 *b = &r->b;
    k->b = b;
    k->p = r->p;
    for (int j = 0; j < N1F_ORDER_MAX; j++) {
        k->a[j] = _mm_set1_epi32(b->a[j]);
        k->d[j] = _mm_loadu_si128((const __m128i *)r->ln.d[j]);
    }
    k->X = _mm_loadu_si128((const __m128i *)r->ln.x);
    k->C = _mm_loadu_si128((const __m128i *)r->ln.prev);
    k->sh = _mm_cvtsi32_si128(b->sh);
    k->low_sh = _mm_cvtsi32_si128(N1F_PROB_BITS - b->sh);
    /* after the symbol: renormalised lanes read a second word when X' < 2^sh, the
     * others when X' < 2^(16+sh) */
    k->lim_r = _mm_set1_epi32((int)((1u << b->sh) - 1));
    k->lim_n = _mm_set1_epi32((int)((1u << (16 + b->sh)) - 1));
    k->rest = _mm_set1_epi32((1 << (N1F_PROB_BITS - b->sh)) - 1);
    k->kmax = _mm_set1_epi32(b->kmax);
}

SSE41_INLINE void chain_save(const chain *k, n1_fast_run4 *r)
{
    _mm_storeu_si128((__m128i *)r->ln.x, k->X);
    _mm_storeu_si128((__m128i *)r->ln.prev, k->C);
    for (int j = 0; j < N1F_ORDER_MAX; j++) _mm_storeu_si128((__m128i *)r->ln.d[j], k->d[j]);
    r->p = k->p;
}

/* -1 in the lanes whose next symbol is the escape. */
SSE41_INLINE __m128i escapes(__m128i e)
{
    return _mm_cmpeq_epi32(_mm_and_si128(e, _mm_set1_epi32(0x7f)), _mm_set1_epi32(N1F_ESC));
}

/* Decode group i from the lanes' table entries e (no escape among them). */
SSE41_INLINE int chain_step(chain *k, __m128i e, size_t i, const int order)
{
    const __m128i mask12 = _mm_set1_epi32(N1F_M - 1), two = _mm_set1_epi32(0x0202);
    __m128i s = _mm_and_si128(e, _mm_set1_epi32(0x7f));
    __m128i xs = _mm_add_epi32(_mm_mullo_epi32(_mm_srli_epi32(e, 19), _mm_srli_epi32(k->X, N1F_PROB_BITS)),
                               _mm_and_si128(_mm_srli_epi32(e, 7), mask12));
    __m128i r1 = at_most(xs, _mm_set1_epi32(0xffff));
    /* xs < 2^sh implies r1; r1 implies xs < 2^(16+sh) */
    __m128i r2 = _mm_or_si128(at_most(xs, k->lim_r), _mm_andnot_si128(r1, at_most(xs, k->lim_n)));
    /* bytes each lane reads (0, 2 or 4), and the lanes before it: as b | b << 8 */
    __m128i b1 = _mm_and_si128(r1, two), n = _mm_add_epi32(b1, _mm_and_si128(r2, two));
    __m128i before = _mm_slli_si128(n, 4);
    before = _mm_add_epi32(before, _mm_slli_si128(before, 4));
    before = _mm_add_epi32(before, _mm_slli_si128(before, 8));
    __m128i words = _mm_loadu_si128((const __m128i *)k->p);
    __m128i w1 = words_at(words, before);
    __m128i w2 = words_at(words, _mm_add_epi32(before, b1));
    __m128i x1 = _mm_blendv_epi8(xs, _mm_or_si128(_mm_slli_epi32(xs, 16), w1), r1);
    /* the low bits: the slot's top sh bits, a uniform symbol of 2^(12-sh) */
    __m128i low = _mm_srl_epi32(_mm_and_si128(x1, mask12), k->low_sh);
    __m128i x2 = _mm_or_si128(_mm_sll_epi32(_mm_srli_epi32(x1, N1F_PROB_BITS), k->low_sh),
                              _mm_and_si128(x1, k->rest));
    k->X = _mm_blendv_epi8(x2, _mm_or_si128(_mm_slli_epi32(x2, 16), w2), r2);
    k->p += _mm_extract_epi32(_mm_add_epi32(before, n), 3) & 0xff; /* every lane's bytes */
    __m128i q = _mm_sll_epi32(_mm_sub_epi32(s, _mm_set1_epi32(N1F_R)), k->sh);
    __m128i code = _mm_add_epi32(_mm_add_epi32(predict4(k->a, k->C, k->d, order), q), low);
    if (_mm_movemask_epi8(at_most(code, k->kmax)) != 0xffff) return N1_ERR_CORRUPT;
    store4(k->b, i, code);
    for (int j = order - 1; j > 0; j--) k->d[j] = k->d[j - 1];
    if (order >= 1) k->d[0] = _mm_sub_epi32(code, k->C);
    k->C = code;
    return N1_OK;
}

SSE41_INLINE int groups_k(n1_fast_run4 *r, size_t m, size_t *ip, const int order)
{
    chain k;
    chain_load(&k, r);
    size_t i = *ip;
    int st = N1_OK;
    for (; i < m && r->end - k.p >= 24; i++) {
        __m128i e = entries(r->b.tab, k.X);
        if (_mm_movemask_epi8(escapes(e))) break; /* the scalar code's case */
        st = chain_step(&k, e, i, order);
        if (st != N1_OK) break;
    }
    chain_save(&k, r);
    *ip = i;
    return st;
}

/* Two blocks side by side: their chains hide each other's latency. */
SSE41_INLINE int groups2_k(n1_fast_run4 *r0, n1_fast_run4 *r1, size_t m, size_t *ip,
                           const int order)
{
    chain k0, k1;
    chain_load(&k0, r0);
    chain_load(&k1, r1);
    size_t i = *ip;
    int st = N1_OK;
    for (; i < m && r0->end - k0.p >= 24 && r1->end - k1.p >= 24; i++) {
        __m128i e0 = entries(r0->b.tab, k0.X), e1 = entries(r1->b.tab, k1.X);
        if (_mm_movemask_epi8(_mm_or_si128(escapes(e0), escapes(e1)))) break;
        st = chain_step(&k0, e0, i, order);
        if (st == N1_OK) st = chain_step(&k1, e1, i, order);
        if (st != N1_OK) break;
    }
    chain_save(&k0, r0);
    chain_save(&k1, r1);
    *ip = i;
    return st;
}

SSE41 int n1_fast_groups_sse41(n1_fast_run4 *r, size_t m, size_t *ip)
{
    switch (r->b.order) {
    case 0: return groups_k(r, m, ip, 0);
    case 1: return groups_k(r, m, ip, 1);
    case 2: return groups_k(r, m, ip, 2);
    case 3: return groups_k(r, m, ip, 3);
    default: return groups_k(r, m, ip, 4);
    }
}

SSE41 int n1_fast_groups2_sse41(n1_fast_run4 *r0, n1_fast_run4 *r1, size_t m, size_t *ip)
{
    /* the higher order for both: the other block's coefficients beyond its own order are
     * zero, so its predictions are its own (order 0 included: the rounding adds 0) */
    switch (r0->b.order > r1->b.order ? r0->b.order : r1->b.order) {
    case 0: return groups2_k(r0, r1, m, ip, 0);
    case 1: return groups2_k(r0, r1, m, ip, 1);
    case 2: return groups2_k(r0, r1, m, ip, 2);
    case 3: return groups2_k(r0, r1, m, ip, 3);
    default: return groups2_k(r0, r1, m, ip, 4);
    }
}

#else

int n1_fast_sse41_available(void) { return 0; }

/* never called: n1_fast_sse41_available() is 0 */
int n1_fast_groups_sse41(n1_fast_run4 *r, size_t m, size_t *ip)
{
    (void)r; (void)m; (void)ip;
    return N1_ERR_INVALID_ARG;
}

int n1_fast_groups2_sse41(n1_fast_run4 *r0, n1_fast_run4 *r1, size_t m, size_t *ip)
{
    (void)r0; (void)r1; (void)m; (void)ip;
    return N1_ERR_INVALID_ARG;
}

#endif
