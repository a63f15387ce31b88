/*
 * wavelet53.h -- the integer 5/3 (LeGall) wavelet by lifting, exactly invertible.
 *
 * One level on x[0..len-1] (len >= 2), with symmetric extension at both ends:
 *   predict  d[i] = x[2i+1] - floor((x[2i] + x[2i+2]) / 2)      (x[len] := x[len-2])
 *   update   s[i] = x[2i]   + floor((d[i-1] + d[i] + 2) / 4)    (d[-1] := d[0],
 *                                                               d[nd] := d[nd-1])
 * Values are the uint16 bit patterns of int16 samples. Every lifting step is
 * computed on the int16 readings of its inputs and wrapped modulo 2^16, so each
 * output fits 16 bits for every input and the inverse (the same steps undone
 * in reverse order, on the same wrapped values) restores the input bit for
 * bit. For ordinary signals nothing wraps and the outputs are the textbook
 * 5/3 coefficients.
 *
 * Layout (Mallat): a level turns the prefix of length len into
 *   [ s: ceil(len/2) approximations | d: floor(len/2) details ]
 * and the next level works on the s part. Levels stop early once the prefix
 * is shorter than 2, so any length (odd, 0, 1) and any level count in
 * 0..N1C_WAVELET53_MAX_LEVELS is valid.
 *
 *   n1c_wavelet53_forward(data, n, levels, tmp)  in place; tmp: n uint16 work
 *   n1c_wavelet53_inverse(data, n, levels, tmp)  in place; tmp: n uint16 work
 * Return N1_OK or N1_ERR_INVALID_ARG (levels out of range, NULL buffers).
 * No allocation, no global state.
 */
#ifndef N1C_WAVELET53_H
#define N1C_WAVELET53_H

#include <stddef.h>
#include <stdint.h>

#define N1C_WAVELET53_MAX_LEVELS 32u

int n1c_wavelet53_forward(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp);
int n1c_wavelet53_inverse(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp);

#endif
