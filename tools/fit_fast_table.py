#!/usr/bin/env python3
"""Fit n1_fast_w32, the per-phase step widths of the n1 codec's fast level (csrc/n1/n1_fast.c).

    python tools/fit_fast_table.py            # print the fitted C initialiser
    python tools/fit_fast_table.py --check    # exit 1 if the committed table differs

The table lives inside n1_fast.c beside the code that uses it, so this script does not
rewrite that file: it prints the initialiser to paste, and --check finds the definition
of n1_fast_w32 anywhere under csrc/ (or in --source) and compares the numbers.

Data: the EVEN-indexed half of the dev split, files sorted by name (n1data.py), all
samples. The committed table is reproduced exactly (nearest rounding tie 0.005 away).

The fit: with N(c) the count of code c summed over those files and B(c) the box average
of N over c-16..c+16 (33 codes, c included), for every phase i = c mod 32
  w(i) = sum N(c) / sum B(c), over the codes c of phase i with N(c) > 1000
(the well-populated middle of the range, where the ratio is not noise), then
  n1_fast_w32[i] = round(256 * w(i) / mean(w)).
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

from ctables import REPO_ROOT, c_rows, read_c_array
from n1data import DEV_DATA, code_histograms, even_half

NAME = "n1_fast_w32"
PHASES = 32          # N1F_PHASES
RADIUS = 16          # box half window, codes
MIN_COUNT = 1000     # codes seen at most this often are left out of the sums


def fit_phase_widths(counts):
    """Q8 widths of the 32 phases from the summed code histogram (1024 counts)."""
    counts = np.asarray(counts, dtype=np.float64)
    box = np.convolve(counts, np.ones(2 * RADIUS + 1), "same") / (2 * RADIUS + 1)
    codes = np.flatnonzero(counts > MIN_COUNT)
    phase = codes % PHASES
    width = (np.bincount(phase, counts[codes], PHASES) / np.bincount(phase, box[codes], PHASES))
    return np.round(256.0 * width / width.mean()).astype(np.int64)


def log2_frac_table():
    """The encoder's cost table beside n1_fast_w32 (static log2_frac[256] in the same
    file): 256 * log2(1 + i / 256), rounded; a formula, no data."""
    return [round(256 * math.log2(1 + i / 256)) for i in range(256)]


def fit_from_data(folder=DEV_DATA):
    histograms, _ = code_histograms(even_half(folder))
    return fit_phase_widths(histograms.sum(axis=0))


def find_definition(root=REPO_ROOT / "csrc"):
    """The C file under root that defines (initialises) n1_fast_w32."""
    pattern = re.compile(rf"\b{NAME}\s*\[[^\]]*\]\s*=")
    hits = [p for p in sorted(Path(root).rglob("*.c")) if pattern.search(p.read_text())]
    if len(hits) != 1:
        raise LookupError(f"expected one definition of {NAME} under {root}, found {hits}")
    return hits[0]


def render(table):
    return f"const uint16_t {NAME}[N1F_PHASES] = {{\n" + c_rows(table, 16) + "};\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEV_DATA, help="folder of the dev .wav files")
    parser.add_argument("--source", type=Path, help=f"C file defining {NAME} (default: search csrc/)")
    parser.add_argument("--check", action="store_true", help="compare with the committed table")
    args = parser.parse_args(argv)
    table = fit_from_data(args.data)
    print(render(table), end="")
    if args.check:
        source = args.source or find_definition()
        committed = read_c_array(source, NAME)
        same = committed == table.tolist()
        print(f"{source}: {'matches' if same else 'DIFFERS from'} the fit")
        if not same:
            print("committed:\n" + c_rows(committed, 16), end="")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
