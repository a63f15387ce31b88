"""Safe file output: write to a temporary file beside the target, then rename.

A failure at any point leaves no partial output, an existing output is kept
unless overwriting was asked for, and the input is never opened for writing.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Union

from .errors import InvalidInputError, OutputExistsError

PathLike = Union[str, "os.PathLike[str]"]

# mkstemp creates files readable by the owner only; outputs get the usual
# permissions instead. The umask can only be read by setting it, once, here.
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: PathLike, data: bytes, force: bool = False) -> None:
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; pass --force (force=True) to overwrite it")
    if target.is_dir():
        raise InvalidInputError(f"{target} is a directory")
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), 0o666 & ~_UMASK)
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
