# Transform family: BWT (SA-IS), MTF, run-length coding, the 5/3 wavelet, and the bwtc coder.
from libc.stdlib cimport malloc, free

cdef extern from "transform/bwt.h":
    size_t n1c_bwt_work_size(size_t n) nogil
    size_t n1c_bwt_decode_work_size(size_t n, uint32_t k) nogil
    int n1c_bwt_encode_u8(const uint8_t *inp, size_t n, uint8_t *out, uint32_t *primary,
                          int32_t *work) nogil
    int n1c_bwt_decode_u8(const uint8_t *inp, size_t n, uint32_t primary, uint8_t *out,
                          uint32_t *work) nogil

cdef extern from "transform/mtf.h":
    void n1c_mtf_encode_u8(const uint8_t *inp, size_t n, uint8_t *out) nogil
    void n1c_mtf_decode_u8(const uint8_t *inp, size_t n, uint8_t *out) nogil

cdef extern from "transform/rle.h":
    int n1c_zrle_encode_u8(const uint8_t *inp, size_t n, uint16_t *out, size_t cap,
                           size_t *out_len) nogil
    int n1c_zrle_decoded_length(const uint16_t *inp, size_t m, uint64_t limit, uint64_t *n) nogil
    int n1c_zrle_decode_u8(const uint16_t *inp, size_t m, uint8_t *out, size_t n) nogil
    size_t n1c_rle_bound(size_t n) nogil
    int n1c_rle_encode(const uint8_t *inp, size_t n, uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_rle_decode(const uint8_t *inp, size_t m, uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_rle_decoded_length(const uint8_t *inp, size_t m, size_t *n) nogil

cdef extern from "transform/wavelet53.h":
    int n1c_wavelet53_forward(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp) nogil
    int n1c_wavelet53_inverse(uint16_t *data, size_t n, unsigned levels, uint16_t *tmp) nogil

cdef extern from "transform/bwt_chain.h":
    ctypedef struct n1c_bwtc_params:
        unsigned block_log
        unsigned tables
        unsigned group
        unsigned iterations
        unsigned direct_log
        unsigned mantissa
    void n1c_bwtc_default_params(n1c_bwtc_params *p) nogil
    size_t n1c_bwtc_bound(size_t n) nogil
    int n1c_bwtc_encode(const uint16_t *samples, size_t n, const n1c_bwtc_params *params,
                        uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1c_bwtc_decode(const uint8_t *inp, size_t length, uint16_t *out, size_t n) nogil

#: Longest byte stream the BWT accepts (its suffix array uses int32 indices).
BWT_MAX_LENGTH = 0x7ffffff0


def bwt_encode(const uint8_t[::1] data):
    """Burrows-Wheeler transform of bytes: (last column without '$', primary index)."""
    cdef size_t n = data.shape[0]
    cdef uint32_t primary = 0
    cdef int status = 0
    if n > BWT_MAX_LENGTH:
        raise _errors.InputTooLargeError(f"bwt: {n} bytes exceed the limit of {BWT_MAX_LENGTH}")
    out = np.empty(n, dtype=np.uint8)
    if n == 0:
        return out, 0
    cdef uint8_t[::1] out_view = out
    cdef int32_t *work = <int32_t *>malloc(n1c_bwt_work_size(n) * sizeof(int32_t))
    if work == NULL:
        raise _errors.NativeMemoryError("bwt encode: out of memory")
    try:
        with nogil:
            status = n1c_bwt_encode_u8(&data[0], n, &out_view[0], &primary, work)
    finally:
        free(work)
    _check(status, "bwt encode")
    return out, primary


def bwt_decode(const uint8_t[::1] data, uint64_t primary):
    """Inverse of bwt_encode; an inconsistent column or index raises CorruptDataError."""
    cdef size_t n = data.shape[0]
    cdef int status = 0
    if n > BWT_MAX_LENGTH:
        raise _errors.InputTooLargeError(f"bwt: {n} bytes exceed the limit of {BWT_MAX_LENGTH}")
    if primary > n or (n > 0 and primary == 0) or (n == 0 and primary != 0):
        raise _errors.CorruptDataError(f"bwt decode: primary index {primary} out of range for {n} bytes")
    out = np.empty(n, dtype=np.uint8)
    if n == 0:
        return out
    cdef uint8_t[::1] out_view = out
    cdef uint32_t p = <uint32_t>primary
    cdef uint32_t *work = <uint32_t *>malloc(n1c_bwt_decode_work_size(n, 256) * sizeof(uint32_t))
    if work == NULL:
        raise _errors.NativeMemoryError("bwt decode: out of memory")
    try:
        with nogil:
            status = n1c_bwt_decode_u8(&data[0], n, p, &out_view[0], work)
    finally:
        free(work)
    _check(status, "bwt decode")
    return out


def mtf_encode(const uint8_t[::1] data):
    """Move-to-front indices of bytes (list starts 0..255)."""
    cdef size_t n = data.shape[0]
    out = np.empty(n, dtype=np.uint8)
    cdef uint8_t[::1] out_view = out
    if n:
        with nogil:
            n1c_mtf_encode_u8(&data[0], n, &out_view[0])
    return out


def mtf_decode(const uint8_t[::1] data):
    """Inverse of mtf_encode (every byte string is valid)."""
    cdef size_t n = data.shape[0]
    out = np.empty(n, dtype=np.uint8)
    cdef uint8_t[::1] out_view = out
    if n:
        with nogil:
            n1c_mtf_decode_u8(&data[0], n, &out_view[0])
    return out


def zrle_encode(const uint8_t[::1] data):
    """bzip2's zero-run code of bytes: RUNA=0, RUNB=1, byte v>0 -> v+1 (uint16 symbols)."""
    cdef size_t n = data.shape[0]
    cdef size_t m = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    if n:
        with nogil:
            status = n1c_zrle_encode_u8(&data[0], n, &out_view[0], n, &m)
    _check(status, "rle encode")
    return out[:m].copy()


def zrle_decode(const uint16_t[::1] symbols, uint64_t limit):
    """Inverse of zrle_encode; refuses streams that expand beyond `limit` bytes."""
    cdef size_t m = symbols.shape[0]
    cdef uint64_t n = 0
    cdef int status = 0
    cdef const uint16_t *src = &symbols[0] if m else NULL
    with nogil:
        status = n1c_zrle_decoded_length(src, m, limit, &n)
    if status == -7:
        raise _errors.CorruptDataError(f"rle decode: the runs expand beyond {limit} bytes")
    _check(status, "rle decode")
    out = np.empty(n, dtype=np.uint8)
    cdef uint8_t[::1] out_view = out
    cdef uint8_t *dst = &out_view[0] if n else NULL
    with nogil:
        status = n1c_zrle_decode_u8(src, m, dst, <size_t>n)
    _check(status, "rle decode")
    return out


def rle1_encode(const uint8_t[::1] data):
    """bzip2's first stage: after 4 equal bytes a count byte (0..251) of further copies."""
    cdef size_t n = data.shape[0]
    cdef size_t cap = n1c_rle_bound(n)
    cdef size_t m = 0
    cdef int status = 0
    out = np.empty(cap, dtype=np.uint8)
    cdef uint8_t[::1] out_view = out
    if n:
        with nogil:
            status = n1c_rle_encode(&data[0], n, &out_view[0], cap, &m)
    _check(status, "rle1 encode")
    return out[:m].copy()


def rle1_decode(const uint8_t[::1] data, limit=None):
    """Inverse of rle1_encode (sized by a counting pass: at most 51 times the input);
    refuses streams that expand beyond `limit` bytes (None: no limit) before allocating."""
    cdef size_t m = data.shape[0]
    cdef size_t n = 0
    cdef size_t got = 0
    cdef int status = 0
    cdef const uint8_t *src = _bytes_ptr(data)
    with nogil:
        status = n1c_rle_decoded_length(src, m, &n)
    _check(status, "rle1 decode")
    if limit is not None and n > limit:
        raise _errors.CorruptDataError(f"rle1 decode: the runs expand to {n} bytes, beyond {limit}")
    out = np.empty(n, dtype=np.uint8)
    cdef uint8_t[::1] out_view = out
    cdef uint8_t *dst = &out_view[0] if n else NULL
    with nogil:
        status = n1c_rle_decode(src, m, dst, n, &got)
    _check(status, "rle1 decode")
    return out


def wavelet53_forward(const uint16_t[::1] data, unsigned levels):
    """Integer 5/3 lifting wavelet, `levels` levels, Mallat layout, modulo 2^16."""
    cdef size_t n = data.shape[0]
    cdef int status = 0
    out = np.array(data, dtype=np.uint16, copy=True)
    tmp = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t[::1] tmp_view = tmp
    if n:
        with nogil:
            status = n1c_wavelet53_forward(&out_view[0], n, levels, &tmp_view[0])
    _check(status, "wavelet forward")
    return out


def wavelet53_inverse(const uint16_t[::1] data, unsigned levels):
    """Inverse of wavelet53_forward."""
    cdef size_t n = data.shape[0]
    cdef int status = 0
    out = np.array(data, dtype=np.uint16, copy=True)
    tmp = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t[::1] tmp_view = tmp
    if n:
        with nogil:
            status = n1c_wavelet53_inverse(&out_view[0], n, levels, &tmp_view[0])
    _check(status, "wavelet inverse")
    return out


def bwtc_encode(const uint16_t[::1] samples, unsigned block_log=20, unsigned tables=3,
                unsigned group=100, unsigned iterations=2):
    """The bwtc coder: value table, BWT, MTF, zero-run RLE, multi-table Huffman."""
    cdef size_t n = samples.shape[0]
    cdef n1c_bwtc_params params
    n1c_bwtc_default_params(&params)
    params.block_log = block_log
    params.tables = tables
    params.group = group
    params.iterations = iterations
    cdef size_t cap = n1c_bwtc_bound(n)
    cdef size_t out_len = 0
    cdef int status = 0
    out = bytearray(cap)
    cdef uint8_t[::1] out_view = out
    cdef const uint16_t *src = &samples[0] if n else NULL
    with nogil:
        status = n1c_bwtc_encode(src, n, &params, &out_view[0], cap, &out_len)
    _check(status, "bwtc encode")
    return bytes(out_view[:out_len])


def bwtc_decode(const uint8_t[::1] payload, Py_ssize_t count):
    """Decode `count` uint16 samples from a bwtc stream."""
    if count < 0:
        raise _errors.InvalidInputError("bwtc decode: negative sample count")
    out = np.empty(count, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef uint16_t *dst = &out_view[0] if count else NULL
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    cdef int status = 0
    with nogil:
        status = n1c_bwtc_decode(src, length, dst, <size_t>count)
    _check(status, "bwtc decode")
    return out
