"""The .n1 file format, version 1 (documented in FORMAT.md).

::

    magic        4 bytes  89 'N' '1' 'C'
    version      1 byte   1
    flags        varint   bit 0: WAV with the canonical 44-byte header (rebuilt on decode)
                          bit 1: WAV with its header and trailer stored verbatim below
                          bit 2: the samples were a 1-D array (else frames x channels)
    codec spec   varint length + ASCII, e.g. "delta+huffman"
    sample rate  varint   Hz, 0 when unknown
    channels     varint   >= 1
    frames       varint   samples per channel
    crc32        4 bytes  little-endian CRC-32 of the samples as interleaved little-endian int16
    [header]     varint length + bytes   only with flag bit 1
    [trailer]    varint length + bytes   only with flag bit 1
    payload      varint length + bytes   must end exactly at the end of the file

Every length is checked against the bytes really present before anything is
allocated; the sample count may not exceed what a WAV file can hold.
"""
from __future__ import annotations

import functools
import struct
import zlib
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .errors import (CorruptDataError, NotN1FileError,
                     TruncatedDataError, UnsupportedFeatureError,
                     UnsupportedVersionError)
from .varint import encode_uvarint, read_sized, read_uvarint

MAGIC = b"\x89N1C"
FORMAT_VERSION = 1
FLAG_WAV_CANONICAL = 1
FLAG_WAV_VERBATIM = 2
FLAG_ONE_DIMENSIONAL = 4
_KNOWN_FLAGS = FLAG_WAV_CANONICAL | FLAG_WAV_VERBATIM | FLAG_ONE_DIMENSIONAL
#: A WAV data chunk holds at most 4 GiB: 2^31 int16 samples.
MAX_SAMPLES = 1 << 31
MAX_CHANNELS = 65535
MAX_SPEC_LENGTH = 1024


@dataclass
class Header:
    """Everything in an .n1 file but the payload (what :func:`n1codec.info` returns).

    ``spec`` is the codec's canonical spec; ``sample_rate`` is in Hz (0 when unknown);
    ``frames`` counts samples per channel; ``crc32`` is that of the decoded samples;
    ``version`` is the format version the file was written with.
    """

    spec: str
    sample_rate: int
    channels: int
    frames: int
    crc32: int
    flags: int = 0
    version: int = FORMAT_VERSION
    wav_header: Optional[bytes] = None
    wav_trailer: Optional[bytes] = None
    payload_offset: int = 0
    payload_size: int = 0
    file_size: int = 0

    @property
    def is_wav(self) -> bool:
        """True when the file decodes to a WAV file (decompress_file), not only to an array."""
        return bool(self.flags & (FLAG_WAV_CANONICAL | FLAG_WAV_VERBATIM))

    @property
    def samples(self) -> int:
        """Samples of all channels together."""
        return self.frames * self.channels

    @property
    def original_size(self) -> int:
        """Bytes of the original: the whole WAV file, or the raw int16 samples."""
        size = self.samples * 2
        if self.flags & FLAG_WAV_CANONICAL:
            size += 44
        elif self.flags & FLAG_WAV_VERBATIM:
            size += len(self.wav_header or b"") + len(self.wav_trailer or b"")
        return size

    @property
    def duration(self) -> float:
        """Seconds of signal; NaN when the sample rate is unknown (0)."""
        return self.frames / self.sample_rate if self.sample_rate else float("nan")


@functools.lru_cache(maxsize=None)
def _crc_function():
    # The C core's n1_crc32 and zlib.crc32 are the same function. Where the CPU has
    # carry-less multiplication ours runs at ~14 GB/s against zlib's ~3-4 GB/s (this
    # machine, 200 KB buffers); elsewhere ours is the portable slicing-by-4
    # (~1.3 GB/s), slower than zlib's, so zlib's is used. Both read the array in
    # place and release the GIL.
    from . import _native
    return _native.crc32 if _native.crc32_accelerated() else zlib.crc32


def sample_crc32(samples: np.ndarray) -> int:
    """CRC-32 of the samples as interleaved little-endian int16 (the header's CRC)."""
    data = np.ascontiguousarray(samples, dtype="<i2").reshape(-1).view(np.uint8)
    return _crc_function()(data)


def pack(header: Header, payload: bytes) -> bytes:
    """Serialise a header and payload into .n1 bytes."""
    flags = header.flags
    out = bytearray(MAGIC)
    out.append(FORMAT_VERSION)
    out += encode_uvarint(flags)
    spec = header.spec.encode("ascii")
    out += encode_uvarint(len(spec)) + spec
    out += encode_uvarint(header.sample_rate)
    out += encode_uvarint(header.channels)
    out += encode_uvarint(header.frames)
    out += struct.pack("<I", header.crc32)
    if flags & FLAG_WAV_VERBATIM:
        for part in (header.wav_header or b"", header.wav_trailer or b""):
            out += encode_uvarint(len(part)) + part
    out += encode_uvarint(len(payload))
    return b"".join((out, payload))  # one copy of the payload (not += then bytes())


def unpack_header(blob: bytes) -> Header:
    """Parse and validate the header; the payload's presence is checked, not decoded."""
    blob = memoryview(blob).cast("B") if not isinstance(blob, (bytes, bytearray)) else blob
    if len(blob) < len(MAGIC) or bytes(blob[:4]) != MAGIC:
        raise NotN1FileError("not an .n1 file (missing the \\x89N1C magic bytes)")
    if len(blob) < 5:
        raise TruncatedDataError("truncated .n1 file: it ends after the magic bytes")
    version = blob[4]
    if version != FORMAT_VERSION:
        raise UnsupportedVersionError(
            f".n1 format version {version} is not supported by this release (it reads version "
            f"{FORMAT_VERSION}); upgrade n1codec")
    pos = 5
    flags, pos = read_uvarint(blob, pos, "flags")
    if flags & ~_KNOWN_FLAGS:
        raise UnsupportedFeatureError(f"the .n1 header sets unknown flags 0x{flags:x}; upgrade n1codec")
    if (flags & FLAG_WAV_CANONICAL) and (flags & FLAG_WAV_VERBATIM):
        raise CorruptDataError("the .n1 header sets both WAV header flags")
    spec_bytes, pos = read_sized(blob, pos, "codec spec", MAX_SPEC_LENGTH)
    try:
        spec = spec_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise CorruptDataError("the codec spec in the .n1 header is not ASCII") from None
    sample_rate, pos = read_uvarint(blob, pos, "sample rate")
    channels, pos = read_uvarint(blob, pos, "channel count")
    frames, pos = read_uvarint(blob, pos, "frame count")
    if not 1 <= channels <= MAX_CHANNELS:
        raise CorruptDataError(f"the .n1 header claims {channels} channels")
    if frames * channels > MAX_SAMPLES or sample_rate > 0xFFFFFFFF:
        raise CorruptDataError(
            f"the .n1 header claims {frames} frames x {channels} channels, more than a WAV file holds")
    if pos + 4 > len(blob):
        raise TruncatedDataError("truncated .n1 file: it ends inside the header")
    (crc,) = struct.unpack_from("<I", blob, pos)
    pos += 4
    wav_header = wav_trailer = None
    if flags & FLAG_WAV_VERBATIM:
        wav_header, pos = read_sized(blob, pos, "stored WAV header", len(blob))
        wav_trailer, pos = read_sized(blob, pos, "stored WAV trailer", len(blob))
    payload_size, pos = read_uvarint(blob, pos, "payload length")
    if pos + payload_size > len(blob):
        raise TruncatedDataError(
            f"truncated .n1 file: the payload needs {payload_size} bytes but only {len(blob) - pos} remain")
    if pos + payload_size != len(blob):
        raise CorruptDataError(f"{len(blob) - pos - payload_size} unexpected bytes after the .n1 payload")
    return Header(spec=spec, sample_rate=sample_rate, channels=channels, frames=frames, crc32=crc,
                  flags=flags, version=version, wav_header=wav_header, wav_trailer=wav_trailer,
                  payload_offset=pos, payload_size=payload_size, file_size=len(blob))
