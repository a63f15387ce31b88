"""Base classes of every codec stage and coder.

A *stage* is an exactly invertible transform of one channel's stream; a *coder*
turns a stream into bytes and back. A codec is zero or more stages followed by
one coder (see :mod:`n1codec.pipeline`), spelled with ``+``: ``delta+huffman``.

Streams are 1-D numpy arrays of one of two kinds:

* ``"u16"``: 16-bit symbols; a channel's int16 samples enter as their uint16 bit
  patterns, so predictors work modulo 2^16 and every input is representable.
* ``"u8"``: bytes, for byte-oriented stages and coders (BWT, zstd, ...). The
  pipeline converts between kinds on its own (little-endian bytes of u16 data,
  or u8 values widened to u16).

Subclasses declare class attributes and implement encode/decode; the registry
(:mod:`n1codec.codecs.registry`) makes them reachable by name. Optional
dependencies are imported inside methods, never at module import, so listing
codecs and the challenge commands stay fast.
"""
from __future__ import annotations

import importlib.util
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import CodecUnavailableError, InvalidInputError

KINDS = ("u16", "u8")


class Param:
    """One codec parameter: its type, default, and the values it may take."""

    def __init__(self, kind: type, default: Any, choices: Optional[Tuple[Any, ...]] = None,
                 minimum: Optional[float] = None, maximum: Optional[float] = None, help: str = ""):
        self.kind = kind
        self.default = default
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.help = help

    def coerce(self, name: str, codec: str, value: Any) -> Any:
        """Convert a value (possibly a string from a spec) and check its range."""
        try:
            if self.kind is bool and isinstance(value, str):
                if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError(value)
                value = value.lower() in ("1", "true", "yes")
            elif not isinstance(value, self.kind) or isinstance(value, bool) != (self.kind is bool):
                value = self.kind(value)
        except (TypeError, ValueError):
            raise InvalidInputError(
                f"{codec}: parameter {name!r} must be {self.kind.__name__}, got {value!r}") from None
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise InvalidInputError(f"{codec}: parameter {name!r} must be one of {allowed}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise InvalidInputError(f"{codec}: parameter {name!r} must be >= {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise InvalidInputError(f"{codec}: parameter {name!r} must be <= {self.maximum}, got {value!r}")
        return value


class Component:
    """What stages and coders share: a name, a family, parameters, availability."""

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Parameters by name; ``primary`` is the one a spec sets with ``name:value``.
    params: ClassVar[Dict[str, Param]] = {}
    primary: ClassVar[Optional[str]] = None
    #: Python modules this component imports at run time, and how to get them.
    requires: ClassVar[Tuple[str, ...]] = ()
    install_hint: ClassVar[str] = ""
    input_kind: ClassVar[str] = "u16"

    def __init__(self, **config: Any):
        unknown = set(config) - set(self.params)
        if unknown:
            known = ", ".join(sorted(self.params)) or "none"
            raise InvalidInputError(
                f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))} (known: {known})")
        self.config: Dict[str, Any] = {}
        for key, param in self.params.items():
            value = config.get(key, param.default)
            self.config[key] = param.coerce(key, self.name, value)

    @classmethod
    def available(cls) -> bool:
        return all(importlib.util.find_spec(module) is not None for module in cls.requires)

    @classmethod
    def require(cls) -> None:
        """Raise a clear error when an optional dependency is missing."""
        missing = [m for m in cls.requires if importlib.util.find_spec(m) is None]
        if missing:
            hint = f"; install it with: {cls.install_hint}" if cls.install_hint else ""
            raise CodecUnavailableError(
                f"codec {cls.name!r} needs the Python module {missing[0]!r}, which is not installed{hint}")

    def token(self) -> str:
        """This component as it appears in a canonical spec: defaults are left out."""
        changed = {k: v for k, v in self.config.items() if v != self.params[k].default}
        if not changed:
            return self.name
        if self.primary is not None and set(changed) == {self.primary}:
            return f"{self.name}:{_format_value(changed[self.primary])}"
        inner = ",".join(f"{k}={_format_value(v)}" for k, v in sorted(changed.items()))
        return f"{self.name}({inner})"

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.config == other.config  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self.config.items()))))


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Stage(Component):
    """An exactly invertible transform of one stream."""

    #: Kind of array encode() returns.
    output_kind: ClassVar[str] = "u16"
    #: False when the output length may differ from the input length; the
    #: pipeline then stores the output length so decoding knows it.
    preserves_length: ClassVar[bool] = True
    #: True when encode() returns side information decode() needs.
    has_side_info: ClassVar[bool] = False
    #: True when the stage is exactly invertible for every input (the default).
    lossless: ClassVar[bool] = True

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:  # pragma: no cover - interface
        """Transform `data` (of input_kind); return the output and side info (b"" if none)."""
        raise NotImplementedError

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:  # pragma: no cover - interface
        """Invert encode(); corrupt input raises CorruptDataError.

        A stage with ``preserves_length = False`` is also given ``length=``, the length
        its output must have, so it can refuse a stream that expands beyond it before
        allocating for it."""
        raise NotImplementedError


class Coder(Component):
    """Turns one stream into bytes and back; the decoder is told the stream length."""

    def encode(self, data: np.ndarray) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def max_count(self, payload: bytes) -> Optional[int]:
        """The most symbols a stream of these bytes can honestly hold, or None when the
        format puts no bound on it (a constant stream may cost almost nothing).

        The pipeline refuses a larger declared count before allocating for it, so a
        bound must hold for every stream an encoder can write: bound a coder only
        where its format guarantees a minimum cost per symbol."""
        return None

    def decode(self, payload: bytes, count: int) -> np.ndarray:  # pragma: no cover - interface
        """Return exactly `count` symbols of input_kind, or raise CorruptDataError."""
        raise NotImplementedError

    def model_choice(self, payload: bytes) -> Optional[bytes]:
        """What an encoder chose for this stream after trying alternatives, as bytes
        encode_like() takes (the next chunk of the same channel skips the trials), or
        None when the coder tries nothing or the stream does not say."""
        return None

    def encode_like(self, data: np.ndarray, choice: bytes) -> bytes:
        """encode(), taking the choice model_choice() read from an earlier stream."""
        return self.encode(data)

    #: True when encode_columns() / decode_columns() code independent channel streams
    #: straight from / into the columns of an interleaved array (the pipeline then skips
    #: a planar copy of each channel).
    codes_columns = False

    def encode_columns(self, samples: np.ndarray, first: int, count: int,
                       choices: Optional[Sequence[Optional[bytes]]] = None
                       ) -> list:  # pragma: no cover - interface
        """encode() (or encode_like(choices[j])) of channels first .. first + count - 1 of a
        C-ordered (frames x channels) int16 array: a list of count payloads."""
        raise NotImplementedError

    def decode_columns(self, payloads: Sequence[bytes], frames: int, out: np.ndarray,
                       first: int) -> None:  # pragma: no cover - interface
        """decode() of each payload (`frames` u16 symbols) into channels first, first + 1,
        ... of `out`, a C-ordered (frames x channels) uint16 array, or CorruptDataError."""
        raise NotImplementedError

    def codes_channels_jointly(self) -> bool:
        """True when this coder (as configured) codes a whole (frames x channels) array
        at once with encode_channels/decode_channels; the pipeline then uses them
        when the coder is alone and the array has several channels."""
        return False

    def encode_channels(self, patterns: np.ndarray,
                        choices: Optional[Sequence[bytes]] = None) -> bytes:  # pragma: no cover
        """Bytes of a (frames x channels) uint16 array (int16 bit patterns), C order;
        with choices (channel_choices() of an earlier payload of the same channels),
        taking what that payload chose instead of trying alternatives."""
        raise NotImplementedError

    def channel_choices(self, payload: bytes, channels: int) -> Optional[List[bytes]]:
        """What an encode_channels() payload chose per channel, for a later
        encode_channels(choices=...), or None when the coder tries nothing."""
        return None

    def decode_channels(self, payload: bytes, frames: int, channels: int) -> np.ndarray:  # pragma: no cover
        """Inverse of encode_channels: a (frames x channels) uint16 array, or CorruptDataError."""
        raise NotImplementedError


class NativeStage(Stage):
    """A stage that is one pair of C functions in n1codec._native with no side info:
    ``native_encode(stream, *args)`` and ``native_decode(stream, *args)``, where args
    are the config's values named by `native_args`, in order."""

    native_encode: ClassVar[str] = ""
    native_decode: ClassVar[str] = ""
    native_args: ClassVar[Tuple[str, ...]] = ()

    def _args(self):
        return [self.config[name] for name in self.native_args]

    def encode(self, data: np.ndarray) -> Tuple[np.ndarray, bytes]:
        from .. import _native
        return getattr(_native, self.native_encode)(as_stream(data, self.input_kind), *self._args()), b""

    def decode(self, data: np.ndarray, side: bytes) -> np.ndarray:
        from .. import _native
        return getattr(_native, self.native_decode)(as_stream(data, self.output_kind), *self._args())


class NativeCoder(Coder):
    """A coder that is one pair of C functions in n1codec._native:
    ``native_encode(stream, *args) -> bytes`` and ``native_decode(payload, count, *args)``."""

    native_encode: ClassVar[str] = ""
    native_decode: ClassVar[str] = ""
    native_args: ClassVar[Tuple[str, ...]] = ()

    def _args(self):
        return [self.config[name] for name in self.native_args]

    def encode(self, data: np.ndarray) -> bytes:
        from .. import _native
        return getattr(_native, self.native_encode)(as_stream(data, self.input_kind), *self._args())

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        from .. import _native
        return getattr(_native, self.native_decode)(payload, count, *self._args())


def as_stream(data: Any, kind: str) -> np.ndarray:
    """A contiguous 1-D array of the given kind, sharing memory where possible."""
    dtype = np.uint16 if kind == "u16" else np.uint8
    return np.ascontiguousarray(data, dtype=dtype).reshape(-1)
