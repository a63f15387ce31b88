"""Shared by the fitting scripts in tools/: the dev split's N1 recordings as 10-bit ADC codes.

The N1 files hold 10-bit ADC codes c stretched onto int16 as
x = trunc((c * 65535 - 32768 * 1023) / 1023) (the codec's "stretch" grid, n1_adc.h).
The fitted tables use only the EVEN-indexed files of the name-sorted list (0, 2, 4, ...);
figures in docs/n1-codec.md are reported on the odd half.
"""
from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from ctables import REPO_ROOT

NCODES = 1024
DEV_DATA = Path(os.environ.get("N1CODEC_DEV_DATA", REPO_ROOT.parent / "shared" / "n1-data" / "dev"))


def stretch_values():
    """Sample value of each 10-bit code, with C's truncating division."""
    num = np.arange(NCODES, dtype=np.int64) * 65535 - 32768 * (NCODES - 1)
    return np.sign(num) * (np.abs(num) // (NCODES - 1))


def even_half(folder=DEV_DATA):
    """The fitting half: every other file of the name-sorted list, starting with the first."""
    files = sorted(Path(folder).glob("*.wav"))
    if not files:
        raise FileNotFoundError(f"no .wav recordings in {folder} (set N1CODEC_DEV_DATA)")
    return files[0::2]


def code_histograms(files):
    """One row per file: how often each of the 1024 codes occurs. Samples off the grid
    (none in the dev split) are not counted; their number is returned beside."""
    code_of = np.full(1 << 16, -1, dtype=np.int64)
    code_of[stretch_values() + 32768] = np.arange(NCODES)
    rows, off_grid = [], 0
    for path in files:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise ValueError(f"{path}: expected 16-bit samples")
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        codes = code_of[samples.astype(np.int64) + 32768]
        off_grid += int(np.count_nonzero(codes < 0))
        rows.append(np.bincount(codes[codes >= 0], minlength=NCODES))
    return np.array(rows, dtype=np.int64), off_grid
