"""zarr v3 array-to-bytes codecs: store int16 recordings (samples x channels) with n1codec.

Registered through zarr's ``zarr.codecs`` entry point group, so a store written
with them opens in any environment where n1codec is installed, no import needed::

    import zarr
    from n1codec.ext.zarr import N1

    z = zarr.create_array("rec.zarr", shape=(n_samples, 384), chunks=(19531, 384),
                          dtype="int16", serializer=N1(level="default"), compressors=None)

Each chunk is a 1-D (one channel) or 2-D (samples x channels) int16 block; it is
stored as a self-contained ``.n1`` file in which every channel is coded on its
own. The codec is the serializer (array -> bytes), so n1codec sees the channel
layout; as a bytes -> bytes compressor after zarr's ``bytes`` codec it would only
see interleaved bytes. Leave ``compressors=None``: an .n1 chunk does not shrink
further under zstd.

Codec metadata (``zarr.json``)::

    {"name": "n1codec.n1", "configuration": {"level": "default"}}
    {"name": "n1codec.pipeline", "configuration": {"spec": "delta+huffman"}}
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Tuple

import numpy as np
from zarr.abc.codec import ArrayBytesCodec
from zarr.core.common import parse_named_configuration

from .. import N1_LEVELS as LEVELS, api, parse_spec
from ..errors import CorruptDataError, InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from typing import Self

    from zarr.core.array_spec import ArraySpec
    from zarr.core.buffer import Buffer, NDBuffer

__all__ = ["N1", "N1Pipeline"]

_INT16 = np.dtype(np.int16)


def _native_dtype(dtype: Any) -> np.dtype:
    """numpy dtype of a zarr data type (a ZDType since zarr 3.1, a numpy dtype before)."""
    to_native = getattr(dtype, "to_native_dtype", None)
    return np.dtype(to_native() if to_native is not None else dtype)


def _check_layout(name: str, shape: Tuple[int, ...], dtype: Any) -> None:
    native = _native_dtype(dtype)
    if native.kind != "i" or native.itemsize != 2:
        raise InvalidInputError(
            f"{name} stores int16 arrays, not {native}; convert the data with .astype('int16') "
            "if every value fits in 16 bits")
    if len(shape) not in (1, 2):
        raise InvalidInputError(
            f"{name} stores 1-D (samples) or 2-D (samples x channels) arrays, got {len(shape)}-D")


class _N1ZarrCodec(ArrayBytesCodec):
    """Shared chunk encode/decode; subclasses set `codec_name` and the spec."""

    is_fixed_size = False
    codec_name = ""

    @property
    def spec(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def _config(self) -> Dict[str, Any]:  # pragma: no cover - interface
        raise NotImplementedError

    def to_dict(self) -> Dict[str, Any]:
        return {"name": self.codec_name, "configuration": self._config()}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Self":
        _, configuration = parse_named_configuration(data, cls.codec_name, require_configuration=False)
        return cls(**(configuration or {}))

    def validate(self, *, shape: Tuple[int, ...], dtype: Any, chunk_grid: Any) -> None:
        _check_layout(self.codec_name, tuple(shape), dtype)

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: "ArraySpec") -> int:
        raise NotImplementedError(f"{self.codec_name} output size depends on the data")

    def _pipeline(self):
        return self.__dict__["_resolved"]

    def _resolve(self) -> None:
        # Resolve the spec now, in the thread that builds the codec: chunks are
        # coded in worker threads, and an error in the spec belongs here.
        object.__setattr__(self, "_resolved", api.get_codec(self.spec))

    # zarr >= 3.1 calls the *_sync methods directly where it can; the async ones
    # run them in a worker thread (the C core releases the GIL), like zarr's zstd.

    def _encode_sync(self, chunk_array: "NDBuffer", chunk_spec: "ArraySpec") -> "Buffer":
        _check_layout(self.codec_name, tuple(chunk_spec.shape), chunk_spec.dtype)
        samples = np.asarray(chunk_array.as_numpy_array())
        if samples.dtype != _INT16:
            samples = samples.astype(_INT16)  # other byte orders: same values
        blob = api.encode(np.ascontiguousarray(samples), codec=self._pipeline())
        return chunk_spec.prototype.buffer.from_bytes(blob)

    def _decode_sync(self, chunk_bytes: "Buffer", chunk_spec: "ArraySpec") -> "NDBuffer":
        samples = api.decode(chunk_bytes.to_bytes())
        shape = tuple(chunk_spec.shape)
        if samples.shape != shape:
            if samples.size != int(np.prod(shape)):
                raise CorruptDataError(
                    f"{self.codec_name}: a stored chunk holds {samples.shape} samples, the array's "
                    f"chunks are {shape}")
            samples = samples.reshape(shape)
        native = _native_dtype(chunk_spec.dtype)
        if native != _INT16:
            samples = samples.astype(native)
        return chunk_spec.prototype.nd_buffer.from_numpy_array(samples)

    async def _encode_single(self, chunk_array: "NDBuffer", chunk_spec: "ArraySpec") -> "Buffer":
        return await asyncio.to_thread(self._encode_sync, chunk_array, chunk_spec)

    async def _decode_single(self, chunk_bytes: "Buffer", chunk_spec: "ArraySpec") -> "NDBuffer":
        return await asyncio.to_thread(self._decode_sync, chunk_bytes, chunk_spec)


@dataclass(frozen=True)
class N1(_N1ZarrCodec):
    """The flagship ``n1`` codec (levels ``fast``, ``default``, ``max``) as a zarr v3 serializer."""

    codec_name = "n1codec.n1"
    level: str = "default"

    def __init__(self, *, level: str = "default") -> None:
        if level not in LEVELS:
            raise InvalidInputError(
                f"n1codec.n1: level must be one of {', '.join(map(repr, LEVELS))}, got {level!r}")
        object.__setattr__(self, "level", level)
        self._resolve()

    @property
    def spec(self) -> str:
        return "n1" if self.level == "default" else f"n1:{self.level}"

    def _config(self) -> Dict[str, Any]:
        return {"level": self.level}


@dataclass(frozen=True)
class N1Pipeline(_N1ZarrCodec):
    """Any n1codec spec or alias (``delta+huffman``, ``lpc+rice``, ``n1:max``) as a zarr v3 serializer."""

    codec_name = "n1codec.pipeline"
    spec: str = api.DEFAULT_CODEC  # type: ignore[assignment]

    def __init__(self, *, spec: str = api.DEFAULT_CODEC) -> None:
        object.__setattr__(self, "spec", parse_spec(spec).spec)
        self._resolve()

    def _config(self) -> Dict[str, Any]:
        return {"spec": self.spec}
