"""The recordings a tool runs over: a folder of WAV files, a single WAV file, the challenge's
``data.zip`` read in place, or (no data given) the embedded synthetic set, labelled as such.

One discovery for every tool (bench, eval, analyze): a :class:`DataSet` of small,
picklable :class:`FileRef` items that are read where they are used (in a worker process
or on a cluster node).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

#: Synthetic set used when no data is given: this many files of this many seconds.
SYNTHETIC_FILES = 8
SYNTHETIC_SECONDS = 5.0
SYNTHETIC_LABEL = "SYNTHETIC N1-like data (embedded generator, not recordings)"

@dataclass(frozen=True)
class FileRef:
    """Where one recording's bytes come from; small and picklable, read where it is used."""

    name: str
    source: str  # "dir", "zip" or "synthetic"
    path: str = ""  # file path, or the zip archive's path
    member: str = ""  # member name inside the zip
    seed: int = 0  # synthetic recordings: the generator seed

    def read(self) -> bytes:
        if self.source == "dir":
            return Path(self.path).read_bytes()
        if self.source == "zip":
            return _zip_archive(self.path).read(self.member)
        if self.source == "synthetic":
            return _synthetic_wav(self.seed)
        raise ValueError(f"unknown source {self.source!r}")


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


def discover(data: Optional[str], limit: Optional[int] = None) -> DataSet:
    """The recordings to bench: a folder of WAVs, a zip of WAVs (read in place), or synthetic."""
    from ..errors import N1CodecError
    if limit is not None and limit < 1:
        raise N1CodecError(f"--limit must be >= 1, got {limit}")
    if data is None:
        count = limit or SYNTHETIC_FILES
        files = [FileRef(f"synthetic-{i:03d}.wav", "synthetic", seed=i) for i in range(count)]
        return DataSet(f"{SYNTHETIC_LABEL}: {count} files x {SYNTHETIC_SECONDS:g} s", files, synthetic=True)
    path = Path(data)
    if path.is_dir():
        paths = sorted(p for p in path.iterdir() if p.is_file() and _is_wav_name(p.name))
        if not paths:
            raise FileNotFoundError(2, "no .wav files in folder", str(path))
        files = [FileRef(p.name, "dir", path=str(p)) for p in paths[:limit]]
        return DataSet(f"{path} ({len(files)} of {len(paths)} WAV files)", files)
    if path.is_file() and _is_wav_name(path.name):
        return DataSet(f"{path} (1 WAV file)", [FileRef(path.name, "dir", path=str(path))])
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
