"""Dictionary family: general-purpose byte compressors from the field's libraries.

Each coder sees one channel as the little-endian bytes of its 16-bit stream
(``input_kind = "u8"``) and hands them to a library: zstd (``zstandard``), LZ4
(``lz4``), zlib/gzip, LZMA and bzip2 (the standard library), bzip3 (``bzip3``).
The defaults are the settings that reproduce the N1 codec study's rows of the
same name; ``n1codec list`` states them.

Decoding never trusts the payload: output is bounded to the ``count`` bytes the
caller expects (a payload announcing more is refused before anything that size
is allocated), the stream must end exactly where the payload ends, and library
exceptions become :class:`~n1codec.errors.CorruptDataError` or
:class:`~n1codec.errors.TruncatedDataError` carrying the library's message.
"""
from __future__ import annotations

import struct
from typing import Optional

import numpy as np

from ..errors import CorruptDataError, TruncatedDataError
from .base import Coder, Param, as_stream
from .registry import register

#: Memory a decoder may use for its window/dictionary (a payload asking for more is refused).
MAX_DECODER_MEMORY = 1 << 28


def _bytes_out(name: str, out: bytes, count: int) -> np.ndarray:
    """Check the decoded length and return the bytes as a u8 stream."""
    if len(out) != count:
        if len(out) < count:
            raise TruncatedDataError(f"{name}: payload decodes to {len(out)} bytes, expected {count}")
        raise CorruptDataError(f"{name}: payload decodes to more than the {count} bytes expected")
    return np.frombuffer(out, dtype=np.uint8)


def _library_error(name: str, exc: BaseException, truncated: bool = False) -> CorruptDataError:
    cls = TruncatedDataError if truncated else CorruptDataError
    return cls(f"{name}: corrupt payload ({type(exc).__name__}: {exc})")


def _finish_streaming(name: str, out: bytes, count: int, eof: bool, unused: bytes,
                      more_input: bool) -> np.ndarray:
    """Shared end checks of the streaming decoders (zlib, bz2, lzma, lz4 frame).

    `out` was produced with a limit of count + 1 bytes, so a stream longer than
    announced shows as len(out) > count without ever being fully inflated.
    """
    if len(out) > count:
        raise CorruptDataError(f"{name}: payload decodes to more than the {count} bytes expected")
    if not eof:
        if more_input:
            raise CorruptDataError(f"{name}: payload holds more data than the {count} bytes expected")
        raise TruncatedDataError(f"{name}: payload ends before the end of its stream "
                                 f"({len(out)} of {count} bytes decoded)")
    if unused:
        raise CorruptDataError(f"{name}: {len(unused)} stray bytes after the end of the stream")
    return _bytes_out(name, out, count)


class _ByteCoder(Coder):
    """A library compressor over the bytes of the stream."""

    family = "dictionary"
    input_kind = "u8"

    def encode(self, data: np.ndarray) -> bytes:
        self.require()
        return self._compress(as_stream(data, "u8").tobytes())

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        self.require()
        return self._decompress(bytes(payload), int(count))

    def _compress(self, raw: bytes) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


# -- zstd ---------------------------------------------------------------------

_ZSTD_MAGIC = 0xFD2FB528


def zstd_frame_content_size(payload: bytes, name: str = "zstd") -> Optional[int]:
    """The decompressed size a zstd frame header announces, or None when it does not say.

    Parsed here so every zstd decoder (zstandard, numcodecs) can be checked
    before it allocates anything.
    """
    if len(payload) < 5:
        raise TruncatedDataError(f"{name}: payload of {len(payload)} bytes is shorter than a zstd frame header")
    magic, = struct.unpack_from("<I", payload, 0)
    if magic != _ZSTD_MAGIC:
        raise CorruptDataError(f"{name}: payload does not start with a zstd frame (magic {magic:#010x})")
    fhd = payload[4]
    fcs_flag = fhd >> 6
    single_segment = (fhd >> 5) & 1
    dict_flag = fhd & 3
    if fhd & 0x08:
        raise CorruptDataError(f"{name}: zstd frame header sets a reserved bit")
    pos = 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[dict_flag]
    fcs_bytes = (1 if single_segment else 0, 2, 4, 8)[fcs_flag]
    if fcs_bytes == 0:
        return None
    if len(payload) < pos + fcs_bytes:
        raise TruncatedDataError(f"{name}: payload ends inside the zstd frame header")
    value = int.from_bytes(payload[pos:pos + fcs_bytes], "little")
    return value + 256 if fcs_bytes == 2 else value


def check_zstd_size(payload: bytes, count: int, name: str) -> None:
    size = zstd_frame_content_size(payload, name)
    if size is not None and size != count:
        raise CorruptDataError(f"{name}: zstd frame announces {size} bytes, expected {count}")


@register
class Zstd(_ByteCoder):
    """Zstandard through the ``zstandard`` package (study row ``zstd``)."""

    name = "zstd"
    description = ("Zstandard (python 'zstandard'), one frame with its content size; "
                   "default level 22 (the maximum), as the study's 'zstd' row: measured on dev, "
                   "level 3 gives 2.15 and only levels 19-22 reach its 2.48 "
                   "(zstd:3 is the library default; negative levels are faster)")
    params = {"level": Param(int, 22, minimum=-7, maximum=22, help="compression level")}
    primary = "level"
    requires = ("zstandard",)
    install_hint = "pip install zstandard  (or: pip install 'n1codec[dictionary]')"

    def _compress(self, raw: bytes) -> bytes:
        import zstandard
        return zstandard.ZstdCompressor(level=self.config["level"], write_content_size=True).compress(raw)

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import zstandard
        check_zstd_size(payload, count, self.name)
        dctx = zstandard.ZstdDecompressor(max_window_size=MAX_DECODER_MEMORY)
        try:
            out = dctx.decompress(payload, max_output_size=max(count, 1), allow_extra_data=False)
        except zstandard.ZstdError as exc:
            raise _library_error(self.name, exc, truncated="truncated" in str(exc) or "end" in str(exc)) from None
        return _bytes_out(self.name, out, count)


# -- LZ4 ----------------------------------------------------------------------

@register
class LZ4(_ByteCoder):
    """LZ4 through the ``lz4`` package, in the LZ4 frame format (study row ``lz4``)."""

    name = "lz4"
    description = ("LZ4 frame format (python 'lz4.frame') with content size; default "
                   "compression_level 0 (fast LZ4), the library default, for the study's 'lz4' row "
                   "(1.34 on dev; the study's 1.11 matches an accelerated mode, about lz4:-8); "
                   "levels 3-16 switch to LZ4-HC, negative levels accelerate")
    params = {"level": Param(int, 0, minimum=-16, maximum=16, help="lz4.frame compression_level")}
    primary = "level"
    requires = ("lz4",)
    install_hint = "pip install lz4  (or: pip install 'n1codec[dictionary]')"

    def _compress(self, raw: bytes) -> bytes:
        import lz4.frame
        return lz4.frame.compress(raw, compression_level=self.config["level"], store_size=True)

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import lz4.frame
        dec = lz4.frame.LZ4FrameDecompressor()
        try:
            out = dec.decompress(payload, max_length=count + 1)
        except RuntimeError as exc:
            raise _library_error(self.name, exc) from None
        return _finish_streaming(self.name, out, count, dec.eof, dec.unused_data,
                                 more_input=dec.needs_input is False and not dec.eof)


@register
class LZ4HC(LZ4):
    """LZ4-HC: the LZ4 format with the high-compression match finder."""

    name = "lz4hc"
    description = ("LZ4-HC in the LZ4 frame format (python 'lz4.frame'), default level 9 "
                   "(LZ4HC_CLEVEL_DEFAULT); decodes with the plain LZ4 decoder")
    params = {"level": Param(int, 9, minimum=3, maximum=16, help="LZ4-HC level")}


# -- zlib / gzip (stdlib) -----------------------------------------------------

class _Deflate(_ByteCoder):
    wbits = 15

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import zlib
        dec = zlib.decompressobj(self.wbits)
        try:
            out = dec.decompress(payload, count + 1)
        except zlib.error as exc:
            raise _library_error(self.name, exc) from None
        return _finish_streaming(self.name, out, count, dec.eof, dec.unused_data,
                                 more_input=bool(dec.unconsumed_tail))


@register
class Zlib(_Deflate):
    """DEFLATE in the zlib container (2-byte header, Adler-32)."""

    name = "zlib"
    description = "DEFLATE in the zlib container (stdlib zlib); default level 9 (as 'zlib -9')"
    params = {"level": Param(int, 9, minimum=0, maximum=9, help="zlib level")}
    primary = "level"

    def _compress(self, raw: bytes) -> bytes:
        import zlib
        return zlib.compress(raw, self.config["level"])


@register
class Gzip(_Deflate):
    """DEFLATE in the gzip container, as the stdlib ``gzip`` module writes it (study row ``gzip``)."""

    name = "gzip"
    description = ("DEFLATE in the gzip container (stdlib gzip, mtime 0 so output is "
                   "reproducible); default level 9, gzip.compress's default, as the study's 'gzip' row")
    params = {"level": Param(int, 9, minimum=0, maximum=9, help="gzip level")}
    primary = "level"
    wbits = 31

    def _compress(self, raw: bytes) -> bytes:
        import gzip
        return gzip.compress(raw, compresslevel=self.config["level"], mtime=0)


# -- LZMA (stdlib) ------------------------------------------------------------

@register
class LZMA(_ByteCoder):
    """LZMA2 in the .xz container through the stdlib ``lzma`` module (study row ``lzma``)."""

    name = "lzma"
    description = ("LZMA2 in the .xz container (stdlib lzma, CRC-64 check); default preset 6, "
                   "lzma.compress's default, as the study's 'lzma' row (0-9; extreme=true adds -e)")
    params = {
        "preset": Param(int, 6, minimum=0, maximum=9, help="xz preset"),
        "extreme": Param(bool, False, help="PRESET_EXTREME (slower, sometimes smaller)"),
    }
    primary = "preset"

    def _compress(self, raw: bytes) -> bytes:
        import lzma
        preset = self.config["preset"] | (lzma.PRESET_EXTREME if self.config["extreme"] else 0)
        return lzma.compress(raw, format=lzma.FORMAT_XZ, preset=preset)

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import lzma
        dec = lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=MAX_DECODER_MEMORY)
        try:
            out = dec.decompress(payload, max_length=count + 1)
        except lzma.LZMAError as exc:
            raise _library_error(self.name, exc) from None
        # .xz may hold several streams; a well-formed payload from us holds one.
        return _finish_streaming(self.name, out, count, dec.eof, dec.unused_data,
                                 more_input=not dec.needs_input and not dec.eof)


# -- bzip2 (stdlib) -----------------------------------------------------------

@register
class BZ2(_ByteCoder):
    """bzip2 (BWT + MTF + Huffman) through the stdlib ``bz2`` module (study row ``bz2``)."""

    name = "bz2"
    description = ("bzip2 (stdlib bz2); default level 9 (900 kB blocks), bz2.compress's default, "
                   "as the study's 'bz2' row")
    params = {"level": Param(int, 9, minimum=1, maximum=9, help="block size in 100 kB")}
    primary = "level"

    def _compress(self, raw: bytes) -> bytes:
        import bz2
        return bz2.compress(raw, self.config["level"])

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import bz2
        dec = bz2.BZ2Decompressor()
        try:
            out = dec.decompress(payload, max_length=count + 1)
        except (OSError, ValueError) as exc:
            raise _library_error(self.name, exc) from None
        return _finish_streaming(self.name, out, count, dec.eof, dec.unused_data,
                                 more_input=not dec.needs_input and not dec.eof)


# -- bzip3 (PyPI 'bzip3', module 'bz3') ---------------------------------------

_BZ3_MAGIC = b"BZ3v1"
_BZ3_MIN_BLOCK = 65 * 1024
_BZ3_MAX_BLOCK = 511 * 1024 * 1024


def _bz3_block_size(count: int) -> int:
    """The block size libbzip3 picks for an input of `count` bytes in one call (one block)."""
    return max(_BZ3_MIN_BLOCK, min(_BZ3_MAX_BLOCK, count + count // 50 + 32))


@register
class BZip3(_ByteCoder):
    """bzip3 (BWT + context-mixing entropy coder) through the ``bzip3`` package."""

    name = "bzip3"
    description = ("bzip3 (PyPI 'bzip3', libbzip3's bz3_compress): BWT then a context-mixing "
                   "arithmetic coder; one block holding the whole channel")
    requires = ("bz3",)
    install_hint = "pip install bzip3  (or: pip install 'n1codec[dictionary]')"

    def _compress(self, raw: bytes) -> bytes:
        import bz3
        src = np.frombuffer(raw, dtype=np.uint8)
        dst = np.empty(bz3.bound(len(raw)) + 64, dtype=np.uint8)
        try:
            size = bz3.compress_into(src, dst, _bz3_block_size(len(raw)))
        except ValueError as exc:  # pragma: no cover - only on library failure
            raise CorruptDataError(f"bzip3: compression failed ({exc})") from None
        return dst[:size].tobytes()

    def _decompress(self, payload: bytes, count: int) -> np.ndarray:
        import bz3
        # Header: magic, block size (u32), block count (u32). Check both before the
        # library allocates its block-sized work buffers.
        if len(payload) < 13:
            raise TruncatedDataError(f"bzip3: payload of {len(payload)} bytes is shorter than its header")
        if payload[:5] != _BZ3_MAGIC:
            raise CorruptDataError("bzip3: payload does not start with the bzip3 signature")
        block_size, blocks = struct.unpack_from("<II", payload, 5)
        if not _BZ3_MIN_BLOCK <= block_size <= _bz3_block_size(count):
            raise CorruptDataError(f"bzip3: block size {block_size} is implausible for {count} bytes")
        if blocks > count // _BZ3_MIN_BLOCK + 1:
            raise CorruptDataError(f"bzip3: {blocks} blocks is implausible for {count} bytes")
        # Each block: compressed size (u32), original size (u32), data. They must add up.
        pos, total = 13, 0
        for _ in range(blocks):
            if pos + 8 > len(payload):
                raise TruncatedDataError("bzip3: payload ends inside a block header")
            packed, original = struct.unpack_from("<II", payload, pos)
            if original > block_size:
                raise CorruptDataError(f"bzip3: block of {original} bytes exceeds the block size {block_size}")
            pos += 8 + packed
            total += original
        if pos > len(payload):
            raise TruncatedDataError(f"bzip3: payload ends {pos - len(payload)} bytes before its last block does")
        if pos != len(payload):
            raise CorruptDataError(f"bzip3: {len(payload) - pos} stray bytes after the last block")
        if total != count:
            raise CorruptDataError(f"bzip3: blocks hold {total} bytes, expected {count}")
        out = np.empty(count, dtype=np.uint8)
        try:
            size = bz3.decompress_into(np.frombuffer(payload, dtype=np.uint8), out)
        except ValueError as exc:
            text = str(exc)
            # libbzip3 error codes: -5 truncated data, -6 output too small (stream longer than announced)
            raise _library_error(self.name, exc, truncated="-5" in text) from None
        if size != count:
            raise TruncatedDataError(f"bzip3: payload decodes to {size} bytes, expected {count}")
        return out
