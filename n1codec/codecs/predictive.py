"""Predictive family: stages that replace samples by prediction residuals."""
from __future__ import annotations

from typing import Tuple

import numpy as np

from .base import Param, Stage, as_stream
from .registry import register


@register
class Delta(Stage):
    """Fixed delta predictor: order-k differences modulo 2^16 (order 1 = first difference)."""

    name = "delta"
    family = "predictive"
    description = "order-k differences modulo 2^16 (k=1: first difference)"
    params = {"order": Param(int, 1, choices=(0, 1, 2, 3), help="difference order")}
    primary = "order"

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return _native.delta_encode(as_stream(data, "u16"), self.config["order"]), b""

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return _native.delta_decode(as_stream(data, "u16"), self.config["order"])
