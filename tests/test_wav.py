"""Spec: WAV files are stored byte for byte; what we cannot store is refused with a reason."""
from __future__ import annotations

import struct

import numpy as np
import pytest

import n1codec
from n1codec.wav import canonical_header, parse_wav


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def _fmt(tag=1, channels=1, rate=19531, bits=16, extra=b""):
    align = channels * bits // 8
    return _chunk(b"fmt ", struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + extra)


def _riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


SAMPLES = (np.arange(1000, dtype=np.int16) * 64).astype("<i2")


def _round_trip(data: bytes) -> bytes:
    return n1codec.decode_to_wav_bytes(n1codec.encode_wav_bytes(data))


def test_canonical_header_costs_one_flag(synthetic_wav):
    wav = parse_wav(synthetic_wav)
    assert wav.is_canonical and len(wav.header) == 44
    blob = n1codec.encode_wav_bytes(synthetic_wav)
    assert n1codec.info(blob).flags & 1


@pytest.mark.parametrize("layout", ["list-chunk-before", "odd-chunk-after", "trailing-garbage",
                                    "stereo", "extensible", "empty-data", "fmt-with-extra-bytes"])
def test_unusual_but_valid_wavs_are_byte_exact(layout):
    data = SAMPLES.tobytes()
    if layout == "list-chunk-before":
        wav = _riff(_fmt(), _chunk(b"LIST", b"INFOISFT\x05\0\0\0test\0"), _chunk(b"data", data))
    elif layout == "odd-chunk-after":
        wav = _riff(_fmt(), _chunk(b"data", data), _chunk(b"note", b"odd"))
    elif layout == "trailing-garbage":
        wav = _riff(_fmt(), _chunk(b"data", data)) + b"\x01\x02\x03"
    elif layout == "stereo":
        wav = _riff(_fmt(channels=2), _chunk(b"data", data))
    elif layout == "extensible":
        ext = struct.pack("<HHI", 22, 16, 4) + struct.pack("<H", 1) + bytes.fromhex("000000001000800000aa00389b71")
        wav = _riff(_fmt(tag=0xFFFE, extra=ext), _chunk(b"data", data))
    elif layout == "empty-data":
        wav = _riff(_fmt(), _chunk(b"data", b""))
    else:
        wav = _riff(_fmt(extra=b"\0\0"), _chunk(b"data", data))
    assert _round_trip(wav) == wav
    assert parse_wav(wav).is_canonical == (layout in ("stereo", "empty-data"))


def test_truncated_data_chunk_keeps_what_is_there():
    full = _riff(_fmt(), _chunk(b"data", SAMPLES.tobytes()))
    for cut in (len(full) - 1, len(full) - 2, len(full) - 777):
        assert _round_trip(full[:cut]) == full[:cut]


@pytest.mark.parametrize("wav, message", [
    (_riff(_fmt(bits=24, channels=1), _chunk(b"data", b"\0" * 30)), "24-bit PCM"),
    (_riff(_fmt(tag=3, bits=32), _chunk(b"data", b"\0" * 32)), "float"),
    (_riff(_fmt(tag=0x11, bits=4), _chunk(b"data", b"\0" * 32)), "compressed"),
    (_riff(_fmt(bits=8), _chunk(b"data", b"\0" * 32)), "8-bit PCM"),
    (b"RF64" + b"\xff" * 4 + b"WAVE", "RF64"),
    (b"hello world, not a wav", "not a WAV"),
    (b"", "not a WAV"),
    (_riff(_chunk(b"data", b"\0" * 4)), "before the 'fmt '"),
    (_riff(_fmt()), "no 'data' chunk"),
    (_riff(_chunk(b"LIST", b"abcd")), "no 'fmt ' chunk"),
])
def test_unsupported_wavs_are_refused_with_a_reason(wav, message):
    with pytest.raises(n1codec.UnsupportedWavError, match=message):
        n1codec.encode_wav_bytes(wav)


def test_canonical_header_layout():
    header = canonical_header(19531, 1, 10)
    assert len(header) == 44 and header[:4] == b"RIFF" and header[36:40] == b"data"
    assert struct.unpack_from("<I", header, 40)[0] == 20
