"""Output folders of the tools that write several files (bench, analyze).

A folder that already holds files is only written into with --force, and then the files a
previous run of the same tool wrote are removed first, so a report never sits beside a
stale figure or table of another run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import InvalidInputError, OutputExistsError


def prepare_output_folder(out: Path, force: bool, ours: Iterable[str]) -> None:
    """Check `out` may be written, before any work starts; with `force`, clear our old files.

    `ours` names (or glob patterns of) the files the tool writes. Raises OutputExistsError
    for a non-empty folder without `force`, InvalidInputError for a path that is a file."""
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"the output folder {out} is a file; choose another --out")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise OutputExistsError(out, "--force")
        for pattern in ours:
            for old in out.glob(pattern):
                if old.is_file():
                    old.unlink()
