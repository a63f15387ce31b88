"""Reference rows for `n1codec bench --references`: what a neuroscientist would otherwise use.

Each reference codes a whole recording (int16, samples x channels) the way its tool
does, and decodes it back so the bench can check the round trip like any codec's:

* ``wavpack -hhx3``: the ``wavpack`` command-line tool, very high mode with extra
  processing 3, one mono file per channel (``wavpack -hh -x3 --raw-pcm``), decoded
  with ``wvunpack --raw``. All channels go through one process call each way; the
  time includes writing and reading the temporary files. The in-process library
  (``wavpack(level=4,extra=3)`` of this project's ctypes binding) does not give the
  command's bytes (its block size differs: sizes within about 0.6% either way), so
  the command itself is the reference; ``wavpack -hhx3 (libwavpack)`` is the library
  in-process, for speed beside the other in-process rows.
* ``flac -8``: libFLAC level 8 through soundfile, one mono stream per channel: the
  same bytes as ``flac -8 --no-padding --no-seektable`` (the command's default adds
  8 KiB of padding and a seek table to each file, which says nothing about the codec).
* ``blosc-zstd5-bitshuffle``: SpikeInterface's default compressor (numcodecs
  ``Blosc(cname="zstd", clevel=5, shuffle=BITSHUFFLE)``) on the whole 2-D array.
* ``delta+zlib6``: mtscomp's method in one call: per-channel first differences
  (modulo 2^16), channel-major, zlib level 6.
* ``mtscomp``: mtscomp itself (1 s chunks, zlib, one thread); its size counts both
  files it writes (``.cbin`` data and ``.ch`` JSON index).

A reference whose tool or package is missing is skipped with the reason and the
install command. Sizes count only the reference's own output: a WAV input's header
is not stored by a reference (it is by n1codec), so on WAV data the references are
favoured by the header's bytes.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import numpy as np

#: Prefix of a reference row's spec (the bench's codec specs never contain a colon before '(').
SPEC_PREFIX = "reference:"

#: A reference's encoded form: one or more byte strings (its files or streams); size = their sum.
Encoded = List[bytes]


@dataclass(frozen=True)
class Reference:
    name: str  # the row's label
    family: str  # the codec family it belongs to (colours the plot; rows say "reference" in their own column)
    description: str
    missing: Callable[[], str]  # why it cannot run here ("" when it can)
    encode: Callable[[np.ndarray, float], Encoded]  # (samples x channels int16, rate Hz) -> parts
    decode: Callable[[Encoded, int, int, float], np.ndarray]  # (parts, frames, channels, rate) -> array

    @property
    def spec(self) -> str:
        return SPEC_PREFIX + self.name


def _columns(samples: np.ndarray):
    for c in range(samples.shape[1]):
        yield np.ascontiguousarray(samples[:, c])


def _stack(columns: List[np.ndarray], frames: int, channels: int) -> np.ndarray:
    out = np.empty((frames, channels), dtype=np.int16)
    if len(columns) != channels:
        raise ValueError(f"{len(columns)} channels decoded, expected {channels}")
    for c, col in enumerate(columns):
        if col.size != frames:
            raise ValueError(f"channel {c}: {col.size} samples decoded, expected {frames}")
        out[:, c] = col
    return out


# -- WavPack command line ----------------------------------------------------------

def _wavpack_cli_missing() -> str:
    absent = [tool for tool in ("wavpack", "wvunpack") if shutil.which(tool) is None]
    if absent:
        return (f"the {' and '.join(absent)} command{'s are' if len(absent) > 1 else ' is'} not on PATH "
                "(Debian/Ubuntu: apt-get install wavpack; macOS: brew install wavpack)")
    return ""


def _run(cmd: List[str], cwd: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}")


def _cli_rate(rate: float) -> int:
    return max(1, int(round(rate)))


def _wavpack_cli_encode(samples: np.ndarray, rate: float) -> Encoded:
    with tempfile.TemporaryDirectory(prefix="n1codec-ref-") as tmp:
        names = [f"c{c}" for c in range(samples.shape[1])]
        for name, col in zip(names, _columns(samples)):
            col.astype("<i2", copy=False).tofile(Path(tmp, name + ".raw"))
        _run(["wavpack", "-q", "-y", "-hh", "-x3", f"--raw-pcm={_cli_rate(rate)},16,1",
              *(n + ".raw" for n in names)], tmp)
        return [Path(tmp, n + ".wv").read_bytes() for n in names]


def _wavpack_cli_decode(parts: Encoded, frames: int, channels: int, rate: float) -> np.ndarray:
    with tempfile.TemporaryDirectory(prefix="n1codec-ref-") as tmp:
        names = [f"c{c}" for c in range(len(parts))]
        for name, part in zip(names, parts):
            Path(tmp, name + ".wv").write_bytes(part)
        _run(["wvunpack", "-q", "-y", "--raw", *(n + ".wv" for n in names)], tmp)
        columns = [np.fromfile(Path(tmp, n + ".raw"), dtype="<i2") for n in names]
    return _stack(columns, frames, channels)


# -- the project's own audio coders, one mono stream per channel ---------------------

def _coder(spec: str):
    from ..api import parse_spec
    return parse_spec(spec).coder


def _coder_missing(spec: str) -> Callable[[], str]:
    def missing() -> str:
        from ..errors import N1CodecError
        try:
            _coder(spec).require()
        except N1CodecError as exc:
            return str(exc)
        return ""
    return missing


def _per_channel_encode(spec: str):
    def encode(samples: np.ndarray, rate: float) -> Encoded:
        coder = _coder(spec)
        return [coder.encode(col.view(np.uint16)) for col in _columns(samples)]
    return encode


def _per_channel_decode(spec: str):
    def decode(parts: Encoded, frames: int, channels: int, rate: float) -> np.ndarray:
        coder = _coder(spec)
        return _stack([coder.decode(p, frames).view(np.int16) for p in parts], frames, channels)
    return decode


# -- SpikeInterface's default: Blosc zstd 5 bitshuffle on the whole array ---------------

def _numcodecs_missing() -> str:
    try:
        import numcodecs  # noqa: F401
    except ImportError:
        return "needs numcodecs: pip install numcodecs  (or: pip install 'n1codec[references]')"
    return ""


def _blosc_si():
    import numcodecs
    return numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.BITSHUFFLE)


def _blosc_encode(samples: np.ndarray, rate: float) -> Encoded:
    return [bytes(_blosc_si().encode(np.ascontiguousarray(samples)))]


def _blosc_decode(parts: Encoded, frames: int, channels: int, rate: float) -> np.ndarray:
    raw = _blosc_si().decode(parts[0])
    return np.frombuffer(raw, dtype=np.int16).reshape(frames, channels)


# -- mtscomp's method, and mtscomp itself ----------------------------------------------

def _delta_zlib_encode(samples: np.ndarray, rate: float) -> Encoded:
    codes = samples.view(np.uint16)
    diffs = np.diff(codes, axis=0, prepend=np.zeros((1, codes.shape[1]), np.uint16))  # modulo 2^16
    return [zlib.compress(np.ascontiguousarray(diffs.T).tobytes(), 6)]


def _delta_zlib_decode(parts: Encoded, frames: int, channels: int, rate: float) -> np.ndarray:
    diffs = np.frombuffer(zlib.decompress(parts[0]), dtype=np.uint16).reshape(channels, frames)
    return np.ascontiguousarray(np.cumsum(diffs, axis=1, dtype=np.uint16).T).view(np.int16)


def _mtscomp_missing() -> str:
    try:
        import mtscomp  # noqa: F401
    except ImportError:
        return "needs mtscomp: pip install mtscomp  (or: pip install 'n1codec[references]')"
    return ""


def _quiet_mtscomp():
    import logging

    import mtscomp
    logging.getLogger("mtscomp").setLevel(logging.WARNING)
    return mtscomp


def _mtscomp_encode(samples: np.ndarray, rate: float) -> Encoded:
    mtscomp = _quiet_mtscomp()
    with tempfile.TemporaryDirectory(prefix="n1codec-ref-") as tmp:
        src, cbin, ch = (Path(tmp, n) for n in ("x.npy", "x.cbin", "x.ch"))
        np.save(src, samples)
        mtscomp.compress(str(src), str(cbin), str(ch), sample_rate=float(rate), n_threads=1, quiet=True,
                         check_after_compress=False)
        return [cbin.read_bytes(), ch.read_bytes()]


def _mtscomp_decode(parts: Encoded, frames: int, channels: int, rate: float) -> np.ndarray:
    mtscomp = _quiet_mtscomp()
    with tempfile.TemporaryDirectory(prefix="n1codec-ref-") as tmp:
        cbin, ch = Path(tmp, "x.cbin"), Path(tmp, "x.ch")
        cbin.write_bytes(parts[0])
        ch.write_bytes(parts[1])
        reader = mtscomp.decompress(str(cbin), str(ch), n_threads=1, quiet=True, check_after_decompress=False)
        try:
            out = np.array(reader[:], dtype=np.int16)
        finally:
            reader.close()
    return out.reshape(frames, channels)


# ------------------------------------------------------------------------ the rows

REFERENCES: Tuple[Reference, ...] = (
    Reference("wavpack -hhx3", "audio", "WavPack 5 command line, wavpack -hh -x3, one file per channel",
              _wavpack_cli_missing, _wavpack_cli_encode, _wavpack_cli_decode),
    Reference("wavpack -hhx3 (libwavpack)", "audio",
              "WavPack very high + extra 3 through libwavpack in-process (wavpack(level=4,extra=3)), per channel",
              _coder_missing("wavpack(level=4,extra=3)"), _per_channel_encode("wavpack(level=4,extra=3)"),
              _per_channel_decode("wavpack(level=4,extra=3)")),
    Reference("flac -8", "audio", "libFLAC level 8 via soundfile, one stream per channel "
              "(= flac -8 --no-padding --no-seektable)",
              _coder_missing("flac(level=8)"), _per_channel_encode("flac(level=8)"),
              _per_channel_decode("flac(level=8)")),
    Reference("blosc-zstd5-bitshuffle", "blosc",
              "SpikeInterface's default: numcodecs Blosc zstd clevel 5 BITSHUFFLE on the whole 2-D array",
              _numcodecs_missing, _blosc_encode, _blosc_decode),
    Reference("delta+zlib6", "dictionary", "mtscomp's method: per-channel first differences, zlib level 6",
              lambda: "", _delta_zlib_encode, _delta_zlib_decode),
    Reference("mtscomp", "dictionary", "mtscomp 1.x (1 s chunks, zlib, one thread); .cbin + .ch bytes",
              _mtscomp_missing, _mtscomp_encode, _mtscomp_decode),
)

BY_SPEC: Dict[str, Reference] = {r.spec: r for r in REFERENCES}


def is_reference(spec: str) -> bool:
    return spec.startswith(SPEC_PREFIX)


def get(spec: str) -> Reference:
    return BY_SPEC[spec]
