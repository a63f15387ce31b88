# Common (csrc/common/): C status codes -> the N1CodecError hierarchy, shared by every binding; CRC-32.
from libc.stdint cimport uint8_t, uint16_t, int16_t, uint32_t, int32_t, uint64_t, int64_t

from n1codec import errors as _errors

cdef extern from "common/status.h":
    const char *n1_status_message(int status) nogil

_STATUS_EXCEPTIONS = {
    -1: _errors.TruncatedDataError,
    -2: _errors.CorruptDataError,
    -3: _errors.N1CodecError,  # output buffer too small: a bound in this package is wrong
    -4: _errors.NativeMemoryError,
    -5: _errors.InvalidInputError,
    -6: _errors.UnsupportedFeatureError,
    -7: _errors.InputTooLargeError,
}


cdef int _check(int status, str what) except -1:
    """Raise the exception for a negative C status; `what` says which operation failed."""
    if status >= 0:
        return 0
    exc = _STATUS_EXCEPTIONS.get(status, _errors.N1CodecError)
    raise exc(f"{what}: {n1_status_message(status).decode('ascii')}")


cdef inline const uint8_t *_bytes_ptr(const uint8_t[::1] view):
    """Address of a byte view's data, NULL for an empty view (never indexed then)."""
    return &view[0] if view.shape[0] > 0 else NULL


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
