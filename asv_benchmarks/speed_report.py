"""Speed of the n1 levels against memcpy-class limits measured in the same run.

For each level (n1:fast, n1, n1:max) this times n1codec.encode / n1codec.decode on
int16 arrays (one recording each, the whole public Python path: checks, container,
sample CRC, copies), single-threaded, and prints M samples/s next to two limits
timed on the same arrays in the same run:

- copy:        numpy copy of the samples into a preallocated array (what any codec
               must at least read and write);
- delta+pack:  first differences into a preallocated int16 array, then its bytes
               into a preallocated byte buffer (the cheapest "codec" there is: a
               delta pass and a byte pack).
Preallocated destinations keep page faults of fresh allocations out of the limits.

Each figure is the median of --passes passes over the files; a level's speed is
also given as a fraction of each limit, which is stable across machines and
load far better than the absolute figures. Times are CPU time of the calling
thread (time.thread_time), so other processes on a shared machine disturb them
less than wall clock; --wall uses wall clock instead.

Data: every --step-th WAV of ../shared/n1-data/dev (or $N1CODEC_DEV_DATA, or
--data); the synthetic N1-like set when there is none.

    python asv_benchmarks/speed_report.py                 # every 5th dev file, 5 passes
    python asv_benchmarks/speed_report.py --step 1 --passes 3 --levels fast
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec.wav import parse_wav

LEVELS = {"fast": "n1:fast", "default": "n1", "max": "n1:max"}


def dev_folder() -> Path:
    repo = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("N1CODEC_DEV_DATA", repo.parent / "shared" / "n1-data" / "dev"))


def load_arrays(folder: Path, step: int):
    """One int16 array per recording (channels interleaved as in the file), and a label."""
    files = sorted(folder.glob("*.wav")) if folder.is_dir() else []
    if files:
        arrays = [np.ascontiguousarray(parse_wav(f.read_bytes()).samples.reshape(-1))
                  for f in files[::step]]
        return arrays, f"{len(arrays)} of {len(files)} files in {folder}"
    from n1codec.tools import synthetic
    arrays = [synthetic.n1_like(seconds=5.0, seed=i).reshape(-1) for i in range(10)]
    return arrays, "10 synthetic N1-like recordings of 5 s (no dev data found)"


def median_rate(func, samples: int, passes: int, clock) -> float:
    """M samples/s of func() over `samples` samples: the median of `passes` timed calls."""
    times = []
    for _ in range(passes):
        t0 = clock()
        func()
        times.append(clock() - t0)
    return samples / statistics.median(times) / 1e6


def copy_all(arrays, dests):
    for x, y in zip(arrays, dests):
        np.copyto(y, x)


def delta_pack(arrays, scratch, packed):
    """The delta+byte-pack limit: x[i] - x[i-1] into scratch, then its bytes into packed."""
    for x, d, b in zip(arrays, scratch, packed):
        d[0] = x[0]
        np.subtract(x[1:], x[:-1], out=d[1:])
        np.copyto(b, d.view(np.uint8))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="folder of WAV files (default: the dev split)")
    ap.add_argument("--step", type=int, default=5, help="use every STEP-th file (default 5)")
    ap.add_argument("--passes", type=int, default=5, help="timed passes per figure; the median is kept")
    ap.add_argument("--levels", default="fast,default,max", help="comma-separated: fast, default, max")
    ap.add_argument("--wall", action="store_true", help="wall clock instead of the thread's CPU time")
    args = ap.parse_args(argv)
    clock = time.perf_counter if args.wall else time.thread_time

    arrays, label = load_arrays(args.data or dev_folder(), max(1, args.step))
    total = sum(len(x) for x in arrays)
    raw_bytes = 2 * total
    scratch = [np.zeros_like(x) for x in arrays]
    packed = [np.zeros(2 * len(x), np.uint8) for x in arrays]
    copy_rate = median_rate(lambda: copy_all(arrays, scratch), total, args.passes, clock)
    pack_rate = median_rate(lambda: delta_pack(arrays, scratch, packed), total, args.passes, clock)

    print(f"data: {label}, {total / 1e6:.1f} M samples; {args.passes} passes, median; "
          f"{'wall clock' if args.wall else 'CPU time of one thread'}")
    print(f"limits: numpy copy {copy_rate:.0f} M samples/s, delta+byte-pack {pack_rate:.0f} M samples/s")
    print()
    print("| level | ratio | encode M samples/s | decode M samples/s | encode / copy | decode / copy "
          "| encode / delta+pack | decode / delta+pack |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.levels.split(","):
        spec = LEVELS[name.strip()]
        blobs = [n1codec.encode(x, codec=spec) for x in arrays]
        for x, b in zip(arrays, blobs):  # a report on a codec that does not round-trip is worthless
            if not np.array_equal(n1codec.decode(b), x):
                print(f"{spec} did not round-trip", file=sys.stderr)
                return 1
        ratio = raw_bytes / sum(len(b) for b in blobs)
        enc = median_rate(lambda: [n1codec.encode(x, codec=spec) for x in arrays], total, args.passes, clock)
        dec = median_rate(lambda: [n1codec.decode(b) for b in blobs], total, args.passes, clock)
        print(f"| `{spec}` | {ratio:.4f} | {enc:.1f} | {dec:.1f} | {enc / copy_rate:.3f} | "
              f"{dec / copy_rate:.3f} | {enc / pack_rate:.3f} | {dec / pack_rate:.3f} |")
    print()
    print("ratio: raw int16 bytes / .n1 bytes of the arrays (not WAV files: no WAV header in either)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
