"""The flagship n1 codec: lossless coding of N1 recordings in the ADC code domain.

The C core (csrc/n1/, described in docs/n1-codec.md) detects the ADC's code grid
(or, for recordings from other systems, any value grid: gcd lattices, plain codes,
tables of uneven lattices), predicts each sample with an adaptive least-squares
filter (and, where it helps, a sign-LMS second stage), and codes it with 64-bit
rANS under a Gaussian model integrated over per-code bins whose widths are learnt
online. Levels trade speed for ratio: ``n1:fast`` (a table-driven
coder instead: first differences of codes, static per-block tables with the
ADC's step widths folded in, interleaved 32-bit rANS), ``n1`` (default),
``n1:max``. ``n1(joint=true)`` codes the channels of a 2-D array together: earlier
channels' prediction errors join a channel's predictor where that pays
(csrc/n1/n1_joint.h; a chunk then decodes as a whole).
"""
from __future__ import annotations

from typing import List, Optional, Sequence

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
#: The stream head's level field of the table-driven fast level, and the bytes of a
#: head that say which model a stream took (level, format, flags, third stage).
FAST_STREAM_LEVEL = 3
FOLLOW_HEAD_BYTES = 4
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
                             help="speed/ratio trade-off: fast, default or max"),
              "joint": Param(bool, False,
                             help="code the channels of a 2-D array together: earlier channels' "
                                  "prediction errors join a channel's predictor where that pays "
                                  "(csrc/n1/n1_joint.h; a chunk then decodes as a whole)")}
    primary = "level"
    codes_columns = True  # independent channels straight from / into an interleaved array (C)

    def codes_channels_jointly(self) -> bool:
        return bool(self.config["joint"])

    def encode_channels(self, patterns: np.ndarray, choices: Optional[Sequence[bytes]] = None) -> bytes:
        from .. import _native
        samples = np.ascontiguousarray(patterns, dtype=np.uint16).view(np.int16)
        return _native.n1_joint_encode_array(samples, LEVELS[self.config["level"]], follow=choices)

    def channel_choices(self, payload: bytes, channels: int) -> Optional[List[bytes]]:
        # Per channel: its references and its stream's head (csrc/n1/n1_joint.h,
        # n1_joint_choices); the fast level tries nothing.
        from .. import _native
        if self.config["level"] == "fast":
            return None
        return _native.n1_joint_choices_of(payload, channels)

    def decode_channels(self, payload: bytes, frames: int, channels: int) -> np.ndarray:
        from .. import _native
        return _native.n1_joint_decode_array(payload, frames, channels).view(np.uint16)

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        samples = as_stream(data, "u16").view(np.int16)
        return _native.n1_encode(samples, LEVELS[self.config["level"]])

    def model_choice(self, payload: bytes) -> Optional[bytes]:
        # The stream head names the format, model variant and stages (3-4 bytes; the
        # fast level's table streams try nothing).
        if (self.config["level"] == "fast" or len(payload) < STREAM_HEADER_BYTES
                or payload[0] & 15 == FAST_STREAM_LEVEL):
            return None
        return bytes(payload[:FOLLOW_HEAD_BYTES])

    def encode_like(self, data: np.ndarray, choice: bytes) -> bytes:
        from .. import _native
        samples = as_stream(data, "u16").view(np.int16)
        return _native.n1_encode(samples, LEVELS[self.config["level"]], follow=choice)

    def max_count(self, payload: bytes) -> Optional[int]:
        return max(0, len(payload) - STREAM_HEADER_BYTES) * SAMPLES_PER_BYTE

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return _native.n1_decode(payload, count).view(np.uint16)

    def encode_columns(self, samples: np.ndarray, first: int, count: int,
                       choices: Optional[Sequence[Optional[bytes]]] = None) -> list:
        from .. import _native
        return _native.n1_encode_columns(samples, first, count, LEVELS[self.config["level"]], follow=choices)

    def decode_columns(self, payloads: Sequence[bytes], frames: int, out: np.ndarray, first: int) -> None:
        from .. import _native
        _native.n1_decode_columns(payloads, frames, out.view(np.int16), first)
