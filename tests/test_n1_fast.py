"""The n1:fast level (csrc/n1/n1_fast.c): lossless on hostile input, no escape storms,
version-2 streams written, version-1 streams still read.

A fast-level stream starts with one byte [version:4 | level:4]: level 3 is the
table coder; version 2 (segments, per-block predictor, shift from a residual
histogram, rail table) is what the encoder writes now, version 1 what it wrote
before (frozen in tests/fixtures/format_v1, still decoded).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import n1codec
from n1codec import _native, errors

from conftest import dev_files, needs_dev_data

FIXTURES = Path(__file__).parent / "fixtures" / "format_v1"
FAST, DEFAULT = 0, 1
BLOCK = 65536


def _adc10(codes):
    """Samples of a 10-bit N1-style ADC ("stretch" grid) from codes 0..1023 (clipped)."""
    codes = np.clip(np.asarray(codes, dtype=np.int64), 0, 1023)
    num = codes * 65535 - 32768 * 1023
    return (np.sign(num) * (np.abs(num) // 1023)).astype(np.int16)  # truncation, as the ADC


def _roundtrip(x):
    x = np.ascontiguousarray(x, dtype=np.int16)
    stream = _native.n1_encode(x, FAST)
    np.testing.assert_array_equal(_native.n1_decode(stream, len(x)), x)
    return stream


def _wide_walk(n, step, seed):
    """10-bit codes whose first differences often exceed the +-63 of one symbol."""
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(0, step, n))
    walk -= np.linspace(0, walk[-1], n)  # pinned ends keep it inside the grid
    return _adc10(np.round(512 + 400 * np.tanh(walk / 400)))


def _wide_ar1(n, scale, seed):
    """10-bit codes of a stationary AR(1) process (pole 0.9) whose innovations have
    standard deviation `scale` codes: wide, often clipped first differences."""
    rng = np.random.default_rng(seed)
    e = rng.normal(0, scale, n)
    a = np.empty(n)
    acc = 0.0
    for i in range(n):  # plain loop: no scipy needed
        acc = 0.9 * acc + e[i]
        a[i] = acc
    return _adc10(np.round(512 + a))


ADVERSARIAL = {
    "full_scale_noise": lambda n: np.random.default_rng(1).integers(-32768, 32768, n).astype(np.int16),
    "grid_noise": lambda n: _adc10(np.random.default_rng(2).integers(0, 1024, n)),
    "constant_zero": lambda n: np.zeros(n, np.int16),
    "constant_min": lambda n: np.full(n, -32768, np.int16),
    "constant_max": lambda n: np.full(n, 32767, np.int16),
    "alternating_extremes": lambda n: np.where(np.arange(n) % 2, 32767, -32768).astype(np.int16),
    "alternating_grid_ends": lambda n: _adc10(np.where(np.arange(n) % 2, 1023, 0)),
    "wide_walk": lambda n: _wide_walk(n, 90, 3),
    "full_scale_sine": lambda n: _adc10(np.round(511.5 + 511.5 * np.sin(np.arange(n) / 7.0))),
    "clipped_sine": lambda n: _adc10(np.round(512 + 3000 * np.sin(np.arange(n) / 500.0))),
    "audio_walk": lambda n: np.clip(np.cumsum(np.random.default_rng(4).normal(0, 300, n)),
                                    -32768, 32767).astype(np.int16),
    "grid_with_off_grid_samples": lambda n: np.where(
        np.arange(n) % 97 == 5, np.int16(12345), _wide_walk(n, 5, 6)).astype(np.int16),
}


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 9, 4095, 4097, BLOCK - 1, BLOCK, BLOCK + 1, 150001])
def test_adversarial_roundtrip(kind, n):
    _roundtrip(ADVERSARIAL[kind](n))


def test_writes_version_2_streams():
    stream = _roundtrip(_wide_walk(20000, 3, 7))
    assert stream[0] == 0x23  # version 2, level 3 (table coder)
    assert _native.n1_encode(_wide_walk(20000, 3, 7), DEFAULT)[0] == 0x11  # model levels: version 1


@pytest.mark.parametrize("name", ["mono_n1-fast", "noise_n1-fast"])
def test_version_1_fast_streams_still_decode(name):
    blob = (FIXTURES / f"{name}.n1").read_bytes()
    header = n1codec.info(blob)
    stream = blob[header.payload_offset:]
    assert stream[0] == 0x13  # written by the first table coder: version 1
    np.testing.assert_array_equal(n1codec.decode(blob), np.load(FIXTURES / f"{name}.npy"))


def test_unknown_versions_are_refused():
    stream = bytearray(_roundtrip(_wide_walk(5000, 3, 8)))
    for head in (0x33, 0x21, 0x22, 0xF3):  # version 3; version 2 with a model level; version 15
        stream[0] = head
        with pytest.raises(errors.N1CodecError):
            _native.n1_decode(bytes(stream), 5000)


@pytest.mark.parametrize("scale, wide_share", [(30, 0.03), (60, 0.25), (100, 0.45)])
def test_no_escape_storm_on_wide_amplitudes(scale, wide_share):
    # a share of first differences beyond +-63 codes (each one an escape costing 16
    # raw bits in the first table coder): the blocks shift instead, so fast stays
    # within 5% of the model level and well below 16 bits a sample
    x = _wide_ar1(150000, scale, scale)
    codes = (x.astype(np.int64) * 1023 + 32768 * 1023) // 65535
    assert np.mean(np.abs(np.diff(codes)) > 63) > wide_share
    fast, default = len(_roundtrip(x)), len(_native.n1_encode(x, DEFAULT))
    assert fast <= 1.05 * default, (fast, default)
    assert 8 * fast / len(x) < 10.5


def test_clipped_signal_uses_the_rail_table():
    # a signal that sits on the ADC's rails for long runs: within 5% of the model level
    x = ADVERSARIAL["clipped_sine"](200000)
    fast, default = len(_roundtrip(x)), len(_native.n1_encode(x, DEFAULT))
    assert fast <= 1.05 * default, (fast, default)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(hnp.arrays(np.int16, st.integers(0, 3000)),
       st.sampled_from([1, 64, 1024]))
def test_any_int16_array_roundtrips(values, scale):
    # scale: the same shapes spread over few codes (a coarse grid is detected) or all
    _roundtrip((values.astype(np.int64) // scale * scale).astype(np.int16))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.data())
def test_corrupt_streams_raise_or_roundtrip(data):
    x = _wide_walk(3000, 8, 9)
    stream = bytearray(_native.n1_encode(x, FAST))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(stream) - 1))
        stream[pos] ^= data.draw(st.integers(1, 255))
    try:
        back = _native.n1_decode(bytes(stream), len(x))
    except errors.N1CodecError:
        return
    assert back.shape == x.shape  # decoded something of the right size, never crashed


@needs_dev_data
def test_dev_files_no_file_far_above_the_model_level():
    # the per-file bound: n1:fast at most 5% larger than n1 on every file
    # (whole container bytes); every 5th dev file keeps the test short
    worst = 0.0
    for path in dev_files()[::5]:
        wav = path.read_bytes()
        fast = len(n1codec.encode_wav_bytes(wav, codec="n1:fast"))
        default = len(n1codec.encode_wav_bytes(wav, codec="n1"))
        worst = max(worst, fast / default)
    assert worst <= 1.05, worst


@pytest.mark.parametrize("codec", ["n1:fast", "n1", "delta+huffman", "huffman"])
def test_decoded_arrays_are_writable(codec):
    # mono decode skips the copy into a 2-D array: the result must still be the
    # caller's own writable array, whatever the coder returned
    x = _wide_walk(3000, 3, 11)
    back = n1codec.decode(n1codec.encode(x, codec=codec))
    assert back.flags.writeable
    back[0] = 1
