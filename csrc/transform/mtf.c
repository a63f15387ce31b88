/* mtf.c -- move-to-front coding (see mtf.h). */
#include <string.h>
#include "mtf.h"
#include "common/status.h"

void n1c_mtf_encode_u8(const uint8_t *in, size_t n, uint8_t *out)
{
    uint8_t list[256];
    for (int i = 0; i < 256; i++) list[i] = (uint8_t)i;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = in[i], prev = list[0];
        unsigned j = 0;
        while (prev != c) {  /* shift while searching: one pass */
            uint8_t tmp = list[++j];
            list[j] = prev;
            prev = tmp;
        }
        list[0] = c;
        out[i] = (uint8_t)j;
    }
}

void n1c_mtf_decode_u8(const uint8_t *in, size_t n, uint8_t *out)
{
    uint8_t list[256];
    for (int i = 0; i < 256; i++) list[i] = (uint8_t)i;
    for (size_t i = 0; i < n; i++) {
        unsigned j = in[i];
        uint8_t c = list[j];
        memmove(list + 1, list, j);
        list[0] = c;
        out[i] = c;
    }
}

int n1c_mtf_encode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint16_t *list)
{
    if (k == 0 || k > 65536 || (n && (!in || !out || !list))) return N1_ERR_INVALID_ARG;
    for (size_t i = 0; i < n; i++)
        if (in[i] >= k) return N1_ERR_INVALID_ARG;
    for (uint32_t i = 0; i < k; i++) list[i] = (uint16_t)i;
    for (size_t i = 0; i < n; i++) {
        uint16_t c = in[i], prev = list[0];
        uint32_t j = 0;
        while (prev != c) {
            uint16_t tmp = list[++j];
            list[j] = prev;
            prev = tmp;
        }
        list[0] = c;
        out[i] = (uint16_t)j;
    }
    return N1_OK;
}

int n1c_mtf_decode_u16(const uint16_t *in, size_t n, uint32_t k, uint16_t *out, uint16_t *list)
{
    if (k == 0 || k > 65536 || (n && (!in || !out || !list))) return N1_ERR_INVALID_ARG;
    for (uint32_t i = 0; i < k; i++) list[i] = (uint16_t)i;
    for (size_t i = 0; i < n; i++) {
        uint32_t j = in[i];
        if (j >= k) return N1_ERR_CORRUPT;
        uint16_t c = list[j];
        memmove(list + 1, list, j * sizeof *list);
        list[0] = c;
        out[i] = c;
    }
    return N1_OK;
}
