"""Per-file launch speed and counted ratio of the challenge kit: the native programs vs the Python launchers.

The challenge's eval.sh starts ./encode and ./decode once per file, so what counts is a whole
process: start-up, reading, coding, writing. This runs both kits side by side, file by file and
alternating which goes first, so machine load hits both alike, and prints per-file medians in
M samples/s (samples of the file / wall time of one process) and the ratio with and without the
two executables' bytes counted once.

    python bench/launch_speed.py [FOLDER] [--limit N] [--codec n1|n1:fast|n1:max]
(FOLDER: WAV files, default ../shared/n1-data/dev.) Both kits are what `n1codec challenge-kit`
writes: with the native programs, and with --python.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Tuple

from n1codec.tools.evaluate import write_kit


def _timed(cmd) -> Tuple[float, float]:
    """Wall time and CPU time (user + system) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{cmd} failed: {proc.stderr.decode(errors='replace').strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(Path(__file__).resolve().parents[1].parent
                                                       / "shared" / "n1-data" / "dev"))
    parser.add_argument("--limit", type=int, default=None, help="every k-th file so that at most N are used")
    parser.add_argument("--codec", default="n1", choices=("n1", "n1:fast", "n1:max"))
    args = parser.parse_args()
    files = sorted(Path(args.folder).glob("*.wav"))
    if not files:
        sys.exit(f"no WAV files in {args.folder}")
    if args.limit and len(files) > args.limit:
        files = files[::len(files) // args.limit][:args.limit]
    speeds = {(kit, step, clock): [] for kit in ("native", "python") for step in ("encode", "decode")
              for clock in ("wall", "cpu")}
    original = compressed = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        kits = {"native": write_kit(work / "native", args.codec, native=True),
                "python": write_kit(work / "python", args.codec, native=False)}
        for index, wav in enumerate(files):
            samples = (wav.stat().st_size - 44) // 2
            order = list(kits) if index % 2 == 0 else list(kits)[::-1]
            sizes = {}
            for kit in order:
                enc, dec = kits[kit]
                packed, back = work / f"{kit}.n1", work / f"{kit}.wav"
                t_enc = _timed([str(enc), str(wav), str(packed)])  # the kit's tools overwrite OUTPUT
                t_dec = _timed([str(dec), str(packed), str(back)])
                if back.read_bytes() != wav.read_bytes():
                    sys.exit(f"{kit} did not round-trip {wav}")
                sizes[kit] = packed.read_bytes()
                for step, times in (("encode", t_enc), ("decode", t_dec)):
                    for clock, seconds in zip(("wall", "cpu"), times):
                        speeds[kit, step, clock].append(samples / max(seconds, 1e-6) / 1e6)
            if sizes["native"] != sizes["python"]:
                sys.exit(f"the two kits wrote different .n1 bytes for {wav}")
            original += wav.stat().st_size
            compressed += len(sizes["native"])
        tools = sum(p.stat().st_size for p in kits["native"])
    print(f"{len(files)} files from {args.folder}, codec {args.codec}")
    print("per-file launch, median M samples/s (samples of the file / time of one process),")
    print("by wall time and by the process's CPU time (which the machine's load inflates less):")
    for kit in kits:
        line = ", ".join(f"{step} {statistics.median(speeds[kit, step, 'wall']):.2f} wall / "
                         f"{statistics.median(speeds[kit, step, 'cpu']):.2f} cpu" for step in ("encode", "decode"))
        print(f"  {kit:7s} {line}")
    print(f"ratio, data only: {original / compressed:.4f}")
    counted = original / (compressed + tools)
    print(f"ratio, native encode + decode counted once ({tools} B): {counted:.4f} "
          f"({100 * (1 - counted / (original / compressed)):.3f}% below the data-only ratio)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
