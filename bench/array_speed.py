"""n1 on 2-D arrays, one thread: bytes and encode / decode speed per recording.

Every recording of ../shared/ephys-data/dev as one (samples x channels) array, then one
1 s chunk of 384 channels (30,000 x 384) of bench/large_recordings.py's real-derived and
synthetic data, through ``n1codec.encode`` / ``decode`` with one thread; CPU time of the
process, median of --repeats; every decode compared. Used to compare encoder settings in
one session: rebuild with, for example,
``pip install -e . -Ccmake.define.CMAKE_C_FLAGS=-DN1_TRIAL_SAMPLES=70000`` and run again.

    python bench/array_speed.py [--codecs n1,n1:max] [--repeats 3] [--no-chunks]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec.pipeline import Pipeline, parse_spec

sys.path.insert(0, str(Path(__file__).resolve().parent))
import large_recordings  # noqa: E402  (the chunk generators)

EPHYS = large_recordings.EPHYS_DEV


def cpu_seconds(fn, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), result


def measure(x: np.ndarray, codec: str, repeats: int) -> tuple:
    spec = parse_spec(codec)
    t_enc, blob = cpu_seconds(lambda: n1codec.encode(x, codec=spec), repeats)
    t_dec, back = cpu_seconds(lambda: n1codec.decode(blob), repeats)
    if not np.array_equal(back.reshape(x.shape), x):
        raise SystemExit(f"{codec}: decode differs")
    return len(blob), x.size / 1e6 / t_enc, x.size / 1e6 / t_dec


def recordings(with_chunks: bool):
    for path in sorted(EPHYS.glob("*.npy")):
        yield path.stem, np.ascontiguousarray(np.load(path))
    if not with_chunks:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, writer in (("real384 1 s", large_recordings.write_real),
                             ("synth384 1 s", large_recordings.write_synthetic)):
            if name.startswith("real") and not EPHYS.is_dir():
                continue
            path = Path(tmp) / "chunk.bin"
            writer(path, 384 * 2 * large_recordings.RATE)
            yield name, np.fromfile(path, dtype="<i2").reshape(-1, 384)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecs", default="n1", help="comma-separated codec specs")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-chunks", action="store_true", help="only the dev recordings")
    args = ap.parse_args()
    Pipeline.threads = 1
    codecs = args.codecs.split(",")
    columns = " | ".join(f"{c} bytes | {c} enc / dec MS/s" for c in codecs)
    print(f"| recording | frames x channels | {columns} |")
    print("|---|---|" + "---|---|" * len(codecs))
    totals = {c: [0, 0.0, 0.0] for c in codecs}
    for name, x in recordings(not args.no_chunks):
        cells = []
        for c in codecs:
            size, enc, dec = measure(x, c, args.repeats)
            if not name.endswith(" 1 s"):
                totals[c][0] += size
                totals[c][1] += x.size / enc
                totals[c][2] += x.size / dec
            cells.append(f"{size} | {enc:.2f} / {dec:.2f}")
        print(f"| {name} | {x.shape[0]} x {x.shape[1]} | " + " | ".join(cells) + " |", flush=True)
    samples = sum(np.load(p, mmap_mode="r").size for p in EPHYS.glob("*.npy"))
    if samples:
        cells = [f"{t[0]} | {samples / t[1]:.2f} / {samples / t[2]:.2f}" for t in totals.values()]
        print("| all dev recordings | | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
