"""Byte-exact WAV reading and writing for 16-bit PCM.

:func:`parse_wav` splits a WAV file into the bytes before the samples (the
header), the samples, and the bytes after them (the trailer), so that
``header + samples + trailer`` is the original file byte for byte whatever
chunks or oddities it holds. :func:`canonical_header` builds the usual 44-byte
header; when a file's header is exactly that and it has no trailer, the .n1
container stores one flag instead of the header.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from .errors import UnsupportedWavError

CANONICAL_HEADER_SIZE = 44
WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
_PCM_SUBFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
MAX_DATA_BYTES = 0xFFFFFFFF


@dataclass
class WavFile:
    """A 16-bit PCM WAV split into header, samples (frames x channels, int16) and trailer."""

    samples: np.ndarray
    sample_rate: int
    channels: int
    header: bytes
    trailer: bytes

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def is_canonical(self) -> bool:
        """True when the header is the 44-byte one canonical_header() rebuilds and nothing follows."""
        if self.trailer or len(self.header) != CANONICAL_HEADER_SIZE:
            return False
        try:
            return self.header == canonical_header(self.sample_rate, self.channels, self.frames)
        except UnsupportedWavError:  # e.g. a byte rate over 32 bits: the file's header is not ours
            return False

    def to_bytes(self) -> bytes:
        return wav_file_bytes(self.header, self.samples, self.trailer)


def samples_to_bytes(samples: np.ndarray) -> bytes:
    """Little-endian interleaved bytes of an int16 array, as WAV stores them."""
    return np.ascontiguousarray(samples, dtype="<i2").tobytes()


def wav_file_bytes(header: bytes, samples: np.ndarray, trailer: bytes = b"") -> bytes:
    """header + samples as little-endian bytes + trailer, with a single copy of the samples."""
    # bytes.join reads the array through the buffer protocol: no intermediate
    # tobytes() copy, no second copy for the concatenation.
    return b"".join((header, np.ascontiguousarray(samples, dtype="<i2").reshape(-1), trailer))


def canonical_header(sample_rate: int, channels: int, frames: int) -> bytes:
    """The 44-byte PCM header; UnsupportedWavError when a field does not fit its 16 or 32 bits."""
    data_bytes = frames * channels * 2
    if data_bytes + 36 > MAX_DATA_BYTES:
        raise UnsupportedWavError(f"{frames} frames x {channels} channels do not fit in a WAV file")
    if not 1 <= channels <= 0x7FFF:
        raise UnsupportedWavError(f"{channels} channels do not fit in a 16-bit PCM WAV header")
    if not 0 <= sample_rate * channels * 2 <= MAX_DATA_BYTES:
        raise UnsupportedWavError(
            f"a sample rate of {sample_rate} Hz with {channels} channels does not fit in a WAV header "
            "(its byte rate field holds 32 bits)")
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, WAVE_FORMAT_PCM, channels, sample_rate,
                                    sample_rate * channels * 2, channels * 2, 16)
            + b"data" + struct.pack("<I", data_bytes))


def _describe_format(tag: int, bits: int) -> str:
    if tag == WAVE_FORMAT_IEEE_FLOAT:
        return f"{bits}-bit IEEE float"
    if tag == WAVE_FORMAT_PCM:
        return f"{bits}-bit PCM"
    return f"compressed (format tag 0x{tag:04x})"


def parse_wav(data: bytes, name: str = "input", copy: bool = True) -> WavFile:
    """Parse a 16-bit PCM WAV file; anything else raises UnsupportedWavError naming the problem.

    With copy=False the samples may be a read-only view of data (no copy).
    """
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64", b"RIFX") or data[8:12] != b"WAVE":
        raise UnsupportedWavError(f"{name} is not a WAV file (no RIFF/WAVE header)")
    if data[:4] == b"RF64":
        raise UnsupportedWavError(f"{name} is an RF64 WAV (over 4 GiB); only standard RIFF WAV is supported")
    if data[:4] == b"RIFX":
        raise UnsupportedWavError(f"{name} is a big-endian RIFX WAV; only little-endian RIFF WAV is supported")
    pos = 12
    fmt = None
    while pos + 8 <= len(data):
        chunk_id = data[pos:pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = pos + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise UnsupportedWavError(f"{name} has a truncated 'fmt ' chunk")
            tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", data, body)
            if tag == WAVE_FORMAT_EXTENSIBLE:
                if size < 40 or body + 40 > len(data):
                    raise UnsupportedWavError(f"{name} has a truncated WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk")
                sub = data[body + 24:body + 40]
                tag = struct.unpack_from("<H", sub)[0] if sub[2:] == _PCM_SUBFORMAT_TAIL else -1
            if tag != WAVE_FORMAT_PCM or bits != 16:
                desc = _describe_format(tag, bits) if tag >= 0 else "an unknown extensible subformat"
                raise UnsupportedWavError(
                    f"{name} holds {desc} audio; n1codec stores 16-bit PCM WAV only")
            if channels < 1 or block_align != 2 * channels:
                raise UnsupportedWavError(
                    f"{name} has an inconsistent 'fmt ' chunk ({channels} channels, block align {block_align})")
            if rate == 0:
                raise UnsupportedWavError(
                    f"{name} says its sample rate is 0 Hz; n1codec refuses it so that every .n1 file "
                    "it writes can be decoded back to a WAV file")
            fmt = (channels, rate)
        elif chunk_id == b"data":
            if fmt is None:
                raise UnsupportedWavError(f"{name} has its 'data' chunk before the 'fmt ' chunk")
            channels, rate = fmt
            available = min(size, len(data) - body)  # a truncated file keeps what it has
            frames = available // (2 * channels)
            end = body + frames * 2 * channels
            samples = np.frombuffer(data, dtype="<i2", count=frames * channels, offset=body)
            # copy=False: a read-only view of data where the host is little-endian
            # (the encoder only reads it); the default gives the caller its own array.
            samples = samples.astype(np.int16, copy=copy)
            return WavFile(samples=samples.reshape(frames, channels),
                           sample_rate=rate, channels=channels,
                           header=bytes(data[:body]), trailer=bytes(data[end:]))
        pos = body + size + (size & 1)
    if fmt is None:
        raise UnsupportedWavError(f"{name} has no 'fmt ' chunk")
    raise UnsupportedWavError(f"{name} has no 'data' chunk")
