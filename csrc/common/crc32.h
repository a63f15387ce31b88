/*
 * crc32.h -- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the same
 * value as zlib's crc32() and Python's zlib.crc32().
 *
 * Inputs: the running crc (0 to start), a buffer and its length (may be 0;
 * data may be NULL only when len is 0). Output: the updated crc. Cannot fail.
 * Tables are computed at compile time (const), so there is no global mutable state.
 * On x86 CPUs with PCLMULQDQ (checked at run time; GCC and clang builds) long
 * buffers are folded with carry-less multiplications, ~5x faster than the
 * portable slicing-by-4; the result is the same on every CPU.
 */
#ifndef N1_CRC32_H
#define N1_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t n1_crc32(uint32_t crc, const void *data, size_t len);
/* The same function computed by the portable code only (what n1_crc32 runs on CPUs
 * without carry-less multiplication), for tests and benchmarks. */
uint32_t n1_crc32_portable(uint32_t crc, const void *data, size_t len);
/* 1 when n1_crc32 uses carry-less multiplication on this CPU, else 0. */
int n1_crc32_accelerated(void);

#endif
