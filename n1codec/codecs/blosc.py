"""Blosc hybrids: a shuffle filter then a dictionary coder, through ``numcodecs``.

Blosc cuts the buffer into blocks, optionally shuffles each block (with 16-bit
items, byte shuffle groups the low bytes of every sample, then the high bytes),
and hands the blocks to one of its codecs (zstd, lz4, lz4hc, zlib, blosclz).

The study's four Blosc rows are reproduced by clevel 9 on the raw bytes (1-byte
items, where shuffling does nothing): measured on the dev split, every 16-bit
item/shuffle combination falls short of its figures (e.g. blosc_zlib 2.11 with
byte shuffle, 2.22 without, against the study's 2.28), while 1-byte items match
all eight rows. At clevel 9 Blosc makes one block of a whole ~190 kB channel, so
these rows equal the inner codec run once over the channel.

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
    """Blosc (1.x format) through ``numcodecs.blosc``."""

    name = "blosc"
    family = "blosc"
    description = ("Blosc through numcodecs; defaults are the study's settings: clevel 9 (one block "
                   "per channel here) on the stream's bytes (typesize 1, so no shuffle). The study's rows: "
                   "blosc_zstd = blosc:zstd, blosc_lz4 = blosc:lz4, blosc_lz4hc = blosc:lz4hc, "
                   "blosc_zlib = blosc:zlib. blosc(cname=..,typesize=2,shuffle=byte) shuffles 16-bit samples")
    params = {
        "cname": Param(str, "lz4", choices=("zstd", "lz4", "lz4hc", "zlib", "blosclz"),
                       help="Blosc's inner codec"),
        "clevel": Param(int, 9, minimum=0, maximum=9, help="compression level"),
        "shuffle": Param(str, "none", choices=tuple(_SHUFFLES), help="shuffle filter"),
        "typesize": Param(int, 1, choices=(1, 2), help="item size in bytes the shuffle works on"),
        "blocksize": Param(int, 0, minimum=0, maximum=1 << 30, help="block size in bytes (0: automatic)"),
    }
    primary = "cname"
    requires = ("numcodecs",)
    install_hint = _INSTALL
    input_kind = "u8"

    def encode(self, data: np.ndarray) -> bytes:
        self.require()
        from numcodecs import blosc
        raw = as_stream(data, "u8")
        if self.config["typesize"] == 2 and raw.size % 2 == 0:
            raw = raw.view("<u2")  # numcodecs takes the item size from the array
        return bytes(blosc.compress(raw, self.config["cname"].encode("ascii"), self.config["clevel"],
                                    _SHUFFLES[self.config["shuffle"]], self.config["blocksize"]))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        self.require()
        from numcodecs import blosc
        payload = bytes(payload)
        if len(payload) < _BLOSC_HEADER:
            raise TruncatedDataError(f"blosc: payload of {len(payload)} bytes is shorter than a Blosc header")
        version, _, _, typesize, nbytes, _, cbytes = struct.unpack_from("<BBBBIII", payload, 0)
        if version not in (1, 2):
            raise CorruptDataError(f"blosc: unknown Blosc format version {version}")
        if nbytes != count or typesize not in (1, 2):
            raise CorruptDataError(f"blosc: header announces {nbytes} bytes of {typesize}-byte items, "
                                   f"expected {count} bytes of 1- or 2-byte items")
        if cbytes != len(payload):
            cls = TruncatedDataError if cbytes > len(payload) else CorruptDataError
            raise cls(f"blosc: header announces {cbytes} compressed bytes, payload has {len(payload)}")
        out = np.empty(count, dtype=np.uint8)
        if count == 0:
            return out
        try:
            blosc.decompress(payload, out)
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
