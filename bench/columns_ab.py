"""Multichannel n1 coding with and without the column path, alternating, one run.

Since 2026-12-02 the pipeline hands a bare n1 coder's channels to C, which codes them
straight from, and decodes them straight into, the interleaved (frames x channels)
array (csrc/n1/n1_columns.h). The older path, still used by every other coder, copies
each channel out of the array with numpy before encoding, and decodes each into a
planar array that numpy interleaves. This times ``n1codec.encode`` and
``n1codec.decode`` on bench/array_speed.py's 1 s chunks of 384 channels (real-derived,
synthetic) with the n1 coder's ``codes_columns`` switched off and on in turn (the same
build, the same bytes: checked), CPU time of one thread, and prints the median
M samples/s of each and their ratio. Every decode is compared with the source.

    python bench/columns_ab.py [--codecs n1:fast,n1] [--rounds 9]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec.codecs.n1 import N1
from n1codec.pipeline import Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from array_speed import recordings  # noqa: E402  (the 1 s chunks)


def rates(x: np.ndarray, codec: str, rounds: int) -> dict:
    """{(direction, columns on?): [M samples/s per round]}, the two settings alternating."""
    out = {(d, c): [] for d in ("encode", "decode") for c in (False, True)}
    reference = None
    for _ in range(rounds):
        for columns in (False, True):
            N1.codes_columns = columns
            start = time.process_time()
            blob = n1codec.encode(x, codec=codec)
            middle = time.process_time()
            back = n1codec.decode(blob)
            end = time.process_time()
            if not np.array_equal(back, x):
                raise SystemExit("a decode differs from the source")
            reference = blob if reference is None else reference
            if blob != reference:
                raise SystemExit("the two paths wrote different bytes")
            out["encode", columns].append(x.size / (middle - start) / 1e6)
            out["decode", columns].append(x.size / (end - middle) / 1e6)
    N1.codes_columns = True
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecs", default="n1:fast,n1")
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args(argv)
    Pipeline.threads = 1
    print("| chunk | codec | way | per channel + numpy, M samples/s | columns, M samples/s | ratio |")
    print("|---|---|---|---|---|---|")
    for name, x in recordings(with_chunks=True):
        if not name.endswith(" 1 s"):
            continue
        for codec in args.codecs.split(","):
            measured = rates(x, codec, args.rounds)
            for way in ("encode", "decode"):
                before = statistics.median(measured[way, False])
                after = statistics.median(measured[way, True])
                print(f"| {name} | {codec} | {way} | {before:.1f} | {after:.1f} | {after / before:.2f} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
