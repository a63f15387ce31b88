"""Spec: the .n1 container refuses foreign, truncated, corrupt and future files with a clear
N1CodecError, never a crash, hang or wrong output; files of format version 1 decode forever."""
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


def test_header_fields(blob):
    header = n1codec.info(blob)
    assert (header.version, header.spec, header.sample_rate, header.channels) == (1, "delta+huffman", 19531, 1)
    assert header.frames == round(0.3 * 19531)
    assert header.file_size == len(blob)
    assert header.payload_offset + header.payload_size == len(blob)


def test_header_is_small(blob):
    header = n1codec.info(blob)
    assert header.payload_offset <= 32  # magic, version, flags, spec, rate, channels, frames, crc, length


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
    newer = blob[:4] + bytes([2]) + blob[5:]
    with pytest.raises(UnsupportedVersionError, match="version 2"):
        n1codec.decode(newer)


def test_unknown_flags_are_refused(blob):
    with pytest.raises(UnsupportedFeatureError, match="unknown flags"):
        n1codec.decode(blob[:5] + bytes([0x40]) + blob[6:])


def test_unknown_codec_in_header_is_refused():
    fake = container.pack(container.Header(spec="future-codec", sample_rate=1, channels=1, frames=1,
                                           crc32=0), b"\0")
    with pytest.raises(UnsupportedFeatureError, match="future-codec"):
        n1codec.decode(fake)


def test_crc_mismatch_is_detected(blob):
    header = n1codec.info(blob)
    crc_at = header.payload_offset - 4 - 2  # crc precedes the 2-byte payload-length varint here
    assert blob[crc_at:crc_at + 4] == header.crc32.to_bytes(4, "little")
    bad = bytearray(blob)
    bad[crc_at] ^= 1
    with pytest.raises(ChecksumError, match="CRC-32 mismatch"):
        n1codec.decode(bytes(bad))


def test_absurd_sizes_are_refused_before_allocation():
    huge = container.pack(container.Header(spec="huffman", sample_rate=1, channels=1, frames=1 << 40,
                                           crc32=0), b"")
    with pytest.raises(CorruptDataError, match="more than a WAV file holds"):
        n1codec.decode(huge)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
