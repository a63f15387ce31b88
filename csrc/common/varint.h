/*
 * varint.h -- unsigned LEB128 varints (7 bits a byte, low first): the integers of
 * every n1codec stream's framing and of the .n1 container. One implementation for
 * all of them; each caller states how long a varint may be and how large its value.
 *
 * n1c_varint_put(p, v)
 *   Writes v at p, which must hold N1C_VARINT_MAX bytes; returns the bytes written
 *   (1..10). The encoding is the shortest one, so the bytes of a value are unique.
 * n1c_varint_get(p, len, &pos, max_bytes, max_value, &v)
 *   Reads one varint at p[*pos..len) and moves *pos past it. N1_OK; or
 *   N1_ERR_TRUNCATED when the bytes end inside it; or N1_ERR_CORRUPT when it is
 *   longer than max_bytes (1..10), not the shortest encoding of its value, or above
 *   max_value. Reads no byte at or past len; *pos and *v change only on N1_OK.
 */
#ifndef N1C_VARINT_H
#define N1C_VARINT_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#define N1C_VARINT_MAX 10

static inline size_t n1c_varint_put(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80u) {
        p[n++] = (uint8_t)(v | 0x80u);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static inline int n1c_varint_get(const uint8_t *p, size_t len, size_t *pos, int max_bytes,
                                 uint64_t max_value, uint64_t *v)
{
    uint64_t acc = 0;
    if (max_bytes > N1C_VARINT_MAX) max_bytes = N1C_VARINT_MAX;
    for (int i = 0; i < max_bytes; i++) {
        if (*pos >= len || (size_t)i >= len - *pos) return N1_ERR_TRUNCATED;
        uint8_t b = p[*pos + (size_t)i];
        if (i == 9 && (b & 0x7Eu)) return N1_ERR_CORRUPT; /* bits past 2^64 */
        acc |= (uint64_t)(b & 0x7Fu) << (7 * i);
        if (!(b & 0x80u)) {
            if ((i > 0 && b == 0) || acc > max_value) return N1_ERR_CORRUPT;
            *pos += (size_t)i + 1;
            *v = acc;
            return N1_OK;
        }
    }
    return N1_ERR_CORRUPT;
}

#endif
