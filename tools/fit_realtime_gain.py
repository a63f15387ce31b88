#!/usr/bin/env python3
"""Fit RT_GAIN_INIT, the initial predictor gain of the real-time mode (csrc/realtime/rt_model.h).

    python tools/fit_realtime_gain.py            # print the fitted value (and the check of RT_MAG_INIT)
    python tools/fit_realtime_gain.py --check    # exit 1 if the committed value differs

The real-time predictor guesses the next first difference of ADC codes d[t+1] as
-gain * level[t] / 2^16, where level is a leaky sum of the differences in Q4:
level[t] = 16 d[t] + (7/8) level[t-1]. The prior gain is the least-squares slope of
d[t+1] on level[t]/16, pooled over the EVEN-indexed dev files (n1data.py), in Q12 and
negated: RT_GAIN_INIT = round(-4096 * sum(s d') / sum(s s)) with s the leaky sum in
codes. (The fit uses the exact 7/8 decay in floating point; the C model's integer
rounding of level does not change the rounded result.)

It also prints the median over those files of the mean |first difference| in codes,
beside RT_MAG_INIT (a round 4.5 codes, the starting mean |residual| after a reset).
"""
from __future__ import annotations

import argparse
import re
import sys
import wave

import numpy as np
from scipy.signal import lfilter

from ctables import REPO_ROOT
from n1data import DEV_DATA, NCODES, even_half, stretch_values

MODEL_H = REPO_ROOT / "csrc" / "realtime" / "rt_model.h"
DECAY = 7 / 8


def file_codes(path):
    code_of = np.full(1 << 16, -1, dtype=np.int64)
    code_of[stretch_values() + 32768] = np.arange(NCODES)
    with wave.open(str(path), "rb") as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    codes = code_of[samples.astype(np.int64) + 32768]
    return codes[codes >= 0]


def fit_from_data(folder=DEV_DATA):
    """(RT_GAIN_INIT, median mean |first difference| in codes) from the even half."""
    sxx = sxy = 0.0
    mean_abs = []
    for path in even_half(folder):
        d = np.diff(file_codes(path)).astype(np.float64)
        s = lfilter([1.0], [1.0, -DECAY], d)
        sxx += float(s[:-1] @ s[:-1])
        sxy += float(s[:-1] @ d[1:])
        mean_abs.append(float(np.mean(np.abs(d))))
    return int(round(-4096 * sxy / sxx)), float(np.median(mean_abs))


def committed_gain(path=MODEL_H):
    match = re.search(r"#define RT_GAIN_INIT (\d+)", path.read_text())
    if not match:
        raise ValueError(f"RT_GAIN_INIT not found in {path}")
    return int(match.group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed value")
    args = parser.parse_args(argv)
    gain, median_abs = fit_from_data()
    print(f"#define RT_GAIN_INIT {gain}")
    print(f"median mean |first difference|: {median_abs:.3f} codes (RT_MAG_INIT: 4.5 codes)")
    if args.check and gain != committed_gain():
        print(f"committed RT_GAIN_INIT is {committed_gain()}, the fit gives {gain}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
