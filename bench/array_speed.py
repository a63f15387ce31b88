"""n1 on 2-D arrays, one thread: bytes and encode / decode speed per recording.

Every recording of ../shared/ephys-data/dev as one (samples x channels) array, then one
1 s chunk of 384 channels (30,000 x 384) of bench/large_recordings.py's real-derived and
synthetic data, through ``n1codec.encode`` / ``decode`` with one thread; CPU time of the
process, median of --repeats; every decode compared. After each chunk, the next second
coded as a chunked file's follower chunks are (taking the first second's model choices:
one pass a channel, no trials), through the pipeline. Used to compare encoder settings in
one session: rebuild with, for example (the whole-block trials of before 2026-12-02),
``pip install -e . "-Ccmake.define.CMAKE_C_FLAGS=-DN1_TRIAL_SAMPLES=70000 -DN1_PROBE_KEEP=100"``
and run again.

    python bench/array_speed.py [--codecs n1,n1:max] [--repeats 3] [--no-chunks] [--halves]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import n1codec
from n1codec.pipeline import Pipeline, parse_spec

sys.path.insert(0, str(Path(__file__).resolve().parent))
import large_recordings  # noqa: E402  (the chunk generators)
from joint_gain import timed  # noqa: E402

EPHYS = large_recordings.EPHYS_DEV


def measure(x: np.ndarray, codec: str, repeats: int) -> tuple:
    """Bytes, encode seconds and decode seconds (CPU time, medians) of x through codec."""
    spec = parse_spec(codec)
    t_enc, blob = timed(lambda: n1codec.encode(x, codec=spec), repeats, time.process_time)
    t_dec, back = timed(lambda: n1codec.decode(blob), repeats, time.process_time)
    if not np.array_equal(back.reshape(x.shape), x):
        raise SystemExit(f"{codec}: decode differs")
    return len(blob), t_enc, t_dec


def measure_following(x: np.ndarray, lead: np.ndarray, codec: str, repeats: int) -> tuple:
    """measure() of x coded as a chunked file's follower chunks are: taking the model
    choices of `lead` (the chunk before; through the pipeline, no container)."""
    pipeline = parse_spec(codec)
    patterns, frames, channels = x.view(np.uint16), x.shape[0], x.shape[1]
    choices = pipeline.model_choices(pipeline.encode(lead.view(np.uint16), threads=1), channels)
    t_enc, blob = timed(lambda: pipeline.encode(patterns, threads=1, follow=choices), repeats,
                        time.process_time)
    t_dec, back = timed(lambda: pipeline.decode(blob, frames, channels, threads=1), repeats,
                        time.process_time)
    if not np.array_equal(back, patterns):
        raise SystemExit(f"{codec}: decode differs (following)")
    return len(blob), t_enc, t_dec


def rates(samples: int, t_enc: float, t_dec: float) -> str:
    return f"{samples / 1e6 / t_enc:.2f} / {samples / 1e6 / t_dec:.2f}"


def recordings(with_chunks: bool, halves: bool = False):
    """(name, array, lead): lead is the chunk before (for the following rows) or None."""
    for path in sorted(EPHYS.glob("*.npy")):
        x = np.ascontiguousarray(np.load(path))
        yield path.stem, x, None
        if halves:
            half = len(x) // 2
            yield (f"{path.stem}, 2nd half following the 1st", np.ascontiguousarray(x[half:]),
                   np.ascontiguousarray(x[:half]))
    if not with_chunks:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, writer in (("real384 1 s", large_recordings.write_real),
                             ("synth384 1 s", large_recordings.write_synthetic)):
            if name.startswith("real") and not EPHYS.is_dir():
                continue
            path = Path(tmp) / "chunk.bin"
            writer(path, 384 * 2 * 2 * large_recordings.RATE)
            seconds = np.fromfile(path, dtype="<i2").reshape(2, -1, 384)
            yield name, np.ascontiguousarray(seconds[0]), None
            yield f"the next {name}, following it", np.ascontiguousarray(seconds[1]), seconds[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecs", default="n1", help="comma-separated codec specs")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-chunks", action="store_true", help="only the dev recordings")
    ap.add_argument("--halves", action="store_true",
                    help="also each dev recording's second half following its first half's "
                         "model choices (a chunked file's chunks after their lead)")
    args = ap.parse_args()
    Pipeline.threads = 1
    codecs = args.codecs.split(",")
    columns = " | ".join(f"{c} bytes | {c} enc / dec MS/s" for c in codecs)
    print(f"| recording | frames x channels | {columns} |")
    print("|---|---|" + "---|---|" * len(codecs))
    totals = {c: [0, 0.0, 0.0] for c in codecs}  # dev recordings: bytes, encode s, decode s
    dev_samples = 0
    for name, x, lead in recordings(not args.no_chunks, args.halves):
        dev = " 1 s" not in name and lead is None
        dev_samples += x.size if dev else 0
        cells = []
        for c in codecs:
            size, t_enc, t_dec = (measure(x, c, args.repeats) if lead is None
                                  else measure_following(x, lead, c, args.repeats))
            if dev:
                totals[c] = [totals[c][0] + size, totals[c][1] + t_enc, totals[c][2] + t_dec]
            cells.append(f"{size} | {rates(x.size, t_enc, t_dec)}")
        print(f"| {name} | {x.shape[0]} x {x.shape[1]} | " + " | ".join(cells) + " |", flush=True)
    if dev_samples:
        cells = [f"{size} | {rates(dev_samples, t_enc, t_dec)}" for size, t_enc, t_dec in totals.values()]
        print("| all dev recordings | | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
