"""CRC-32: the C core's n1_crc32 (through _native.crc32) and the container's sample
CRC give zlib.crc32's value on any buffer, length, alignment and running start."""
from __future__ import annotations

import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from n1codec import _native, container


def test_known_answers():
    assert _native.crc32(np.frombuffer(b"123456789", np.uint8)) == 0xCBF43926
    assert _native.crc32(np.zeros(0, np.uint8)) == 0
    assert _native.crc32(np.frombuffer(b"56789", np.uint8), _native.crc32(
        np.frombuffer(b"1234", np.uint8))) == 0xCBF43926


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(min_size=0, max_size=5000), st.integers(0, 15), st.integers(0, 2**32 - 1))
def test_same_as_zlib_at_any_length_alignment_and_start(data, offset, start):
    # copy behind `offset` bytes of padding so the buffer starts at every alignment
    buf = np.zeros(len(data) + offset, np.uint8)
    buf[offset:] = np.frombuffer(data, np.uint8)
    view = buf[offset:]
    assert _native.crc32(view) == zlib.crc32(data)
    assert _native.crc32(view, start) == zlib.crc32(data, start)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.integers(0, 3), st.integers(1, 1 << 18), st.integers(0, 2**32 - 1))
def test_same_as_zlib_on_long_random_buffers(seed, n, start):
    data = np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8)
    assert _native.crc32(data, start) == zlib.crc32(data.tobytes(), start)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(0, 2000), st.integers(1, 4), st.sampled_from(["<i2", ">i2"]), st.booleans())
def test_sample_crc_is_the_crc_of_little_endian_interleaved_bytes(frames, channels, dtype, fortran):
    rng = np.random.default_rng(frames * 7 + channels)
    x = rng.integers(-32768, 32768, (frames, channels)).astype(dtype)
    if fortran:
        x = np.asfortranarray(x)
    expected = zlib.crc32(np.ascontiguousarray(x, dtype="<i2").tobytes())
    assert container.sample_crc32(x) == expected
    assert container.sample_crc32(x) == _native.crc32(np.ascontiguousarray(x, "<i2").reshape(-1).view(np.uint8))


def test_dispatch_is_reported():
    # True on x86 CPUs with carry-less multiplication (the container then uses ours),
    # False elsewhere (zlib's); both paths give the values checked above
    assert _native.crc32_accelerated() in (True, False)
