/* lpc.c -- per-block Levinson-Durbin LPC with quantised coefficients (see lpc.h). */
#include "lpc.h"

#include <math.h>
#include <stdlib.h>
#include "common/bitio.h"
#include "common/status.h"

#define N1_PI 3.14159265358979323846

static inline int64_t s16(uint16_t w) { return (int64_t)(int16_t)w; }

/* floor(v / 2^s) without relying on the implementation-defined >> of negatives. */
static inline int64_t floor_shift(int64_t v, unsigned s)
{
    if (v >= 0) return (int64_t)((uint64_t)v >> s);
    return -(int64_t)(((uint64_t)(-v) + (((uint64_t)1 << s) - 1u)) >> s);
}

/* Prediction of sample i from the k previous samples (zero before index 0). */
static inline int64_t lpc_predict(const uint16_t *x, size_t i, const int32_t *c, int k,
                                  unsigned shift)
{
    int64_t sum = 0;
    if (i >= (size_t)k) {
        const uint16_t *h = x + i - 1;
        for (int j = 0; j < k; j++) sum += (int64_t)c[j] * s16(h[-j]);
    } else {
        for (int j = 0; j < k && (size_t)j < i; j++) sum += (int64_t)c[j] * s16(x[i - 1 - j]);
    }
    return floor_shift(sum, shift);
}

size_t n1c_lpc_side_bound(size_t n, size_t block)
{
    if (block == 0) return 0;
    size_t nblocks = n / block + (n % block != 0);
    return nblocks * ((15u + N1C_LPC_MAX_ORDER * 15u + 7u) / 8u) + 8u;
}

/* Chooses order, integer coefficients and shift for one block of m samples. */
static int analyse_block(const uint16_t *x, size_t m, double *w, int max_order, int precision,
                         int32_t *coef, unsigned *shift_out)
{
    for (size_t i = 0; i < m; i++) {
        /* Tukey window with half its length tapered. */
        double t = 1.0;
        double taper = 0.25 * (double)m;
        if (taper >= 1.0) {
            if ((double)i < taper) t = 0.5 - 0.5 * cos(N1_PI * (double)i / taper);
            else if ((double)(m - 1 - i) < taper) t = 0.5 - 0.5 * cos(N1_PI * (double)(m - 1 - i) / taper);
        }
        w[i] = t * (double)s16(x[i]);
    }
    int p = max_order;
    if ((size_t)p >= m) p = (int)m - 1;
    if (p <= 0) return 0;

    double R[N1C_LPC_MAX_ORDER + 1];
    for (int lag = 0; lag <= p; lag++) {
        double acc = 0.0;
        for (size_t i = (size_t)lag; i < m; i++) acc += w[i] * w[i - lag];
        R[lag] = acc;
    }
    if (R[0] <= 0.0) return 0;

    double a[N1C_LPC_MAX_ORDER + 1] = {0};
    double tmp[N1C_LPC_MAX_ORDER + 1];
    double best_a[N1C_LPC_MAX_ORDER + 1] = {0};
    double err = R[0];
    double best_bits = 0.5 * (double)m * log2(err / (double)m + 1e-9);
    int best_k = 0;
    for (int i = 1; i <= p; i++) {
        double acc = R[i];
        for (int j = 1; j < i; j++) acc -= a[j] * R[i - j];
        double k = acc / err;
        for (int j = 1; j < i; j++) tmp[j] = a[j] - k * a[i - j];
        for (int j = 1; j < i; j++) a[j] = tmp[j];
        a[i] = k;
        err *= (1.0 - k * k);
        if (!(err > 0.0)) break;
        double bits = 0.5 * (double)m * log2(err / (double)m + 1e-9) + (double)(i * precision);
        if (bits < best_bits) {
            best_bits = bits;
            best_k = i;
            for (int j = 1; j <= i; j++) best_a[j] = a[j];
        }
    }
    if (best_k == 0) return 0;

    double cmax = 0.0;
    for (int j = 1; j <= best_k; j++)
        if (fabs(best_a[j]) > cmax) cmax = fabs(best_a[j]);
    int e;
    frexp(cmax, &e);  /* cmax < 2^e */
    int shift = precision - 1 - e;
    if (shift > N1C_LPC_MAX_SHIFT) shift = N1C_LPC_MAX_SHIFT;
    if (shift < 0) shift = 0;
    int32_t qmax = (1 << (precision - 1)) - 1, qmin = -(1 << (precision - 1));
    double carry = 0.0;
    for (int j = 0; j < best_k; j++) {
        carry += best_a[j + 1] * (double)(1 << shift);
        /* clamp before rounding so lround never sees a value outside long */
        long q = carry >= (double)qmax ? qmax : carry <= (double)qmin ? qmin : lround(carry);
        carry -= (double)q;
        coef[j] = (int32_t)q;
    }
    *shift_out = (unsigned)shift;
    return best_k;
}

int n1c_lpc_encode(const uint16_t *in, uint16_t *res, size_t n, size_t block, int max_order,
                   int precision, uint8_t *side, size_t side_cap, size_t *side_len)
{
    if (block == 0 || max_order < 0 || max_order > N1C_LPC_MAX_ORDER || precision < 2 ||
        precision > 15 || (n && (!in || !res)) || !side_len)
        return N1_ERR_INVALID_ARG;
    size_t m_max = n < block ? n : block;
    double *w = (double *)malloc((m_max ? m_max : 1) * sizeof(double));
    if (!w) return N1_ERR_NOMEM;

    n1_bitwriter bw;
    n1_bw_init(&bw, side, side_cap);
    for (size_t start = 0; start < n; start += block) {
        size_t m = (n - start > block) ? block : n - start;
        int32_t coef[N1C_LPC_MAX_ORDER];
        unsigned shift = 0;
        int k = analyse_block(in + start, m, w, max_order, precision, coef, &shift);
        n1_bw_put(&bw, (uint32_t)k, 6);
        if (k > 0) {
            n1_bw_put(&bw, (uint32_t)(precision - 1), 4);
            n1_bw_put(&bw, shift, 5);
            for (int j = 0; j < k; j++) n1_bw_put(&bw, (uint32_t)coef[j], (unsigned)precision);
        }
        for (size_t i = start; i < start + m; i++)
            res[i] = (uint16_t)(s16(in[i]) - (k ? lpc_predict(in, i, coef, k, shift) : 0));
    }
    free(w);
    return n1_bw_finish(&bw, side_len);
}

int n1c_lpc_decode(const uint8_t *side, size_t side_len, size_t *side_used, const uint16_t *res,
                   uint16_t *out, size_t n, size_t block)
{
    if (block == 0 || (n && (!res || !out)) || (side_len && !side) || !side_used)
        return N1_ERR_INVALID_ARG;
    n1_bitreader br;
    n1_br_init(&br, side, side_len);
    for (size_t start = 0; start < n; start += block) {
        size_t m = (n - start > block) ? block : n - start;
        int32_t coef[N1C_LPC_MAX_ORDER];
        unsigned shift = 0;
        int k = (int)n1_br_get(&br, 6);
        if (n1_br_overrun(&br)) return N1_ERR_TRUNCATED;
        if (k > N1C_LPC_MAX_ORDER) return N1_ERR_CORRUPT;
        if (k > 0) {
            unsigned p = n1_br_get(&br, 4) + 1u;
            shift = n1_br_get(&br, 5);
            if (n1_br_overrun(&br)) return N1_ERR_TRUNCATED;
            if (p < 2 || shift > N1C_LPC_MAX_SHIFT) return N1_ERR_CORRUPT;
            for (int j = 0; j < k; j++) {
                uint32_t v = n1_br_get(&br, p);
                /* sign-extend p bits */
                coef[j] = (v >> (p - 1)) ? (int32_t)v - (int32_t)(1u << p) : (int32_t)v;
            }
        }
        if (n1_br_overrun(&br)) return N1_ERR_TRUNCATED;
        for (size_t i = start; i < start + m; i++) {
            int64_t pred = k ? lpc_predict(out, i, coef, k, shift) : 0;
            out[i] = (uint16_t)((int64_t)res[i] + pred);
        }
    }
    *side_used = (size_t)((n1_br_consumed(&br) + 7u) / 8u);
    return N1_OK;
}
