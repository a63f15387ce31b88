"""The flagship n1 codec: lossless coding of N1 recordings in the ADC code domain.

The C core (csrc/n1/, described in docs/n1-codec.md) detects the ADC's code grid
(or, for recordings from other systems, any value grid: gcd lattices, plain codes,
tables of uneven lattices), predicts each sample with an adaptive least-squares
filter (and, where it helps, a sign-LMS second stage), and codes it with 64-bit
rANS under a Gaussian model integrated over per-code bins whose widths are learnt
online. Levels trade speed for ratio: ``n1:fast`` (a table-driven
coder instead: first differences of codes, static per-block tables with the
ADC's step widths folded in, interleaved 32-bit rANS), ``n1`` (default),
``n1:max``.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .base import Coder, Param, as_stream
from .registry import register

#: Level names and the numbers the C core (and the stream header) use.
LEVELS = {"fast": 0, "default": 1, "max": 2}
#: Stream framing (csrc/n1/n1_stream.c): a 2-byte header, then blocks of at most
#: 65536 samples, each with a varint of its size (3 bytes from 8192 samples up) and,
#: coded or stored, at least one more byte: no block holds more than 16384 samples
#: per byte of the stream, at any level.
STREAM_HEADER_BYTES = 2
SAMPLES_PER_BYTE = 65536 // 4
#: The level names, fastest first, as specs (``n1:fast``) and adapter configs spell them.
LEVEL_NAMES = tuple(LEVELS)


@register
class N1(Coder):
    """n1: ADC-code mapping + adaptive LS predictor + Gaussian-bin model + 64-bit rANS."""

    name = "n1"
    family = "n1"
    description = "flagship lossless codec for N1 recordings (levels fast, default, max)"
    params = {"level": Param(str, "default", choices=LEVEL_NAMES,
                             help="speed/ratio trade-off: fast, default or max")}
    primary = "level"

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        samples = as_stream(data, "u16").view(np.int16)
        return _native.n1_encode(samples, LEVELS[self.config["level"]])

    def max_count(self, payload: bytes) -> Optional[int]:
        return max(0, len(payload) - STREAM_HEADER_BYTES) * SAMPLES_PER_BYTE

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.n1_decode(payload, count).view(np.uint16)
