"""Joint multichannel coding (issue 11): n1 with and without ``joint=true`` on the
real multichannel recordings of ../shared/ephys-data/dev, and on N1 dev files
stacked as channels (unrelated channels). Every decode is verified.

    python bench/joint_gain.py [--level default|max] [--stacked 16] [--speed]

Prints a markdown table: container bytes of ``n1`` (each channel alone) and of
``n1(joint=true)``, the gain, and with --speed the joint encode/decode rate and
the independent one, measured in the same run (one thread, medians of 3).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec.pipeline import Pipeline, parse_spec

ROOT = Path(__file__).resolve().parents[1]
EPHYS = ROOT.parent / "shared" / "ephys-data" / "dev"
N1DEV = ROOT.parent / "shared" / "n1-data" / "dev"


def stacked_n1(count: int) -> np.ndarray:
    """The first `count` N1 dev files (sorted names), cut to the shortest, as channels."""
    files = sorted(N1DEV.glob("*.wav"))[:count]
    channels = [_read(f) for f in files]
    n = min(len(c) for c in channels)
    return np.ascontiguousarray(np.stack([c[:n] for c in channels], axis=1))


def _read(path: Path) -> np.ndarray:
    from n1codec.wav import parse_wav
    return parse_wav(path.read_bytes()).samples.reshape(-1)


def timed(fn, repeats: int, clock=time.perf_counter):
    """Median seconds of `repeats` calls of fn (by `clock`) and the last result."""
    times, result = [], None
    for _ in range(repeats):
        t0 = clock()
        result = fn()
        times.append(clock() - t0)
    return statistics.median(times), result


def row(name: str, x: np.ndarray, level: str, speed: bool) -> str:
    alone = parse_spec("n1" if level == "default" else f"n1:{level}")
    joint = parse_spec(f"n1(joint=true,level={level})")
    repeats = 3 if speed else 1
    t_ea, a = timed(lambda: n1codec.encode(x, codec=alone), repeats)
    t_ej, j = timed(lambda: n1codec.encode(x, codec=joint), repeats)
    t_da, xa = timed(lambda: n1codec.decode(a), repeats)
    t_dj, xj = timed(lambda: n1codec.decode(j), repeats)
    assert np.array_equal(xa.reshape(x.shape), x) and np.array_equal(xj.reshape(x.shape), x), name
    gain = 100.0 * (1 - len(j) / len(a))
    line = f"| {name} | {x.shape[0]} x {x.shape[1]} | {len(a)} | {len(j)} | {gain:+.2f}% |"
    if speed:
        ms = x.size / 1e6
        line += f" {ms / t_ej:.2f} / {ms / t_dj:.2f} | {ms / t_ea:.2f} / {ms / t_da:.2f} |"
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--level", default="default", choices=("fast", "default", "max"))
    ap.add_argument("--stacked", type=int, default=16, help="N1 dev files stacked as channels (0: none)")
    ap.add_argument("--speed", action="store_true", help="also time encode/decode (M samples/s)")
    ap.add_argument("names", nargs="*", help="recordings (stems) to run; default all")
    args = ap.parse_args()
    Pipeline.threads = 1  # one core each way (also for the pipelines decode() builds)
    head = "| recording | frames x channels | n1 bytes | n1(joint=true) bytes | gain |"
    if args.speed:
        head += " joint enc / dec MS/s | alone enc / dec MS/s |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for path in sorted(EPHYS.glob("*.npy")):
        if args.names and path.stem not in args.names:
            continue
        x = np.ascontiguousarray(np.load(path))
        print(row(path.stem, x, args.level, args.speed), flush=True)
    if args.stacked and N1DEV.is_dir() and (not args.names or "stacked" in args.names):
        x = stacked_n1(args.stacked)
        print(row(f"N1 dev: {args.stacked} files as channels", x, args.level, args.speed), flush=True)


if __name__ == "__main__":
    main()
