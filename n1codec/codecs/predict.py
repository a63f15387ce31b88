"""Predictive family: stages that replace samples by prediction residuals."""
from __future__ import annotations

from typing import Tuple

import numpy as np

from .base import NativeStage, Param, Stage, as_stream
from .registry import register


@register
class Delta(NativeStage):
    """Fixed delta predictor: order-k differences modulo 2^16 (order 1 = first difference)."""

    name = "delta"
    family = "predict"
    description = "order-k differences modulo 2^16 (k=1: first difference)"
    params = {"order": Param(int, 1, choices=(0, 1, 2, 3), help="difference order")}
    primary = "order"
    native_encode, native_decode, native_args = "delta_encode", "delta_decode", ("order",)


@register
class Fixed(Stage):
    """Fixed polynomial predictors of order 0..3, the best order chosen per block.

    The choice costs 2 bits per block (side info); history runs across blocks.
    """

    name = "fixed"
    family = "predict"
    description = "polynomial predictor order 0-3 chosen per block (2 bits of side info per block)"
    params = {"block": Param(int, 4096, minimum=1, maximum=1 << 24, help="samples per block")}
    primary = "block"
    has_side_info = True

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return _native.fixed_encode(as_stream(data, "u16"), self.config["block"])

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return _native.fixed_decode(as_stream(data, "u16"), side, self.config["block"])


@register
class Lpc(Stage):
    """FLAC-style LPC: per-block Levinson-Durbin, order search up to `order`, quantised coefficients.

    Side info per block: the order, coefficient precision and shift, and the
    integer coefficients. Decoding is integer-only (bit-identical everywhere).
    """

    name = "lpc"
    family = "predict"
    description = "per-block Levinson-Durbin LPC, order search, quantised coefficients (FLAC-style)"
    params = {
        "order": Param(int, 32, minimum=0, maximum=32, help="largest order the search tries"),
        "block": Param(int, 65536, minimum=1, maximum=1 << 24, help="samples per block"),
        "precision": Param(int, 14, minimum=2, maximum=15, help="coefficient bits"),
    }
    primary = "order"
    has_side_info = True

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        c = self.config
        return _native.lpc_encode(as_stream(data, "u16"), c["block"], c["order"], c["precision"])

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return _native.lpc_decode(as_stream(data, "u16"), side, self.config["block"])


#: LMS variants by name -> (C variant number, default step shift)
_LMS_VARIANTS = {"sign": (0, 11), "nlms": (1, 6), "cascade": (2, 6)}


@register
class Lms(Stage):
    """Adaptive LMS prediction in integer arithmetic (no side info).

    A first-difference prefilter feeds an adaptive filter over past differences:
    ``sign`` (sign-sign LMS), ``nlms`` (normalised LMS) or ``cascade`` (NLMS then a
    16-tap sign-sign stage on its error). The step size is 2^-shift.
    """

    name = "lms"
    family = "predict"
    description = "adaptive LMS on first differences, integer: sign-sign, normalised, or cascade"
    params = {
        "variant": Param(str, "sign", choices=tuple(_LMS_VARIANTS), help="adaptation rule"),
        "order": Param(int, 16, minimum=1, maximum=64, help="filter taps"),
        "shift": Param(int, 0, minimum=0, maximum=16,
                       help="step size 2^-shift; 0 = the variant's default (sign 11, nlms 6, cascade 6)"),
    }
    primary = "variant"

    def _args(self):
        variant, default_shift = _LMS_VARIANTS[self.config["variant"]]
        return variant, self.config["order"], self.config["shift"] or default_shift

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return _native.lms_encode(as_stream(data, "u16"), *self._args()), b""

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return _native.lms_decode(as_stream(data, "u16"), *self._args())


@register
class Adc(Stage):
    """Samples -> index in the stream's sorted table of distinct values (10-bit ADC codes).

    The table travels as side info (first value, smallest gap, then each gap as a
    multiple of it plus an adaptive-Rice remainder). When the stream has more than
    4096 distinct values, or the table would cost more than it saves, the stage is
    the identity (one flag byte).
    """

    name = "adc"
    family = "predict"
    description = "map samples to ADC codes via the stream's value table (identity when it does not pay)"
    has_side_info = True

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return _native.adc_encode(as_stream(data, "u16"))

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return _native.adc_decode(as_stream(data, "u16"), side)
