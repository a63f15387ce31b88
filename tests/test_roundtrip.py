"""Spec: every sample array and every WAV file comes back bit for bit, with its dtype and shape."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import n1codec
from conftest import dev_files, needs_dev_data

FOUNDATION_CODECS = ["huffman", "delta+huffman", "delta:2+huffman", "delta:3+huffman", "delta:0+huffman",
                     "huff", "delta_huff"]


@pytest.mark.parametrize("codec", FOUNDATION_CODECS)
def test_synthetic_mono_round_trip(codec, synthetic_samples):
    blob = n1codec.encode(synthetic_samples, codec=codec)
    back = n1codec.decode(blob)
    assert back.dtype == np.int16 and back.shape == synthetic_samples.shape
    np.testing.assert_array_equal(back, synthetic_samples)


@pytest.mark.parametrize("codec", ["huffman", "delta+huffman"])
def test_multichannel_round_trip(codec):
    from n1codec.tools import synthetic
    samples = synthetic.n1_like(seconds=0.5, seed=3, channels=4)
    back = n1codec.decode(n1codec.encode(samples, codec=codec))
    assert back.shape == (len(samples), 4)
    np.testing.assert_array_equal(back, samples)


def test_two_d_single_channel_keeps_its_shape():
    samples = np.arange(-50, 50, dtype=np.int16).reshape(-1, 1)
    assert n1codec.decode(n1codec.encode(samples)).shape == (100, 1)


def test_delta_huffman_compresses_synthetic_n1_data(synthetic_samples):
    blob = n1codec.encode(synthetic_samples, codec="delta+huffman")
    assert len(blob) < synthetic_samples.nbytes / 2.3


def test_wav_round_trip_is_byte_exact(synthetic_wav):
    blob = n1codec.encode_wav_bytes(synthetic_wav)
    assert n1codec.decode_to_wav_bytes(blob) == synthetic_wav
    header = n1codec.info(blob)
    assert header.is_wav and header.sample_rate == 19531 and header.original_size == len(synthetic_wav)


@needs_dev_data
@pytest.mark.parametrize("path", dev_files(limit=20), ids=lambda p: p.name[:8])
def test_real_recordings_round_trip(path, tmp_path):
    n1 = tmp_path / "rec.n1"
    out = tmp_path / "rec.wav"
    n1codec.compress_file(path, n1, codec="delta+huffman")
    n1codec.decompress_file(n1, out)
    assert out.read_bytes() == path.read_bytes()
    assert n1.stat().st_size * 2.5 < path.stat().st_size


int16_arrays = hnp.arrays(
    dtype=np.int16,
    shape=st.one_of(hnp.array_shapes(min_dims=1, max_dims=1, min_side=0, max_side=3000),
                    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)),
    elements=st.integers(-32768, 32767))


@settings(max_examples=150, deadline=None)
@given(samples=int16_arrays, codec=st.sampled_from(["huffman", "delta+huffman", "delta:3+huffman"]))
def test_any_int16_array_round_trips(samples, codec):
    back = n1codec.decode(n1codec.encode(samples, codec=codec))
    assert back.shape == samples.shape and back.dtype == np.int16
    np.testing.assert_array_equal(back, samples)


@pytest.mark.parametrize("samples", [
    np.zeros(0, np.int16),
    np.array([-32768], np.int16),
    np.full(10000, 32767, np.int16),
    np.array([-32768, 32767] * 500, np.int16),
    np.arange(-32768, 32768, dtype=np.int64).astype(np.int16),  # every value once
], ids=["empty", "one", "constant", "extremes-alternating", "all-values"])
@pytest.mark.parametrize("codec", ["huffman", "delta+huffman", "delta:3+huffman"])
def test_edge_cases_round_trip(samples, codec):
    np.testing.assert_array_equal(n1codec.decode(n1codec.encode(samples, codec=codec)), samples)


def test_constant_signal_costs_almost_nothing():
    blob = n1codec.encode(np.full(100000, 123, np.int16), codec="huffman")
    assert len(blob) < 40


@pytest.mark.parametrize("bad, message", [
    (np.zeros(10, np.float32), "int16"),
    (np.zeros(10, np.int32), "int16"),
    (np.zeros((2, 2, 2), np.int16), "2-D"),
    (np.zeros((5, 0), np.int16), "channel"),
    (np.array(["a"], dtype=object), "int16"),
])
def test_wrong_input_is_a_clear_error(bad, message):
    with pytest.raises(n1codec.InvalidInputError, match=message):
        n1codec.encode(bad)


def test_errors_are_also_builtin_exceptions():
    with pytest.raises(TypeError):
        n1codec.encode(np.zeros(3, np.float64))
    with pytest.raises(ValueError):
        n1codec.decode(b"not an n1 file")


@pytest.mark.parametrize("spec, message", [
    ("nonsense", "unknown codec"),
    ("huffman+delta", "must end with a coder"),
    ("huffman+huffman", "may only come last"),
    ("delta:7+huffman", "must be one of"),
    ("delta(order=x)+huffman", "must be int"),
    ("delta(nope=1)+huffman", "unknown parameter"),
    ("", "non-empty"),
])
def test_bad_codec_specs_are_clear_errors(spec, message):
    with pytest.raises(n1codec.N1CodecError, match=message):
        n1codec.encode(np.zeros(4, np.int16), codec=spec)


def test_specs_are_canonical():
    from n1codec.pipeline import parse_spec
    assert parse_spec("delta_huff").spec == "delta+huffman"
    assert parse_spec("delta:1+huffman").spec == "delta+huffman"
    assert parse_spec(" delta ( order = 2 ) + huffman ").spec == "delta:2+huffman"
    blob = n1codec.encode(np.arange(10, dtype=np.int16), codec="delta(order=3)+huffman")
    assert n1codec.info(blob).spec == "delta:3+huffman"
