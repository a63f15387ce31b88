"""Spec: the chunked .n1 format (version 3) for large recordings.

A chunked file decodes to exactly what was encoded; a time range decodes only
the chunks it touches and equals slicing the whole array; a truncated file
raises TruncatedDataError naming what is recoverable, and with partial=True
gives its whole chunks; any corrupt byte gives an N1CodecError, never wrong
samples; files written by this version decode forever (fixtures in format_v3).
"""
from __future__ import annotations

import struct
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import chunked
from n1codec.tools import synthetic
from n1codec.errors import (ChecksumError, CorruptDataError, InvalidInputError, N1CodecError,
                            NotN1FileError, TruncatedDataError, TruncatedRecordingWarning)

FIXTURES = Path(__file__).parent / "fixtures" / "format_v3"


@pytest.fixture(scope="module")
def samples():
    return synthetic.n1_like(seconds=0.12, seed=7, channels=6)  # 2344 frames


@pytest.fixture(scope="module")
def blob(samples):
    return n1codec.encode_chunked(samples, codec="delta+huffman", sample_rate=19531, chunk_frames=500)


# -- round trips and the index --------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("array_*.n1")))
def test_frozen_format_v3_fixtures_still_decode(name):
    expected = np.load(FIXTURES / f"{name}.npy")
    back = n1codec.decode((FIXTURES / f"{name}.n1").read_bytes())
    assert back.dtype == expected.dtype and back.shape == expected.shape
    np.testing.assert_array_equal(back, expected)


def test_frozen_spikeglx_fixture_decodes_byte_exact_with_its_meta(tmp_path):
    out = tmp_path / "back.ap.bin"
    n1codec.decompress_file(FIXTURES / "spikeglx_3ch.n1", out)
    assert out.read_bytes() == (FIXTURES / "spikeglx_3ch.bin.orig").read_bytes()
    assert (tmp_path / "back.ap.meta").read_bytes() == (FIXTURES / "spikeglx_3ch.meta.orig").read_bytes()
    with n1codec.open(FIXTURES / "spikeglx_3ch.n1") as rec:
        assert (rec.shape, rec.sample_rate, rec.header.source_kind) == ((391, 3), 19531.25, "spikeglx")


@pytest.mark.parametrize("codec", ["n1", "n1:fast", "delta+huffman", "delta+rice"])
def test_round_trip_any_codec(samples, codec):
    blob = n1codec.encode_chunked(samples, codec=codec, sample_rate=19531, chunk_frames=700)
    back = n1codec.decode(blob)
    assert back.dtype == np.int16
    np.testing.assert_array_equal(back, samples)
    header = n1codec.info(blob)
    assert (header.version, header.spec, header.chunk_count, header.frames) == (3, codec, 4, len(samples))


def test_one_dimensional_and_empty_arrays_keep_their_shape():
    mono = synthetic.n1_like(seconds=0.05, seed=3)
    back = n1codec.decode(n1codec.encode_chunked(mono, chunk_frames=100))
    assert back.shape == mono.shape
    np.testing.assert_array_equal(back, mono)
    empty = np.zeros((0, 3), np.int16)
    blob = n1codec.encode_chunked(empty)
    assert n1codec.decode(blob).shape == (0, 3) and n1codec.info(blob).chunk_count == 0


def test_unsigned_samples_round_trip_as_unsigned():
    values = np.array([[0, 65535], [32768, 1], [12345, 54321]], dtype=np.uint16)
    back = n1codec.decode(n1codec.encode_chunked(values, chunk_frames=2))
    assert back.dtype == np.uint16
    np.testing.assert_array_equal(back, values)


def test_default_chunks_last_one_second(samples):
    header = n1codec.info(n1codec.encode_chunked(samples, codec="delta+huffman", sample_rate=1000))
    assert header.chunk_frames == 1000
    assert n1codec.info(n1codec.encode_chunked(samples[:10], codec="delta+huffman")).chunk_frames == 1 << 15


def test_chunk_length_is_capped_by_the_format():
    assert n1codec.recording.choose_chunk_frames(30000, 1024, chunk_seconds=10) == chunked.MAX_CHUNK_SAMPLES // 1024


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.data())
def test_slicing_equals_slicing_the_whole_array(blob, samples, data):
    frames, channels = samples.shape
    t0 = data.draw(st.integers(-frames - 5, frames + 5))
    t1 = data.draw(st.integers(-frames - 5, frames + 5) | st.none())
    step = data.draw(st.sampled_from([None, 1, 2, 7, -1, -3]))
    picks = data.draw(st.sampled_from([slice(None), 2, -1, [5, 0, 3], slice(1, 5, 2), [True, False] * 3]))
    with n1codec.Recording(blob=blob, threads=data.draw(st.sampled_from([1, 3]))) as rec:
        got = rec[t0:t1:step, picks]
    expected = samples[t0:t1:step][:, picks] if not isinstance(picks, int) else samples[t0:t1:step, picks]
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_integer_and_array_indexing(blob, samples):
    with n1codec.Recording(blob=blob) as rec:
        np.testing.assert_array_equal(rec[17], samples[17])
        np.testing.assert_array_equal(rec[-1, 3], samples[-1, 3])
        frames = np.array([2000, 3, 3, 1999, -2])
        np.testing.assert_array_equal(rec[frames, [1, 4]], samples[frames][:, [1, 4]])
        np.testing.assert_array_equal(rec.read(490, 1010, channels=[5]), samples[490:1010, [5]])
        np.testing.assert_array_equal(np.asarray(rec), samples)
        for bad in (len(samples), (0, 6), (0, [0, 9]), (slice(None), slice(None), 0)):
            with pytest.raises(IndexError):
                rec[bad]


def test_a_range_decodes_only_the_chunks_it_touches(blob, samples, monkeypatch):
    with n1codec.Recording(blob=blob, cache_chunks=0) as rec:
        touched = []
        original = rec._decode_chunk
        monkeypatch.setattr(rec, "_decode_chunk",
                            lambda i, *rest, **kw: touched.append(i) or original(i, *rest, **kw))
        np.testing.assert_array_equal(rec[1200:1600], samples[1200:1600])
        assert sorted(touched) == [2, 3]


@pytest.mark.parametrize("codec", ["delta+huffman", "n1:fast"])
def test_covered_chunks_decode_straight_into_the_range_and_edges_are_cached(samples, codec):
    """A chunk the range covers whole is decoded into the returned array (no copy, not
    kept); the partly read chunks at its edges go through the cache as before."""
    blob = n1codec.encode_chunked(samples, codec=codec, sample_rate=19531, chunk_frames=500)
    with n1codec.Recording(blob=blob, cache_chunks=4, threads=2) as rec:
        np.testing.assert_array_equal(rec[100:2300], samples[100:2300])  # chunks 1-3 covered
        assert sorted(rec._cache) == [0, 4]
        np.testing.assert_array_equal(rec[0:1000], samples[0:1000])  # chunk 0 from the cache
        np.testing.assert_array_equal(rec[:, [0, 5]], samples[:, [0, 5]])  # a channel subset
        np.testing.assert_array_equal(np.asarray(rec), samples)


@pytest.mark.parametrize("key, expected", [
    (np.s_[1200:1400], {2: 4}),                   # one chunk: all four threads on its channels
    (np.s_[1200:1400, [1, 4, 5]], {2: 4}),        # the same for a few channels
    (np.s_[900:1400], {1: 2, 2: 2}),              # two chunks: two threads each
    (np.s_[100:2300], {i: 1 for i in range(5)}),  # more chunks than threads: one each
])
def test_short_ranges_decode_their_channels_on_the_spare_threads(blob, samples, monkeypatch, key, expected):
    """Fewer chunks than threads: each chunk's channels share the threads left over."""
    with n1codec.Recording(blob=blob, cache_chunks=0, threads=4) as rec:
        given = {}
        original = rec._decode_chunk
        monkeypatch.setattr(rec, "_decode_chunk",
                            lambda i, sel, threads=1, **kw: given.setdefault(i, threads) and original(i, sel, threads, **kw))
        np.testing.assert_array_equal(rec[key], samples[key])
        assert given == expected


def test_channel_subsets_decode_only_those_channels(blob, samples, monkeypatch):
    with n1codec.Recording(blob=blob, cache_chunks=0) as rec:
        decoded = []
        original = rec._pipeline.decode_channel
        monkeypatch.setattr(rec._pipeline, "decode_channel", lambda p, n: decoded.append(n) or original(p, n))
        np.testing.assert_array_equal(rec[0:500, 4], samples[0:500, 4])
        assert decoded == [500]


def test_open_reads_files_and_closes(tmp_path, blob, samples):
    path = tmp_path / "rec.n1"
    path.write_bytes(blob)
    with n1codec.open(path) as rec:
        assert (rec.shape, rec.sample_rate, rec.dtype, rec.complete) == (samples.shape, 19531.0, np.int16, True)
        assert len(rec) == len(samples) and rec.chunk_count == 5
        np.testing.assert_array_equal(rec[100:2000:5, ::2], samples[100:2000:5, ::2])
        chunks = list(rec.iter_chunks())
    assert [start for start, _ in chunks] == [0, 500, 1000, 1500, 2000]
    np.testing.assert_array_equal(np.concatenate([c for _, c in chunks]), samples)


def test_version_1_files_are_not_recordings(tmp_path):
    path = tmp_path / "v1.n1"
    path.write_bytes(n1codec.encode(np.zeros(10, np.int16)))
    with pytest.raises(CorruptDataError, match="not a chunked"):
        n1codec.open(path)


# -- truncation -------------------------------------------------------------------

def test_strict_decode_of_a_truncated_file_says_what_is_recoverable(blob):
    end_of_chunk_2 = _record_offsets(blob)[3]
    with pytest.raises(TruncatedDataError, match=r"3 of 5 chunks are whole \(1500 of 2344 frames"):
        n1codec.decode(blob[:end_of_chunk_2 + 7])


def test_partial_open_reads_the_whole_chunks_and_warns(blob, samples):
    end_of_chunk_1 = _record_offsets(blob)[2]
    with pytest.warns(TruncatedRecordingWarning, match="2 of 5 chunks"):
        rec = n1codec.Recording(blob=blob[:end_of_chunk_1 + 100], partial=True)
    with rec:
        assert (rec.complete, rec.shape) == (False, (1000, 6))
        np.testing.assert_array_equal(rec[:], samples[:1000])


def test_a_lost_index_alone_loses_no_samples(blob, samples):
    with pytest.warns(TruncatedRecordingWarning, match="5 of 5 chunks"):
        with n1codec.Recording(blob=blob[:-20], partial=True) as rec:
            np.testing.assert_array_equal(rec[:], samples)


def test_every_truncation_is_refused_or_read_partially_never_wrong(blob, samples):
    for size in range(0, len(blob), 97):
        with pytest.raises((TruncatedDataError, NotN1FileError)):
            n1codec.decode(blob[:size])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TruncatedRecordingWarning)
            try:
                rec = n1codec.Recording(blob=blob[:size], partial=True)
            except (TruncatedDataError, NotN1FileError):
                assert size < _record_offsets(blob)[0]  # only a cut header is unreadable
                continue
        with rec:
            np.testing.assert_array_equal(rec[:], samples[:rec.frames])


# -- corruption ---------------------------------------------------------------------

def test_every_corrupt_byte_is_an_error_never_wrong_samples():
    small = synthetic.n1_like(seconds=0.02, seed=9, channels=2)
    blob = n1codec.encode_chunked(small, codec="delta+huffman", sample_rate=19531, chunk_frames=150)
    for position in range(len(blob)):
        bad = bytearray(blob)
        bad[position] ^= 0x5A
        with pytest.raises(N1CodecError):
            n1codec.decode(bytes(bad))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TruncatedRecordingWarning)
            try:
                with n1codec.Recording(blob=bytes(bad), partial=True) as rec:
                    got = rec[:]
            except N1CodecError:
                continue
        np.testing.assert_array_equal(got, small[:len(got)])


@pytest.mark.parametrize("part, error", [("header", ChecksumError), ("chunk", ChecksumError),
                                         ("index", ChecksumError), ("footer", ChecksumError)])
def test_corruption_names_the_damaged_part(blob, part, error):
    offsets = _record_offsets(blob)
    position = {"header": 20, "chunk": offsets[1] + 40, "index": offsets[-1] + 12, "footer": len(blob) - 10}[part]
    bad = bytearray(blob)
    bad[position] ^= 1
    with pytest.raises(error, match=part if part != "chunk" else "chunk 1"):
        n1codec.decode(bytes(bad))


def test_a_chunk_that_decodes_to_other_samples_fails_its_sample_crc(blob):
    offsets = _record_offsets(blob)
    bad = bytearray(blob)
    struct.pack_into("<I", bad, offsets[2] + 8, struct.unpack_from("<I", bad, offsets[2] + 8)[0] ^ 1)
    with n1codec.Recording(blob=bytes(bad)) as rec:
        rec[:500]
        with pytest.raises(ChecksumError, match="chunk 2 decodes to samples"):
            rec[1000:1500]


@pytest.mark.parametrize("codec", ["delta+huffman", "n1"])
def test_a_chunk_whose_channel_framing_lies_under_a_valid_crc_is_corrupt(samples, codec):
    """A record whose CRC matches but whose first channel length runs past the payload
    (a forged or buggy file) is a CorruptDataError naming the chunk, on the all-channel
    path and on the selected-channel path alike."""
    blob = n1codec.encode_chunked(samples, codec=codec, sample_rate=19531, chunk_frames=500)
    start = _record_offsets(blob)[0]
    size = struct.unpack_from("<I", blob, start)[0]
    bad = bytearray(blob)
    payload = start + chunked.RECORD_HEAD_SIZE
    bad[payload:payload + 3] = bytes([0xFF, 0xFF, 0x7F])  # channel 0: 2^21 - 1 bytes
    struct.pack_into("<I", bad, start + 4, chunked.crc32(bytes(bad[payload:payload + size])))
    with n1codec.Recording(blob=bytes(bad)) as rec:
        with pytest.raises(CorruptDataError, match="chunk 0"):
            rec[:100, [1]]
    with n1codec.Recording(blob=bytes(bad)) as rec:
        with pytest.raises(N1CodecError):
            rec[:100]


def test_headers_claiming_more_than_the_file_holds_are_refused(blob):
    header = n1codec.info(blob)
    for frames in (10 ** 12, 2 ** 62):
        forged = chunked.pack_header(chunked.ChunkedHeader(
            spec="delta+huffman", sample_rate=1, channels=6, frames=frames, chunk_frames=500))
        with pytest.raises(CorruptDataError, match="does not fit"):
            n1codec.decode(forged + blob[header.data_offset:])
    with pytest.raises(CorruptDataError, match="header claims"):
        n1codec.decode(blob[:5] + struct.pack("<I", 1 << 30) + blob[9:])


def test_foreign_and_future_files_are_refused():
    for data in (b"", b"RIFF....WAVEfmt ", bytes(100)):
        with pytest.raises(NotN1FileError):
            n1codec.Recording(blob=data)


def test_invalid_arguments_are_clear(samples):
    for kwargs in ({"chunk_frames": 0}, {"chunk_seconds": -1}, {"chunk_frames": 10, "chunk_seconds": 1},
                   {"threads": 0}):
        with pytest.raises(InvalidInputError):
            n1codec.encode_chunked(samples, sample_rate=100, **kwargs)
    with pytest.raises(InvalidInputError):
        n1codec.encode_chunked(samples.astype(np.float32))


# -- bounded memory ------------------------------------------------------------------

def test_streaming_memory_is_bounded_by_chunks_not_file_size(tmp_path):
    frames, channels, chunk_frames = 400_000, 16, 2_000   # a 12.8 MB file, 64 KB chunks
    rng = np.random.default_rng(3)
    data = np.cumsum(rng.integers(-20, 21, size=(frames, channels)), axis=0).astype("<i2")
    src = tmp_path / "big.bin"
    data.tofile(src)
    del data
    dst, back = tmp_path / "big.n1", tmp_path / "back.bin"
    tracemalloc.start()
    try:
        n1codec.compress_recording(src, dst, codec="delta+rice", channels=channels, sample_rate=20000,
                                   chunk_frames=chunk_frames, threads=2, memory_budget=1 << 20)
        _, peak_encode = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        n1codec.decompress_file(dst, back)
        _, peak_decode = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = src.stat().st_size
    assert back.read_bytes() == src.read_bytes()
    # A few 64 KB chunks (and a 1 MB write buffer) in flight, never the 12.8 MB file.
    assert peak_encode < 4 << 20, peak_encode
    assert peak_decode < 4 << 20, peak_decode
    assert size > 3 * (4 << 20)


def _record_offsets(blob: bytes):
    """Chunk record offsets, then the index's own offset, read from the footer."""
    index_offset = struct.unpack_from("<Q", blob, len(blob) - 16)[0]
    count = struct.unpack_from("<I", blob, index_offset + 4)[0]
    return list(np.frombuffer(blob, "<u8", count + 1, index_offset + 8))


def test_files_are_read_without_os_pread_too(tmp_path, samples, monkeypatch):
    """Where os.pread is missing (Windows) positional reads take a lock around seek + read."""
    monkeypatch.delattr("os.pread")
    np.save(tmp_path / "rec.npy", samples)
    n1codec.compress_recording(tmp_path / "rec.npy", tmp_path / "rec.n1", codec="delta+huffman",
                               chunk_frames=300, threads=3)
    with n1codec.open(tmp_path / "rec.n1", threads=3) as rec:
        np.testing.assert_array_equal(rec[:], samples)


def test_a_sample_limit_refuses_large_declarations_before_decoding(tmp_path, blob, samples):
    from n1codec.errors import InputTooLargeError
    with pytest.raises(InputTooLargeError, match="14064 samples"):
        n1codec.decode(blob, max_samples=14000)
    np.testing.assert_array_equal(n1codec.decode(blob, max_samples=samples.size), samples)
    (tmp_path / "rec.n1").write_bytes(blob)
    with pytest.raises(InputTooLargeError):
        n1codec.decompress_file(tmp_path / "rec.n1", tmp_path / "out.bin", max_samples=10)
    assert not (tmp_path / "out.bin").exists()
