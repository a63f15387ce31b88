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

from ..api import DEFAULT_CODEC, DEFAULT_MAX_SAMPLES
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
    max_samples: Optional[int] = None


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
        # Sizes come from the header written or read, not from stat() afterwards: the
        # input may be gone by then, and the job is done either way.
        if job.decompress:
            header = decompress_file(job.src, job.dst, force=job.force, max_samples=job.max_samples)
            sizes = (header.file_size, header.original_size)
        else:
            header = compress_file(job.src, job.dst, codec=job.codec, force=job.force, verify=job.verify)
            sizes = (header.original_size, header.file_size)
        return FileOutcome(job.src, job.dst, True, *sizes, time.perf_counter() - start)
    except (N1CodecError, OSError) as exc:
        return FileOutcome(job.src, job.dst, False, seconds=time.perf_counter() - start,
                           error=f"{job.src}: {exc}")


def plan(src_dir, dst_dir, decompress: bool = False, codec: str = DEFAULT_CODEC, force: bool = False,
         verify: bool = False, max_samples: Optional[int] = None) -> List[FileJob]:
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
                    verify, max_samples) for p in files]


def convert_folder(src_dir, dst_dir, decompress: bool = False, codec: str = DEFAULT_CODEC, workers: int = 1,
                   scheduler: Any = None, force: bool = False, verify: bool = False,
                   max_samples: Optional[int] = None) -> Iterator[FileOutcome]:
    """Convert every file of `src_dir` into `dst_dir`; yields one outcome per file as it finishes.

    Interrupted (Ctrl-C, or the iterator closed early), it stops the workers and removes the
    temporary files of the outputs that were being written, so no partial file is left."""
    jobs = plan(src_dir, dst_dir, decompress=decompress, codec=codec, force=force, verify=verify,
                max_samples=max_samples)
    _make_folder(Path(dst_dir))
    return _run_jobs(jobs, workers, scheduler)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot create the output folder {folder}: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise InvalidInputError(f"the output folder {folder} is not a folder")


def _run_jobs(jobs: List[FileJob], workers: int, scheduler: Any) -> Iterator[FileOutcome]:
    from ..files import remove_partial_outputs
    from .parallel import map_files
    pending = {job.dst for job in jobs}
    finished = False
    try:
        for outcome in map_files(run_job, jobs, workers=workers, scheduler=scheduler):
            pending.discard(outcome.dst)
            yield outcome
        finished = True
    finally:
        if not finished:  # the workers are stopped by now (map_files' own cleanup ran first)
            for dst in pending:
                remove_partial_outputs(dst)


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


def build_parser(prog: str, action: Optional[str] = None) -> argparse.ArgumentParser:
    """The folder tool's options; `action` fixed (``n1codec compress-folder``) or a first argument."""
    what = {"compress": "Compress a folder of WAV recordings into .n1 files",
            "decompress": "Decompress a folder of .n1 files into the original WAV files"}
    parser = argparse.ArgumentParser(prog=prog, description=(what[action] if action else
                                     "Compress or decompress a folder of recordings")
                                     + ", locally or on a dask cluster.")
    if action is None:
        parser.add_argument("action", choices=("compress", "decompress"))
    parser.add_argument("src", help="folder of .wav files (compress) or .n1 files (decompress)")
    parser.add_argument("dst", help="output folder (created if missing)")
    parser.add_argument("--codec", "-c", default=DEFAULT_CODEC, help="codec spec (compress only)")
    parser.add_argument("--workers", "-j", type=int, default=1, help="local worker processes (0: one per CPU)")
    parser.add_argument("--scheduler", default=None,
                        help="dask.distributed scheduler: tcp://host:8786, or local[:N] for a local cluster")
    parser.add_argument("--force", "-f", action="store_true", help="overwrite existing outputs")
    parser.add_argument("--verify", action="store_true", help="decode and compare before writing (compress)")
    parser.add_argument("--max-samples", type=int, default=DEFAULT_MAX_SAMPLES, metavar="N",
                        help="decompress: refuse a file that declares more than N samples, before allocating; "
                             "0: no limit (default: %(default)s)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")
    if action is not None:
        parser.set_defaults(action=action)
    return parser


def main(argv: Optional[List[str]] = None, prog: str = "python -m n1codec.tools.batch",
         action: Optional[str] = None) -> int:
    args = build_parser(prog, action).parse_args(argv)
    from .parallel import default_workers
    workers = default_workers() if args.workers == 0 else args.workers
    start = time.perf_counter()
    done = failed = total_in = total_out = 0
    try:
        outcomes = convert_folder(args.src, args.dst, decompress=args.action == "decompress", codec=args.codec,
                                  workers=workers, scheduler=args.scheduler, force=args.force,
                                  verify=args.verify, max_samples=args.max_samples or None)
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
    except KeyboardInterrupt:
        print(f"interrupted: {done} file(s) {args.action}ed, {failed} failed; no partial output was left",
              file=sys.stderr)
        return 130
    ratio = (total_in / total_out) if (total_out and args.action == "compress") else None
    print(f"{done} file(s) {args.action}ed, {failed} failed, {total_in} -> {total_out} bytes"
          + (f" (ratio {ratio:.3f})" if ratio else "") + f", {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
