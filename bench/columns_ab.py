"""Multichannel n1 decoding with and without the column path, alternating, one run.

Since 2026-12-02 the pipeline hands a bare n1 coder's channel streams to C, which
decodes them straight into the interleaved (frames x channels) array
(csrc/n1/n1_columns.h). The older path, still used by every other coder, decodes each
channel into a planar array and interleaves it with numpy. This times
``n1codec.decode`` on bench/array_speed.py's 1 s chunks of 384 channels (real-derived,
synthetic) with the n1 coder's ``decodes_columns`` switched off and on in turn (the
same build, the same bytes), CPU time of one thread, and prints the median M samples/s
of each and their ratio. Every decode is compared with the source.

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


def decode_rates(blob: bytes, x: np.ndarray, rounds: int) -> dict:
    """{columns on?: [M samples/s per round]}, the two settings alternating."""
    rates = {False: [], True: []}
    for _ in range(rounds):
        for columns in (False, True):
            N1.decodes_columns = columns
            start = time.process_time()
            back = n1codec.decode(blob)
            seconds = time.process_time() - start
            if not np.array_equal(back, x):
                raise SystemExit("a decode differs from the source")
            rates[columns].append(x.size / seconds / 1e6)
    N1.decodes_columns = True
    return rates


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecs", default="n1:fast,n1")
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args(argv)
    Pipeline.threads = 1
    print("| chunk | codec | planar + numpy, M samples/s | columns, M samples/s | ratio |")
    print("|---|---|---|---|---|")
    for name, x in recordings(with_chunks=True):
        if not name.endswith(" 1 s"):
            continue
        for codec in args.codecs.split(","):
            rates = decode_rates(n1codec.encode(x, codec=codec), x, args.rounds)
            before, after = statistics.median(rates[False]), statistics.median(rates[True])
            print(f"| {name} | {codec} | {before:.1f} | {after:.1f} | {after / before:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
