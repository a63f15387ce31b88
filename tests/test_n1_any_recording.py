"""n1 on any int16 recording (issue 10): adversarial and lattice-shaped inputs round-trip
at the model levels, value grids that the first stream format did not know are coded in
stream format 2, real multichannel recordings from other systems round-trip, and the
frozen format-2 streams still decode."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import errors
from n1codec.codecs.registry import coder_class

from conftest import REPO_ROOT
from make_format_fixtures import mains_hum

LEVELS = ("default", "max")
EPHYS = Path(REPO_ROOT.parent / "shared" / "ephys-data" / "dev")
FIXTURES_V2 = Path(__file__).parent / "fixtures" / "n1_stream_v2"
FIXTURES_V4 = Path(__file__).parent / "fixtures" / "n1_stream_v4"


def _walk(n, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(0, 3, n)) * scale + 60 * np.sin(np.arange(n) / 200)


def _adversarial(kind, n=40000):
    rng = np.random.default_rng(11)
    i = np.arange(n)
    walk = _walk(n, 12)
    signals = {
        "constant": lambda: np.full(n, 1234),
        "square_full_scale": lambda: np.where((i // 50) % 2 == 0, 32767, -32768),
        "alternating_extremes": lambda: np.where(i % 2 == 0, -32768, 32767),
        "white_noise_full_range": lambda: rng.integers(-32768, 32768, n),
        "clipping": lambda: np.clip(walk * 400, -32768, 32767),
        "dc_steps": lambda: walk + np.where(i > n // 3, 9000, 0) - np.where(i > 2 * n // 3, 15000, 0),
        "gaps_of_zeros": lambda: np.where((i // 3000) % 3 == 1, 0, walk * 20),
        "small_range_codes": lambda: np.clip(np.round(walk / 4), -512, 511),
        "gcd_lattice": lambda: np.round(walk / 4) * 12 + 5,
        "uneven_lattice": lambda: np.trunc(np.round(walk / 4) * 24.37),
    }
    return np.asarray(signals[kind](), dtype=np.float64).round().astype(np.int16)


KINDS = ("constant", "square_full_scale", "alternating_extremes", "white_noise_full_range",
         "clipping", "dc_steps", "gaps_of_zeros", "small_range_codes", "gcd_lattice",
         "uneven_lattice")


def _roundtrip(x, level):
    coder = coder_class("n1")(level=level)
    patterns = np.ascontiguousarray(x, dtype=np.int16).view(np.uint16)
    payload = coder.encode(patterns)
    np.testing.assert_array_equal(coder.decode(payload, len(patterns)), patterns)
    return payload


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("kind", KINDS)
def test_adversarial_inputs_roundtrip_within_the_raw_bound(kind, level):
    x = _adversarial(kind)
    payload = _roundtrip(x, level)
    blocks = -(-len(x) // 65536)
    assert len(payload) <= 2 * len(x) + 2 + 4 * blocks


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("kind", ["small_range_codes", "gcd_lattice", "uneven_lattice"])
def test_value_grids_use_stream_format_2_and_code_compactly(kind, level):
    x = _adversarial(kind)
    payload = _roundtrip(x, level)
    assert payload[0] >> 4 == 2
    # codes on a grid cost about what the same walk costs as plain integers (a table
    # grid pays for its description in the header: ~1 bit a value)
    plain = _roundtrip(np.round(_walk(len(x), 12) / 4).astype(np.int16) * 1 + 3001, level)
    assert len(payload) <= 1.03 * len(plain)


@pytest.mark.parametrize("level", LEVELS)
def test_plain_codes_code_as_well_as_stretched_codes(level):
    codes = np.clip(np.round(512 + _walk(60000, 13) / 3), 0, 1023).astype(np.int64)
    stretched = ((codes * 65535 - 32768 * 1023) / 1023).astype(np.int64).astype(np.int16)
    plain = (codes - 512).astype(np.int16)
    a, b = len(_roundtrip(stretched, level)), len(_roundtrip(plain, level))
    assert b <= 1.01 * a


def test_full_range_signal_no_longer_saturates_the_predictor():
    # a smooth full-range 16-bit signal: scaling it up by 16 must not cost much more
    # than the 4 bits a sample the scale itself adds
    base = np.round(_walk(50000, 14) * 0.5).astype(np.int64)
    small = np.clip(base, -32768, 32767).astype(np.int16)
    big = np.clip(base * 16, -32768, 32767).astype(np.int16)
    a, b = len(_roundtrip(small, "default")), len(_roundtrip(big, "default"))
    assert (b - a) * 8 / len(base) < 4.3


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(-32768, 32767), st.integers(1, 300), st.integers(2, 4000),
       st.integers(1, 5000), st.sampled_from(LEVELS))
def test_random_lattices_roundtrip(x0, step, k, n, level):
    rng = np.random.default_rng(x0 & 0xffff)
    k = min(k, (32767 - x0) // step + 1)
    codes = np.clip(np.cumsum(rng.integers(-3, 4, n)) + k // 2, 0, k - 1)
    _roundtrip((x0 + step * codes).astype(np.int16), level)


@pytest.mark.parametrize("level", LEVELS)
def test_corrupt_format_2_streams_raise(level):
    payload = _roundtrip(_adversarial("uneven_lattice", 20000), level)
    assert payload[0] >> 4 == 2
    coder = coder_class("n1")(level=level)
    for cut in (1, 2, 3, 5, 9, len(payload) // 2, len(payload) - 1):
        with pytest.raises(errors.N1CodecError):
            coder.decode(payload[:cut], 20000)
    rng = np.random.default_rng(3)
    for _ in range(50):
        bad = bytearray(payload)
        bad[int(rng.integers(0, len(bad)))] ^= 1 << int(rng.integers(0, 8))
        try:
            out = coder.decode(bytes(bad), 20000)
        except errors.N1CodecError:
            continue
        assert not np.array_equal(out, np.ascontiguousarray(
            _adversarial("uneven_lattice", 20000)).view(np.uint16))


def _ephys_files():
    return sorted(EPHYS.glob("*.npy")) if EPHYS.is_dir() else []


@pytest.mark.skipif(not _ephys_files(), reason=f"real ephys recordings not found at {EPHYS}")
@pytest.mark.parametrize("spec", ["n1", "n1:max"])
def test_real_multichannel_recordings_roundtrip(spec):
    for path in _ephys_files():
        a = np.load(path, mmap_mode="r")
        part = np.ascontiguousarray(a[:20000, :6])  # a slice of each keeps the test short
        blob = n1codec.encode(part, codec=spec)
        np.testing.assert_array_equal(n1codec.decode(blob), part)
        assert len(blob) < part.nbytes


def _fixture_names():
    return sorted(p.stem for p in FIXTURES_V2.glob("*.n1")) if FIXTURES_V2.is_dir() else []


@pytest.mark.parametrize("name", _fixture_names())
def test_frozen_format_2_streams_still_decode(name):
    expected = np.load(FIXTURES_V2 / f"{name}.npy")
    blob = (FIXTURES_V2 / f"{name}.n1").read_bytes()
    np.testing.assert_array_equal(n1codec.decode(blob), expected)


def test_format_2_fixtures_exist():
    assert len(_fixture_names()) >= 4


# -- n1:max's third stage (stream format 4) -------------------------------------------


def test_max_level_third_stage_wins_on_mains_hum_as_format_4():
    x = mains_hum()
    payload = _roundtrip(x, "max")
    assert payload[0] >> 4 == 4 and payload[0] & 15 == 2
    assert payload[3] == 0x34  # 256 taps (16 << 4), step 8 (1 << 3)
    assert len(payload) < len(_roundtrip(x, "default"))


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_max_level_writes_format_4(kind):
    assert _roundtrip(_adversarial(kind, 20000), "default")[0] >> 4 in (1, 2)


def test_corrupt_third_stage_headers_raise():
    x = mains_hum()
    payload = _roundtrip(x, "max")
    coder = coder_class("n1")(level="max")
    for index, value in ((3, 0x05), (3, 0x84), (3, 0xFF), (0, 0x32), (0, 0x52), (0, 0x43)):
        bad = bytearray(payload)
        bad[index] = value  # taps 512, step 256, both; joint's nibble 3; version 5; table level
        with pytest.raises(errors.N1CodecError):
            coder.decode(bytes(bad), len(x))
    for cut in (1, 3, 4, 6):
        with pytest.raises(errors.N1CodecError):
            coder.decode(payload[:cut], len(x))


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES_V4.glob("*.n1")))
def test_frozen_format_4_streams_still_decode(name):
    expected = np.load(FIXTURES_V4 / f"{name}.npy")
    blob = (FIXTURES_V4 / f"{name}.n1").read_bytes()
    np.testing.assert_array_equal(n1codec.decode(blob), expected)
