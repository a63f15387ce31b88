# Predict family (csrc/predict/): delta of order 0..3 modulo 2^16, fixed polynomial (per block), LPC, LMS, and the adc value-table stage.
cdef extern from "predict/delta.h":
    int n1c_delta_encode(const uint16_t *inp, uint16_t *out, size_t n, int order) nogil
    int n1c_delta_decode(const uint16_t *inp, uint16_t *out, size_t n, int order) nogil


def delta_encode(const uint16_t[::1] samples, int order=1):
    """Order-`order` differences of uint16 sample patterns, modulo 2^16."""
    out = np.empty(samples.shape[0], dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef size_t n = samples.shape[0]
    cdef int status = 0
    if n:
        with nogil:
            status = n1c_delta_encode(&samples[0], &out_view[0], n, order)
    _check(status, "delta encode")
    return out


def delta_decode(const uint16_t[::1] residuals, int order=1):
    """Inverse of delta_encode."""
    out = np.empty(residuals.shape[0], dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef size_t n = residuals.shape[0]
    cdef int status = 0
    if n:
        with nogil:
            status = n1c_delta_decode(&residuals[0], &out_view[0], n, order)
    _check(status, "delta decode")
    return out


# Fixed polynomial (per block), LPC, LMS, and the adc value-table stage.
cdef extern from "predict/fixed.h":
    size_t n1c_fixed_side_size(size_t n, size_t block) nogil
    int n1c_fixed_encode(const uint16_t *inp, uint16_t *res, size_t n, size_t block, uint8_t *side,
                         size_t side_cap, size_t *side_len) nogil
    int n1c_fixed_decode(const uint8_t *side, size_t side_len, const uint16_t *res, uint16_t *out,
                         size_t n, size_t block) nogil

cdef extern from "predict/lpc.h":
    size_t n1c_lpc_side_bound(size_t n, size_t block) nogil
    int n1c_lpc_encode(const uint16_t *inp, uint16_t *res, size_t n, size_t block, int max_order,
                       int precision, uint8_t *side, size_t side_cap, size_t *side_len) nogil
    int n1c_lpc_decode(const uint8_t *side, size_t side_len, size_t *side_used, const uint16_t *res,
                       uint16_t *out, size_t n, size_t block) nogil

cdef extern from "predict/lms.h":
    int n1c_lms_encode(const uint16_t *inp, uint16_t *res, size_t n, int variant, int order,
                       int mu_shift) nogil
    int n1c_lms_decode(const uint16_t *res, uint16_t *out, size_t n, int variant, int order,
                       int mu_shift) nogil

cdef extern from "predict/adc.h":
    size_t N1C_ADC_SIDE_MAX
    int n1c_adc_encode(const uint16_t *inp, size_t n, uint16_t *codes, uint8_t *side,
                       size_t side_cap, size_t *side_len) nogil
    int n1c_adc_decode(const uint8_t *side, size_t side_len, size_t *side_used,
                       const uint16_t *codes, uint16_t *out, size_t n) nogil


cdef inline uint16_t *_u16_ptr(uint16_t[::1] view):
    """Address of a uint16 view's data, NULL for an empty view (never indexed then)."""
    return &view[0] if view.shape[0] > 0 else NULL


cdef inline const uint16_t *_cu16_ptr(const uint16_t[::1] view):
    return &view[0] if view.shape[0] > 0 else NULL


cdef _check_side_used(size_t used, size_t length, str what):
    if used != length:
        raise _errors.CorruptDataError(f"{what}: {length - used} unexpected bytes after the side info")


def fixed_encode(const uint16_t[::1] samples, Py_ssize_t block):
    """Per-block fixed polynomial residuals (orders 0..3); returns (residuals, side bytes)."""
    if block < 1:
        raise _errors.InvalidInputError(f"fixed: block must be >= 1, got {block}")
    cdef size_t n = samples.shape[0]
    cdef size_t cap = n1c_fixed_side_size(n, <size_t>block)
    cdef size_t side_len = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    side = bytearray(cap + 1)
    cdef uint16_t[::1] out_view = out
    cdef uint8_t[::1] side_view = side
    cdef const uint16_t *src = _cu16_ptr(samples)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_fixed_encode(src, dst, n, <size_t>block, &side_view[0], cap, &side_len)
    _check(status, "fixed encode")
    return out, bytes(side_view[:side_len])


def fixed_decode(const uint16_t[::1] residuals, const uint8_t[::1] side, Py_ssize_t block):
    """Inverse of fixed_encode."""
    if block < 1:
        raise _errors.InvalidInputError(f"fixed: block must be >= 1, got {block}")
    cdef size_t n = residuals.shape[0]
    cdef int status = 0
    if <size_t>side.shape[0] != n1c_fixed_side_size(n, <size_t>block):
        raise _errors.CorruptDataError("fixed decode: side info has the wrong length for the stream")
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef const uint8_t *side_ptr = _bytes_ptr(side)
    cdef size_t side_len = side.shape[0]
    cdef const uint16_t *src = _cu16_ptr(residuals)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_fixed_decode(side_ptr, side_len, src, dst, n, <size_t>block)
    _check(status, "fixed decode")
    return out


def lpc_encode(const uint16_t[::1] samples, Py_ssize_t block, int max_order, int precision):
    """Per-block LPC residuals; returns (residuals, side bytes with orders and coefficients)."""
    if block < 1:
        raise _errors.InvalidInputError(f"lpc: block must be >= 1, got {block}")
    cdef size_t n = samples.shape[0]
    cdef size_t cap = n1c_lpc_side_bound(n, <size_t>block)
    cdef size_t side_len = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    side = bytearray(cap + 1)
    cdef uint16_t[::1] out_view = out
    cdef uint8_t[::1] side_view = side
    cdef const uint16_t *src = _cu16_ptr(samples)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_lpc_encode(src, dst, n, <size_t>block, max_order, precision, &side_view[0],
                                cap, &side_len)
    _check(status, "lpc encode")
    return out, bytes(side_view[:side_len])


def lpc_decode(const uint16_t[::1] residuals, const uint8_t[::1] side, Py_ssize_t block):
    """Inverse of lpc_encode."""
    if block < 1:
        raise _errors.InvalidInputError(f"lpc: block must be >= 1, got {block}")
    cdef size_t n = residuals.shape[0]
    cdef size_t used = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef const uint8_t *side_ptr = _bytes_ptr(side)
    cdef size_t side_len = side.shape[0]
    cdef const uint16_t *src = _cu16_ptr(residuals)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_lpc_decode(side_ptr, side_len, &used, src, dst, n, <size_t>block)
    _check(status, "lpc decode")
    _check_side_used(used, side.shape[0], "lpc decode")
    return out


def lms_encode(const uint16_t[::1] samples, int variant, int order, int mu_shift):
    """Adaptive LMS residuals (variant 0 sign-sign, 1 NLMS, 2 cascade); no side info."""
    cdef size_t n = samples.shape[0]
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef const uint16_t *src = _cu16_ptr(samples)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_lms_encode(src, dst, n, variant, order, mu_shift)
    _check(status, "lms encode")
    return out


def lms_decode(const uint16_t[::1] residuals, int variant, int order, int mu_shift):
    """Inverse of lms_encode."""
    cdef size_t n = residuals.shape[0]
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef const uint16_t *src = _cu16_ptr(residuals)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_lms_decode(src, dst, n, variant, order, mu_shift)
    _check(status, "lms decode")
    return out


def adc_encode(const uint16_t[::1] samples):
    """Samples to indices into their sorted table of distinct values; returns (codes, side)."""
    cdef size_t n = samples.shape[0]
    cdef size_t side_len = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    side = bytearray(N1C_ADC_SIDE_MAX)
    cdef uint16_t[::1] out_view = out
    cdef uint8_t[::1] side_view = side
    cdef const uint16_t *src = _cu16_ptr(samples)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_adc_encode(src, n, dst, &side_view[0], N1C_ADC_SIDE_MAX, &side_len)
    _check(status, "adc encode")
    return out, bytes(side_view[:side_len])


def adc_decode(const uint16_t[::1] codes, const uint8_t[::1] side):
    """Inverse of adc_encode."""
    cdef size_t n = codes.shape[0]
    cdef size_t used = 0
    cdef int status = 0
    out = np.empty(n, dtype=np.uint16)
    cdef uint16_t[::1] out_view = out
    cdef const uint8_t *side_ptr = _bytes_ptr(side)
    cdef size_t side_len = side.shape[0]
    cdef const uint16_t *src = _cu16_ptr(codes)
    cdef uint16_t *dst = _u16_ptr(out_view)
    with nogil:
        status = n1c_adc_decode(side_ptr, side_len, &used, src, dst, n)
    _check(status, "adc decode")
    _check_side_used(used, side.shape[0], "adc decode")
    return out
