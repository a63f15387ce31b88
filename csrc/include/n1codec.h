/*
 * n1codec.h -- the public C API of n1codec: the only header a C user needs.
 *
 * Every function returns an n1_status (0 = N1_OK, negative = an error named in
 * common/status.h; n1_status_message() gives a sentence) or a size. Nothing is
 * global, nothing prints, decoders bound every read and never write past the
 * count their caller gives. Each included header states its own contract:
 *
 *   common/crc32.h        CRC-32 (zlib's)
 *   predict/delta.h       delta of order 0..3, modulo 2^16
 *   predict/fixed.h       fixed polynomial predictors chosen per block
 *   predict/lpc.h         per-block LPC (Levinson-Durbin, quantised coefficients)
 *   predict/lms.h         integer LMS (sign-sign, normalised, cascade)
 *   predict/adc.h         ADC code mapping (sample values -> codes and back)
 *   entropy/huffman.h     length-limited canonical Huffman
 *   entropy/rice.h        adaptive Rice
 *   entropy/range.h       adaptive range coder, order 0 and 1
 *   entropy/rans.h        static rANS
 *   transform/bwt.h, mtf.h, rle.h, wavelet53.h, bwt_chain.h   BWT family
 *   n1/n1.h               the n1 codec: streaming and one-shot
 *
 * Build the library alone with CMake: cmake -S . -B build && cmake --build build
 * (static library n1core; `cmake --install build` puts it and these headers
 * under include/n1codec/).
 */
#ifndef N1CODEC_H
#define N1CODEC_H

#include "common/status.h"
#include "common/crc32.h"
#include "predict/delta.h"
#include "predict/fixed.h"
#include "predict/lpc.h"
#include "predict/lms.h"
#include "predict/adc.h"
#include "entropy/huffman.h"
#include "entropy/rice.h"
#include "entropy/range.h"
#include "entropy/rans.h"
#include "transform/bwt.h"
#include "transform/mtf.h"
#include "transform/rle.h"
#include "transform/wavelet53.h"
#include "transform/bwt_chain.h"
#include "n1/n1.h"

#endif
