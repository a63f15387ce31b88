"""Recording files as labs have them, read in slices of frames, never whole.

Each reader finds where the samples are in a file and what surrounds them, so
that the chunked container can give back the original file byte for byte:

- ``raw``: interleaved 16-bit samples, nothing else (``channels`` and ``sample_rate`` given);
- ``spikeglx``: a SpikeGLX ``.bin`` with its ``.meta`` beside it (kept as an attachment);
- ``openephys``: an Open Ephys binary ``continuous.dat`` with its ``structure.oebin``;
- ``npy``: a NumPy ``.npy`` file of int16/uint16 samples (1-D, or samples x channels);
- ``wav``: a 16-bit PCM WAV file of any size up to 4 GiB.

:func:`open_source` picks the reader from the file (or ``format=``). A
:class:`Source` gives ``read(start, count)`` as int16 frames x channels; the
sample type of the file (``dtype``, e.g. big-endian or unsigned) is converted
losslessly by :func:`to_coded` and back by :func:`from_coded`.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Dict, Optional, Union

import numpy as np

from ..errors import InvalidInputError, TruncatedDataError

PathLike = Union[str, "os.PathLike[str]"]
FORMATS = ("raw", "spikeglx", "openephys", "npy", "wav")
#: Sample types a file may store; unsigned ones are coded as int16 with the top bit flipped.
SAMPLE_DTYPES = ("<i2", ">i2", "<u2", ">u2")
#: Bytes before or after the samples that a container stores verbatim (WAV chunks, npy header).
MAX_VERBATIM_BYTES = 16 << 20


def sample_dtype(dtype) -> np.dtype:
    """Normalise a user's dtype ('int16', '<i2', 'uint16', np.int16 ...) to one of SAMPLE_DTYPES."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise InvalidInputError(f"unknown sample type {dtype!r}") from None
    if dt.str not in SAMPLE_DTYPES:
        raise InvalidInputError(
            f"n1codec stores 16-bit integer samples (int16 or uint16, either byte order), got {dt}")
    return dt


def to_coded(raw: np.ndarray) -> np.ndarray:
    """Samples of a SAMPLE_DTYPES type to the int16 values the codecs see (a lossless map)."""
    if raw.dtype.kind == "u":
        return (raw.astype(np.uint16) ^ np.uint16(0x8000)).view(np.int16)
    return raw.astype(np.int16, copy=False)


def from_coded(samples: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Inverse of to_coded: int16 codec values back to the file's sample type."""
    if dtype.kind == "u":
        return (samples.view(np.uint16) ^ np.uint16(0x8000)).astype(dtype, copy=False)
    return samples.astype(dtype, copy=False)


def native(dtype: np.dtype) -> np.dtype:
    """The same sample type in this machine's byte order (what slicing a recording returns)."""
    return np.dtype(np.uint16 if dtype.kind == "u" else np.int16)


class PositionalFile:
    """A file read at offsets from several threads at once (os.pread, or a lock where it is missing)."""

    def __init__(self, path: PathLike):
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._lock = None if hasattr(os, "pread") else threading.Lock()
        self.size = os.fstat(self._fd).st_size

    def _read_once(self, offset: int, size: int) -> bytes:
        if self._lock is None:
            return os.pread(self._fd, size, offset)
        with self._lock:
            os.lseek(self._fd, offset, os.SEEK_SET)
            return os.read(self._fd, size)

    def read(self, offset: int, size: int) -> bytes:
        """Up to `size` bytes at `offset`: fewer only at the end of the file."""
        parts, done = [], 0
        while done < size:
            part = self._read_once(offset + done, size - done)
            if not part:
                break
            parts.append(part)
            done += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Source:
    """Samples stored at `data_offset` in a file, between a verbatim prefix and suffix."""

    def __init__(self, path: PathLike, kind: str, channels: int, frames: int, sample_rate: float,
                 dtype, data_offset: int, prefix: bytes = b"", suffix: bytes = b"",
                 attachments: Optional[Dict[str, bytes]] = None, one_dimensional: bool = False):
        self.path = Path(path)
        self.kind = kind
        self.channels = int(channels)
        self.frames = int(frames)
        self.sample_rate = float(sample_rate)
        self.dtype = sample_dtype(dtype)
        self.data_offset = int(data_offset)
        self.prefix = bytes(prefix)
        self.suffix = bytes(suffix)
        self.attachments = dict(attachments or {})
        self.one_dimensional = one_dimensional
        self._file: Optional[PositionalFile] = None

    def __repr__(self) -> str:
        return (f"<{self.kind} source {self.path}: {self.frames} frames x {self.channels} channels, "
                f"{self.sample_rate:g} Hz, {self.dtype.str}>")

    @property
    def frame_bytes(self) -> int:
        return 2 * self.channels

    def read_bytes(self, offset: int, size: int) -> bytes:
        """Exactly `size` bytes at `offset` (safe from several threads at once)."""
        if self._file is None:
            self._file = PositionalFile(self.path)
        data = self._file.read(offset, size)
        if len(data) < size:
            raise TruncatedDataError(f"{self.path} ended while reading it (was it truncated meanwhile?)")
        return data

    def read(self, start: int, count: int) -> np.ndarray:
        """Frames start .. start+count as an int16 (count x channels) array of codec values."""
        if start < 0 or count < 0 or start + count > self.frames:
            raise InvalidInputError(f"frames {start}..{start + count} are outside 0..{self.frames}")
        data = self.read_bytes(self.data_offset + start * self.frame_bytes, count * self.frame_bytes)
        raw = np.frombuffer(data, dtype=self.dtype).reshape(count, self.channels)
        return to_coded(raw)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ArraySource(Source):
    """An in-memory array as a source (what ``n1codec.encode(..., chunk_frames=)`` compresses)."""

    def __init__(self, samples: np.ndarray, sample_rate: float = 0):
        arr = np.asarray(samples)
        one_d = arr.ndim == 1
        two_d = arr.reshape(-1, 1) if one_d else arr
        super().__init__("<array>", "array", two_d.shape[1], two_d.shape[0], sample_rate,
                         arr.dtype, 0, one_dimensional=one_d)
        self._samples = two_d

    def read(self, start: int, count: int) -> np.ndarray:
        return np.ascontiguousarray(to_coded(self._samples[start:start + count]))

    def close(self) -> None:
        pass


def detect_format(path: PathLike) -> str:
    """The reader for a file, from its name, its neighbours and its first bytes."""
    p = Path(path)
    if p.suffix.lower() == ".npy":
        return "npy"
    if p.name == "structure.oebin" or (p.name == "continuous.dat" and _find_oebin(p) is not None):
        return "openephys"
    if p.suffix.lower() == ".bin" and p.with_suffix(".meta").exists():
        return "spikeglx"
    with open(p, "rb") as f:
        head = f.read(12)
    if head[:4] in (b"RIFF", b"RF64", b"RIFX") and head[8:12] == b"WAVE":
        return "wav"
    if head[:6] == b"\x93NUMPY":
        return "npy"
    return "raw"


def _find_oebin(dat: Path) -> Optional[Path]:
    # <recording>/continuous/<stream>/continuous.dat  ->  <recording>/structure.oebin
    candidate = dat.resolve().parent.parent.parent / "structure.oebin"
    return candidate if candidate.exists() else None


def open_source(path: PathLike, format: Optional[str] = None, channels: Optional[int] = None,
                sample_rate: Optional[float] = None, dtype=None, stream: Optional[str] = None) -> Source:
    """Open a recording file as a Source.

    ``format``: one of FORMATS, or None to detect it. ``channels``/``sample_rate``/
    ``dtype`` describe a raw file (and override nothing elsewhere: the other formats
    carry them, and a contradicting value is an error). ``stream``: the Open Ephys
    stream folder when structure.oebin lists several.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(2, "No such file", str(p))
    kind = format or detect_format(p)
    if kind == "raw":
        from .raw import open_raw
        if channels is None:
            raise InvalidInputError(
                f"{p} is not a format n1codec recognises (.npy, .wav, SpikeGLX .bin + .meta, Open Ephys "
                "continuous.dat); for a raw interleaved binary give its channel count (--channels N) "
                "and sample rate (--rate HZ)")
        return open_raw(p, channels, sample_rate or 0, dtype or "<i2")
    if kind not in FORMATS:
        raise InvalidInputError(f"unknown input format {kind!r}; known: {', '.join(FORMATS)}")
    if kind == "npy":
        from .npy import open_npy as opener
    elif kind == "wav":
        from .wav import open_wav as opener
    elif kind == "spikeglx":
        from .spikeglx import open_spikeglx as opener
    else:
        from .openephys import open_openephys
        source = open_openephys(p, stream)
        return _check_given(source, channels, sample_rate, dtype)
    return _check_given(opener(p), channels, sample_rate, dtype)


def _check_given(source: Source, channels, sample_rate, dtype) -> Source:
    """A value the user gave must agree with what the file says."""
    if channels is not None and int(channels) != source.channels:
        raise InvalidInputError(f"{source.path} holds {source.channels} channels, not {channels}")
    if sample_rate and source.sample_rate and float(sample_rate) != source.sample_rate:
        raise InvalidInputError(f"{source.path} is sampled at {source.sample_rate:g} Hz, not {sample_rate}")
    if sample_rate and not source.sample_rate:
        source.sample_rate = float(sample_rate)
    if dtype is not None and sample_dtype(dtype) != source.dtype:
        raise InvalidInputError(f"{source.path} stores {source.dtype}, not {sample_dtype(dtype)}")
    return source
