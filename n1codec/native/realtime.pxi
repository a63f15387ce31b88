# The real-time framed mode (csrc/realtime/rt.h): one packet per frame of all channels.
from libc.stdlib cimport malloc, free

cdef extern from "realtime/rt.h":
    ctypedef struct n1c_rt_config:
        uint32_t channels
        uint32_t frame_samples
        uint32_t resync_interval
        uint32_t predictor
        int adc_kind
        int adc_bits
    ctypedef struct n1c_rt_tables:
        pass
    ctypedef struct n1c_rt_encoder:
        pass
    ctypedef struct n1c_rt_decoder:
        pass
    ctypedef struct n1c_rt_packet_info:
        uint32_t frame
        uint32_t missing
        int resync
        int result
    int N1C_RT_FRAME_DECODED, N1C_RT_FRAME_SKIPPED, N1C_RT_FRAME_STALE
    int N1C_RT_MAX_CHANNELS, N1C_RT_MAX_FRAME_SAMPLES, N1C_RT_MAX_FRAME_VALUES
    int n1c_rt_config_check(const n1c_rt_config *c) nogil
    size_t n1c_rt_tables_size() nogil
    int n1c_rt_tables_init(n1c_rt_tables *t, int adc_kind, int adc_bits) nogil
    size_t n1c_rt_channel_state_size() nogil
    size_t n1c_rt_packet_bound(const n1c_rt_config *c) nogil
    size_t n1c_rt_encoder_size(const n1c_rt_config *c) nogil
    int n1c_rt_encoder_init(n1c_rt_encoder *e, size_t mem_size, const n1c_rt_config *c,
                          const n1c_rt_tables *t) nogil
    int n1c_rt_encode_frame(n1c_rt_encoder *e, const int16_t *frame, uint8_t *out, size_t cap,
                          size_t *out_len) nogil
    uint32_t n1c_rt_encoder_frame(const n1c_rt_encoder *e) nogil
    size_t n1c_rt_decoder_size(const n1c_rt_config *c) nogil
    int n1c_rt_decoder_init(n1c_rt_decoder *d, size_t mem_size, const n1c_rt_config *c,
                          const n1c_rt_tables *t) nogil
    int n1c_rt_packet_length(const uint8_t *p, size_t length, size_t *packet_len) nogil
    int n1c_rt_decode_packet(n1c_rt_decoder *d, const uint8_t *p, size_t length, int16_t *out,
                           n1c_rt_packet_info *info) nogil

cdef extern from "n1/n1_adc.h":
    ctypedef struct n1_adc_map:
        int kind
        int bits
        int32_t ncodes
    void n1_adc_detect(const int16_t *x, size_t n, n1_adc_map *m) nogil

REALTIME_FRAME_DECODED = N1C_RT_FRAME_DECODED
REALTIME_FRAME_SKIPPED = N1C_RT_FRAME_SKIPPED
REALTIME_FRAME_STALE = N1C_RT_FRAME_STALE


def realtime_channel_state_size():
    """Bytes of model state the real-time mode keeps per channel."""
    return n1c_rt_channel_state_size()


def realtime_tables_size():
    """Bytes of the shared, read-only coding tables (one set per ADC grid)."""
    return n1c_rt_tables_size()


def adc_detect(const int16_t[::1] samples):
    """(kind, bits) of the coarsest ADC grid every sample lies on (n1_adc.h)."""
    cdef n1_adc_map m
    cdef size_t n = samples.shape[0]
    cdef const int16_t *src = &samples[0] if n else NULL
    with nogil:
        n1_adc_detect(src, n, &m)
    return m.kind, m.bits


def realtime_packet_length(const uint8_t[::1] data):
    """Length of the packet at the start of `data` (header + payload + CRC)."""
    cdef size_t plen = 0
    cdef int status
    cdef const uint8_t *src = _bytes_ptr(data)
    cdef size_t length = data.shape[0]
    with nogil:
        status = n1c_rt_packet_length(src, length, &plen)
    _check(status, "realtime packet")
    return plen


cdef int _make_config(n1c_rt_config *c, channels, frame_samples, resync_interval, predictor,
                      adc_kind, adc_bits) except -1:
    for name, value in (("channels", channels), ("frame_samples", frame_samples),
                        ("resync_interval", resync_interval), ("predictor", predictor),
                        ("adc_kind", adc_kind), ("adc_bits", adc_bits)):
        if not 0 <= value < 2**31:
            raise _errors.InvalidInputError(f"realtime config: {name}={value} is out of range")
    c.channels = channels
    c.frame_samples = frame_samples
    c.resync_interval = resync_interval
    c.predictor = predictor
    c.adc_kind = adc_kind
    c.adc_bits = adc_bits
    _check(n1c_rt_config_check(c),
           f"realtime config (channels={channels}, frame_samples={frame_samples}, "
           f"resync_interval={resync_interval}, predictor={predictor}, adc=({adc_kind}, {adc_bits}))")
    return 0


cdef class _RealtimeBase:
    """Shared parts: the config, the tables, a guard against concurrent calls."""
    cdef n1c_rt_config cfg
    cdef n1c_rt_tables *tables
    cdef void *state
    cdef bint busy

    def __dealloc__(self):
        free(self.tables)
        free(self.state)

    cdef int _setup(self, channels, frame_samples, resync_interval, predictor, adc_kind,
                    adc_bits, bint encoder) except -1:
        _make_config(&self.cfg, channels, frame_samples, resync_interval, predictor, adc_kind,
                     adc_bits)
        cdef size_t size = n1c_rt_encoder_size(&self.cfg) if encoder else n1c_rt_decoder_size(&self.cfg)
        self.tables = <n1c_rt_tables *>malloc(n1c_rt_tables_size())
        self.state = malloc(size)
        if self.tables == NULL or self.state == NULL:
            raise _errors.NativeMemoryError("realtime: cannot allocate the coder state")
        cdef int status
        with nogil:
            status = n1c_rt_tables_init(self.tables, self.cfg.adc_kind, self.cfg.adc_bits)
            if status == 0:
                if encoder:
                    status = n1c_rt_encoder_init(<n1c_rt_encoder *>self.state, size, &self.cfg,
                                               self.tables)
                else:
                    status = n1c_rt_decoder_init(<n1c_rt_decoder *>self.state, size, &self.cfg,
                                               self.tables)
        _check(status, "realtime init")
        return 0

    cdef int _enter(self) except -1:
        if self.busy:
            raise _errors.InvalidInputError(
                "realtime: this coder is already in use by another thread")
        self.busy = True
        return 0

    @property
    def packet_bound(self):
        """No packet is longer than this many bytes."""
        return n1c_rt_packet_bound(&self.cfg)


cdef class RealtimeEncoder(_RealtimeBase):
    """C encoder state: encode(frame) -> packet bytes (frame: frame_samples x channels int16)."""

    def __cinit__(self, channels, frame_samples, resync_interval, predictor, adc_kind, adc_bits):
        self._setup(channels, frame_samples, resync_interval, predictor, adc_kind, adc_bits, True)

    @property
    def frame(self):
        """Counter of the next frame."""
        return n1c_rt_encoder_frame(<n1c_rt_encoder *>self.state)

    def encode(self, const int16_t[:, ::1] frame):
        if frame.shape[0] != self.cfg.frame_samples or frame.shape[1] != self.cfg.channels:
            raise _errors.InvalidInputError(
                f"realtime encode: frame shape ({frame.shape[0]}, {frame.shape[1]}) is not "
                f"({self.cfg.frame_samples}, {self.cfg.channels}) (samples x channels)")
        cdef size_t cap = n1c_rt_packet_bound(&self.cfg)
        out = bytearray(cap)
        cdef uint8_t[::1] out_view = out
        cdef size_t out_len = 0
        cdef int status
        self._enter()
        try:
            with nogil:
                status = n1c_rt_encode_frame(<n1c_rt_encoder *>self.state, &frame[0, 0],
                                           &out_view[0], cap, &out_len)
        finally:
            self.busy = False
        _check(status, "realtime encode")
        return bytes(out_view[:out_len])


cdef class RealtimeDecoder(_RealtimeBase):
    """C decoder state: decode(packet, out) -> (result, frame, missing, resync)."""

    def __cinit__(self, channels, frame_samples, resync_interval, predictor, adc_kind, adc_bits):
        self._setup(channels, frame_samples, resync_interval, predictor, adc_kind, adc_bits, False)

    def decode(self, const uint8_t[::1] packet, int16_t[:, ::1] out):
        """Decode one packet into out (frame_samples x channels). Errors raise; the
        result code says whether out was written (REALTIME_FRAME_*)."""
        if out.shape[0] != self.cfg.frame_samples or out.shape[1] != self.cfg.channels:
            raise _errors.InvalidInputError("realtime decode: output has the wrong shape")
        cdef n1c_rt_packet_info info
        cdef int status
        cdef const uint8_t *src = _bytes_ptr(packet)
        cdef size_t length = packet.shape[0]
        if src == NULL:
            raise _errors.TruncatedDataError("realtime decode: empty packet")
        self._enter()
        try:
            with nogil:
                status = n1c_rt_decode_packet(<n1c_rt_decoder *>self.state, src, length,
                                            &out[0, 0], &info)
        finally:
            self.busy = False
        _check(status, "realtime decode")
        return info.result, info.frame, info.missing, bool(info.resync)
