"""numcodecs codecs for n1codec: use any n1codec codec as a zarr v2 compressor.

Two codecs, registered through the ``numcodecs.codecs`` entry point group, so
``numcodecs.get_codec`` finds them without importing n1codec first::

    numcodecs.get_codec({"id": "n1codec.n1", "level": "default"})      # or "fast", "max"
    numcodecs.get_codec({"id": "n1codec.pipeline", "spec": "delta+huffman"})

Semantics (those of numcodecs array codecs):

* ``encode`` takes int16 samples: a 1-D array (one channel), a 2-D C-ordered
  array (samples x channels; each channel is coded on its own), or any buffer
  (bytes, bytearray, array.array, memoryview) read as native int16 samples of
  one channel. It returns a self-contained ``.n1`` file as bytes, so the shape
  and dtype can always be restored from the stored bytes alone.
* ``decode`` returns the samples as a flat int16 array in C order; with
  ``out`` (an ndarray of the same number of samples, or a writable buffer of
  the same size in bytes) it fills ``out`` and returns it.
* Inputs that cannot be stored (float or object dtype, 3-D, Fortran-ordered
  2-D, a wrong ``out`` size) raise :class:`~n1codec.errors.InvalidInputError`,
  which is both a ValueError and a TypeError.

Fortran-ordered 2-D input is refused rather than silently re-ordered: numcodecs
(and zarr v2 with ``order="F"``) expects the flat decoded buffer in the input's
memory order, which the .n1 file does not record.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np
from numcodecs.abc import Codec

from .. import N1_LEVELS, api, as_samples, parse_spec
from ..errors import InputTooLargeError, InvalidInputError

__all__ = ["N1", "N1Pipeline", "LEVELS", "samples_from_buffer", "fill_out"]

#: Levels of the flagship codec, as numcodecs configs spell them.
LEVELS = N1_LEVELS
_INT16 = np.dtype(np.int16)
_BYTE_KINDS = ("u1", "i1", "S1")  # raw-byte dtypes, read as int16 samples


def _describe(obj: Any) -> str:
    dtype = getattr(obj, "dtype", None)
    return f"{type(obj).__name__} of dtype {dtype}" if dtype is not None else type(obj).__name__


def samples_from_buffer(buf: Any) -> np.ndarray:
    """The int16 samples (1-D, or 2-D samples x channels, C-contiguous) that `buf` holds."""
    if isinstance(buf, np.ndarray):
        arr = buf
    else:
        try:
            view = memoryview(buf)
        except TypeError:
            raise InvalidInputError(
                f"n1codec encodes int16 samples given as an ndarray or a buffer, got {_describe(buf)}"
            ) from None
        if view.format in ("b", "B", "c") or view.itemsize == 1:
            if not view.contiguous:
                raise InvalidInputError("a byte buffer given to n1codec must be contiguous")
            arr = np.frombuffer(view.cast("B"), dtype=np.uint8)
        else:
            try:
                arr = np.asarray(view)
            except (TypeError, ValueError):
                raise InvalidInputError(
                    f"n1codec cannot read a buffer of format {view.format!r}; give int16 samples") from None
    if arr.dtype == object:
        raise InvalidInputError("n1codec encodes int16 samples, not object arrays")
    if arr.dtype.itemsize == 1 and arr.dtype.str[1:] in _BYTE_KINDS:
        # Raw bytes (numcodecs hands codecs bytes as uint8): native int16 samples.
        if arr.ndim != 1:
            raise InvalidInputError(
                f"raw bytes must come as a 1-D buffer, got a {arr.ndim}-D {arr.dtype} array; "
                "give the int16 samples themselves")
        if arr.nbytes % 2:
            raise InvalidInputError(
                f"{arr.nbytes} bytes is not a whole number of int16 samples (2 bytes each)")
        return np.ascontiguousarray(arr).view(np.uint8).view(_INT16)
    arr = as_samples(arr)  # the dtype and shape rules of n1codec.encode
    if arr.ndim == 2 and arr.flags.f_contiguous and not arr.flags.c_contiguous:
        raise InvalidInputError(
            "n1codec's numcodecs codec takes C-ordered 2-D arrays (samples x channels); this one is "
            "Fortran-ordered, so a decoded flat buffer would come back in the wrong order. "
            "Use np.ascontiguousarray(x), or a zarr array with order='C'")
    return np.ascontiguousarray(arr)


def _blob_bytes(buf: Any) -> bytes:
    """The bytes of an encoded buffer (bytes, bytearray, array.array, memoryview, ndarray)."""
    if isinstance(buf, bytes):
        return buf
    if isinstance(buf, np.ndarray):
        if buf.dtype == object:
            raise InvalidInputError("encoded .n1 data must be a byte buffer, not an object array")
        return np.ascontiguousarray(buf).tobytes()
    try:
        view = memoryview(buf)
    except TypeError:
        raise InvalidInputError(f"encoded .n1 data must be a byte buffer, got {_describe(buf)}") from None
    return view.tobytes()


def fill_out(samples: np.ndarray, out: Any) -> Any:
    """Copy decoded `samples` into `out` (numcodecs' decode-into-buffer) and return `out`."""
    if isinstance(out, np.ndarray):
        if out.dtype == _INT16:
            if out.shape == samples.shape:
                np.copyto(out, samples)
                return out
            if out.size != samples.size:
                raise InvalidInputError(
                    f"out holds {out.size} int16 values but the data decodes to {samples.size} "
                    f"(shape {samples.shape})")
            if not out.flags.c_contiguous:
                raise InvalidInputError(
                    f"out has shape {out.shape}, not the decoded shape {samples.shape}, and is not "
                    "C-contiguous, so the samples cannot be laid into it in order")
            np.copyto(out.reshape(-1), samples.reshape(-1))
            return out
        if out.dtype.itemsize == 1 and out.dtype.str[1:] in _BYTE_KINDS:
            if not out.flags.c_contiguous:
                raise InvalidInputError("a byte array given as out must be C-contiguous")
            target = out.reshape(-1).view(np.uint8)
        else:
            raise InvalidInputError(
                f"out must be an int16 array or a byte buffer, got an array of dtype {out.dtype}")
    else:
        try:
            view = memoryview(out)
        except TypeError:
            raise InvalidInputError(f"out must be an ndarray or a writable buffer, got {_describe(out)}") from None
        if view.readonly:
            raise InvalidInputError(f"out ({type(out).__name__}) is read-only")
        if not view.contiguous:
            raise InvalidInputError("out must be a contiguous buffer")
        if view.format not in ("b", "B", "c", "h") and view.itemsize != 1:
            raise InvalidInputError(
                f"out must hold int16 values or bytes, got a buffer of format {view.format!r}")
        target = np.frombuffer(view.cast("B"), dtype=np.uint8)
    flat = np.ascontiguousarray(samples).reshape(-1).view(np.uint8)
    if target.nbytes != flat.nbytes:
        raise InvalidInputError(
            f"out holds {target.nbytes} bytes but the data decodes to {flat.nbytes} bytes "
            f"({samples.size} int16 samples)")
    target[...] = flat
    return out


def _capacity(out: Any) -> Optional[int]:
    """How many int16 samples `out` can hold; None when it is not a buffer (fill_out says why)."""
    try:
        return memoryview(out).nbytes // 2
    except TypeError:
        return None


class _N1CodecBase(Codec):
    """Shared encode/decode of the n1codec numcodecs codecs; subclasses name the spec."""

    codec_id: str = ""

    def _spec(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def encode(self, buf: Any) -> bytes:
        """Compress int16 samples (1-D or 2-D samples x channels) into .n1 bytes."""
        return api.encode(samples_from_buffer(buf), codec=self._pipeline)

    def decode(self, buf: Any, out: Any = None) -> Any:
        """Decompress .n1 bytes: a flat int16 array, or `out` filled in.

        With `out`, a chunk that declares more samples than `out` holds is refused before
        anything is decoded (a corrupt or hostile chunk cannot allocate more than the caller
        asked for)."""
        if out is None:
            return api.decode(_blob_bytes(buf)).reshape(-1)
        capacity = _capacity(out)
        try:
            samples = api.decode(_blob_bytes(buf), max_samples=capacity)
        except InputTooLargeError:
            declared = api.info(_blob_bytes(buf)).samples
            raise InvalidInputError(
                f"out holds {capacity} int16 samples but the data declares {declared}") from None
        return fill_out(samples, out)

    def _resolve(self) -> None:
        # Resolve the spec when the codec is built (in the caller's thread): a bad
        # spec fails here, and zarr or dask may code chunks in worker threads.
        # Pipelines are stateless, so one is shared by every thread.
        self._pipeline = api.get_codec(self._spec())


class N1(_N1CodecBase):
    """The flagship ``n1`` codec as a numcodecs codec.

    Parameters
    ----------
    level : {"fast", "default", "max"}
        Speed/ratio trade-off (the specs ``n1:fast``, ``n1``, ``n1:max``).
    """

    codec_id = "n1codec.n1"

    def __init__(self, level: str = "default"):
        if level not in LEVELS:
            raise InvalidInputError(
                f"n1codec.n1: level must be one of {', '.join(map(repr, LEVELS))}, got {level!r}")
        self.level = level
        self._resolve()

    def _spec(self) -> str:
        return "n1" if self.level == "default" else f"n1:{self.level}"

    def get_config(self) -> Dict[str, Any]:
        return {"id": self.codec_id, "level": self.level}


class N1Pipeline(_N1CodecBase):
    """Any n1codec codec spec or alias as a numcodecs codec.

    Parameters
    ----------
    spec : str
        A codec spec (``"delta+huffman"``, ``"lpc+rice"``, ``"n1:max"``) or one of the
        study's aliases (``"delta_huff"``). The config stores its canonical spelling.
    """

    codec_id = "n1codec.pipeline"

    def __init__(self, spec: str = api.DEFAULT_CODEC):
        self.spec = parse_spec(spec).spec
        self._resolve()

    def _spec(self) -> str:
        return self.spec

    def get_config(self) -> Dict[str, Any]:
        return {"id": self.codec_id, "spec": self.spec}


def register_codecs() -> None:
    """Register the codecs with numcodecs by hand (the entry points do this on their own)."""
    from numcodecs.registry import register_codec
    for cls in (N1, N1Pipeline):
        register_codec(cls)
