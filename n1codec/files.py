"""Safe file output: write to a temporary file beside the target, then rename.

A failure at any point leaves no partial output, an existing output is kept
unless overwriting was asked for, and the input is never opened for writing.
"""
from __future__ import annotations

import os
import secrets
from glob import escape as glob_escape
from pathlib import Path
from typing import Union

from .errors import InvalidInputError, OutputExistsError

PathLike = Union[str, "os.PathLike[str]"]



def _create_temp_beside(target: Path):
    """A new, exclusively created temporary file in the target's folder: (fd, name).

    Created with mode 0o666 so the process umask applies, as for any output file
    (mkstemp would make it owner-only, and reading the umask means changing it
    process-wide, which races with other threads)."""
    directory = target.parent if str(target.parent) else Path(".")
    for _ in range(100):
        name = directory / f"{_temp_prefix(target)}{secrets.token_hex(4)}.tmp"
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), name
        except FileExistsError:
            continue
        except OSError as exc:  # name the output the user asked for, not our temporary file
            raise type(exc)(exc.errno, f"cannot write the output ({exc.strerror})", str(target)) from None
    raise FileExistsError(f"could not create a temporary file in {directory}")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_partial_outputs(target: PathLike) -> int:
    """Delete temporary files that an interrupted write_atomic(target) left; how many.

    A process killed while writing (a pool worker stopped by Ctrl-C) cannot clean up
    after itself; whoever stopped it calls this for the outputs that were in flight."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    removed = 0
    for leftover in directory.glob(f"{glob_escape(_temp_prefix(target))}*.tmp"):
        try:
            leftover.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def write_atomic(path: PathLike, data: bytes, force: bool = False) -> None:
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(target)
    if target.is_dir():
        raise InvalidInputError(f"{target} is a directory")
    fd, tmp_name = _create_temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


def same_file(a: PathLike, b: PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
