"""The flagship n1 codec: lossless on synthetic, random and real data; hostile payloads
raise the N1CodecError hierarchy. (That the C core gives the same bytes at -O0 and -O3 is
checked in test_c_core.py, which builds it once per flag set.)"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import n1codec
from n1codec import errors
from n1codec.codecs.registry import coder_class

from conftest import dev_files, needs_dev_data

LEVELS = ("fast", "default", "max")


def _coder(level):
    return coder_class("n1")(level=level)


def _adc10(codes):
    codes = np.clip(np.asarray(codes, dtype=np.int64), 0, 1023)
    return ((codes * 65535 - 32768 * 1023) / 1023).astype(np.int64).astype(np.int16)


def _n1_like(n, seed=0):
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(0, 3, n)) * 0.2 + 40 * np.sin(np.arange(n) / 300)
    return _adc10(np.round(512 + walk - (walk.mean() if n else 0)))


def _roundtrip(x, level):
    coder = _coder(level)
    symbols = np.ascontiguousarray(x, dtype=np.int16).view(np.uint16)
    payload = coder.encode(symbols)
    assert isinstance(payload, bytes)
    back = coder.decode(payload, len(symbols))
    assert back.dtype == np.uint16
    np.testing.assert_array_equal(back, symbols)
    return payload


def test_registered_with_levels():
    cls = coder_class("n1")
    assert cls is not None and cls.params["level"].choices == LEVELS
    assert n1codec.api.get_codec("n1:max") is not None
    with pytest.raises(errors.InvalidInputError):
        cls(level="turbo")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 1000, 70000, 140001])
def test_roundtrip_synthetic(level, n):
    payload = _roundtrip(_n1_like(n, seed=n), level)
    if n >= 70000:
        assert len(payload) < n  # well under 8 bits a sample on ADC-like data


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("kind", ["constant", "extremes", "noise", "ramp", "off-grid"])
def test_roundtrip_edge_signals(level, kind):
    rng = np.random.default_rng(5)
    n = 50000
    x = {
        "constant": np.full(n, -77, dtype=np.int16),
        "extremes": rng.choice(np.array([-32768, 32767], dtype=np.int16), n),
        "noise": rng.integers(-32768, 32768, n).astype(np.int16),
        "ramp": (np.arange(n) % 65536 - 32768).astype(np.int16),
        "off-grid": _n1_like(n, 3),
    }[kind]
    if kind == "off-grid":
        x = x.copy()
        x[::101] += 1  # samples off the ADC grid go through the escape path
    payload = _roundtrip(x, level)
    blocks = -(-n // 65536)
    assert len(payload) <= 2 * n + 2 + 4 * blocks  # never more than a few bytes over raw


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.int16, st.integers(0, 3000)), st.sampled_from(LEVELS))
def test_roundtrip_hypothesis(x, level):
    payload = _roundtrip(x, level)
    assert len(payload) <= 2 * len(x) + 6


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 1023), min_size=1, max_size=2000), st.sampled_from(LEVELS))
def test_roundtrip_hypothesis_adc_codes(codes, level):
    _roundtrip(_adc10(codes), level)


@pytest.mark.parametrize("level", LEVELS)
def test_truncated_and_corrupt_payloads_raise(level):
    x = _n1_like(20000, 9)
    coder = _coder(level)
    payload = coder.encode(x.view(np.uint16))
    for cut in (0, 1, 2, 3, 10, len(payload) // 2, len(payload) - 1):
        with pytest.raises(errors.CorruptDataError):
            coder.decode(payload[:cut], len(x))
    with pytest.raises(errors.CorruptDataError):
        coder.decode(payload + b"\0", len(x))
    with pytest.raises(errors.CorruptDataError):
        coder.decode(payload, len(x) + 1)
    rng = np.random.default_rng(1)
    for _ in range(50):
        bad = bytearray(payload)
        pos = int(rng.integers(0, len(bad)))
        bad[pos] ^= 1 << int(rng.integers(0, 8))
        try:
            out = coder.decode(bytes(bad), len(x))
        except errors.N1CodecError:
            continue
        assert not np.array_equal(out, x.view(np.uint16))  # never silently "right"
    future = bytearray(payload)
    future[0] = (future[0] & 0x0F) | 0xF0
    with pytest.raises(errors.UnsupportedFeatureError):
        coder.decode(bytes(future), len(x))
    with pytest.raises(errors.InvalidInputError):
        coder.decode(payload, -1)


def test_fast_level_is_the_table_coder():
    # the stream's level field says which coder wrote it: 3 = table-driven fast level
    x = _n1_like(50000, 4)
    heads = {level: _roundtrip(x, level)[0] & 15 for level in LEVELS}
    assert heads == {"fast": 3, "default": 1, "max": 2}


def test_fast_level_shifts_wide_residuals():
    # no ADC grid (16-bit audio-like walk): residuals are shifted, not escaped
    rng = np.random.default_rng(2)
    x = np.clip(np.cumsum(rng.normal(0, 300, 60000)), -32768, 32767).astype(np.int16)
    payload = _roundtrip(x, "fast")
    assert len(payload) < 1.5 * len(x)


def test_two_dimensional_through_the_api():
    x = np.stack([_n1_like(30000, s) for s in range(3)], axis=1)
    for spec in ("n1", "n1:fast", "n1:max"):
        blob = n1codec.encode(x, codec=spec)
        np.testing.assert_array_equal(n1codec.decode(blob), x)


@needs_dev_data
@pytest.mark.parametrize("level", LEVELS)
def test_real_recordings_lossless_and_ratio(level):
    files = dev_files(limit=8)
    spec = "n1" if level == "default" else f"n1:{level}"
    total_in = total_out = 0
    for path in files:
        wav = path.read_bytes()
        blob = n1codec.encode_wav_bytes(wav, codec=spec)
        assert n1codec.decode_to_wav_bytes(blob) == wav
        total_in += len(wav)
        total_out += len(blob)
    # measured over the whole dev split: fast ~3.48, default ~3.56, max ~3.56;
    # a small sample varies by a few percent
    assert total_in / total_out > 3.3
