"""Replay recordings through the real-time mode and report ratio, latency, throughput and margin.

Recordings:
  * a folder of N1 WAV files (one channel each, e.g. ../shared/n1-data/dev): stacked as
    `--channels` columns (default 1024) by cycling through the sorted files, or
    through the first `--files` of them; all cut to the shortest file;
  * a .npy file of int16 samples x channels (e.g. ../shared/ephys-data/dev/*.npy);
  * a multichannel WAV file.
For comparison the same samples (each distinct column once, weighted by how often it
appears) are coded whole with the file codec (`--compare n1` by default) in the same run.

    python -m n1codec.tools.realtime_replay ../shared/n1-data/dev --channels 1024
    n1codec realtime ../shared/ephys-data/dev/whitematter_64ch.npy --rate 30000
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np

from .. import encode
from ..errors import InvalidInputError
from ..realtime import default_frame_samples, detect_adc, replay
from ..wav import parse_wav


def stack_wav_folder(folder: Path, channels: int = 1024, files: Optional[int] = None,
                     seconds: Optional[float] = None, subset: str = "all") -> Tuple[np.ndarray, int, List[int]]:
    """(samples x channels, rate, column -> file index): mono WAV files as columns, from
    the sorted files (subset "even"/"odd": every other one, the held-out split)."""
    paths = sorted(Path(folder).glob("*.wav"))
    if subset in ("even", "odd"):
        paths = paths[subset == "odd"::2]
    if files is not None:
        paths = paths[:files]
    if not paths:
        raise InvalidInputError(f"realtime replay: no .wav files in {folder}")
    used = paths[:channels]
    waves = [parse_wav(p.read_bytes(), name=str(p)) for p in used]
    rate = waves[0].sample_rate
    n = min(w.frames for w in waves)
    if seconds is not None:
        n = min(n, int(seconds * rate))
    columns = [i % len(waves) for i in range(channels)]
    x = np.empty((n, channels), dtype=np.int16)
    for j, i in enumerate(columns):
        x[:, j] = waves[i].samples[:n, 0]
    return x, rate, columns


def load_recording(path: Path, rate: Optional[float], channels: int, files: Optional[int],
                   seconds: Optional[float], subset: str = "all"):
    """(samples, rate, distinct-column map or None)."""
    path = Path(path)
    if path.is_dir():
        return stack_wav_folder(path, channels, files, seconds, subset)
    if path.suffix == ".npy":
        x = np.load(path)
        if rate is None:
            rate = _manifest_rate(path)
        if rate is None:
            raise InvalidInputError(f"realtime replay: give --rate for {path.name}")
        x = np.ascontiguousarray(x if x.ndim == 2 else x[:, None])
    else:
        wav = parse_wav(path.read_bytes(), name=str(path))
        x, rate = wav.samples, rate or wav.sample_rate
    if x.dtype != np.int16:
        raise InvalidInputError(f"realtime replay: {path.name} holds {x.dtype}, not int16")
    if seconds is not None:
        x = x[: int(seconds * rate)]
    return np.ascontiguousarray(x), rate, None


def _manifest_rate(path: Path) -> Optional[float]:
    manifest = path.with_name("manifest.json")
    if manifest.exists():
        entry = json.loads(manifest.read_text()).get(path.stem)
        if entry and "fs" in entry:
            return float(entry["fs"])
    return None


def file_codec_bytes(x: np.ndarray, rate: float, codec: str, columns=None) -> int:
    """Bytes of coding every column of x whole (one .n1 file per column); columns
    repeated by cycling are coded once and counted as often as they appear."""
    counts = {}
    for j, i in enumerate(columns if columns is not None else range(x.shape[1])):
        counts.setdefault(i, [j, 0])[1] += 1
    total = 0
    for first, count in counts.values():
        total += count * len(encode(np.ascontiguousarray(x[:, first]), codec=codec,
                                    sample_rate=int(round(rate))))
    return total


def run(path, rate=None, channels=1024, files=None, seconds=None, frame_samples=None,
        resync_interval=100, predictor=1, adc="auto", compare="n1", subset="all", drop=0.0) -> dict:
    """Replay one recording; returns a dict of measurements."""
    x, rate, columns = load_recording(path, rate, channels, files, seconds, subset)
    f = frame_samples or default_frame_samples(rate)
    x = x[: (x.shape[0] // f) * f]
    if adc == "auto":
        adc = detect_adc(x)
    report = replay(x, rate, frame_samples=f, resync_interval=resync_interval, predictor=predictor,
                    adc=adc, drop=drop)
    out = {"recording": str(path), "samples": int(x.shape[0]), "adc": list(adc),
           "resync_interval": resync_interval, "predictor": predictor, **report.as_dict()}
    out["frame_ms"] = 1000 * report.latency_seconds
    out["work_per_frame_ms"] = 1000 * (report.encode_seconds + report.decode_seconds) / max(1, report.frames)
    if compare:
        t0 = time.perf_counter()
        whole = file_codec_bytes(x, rate, compare, columns)
        out[f"{compare}_ratio"] = report.raw_bytes / whole
        out["ratio_vs_file_codec"] = out["ratio"] / out[f"{compare}_ratio"]
        out[f"{compare}_seconds"] = time.perf_counter() - t0
    return out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("recording", nargs="+", help="folder of mono WAV files, .npy (samples x channels) or WAV")
    p.add_argument("--rate", type=float, help="sample rate (default: from the file or manifest.json)")
    p.add_argument("--channels", type=int, default=1024, help="columns stacked from a WAV folder (default 1024)")
    p.add_argument("--files", type=int, help="use only the first N files of a WAV folder")
    p.add_argument("--seconds", type=float, help="replay only the first seconds")
    p.add_argument("--frame-samples", type=int, help="samples per frame (default ~1 ms)")
    p.add_argument("--resync-interval", type=int, default=100, help="frames between resync points (default 100)")
    p.add_argument("--predictor", type=int, default=1, choices=(0, 1, 2),
                   help="1: adaptive one-pole predictor (default), 0: first difference, "
                        "2: 1 plus a tap on the last difference (smooth signals)")
    p.add_argument("--adc", default="auto", help="ADC grid: auto, n1, int16, stretch:B, shift:B")
    p.add_argument("--compare", default="n1", help="file codec to compare with ('' for none; default n1)")
    p.add_argument("--subset", default="all", choices=("all", "even", "odd"),
                   help="WAV folder: every file, or the even/odd half of the sorted names")
    p.add_argument("--drop", type=float, default=0.0, help="simulate losing each packet with this probability")
    p.add_argument("--json", action="store_true", help="print JSON lines")


def run_cli(args) -> int:
    for path in args.recording:
        result = run(path, args.rate, args.channels, args.files, args.seconds, args.frame_samples,
                     args.resync_interval, args.predictor, args.adc, args.compare, args.subset, args.drop)
        if args.json:
            print(json.dumps(result))
            continue
        line = (f"{Path(path).name}: {result['channels']} ch x {result['samples']} samples @ "
                f"{result['rate']:g} Hz, frame {result['frame_samples']} ({result['frame_ms']:.3f} ms)\n"
                f"  ratio {result['ratio']:.4f}")
        if args.compare:
            line += (f" ({args.compare} whole-file {result[f'{args.compare}_ratio']:.4f}, "
                     f"x{result['ratio_vs_file_codec']:.4f})")
        line += (f"\n  latency {result['frame_ms']:.3f} ms (one frame); work per frame "
                 f"{result['work_per_frame_ms']:.3f} ms (encode {result['encode_seconds']:.2f} s, "
                 f"decode {result['decode_seconds']:.2f} s total); margin x{result['margin']:.2f}; "
                 f"throughput {result['throughput'] / 1e6:.1f} M samples/s (encode+decode)")
        if args.drop:
            line += (f"\n  {result['packets_dropped']} packets dropped, {result['frames_lost']} frames lost "
                     f"({result['frames_lost_per_drop']:.1f} per drop, resync every {args.resync_interval})")
        print(line)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m n1codec.tools.realtime_replay", description=__doc__.split("\n")[0])
    add_arguments(p)
    return run_cli(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
