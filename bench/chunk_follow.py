"""Chunked files: what following the lead chunks' model choices costs and saves.

Compresses one real-derived 384-channel file (bench/large_recordings.py's generator,
from ../shared/ephys-data/dev) twice with the same codec: every chunk trying its own
models (leads every chunk) and the default (a lead every 32 chunks, the others
following). Prints bytes, ratio, CPU seconds and wall seconds of each, and checks
that both decode to the input.

    python bench/chunk_follow.py [--size-gb 0.25] [--codec n1]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec import recording

sys.path.insert(0, str(Path(__file__).resolve().parent))
import large_recordings  # noqa: E402  (the real-derived generator)

CHANNELS = 384


def compress(src: Path, dst: Path, codec: str, retry_chunks: int) -> dict:
    saved = recording._LeadChoices.RETRY_CHUNKS
    recording._LeadChoices.RETRY_CHUNKS = retry_chunks
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        recording.compress_recording(src, dst, codec, format="raw", channels=CHANNELS,
                                     sample_rate=large_recordings.RATE, force=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        recording._LeadChoices.RETRY_CHUNKS = saved
    with n1codec.open(dst) as rec:
        exact = np.array_equal(rec[:], np.fromfile(src, dtype="<i2").reshape(-1, CHANNELS))
    size = dst.stat().st_size
    return {"bytes": size, "ratio": src.stat().st_size / size, "cpu_s": cpu, "wall_s": wall, "exact": exact}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-gb", type=float, default=0.25)
    ap.add_argument("--codec", default="n1")
    args = ap.parse_args(argv)
    if not large_recordings.EPHYS_DEV.is_dir():
        print(f"no ephys recordings at {large_recordings.EPHYS_DEV}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        src = Path(work) / "real384.bin"
        large_recordings.write_real(src, int(args.size_gb * 1e9), CHANNELS)
        print(f"| {args.codec}, {args.size_gb} GB | bytes | ratio | CPU s | wall s | exact |")
        print("|---|---|---|---|---|---|")
        rows = {"every chunk tries": 1, f"a lead every {recording._LeadChoices.RETRY_CHUNKS} chunks":
                recording._LeadChoices.RETRY_CHUNKS}
        results = {}
        for name, retry in rows.items():
            r = results[name] = compress(src, Path(work) / "out.n1", args.codec, retry)
            print(f"| {name} | {r['bytes']:,} | {r['ratio']:.4f} | {r['cpu_s']:.1f} | {r['wall_s']:.1f} | "
                  f"{r['exact']} |", flush=True)
        first, second = results.values()
        print(f"\nfollowing: {100 * (second['bytes'] / first['bytes'] - 1):+.3f}% bytes, "
              f"{first['cpu_s'] / second['cpu_s']:.2f}x less CPU")
        return 0 if all(r["exact"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
