"""Entropy family: coders that turn a stream of symbols into bits."""
from __future__ import annotations

import numpy as np

from .base import Coder, Param, as_stream
from .registry import register


@register
class Huffman(Coder):
    """Canonical Huffman over 16-bit symbols, code lengths limited to 20 bits.

    The table (used symbols as Rice-coded gaps, lengths as Rice-coded differences)
    is stored in the stream and counted in every ratio.
    """

    name = "huffman"
    family = "entropy"
    description = "canonical Huffman, 16-bit alphabet, compact table in-stream"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        return _native.huffman_encode(as_stream(data, "u16"))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.huffman_decode(payload, count)


@register
class Rice(Coder):
    """Adaptive Rice code: zigzag-folded symbols, parameter from a running mean (LOCO-I style)."""

    name = "rice"
    family = "entropy"
    description = "adaptive Rice/Golomb, parameter from a running mean, no table"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        return _native.rice_encode(as_stream(data, "u16"))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.rice_decode(payload, count)


@register
class Range(Coder):
    """Adaptive range coder, order-0 or order-1 frequency model, no table.

    Symbols are zigzag-folded and split into 76 magnitude buckets (adaptive
    frequencies) plus raw low bits, so no model scans a 65536-entry table. Order 1
    picks one of 8 models from the previous symbol's magnitude.
    """

    name = "range"
    family = "entropy"
    description = "adaptive range coder (arithmetic), order-0 or order-1 model over magnitude buckets"
    params = {"order": Param(int, 0, choices=(0, 1), help="context order of the frequency model")}
    primary = "order"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        return _native.range_encode(as_stream(data, "u16"), self.config["order"])

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.range_decode(payload, count, self.config["order"])


@register
class Arith(Range):
    """Another name of `range` (the study called its unfinished coder arithmetic coding)."""

    name = "arith"
    description = "same as range (adaptive arithmetic coding)"


@register
class Rans(Coder):
    """Static rANS: bucket frequencies normalised to 2^14, stored compactly in the stream."""

    name = "rans"
    family = "entropy"
    description = "static rANS, frequencies normalised to 2^14 and stored in-stream"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        return _native.rans_encode(as_stream(data, "u16"))

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.rans_decode(payload, count)
