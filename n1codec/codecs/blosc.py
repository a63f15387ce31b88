"""Blosc hybrids: a shuffle filter then a dictionary coder, through ``numcodecs``.

Blosc cuts the buffer into blocks, optionally shuffles each block (byte shuffle
groups the low bytes of every 16-bit sample, then the high bytes), and hands the
blocks to one of its codecs (zstd, lz4, lz4hc, zlib, blosclz). The stream is
given to Blosc as 16-bit items (``typesize`` 2), as the study gave it int16
arrays, so the shuffle works on samples.

Also here: ``numcodecs_zstd``, plain zstd through ``numcodecs.Zstd`` (the study's
``lstd_numcodec`` row: level 22).

Decoding checks the Blosc header (sizes, item size) against what the caller
expects before numcodecs allocates or reads anything.
"""
from __future__ import annotations

import struct

import numpy as np

from ..errors import CorruptDataError, TruncatedDataError
from .base import Coder, Param, as_stream
from .dictionary import check_zstd_size, zstd_frame_content_size
from .registry import register

_BLOSC_HEADER = 16
_SHUFFLES = {"none": 0, "byte": 1, "bit": 2}
_INSTALL = "pip install numcodecs  (or: pip install 'n1codec[blosc]')"


@register
class Blosc(Coder):
    """Blosc (1.x format) over the 16-bit stream, through ``numcodecs.Blosc``."""

    name = "blosc"
    family = "blosc"
    description = ("Blosc through numcodecs.Blosc on 16-bit items (typesize 2); defaults are "
                   "numcodecs.Blosc's: clevel 5, byte shuffle, automatic block size. The study's rows: "
                   "blosc_zstd = blosc:zstd, blosc_lz4 = blosc:lz4, blosc_lz4hc = blosc:lz4hc, "
                   "blosc_zlib = blosc:zlib (each clevel 5, byte shuffle)")
    params = {
        "cname": Param(str, "lz4", choices=("zstd", "lz4", "lz4hc", "zlib", "blosclz"),
                       help="Blosc's inner codec"),
        "clevel": Param(int, 5, minimum=0, maximum=9, help="compression level"),
        "shuffle": Param(str, "byte", choices=tuple(_SHUFFLES), help="shuffle filter"),
        "blocksize": Param(int, 0, minimum=0, maximum=1 << 30, help="block size in bytes (0: automatic)"),
    }
    primary = "cname"
    requires = ("numcodecs",)
    install_hint = _INSTALL
    input_kind = "u16"

    def _codec(self):
        from numcodecs import Blosc as NCBlosc
        return NCBlosc(cname=self.config["cname"], clevel=self.config["clevel"],
                       shuffle=_SHUFFLES[self.config["shuffle"]], blocksize=self.config["blocksize"])

    def encode(self, data: np.ndarray) -> bytes:
        self.require()
        return bytes(self._codec().encode(as_stream(data, "u16")))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        self.require()
        payload = bytes(payload)
        if len(payload) < _BLOSC_HEADER:
            raise TruncatedDataError(f"blosc: payload of {len(payload)} bytes is shorter than a Blosc header")
        version, _, _, typesize, nbytes, _, cbytes = struct.unpack_from("<BBBBIII", payload, 0)
        if version not in (1, 2):
            raise CorruptDataError(f"blosc: unknown Blosc format version {version}")
        if nbytes != 2 * count or typesize not in (1, 2):
            raise CorruptDataError(f"blosc: header announces {nbytes} bytes of {typesize}-byte items, "
                                   f"expected {2 * count} bytes of 2-byte items")
        if cbytes != len(payload):
            cls = TruncatedDataError if cbytes > len(payload) else CorruptDataError
            raise cls(f"blosc: header announces {cbytes} compressed bytes, payload has {len(payload)}")
        out = np.empty(count, dtype=np.uint16)
        if count == 0:
            return out
        try:
            self._codec().decode(payload, out=out)
        except (RuntimeError, ValueError) as exc:
            raise CorruptDataError(f"blosc: corrupt payload ({type(exc).__name__}: {exc})") from None
        return out


@register
class NumcodecsZstd(Coder):
    """Zstandard through ``numcodecs.Zstd`` (the study's ``lstd_numcodec`` row: level 22)."""

    name = "numcodecs_zstd"
    family = "blosc"
    description = ("zstd through numcodecs.Zstd (its bundled libzstd, no checksum); default level 22, "
                   "as the study's 'lstd_numcodec' row")
    params = {"level": Param(int, 22, minimum=-7, maximum=22, help="zstd level")}
    primary = "level"
    requires = ("numcodecs",)
    install_hint = _INSTALL
    input_kind = "u8"

    def encode(self, data: np.ndarray) -> bytes:
        self.require()
        from numcodecs import Zstd
        return bytes(Zstd(level=self.config["level"]).encode(as_stream(data, "u8")))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        self.require()
        from numcodecs import Zstd
        payload = bytes(payload)
        check_zstd_size(payload, count, self.name)
        if zstd_frame_content_size(payload, self.name) is None:
            raise CorruptDataError(f"{self.name}: zstd frame does not state its size")
        out = np.empty(count, dtype=np.uint8)
        if count == 0:
            return out
        try:
            Zstd().decode(payload, out=out)
        except (RuntimeError, ValueError) as exc:
            truncated = "invalid input" in str(exc) or "truncated" in str(exc)
            cls = TruncatedDataError if truncated and len(payload) < 32 else CorruptDataError
            raise cls(f"{self.name}: corrupt payload ({type(exc).__name__}: {exc})") from None
        return out
