"""16-bit PCM WAV files of any size a RIFF WAV may have, read in slices.

The chunk headers are walked with small reads up to the ``data`` chunk; the
bytes before the samples are checked by :func:`n1codec.wav.parse_wav` (the same
rules as the whole-file container) and stored verbatim with any bytes after them.
"""
from __future__ import annotations

import struct
from pathlib import Path

from ..errors import UnsupportedWavError
from ..wav import parse_wav
from . import MAX_VERBATIM_BYTES, Source


def _data_chunk(path: Path, read, size: int):
    """(offset of the samples, size the data chunk claims) by walking chunk headers."""
    pos = 12
    while pos + 8 <= size:
        chunk_id, chunk_size = struct.unpack("<4sI", read(pos, 8))
        if chunk_id == b"data":
            return pos + 8, chunk_size
        pos += 8 + chunk_size + (chunk_size & 1)
        if pos > MAX_VERBATIM_BYTES:
            raise UnsupportedWavError(f"{path} has over {MAX_VERBATIM_BYTES} bytes of chunks before its samples")
    raise UnsupportedWavError(f"{path} has no 'data' chunk")


def open_wav(path: Path) -> Source:
    size = path.stat().st_size
    probe = Source(path, "wav", 1, 0, 0, "<i2", 0)
    try:
        if size < 12:
            raise UnsupportedWavError(f"{path} is not a WAV file (no RIFF/WAVE header)")
        head = probe.read_bytes(0, 12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            parse_wav(head, name=str(path))  # raises the precise message (RF64, RIFX, not a WAV)
            raise UnsupportedWavError(f"{path} is not a RIFF WAV file")
        body, claimed = _data_chunk(path, probe.read_bytes, size)
        header_bytes = probe.read_bytes(0, min(body, size))
    finally:
        probe.close()
    wav = parse_wav(header_bytes, name=str(path))  # checks 'fmt ': 16-bit PCM, channels, rate
    channels = wav.channels
    available = min(claimed, size - body)
    frames = available // (2 * channels)
    end = body + frames * 2 * channels
    if size - end > MAX_VERBATIM_BYTES:
        raise UnsupportedWavError(f"{path} has {size - end} bytes after its samples, too many to store")
    source = Source(path, "wav", channels, frames, wav.sample_rate, "<i2", body, prefix=wav.header)
    source.suffix = source.read_bytes(end, size - end)
    return source
