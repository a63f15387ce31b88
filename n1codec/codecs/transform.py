"""Transform family: the bzip2 chain's stages (BWT, MTF, RLE), the 5/3 wavelet, and `bwtc`.

As stages they compose like any other: ``bwt+mtf+rle+huffman`` is bzip2's chain
spelled out (BWT of the samples' little-endian bytes, MTF, zero-run RLE, one
canonical Huffman table). ``bwtc`` is the same idea as one native coder tuned
for this data: it works on the samples' value ranks instead of their bytes and
uses several Huffman tables (see csrc/transform/bwt_chain.h).
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

from ..errors import CorruptDataError
from ..varint import encode_uvarint, read_uvarint
from .base import Coder, NativeStage, Param, Stage, as_stream
from .registry import register

#: Longest stream a zero-run RLE decode may expand to (the pipeline's own limit).
_RLE_DECODE_LIMIT = 1 << 33


@register
class Bwt(Stage):
    """Burrows-Wheeler transform of a byte stream (suffix array by SA-IS, linear time).

    The output is the last column of the sorted rotations of ``data + '$'``
    with the ``'$'`` left out; its row (the primary index) is the side info,
    a varint.
    """

    name = "bwt"
    family = "transform"
    description = "Burrows-Wheeler transform of bytes (SA-IS suffix array), primary index as side info"
    input_kind = "u8"
    output_kind = "u8"
    has_side_info = True

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        out, primary = _native.bwt_encode(as_stream(data, "u8"))
        return out, encode_uvarint(primary)

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        primary, pos = read_uvarint(side, 0, "BWT primary index")
        if pos != len(side):
            raise CorruptDataError("bwt: trailing bytes after the primary index")
        return _native.bwt_decode(as_stream(data, "u8"), primary)


@register
class Mtf(NativeStage):
    """Move-to-front coding of bytes: recently seen bytes get small indices."""

    name = "mtf"
    family = "transform"
    description = "move-to-front coding of bytes"
    input_kind = "u8"
    output_kind = "u8"
    native_encode, native_decode = "mtf_encode", "mtf_decode"


@register
class Rle(Stage):
    """bzip2's zero-run RLE of MTF output: runs of 0 as RUNA/RUNB digits, byte v>0 as v+1.

    Bytes in, 16-bit symbols (alphabet 258) out, never longer than the input.
    """

    name = "rle"
    family = "transform"
    description = "zero-run RLE (bzip2 RUNA/RUNB) of bytes -> 258-symbol stream"
    input_kind = "u8"
    output_kind = "u16"
    preserves_length = False

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return _native.zrle_encode(as_stream(data, "u8")), b""

    def decode(self, data: np.ndarray, side: bytes, length: Optional[int] = None) -> np.ndarray:
        from .. import _native
        # Runs grow exponentially with their digits: a few symbols may claim gigabytes,
        # so the decoder refuses anything beyond the length the pipeline expects.
        limit = _RLE_DECODE_LIMIT if length is None else min(length, _RLE_DECODE_LIMIT)
        return _native.zrle_decode(as_stream(data, "u16"), limit)


@register
class Rle1(NativeStage):
    """bzip2's first stage: after 4 equal bytes, one count byte (0..251) of further copies."""

    name = "rle1"
    family = "transform"
    description = "plain byte run-length coding (4 equal bytes + count, as bzip2's first stage)"
    input_kind = "u8"
    output_kind = "u8"
    preserves_length = False
    native_encode, native_decode = "rle1_encode", "rle1_decode"

    def decode(self, data: np.ndarray, side: bytes, length: Optional[int] = None) -> np.ndarray:
        from .. import _native
        return _native.rle1_decode(as_stream(data, "u8"), length)


@register
class Wavelet(NativeStage):
    """Integer 5/3 (LeGall) lifting wavelet, exactly invertible, modulo 2^16.

    Layout per level: ``[approximations | details]`` of the current prefix
    (Mallat); the next level transforms the approximations. Any length works.
    """

    name = "wavelet"
    family = "transform"
    description = "integer 5/3 lifting wavelet (levels, Mallat layout, modulo 2^16)"
    params = {"levels": Param(int, 3, minimum=0, maximum=32, help="decomposition levels")}
    primary = "levels"
    native_encode, native_decode, native_args = "wavelet53_forward", "wavelet53_inverse", ("levels",)


@register
class Bwtc(Coder):
    """The bzip2 chain as one native coder, over sample values instead of bytes.

    Per block: the distinct values become ranks (value table stored), BWT of the
    rank string, MTF, zero-run RLE, then canonical Huffman with several tables
    chosen per group of symbols (as bzip2 does); large MTF indices are coded as
    octave buckets plus raw bits so tables stay small. Blocks with more than
    4096 distinct values are stored raw.
    """

    name = "bwtc"
    family = "transform"
    description = "BWT+MTF+RLE+multi-table Huffman over sample ranks, in C (beats bz2 -9 here)"
    params = {
        "block": Param(int, 20, minimum=8, maximum=24, help="log2 of samples per block"),
        "tables": Param(int, 3, minimum=0, maximum=8, help="Huffman tables (0: try 1-6)"),
        "group": Param(int, 100, minimum=1, maximum=255, help="symbols per table choice"),
        "iterations": Param(int, 2, minimum=1, maximum=16, help="table refinement passes"),
    }
    primary = "block"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        c = self.config
        return _native.bwtc_encode(as_stream(data, "u16"), c["block"], c["tables"], c["group"],
                                   c["iterations"])

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.bwtc_decode(payload, count)

