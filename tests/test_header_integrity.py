"""Spec: no single-bit flip anywhere in an .n1 file decodes to a different result.

Format version 2 covers every header byte (magic to payload length, stored WAV header and
trailer included) with a CRC-32 that is checked before any field is trusted, and the samples
with the sample CRC-32. A flip in the header is therefore an error every time; a flip in the
payload is an error or decodes to the very same samples. Also: no sample rate that is written
can fail to decode, and no sample rate raises anything but an N1CodecError.
"""
from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import container
from n1codec.tools import synthetic
from n1codec.errors import ChecksumError, InvalidInputError, N1CodecError, UnsupportedWavError
from n1codec.wav import canonical_header, parse_wav

from conftest import dev_files


def _verbatim_wav(samples: np.ndarray) -> bytes:
    """A WAV with a LIST chunk before the samples and two bytes after them: stored verbatim."""
    canonical = synthetic.wav_bytes(samples)
    info = b"LIST" + struct.pack("<I", 10) + b"INFOISFT\x02\x00"
    body = canonical[12:36] + info + canonical[36:] + b"\x00\x01"
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def _cases():
    """(name, .n1 bytes, how to decode, expected result): arrays 1-D and 2-D, WAVs canonical and verbatim."""
    mono = synthetic.n1_like(seconds=0.1, seed=11)
    stereo = synthetic.n1_like(seconds=0.05, seed=12, channels=2)
    cases = [
        ("array-1d-n1", n1codec.encode(mono, codec="n1", sample_rate=19531), "array", mono),
        ("array-2d-delta-huffman", n1codec.encode(stereo, codec="delta+huffman"), "array", stereo),
        ("array-column-n1-fast", n1codec.encode(mono.reshape(-1, 1), codec="n1:fast", sample_rate=1),
         "array", mono.reshape(-1, 1)),
    ]
    for name, wav, codec in (("wav-canonical-n1", synthetic.wav_bytes(mono), "n1"),
                             ("wav-verbatim-n1-max", _verbatim_wav(stereo), "n1:max")):
        cases.append((name, n1codec.encode_wav_bytes(wav, codec=codec), "wav", wav))
    for path in dev_files(limit=2):
        wav = path.read_bytes()
        cases.append((f"dev-{path.stem[:8]}", n1codec.encode_wav_bytes(wav, codec="n1:fast"), "wav", wav))
    return cases


CASES = _cases()


def _decode(blob: bytes, kind: str):
    return n1codec.decode(blob) if kind == "array" else n1codec.decode_to_wav_bytes(blob)


def _same(result, expected, kind: str) -> bool:
    if kind == "wav":
        return result == expected
    return result.shape == expected.shape and np.array_equal(result, expected)


@pytest.mark.parametrize("name, blob, kind, expected", CASES, ids=[c[0] for c in CASES])
def test_the_unflipped_file_decodes(name, blob, kind, expected):
    assert blob[4] == container.FORMAT_VERSION == 2
    assert _same(_decode(blob, kind), expected, kind)


@pytest.mark.parametrize("name, blob, kind, expected", CASES, ids=[c[0] for c in CASES])
def test_every_single_bit_flip_in_the_header_is_an_error(name, blob, kind, expected):
    header_end = n1codec.info(blob).payload_offset  # magic .. payload length, then the header CRC
    if kind == "wav" and blob[5] & container.FLAG_WAV_VERBATIM:
        assert header_end > 60  # the stored WAV header and trailer are among the bits flipped
    for bit in range(header_end * 8):
        bad = bytearray(blob)
        bad[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(N1CodecError):
            _decode(bytes(bad), kind)
        with pytest.raises(N1CodecError):  # the array path reads the same header
            n1codec.decode(bytes(bad))


@pytest.mark.parametrize("name, blob, kind, expected", CASES, ids=[c[0] for c in CASES])
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_payload_flips_are_an_error_or_change_nothing(name, blob, kind, expected, data):
    start = n1codec.info(blob).payload_offset
    bad = bytearray(blob)
    for _ in range(data.draw(st.integers(1, 3), label="flips")):
        bit = data.draw(st.integers(start * 8, len(blob) * 8 - 1), label="bit")
        bad[bit // 8] ^= 1 << (bit % 8)
    try:
        result = _decode(bytes(bad), kind)
    except N1CodecError:
        return
    assert _same(result, expected, kind)


# ----------------------------------------------------- the cases of issue 18, fixed

def test_flipping_flag_bit_2_no_longer_turns_1d_into_2d():
    samples = synthetic.n1_like(seconds=0.3, seed=5)
    blob = bytearray(n1codec.encode(samples, codec="delta+huffman", sample_rate=19531))
    assert blob[5] == container.FLAG_ONE_DIMENSIONAL  # the flags varint
    blob[5] ^= container.FLAG_ONE_DIMENSIONAL
    with pytest.raises(ChecksumError, match="header is corrupt"):
        n1codec.decode(bytes(blob))


def test_flipping_a_bit_of_the_sample_rate_no_longer_changes_the_wav():
    wav = synthetic.wav_bytes(synthetic.n1_like(seconds=0.3, seed=5), sample_rate=19531)
    blob = n1codec.encode_wav_bytes(wav, codec="n1")
    rate_at = 5 + 1 + 1 + len(b"n1")  # magic+version, flags, spec length, spec
    assert blob[rate_at:rate_at + 3] == bytes([0xCB, 0x98, 0x01])  # 19531 as a varint
    bad = bytearray(blob)
    bad[rate_at] ^= 1  # 19530 Hz
    with pytest.raises(ChecksumError, match="header is corrupt"):
        n1codec.decode_to_wav_bytes(bytes(bad))


def test_a_wav_that_says_sample_rate_0_is_refused_at_encode():
    wav = bytearray(synthetic.wav_bytes(np.arange(100, dtype=np.int16)))
    wav[24:28] = bytes(4)
    with pytest.raises(UnsupportedWavError, match="sample rate is 0 Hz"):
        n1codec.encode_wav_bytes(bytes(wav))


def test_a_sample_rate_beyond_the_wav_field_is_refused_at_encode():
    samples = np.arange(10, dtype=np.int16)
    with pytest.raises(InvalidInputError, match="sample rate 4294967296 Hz does not fit"):
        n1codec.encode(samples, sample_rate=2 ** 32)
    blob = n1codec.encode(samples, sample_rate=2 ** 32 - 1)  # the largest rate a WAV field holds
    assert n1codec.info(blob).sample_rate == 2 ** 32 - 1
    np.testing.assert_array_equal(n1codec.decode(blob), samples)


@pytest.mark.parametrize("rate", [2 ** 31, 2 ** 32 - 1])
def test_huge_sample_rates_are_n1codec_errors_never_struct_errors(rate):
    samples = np.arange(10, dtype=np.int16)
    with pytest.raises(UnsupportedWavError, match="does not fit in a WAV header"):
        canonical_header(rate, 1, 10)
    blob = n1codec.encode(samples, sample_rate=rate)
    with pytest.raises(UnsupportedWavError, match="does not fit in a WAV header"):
        n1codec.decode_to_wav_bytes(blob)


def test_a_wav_file_with_a_huge_rate_round_trips_byte_for_byte():
    # Its byte-rate field cannot hold rate x 2, so it is not the canonical header: stored verbatim.
    wav = bytearray(synthetic.wav_bytes(np.arange(100, dtype=np.int16)))
    wav[24:28] = struct.pack("<I", 2 ** 31)
    assert not parse_wav(bytes(wav)).is_canonical
    blob = n1codec.encode_wav_bytes(bytes(wav), codec="n1")
    assert n1codec.info(blob).flags & container.FLAG_WAV_VERBATIM
    assert n1codec.decode_to_wav_bytes(blob) == bytes(wav)


def test_a_version_1_file_with_a_huge_rate_is_an_n1codec_error():
    samples = np.arange(10, dtype=np.int16)
    payload = n1codec.encode(samples, codec="huffman")
    payload = payload[n1codec.info(payload).payload_offset:]
    v1 = container.pack(container.Header(spec="huffman", sample_rate=2 ** 31, channels=1, frames=10,
                                         crc32=container.sample_crc32(samples)), payload, version=1)
    np.testing.assert_array_equal(n1codec.decode(v1), samples.reshape(-1, 1))
    with pytest.raises(UnsupportedWavError):
        n1codec.decode_to_wav_bytes(v1)


def test_the_cli_reports_a_huge_rate_in_one_line_not_a_traceback(tmp_path):
    from conftest import run_cli
    src = tmp_path / "huge-rate.n1"
    src.write_bytes(n1codec.encode(np.arange(10, dtype=np.int16), sample_rate=2 ** 31))
    proc = run_cli("n1codec", "decode", src, tmp_path / "out.wav")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "does not fit in a WAV header" in proc.stderr
    assert not (tmp_path / "out.wav").exists()
