"""Two codecs file by file, from an `n1codec bench` run's per_file.csv (issue 12).

Issue 12 asks that `n1:fast` be at most 5% larger than `n1` on every file (no escape
storms). The totals in results.csv cannot show that; this prints, for CODEC against
BASE, how many files are larger by more than --limit, the worst files, and the
quantiles of size(CODEC) / size(BASE). Files either codec failed on are reported, not
compared. Exit status 1 when a file exceeds the limit or failed.

    n1codec bench DATA --codecs n1:fast,n1 --out RUN
    python bench/per_file_sizes.py RUN/per_file.csv [--codec n1:fast] [--base n1] [--limit 0.05]
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path


def read_sizes(path: Path, codec: str):
    """{file: compressed bytes} for the codec's lossless rows, and the files it failed on."""
    sizes, failed = {}, []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["codec"] != codec:
                continue
            if row["lossless"] == "yes":
                sizes[row["file"]] = int(row["compressed_bytes"])
            else:
                failed.append(row["file"])
    return sizes, failed


def quantile(sorted_values, q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("per_file", type=Path, help="per_file.csv of an n1codec bench run")
    ap.add_argument("--codec", default="n1:fast")
    ap.add_argument("--base", default="n1")
    ap.add_argument("--limit", type=float, default=0.05, help="allowed excess over the base (0.05: 5%%)")
    ap.add_argument("--worst", type=int, default=5, help="how many of the worst files to list")
    args = ap.parse_args(argv)

    codec, codec_failed = read_sizes(args.per_file, args.codec)
    base, base_failed = read_sizes(args.per_file, args.base)
    common = sorted(set(codec) & set(base))
    if not common:
        print(f"no file has lossless rows for both {args.codec} and {args.base}", file=sys.stderr)
        return 2
    ratios = sorted((codec[f] / base[f], f) for f in common)
    values = [r for r, _ in ratios]
    over = [(r, f) for r, f in ratios if r > 1 + args.limit]
    print(f"{len(common)} files, {args.codec} / {args.base} bytes: "
          f"median {quantile(values, 0.5):.4f}, 90% {quantile(values, 0.9):.4f}, max {values[-1]:.4f}")
    print(f"totals: {sum(codec[f] for f in common):,} / {sum(base[f] for f in common):,} bytes")
    print(f"files more than {args.limit:.0%} larger: {len(over)}")
    for r, f in ratios[::-1][:args.worst]:
        print(f"  {f}: {codec[f]:,} / {base[f]:,} bytes ({r - 1:+.2%})")
    for name, failed in ((args.codec, codec_failed), (args.base, base_failed)):
        if failed:
            print(f"{name} failed on {len(failed)} files: {', '.join(failed[:5])}")
    return 1 if over or codec_failed or base_failed else 0


if __name__ == "__main__":
    sys.exit(main())
