# The flagship n1 codec (csrc/n1/): one-shot encode/decode of one channel.
from libc.stdlib cimport malloc, free

cdef extern from "n1/n1.h":
    size_t n1_codec_bound(size_t count) nogil
    int n1_codec_encode(const int16_t *x, size_t count, int level,
                        uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1_codec_decode(const uint8_t *inp, size_t length, int16_t *out, size_t count) nogil


def n1_encode(const int16_t[::1] samples, int level=1):
    """n1 stream of int16 samples; level 0 (fast), 1 (default) or 2 (max)."""
    cdef size_t n = samples.shape[0]
    cdef size_t cap = n1_codec_bound(n)
    cdef size_t out_len = 0
    cdef int status = 0
    # an uninitialised scratch buffer: a bytearray would zero ~2 bytes a sample first
    cdef uint8_t *buf = <uint8_t *>malloc(cap)
    if buf == NULL:
        raise _errors.NativeMemoryError(f"n1 encode: no memory for a {cap}-byte output buffer")
    cdef const int16_t *src = &samples[0] if n else NULL
    try:
        with nogil:
            status = n1_codec_encode(src, n, level, buf, cap, &out_len)
        _check(status, "n1 encode")
        return (<char *>buf)[:out_len]
    finally:
        free(buf)


def n1_decode(const uint8_t[::1] payload, Py_ssize_t count):
    """Decode exactly `count` int16 samples from a stream written by n1_encode."""
    if count < 0:
        raise _errors.InvalidInputError("n1 decode: negative sample count")
    out = np.empty(count, dtype=np.int16)
    cdef int16_t[::1] out_view = out
    cdef int16_t *dst = &out_view[0] if count else NULL
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    cdef int status = 0
    with nogil:
        status = n1_codec_decode(src, length, dst, <size_t>count)
    _check(status, "n1 decode")
    return out
