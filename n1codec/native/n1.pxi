# The flagship n1 codec (csrc/n1/): one-shot encode/decode of one channel.
from libc.stdlib cimport malloc, free

cdef extern from "n1/n1.h":
    size_t n1_codec_bound(size_t count) nogil
    int n1_codec_encode(const int16_t *x, size_t count, int level,
                        uint8_t *out, size_t cap, size_t *out_len) nogil
    int n1_codec_decode(const uint8_t *inp, size_t length, int16_t *out, size_t count) nogil
    int n1_codec_encode_follow(const int16_t *x, size_t count, int level, const uint8_t *head,
                               size_t head_len, uint8_t *out, size_t cap, size_t *out_len) nogil


def n1_encode(const int16_t[::1] samples, int level=1, follow=None):
    """n1 stream of int16 samples; level 0 (fast), 1 (default) or 2 (max).

    follow: the first bytes of a stream of the same level (a model level's): this
    stream takes its format, model variant and stages instead of trying the
    candidates (csrc/n1/n1.h, n1_encoder_follow)."""
    cdef size_t n = samples.shape[0]
    cdef const uint8_t[::1] head_view
    cdef const uint8_t *head = NULL
    cdef size_t head_len = 0
    if follow is not None:
        head_view = bytes(follow)
        if head_view.shape[0] == 0:
            raise _errors.InvalidInputError("n1 encode: follow must be the start of an n1 stream, got no bytes")
        head = &head_view[0]
        head_len = head_view.shape[0]
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
            status = n1_codec_encode_follow(src, n, level, head, head_len, buf, cap, &out_len)
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


cdef extern from "n1/n1_columns.h":
    int n1_codec_decode_columns(const uint8_t **inp, const size_t *length, size_t count, size_t frames,
                                int16_t *out, size_t channels, size_t first, size_t *failed) nogil
    int n1_codec_encode_columns(const int16_t *x, size_t frames, size_t channels, size_t first,
                                size_t count, int level, const uint8_t **heads, const size_t *head_lens,
                                uint8_t *out, size_t cap, size_t *lens, size_t *failed) nogil


def n1_encode_columns(const int16_t[:, ::1] samples, Py_ssize_t first, Py_ssize_t count, int level=1,
                      follow=None):
    """n1 streams of channels first .. first + count - 1 of a C-ordered (frames x channels)
    int16 array, each exactly n1_encode's bytes (with follow[j], the stream head channel j
    follows, or None for its own trials), as a list of bytes."""
    cdef size_t frames = samples.shape[0], channels = samples.shape[1]
    if first < 0 or count < 0 or first + count > samples.shape[1]:
        raise _errors.InvalidInputError(
            f"n1 encode: channels {first}..{first + count - 1} are not in an array of {channels}")
    if follow is not None and len(follow) != count:
        raise _errors.InvalidInputError(f"n1 encode: {len(follow)} follow heads for {count} channels")
    if count == 0:
        return []
    heads_held = [None if h is None else bytes(h) for h in (follow or [None] * count)]
    if any(h is not None and len(h) == 0 for h in heads_held):
        raise _errors.InvalidInputError("n1 encode: follow must be the start of an n1 stream, got no bytes")
    cdef size_t one = n1_codec_bound(frames)
    if one > (<size_t>-1) // <size_t>count:
        raise _errors.InputTooLargeError("n1 encode: the channels' output would not fit in memory")
    cdef size_t cap = one * <size_t>count, failed = 0
    cdef uint8_t *buf = <uint8_t *>malloc(cap)
    cdef size_t *lens = <size_t *>malloc(count * sizeof(size_t))
    cdef const uint8_t **heads = <const uint8_t **>malloc(count * sizeof(uint8_t *))
    cdef size_t *head_lens = <size_t *>malloc(count * sizeof(size_t))
    cdef const uint8_t[::1] view
    cdef const int16_t *src = &samples[0, 0] if frames and channels else NULL
    cdef int status = 0
    cdef Py_ssize_t j
    cdef size_t pos = 0
    try:
        if buf == NULL or lens == NULL or heads == NULL or head_lens == NULL:
            raise _errors.NativeMemoryError(f"n1 encode: no memory for a {cap}-byte output buffer")
        for j in range(count):
            heads[j] = NULL
            head_lens[j] = 0
            if heads_held[j] is not None:
                view = heads_held[j]
                heads[j] = &view[0]
                head_lens[j] = view.shape[0]
        with nogil:
            status = n1_codec_encode_columns(src, frames, channels, first, count, level, heads, head_lens,
                                             buf, cap, lens, &failed)
        _check(status, f"n1 encode (channel {first + <Py_ssize_t>failed})")
        streams = []
        for j in range(count):
            streams.append((<char *>buf)[pos:pos + lens[j]])
            pos += lens[j]
        return streams
    finally:
        free(buf)
        free(lens)
        free(heads)
        free(head_lens)


def n1_decode_columns(streams, Py_ssize_t frames, int16_t[:, ::1] out, Py_ssize_t first=0):
    """Decode independent n1 streams (bytes-like, `frames` samples each) straight into
    channels first, first + 1, ... of `out` (frames x channels, C order)."""
    cdef Py_ssize_t count = len(streams), j
    if out.shape[0] != frames or first < 0 or first + count > out.shape[1]:
        raise _errors.InvalidInputError(
            f"n1 decode: {count} streams of {frames} samples from channel {first} do not fit "
            f"an array of shape {(out.shape[0], out.shape[1])}")
    if count == 0:
        return
    views = [memoryview(s).cast("B") for s in streams]  # held until the C call returns
    cdef const uint8_t **ptrs = <const uint8_t **>malloc(count * sizeof(uint8_t *))
    cdef size_t *lengths = <size_t *>malloc(count * sizeof(size_t))
    cdef const uint8_t[::1] view
    cdef size_t failed = 0
    cdef int status = 0
    try:
        if ptrs == NULL or lengths == NULL:
            raise _errors.NativeMemoryError(f"n1 decode: no memory for {count} stream pointers")
        for j in range(count):
            view = views[j]
            ptrs[j] = _bytes_ptr(view)
            lengths[j] = view.shape[0]
        with nogil:
            status = n1_codec_decode_columns(ptrs, lengths, count, frames, &out[0, 0] if frames else NULL,
                                             out.shape[1], first, &failed)
        _check(status, f"n1 decode (channel {first + <Py_ssize_t>failed})")
    finally:
        free(ptrs)
        free(lengths)


cdef extern from "n1/n1_joint.h":
    enum: N1_JOINT_HEAD
    ctypedef struct n1_joint_choice:
        uint8_t head[N1_JOINT_HEAD]
        uint8_t head_len
        uint8_t nref
        uint32_t back[2]
    size_t n1_joint_bound(size_t frames, size_t channels) nogil
    int n1_joint_choices(const uint8_t *inp, size_t length, size_t channels,
                         n1_joint_choice *choices) nogil
    int n1_joint_encode_follow(const int16_t *x, size_t frames, size_t channels, int level,
                               const n1_joint_choice *follow, uint8_t *out, size_t cap,
                               size_t *out_len) nogil
    int n1_joint_decode(const uint8_t *inp, size_t length, int16_t *out, size_t frames,
                        size_t channels) nogil


def n1_joint_choices_of(const uint8_t[::1] payload, Py_ssize_t channels):
    """What each channel of a joint stream chose, for n1_joint_encode_array(follow=...):
    per channel, bytes of its reference count (0..2), each reference as 4 bytes (little
    endian: channel - 1 - reference), then its stream's head (empty when no encoder
    follows that stream)."""
    if channels < 1:
        raise _errors.InvalidInputError("n1 joint choices: at least one channel is needed")
    cdef n1_joint_choice *choices = <n1_joint_choice *>malloc(channels * sizeof(n1_joint_choice))
    if choices == NULL:
        raise _errors.NativeMemoryError("n1 joint choices: no memory")
    cdef int status = 0
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    try:
        with nogil:
            status = n1_joint_choices(src, length, channels, choices)
        _check(status, "n1 joint choices")
        return [bytes([choices[c].nref])
                + b"".join(int(choices[c].back[i]).to_bytes(4, "little") for i in range(choices[c].nref))
                + bytes(choices[c].head[:choices[c].head_len])
                for c in range(channels)]
    finally:
        free(choices)


cdef void _fill_joint_choices(n1_joint_choice *choices, follow) except *:
    cdef Py_ssize_t c
    cdef bytes one
    cdef Py_ssize_t nref, start
    for c in range(len(follow)):
        one = bytes(follow[c])
        nref = one[0] if one else 3
        start = 1 + 4 * nref
        if nref > 2 or not start <= len(one) <= start + N1_JOINT_HEAD:
            raise _errors.InvalidInputError(
                f"n1 joint encode: follow[{c}] is not a joint choice (n1_joint_choices_of)")
        choices[c].nref = nref
        for i in range(nref):
            choices[c].back[i] = int.from_bytes(one[1 + 4 * i:5 + 4 * i], "little")
        choices[c].head_len = len(one) - start
        for i in range(len(one) - start):
            choices[c].head[i] = one[start + i]


def n1_joint_encode_array(const int16_t[:, ::1] samples, int level=1, follow=None):
    """Joint n1 stream of a C-ordered (frames x channels) int16 array (csrc/n1/n1_joint.h).

    follow: n1_joint_choices_of() of an earlier joint stream of the same channels: each
    channel codes with that model in one pass (n1_joint_encode_follow)."""
    cdef size_t frames = samples.shape[0], channels = samples.shape[1]
    if channels < 1:
        raise _errors.InvalidInputError("n1 joint encode: at least one channel is needed")
    if follow is not None and len(follow) != channels:
        raise _errors.InvalidInputError(f"n1 joint encode: {len(follow)} choices for {channels} channels")
    cdef size_t cap = n1_joint_bound(frames, channels)
    if cap == 0:
        raise _errors.InvalidInputError("n1 joint encode: the array is too large")
    cdef n1_joint_choice *choices = NULL
    cdef size_t out_len = 0
    cdef int status = 0
    out = bytearray(cap)
    cdef uint8_t[::1] out_view = out
    cdef const int16_t *src = &samples[0, 0] if frames else NULL
    try:
        if follow is not None:
            choices = <n1_joint_choice *>malloc(channels * sizeof(n1_joint_choice))
            if choices == NULL:
                raise _errors.NativeMemoryError("n1 joint encode: no memory")
            _fill_joint_choices(choices, follow)
        with nogil:
            status = n1_joint_encode_follow(src, frames, channels, level, choices, &out_view[0], cap,
                                            &out_len)
        _check(status, "n1 joint encode")
        return bytes(out_view[:out_len])
    finally:
        free(choices)


def n1_joint_decode_array(const uint8_t[::1] payload, Py_ssize_t frames, Py_ssize_t channels):
    """Decode a joint n1 stream into a (frames x channels) int16 array."""
    if frames < 0 or channels < 1:
        raise _errors.InvalidInputError("n1 joint decode: bad shape")
    out = np.empty((frames, channels), dtype=np.int16)
    cdef int16_t[:, ::1] out_view = out
    cdef int16_t *dst = &out_view[0, 0] if frames else NULL
    cdef const uint8_t *src = _bytes_ptr(payload)
    cdef size_t length = payload.shape[0]
    cdef size_t f = <size_t>frames, ch = <size_t>channels
    cdef int status = 0
    with nogil:
        status = n1_joint_decode(src, length, dst, f, ch)
    _check(status, "n1 joint decode")
    return out
