"""How much could any linear joint predictor save? An optimistic bound per recording (issue 11).

For each channel (in coding order) two least-squares predictors are fitted to the
whole channel and judged on the same samples (in-sample, so both are optimistic):

- alone: the channel's own previous ``--order`` samples;
- joint: the same plus the samples of up to ``--previous`` earlier channels at
  offsets -2..+2 (a reference channel is decoded whole before the channels that
  use it, so its later samples are available too).

Under a Gaussian residual the saving is ``0.5 * log2(var_alone / var_joint)`` bits a
sample; the table gives its mean over channels and, against the bits a sample
``n1`` spends on the recording alone (``n1codec.encode`` on the 2-D array), the
share of n1's size that joint prediction of this kind could remove at best. A
recording whose bound is far below 5% cannot reach issue 11's 5% by joint
prediction, whatever the choice of references or weights.

    python bench/joint_bound.py [--frames 40000] [--order 16] [--previous 31] [names...]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import n1codec

ROOT = Path(__file__).resolve().parents[1]
EPHYS = ROOT.parent / "shared" / "ephys-data" / "dev"
OFFSETS = (-2, -1, 0, 1, 2)


def residual_variance(target: np.ndarray, columns: list) -> float:
    design = np.stack(columns, axis=1)
    weights, *_ = np.linalg.lstsq(design, target, rcond=None)
    return float(np.var(target - design @ weights))


def channel_saving(x: np.ndarray, channel: int, order: int, previous: int) -> float:
    """Bits a sample the joint fit saves over the alone fit for one channel."""
    pad = max(order, max(OFFSETS))
    rows = slice(pad, x.shape[0] - pad)
    own = x[:, channel]
    target = own[rows]
    columns = [np.ones_like(target)] + [own[pad - k:x.shape[0] - pad - k] for k in range(1, order + 1)]
    alone = residual_variance(target, columns)
    for ref in range(max(0, channel - previous), channel):
        other = x[:, ref]
        columns += [other[pad + k:x.shape[0] - pad + k] for k in OFFSETS]
    joint = residual_variance(target, columns) if channel else alone
    return 0.5 * float(np.log2(max(alone, 1e-12) / max(joint, 1e-12)))


def bound_row(name: str, x: np.ndarray, frames: int, order: int, previous: int) -> str:
    coded_bits = 8 * len(n1codec.encode(np.ascontiguousarray(x), codec="n1")) / x.size
    part = np.asarray(x[:frames], dtype=np.float64)
    saved = float(np.mean([channel_saving(part, c, order, previous) for c in range(part.shape[1])]))
    return (f"| {name} | {x.shape[0]} x {x.shape[1]} | {coded_bits:.3f} | {saved:.3f} | "
            f"{100.0 * saved / coded_bits:.2f}% |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=40000, help="frames of each recording fitted")
    ap.add_argument("--order", type=int, default=16, help="own previous samples in both fits")
    ap.add_argument("--previous", type=int, default=31, help="earlier channels the joint fit may use")
    ap.add_argument("names", nargs="*", help="recordings (stems) to run; default all")
    args = ap.parse_args()
    if not EPHYS.is_dir():
        raise SystemExit(f"no recordings: {EPHYS} is missing")
    print("| recording | frames x channels | n1 bits/sample | joint bound: bits/sample saved | share of n1's size |")
    print("|---|---|---|---|---|")
    for path in sorted(EPHYS.glob("*.npy")):
        if args.names and path.stem not in args.names:
            continue
        x = np.load(path, mmap_mode="r")
        print(bound_row(path.stem, x, args.frames, args.order, args.previous), flush=True)


if __name__ == "__main__":
    main()
