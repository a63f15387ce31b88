"""Spec: a coder refuses a declared symbol count its stream cannot honestly hold, before
anything is allocated for it, wherever its format guarantees a minimum cost per symbol
(issue 18, decompression bombs): rice (a bit a symbol), huffman with two or more used
symbols (a bit a symbol), range (the likeliest symbol still costs > 1/700 bit), the n1
stream's block framing (at most 16384 samples a byte), and the zero-run and plain RLE
stages (runs may not expand beyond the length the pipeline expects). Streams that are
legitimately tiny still decode: a constant channel, a single-symbol huffman table, long
runs. rans and bwtc have no such bound (a constant stream costs them almost nothing)."""
from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

import n1codec
from n1codec import _native, container
from n1codec.errors import CorruptDataError, TruncatedDataError
from n1codec.pipeline import parse_spec
from n1codec.varint import encode_uvarint

HUGE = 1 << 28  # the bomb: 268 M frames, 512 MB of samples


def _file(spec: str, payload: bytes, frames: int, channels: int = 1) -> bytes:
    header = container.Header(spec=spec, sample_rate=0, channels=channels, frames=frames, crc32=0)
    return container.pack(header, payload)


def _refused_fast_and_small(blob: bytes, match: str) -> None:
    """n1codec.decode refuses the file with CorruptDataError, in well under a second and
    without allocating anything near the declared size."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(CorruptDataError, match=match):
            n1codec.decode(blob)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5  # generous for a busy machine; the bomb took ~15 s
    assert peak < 16 << 20, f"allocated {peak} bytes before refusing"


def _noise(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(-300, 300, n).astype(np.int16)


# -- coders with a minimum cost per symbol -----------------------------------------------------

@pytest.mark.parametrize("spec", ["rice", "delta+rice", "huffman", "delta+huffman", "range", "range:1",
                                  "n1", "n1:fast", "n1:max"])
def test_a_count_the_payload_cannot_hold_is_refused_before_allocating(spec):
    payload = parse_spec(spec).encode(_noise(64).view(np.uint16).reshape(-1, 1))
    _refused_fast_and_small(_file(spec, payload, HUGE), "cannot hold")


def test_the_bound_is_checked_for_every_channel_before_the_output_is_allocated():
    pipeline = parse_spec("rice")
    payload = pipeline.encode(_noise(128).view(np.uint16).reshape(-1, 2))
    _refused_fast_and_small(_file("rice", payload, HUGE // 2, channels=2), "cannot hold")


def test_the_coder_bound_says_how_many_symbols_and_bytes():
    pipeline = parse_spec("rice")
    with pytest.raises(TruncatedDataError, match=r"rice: a stream of 3 bytes cannot hold 25 symbols \(at most 24\)"):
        pipeline.decode_channel(b"\x00\x00\x00", 25)


@pytest.mark.parametrize("coder,per_byte", [("rice", 8), ("n1", 16384)])
def test_bounds_follow_the_stream_length(coder, per_byte):
    c = parse_spec(coder).coder
    overhead = 2 if coder == "n1" else 0
    assert c.max_count(bytes(overhead + 10)) == 10 * per_byte


def test_huffman_bound_reads_the_table():
    two = _native.huffman_encode(np.array([1, 2] * 50, dtype=np.uint16))
    most = _native.huffman_max_count(two)
    assert 100 <= most <= 8 * len(two)
    one = _native.huffman_encode(np.full(1000, 7, dtype=np.uint16))
    assert _native.huffman_max_count(one) is None  # a single symbol costs no data bits
    assert _native.huffman_max_count(b"") == 0
    with pytest.raises(TruncatedDataError):
        _native.huffman_max_count(b"\x00")


def test_the_c_rice_decoder_refuses_more_symbols_than_bits_up_front():
    with pytest.raises(TruncatedDataError):
        _native.rice_decode(bytes(2), 17 + 16 * 8)  # the binding's own check has 16 bytes of slack


# -- legitimate extremes still decode ------------------------------------------------------------

@pytest.mark.parametrize("spec", ["rice", "huffman", "delta+huffman", "range", "range:1", "rans", "bwtc",
                                  "n1", "n1:fast", "n1:max", "bwt+mtf+rle+huffman", "rle1+huffman"])
def test_a_constant_channel_still_decodes(spec):
    x = np.full(300_000, -5, dtype=np.int16)
    blob = n1codec.encode(x, codec=spec)
    np.testing.assert_array_equal(n1codec.decode(blob), x)


@pytest.mark.parametrize("level", ["fast", "default", "max"])
def test_n1_streams_stay_within_the_framing_bound(level):
    """The tightest n1 streams (constant, and stored noise) hold far fewer than 16384 samples a byte."""
    coder = parse_spec(f"n1:{level}").coder
    for x in (np.zeros(200_000, dtype=np.int16), _noise(70_000, 1) * 100):
        payload = coder.encode(x.view(np.uint16))
        assert x.size <= coder.max_count(payload)
        np.testing.assert_array_equal(coder.decode(payload, x.size).view(np.int16), x)


def test_a_single_symbol_huffman_table_holds_any_count():
    payload = parse_spec("huffman").encode(np.full((1_000_000, 1), 3, dtype=np.uint16))
    assert len(payload) < 16
    out = parse_spec("huffman").decode(payload, 1_000_000, 1)
    assert (out == 3).all()


# -- run-length stages never expand beyond the expected length -----------------------------------

def test_zero_runs_that_expand_beyond_the_expected_length_are_refused():
    # 30 RUNB digits are a run of 2^31 - 2 zeros: the stage used to allocate 2 GB for it.
    runs = _native.huffman_encode(np.full(30, 1, dtype=np.uint16))
    payload = encode_uvarint(30) + runs
    _refused_fast_and_small(_file("rle+huffman", payload, 10), "expand beyond 20 bytes")


def test_plain_runs_that_expand_beyond_the_expected_length_are_refused():
    stream = np.frombuffer(bytes([9, 9, 9, 9, 251]) * 40, dtype=np.uint8)  # 40 x 255 bytes
    payload = encode_uvarint(stream.size) + _native.huffman_encode(stream.astype(np.uint16))
    _refused_fast_and_small(_file("rle1+huffman", payload, 100), "beyond 200")


def test_long_legitimate_runs_still_decode():
    x = np.zeros(1_000_000, dtype=np.int16)
    x[::250_000] = 1
    for spec in ("bwt+mtf+rle+huffman", "rle1+huffman", "mtf+rle+rice"):
        np.testing.assert_array_equal(n1codec.decode(n1codec.encode(x, codec=spec)), x)
