#!/usr/bin/env python3
"""Re-run the original N1 codec study's 24 rows and check each reaches the study's ratio.

A benchmark, not a test (about 6 CPU-minutes on the 497-file dev split): every row is
benched with `n1codec bench` machinery, every decode checked against the original file,
and each row's whole-file ratio compared with the study's published figure, allowing
its rounding (0.005). Exit status 0 when every row is lossless and reaches its figure.

    python bench/reproduce_study.py ../shared/n1-data/dev [--workers 2] [--out DIR]
"""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="folder of the challenge's WAV files (or its data.zip)")
    parser.add_argument("--workers", "-j", type=int, default=2, help="worker processes (default: %(default)s)")
    parser.add_argument("--out", default=None, help="also write the bench's result files into this folder")
    args = parser.parse_args(argv)

    from n1codec.tools.bench import resolve_codecs, run_bench, write_outputs
    from n1codec.tools.datasets import discover
    from n1codec.tools.study import STUDY_FIGURES, STUDY_ORDER

    data = discover(args.data)
    choices, skipped = resolve_codecs(",".join(STUDY_ORDER))
    run = run_bench(data, choices, workers=args.workers, progress=sys.stderr.isatty(), skipped=skipped)
    if args.out:
        from pathlib import Path
        write_outputs(run, Path(args.out))
    by_label = {r.choice.label: r for r in run.results}
    problems = [f"{r.choice.label}: {r.error or 'incomplete'}" for r in run.results if r.failed or not r.complete]
    problems += [f"{row}: not run ({dict(skipped).get(row, 'unknown')})" for row in STUDY_ORDER
                 if row not in by_label]
    print(f"{'row':22} {'ratio':>7} {'study':>6}")
    for row in STUDY_ORDER:
        if row in by_label:
            ratio = by_label[row].ratio
            short = ratio < STUDY_FIGURES[row] - 0.005
            print(f"{row:22} {ratio:7.3f} {STUDY_FIGURES[row]:6.2f}{'  BELOW' if short else ''}")
            if short:
                problems.append(f"{row}: {ratio:.3f} below the study's {STUDY_FIGURES[row]}")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
