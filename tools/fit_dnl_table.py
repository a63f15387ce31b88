#!/usr/bin/env python3
"""Fit csrc/n1/n1_dnl_table.c, the prior step widths of the N1's 10-bit ADC (n1_dnl10).

    python tools/fit_dnl_table.py            # rewrite csrc/n1/n1_dnl_table.c from the dev data
    python tools/fit_dnl_table.py --check    # exit 1 if the committed table differs
    python tools/fit_dnl_table.py --print    # print the table only

Data: the EVEN-indexed half of the dev split, files sorted by name (n1data.py; the odd
half is kept for reporting). All samples of those files are used (~1.5 s). The committed
table is reproduced exactly; the nearest rounding tie is 7e-5 away, far above the
floating-point noise of the sums, so the result does not depend on the numpy version.

The fit, per code c of 0..1023:
  count_f(c)   how often code c occurs in file f;
  smooth_f(c)  max(0, quadratic Savitzky-Golay fit of count_f over c-16..c+16) (the same
               weights as the codec's online refit, n1_model.c, 3(3R^2+3R-1) - 15j^2 over
               (2R+1)(4R^2+4R-3)), counts outside 0..1023 taken as zero. Per file, so a
               file's negative tail lobe does not cancel another file's counts;
  width(c)     (sum_f count_f(c) + 20) / (sum_f smooth_f(c) + 20): 20 pseudo-counts shrink
               sparse codes towards the nominal width 1; a code whose smoothed count is
               below 50 (the edges of the range, and a sparse band at codes 27..35) keeps 1;
  n1_dnl10[c]  round(256 * width(c) / mean(width)), clamped to [16, 1024].
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from ctables import REPO_ROOT, c_rows, write_or_check
from n1data import DEV_DATA, code_histograms, even_half

TARGET = REPO_ROOT / "csrc" / "n1" / "n1_dnl_table.c"

RADIUS = 16          # Savitzky-Golay half window, codes
PSEUDO_COUNTS = 20   # shrinkage towards the nominal width
MIN_SMOOTHED = 50    # below this smoothed count a code keeps the nominal width
Q8_MIN, Q8_MAX = 16, 1024

HEADER = """\
/*
 * n1_dnl_table.c -- prior bin widths of a 10-bit N1 ADC (its differential
 * non-linearity), for codes 0..1023 in Q8 (256 = nominal step).
 *
 * Contract: n1_dnl10[c] is the typical width of code c relative to its
 * neighbours. It is only a prior: the model (n1_model.c) starts from it and moves
 * each width towards what the stream's own histogram says, so a recording from a
 * different ADC still adapts. Used only for streams with the 10-bit stretch mapping.
 *
 * Fitted by tools/fit_dnl_table.py (its docstring has the details; the test
 * tests/test_tools_tables.py refits it and compares) on the EVEN-indexed half of
 * the dev split, files sorted by name: width = sum(count) / sum(quadratic
 * Savitzky-Golay smoothed count, radius 16, per file, clipped at 0), shrunk with
 * 20 pseudo-counts, nominal where the smoothed count is below 50, normalised to
 * mean 1, clamped to [16, 1024]. Figures in docs/n1-codec.md are reported on the
 * odd half. Changing a value changes the n1 stream format.
 */
#include "n1_model.h"
"""


def savgol_weights(radius):
    """Quadratic Savitzky-Golay smoothing weights for offsets -radius..radius."""
    r = radius
    j = np.arange(-r, r + 1, dtype=np.float64)
    return (3 * (3 * r * r + 3 * r - 1) - 15 * j * j) / ((2 * r + 1) * (4 * r * r + 4 * r - 3))


def fit_widths(histograms):
    """The Q8 widths (int array of 1024) from per-file code histograms (files x 1024)."""
    weights = savgol_weights(RADIUS)  # symmetric, so convolution = correlation
    smoothed = sum(np.maximum(np.convolve(h.astype(np.float64), weights, "same"), 0.0)
                   for h in histograms)
    counts = histograms.sum(axis=0).astype(np.float64)
    width = (counts + PSEUDO_COUNTS) / (smoothed + PSEUDO_COUNTS)
    width[smoothed < MIN_SMOOTHED] = 1.0
    q8 = np.round(256.0 * width / width.mean())
    return np.clip(q8, Q8_MIN, Q8_MAX).astype(np.int64)


def fit_from_data(folder=DEV_DATA):
    histograms, off_grid = code_histograms(even_half(folder))
    if off_grid:
        print(f"note: {off_grid} samples off the 10-bit grid were not counted", file=sys.stderr)
    return fit_widths(histograms)


def render(table):
    return (HEADER + "\nconst uint16_t n1_dnl10[1024] = {\n" + c_rows(table, 16) + "};\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=TARGET)
    parser.add_argument("--data", type=Path, default=DEV_DATA, help="folder of the dev .wav files")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="compare with the output file instead of writing it")
    mode.add_argument("--print", action="store_true", help="print the table, write nothing")
    args = parser.parse_args(argv)
    text = render(fit_from_data(args.data))
    if args.print:
        print(text, end="")
        return 0
    return write_or_check(text, args.output, args.check, "the fit")


if __name__ == "__main__":
    sys.exit(main())
