"""Compress (or decompress) a folder of recordings: in this process, a process pool, or a dask cluster.

Every file is one task of :func:`n1codec.tools.parallel.map_files`, so the same call
runs on one core, on ``workers`` processes, or on a dask.distributed cluster
(``scheduler="tcp://host:8786"``, ``"local"``, a Client; see
:mod:`n1codec.tools.distributed`). Each output is written atomically by the worker
that made it; on a cluster, both folders must be reachable under the same
paths from every worker (a shared filesystem).

Command line::

    python -m n1codec.tools.batch compress   RECORDINGS/ OUT/ [--codec n1] [-j 4 | --scheduler tcp://host:8786]
    python -m n1codec.tools.batch decompress OUT/ WAVS/      [-j 4 | --scheduler tcp://host:8786]

A file that fails (not a 16-bit WAV, output exists without --force, ...) is
reported and the others go on; the exit status is 1 when any failed.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Optional

from ..api import DEFAULT_CODEC
from ..errors import InvalidInputError, N1CodecError


@dataclass(frozen=True)
class FileJob:
    """One file to convert; plain data, so it pickles to any worker."""

    src: str
    dst: str
    codec: str = DEFAULT_CODEC
    decompress: bool = False
    force: bool = False
    verify: bool = False


@dataclass
class FileOutcome:
    src: str
    dst: str
    ok: bool
    input_bytes: int = 0
    output_bytes: int = 0
    seconds: float = 0.0
    error: str = ""


def run_job(job: FileJob) -> FileOutcome:
    """Convert one file; never raises (a failure comes back as ok=False with the reason)."""
    from ..api import compress_file, decompress_file
    start = time.perf_counter()
    try:
        if job.decompress:
            decompress_file(job.src, job.dst, force=job.force)
        else:
            compress_file(job.src, job.dst, codec=job.codec, force=job.force, verify=job.verify)
        return FileOutcome(job.src, job.dst, True, Path(job.src).stat().st_size, Path(job.dst).stat().st_size,
                           time.perf_counter() - start)
    except (N1CodecError, OSError) as exc:
        return FileOutcome(job.src, job.dst, False, seconds=time.perf_counter() - start,
                           error=f"{job.src}: {exc}")


def plan(src_dir, dst_dir, decompress: bool = False, codec: str = DEFAULT_CODEC, force: bool = False,
         verify: bool = False) -> List[FileJob]:
    """The jobs for every WAV (or, to decompress, every .n1) file directly in `src_dir`."""
    src, dst = Path(src_dir), Path(dst_dir)
    if not src.is_dir():
        raise InvalidInputError(f"{src} is not a folder")
    if src.resolve() == dst.resolve():
        raise InvalidInputError("the input and output folders must differ")
    suffix_in, suffix_out = (".n1", ".wav") if decompress else (".wav", ".n1")
    files = sorted(p for p in src.iterdir() if p.is_file() and p.suffix.lower() == suffix_in)
    from ..api import get_codec
    # A wrong spec fails here, not once per file on the workers; resolving it also
    # loads the codec registry in this thread, before thread workers need it.
    spec = get_codec(codec).spec
    if not decompress:
        codec = spec
    return [FileJob(str(p.resolve()), str((dst / (p.stem + suffix_out)).resolve()), codec, decompress, force,
                    verify) for p in files]


def convert_folder(src_dir, dst_dir, decompress: bool = False, codec: str = DEFAULT_CODEC, workers: int = 1,
                   scheduler: Any = None, force: bool = False, verify: bool = False) -> Iterator[FileOutcome]:
    """Convert every file of `src_dir` into `dst_dir`; yields one outcome per file as it finishes."""
    from .parallel import map_files
    jobs = plan(src_dir, dst_dir, decompress=decompress, codec=codec, force=force, verify=verify)
    Path(dst_dir).mkdir(parents=True, exist_ok=True)
    return map_files(run_job, jobs, workers=workers, scheduler=scheduler)


def compress_folder(src_dir, dst_dir, codec: str = DEFAULT_CODEC, workers: int = 1, scheduler: Any = None,
                    force: bool = False, verify: bool = False) -> List[FileOutcome]:
    """Compress every WAV file of `src_dir` into `dst_dir` as .n1 files; returns the outcomes."""
    return list(convert_folder(src_dir, dst_dir, codec=codec, workers=workers, scheduler=scheduler,
                               force=force, verify=verify))


def decompress_folder(src_dir, dst_dir, workers: int = 1, scheduler: Any = None,
                      force: bool = False) -> List[FileOutcome]:
    """Decompress every .n1 file of `src_dir` into `dst_dir` as the original WAV files."""
    return list(convert_folder(src_dir, dst_dir, decompress=True, workers=workers, scheduler=scheduler,
                               force=force))


def main(argv: Optional[List[str]] = None, prog: str = "python -m n1codec.tools.batch") -> int:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Compress or decompress a folder of recordings, "
                                                 "locally or on a dask cluster.")
    parser.add_argument("action", choices=("compress", "decompress"))
    parser.add_argument("src", help="folder of .wav files (compress) or .n1 files (decompress)")
    parser.add_argument("dst", help="output folder (created if missing)")
    parser.add_argument("--codec", "-c", default=DEFAULT_CODEC, help="codec spec (compress only)")
    parser.add_argument("--workers", "-j", type=int, default=1, help="local worker processes (0: one per CPU)")
    parser.add_argument("--scheduler", default=None,
                        help="dask.distributed scheduler: tcp://host:8786, or local[:N] for a local cluster")
    parser.add_argument("--force", "-f", action="store_true", help="overwrite existing outputs")
    parser.add_argument("--verify", action="store_true", help="decode and compare before writing (compress)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")
    args = parser.parse_args(argv)
    from .parallel import default_workers
    workers = default_workers() if args.workers == 0 else args.workers
    start = time.perf_counter()
    done = failed = total_in = total_out = 0
    try:
        outcomes = convert_folder(args.src, args.dst, decompress=args.action == "decompress", codec=args.codec,
                                  workers=workers, scheduler=args.scheduler, force=args.force,
                                  verify=args.verify)
        for outcome in outcomes:
            if outcome.ok:
                done += 1
                total_in += outcome.input_bytes
                total_out += outcome.output_bytes
                if not args.quiet:
                    print(f"{outcome.src} -> {outcome.dst}: {outcome.input_bytes} -> {outcome.output_bytes} bytes")
            else:
                failed += 1
                print(f"error: {outcome.error}", file=sys.stderr)
    except N1CodecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ratio = (total_in / total_out) if (total_out and args.action == "compress") else None
    print(f"{done} file(s) {args.action}ed, {failed} failed, {total_in} -> {total_out} bytes"
          + (f" (ratio {ratio:.3f})" if ratio else "") + f", {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
