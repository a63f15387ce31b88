"""The .n1 file format, version 2 (documented in FORMAT.md); version 1 files still decode.

::

    magic        4 bytes  89 'N' '1' 'C'
    version      1 byte   2 (1: the same without the header CRC)
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
    payload len  varint
    header crc   4 bytes  version 2 only: little-endian CRC-32 of every byte from the magic
                          to the payload length included; checked before any field is trusted
    payload      bytes    must end exactly at the end of the file

Every length is checked against the bytes really present before anything is
allocated; the sample count may not exceed what a WAV file can hold.
"""
from __future__ import annotations

import functools
import struct
import zlib
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from .errors import (ChecksumError, CorruptDataError, InvalidInputError, NotN1FileError,
                     TruncatedDataError, UnsupportedFeatureError, UnsupportedVersionError)
from .varint import encode_uvarint, read_sized, read_uvarint

MAGIC = b"\x89N1C"
#: The version written; every version in SUPPORTED_VERSIONS is read.
FORMAT_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
FLAG_WAV_CANONICAL = 1
FLAG_WAV_VERBATIM = 2
FLAG_ONE_DIMENSIONAL = 4
_KNOWN_FLAGS = FLAG_WAV_CANONICAL | FLAG_WAV_VERBATIM | FLAG_ONE_DIMENSIONAL
#: A WAV data chunk holds at most 4 GiB: 2^31 int16 samples.
MAX_SAMPLES = 1 << 31
MAX_CHANNELS = 65535
MAX_SPEC_LENGTH = 1024
#: A WAV header stores the sample rate in 32 bits.
MAX_SAMPLE_RATE = 0xFFFFFFFF


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


def crc32(data) -> int:
    """zlib's CRC-32 of a bytes-like object, by the fastest implementation here."""
    return _crc_function()(data)


def sample_crc32(samples: np.ndarray) -> int:
    """CRC-32 of the samples as interleaved little-endian int16 (the header's CRC)."""
    return crc32(np.ascontiguousarray(samples, dtype="<i2").reshape(-1).view(np.uint8))


def pack(header: Header, payload: bytes, version: int = FORMAT_VERSION) -> bytes:
    """Serialise a header and payload into .n1 bytes (format `version`: 2, or 1 for tests of old files)."""
    flags = header.flags
    if flags & ~_KNOWN_FLAGS or flags < 0:
        raise InvalidInputError(f"unknown .n1 flags 0x{flags:x}")
    if not 0 <= header.sample_rate <= MAX_SAMPLE_RATE:
        raise InvalidInputError(
            f"sample rate {header.sample_rate} Hz does not fit the 32-bit field of a WAV header")
    if version not in SUPPORTED_VERSIONS:
        raise InvalidInputError(f"cannot write .n1 format version {version}")
    out = bytearray(MAGIC)
    out.append(version)
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
    if version >= 2:
        out += struct.pack("<I", zlib.crc32(out))
    return b"".join((out, payload))  # one copy of the payload (not += then bytes())


def _read_layout(blob, version: int) -> Tuple[Header, bytes]:
    """Walk the header's fields, checking only that each is present; returns the header
    (spec still empty) and the spec's bytes. Values are validated later."""
    pos = 5
    flags, pos = read_uvarint(blob, pos, "flags")
    if version == 1:  # version 1 has no header CRC: refuse what can be refused as early as before
        _check_flags(flags)
    spec_bytes, pos = read_sized(blob, pos, "codec spec", MAX_SPEC_LENGTH)
    sample_rate, pos = read_uvarint(blob, pos, "sample rate")
    channels, pos = read_uvarint(blob, pos, "channel count")
    frames, pos = read_uvarint(blob, pos, "frame count")
    if version == 1:
        _check_sizes(sample_rate, channels, frames)
    if pos + 4 > len(blob):
        raise TruncatedDataError("truncated .n1 file: it ends inside the header")
    (crc,) = struct.unpack_from("<I", blob, pos)
    pos += 4
    wav_header = wav_trailer = None
    if flags & FLAG_WAV_VERBATIM:
        wav_header, pos = read_sized(blob, pos, "stored WAV header", len(blob))
        wav_trailer, pos = read_sized(blob, pos, "stored WAV trailer", len(blob))
    payload_size, pos = read_uvarint(blob, pos, "payload length")
    header = Header(spec="", sample_rate=sample_rate, channels=channels, frames=frames, crc32=crc,
                    flags=flags, version=version, wav_header=wav_header, wav_trailer=wav_trailer,
                    payload_offset=pos, payload_size=payload_size, file_size=len(blob))
    return header, spec_bytes


def _check_flags(flags: int) -> None:
    if flags & ~_KNOWN_FLAGS:
        raise UnsupportedFeatureError(f"the .n1 header sets unknown flags 0x{flags:x}; upgrade n1codec")
    if (flags & FLAG_WAV_CANONICAL) and (flags & FLAG_WAV_VERBATIM):
        raise CorruptDataError("the .n1 header sets both WAV header flags")


def _check_sizes(sample_rate: int, channels: int, frames: int) -> None:
    if not 1 <= channels <= MAX_CHANNELS:
        raise CorruptDataError(f"the .n1 header claims {channels} channels")
    if frames * channels > MAX_SAMPLES or sample_rate > MAX_SAMPLE_RATE:
        raise CorruptDataError(
            f"the .n1 header claims {frames} frames x {channels} channels, more than a WAV file holds")


def _check_header_crc(blob, end: int) -> int:
    """Version 2: the CRC-32 after the payload length must match every header byte before it."""
    if end + 4 > len(blob):
        raise TruncatedDataError("truncated .n1 file: it ends inside the header")
    (stored,) = struct.unpack_from("<I", blob, end)
    actual = zlib.crc32(blob[:end])
    if stored != actual:
        raise ChecksumError(
            f"the .n1 header is corrupt (header CRC-32 stored 0x{stored:08x}, computed 0x{actual:08x})")
    return end + 4


def unpack_header(blob: bytes) -> Header:
    """Parse and validate the header; the payload's presence is checked, not decoded."""
    blob = memoryview(blob).cast("B") if not isinstance(blob, (bytes, bytearray)) else blob
    if len(blob) < len(MAGIC) or bytes(blob[:4]) != MAGIC:
        raise NotN1FileError("not an .n1 file (missing the \\x89N1C magic bytes)")
    if len(blob) < 5:
        raise TruncatedDataError("truncated .n1 file: it ends after the magic bytes")
    version = blob[4]
    if version not in SUPPORTED_VERSIONS:
        raise UnsupportedVersionError(
            f".n1 format version {version} is not supported by this release (it reads versions "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}, and 3, chunked recordings, through "
            "n1codec.open); upgrade n1codec")
    header, spec_bytes = _read_layout(blob, version)
    pos = header.payload_offset
    if version >= 2:
        pos = header.payload_offset = _check_header_crc(blob, pos)
    _check_flags(header.flags)
    _check_sizes(header.sample_rate, header.channels, header.frames)
    try:
        header.spec = spec_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise CorruptDataError("the codec spec in the .n1 header is not ASCII") from None
    payload_size = header.payload_size
    if pos + payload_size > len(blob):
        raise TruncatedDataError(
            f"truncated .n1 file: the payload needs {payload_size} bytes but only {len(blob) - pos} remain")
    if pos + payload_size != len(blob):
        raise CorruptDataError(f"{len(blob) - pos - payload_size} unexpected bytes after the .n1 payload")
    return header
