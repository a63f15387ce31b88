# Entropy family (csrc/entropy/): canonical Huffman over 16-bit symbols; adaptive Rice, range coder (order 0/1), static rANS.
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
    int n1c_huffman_max_count(const uint8_t *inp, size_t length, uint8_t *lengths,
                              uint64_t *max_count) nogil
    uint64_t UINT64_MAX


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


def huffman_max_count(const uint8_t[::1] payload):
    """The most symbols a huffman stream of these bytes can hold (None: any number)."""
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    cdef uint64_t most = 0
    cdef int status = 0
    cdef uint8_t *lengths = <uint8_t *>malloc(65536)
    if lengths == NULL:
        raise _errors.NativeMemoryError("huffman: out of memory")
    try:
        with nogil:
            status = n1c_huffman_max_count(src, length, lengths, &most)
    finally:
        free(lengths)
    _check(status, "huffman decode")
    return None if most == UINT64_MAX else most


# Adaptive entropy coders over uint16 symbols: Rice, range coder (order 0/1), static rANS.
cdef extern from "entropy/rice.h":
    size_t n1c_rice_bound(size_t n) nogil
    int n1c_rice_encode(const uint16_t *inp, size_t n, uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_rice_decode(const uint8_t *inp, size_t length, uint16_t *out, size_t n) nogil

cdef extern from "entropy/range.h":
    size_t n1c_range_bound(size_t n) nogil
    int n1c_range_encode(const uint16_t *inp, size_t n, int order, uint8_t *out, size_t cap,
                         size_t *out_len) nogil
    int n1c_range_decode(const uint8_t *inp, size_t length, int order, uint16_t *out, size_t n) nogil

cdef extern from "entropy/rans.h":
    size_t n1c_rans_bound(size_t n) nogil
    int n1c_rans_encode(const uint16_t *inp, size_t n, uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_rans_decode(const uint8_t *inp, size_t length, uint16_t *out, size_t n) nogil


cdef _check_count(Py_ssize_t count, Py_ssize_t length, Py_ssize_t per_byte, str what):
    """Refuse a symbol count the payload cannot hold before allocating for it."""
    if count < 0:
        raise _errors.InvalidInputError(f"{what}: negative symbol count")
    if per_byte and count > (length + COUNT_SLACK_BYTES) * per_byte:
        raise _errors.TruncatedDataError(
            f"{what}: {length} bytes cannot hold {count} symbols; the stream is truncated")


def rice_encode(const uint16_t[::1] symbols):
    """Adaptive Rice code of zigzag-folded uint16 symbols."""
    cdef size_t n = symbols.shape[0]
    cdef size_t cap = n1c_rice_bound(n)
    cdef size_t out_len = 0
    cdef int status = 0
    out = bytearray(cap)
    cdef uint8_t[::1] out_view = out
    cdef const uint16_t *src = &symbols[0] if n else NULL
    with nogil:
        status = n1c_rice_encode(src, n, &out_view[0], cap, &out_len)
    _check(status, "rice encode")
    return bytes(out_view[:out_len])


#: Most symbols per payload byte of the coders with a minimum cost per symbol
#: (the Python coders' max_count and the checks below share them).
RICE_SYMBOLS_PER_BYTE = 8           # every code takes at least one bit
RANGE_SYMBOLS_PER_BYTE = 8 * 700    # the likeliest symbol of an adaptive model still costs > 1/700 bit
COUNT_SLACK_BYTES = 16             # both checks allow a few bytes of slack


def rice_decode(const uint8_t[::1] payload, Py_ssize_t count):
    """Decode `count` symbols written by rice_encode."""
    _check_count(count, payload.shape[0], RICE_SYMBOLS_PER_BYTE, "rice decode")
    out = np.empty(count, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t *dst = &out_view[0] if count else NULL
    cdef int status = 0
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    with nogil:
        status = n1c_rice_decode(src, length, dst, <size_t>count)
    _check(status, "rice decode")
    return out


def range_encode(const uint16_t[::1] symbols, int order=0):
    """Adaptive range code (order-0 or order-1 model) of zigzag-folded uint16 symbols."""
    cdef size_t n = symbols.shape[0]
    # Real streams fit in 4 bytes per symbol; only adversarial input needs the
    # worst-case bound (14 bytes per symbol), so try the small buffer first.
    cdef size_t cap = n * 4 + 64
    cdef size_t out_len = 0
    cdef int status = 0
    cdef const uint16_t *src = &symbols[0] if n else NULL
    cdef uint8_t[::1] out_view
    while True:
        out = bytearray(cap)
        out_view = out
        with nogil:
            status = n1c_range_encode(src, n, order, &out_view[0], cap, &out_len)
        if status != -3 or cap >= n1c_range_bound(n):
            break
        cap = n1c_range_bound(n)
    _check(status, "range encode")
    return bytes(out_view[:out_len])


def range_decode(const uint8_t[::1] payload, Py_ssize_t count, int order=0):
    """Decode `count` symbols written by range_encode with the same order."""
    _check_count(count, payload.shape[0], RANGE_SYMBOLS_PER_BYTE, "range decode")
    out = np.empty(count, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t *dst = &out_view[0] if count else NULL
    cdef int status = 0
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    with nogil:
        status = n1c_range_decode(src, length, order, dst, <size_t>count)
    _check(status, "range decode")
    return out


def rans_encode(const uint16_t[::1] symbols):
    """Static rANS code (frequency table in-stream) of zigzag-folded uint16 symbols."""
    cdef size_t n = symbols.shape[0]
    cdef size_t cap = n1c_rans_bound(n) + 1
    cdef size_t out_len = 0
    cdef int status = 0
    out = bytearray(cap)
    cdef uint8_t[::1] out_view = out
    cdef const uint16_t *src = &symbols[0] if n else NULL
    with nogil:
        status = n1c_rans_encode(src, n, &out_view[0], cap, &out_len)
    _check(status, "rans encode")
    return bytes(out_view[:out_len])


def rans_decode(const uint8_t[::1] payload, Py_ssize_t count):
    """Decode `count` symbols written by rans_encode."""
    # A one-symbol stream costs nothing per symbol, so the payload cannot bound the count.
    _check_count(count, payload.shape[0], 0, "rans decode")
    out = np.empty(count, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t *dst = &out_view[0] if count else NULL
    cdef int status = 0
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    with nogil:
        status = n1c_rans_decode(src, length, dst, <size_t>count)
    _check(status, "rans decode")
    return out
