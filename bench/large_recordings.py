"""Large recordings: n1codec's chunked files side by side with mtscomp (a benchmark, not a test).

Measures, on the same files, in one run:

- compression ratio (original bytes / all compressed bytes: mtscomp's .cbin + .ch);
- compression and decompression speed with every core (n1codec: threads; mtscomp:
  its thread pool, its own default; its after-compression check is switched off so
  both sides only compress);
- random access: reading a 5 s window of every channel (and of 32 channels) at
  seeded random positions of a 384-channel file, median milliseconds;
- peak memory (maximum RSS from /usr/bin/time -v) of each compression and
  decompression, each run in a process of its own, at two file sizes for n1codec
  to show that memory does not grow with the file.

Recordings (written to --workdir, deleted at the end unless --keep):

- ``real384``: 384 channels (called 30 kHz) played from the real recordings in
  ../shared/ephys-data/dev: channel k plays the k-th (mod 172) channel among
  those at least 16,384 samples long (six recordings: Intan, Open Ephys, Biocam,
  White Matter, phy), back and forth in time (mirrored, so without jumps) from a
  phase of its own. Each channel's period (>= 2 x 16,384 samples, 64 KB) is
  longer than zlib's 32 KB window and n1 codes each chunk afresh, so neither
  codec sees the repetition. (The Neuropixels files in dev are stubs of 1000-5000
  frames: too short for this; they are in the per-recording table.)
- ``synth384``: synthetic Neuropixels-like data generated block by block (a shared
  reference, LFP, thermal noise and spikes, int16), never repeated.
- ``dev/<name>``: each real dev recording as is (raw .bin), ratio only.

Usage::

    nice python bench/large_recordings.py --size-gb 1 --memory-sizes-gb 0.25,2 \\
        --out docs/bench/large-recordings.md
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import numpy as np

REPO = Path(__file__).resolve().parents[1]
EPHYS_DEV = REPO.parent / "shared" / "ephys-data" / "dev"
RATE = 30000
os.environ.setdefault("TQDM_DISABLE", "1")  # mtscomp's progress bars
BLOCK_FRAMES = 60000


# -- recordings ---------------------------------------------------------------------

def _dev_recordings() -> Dict[str, np.ndarray]:
    return {p.stem: np.load(p, mmap_mode="r") for p in sorted(EPHYS_DEV.glob("*.npy"))}


#: Real series shorter than this would repeat inside zlib's 32 KB window once mirrored.
MIN_SERIES = 16384


def real_series() -> List[np.ndarray]:
    """Every channel of every dev recording long enough to be mirrored without zlib seeing repeats."""
    return [np.ascontiguousarray(x[:, c]) for x in _dev_recordings().values() if len(x) >= MIN_SERIES
            for c in range(x.shape[1])]


def write_real(path: Path, size_bytes: int, channels: int = 384) -> None:
    """Channel k plays real series k mod n, mirrored back and forth (no jumps), from its own phase."""
    series = real_series()
    frames_total = size_bytes // (2 * channels)
    with open(path, "wb") as f:
        for start in range(0, frames_total, RATE):
            n = min(RATE, frames_total - start)
            block = np.empty((n, channels), dtype="<i2")
            for k in range(channels):
                x = series[k % len(series)]
                length = len(x)
                m = (start + np.arange(n) + 7919 * k) % (2 * length)
                block[:, k] = x[np.where(m < length, m, 2 * length - 1 - m)]
            f.write(block.tobytes())


def write_synthetic(path: Path, size_bytes: int, channels: int = 384, seed: int = 0) -> None:
    """Neuropixels-like int16 data, one second at a time (deterministic for a seed)."""
    frames_total = size_bytes // (2 * channels)
    gains = np.random.default_rng(seed).uniform(0.6, 1.4, channels)
    phases = np.random.default_rng(seed + 1).uniform(0, 2 * np.pi, (3, channels))
    with open(path, "wb") as f:
        for start in range(0, frames_total, RATE):
            n = min(RATE, frames_total - start)
            rng = np.random.default_rng([seed, start])
            t = (start + np.arange(n))[:, None] / RATE
            lfp = sum(a * np.sin(2 * np.pi * fr * t + phases[i]) for i, (a, fr) in
                      enumerate(((40, 3.0), (15, 11.0), (6, 37.0))))
            reference = np.cumsum(rng.normal(0, 1.5, n))[:, None] * 0.05
            noise = rng.normal(0, 7, (n, channels))
            spikes = np.zeros((n, channels))
            times = rng.integers(0, max(n - 40, 1), size=n * channels // 3000)
            chans = rng.integers(0, channels, size=len(times))
            shape = -120 * np.exp(-((np.arange(40) - 10) / 4.0) ** 2) + 40 * np.exp(-((np.arange(40) - 22) / 8.0) ** 2)
            for t0, c in zip(times, chans):
                spikes[t0:t0 + 40, c] += shape
            x = gains * (lfp + noise + spikes) + reference
            f.write(np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes())


# -- running one measured process ---------------------------------------------------------

def run_measured(code: str) -> dict:
    """Run Python `code` (which prints one JSON line) under /usr/bin/time -v; add its peak RSS."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-c", code]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"measured process failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for line in proc.stderr.splitlines():
        if "Maximum resident set size" in line:
            result["peak_rss_mb"] = int(line.split(":")[1]) / 1024
    return result


N1_COMPRESS = """
import json, time, n1codec
t = time.perf_counter()
n1codec.compress_recording({src!r}, {dst!r}, codec={codec!r}, channels={channels}, sample_rate={rate},
                           format="raw", force=True)
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""
N1_DECOMPRESS = """
import json, time, n1codec
t = time.perf_counter()
n1codec.decompress_file({src!r}, {dst!r}, force=True)
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""
MTS_COMPRESS = """
import json, time, logging, numpy as np, mtscomp
logging.getLogger("mtscomp").setLevel(logging.WARNING)
t = time.perf_counter()
mtscomp.compress({src!r}, {dst!r}, {dst!r}[:-5] + ".ch", sample_rate={rate}, n_channels={channels},
                 dtype=np.int16, check_after_compress=False)
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""
MTS_DECOMPRESS = """
import json, time, logging, mtscomp
logging.getLogger("mtscomp").setLevel(logging.WARNING)
t = time.perf_counter()
mtscomp.decompress({src!r}, {src!r}[:-5] + ".ch", out={dst!r}, write_output=True, overwrite=True,
                   check_after_decompress=False)
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""


def same_file_bytes(a: Path, b: Path, block: int = 64 << 20) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(block), fb.read(block)
            if x != y:
                return False
            if not x:
                return True


def measure_file(src: Path, channels: int, codecs: List[str], work: Path, windows: int) -> List[dict]:
    rows = []
    size = src.stat().st_size
    mb = size / 1e6
    back = work / "back.bin"
    for codec in codecs:
        dst = work / "rec.n1"
        enc = run_measured(N1_COMPRESS.format(src=str(src), dst=str(dst), codec=codec, channels=channels, rate=RATE))
        dec = run_measured(N1_DECOMPRESS.format(src=str(dst), dst=str(back)))
        exact = same_file_bytes(src, back)
        access = random_access_n1(dst, windows)
        rows.append({"tool": f"n1codec {codec}", "ratio": size / dst.stat().st_size,
                     "compress_MBps": mb / enc["seconds"], "decompress_MBps": mb / dec["seconds"],
                     "compress_rss_mb": enc["peak_rss_mb"], "decompress_rss_mb": dec["peak_rss_mb"],
                     "exact": exact, **access})
        dst.unlink()
        back.unlink()
    cbin = work / "rec.cbin"
    enc = run_measured(MTS_COMPRESS.format(src=str(src), dst=str(cbin), channels=channels, rate=RATE))
    dec = run_measured(MTS_DECOMPRESS.format(src=str(cbin), dst=str(back)))
    exact = same_file_bytes(src, back)
    compressed = cbin.stat().st_size + cbin.with_suffix(".ch").stat().st_size
    access = random_access_mtscomp(cbin, windows)
    rows.append({"tool": "mtscomp (zlib, time diff, 1 s chunks)", "ratio": size / compressed,
                 "compress_MBps": mb / enc["seconds"], "decompress_MBps": mb / dec["seconds"],
                 "compress_rss_mb": enc["peak_rss_mb"], "decompress_rss_mb": dec["peak_rss_mb"],
                 "exact": exact, **access})
    for path in (cbin, cbin.with_suffix(".ch"), back):
        path.unlink()
    return rows


def _window_starts(frames: int, windows: int) -> List[int]:
    rng = np.random.default_rng(5)
    return [int(x) for x in rng.integers(0, frames - 11 * RATE // 2, size=windows)]


def random_access_n1(path: Path, windows: int) -> dict:
    import n1codec
    times_all, times_32 = [], []
    with n1codec.open(path, cache_chunks=0) as rec:
        starts = _window_starts(rec.frames, windows)
        for i, t0 in enumerate(starts):
            t = time.perf_counter()
            x = rec[t0:t0 + 5 * RATE]
            times_all.append(time.perf_counter() - t)
            assert x.shape == (5 * RATE, rec.channels)
            t = time.perf_counter()
            rec[t0 + RATE // 2:t0 + RATE // 2 + 5 * RATE, 100:132]
            times_32.append(time.perf_counter() - t)
    return {"window_all_ms": 1000 * float(np.median(times_all)), "window_32ch_ms": 1000 * float(np.median(times_32))}


def random_access_mtscomp(cbin: Path, windows: int) -> dict:
    import logging

    import mtscomp
    logging.getLogger("mtscomp").setLevel(logging.WARNING)
    reader = mtscomp.Reader()
    reader.open(cbin, cbin.with_suffix(".ch"))
    times_all, times_32 = [], []
    try:
        for t0 in _window_starts(reader.shape[0], windows):
            t = time.perf_counter()
            x = reader[t0:t0 + 5 * RATE]
            times_all.append(time.perf_counter() - t)
            assert x.shape[0] == 5 * RATE
            t = time.perf_counter()
            reader[t0 + RATE // 2:t0 + RATE // 2 + 5 * RATE, 100:132]
            times_32.append(time.perf_counter() - t)
    finally:
        reader.close()
    return {"window_all_ms": 1000 * float(np.median(times_all)), "window_32ch_ms": 1000 * float(np.median(times_32))}


def memory_scaling(sizes_gb: List[float], codec: str, work: Path) -> List[dict]:
    rows = []
    for gb in sizes_gb:
        src = work / f"mem_{gb}.bin"
        write_real(src, int(gb * 1e9))
        dst, back = work / "mem.n1", work / "mem_back.bin"
        enc = run_measured(N1_COMPRESS.format(src=str(src), dst=str(dst), codec=codec,
                                              channels=384, rate=RATE))
        dec = run_measured(N1_DECOMPRESS.format(src=str(dst), dst=str(back)))
        rows.append({"size_gb": src.stat().st_size / 1e9, "codec": codec,
                     "compress_rss_mb": enc["peak_rss_mb"], "decompress_rss_mb": dec["peak_rss_mb"],
                     "compress_MBps": src.stat().st_size / 1e6 / enc["seconds"],
                     "exact": same_file_bytes(src, back)})
        for path in (src, dst, back):
            path.unlink()
    return rows


def dev_ratios(codecs: List[str], work: Path) -> List[dict]:
    import logging

    import mtscomp

    import n1codec
    logging.getLogger("mtscomp").setLevel(logging.WARNING)
    manifest = json.loads((EPHYS_DEV / "manifest.json").read_text())
    rows = []
    for name, x in _dev_recordings().items():
        rate = float(manifest[name]["fs"])
        src = work / f"{name}.bin"
        np.ascontiguousarray(x, dtype="<i2").tofile(src)
        row = {"recording": name, "shape": f"{x.shape[0]} x {x.shape[1]}"}
        for codec in codecs:
            dst = work / "dev.n1"
            n1codec.compress_recording(src, dst, codec=codec, channels=x.shape[1], sample_rate=rate, force=True)
            row[f"n1codec {codec}"] = src.stat().st_size / dst.stat().st_size
            dst.unlink()
        cbin = work / "dev.cbin"
        mtscomp.compress(src, cbin, cbin.with_suffix(".ch"), sample_rate=rate, n_channels=x.shape[1],
                         dtype=np.int16, check_after_compress=False)
        row["mtscomp"] = src.stat().st_size / (cbin.stat().st_size + cbin.with_suffix(".ch").stat().st_size)
        for path in (src, cbin, cbin.with_suffix(".ch")):
            path.unlink()
        rows.append(row)
    return rows


def layer_overhead(codec: str, work: Path, repeats: int = 9) -> dict:
    """Decoding one 384-channel second through n1codec.open against the bare pipeline (one thread each)."""
    import n1codec
    src = work / "overhead.bin"
    write_real(src, 384 * 2 * RATE)
    samples = np.fromfile(src, dtype="<i2").reshape(RATE, 384)
    pipeline = n1codec.parse_spec(codec)
    payload = pipeline.encode(samples.view(np.uint16), threads=1)
    blob = n1codec.encode_chunked(samples, codec=codec, sample_rate=RATE)
    bare, layered = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        pipeline.decode(payload, RATE, 384, threads=1)
        bare.append(time.perf_counter() - t)
        with n1codec.Recording(blob=blob, threads=1, cache_chunks=0) as rec:
            t = time.perf_counter()
            rec[:]
            layered.append(time.perf_counter() - t)
    src.unlink()
    return {"codec": codec, "bare_pipeline_s": float(np.median(bare)), "through_open_s": float(np.median(layered))}


# -- report ---------------------------------------------------------------------------

def _table(rows: List[dict], columns: List[str]) -> str:
    def fmt(v):
        return f"{v:.3f}" if isinstance(v, float) and abs(v) < 100 else (f"{v:.0f}" if isinstance(v, float) else str(v))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-gb", type=float, default=1.0, help="size of each large recording")
    parser.add_argument("--memory-sizes-gb", default="0.25,2", help="file sizes of the memory-scaling runs")
    parser.add_argument("--codecs", default="n1,n1:fast", help="n1codec codec specs to measure")
    parser.add_argument("--windows", type=int, default=9, help="random 5 s windows per file")
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a new one in /tmp)")
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown report here")
    parser.add_argument("--json", type=Path, default=None, help="write the raw results here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--skip", default="",
                        help="comma-separated parts to skip: dev,real,synth,overhead,memory")
    args = parser.parse_args(argv)
    codecs = [c for c in args.codecs.split(",") if c]
    skip = set(args.skip.split(","))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="n1bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {"cpus": len(os.sched_getaffinity(0)), "size_gb": args.size_gb, "codecs": codecs,
               "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    try:
        if "dev" not in skip:
            results["dev"] = dev_ratios(codecs, work)
            print(_table(results["dev"], ["recording", "shape", *[f"n1codec {c}" for c in codecs], "mtscomp"]),
                  flush=True)
        if "real" not in skip:
            src = work / "real384.bin"
            write_real(src, int(args.size_gb * 1e9))
            results["real384"] = measure_file(src, 384, codecs, work, args.windows)
            src.unlink()
            print(json.dumps(results["real384"], indent=1), flush=True)
        if "synth" not in skip:
            src = work / "synth384.bin"
            write_synthetic(src, int(args.size_gb * 1e9))
            results["synth384"] = measure_file(src, 384, codecs, work, args.windows)
            src.unlink()
            print(json.dumps(results["synth384"], indent=1), flush=True)
        if "overhead" not in skip:
            results["overhead"] = [layer_overhead(c, work) for c in codecs]
            print(json.dumps(results["overhead"], indent=1), flush=True)
        if "memory" not in skip:
            sizes = [float(s) for s in args.memory_sizes_gb.split(",") if s]
            results["memory"] = memory_scaling(sizes, codecs[0], work)
            print(json.dumps(results["memory"], indent=1), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.out:
        args.out.write_text(report(results, argv if argv is not None else sys.argv[1:]))
    return 0


def report(results: dict, argv: List[str]) -> str:
    cols = ["tool", "ratio", "compress_MBps", "decompress_MBps", "window_all_ms", "window_32ch_ms",
            "compress_rss_mb", "decompress_rss_mb", "exact"]
    parts = ["# Large recordings: n1codec chunked files vs mtscomp\n",
             f"Measured {results['started']} on {results['cpus']} CPUs shared with other jobs, with\n"
             f"`python bench/large_recordings.py {' '.join(argv)}`. Speeds are MB/s of original data\n"
             "with every core; windows are the median time to read 5 s (all channels, or 32) at\n"
             "random positions; RSS is the peak of the process doing only that step.\n"]
    for key, title in (("real384", "Real data, 384 channels (dev channels played back and forth)"),
                       ("synth384", "Synthetic Neuropixels-like data, 384 channels")):
        if key in results:
            parts.append(f"\n## {title}, {results['size_gb']:g} GB\n\n" + _table(results[key], cols) + "\n")
    if "memory" in results:
        parts.append("\n## Peak memory against file size (n1codec)\n\n" + _table(
            results["memory"], ["size_gb", "codec", "compress_rss_mb", "decompress_rss_mb", "compress_MBps",
                                "exact"]) + "\n")
    if "overhead" in results:
        parts.append("\n## Decoding one second of 384 channels: bare pipeline vs n1codec.open (one thread)\n\n"
                     + _table(results["overhead"], ["codec", "bare_pipeline_s", "through_open_s"]) + "\n")
    if "dev" in results:
        cols = ["recording", "shape", *[f"n1codec {c}" for c in results["codecs"]], "mtscomp"]
        parts.append("\n## Ratio on each real dev recording (as is, 1 s chunks)\n\n" + _table(results["dev"], cols) + "\n")
    return "".join(parts)


if __name__ == "__main__":
    sys.exit(main())
