# Delta predictor of order 0..3, modulo 2^16.
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
