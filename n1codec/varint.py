"""Unsigned LEB128 varints: the integers of .n1 headers and pipeline framing."""
from __future__ import annotations

from typing import Tuple

from .errors import CorruptDataError, TruncatedDataError

MAX_VARINT_BYTES = 10  # enough for any 64-bit value


def encode_uvarint(value: int) -> bytes:
    if value < 0:
        raise ValueError(f"varints are unsigned, got {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_uvarint(buf: bytes, pos: int, what: str = "value") -> Tuple[int, int]:
    """Read a varint at `pos`; return (value, position after it)."""
    value = 0
    for i in range(MAX_VARINT_BYTES):
        if pos + i >= len(buf):
            raise TruncatedDataError(f"truncated while reading the {what}")
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            if i > 0 and byte == 0:
                raise CorruptDataError(f"the varint holding the {what} is not minimally encoded")
            return value, pos + i + 1
    raise CorruptDataError(f"the varint holding the {what} is longer than {MAX_VARINT_BYTES} bytes")


def read_sized(buf: bytes, pos: int, what: str, limit: int, copy: bool = True) -> Tuple[bytes, int]:
    """Read a varint length then that many bytes; the length must not exceed `limit`
    or the bytes actually present. copy=False: a slice of buf instead of new bytes (no
    copy when buf is a memoryview)."""
    size, pos = read_uvarint(buf, pos, f"length of the {what}")
    if size > limit:
        raise CorruptDataError(f"the {what} claims {size} bytes, more than the {limit} allowed")
    if pos + size > len(buf):
        raise TruncatedDataError(
            f"truncated: the {what} needs {size} bytes but only {len(buf) - pos} remain")
    return (bytes(buf[pos:pos + size]) if copy else buf[pos:pos + size]), pos + size
