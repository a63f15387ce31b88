"""Entropy family: coders that turn a stream of symbols into bits."""
from __future__ import annotations

import numpy as np

from .base import Coder, as_stream
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
