"""The chunked .n1 file format, version 3 (documented in FORMAT.md).

A chunked file holds a recording of any length as fixed-duration chunks (all
channels), each coded on its own with any codec spec, so that a time range
decodes only the chunks it touches and a truncated file loses only its tail::

    magic         4 bytes  89 'N' '1' 'C'
    version       1 byte   3
    header size   4 bytes  u32: bytes of the header body and its CRC that follow
    header body   flags, sample encoding, codec spec, rate, channels, frames,
                  chunk frames, source kind, prefix, suffix, attachments
    header crc    4 bytes  CRC-32 of every byte from the magic to here
    chunk 0 .. N-1         each: u32 payload size, u32 payload CRC, u32 samples CRC, payload
    index         'N1IX', u32 N, N+1 u64 offsets (chunk starts, then the index's own), u32 CRC
    footer        16 bytes: u64 index offset, u32 CRC of those 8 bytes, 89 'N' '1' 'E'

This module is the format only: it packs and parses these structures and checks
every length and CRC. Streaming, threads and the sources live in
:mod:`n1codec.recording` and :mod:`n1codec.formats`.
"""
from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from .container import crc32
from .errors import (ChecksumError, CorruptDataError, InvalidInputError, NotN1FileError,
                     TruncatedDataError, UnsupportedFeatureError)
from .varint import encode_uvarint, read_sized, read_uvarint

MAGIC = b"\x89N1C"
VERSION = 3
END_MAGIC = b"\x89N1E"
INDEX_MAGIC = b"N1IX"
#: magic + version + header size
PREAMBLE_SIZE = 9
FOOTER_SIZE = 16
#: u32 payload size, u32 payload CRC-32, u32 samples CRC-32
RECORD_HEAD_SIZE = 12
_RECORD_HEAD = struct.Struct("<III")
_FOOTER = struct.Struct("<QI4s")

FLAG_ONE_DIMENSIONAL = 1
_KNOWN_FLAGS = FLAG_ONE_DIMENSIONAL

#: How the source file stores each sample; decoding writes the samples back the same way.
SAMPLE_ENCODINGS = {0: "<i2", 1: ">i2", 2: "<u2", 3: ">u2"}
ENCODING_OF_DTYPE = {np.dtype(v).str: k for k, v in SAMPLE_ENCODINGS.items()}

MAX_HEADER_SIZE = 64 << 20          # prefix, suffix and attachments included
MAX_SPEC_LENGTH = 1024
MAX_CHANNELS = 65535
MAX_SOURCE_KIND = 32
MAX_ATTACHMENTS = 64
MAX_ATTACHMENT_NAME = 255
#: One decoded chunk is at most this many samples (128 MiB of int16), all channels together.
MAX_CHUNK_SAMPLES = 1 << 26
#: A chunk payload is at most this much larger than its raw int16 samples (a coder's worst case).
_PAYLOAD_SLACK = 1 << 16


def max_payload_size(chunk_samples: int) -> int:
    """The largest payload a chunk of `chunk_samples` samples may honestly claim."""
    return 4 * chunk_samples + _PAYLOAD_SLACK


@dataclass
class ChunkedHeader:
    """Everything in a chunked .n1 file but the chunks (the index is added by readers)."""

    spec: str
    sample_rate: float
    channels: int
    frames: int
    chunk_frames: int
    sample_encoding: int = 0
    flags: int = 0
    source_kind: str = "array"
    prefix: bytes = b""
    suffix: bytes = b""
    attachments: Dict[str, bytes] = field(default_factory=dict)
    version: int = VERSION
    data_offset: int = 0
    file_size: int = 0
    #: filled by readers from the index: total bytes of the chunk records
    payload_size: int = 0

    @property
    def dtype(self) -> np.dtype:
        """The source's sample type as stored in its file (e.g. '<i2')."""
        return np.dtype(SAMPLE_ENCODINGS[self.sample_encoding])

    @property
    def chunk_count(self) -> int:
        return chunk_count(self.frames, self.chunk_frames)

    @property
    def samples(self) -> int:
        return self.frames * self.channels

    @property
    def original_size(self) -> int:
        """Bytes of the original file: prefix, samples and suffix (attachments not counted)."""
        return len(self.prefix) + 2 * self.samples + len(self.suffix)

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else float("nan")

    @property
    def is_wav(self) -> bool:
        return self.source_kind == "wav"

    def chunk_range(self, index: int) -> Tuple[int, int]:
        """First frame and frame count of chunk `index`."""
        start = index * self.chunk_frames
        return start, min(self.chunk_frames, self.frames - start)


def chunk_count(frames: int, chunk_frames: int) -> int:
    return -(-frames // chunk_frames) if frames else 0


def is_chunked(head: bytes) -> bool:
    """True when `head` (at least the first 5 bytes of a file) starts a chunked .n1 file."""
    return len(head) >= 5 and bytes(head[:4]) == MAGIC and head[4] == VERSION


# -- header -----------------------------------------------------------------------

def _sized(data: bytes) -> bytes:
    return encode_uvarint(len(data)) + data


def pack_header(header: ChunkedHeader) -> bytes:
    """The preamble, header body and header CRC: the bytes before chunk 0."""
    _check_header_fields(header, InvalidInputError)
    body = bytearray()
    body += encode_uvarint(header.flags)
    body += encode_uvarint(header.sample_encoding)
    body += _sized(header.spec.encode("ascii"))
    body += struct.pack("<d", float(header.sample_rate))
    body += encode_uvarint(header.channels)
    body += encode_uvarint(header.frames)
    body += encode_uvarint(header.chunk_frames)
    body += _sized(header.source_kind.encode("ascii"))
    body += _sized(header.prefix)
    body += _sized(header.suffix)
    body += encode_uvarint(len(header.attachments))
    for name, data in header.attachments.items():
        body += _sized(name.encode("utf-8")) + _sized(bytes(data))
    size = len(body) + 4
    if size > MAX_HEADER_SIZE:
        raise InvalidInputError(
            f"the header (prefix, suffix and attachments) takes {size} bytes, more than the "
            f"{MAX_HEADER_SIZE} a chunked .n1 file allows")
    out = bytearray(MAGIC) + bytes([VERSION]) + struct.pack("<I", size) + body
    out += struct.pack("<I", zlib.crc32(out))
    return bytes(out)


def _check_header_fields(h: ChunkedHeader, error) -> None:
    """The limits a header must respect, both when written and when read."""
    if h.flags & ~_KNOWN_FLAGS:
        raise UnsupportedFeatureError(f"the chunked .n1 header sets unknown flags 0x{h.flags:x}; upgrade n1codec")
    if h.sample_encoding not in SAMPLE_ENCODINGS:
        raise UnsupportedFeatureError(f"the chunked .n1 header names an unknown sample encoding {h.sample_encoding}")
    if not 1 <= h.channels <= MAX_CHANNELS:
        raise error(f"a chunked .n1 file holds 1 to {MAX_CHANNELS} channels, the header says {h.channels}")
    if h.chunk_frames < 1 or h.chunk_frames * h.channels > MAX_CHUNK_SAMPLES:
        raise error(f"{h.chunk_frames} frames per chunk x {h.channels} channels: a chunk holds 1 to "
                    f"{MAX_CHUNK_SAMPLES} samples")
    if not (math.isfinite(h.sample_rate) and h.sample_rate >= 0):
        raise error(f"the sample rate must be a finite number >= 0, got {h.sample_rate}")
    if len(h.spec) > MAX_SPEC_LENGTH or len(h.source_kind) > MAX_SOURCE_KIND:
        raise error("the codec spec or source kind is too long")
    if len(h.attachments) > MAX_ATTACHMENTS:
        raise error(f"{len(h.attachments)} attachments; at most {MAX_ATTACHMENTS} are allowed")


def _ascii(data: bytes, what: str) -> str:
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise CorruptDataError(f"the {what} in the chunked .n1 header is not ASCII") from None


def read_preamble(head: bytes, file_size: int) -> int:
    """Check magic and version in the first 9 bytes; return the header body size (with its CRC)."""
    if len(head) < 4 or bytes(head[:4]) != MAGIC:
        raise NotN1FileError("not an .n1 file (missing the \\x89N1C magic bytes)")
    if len(head) < PREAMBLE_SIZE:
        raise TruncatedDataError("truncated .n1 file: it ends inside the chunked header's preamble")
    if head[4] != VERSION:
        raise CorruptDataError(f"not a chunked .n1 file (format version {head[4]})")
    (size,) = struct.unpack_from("<I", head, 5)
    if size < 4 or size > MAX_HEADER_SIZE:
        raise CorruptDataError(f"the chunked .n1 header claims {size} bytes (allowed: 4 to {MAX_HEADER_SIZE})")
    if PREAMBLE_SIZE + size > file_size:
        raise TruncatedDataError(
            f"truncated .n1 file: the header needs {size} bytes but only {file_size - PREAMBLE_SIZE} remain")
    return size


def unpack_header(blob: bytes, file_size: int) -> ChunkedHeader:
    """Parse and check a header: `blob` holds the preamble and the whole header (CRC included)."""
    size = read_preamble(blob, file_size)
    end = PREAMBLE_SIZE + size
    if len(blob) < end:
        raise TruncatedDataError("truncated .n1 file: it ends inside the chunked header")
    (stored,) = struct.unpack_from("<I", blob, end - 4)
    if zlib.crc32(bytes(blob[:end - 4])) != stored:
        raise ChecksumError("the chunked .n1 header is corrupt (its CRC-32 does not match)")
    body = bytes(blob[PREAMBLE_SIZE:end - 4])
    pos = 0
    flags, pos = read_uvarint(body, pos, "flags")
    encoding, pos = read_uvarint(body, pos, "sample encoding")
    spec, pos = read_sized(body, pos, "codec spec", MAX_SPEC_LENGTH)
    if pos + 8 > len(body):
        raise CorruptDataError("the chunked .n1 header ends inside the sample rate")
    (rate,) = struct.unpack_from("<d", body, pos)
    pos += 8
    channels, pos = read_uvarint(body, pos, "channel count")
    frames, pos = read_uvarint(body, pos, "frame count")
    chunk_frames, pos = read_uvarint(body, pos, "frames per chunk")
    kind, pos = read_sized(body, pos, "source kind", MAX_SOURCE_KIND)
    prefix, pos = read_sized(body, pos, "stored file prefix", len(body))
    suffix, pos = read_sized(body, pos, "stored file suffix", len(body))
    count, pos = read_uvarint(body, pos, "attachment count")
    if count > MAX_ATTACHMENTS:
        raise CorruptDataError(f"the chunked .n1 header claims {count} attachments")
    attachments: Dict[str, bytes] = {}
    for _ in range(count):
        name, pos = read_sized(body, pos, "attachment name", MAX_ATTACHMENT_NAME)
        data, pos = read_sized(body, pos, "attachment", len(body))
        try:
            attachments[name.decode("utf-8")] = data
        except UnicodeDecodeError:
            raise CorruptDataError("an attachment name in the chunked .n1 header is not UTF-8") from None
    if pos != len(body):
        raise CorruptDataError(f"{len(body) - pos} unexpected bytes at the end of the chunked .n1 header")
    header = ChunkedHeader(spec=_ascii(spec, "codec spec"), sample_rate=rate, channels=channels,
                           frames=frames, chunk_frames=chunk_frames, sample_encoding=encoding,
                           flags=flags, source_kind=_ascii(kind, "source kind"), prefix=prefix,
                           suffix=suffix, attachments=attachments, data_offset=end, file_size=file_size)
    _check_header_fields(header, CorruptDataError)
    # The chunk count is not checked against the file size here: a truncated file
    # holds fewer. The index (whose size must match the file) or a scan bounded by
    # the file size gives the chunks really present; nothing is sized from the count.
    return header


# -- chunk records ------------------------------------------------------------------

def pack_record_head(payload: bytes, samples_crc: int) -> bytes:
    return _RECORD_HEAD.pack(len(payload), crc32(payload), samples_crc)


def check_record(record: bytes, index: int, header: ChunkedHeader) -> Tuple[memoryview, int]:
    """Check a whole chunk record (head and payload); return (payload, samples CRC)."""
    if len(record) < RECORD_HEAD_SIZE:
        raise CorruptDataError(f"chunk {index} is shorter than its 12-byte head")
    size, payload_crc, samples_crc = _RECORD_HEAD.unpack_from(record)
    if size != len(record) - RECORD_HEAD_SIZE:
        raise CorruptDataError(
            f"chunk {index} claims {size} payload bytes but the index gives it {len(record) - RECORD_HEAD_SIZE}")
    payload = memoryview(record)[RECORD_HEAD_SIZE:]
    if crc32(payload) != payload_crc:
        raise ChecksumError(f"chunk {index} is corrupt (the CRC-32 of its compressed bytes does not match)")
    return payload, samples_crc


def record_size_limit(header: ChunkedHeader, index: int) -> int:
    _, frames = header.chunk_range(index)
    return RECORD_HEAD_SIZE + max_payload_size(frames * header.channels)


def scan_records(read_at, header: ChunkedHeader) -> List[int]:
    """Walk the chunk records from the first one using only their heads.

    For a file whose index is missing (truncated). Returns the offsets of the
    records that are wholly present, in order, plus the end of the last one.
    `read_at(offset, size)` returns up to `size` bytes.
    """
    offsets = [header.data_offset]
    for index in range(header.chunk_count):
        start = offsets[-1]
        head = read_at(start, RECORD_HEAD_SIZE)
        if len(head) < RECORD_HEAD_SIZE:
            break
        size = _RECORD_HEAD.unpack_from(head)[0]
        end = start + RECORD_HEAD_SIZE + size
        if end > header.file_size or end - start > record_size_limit(header, index):
            break
        offsets.append(end)
    return offsets


# -- index and footer --------------------------------------------------------------

def pack_index(offsets: List[int], index_offset: int) -> bytes:
    """The index (chunk start offsets, then its own offset) followed by the footer."""
    body = INDEX_MAGIC + struct.pack("<I", len(offsets)) + np.asarray(
        list(offsets) + [index_offset], dtype="<u8").tobytes()
    index = body + struct.pack("<I", zlib.crc32(body))
    where = struct.pack("<Q", index_offset)
    return index + _FOOTER.pack(index_offset, zlib.crc32(where), END_MAGIC)


def index_size(count: int) -> int:
    return len(INDEX_MAGIC) + 4 + 8 * (count + 1) + 4


def read_footer(footer: bytes, header: ChunkedHeader) -> Optional[int]:
    """The index offset from the last 16 bytes, or None when they are not a footer (truncated file)."""
    if len(footer) < FOOTER_SIZE:
        return None
    index_offset, crc, end = _FOOTER.unpack_from(footer)
    if end != END_MAGIC:
        return None
    if zlib.crc32(struct.pack("<Q", index_offset)) != crc:
        raise ChecksumError("the chunked .n1 footer is corrupt (its CRC-32 does not match)")
    expected_end = index_offset + index_size(header.chunk_count) + FOOTER_SIZE
    if index_offset < header.data_offset or expected_end != header.file_size:
        raise CorruptDataError(
            f"the chunked .n1 footer points to an index at byte {index_offset}, which does not fit "
            f"{header.chunk_count} chunks in a {header.file_size}-byte file")
    return index_offset


def unpack_index(blob: bytes, index_offset: int, header: ChunkedHeader) -> np.ndarray:
    """Parse and check the index: returns chunk_count + 1 offsets (the last is the index's own)."""
    count = header.chunk_count
    if len(blob) != index_size(count):
        raise TruncatedDataError("truncated .n1 file: it ends inside the chunk index")
    if bytes(blob[:4]) != INDEX_MAGIC:
        raise CorruptDataError("the chunked .n1 index is corrupt (no N1IX marker where the footer points)")
    (stored,) = struct.unpack_from("<I", blob, len(blob) - 4)
    if zlib.crc32(bytes(blob[:-4])) != stored:
        raise ChecksumError("the chunked .n1 index is corrupt (its CRC-32 does not match)")
    (claimed,) = struct.unpack_from("<I", blob, 4)
    if claimed != count:
        raise CorruptDataError(f"the chunk index lists {claimed} chunks; the header implies {count}")
    offsets = np.frombuffer(blob, dtype="<u8", count=count + 1, offset=8).astype(np.int64)
    if offsets[0] != header.data_offset or offsets[-1] != index_offset:
        raise CorruptDataError("the chunk index does not start at the first chunk and end at the index")
    sizes = np.diff(offsets)
    if count and sizes.min() < RECORD_HEAD_SIZE:
        raise CorruptDataError("the chunk index lists chunks out of order or shorter than their head")
    limits = np.array([record_size_limit(header, i) for i in range(count)], dtype=np.int64)
    if count and (sizes > limits).any():
        bad = int(np.argmax(sizes > limits))
        raise CorruptDataError(f"the chunk index gives chunk {bad} {int(sizes[bad])} bytes, more than it may hold")
    return offsets


def describe(header: ChunkedHeader) -> dict:
    """A JSON-friendly summary (what `n1codec info` prints)."""
    return {
        "format_version": header.version, "codec": header.spec, "sample_rate": header.sample_rate,
        "channels": header.channels, "frames": header.frames, "chunk_frames": header.chunk_frames,
        "chunks": header.chunk_count, "source": header.source_kind, "sample_dtype": header.dtype.str,
        "attachments": {name: len(data) for name, data in header.attachments.items()},
    }
