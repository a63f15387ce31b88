"""Spec: the .n1 container refuses foreign, truncated, corrupt and future files with a clear
N1CodecError, never a crash, hang or wrong output; files of format versions 1 and 2 decode forever."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import container
from n1codec.errors import (ChecksumError, CorruptDataError, N1CodecError, NotN1FileError,
                            TruncatedDataError, UnsupportedFeatureError, UnsupportedVersionError)

FIXTURES = Path(__file__).parent / "fixtures" / "format_v1"
FIXTURES_V2 = Path(__file__).parent / "fixtures" / "format_v2"


@pytest.fixture(scope="module")
def blob():
    from n1codec.tools import synthetic
    return n1codec.encode(synthetic.n1_like(seconds=0.3, seed=5), codec="delta+huffman", sample_rate=19531)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.n1") if p.stem != "wav_canonical"))
def test_frozen_format_v1_fixtures_still_decode(name):
    expected = np.load(FIXTURES / f"{name}.npy")
    back = n1codec.decode((FIXTURES / f"{name}.n1").read_bytes())
    assert back.shape == expected.shape
    np.testing.assert_array_equal(back, expected)


def test_frozen_wav_fixture_decodes_byte_exact():
    blob = (FIXTURES / "wav_canonical.n1").read_bytes()
    assert n1codec.decode_to_wav_bytes(blob) == (FIXTURES / "wav_canonical.wav.bin").read_bytes()


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES_V2.glob("*.n1") if not p.stem.startswith("wav_")))
def test_frozen_format_v2_fixtures_still_decode(name):
    blob = (FIXTURES_V2 / f"{name}.n1").read_bytes()
    assert blob[4] == 2
    expected = np.load(FIXTURES_V2 / f"{name}.npy")
    back = n1codec.decode(blob)
    assert back.shape == expected.shape
    np.testing.assert_array_equal(back, expected)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES_V2.glob("wav_*.n1")))
def test_frozen_format_v2_wav_fixtures_decode_byte_exact(name):
    blob = (FIXTURES_V2 / f"{name}.n1").read_bytes()
    assert n1codec.decode_to_wav_bytes(blob) == (FIXTURES_V2 / f"{name}.wav.bin").read_bytes()


def test_the_current_writer_reproduces_the_v2_fixtures_bit_for_bit():
    # Version 2 is what this release writes: a change to the writer shows up here first.
    blob = (FIXTURES_V2 / "mono_n1.n1").read_bytes()
    assert n1codec.encode(np.load(FIXTURES_V2 / "mono_n1.npy"), codec="n1", sample_rate=19531) == blob


def test_header_fields(blob):
    header = n1codec.info(blob)
    assert (header.version, header.spec, header.sample_rate, header.channels) == (2, "delta+huffman", 19531, 1)
    assert header.frames == round(0.3 * 19531)
    assert header.file_size == len(blob)
    assert header.payload_offset + header.payload_size == len(blob)


def test_header_is_small(blob):
    header = n1codec.info(blob)
    # magic, version, flags, spec, rate, channels, frames, crc, length, header crc
    assert header.payload_offset <= 36


def test_every_truncation_is_an_error(blob):
    for cut in range(len(blob)):
        with pytest.raises(N1CodecError):
            n1codec.decode(blob[:cut])


def test_truncated_payload_says_so(blob):
    with pytest.raises(TruncatedDataError, match="truncated"):
        n1codec.decode(blob[:-10])


def test_trailing_bytes_are_refused(blob):
    with pytest.raises(CorruptDataError, match="unexpected bytes"):
        n1codec.decode(blob + b"\0")


def test_foreign_files_are_refused():
    for data in (b"", b"RIFF....WAVEfmt ", b"\x89PNG\r\n\x1a\n", bytes(100)):
        with pytest.raises(NotN1FileError, match="not an .n1 file"):
            n1codec.decode(data)


def test_newer_format_version_is_refused(blob):
    newer = blob[:4] + bytes([3]) + blob[5:]
    with pytest.raises(UnsupportedVersionError, match="version 3"):
        n1codec.decode(newer)


def _with_header_crc(blob: bytes, header_end: int) -> bytes:
    """A v2 file whose header (blob[:header_end], edited by a test) carries a matching header CRC."""
    import zlib
    return blob[:header_end] + zlib.crc32(blob[:header_end]).to_bytes(4, "little") + blob[header_end + 4:]


def test_unknown_flags_are_refused(blob):
    # A future writer's flag, with a valid header CRC: refused as a feature, not as corruption.
    end = n1codec.info(blob).payload_offset - 4
    with pytest.raises(UnsupportedFeatureError, match="unknown flags"):
        n1codec.decode(_with_header_crc(blob[:5] + bytes([0x40]) + blob[6:], end))
    # The same flag without the CRC update is a corrupt header.
    with pytest.raises(ChecksumError, match="header is corrupt"):
        n1codec.decode(blob[:5] + bytes([0x40]) + blob[6:])


def test_unknown_flags_are_refused_in_version_1_files():
    v1 = container.pack(container.Header(spec="huffman", sample_rate=1, channels=1, frames=0, crc32=0),
                        b"", version=1)
    with pytest.raises(UnsupportedFeatureError, match="unknown flags"):
        n1codec.decode(v1[:5] + bytes([0x40]) + v1[6:])


def test_unknown_flags_are_never_written():
    with pytest.raises(N1CodecError, match="unknown .n1 flags"):
        container.pack(container.Header(spec="huffman", sample_rate=1, channels=1, frames=0, crc32=0,
                                        flags=0x40), b"")


def test_unknown_codec_in_header_is_refused():
    fake = container.pack(container.Header(spec="future-codec", sample_rate=1, channels=1, frames=1,
                                           crc32=0), b"\0")
    with pytest.raises(UnsupportedFeatureError, match="future-codec"):
        n1codec.decode(fake)


def test_crc_mismatch_is_detected(blob):
    header = n1codec.info(blob)
    end = header.payload_offset - 4  # the header CRC follows the payload length
    crc_at = end - 2 - 4  # the sample crc precedes the 2-byte payload-length varint here
    assert blob[crc_at:crc_at + 4] == header.crc32.to_bytes(4, "little")
    bad = bytearray(blob)
    bad[crc_at] ^= 1
    # A sample CRC that a writer got wrong (the header CRC covers it, so it is rewritten here).
    with pytest.raises(ChecksumError, match="CRC-32 mismatch"):
        n1codec.decode(_with_header_crc(bytes(bad), end))
    # The same flip in transit: the header CRC catches it before any decoding.
    with pytest.raises(ChecksumError, match="header is corrupt"):
        n1codec.decode(bytes(bad))


def test_version_1_sample_crc_mismatch_is_detected():
    samples = np.arange(100, dtype=np.int16)
    v2 = n1codec.encode(samples, codec="delta+huffman")
    payload = v2[n1codec.info(v2).payload_offset:]
    v1 = container.pack(container.Header(spec="delta+huffman", sample_rate=0, channels=1, frames=100,
                                         crc32=container.sample_crc32(samples) ^ 1, flags=4),
                        payload, version=1)
    with pytest.raises(ChecksumError, match="CRC-32 mismatch"):
        n1codec.decode(v1)


def test_absurd_sizes_are_refused_before_allocation():
    huge = container.pack(container.Header(spec="huffman", sample_rate=1, channels=1, frames=1 << 40,
                                           crc32=0), b"")
    with pytest.raises(CorruptDataError, match="more than a WAV file holds"):
        n1codec.decode(huge)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_corruption_never_crashes_or_returns_wrong_samples(blob, data):
    original = n1codec.decode(blob)
    bad = bytearray(blob)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(bad) - 1))
        bad[pos] ^= data.draw(st.integers(1, 255))
    try:
        back = n1codec.decode(bytes(bad))
    except N1CodecError:
        return
    # A flip that still decodes must have hit something that does not change the samples.
    np.testing.assert_array_equal(back, original)
