"""The recordings a tool runs over: a folder of WAV files, a single WAV file, the challenge's
``data.zip`` read in place, or (no data given) the embedded synthetic set, labelled as such.
Tools that take arrays (``discover(..., arrays=True)``, the bench) also read recordings
stored as arrays: ``.npy`` files (int16, samples x channels; a 1-D array is one channel)
and raw interleaved int16 binaries (little-endian, ``channels`` given by the user).

One discovery for every tool (bench, eval, analyze): a :class:`DataSet` of small,
picklable :class:`FileRef` items that are read where they are used (in a worker process
or on a cluster node).

An array recording's sample rate comes from the ``manifest.json`` beside it when that
names the file (``{"NAME": {"fs": HZ, ...}}``, NAME with or without ``.npy``), otherwise
from the ``rate`` given; with neither, discovery stops with an error saying so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np

#: Synthetic set used when no data is given: this many files of this many seconds.
SYNTHETIC_FILES = 8
SYNTHETIC_SECONDS = 5.0
SYNTHETIC_LABEL = "SYNTHETIC N1-like data (embedded generator, not recordings)"

@dataclass(frozen=True)
class FileRef:
    """Where one recording's bytes come from; small and picklable, read where it is used."""

    name: str
    source: str  # "dir", "zip" or "synthetic" (WAV files); "npy" or "raw" (arrays)
    path: str = ""  # file path, or the zip archive's path
    member: str = ""  # member name inside the zip
    seed: int = 0  # synthetic recordings: the generator seed
    channels: int = 0  # arrays: channels (raw: as given; npy: from the file's header)
    rate: float = 0.0  # arrays: sample rate in Hz (from the manifest or as given)

    @property
    def kind(self) -> str:
        """``"wav"`` (bytes of a WAV file: :meth:`read`) or ``"array"`` (:meth:`read_array`)."""
        return "array" if self.source in ARRAY_SOURCES else "wav"

    def read(self) -> bytes:
        """A WAV file's bytes; for an array recording, its samples as raw interleaved int16 bytes."""
        if self.source == "dir":
            return Path(self.path).read_bytes()
        if self.source == "zip":
            return _zip_archive(self.path).read(self.member)
        if self.source == "synthetic":
            return _synthetic_wav(self.seed)
        if self.source in ARRAY_SOURCES:
            return self.read_array().astype("<i2", copy=False).tobytes()
        raise ValueError(f"unknown source {self.source!r}")

    def read_array(self) -> np.ndarray:
        """An array recording's samples: int16, C-contiguous, (samples, channels)."""
        if self.source == "npy":
            arr = _open_npy(Path(self.path))
            return np.ascontiguousarray(arr if arr.ndim == 2 else arr.reshape(-1, 1), dtype=np.int16)
        if self.source == "raw":
            flat = np.fromfile(self.path, dtype="<i2")
            _check_raw_size(Path(self.path), flat.size * 2, self.channels)
            return np.ascontiguousarray(flat.reshape(-1, self.channels), dtype=np.int16)
        raise ValueError(f"{self.name} is a {self.kind} recording, not an array")


#: FileRef sources whose recordings are arrays rather than WAV files.
ARRAY_SOURCES = ("npy", "raw")

#: File name endings taken as raw interleaved int16 binaries in a folder (when channels are given).
RAW_SUFFIXES = (".bin", ".dat", ".raw", ".i16", ".pcm")


@lru_cache(maxsize=4)
def _zip_archive(path: str):
    import zipfile
    return zipfile.ZipFile(path)


@lru_cache(maxsize=64)
def _synthetic_wav(seed: int) -> bytes:
    from . import synthetic
    return synthetic.wav_bytes(synthetic.n1_like(seconds=SYNTHETIC_SECONDS, seed=seed))


@dataclass
class DataSet:
    label: str
    files: List[FileRef]
    synthetic: bool = False


def _is_wav_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(".wav") and not base.startswith("._") and "__MACOSX/" not in name


def _open_npy(path: Path) -> np.ndarray:
    """A .npy recording, memory-mapped (only its header is read here); a clear error for anything else."""
    from ..errors import InvalidInputError
    try:
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, EOFError) as exc:  # not a .npy file, a truncated one, or pickled objects
        raise InvalidInputError(f"{path}: not a readable .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray):
        raise InvalidInputError(f"{path}: not a .npy array")
    _check_npy(path, arr.dtype, arr.shape)
    return arr


def _check_npy(path: Path, dtype, shape) -> None:
    from ..errors import InvalidInputError
    if not (dtype.kind == "i" and dtype.itemsize == 2):  # int16 in either byte order
        raise InvalidInputError(f"{path}: holds {dtype} samples; n1codec reads int16 recordings "
                                "(samples x channels)")
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] < 1):
        raise InvalidInputError(f"{path}: array of shape {tuple(shape)}; expected 1-D (samples) or "
                                "2-D (samples x channels) with at least one channel")


def _check_raw_size(path: Path, size: int, channels: int) -> None:
    from ..errors import InvalidInputError
    if size % (2 * channels):
        raise InvalidInputError(f"{path}: {size} bytes is not a whole number of int16 frames of "
                                f"{channels} channels ({2 * channels} bytes each); check --channels")


def _manifest_rates(folder: Path) -> Dict[str, float]:
    """Sample rates by recording name from ``folder/manifest.json`` (empty when there is none)."""
    from ..errors import InvalidInputError
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return {}
    import json
    try:
        entries = json.loads(manifest.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{manifest}: not valid JSON ({exc})") from None
    rates = {}
    if isinstance(entries, dict):
        for name, entry in entries.items():
            rate = entry.get("fs", entry.get("sample_rate")) if isinstance(entry, dict) else None
            if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0:
                rates[name[:-4] if name.endswith(".npy") else name] = float(rate)
    return rates


def _check_rate(rate: Optional[float]) -> Optional[float]:
    from ..errors import InvalidInputError
    if rate is not None and not (rate > 0 and np.isfinite(rate)):
        raise InvalidInputError(f"--rate must be a positive number of Hz, got {rate}")
    return rate


def _npy_refs(paths: List[Path], rate: Optional[float]) -> List[FileRef]:
    from ..errors import InvalidInputError
    refs = []
    rates_by_folder: Dict[Path, Dict[str, float]] = {}
    for p in paths:
        rates = rates_by_folder.setdefault(p.parent, _manifest_rates(p.parent))
        fs = rates.get(p.stem, rate)
        if fs is None:
            raise InvalidInputError(
                f"{p}: no sample rate for this recording: {p.parent / 'manifest.json'} "
                f"{'does not name it' if rates else 'does not exist'}; pass --rate HZ")
        arr = _open_npy(p)
        channels = arr.shape[1] if arr.ndim == 2 else 1
        refs.append(FileRef(p.name, "npy", path=str(p), channels=channels, rate=fs))
    return refs


def _raw_refs(paths: List[Path], channels: int, rate: float) -> List[FileRef]:
    for p in paths:
        _check_raw_size(p, p.stat().st_size, channels)
    return [FileRef(p.name, "raw", path=str(p), channels=channels, rate=rate) for p in paths]


def discover(data: Optional[str], limit: Optional[int] = None, *, arrays: bool = False,
             channels: Optional[int] = None, rate: Optional[float] = None) -> DataSet:
    """The recordings to run over: a folder of WAVs, a zip of WAVs (read in place), or synthetic.

    With ``arrays=True`` also ``.npy`` recordings (a folder of them, or one) and, when
    ``channels`` is given, raw interleaved int16 binaries (one file, or a folder of
    ``*.bin``/``*.dat``/``*.raw``/``*.i16``/``*.pcm``) at ``rate`` Hz.
    """
    from ..errors import InvalidInputError, N1CodecError
    if limit is not None and limit < 1:
        raise N1CodecError(f"--limit must be >= 1, got {limit}")
    if not arrays and (channels is not None or rate is not None):
        raise InvalidInputError("channels and rate apply to array recordings (.npy, raw int16) only")
    rate = _check_rate(rate)
    if channels is not None:
        return _discover_raw(data, limit, channels, rate)
    if data is None:
        count = limit or SYNTHETIC_FILES
        files = [FileRef(f"synthetic-{i:03d}.wav", "synthetic", seed=i) for i in range(count)]
        return DataSet(f"{SYNTHETIC_LABEL}: {count} files x {SYNTHETIC_SECONDS:g} s", files, synthetic=True)
    path = Path(data)
    if path.is_dir():
        paths = sorted(p for p in path.iterdir() if p.is_file() and _is_wav_name(p.name))
        arrays_found = sorted(p for p in path.iterdir() if p.is_file() and _is_npy_name(p.name)) if arrays else []
        if not paths and not arrays_found:
            raise FileNotFoundError(2, "no .wav or .npy files in folder" if arrays else "no .wav files in folder",
                                    str(path))
        if not arrays_found:
            files = [FileRef(p.name, "dir", path=str(p)) for p in paths[:limit]]
            return DataSet(f"{path} ({len(files)} of {len(paths)} WAV files)", files)
        # WAVs first, then arrays, each sorted by name; --limit counts both.
        total = len(paths) + len(arrays_found)
        wavs = [FileRef(p.name, "dir", path=str(p)) for p in paths[:limit]]
        room = None if limit is None else max(0, limit - len(wavs))
        files = wavs + _npy_refs(arrays_found[:room], rate)
        kinds = ", ".join(k for k in (f"{len(paths)} WAV" if paths else "",
                                      f"{len(arrays_found)} .npy" if arrays_found else "") if k)
        return DataSet(f"{path} ({len(files)} of {total} recordings: {kinds})", files)
    if path.is_file() and _is_wav_name(path.name):
        return DataSet(f"{path} (1 WAV file)", [FileRef(path.name, "dir", path=str(path))])
    if arrays and path.is_file() and _is_npy_name(path.name):
        return DataSet(f"{path} (1 .npy recording)", _npy_refs([path], rate))
    if path.is_file():
        import zipfile
        if not zipfile.is_zipfile(path):
            raise N1CodecError(f"{path} is neither a folder of WAV files nor a zip archive of them")
        with zipfile.ZipFile(path) as archive:
            members = sorted(i.filename for i in archive.infolist()
                             if not i.is_dir() and _is_wav_name(i.filename))
        if not members:
            raise N1CodecError(f"{path} holds no .wav files")
        files = [FileRef(m.rsplit("/", 1)[-1], "zip", path=str(path.resolve()), member=m)
                 for m in members[:limit]]
        return DataSet(f"{path} (zip read in place; {len(files)} of {len(members)} WAV files)", files)
    raise FileNotFoundError(2, "no such folder or zip file", str(path))


def _is_npy_name(name: str) -> bool:
    return name.lower().endswith(".npy") and not name.startswith("._")


def _discover_raw(data: Optional[str], limit: Optional[int], channels: int, rate: Optional[float]) -> DataSet:
    from ..errors import InvalidInputError
    if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
        raise InvalidInputError(f"--channels must be a whole number >= 1, got {channels!r}")
    if data is None:
        raise InvalidInputError("--channels describes raw int16 binaries: name the file or folder holding them")
    if rate is None:
        raise InvalidInputError("raw int16 binaries carry no sample rate: pass --rate HZ with --channels")
    path = Path(data)
    if path.is_dir():
        paths = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
                       and not p.name.startswith("._"))
        if not paths:
            raise FileNotFoundError(2, f"no raw binaries ({', '.join('*' + s for s in RAW_SUFFIXES)}) in folder",
                                    str(path))
        files = _raw_refs(paths[:limit], channels, rate)
        return DataSet(f"{path} ({len(files)} of {len(paths)} raw int16 files, {channels} channels, "
                       f"{rate:g} Hz)", files)
    if path.is_file():
        if path.suffix.lower() in (".npy", ".wav", ".zip"):
            raise InvalidInputError(f"{path}: --channels is for raw int16 binaries; a {path.suffix} file "
                                    "describes its own channels (leave --channels out)")
        return DataSet(f"{path} (1 raw int16 file, {channels} channels, {rate:g} Hz)",
                       _raw_refs([path], channels, rate))
    raise FileNotFoundError(2, "no such file or folder", str(path))
