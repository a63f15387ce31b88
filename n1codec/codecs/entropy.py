"""Entropy family: coders that turn a stream of symbols into bits."""
from __future__ import annotations

from typing import Optional

from .base import NativeCoder, Param
from .registry import register


@register
class Huffman(NativeCoder):
    """Canonical Huffman over 16-bit symbols, code lengths limited to 20 bits.

    The table (used symbols as Rice-coded gaps, lengths as Rice-coded differences)
    is stored in the stream and counted in every ratio.
    """

    name = "huffman"
    family = "entropy"
    description = "canonical Huffman, 16-bit alphabet, compact table in-stream"
    native_encode, native_decode = "huffman_encode", "huffman_decode"

    def max_count(self, payload: bytes) -> Optional[int]:
        # Two or more used symbols: every code takes a bit. One: any count (its table only).
        from .. import _native
        return _native.huffman_max_count(payload)


@register
class Rice(NativeCoder):
    """Adaptive Rice code: zigzag-folded symbols, parameter from a running mean (LOCO-I style)."""

    name = "rice"
    family = "entropy"
    description = "adaptive Rice/Golomb, parameter from a running mean, no table"
    native_encode, native_decode = "rice_encode", "rice_decode"

    def max_count(self, payload: bytes) -> Optional[int]:
        from .. import _native
        return len(payload) * _native.RICE_SYMBOLS_PER_BYTE  # every code takes a bit


@register
class Range(NativeCoder):
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
    native_encode, native_decode, native_args = "range_encode", "range_decode", ("order",)

    def max_count(self, payload: bytes) -> Optional[int]:
        from .. import _native
        return (len(payload) + _native.COUNT_SLACK_BYTES) * _native.RANGE_SYMBOLS_PER_BYTE


@register
class Arith(Range):
    """Another name of `range` (the study called its unfinished coder arithmetic coding)."""

    name = "arith"
    description = "same as range (adaptive arithmetic coding)"


@register
class Rans(NativeCoder):
    """Static rANS: bucket frequencies normalised to 2^14, stored compactly in the stream."""

    name = "rans"
    family = "entropy"
    description = "static rANS, frequencies normalised to 2^14 and stored in-stream"
    native_encode, native_decode = "rans_encode", "rans_decode"
