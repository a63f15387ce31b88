# Canonical Huffman coder over 16-bit symbols.
from libc.stdlib cimport malloc, free

cdef extern from "entropy/huffman.h":
    ctypedef struct n1c_huffman_encoder_work:
        pass
    ctypedef struct n1c_huffman_decoder_work:
        pass
    size_t n1c_huffman_bound(size_t count) nogil
    int n1c_huffman_encode(const uint16_t *symbols, size_t count, n1c_huffman_encoder_work *work,
                           uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_huffman_decode(const uint8_t *inp, size_t length, n1c_huffman_decoder_work *work,
                           uint16_t *out, size_t count) nogil


def huffman_encode(const uint16_t[::1] symbols):
    """Canonical Huffman stream (table included) of uint16 symbols."""
    cdef size_t n = symbols.shape[0]
    cdef size_t cap = n1c_huffman_bound(n)
    cdef size_t out_len = 0
    cdef int status = 0
    out = bytearray(cap)
    cdef uint8_t[::1] out_view = out
    cdef const uint16_t *src = &symbols[0] if n else NULL
    cdef n1c_huffman_encoder_work *work = <n1c_huffman_encoder_work *>malloc(sizeof(n1c_huffman_encoder_work))
    if work == NULL:
        raise _errors.NativeMemoryError("huffman encode: out of memory")
    try:
        with nogil:
            status = n1c_huffman_encode(src, n, work, &out_view[0], cap, &out_len)
    finally:
        free(work)
    _check(status, "huffman encode")
    return bytes(out_view[:out_len])


def huffman_decode(const uint8_t[::1] payload, Py_ssize_t count):
    """Decode `count` symbols from a stream written by huffman_encode."""
    if count < 0:
        raise _errors.InvalidInputError("huffman decode: negative symbol count")
    out = np.empty(count, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t *dst = &out_view[0] if count else NULL
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    cdef int status = 0
    cdef n1c_huffman_decoder_work *work = <n1c_huffman_decoder_work *>malloc(sizeof(n1c_huffman_decoder_work))
    if work == NULL:
        raise _errors.NativeMemoryError("huffman decode: out of memory")
    try:
        with nogil:
            status = n1c_huffman_decode(src, length, work, dst, <size_t>count)
    finally:
        free(work)
    _check(status, "huffman decode")
    return out
