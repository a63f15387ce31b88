"""Random access in a chunked 384-channel file: time to read a window, by thread count.

Writes 12 s of bench/large_recordings.py's real-derived 384-channel data (from
../shared/ephys-data/dev) as a chunked .n1 file per codec, then reads --windows windows
of each length at fixed positions through ``n1codec.open(...)[t0:t1]`` with 1 and with
every thread, a fresh Recording per read (no cache), and prints the median milliseconds.
Every read is compared with the source. ``--native PATH`` runs with another build of the
C core (a ``_native*.so``), to compare builds on the same Python code.

    python bench/window_speed.py [--codecs n1,n1:fast] [--seconds 5,0.4] [--native PATH]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecs", default="n1,n1:fast")
    ap.add_argument("--seconds", default="5,0.4", help="window lengths in seconds")
    ap.add_argument("--windows", type=int, default=7)
    ap.add_argument("--native", default=None, help="a _native*.so to use instead of the installed one")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.native:
        from native_build import load_native
        load_native(args.native)
    import numpy as np
    import n1codec
    from n1codec.pipeline import available_cpus
    import large_recordings  # noqa: E402  (the real-derived generator)

    if not large_recordings.EPHYS_DEV.is_dir():
        print(f"no ephys recordings at {large_recordings.EPHYS_DEV}", file=sys.stderr)
        return 1
    rate, channels, total = large_recordings.RATE, 384, 12.0
    with tempfile.TemporaryDirectory() as work:
        src = Path(work) / "real384.bin"
        large_recordings.write_real(src, int(total * rate) * channels * 2, channels)
        data = np.fromfile(src, dtype="<i2").reshape(-1, channels)
        threads = (1, available_cpus())
        print(f"| codec | window | " + " | ".join(f"{t} thread(s), ms" for t in threads) + " |")
        print("|---|---|" + "---|" * len(threads))
        for codec in args.codecs.split(","):
            coded = Path(work) / "rec.n1"
            n1codec.compress_recording(src, coded, codec, format="raw", channels=channels,
                                       sample_rate=rate, force=True)
            for seconds in (float(s) for s in args.seconds.split(",")):
                starts = np.linspace(0.3, total - seconds - 0.3, args.windows)
                cells = []
                for t in threads:
                    times = []
                    for start in starts:
                        a, b = int(start * rate), int((start + seconds) * rate)
                        with n1codec.open(coded, threads=t, cache_chunks=0) as rec:
                            begin = time.perf_counter()
                            window = rec[a:b]
                            times.append(time.perf_counter() - begin)
                        if not np.array_equal(window, data[a:b]):
                            print(f"{codec}: window {a}:{b} differs", file=sys.stderr)
                            return 1
                    cells.append(f"{1000 * statistics.median(times):.0f}")
                print(f"| {codec} | {seconds} s | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
