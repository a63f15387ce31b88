"""Raw interleaved binaries: 16-bit samples frame after frame, nothing else.

Bytes after the last whole frame (a file cut mid-frame) are kept verbatim so
that decoding gives back the file byte for byte.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInputError
from . import Source, sample_dtype


def open_raw(path: Path, channels: int, sample_rate: float, dtype="<i2", kind: str = "raw",
             attachments=None) -> Source:
    try:
        channels = int(channels)
    except (TypeError, ValueError):
        raise InvalidInputError(f"the channel count must be a whole number, got {channels!r}") from None
    if not 1 <= channels <= 65535:
        raise InvalidInputError(f"the channel count must be 1 to 65535, got {channels}")
    if sample_rate is None or float(sample_rate) < 0:
        raise InvalidInputError(f"the sample rate must be >= 0 Hz, got {sample_rate}")
    size = path.stat().st_size
    frame_bytes = 2 * channels
    frames, leftover = divmod(size, frame_bytes)
    source = Source(path, kind, channels, frames, sample_rate, sample_dtype(dtype),
                    data_offset=0, attachments=attachments)
    if leftover:
        source.suffix = source.read_bytes(frames * frame_bytes, leftover)
    return source
