"""Spec for the codecs built on the field's libraries (dictionary, Blosc, audio) and for the
study's 24 row names: lossless on synthetic, random and real data; corrupt, truncated or
oversized payloads raise the N1CodecError hierarchy before anything large is allocated;
a missing library shows as unavailable and raises CodecUnavailableError."""
from __future__ import annotations

import os
import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import n1codec
from conftest import dev_files, needs_dev_data
from n1codec.codecs import registry
from n1codec.codecs.aliases import STUDY_ROWS
from n1codec.tools.study import STUDY_FIGURES
from n1codec.errors import (CodecUnavailableError, CorruptDataError, N1CodecError)
from n1codec.pipeline import parse_spec

#: Each library coder with its non-default variants worth covering.
LIBRARY_SPECS = [
    "zstd", "zstd:19", "lz4", "lz4hc", "zlib", "gzip", "lzma", "lzma(preset=9,extreme=true)", "bz2",
    "bzip3", "blosc:zstd", "blosc:lz4", "blosc:lz4hc", "blosc:zlib", "blosc:blosclz",
    "blosc(cname=zstd,typesize=2,shuffle=bit)", "blosc(cname=lz4,typesize=2,shuffle=byte,clevel=5)", "numcodecs_zstd", "flac", "flac:8", "wavpack",
    "wavpack:1", "wavpack(level=4,extra=6)", "lz4hc:12",
]
LIBRARY_CODERS = ["zstd", "lz4", "lz4hc", "zlib", "gzip", "lzma", "bz2", "bzip3", "blosc", "numcodecs_zstd",
                  "flac", "wavpack"]
STUDY_NAMES = ["huff", "delta_huff", "zstd", "delta_zstd", "blosc_zstd", "delta_blosc_zstd", "blosc_lz4",
               "delta_blosc_lz4", "blosc_lz4hc", "delta_blosc_lz4hc", "blosc_zlib", "delta_blosc_zlib",
               "gzip", "delta_gzip", "lzma", "delta_lzma", "lz4", "delta_lz4", "lstd_numcodec",
               "delta_lstd_numcodec", "bz2", "delta_bz2", "wavpack", "delta_wavpack"]
ALL_SPECS = LIBRARY_SPECS + [f"delta+{s}" for s in ("zstd", "bzip3", "flac")] + STUDY_NAMES


def _need(spec):
    pipeline = parse_spec(spec)
    if not pipeline.available():
        missing = [p.install_hint for p in pipeline.components if not p.available()]
        pytest.skip(f"{spec}: optional dependency missing ({'; '.join(missing)})")
    return pipeline


def _round_trip(samples, spec):
    back = n1codec.decode(n1codec.encode(samples, codec=spec))
    assert back.dtype == np.int16 and back.shape == samples.shape
    np.testing.assert_array_equal(back, samples)


# -- the study's table -----------------------------------------------------------


def test_study_table_has_all_24_rows_with_figures():
    assert list(STUDY_ROWS) == STUDY_NAMES
    assert set(STUDY_FIGURES) == set(STUDY_NAMES)


@pytest.mark.parametrize("row", STUDY_NAMES)
def test_study_row_resolves_to_its_pipeline(row):
    spec = STUDY_ROWS[row]
    assert parse_spec(row) == parse_spec(spec)
    if row != spec:
        assert registry.resolve_alias(row) == spec
    if row.startswith("delta_"):
        base = parse_spec(row[len("delta_"):])
        pipeline = parse_spec(row)
        assert [s.name for s in pipeline.stages] == ["delta"] + [s.name for s in base.stages]
        assert pipeline.stages[0].config == {"order": 1}
        assert pipeline.coder == base.coder


def test_library_coders_state_their_settings():
    for name in LIBRARY_CODERS:
        cls = registry.coder_class(name)
        assert cls is not None, name
        assert cls.description and cls.family in ("dictionary", "blosc", "audio")
        if cls.params:
            assert "default" in cls.description or "defaults" in cls.description, name


# -- round trips ----------------------------------------------------------------


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_synthetic_round_trip(spec, synthetic_samples):
    _need(spec)
    _round_trip(synthetic_samples, spec)


EDGE_CASES = {
    "empty": np.zeros(0, np.int16),
    "one": np.array([-3], np.int16),
    "fifteen": np.arange(15, dtype=np.int16) * 1000,
    "constant": np.full(5000, 1234, np.int16),
    "extremes": np.array([-32768, 32767, 0, -1, 1, -32768, -32768, 32767] * 300, np.int16),
    "two-d": np.arange(-3000, 3000, dtype=np.int16).reshape(-1, 3),
    "two-d-empty": np.zeros((0, 2), np.int16),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
@pytest.mark.parametrize("spec", LIBRARY_SPECS + ["delta_wavpack", "delta_lz4"])
def test_edge_cases_round_trip(spec, case):
    _need(spec)
    _round_trip(EDGE_CASES[case], spec)


_int16_arrays = st.one_of(
    hnp.arrays(np.int16, st.integers(0, 3000)),
    hnp.arrays(np.int16, st.tuples(st.integers(0, 600), st.integers(1, 3))),
    # N1-like: few distinct values, so dictionary coders find matches.
    hnp.arrays(np.int16, st.integers(1, 3000),
               elements=st.sampled_from([-32768, -2050, -1986, -64, 0, 63, 127, 32767])),
)


@pytest.mark.parametrize("spec", LIBRARY_CODERS + ["delta_blosc_lz4hc", "delta_wavpack"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples=_int16_arrays)
def test_random_int16_round_trip(spec, samples):
    _need(spec)
    _round_trip(samples, spec)


@needs_dev_data
@pytest.mark.parametrize("path", dev_files(limit=3), ids=lambda p: p.name[:8])
@pytest.mark.parametrize("spec", STUDY_NAMES + ["bzip3", "flac", "lz4hc", "zlib"])
def test_real_files_round_trip_byte_exact(spec, path):
    _need(spec)
    wav = path.read_bytes()
    blob = n1codec.encode_wav_bytes(wav, codec=spec)
    assert n1codec.decode_to_wav_bytes(blob) == wav
    assert len(blob) < len(wav)


# -- hostile payloads -------------------------------------------------------------


def _coder(spec):
    return _need(spec).coder


def _coder_payload(spec, samples):
    coder = _coder(spec)
    from n1codec.pipeline import _to_kind
    stream = _to_kind(samples.view(np.uint16), "u16", coder.input_kind)
    return coder, coder.encode(stream), len(stream)


CODER_SPECS = ["zstd", "lz4", "lz4hc", "zlib", "gzip", "lzma", "bz2", "bzip3", "blosc:zstd", "blosc:lz4",
               "numcodecs_zstd", "flac", "wavpack"]


@pytest.mark.parametrize("spec", CODER_SPECS)
def test_truncated_payload_raises(spec):
    from n1codec.tools import synthetic
    coder, payload, count = _coder_payload(spec, synthetic.n1_like(seconds=0.3, seed=5))
    for cut in sorted({0, 1, 5, 12, len(payload) // 3, len(payload) // 2, len(payload) - 1}):
        with pytest.raises(CorruptDataError) as info:
            coder.decode(payload[:cut], count)
        assert str(info.value).startswith(coder.name)


@pytest.mark.parametrize("spec", CODER_SPECS)
def test_wrong_count_raises(spec):
    from n1codec.tools import synthetic
    coder, payload, count = _coder_payload(spec, synthetic.n1_like(seconds=0.2, seed=6))
    for wrong in (count - 2, count + 2, 0):
        with pytest.raises(CorruptDataError):
            coder.decode(payload, wrong)


@pytest.mark.parametrize("spec", CODER_SPECS)
def test_garbage_and_trailing_bytes_raise(spec):
    from n1codec.tools import synthetic
    coder, payload, count = _coder_payload(spec, synthetic.n1_like(seconds=0.2, seed=7))
    garbage = np.random.RandomState(3).bytes(len(payload))
    with pytest.raises(CorruptDataError):
        coder.decode(garbage, count)
    if spec not in ("blosc:zstd", "blosc:lz4", "numcodecs_zstd", "flac", "wavpack"):
        # Streaming decoders see the end of their stream and refuse what follows it.
        with pytest.raises(CorruptDataError):
            coder.decode(payload + b"\x00junk", count)


@pytest.mark.parametrize("spec", CODER_SPECS)
def test_flipped_bytes_raise_or_decode_right(spec):
    _need(spec)
    from n1codec.tools import synthetic
    samples = synthetic.n1_like(seconds=0.2, seed=8)
    blob = n1codec.encode(samples, codec=spec)
    header = n1codec.info(blob)
    rng = np.random.RandomState(11)
    for pos in rng.choice(np.arange(header.payload_offset, len(blob)), 25, replace=False):
        bad = bytearray(blob)
        bad[pos] ^= 0xA5
        try:
            back = n1codec.decode(bytes(bad))
        except N1CodecError:
            continue
        np.testing.assert_array_equal(back, samples)


def test_decompression_bombs_are_bounded():
    """A small payload that inflates to far more than announced is refused without inflating it."""
    bomb = zlib.compress(bytes(50_000_000), 9)
    with pytest.raises(CorruptDataError, match="more than"):
        registry.coder_class("zlib")().decode(bomb, 1000)
    import bz2
    import lzma
    with pytest.raises(CorruptDataError, match="more than"):
        registry.coder_class("bz2")().decode(bz2.compress(bytes(20_000_000)), 1000)
    with pytest.raises(CorruptDataError, match="more than"):
        registry.coder_class("lzma")().decode(lzma.compress(bytes(20_000_000)), 1000)


def test_zstd_header_claiming_a_huge_size_is_refused():
    _need("zstd")
    import zstandard
    frame = zstandard.ZstdCompressor().compress(bytes(100))
    # A frame that says 2^40 bytes: refused from the header, nothing allocated.
    fake = struct.pack("<I", 0xFD2FB528) + bytes([0xC0]) + (1 << 40).to_bytes(8, "little") + frame[-6:]
    with pytest.raises(CorruptDataError, match="announces"):
        registry.coder_class("zstd")().decode(fake, 100)
    _need("numcodecs_zstd")
    with pytest.raises(CorruptDataError, match="announces"):
        registry.coder_class("numcodecs_zstd")().decode(fake, 100)


def test_blosc_and_bzip3_headers_are_checked():
    coder = _coder("blosc:lz4")
    payload = coder.encode(np.arange(1000, dtype=np.uint8))
    huge = bytearray(payload)
    huge[4:8] = struct.pack("<I", 0x7FFFFFF0)
    with pytest.raises(CorruptDataError, match="announces"):
        coder.decode(bytes(huge), 1000)
    bz3 = _coder("bzip3")
    payload = bz3.encode(np.arange(100_000, dtype=np.uint8))
    big_block = bytearray(payload)
    big_block[5:9] = struct.pack("<I", 400 * 1024 * 1024)
    with pytest.raises(CorruptDataError, match="block size"):
        bz3.decode(bytes(big_block), 100_000)


# -- missing dependencies ---------------------------------------------------------


@pytest.mark.parametrize("name", ["zstd", "lz4", "bzip3", "blosc", "numcodecs_zstd", "flac"])
def test_missing_module_shows_unavailable(name, monkeypatch):
    cls = registry.coder_class(name)
    monkeypatch.setattr(cls, "requires", ("n1codec_no_such_module",))
    assert not cls.available()
    assert not parse_spec(f"delta+{name}").available()
    with pytest.raises(CodecUnavailableError, match="not installed; install it with: pip install"):
        n1codec.encode(np.arange(10, dtype=np.int16), codec=name)
    with pytest.raises(CodecUnavailableError):
        cls().decode(b"\x00" * 20, 10)


def test_missing_wavpack_library_shows_unavailable(monkeypatch):
    from n1codec.codecs import audio
    monkeypatch.setattr(audio, "load_wavpack", lambda: None)
    assert not audio.WavPack.available()
    with pytest.raises(CodecUnavailableError, match="apt-get install libwavpack1"):
        n1codec.encode(np.arange(10, dtype=np.int16), codec="delta_wavpack")


def test_list_shows_unavailable_codec_with_install_hint(monkeypatch, capsys):
    from n1codec.tools import cli
    cls = registry.coder_class("bzip3")
    monkeypatch.setattr(cls, "requires", ("n1codec_no_such_module",))
    assert cli.main(["list"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.strip().startswith("bzip3 "))
    assert "pip install bzip3" in line


# -- the whole dev split ----------------------------------------------------------


@needs_dev_data
def test_every_study_row_round_trips_a_spread_of_dev_files():
    """Every alias on 12 dev files spread over the split, byte for byte (the bench checks each
    decode against the original file). Reaching the study's ratios over the whole split is a
    benchmark, not a test: bench/reproduce_study.py."""
    from n1codec.tools.bench import resolve_codecs, run_bench
    from n1codec.tools.datasets import FileRef, DataSet
    files = [FileRef(p.name, "dir", path=str(p)) for p in dev_files(limit=12)]
    choices, skipped = resolve_codecs(",".join(STUDY_NAMES))
    run = run_bench(DataSet("dev spread", files), choices, workers=1, progress=False, skipped=skipped)
    failed = [f"{r.choice.label}: {r.error}" for r in run.results if r.failed or not r.complete]
    assert not failed, failed
    missing = [row for row in STUDY_NAMES if row not in {r.choice.label for r in run.results}]
    if missing:
        message = f"dependencies missing for {missing}: {skipped}"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run must install them")
        pytest.skip(message)
