# CRC-32 of the decoded samples, as stored in the .n1 header.
cdef extern from "common/crc32.h":
    uint32_t n1_crc32(uint32_t crc, const void *data, size_t length) nogil
    int n1_crc32_accelerated() nogil


def crc32_accelerated():
    """True when crc32() runs the carry-less multiplication path on this CPU."""
    return bool(n1_crc32_accelerated())


def crc32(const uint8_t[::1] data, uint32_t crc=0):
    """CRC-32 (same value as zlib.crc32) of a bytes-like object."""
    cdef const uint8_t *ptr = _bytes_ptr(data)
    cdef size_t n = data.shape[0]
    with nogil:
        crc = n1_crc32(crc, ptr, n)
    return crc
