"""Spec: the adaptive coders (rice, range/arith order 0 and 1, rans) round-trip any uint16
stream, compress skewed residuals close to their entropy, and refuse damaged payloads."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import n1codec
from n1codec.errors import CorruptDataError, InvalidInputError, N1CodecError, TruncatedDataError
from conftest import dev_files, needs_dev_data

CODERS = ["rice", "range", "range:1", "arith", "rans"]


def _coder(spec):
    from n1codec.pipeline import parse_spec
    return parse_spec(spec).coder


def _round_trip(spec, data):
    coder = _coder(spec)
    data = np.ascontiguousarray(data, dtype=np.uint16)
    payload = coder.encode(data)
    assert isinstance(payload, bytes)
    back = coder.decode(payload, len(data))
    np.testing.assert_array_equal(back, data)
    return payload


def laplace(n, scale, seed=0):
    rng = np.random.default_rng(seed)
    return np.round(rng.laplace(0, scale, n)).astype(np.int64).astype(np.int16).view(np.uint16)


EDGE = {
    "empty": np.zeros(0, np.uint16),
    "one": np.array([0x8000], np.uint16),
    "zeros": np.zeros(10000, np.uint16),
    "max": np.full(3000, 0xFFFF, np.uint16),
    "extremes": np.array([0x7FFF, 0x8000] * 2000, np.uint16),
    "all-values": np.arange(65536, dtype=np.uint16),
    "laplace": laplace(30000, 8.0),
    "wide": laplace(30000, 3000.0),
}


@pytest.mark.parametrize("spec", CODERS)
@pytest.mark.parametrize("case", list(EDGE))
def test_edge_cases_round_trip(spec, case):
    _round_trip(spec, EDGE[case])


@pytest.mark.parametrize("spec", CODERS)
def test_close_to_entropy_on_laplacian_residuals(spec):
    data = laplace(200000, 6.0, seed=2)
    _, counts = np.unique(data, return_counts=True)
    p = counts / counts.sum()
    entropy_bytes = -(p * np.log2(p)).sum() * len(data) / 8
    size = len(_round_trip(spec, data))
    slack = 1.10 if spec == "rice" else 1.02
    assert size < entropy_bytes * slack, (size, entropy_bytes)


def test_constant_streams_cost_almost_nothing():
    data = np.zeros(100000, np.uint16)
    assert len(_round_trip("rans", data)) < 12
    assert len(_round_trip("range", data)) < 64
    assert len(_round_trip("rice", data)) <= 100000 // 8 + 8


def test_order_one_is_a_different_stream():
    data = laplace(5000, 5.0)
    assert _coder("range:1").encode(data) != _coder("range").encode(data)
    assert _coder("arith").encode(data) == _coder("range").encode(data)


@pytest.mark.parametrize("spec", CODERS)
def test_truncated_payloads_raise(spec):
    data = laplace(5000, 20.0, seed=4)
    payload = _coder(spec).encode(data)
    for cut in sorted({0, 1, 2, 5, len(payload) // 2, len(payload) - 1}):
        with pytest.raises(CorruptDataError):
            _coder(spec).decode(payload[:cut], len(data))


@pytest.mark.parametrize("spec", CODERS)
def test_damaged_payloads_never_crash(spec):
    data = laplace(3000, 20.0, seed=5)
    payload = _coder(spec).encode(data)
    rng = np.random.default_rng(6)
    for _ in range(300):
        bad = bytearray(payload)
        for _ in range(int(rng.integers(1, 4))):
            bad[rng.integers(len(bad))] ^= int(rng.integers(1, 256))
        try:
            out = _coder(spec).decode(bytes(bad), len(data))
        except N1CodecError:
            continue
        assert len(out) == len(data)


@pytest.mark.parametrize("spec", ["rice", "range", "range:1"])
def test_absurd_counts_are_refused_before_allocating(spec):
    with pytest.raises(TruncatedDataError):
        _coder(spec).decode(b"\x00" * 10, 1 << 40)


@pytest.mark.parametrize("spec", CODERS)
def test_negative_count_is_an_error(spec):
    with pytest.raises(InvalidInputError):
        _coder(spec).decode(b"", -1)


@pytest.mark.parametrize("payload", [b"\x00", b"\x4d", b"\x01\x80\x80\x01\x00", b"\x01\xff\xff\xff\xff\xff\x01"])
def test_rans_bad_tables_raise(payload):
    with pytest.raises(CorruptDataError):
        _coder("rans").decode(payload, 10)


def test_range_order_must_be_0_or_1():
    with pytest.raises(InvalidInputError):
        n1codec.encode(np.zeros(4, np.int16), codec="range:2")


@settings(max_examples=150, deadline=None)
@given(data=hnp.arrays(np.uint16, st.integers(0, 4000), elements=st.integers(0, 65535)),
       spec=st.sampled_from(CODERS))
def test_any_uint16_stream_round_trips(data, spec):
    _round_trip(spec, data)


@settings(max_examples=100, deadline=None)
@given(payload=st.binary(max_size=200), count=st.integers(0, 2000), spec=st.sampled_from(CODERS))
def test_random_payloads_never_crash(payload, count, spec):
    try:
        out = _coder(spec).decode(payload, count)
    except N1CodecError:
        return
    assert len(out) == count


@settings(max_examples=60, deadline=None)
@given(samples=hnp.arrays(np.int16, st.integers(0, 2000), elements=st.integers(-32768, 32767)),
       spec=st.sampled_from(["rice", "range", "range:1", "rans", "delta+range", "adc+delta+rans"]))
def test_any_int16_array_round_trips_through_the_api(samples, spec):
    np.testing.assert_array_equal(n1codec.decode(n1codec.encode(samples, codec=spec)), samples)


@needs_dev_data
@pytest.mark.parametrize("path", dev_files(limit=5), ids=lambda p: p.name[:8])
@pytest.mark.parametrize("spec", ["adc+delta+range", "adc+delta+range:1", "adc+delta+rans", "adc+delta+rice",
                                  "delta+range"])
def test_real_recordings_round_trip(path, spec, tmp_path):
    out_n1, out_wav = tmp_path / "r.n1", tmp_path / "r.wav"
    n1codec.compress_file(path, out_n1, codec=spec)
    n1codec.decompress_file(out_n1, out_wav)
    assert out_wav.read_bytes() == path.read_bytes()
    if spec.startswith("adc"):
        assert out_n1.stat().st_size * 3.0 < path.stat().st_size
