"""`n1codec eval` and `n1codec challenge-kit`: the Neuralink compression challenge's scoring.

The challenge's ``eval.sh`` unzips ``data.zip`` and, for every file, runs
``./encode FILE FILE.brainwire`` and ``./decode FILE.brainwire FILE.copy`` as
two separate processes, compares ``FILE`` and ``FILE.copy`` with ``diff`` and
stops with ``exit 1`` at the first difference. Its score is the total size of
the original files over the total size of the compressed files *plus the
sizes of the two files ``encode`` and ``decode``*.

``n1codec challenge-kit DIR --codec X`` writes executable ``DIR/encode`` and
``DIR/decode`` for the challenge's own, unchanged ``eval.sh``. For the n1 levels
(``n1``, ``n1:fast``, ``n1:max``) they are copies of the native programs
``n1c-encode`` and ``n1c-decode`` installed with this package (C, libc and libm
only; the level is written into the copy of ``n1c-encode``). For any other codec,
or with ``--python``, they are two small scripts that run this installed package
(through the Python that wrote them) with codec X:
``python -m n1codec.tools.challenge encode CODEC IN OUT`` and ``... decode IN OUT``,
which import only the container path.

``n1codec eval`` runs such a kit (the default codec's unless told otherwise; with
``--python`` and no codec, the ``n1-encode`` / ``n1-decode`` console scripts) and
prints the ratios:

1. data only: original bytes / compressed bytes;
2. as eval.sh counts it: the sizes of the ``encode`` and ``decode`` files that
   were run are added, once, to the compressed bytes. For the native kit that is
   everything it needs;
3. for a Python kit, our honest reading: (2) plus the installed n1codec package
   itself, once (its ``.py`` modules and compiled extension modules; both commands
   share them as a C submission's encoder and decoder share libc). Python and
   numpy are not counted, as a C submission does not count the C library or the
   compiler.
"""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from .challenge import ACTIONS as KIT_FILES
#: The codec specs the native programs write, and the level name each is built with.
NATIVE_LEVELS = {"n1:fast": "fast", "n1": "default", "n1:max": "max"}
NATIVE_PROGRAMS = ("n1c-encode", "n1c-decode")
#: The bytes of n1c-encode that name the level its copies named ``encode`` use
#: (csrc/tools/n1c.c, kit_level): the name, NUL-padded to 10 bytes.
_LEVEL_SLOT = b"N1C-KIT-LEVEL="
_LEVEL_SLOT_SIZE = 10


# ------------------------------------------------------------------ kit files

def _script(action: str, codec: str, python: str) -> str:
    version = _version()
    flags = " -P" if sys.version_info >= (3, 11) else ""  # -P: do not import from the current folder
    if action == "encode":
        call = f"exec {shlex.quote(python)}{flags} -m n1codec.tools.challenge encode {shlex.quote(codec)} \"$1\" \"$2\""
        what = "./encode INPUT.wav OUTPUT: compress one recording"
    else:
        call = f"exec {shlex.quote(python)}{flags} -m n1codec.tools.challenge decode \"$1\" \"$2\""
        what = "./decode INPUT OUTPUT.wav: restore the recording byte for byte"
    return (f"#!/bin/sh\n"
            f"# {what} (Neuralink compression challenge).\n"
            f"# Written by 'n1codec challenge-kit' (n1codec {version}); codec: {codec}.\n"
            f"# Runs the n1codec installed for {python}.\n"
            f"{call}\n")


def native_programs() -> Optional[Tuple[Path, Path]]:
    """The installed n1c-encode and n1c-decode (beside this Python, else on PATH), or None."""
    import shutil
    found = []
    for name in NATIVE_PROGRAMS:
        beside = Path(sys.executable).parent / name
        path = beside if beside.exists() else shutil.which(name)
        if path is None:
            return None
        found.append(Path(path))
    return found[0], found[1]


def _with_level(program: bytes, level: str) -> bytes:
    """A copy of n1c-encode whose ``encode`` name uses `level`."""
    at = program.find(_LEVEL_SLOT)
    if at < 0 or program.find(_LEVEL_SLOT, at + 1) >= 0:
        from ..errors import N1CodecError
        raise N1CodecError("n1c-encode does not hold exactly one level slot; reinstall n1codec")
    start = at + len(_LEVEL_SLOT)
    return program[:start] + level.encode("ascii").ljust(_LEVEL_SLOT_SIZE, b"\0") + \
        program[start + _LEVEL_SLOT_SIZE:]


def _install_executable(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    tmp.chmod(0o755)
    os.replace(tmp, path)


def write_kit(directory, codec: Optional[str] = None, force: bool = False,
              python: Optional[str] = None, native: Optional[bool] = None) -> Tuple[Path, Path]:
    """Write executable ``encode`` and ``decode`` for eval.sh into ``directory``; return their paths.

    native=None: the native programs for the n1 levels when they are installed, else the
    Python scripts; True: the native programs or an error; False: the Python scripts.
    """
    from ..api import DEFAULT_CODEC, get_codec
    from ..errors import N1CodecError
    codec = codec or DEFAULT_CODEC
    pipeline = get_codec(codec)  # unknown or unavailable codecs fail here, not 743 times in eval.sh
    programs = native_programs() if native is not False and pipeline.spec in NATIVE_LEVELS else None
    if native and programs is None:
        raise N1CodecError(
            f"no native kit for codec {pipeline.spec!r}: the native programs (n1c-encode, n1c-decode) "
            f"{'are not installed' if pipeline.spec in NATIVE_LEVELS else 'write only ' + ', '.join(NATIVE_LEVELS)}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = tuple(folder / name for name in KIT_FILES)
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise N1CodecError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    if programs is not None:
        encoder = _with_level(programs[0].read_bytes(), NATIVE_LEVELS[pipeline.spec])
        _install_executable(paths[0], encoder)
        _install_executable(paths[1], programs[1].read_bytes())
        return paths  # type: ignore[return-value]
    python = python or sys.executable
    for action, path in zip(KIT_FILES, paths):
        _install_executable(path, _script(action, pipeline.spec, python).encode())
    return paths  # type: ignore[return-value]


def is_script(path) -> bool:
    """True for a kit file that is a launcher script (it needs the installed package), not a program."""
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


def _version() -> str:
    from n1codec import __version__
    return __version__


# ------------------------------------------------------------------ footprint

def package_footprint() -> Tuple[int, int]:
    """Bytes and file count of the installed n1codec package: its .py modules and compiled extensions."""
    import importlib
    import n1codec
    roots = {Path(p).resolve() for p in getattr(n1codec, "__path__", [])}
    try:
        native = importlib.import_module("n1codec._native")
        if getattr(native, "__file__", None):
            roots.add(Path(native.__file__).resolve().parent)
    except ImportError:
        pass
    seen = set()
    total = 0
    for root in roots:
        for path in root.rglob("*"):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if path.suffix in (".py", ".so", ".pyd", ".dylib") or ".so." in path.name:
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    total += real.stat().st_size
    return total, len(seen)


# ----------------------------------------------------------------------- eval

def _console_script(name: str) -> str:
    import shutil
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        from ..errors import N1CodecError
        raise N1CodecError(f"cannot find the {name} command; is n1codec installed (pip install n1codec)?")
    return found


def _materialise(data: Optional[str], limit: Optional[int], workdir: Path) -> Tuple[str, List[Path]]:
    """Files on disk for the subprocesses: a folder as is, a zip unpacked (as eval.sh does), or synthetic."""
    from .datasets import discover
    dataset = discover(data, limit)
    if dataset.files[0].source == "dir":
        return dataset.label, [Path(f.path) for f in dataset.files]
    folder = workdir / "data"
    folder.mkdir()
    paths = []
    for ref in dataset.files:
        target = folder / ref.name
        target.write_bytes(ref.read())
        paths.append(target)
    return dataset.label, paths


class EvalResult:
    def __init__(self):
        self.files = 0
        self.original_bytes = 0
        self.compressed_bytes = 0
        self.tools_bytes = 0
        self.package_bytes = 0
        self.encode_s = 0.0
        self.decode_s = 0.0
        self.duration_s = 0.0
        self.samples = 0
        self.failed: Optional[str] = None

    def ratio(self, extra: int = 0) -> float:
        total = self.compressed_bytes + extra
        return self.original_bytes / total if total else float("nan")


def run_eval(data: Optional[str] = None, codec: Optional[str] = None, limit: Optional[int] = None,
             quiet: bool = False, out=sys.stdout, python: bool = False) -> EvalResult:
    """Score a codec as eval.sh does: two processes per file, byte comparison, stop at the first mismatch.

    The tools are the kit challenge-kit writes (native for the n1 levels when installed);
    with python=True, the Python launchers: n1-encode / n1-decode for the default codec.
    """
    import filecmp
    import subprocess
    import tempfile
    import time

    from ..wav import parse_wav

    result = EvalResult()
    with tempfile.TemporaryDirectory(prefix="n1codec-eval-") as tmp:
        work = Path(tmp)
        label, files = _materialise(data, limit, work)
        if codec is None and python:
            tools = [_console_script("n1-encode"), _console_script("n1-decode")]
            how = "n1-encode / n1-decode (default codec)"
        else:
            tools = [str(p) for p in write_kit(work / "kit", codec, native=False if python else None)]
            kind = "Python launcher scripts" if is_script(tools[0]) else "native programs n1c-encode / n1c-decode"
            how = f"challenge-kit encode / decode, {kind} (codec {codec or 'default'})"
        scripts = is_script(tools[0])
        result.tools_bytes = sum(Path(t).stat().st_size for t in tools)
        result.package_bytes, package_files = package_footprint() if scripts else (0, 0)
        print(f"data: {label}", file=out)
        print(f"tools: {how}", file=out)
        out.flush()
        results_dir = work / "out"
        results_dir.mkdir()
        for path in files:
            compressed = results_dir / f"{path.name}.brainwire"
            copy = results_dir / f"{path.name}.copy"
            if not quiet:
                print(f"Processing {path}", file=out)
            for step, cmd, timer in (("encode", [tools[0], str(path), str(compressed)], "encode_s"),
                                     ("decode", [tools[1], str(compressed), str(copy)], "decode_s")):
                t0 = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True)
                setattr(result, timer, getattr(result, timer) + time.perf_counter() - t0)
                if proc.returncode != 0:
                    result.failed = (f"ERROR: {step} of {path} failed (exit {proc.returncode}): "
                                     f"{proc.stderr.strip() or proc.stdout.strip()}")
                    print(result.failed, file=out)
                    return result
            file_size, compressed_size = path.stat().st_size, compressed.stat().st_size
            if not filecmp.cmp(path, copy, shallow=False):
                result.failed = f"ERROR: {path} and {copy.name} are different."
                print(result.failed, file=out)
                return result
            if not quiet:
                print(f"{path} losslessly compressed from {file_size} bytes to {compressed_size} bytes", file=out)
            original = path.read_bytes()
            try:
                wav = parse_wav(original, name=str(path))
                result.duration_s += wav.frames / wav.sample_rate
                result.samples += wav.frames * wav.channels
            except Exception:
                pass
            result.files += 1
            result.original_bytes += file_size
            result.compressed_bytes += compressed_size
            compressed.unlink()
            copy.unlink()
        tools_line = " + ".join(f"{Path(t).name} {Path(t).stat().st_size} B" for t in tools)
        print("All recordings successfully compressed.", file=out)
        print(f"Original size (bytes): {result.original_bytes}", file=out)
        print(f"Compressed size (bytes): {result.compressed_bytes} (data only)", file=out)
        print(f"Compression ratio, data only: {result.ratio():.4f}", file=out)
        print(f"Compression ratio as eval.sh counts it (+ {tools_line}): "
              f"{result.ratio(result.tools_bytes):.4f}", file=out)
        if scripts:
            print(f"Compression ratio + the installed n1codec package ({result.package_bytes:,} B in "
                  f"{package_files} files, counted once): "
                  f"{result.ratio(result.tools_bytes + result.package_bytes):.4f}", file=out)
        else:
            print("The native programs need nothing else (libc and libm only): the ratio above is "
                  "the whole cost", file=out)
        if result.duration_s:
            print(f"Wall time per process, start-up included: encode {result.encode_s / result.files * 1000:.1f} ms, "
                  f"decode {result.decode_s / result.files * 1000:.1f} ms per file "
                  f"({result.duration_s / result.encode_s:.1f} / {result.duration_s / result.decode_s:.1f} xRT; "
                  f"{result.samples / result.encode_s / 1e6:.2f} / {result.samples / result.decode_s / 1e6:.2f} "
                  "M samples/s)", file=out)
    return result


# ------------------------------------------------------------------------ CLI

def add_eval_arguments(parser) -> None:
    parser.add_argument("data", nargs="?", default=None,
                        help="folder of WAV files or the challenge's data.zip (default: the embedded synthetic set)")
    parser.add_argument("--codec", "-c", default=None,
                        help="codec spec or alias (default: the n1-encode default, run as n1-encode/n1-decode)")
    parser.add_argument("--limit", type=int, default=None, help="use at most N files")
    parser.add_argument("--quiet", "-q", action="store_true", help="no line per file")
    parser.add_argument("--python", action="store_true",
                        help="run the Python launchers (n1-encode / n1-decode, or kit scripts) instead of "
                             "the native programs")


def run_eval_cli(args) -> int:
    result = run_eval(args.data, codec=args.codec, limit=args.limit, quiet=args.quiet, python=args.python)
    return 1 if result.failed else 0


def add_kit_arguments(parser) -> None:
    parser.add_argument("directory", help="folder to write the executable files 'encode' and 'decode' into")
    parser.add_argument("--codec", "-c", default=None, help="codec spec or alias (default: the n1-encode default)")
    parser.add_argument("--force", "-f", action="store_true", help="overwrite existing encode/decode files")
    parser.add_argument("--python", action="store_true",
                        help="write Python launcher scripts even for the n1 levels (default: the native "
                             "programs n1c-encode / n1c-decode for n1, n1:fast, n1:max)")


def run_kit_cli(args) -> int:
    encode, decode = write_kit(args.directory, codec=args.codec, force=args.force,
                               native=False if args.python else None)
    kind = "Python launcher scripts" if is_script(encode) else "native programs"
    print(f"wrote {encode} and {decode}, {kind} ({encode.stat().st_size + decode.stat().st_size} bytes)")
    print(f"run the challenge's eval.sh in {args.directory} (it unzips data.zip there and calls ./encode, ./decode)")
    return 0
