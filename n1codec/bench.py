"""`n1codec bench`: compression ratio and speed of codecs, every file verified lossless.

Ratio counts whole files, as the challenge does: original WAV bytes over .n1
bytes, summed over the data set. Speed is timed in-process around the codec
calls only (no process start-up) and reported as xRT, recording duration over
processing time (higher is faster), plus samples/s.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

DEFAULT_BENCH_CODECS = ("huffman", "delta+huffman")


@dataclass
class Recording:
    name: str
    wav: bytes
    sample_rate: int
    samples: int  # per channel x channels
    frames: int


@dataclass
class CodecResult:
    spec: str
    files: int = 0
    original_bytes: int = 0
    compressed_bytes: int = 0
    duration_s: float = 0.0
    samples: int = 0
    encode_s: float = 0.0
    decode_s: float = 0.0
    per_file: List[Tuple[str, int, int, float, float]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.original_bytes / self.compressed_bytes if self.compressed_bytes else float("nan")

    @property
    def encode_xrt(self) -> float:
        return self.duration_s / self.encode_s if self.encode_s else float("inf")

    @property
    def decode_xrt(self) -> float:
        return self.duration_s / self.decode_s if self.decode_s else float("inf")


def load_recordings(data: Optional[str], limit: Optional[int] = None) -> Tuple[str, List[Recording]]:
    """Recordings from a folder of WAV files, or the embedded synthetic set when data is None."""
    from .wav import parse_wav
    recordings: List[Recording] = []
    if data is None:
        from . import synthetic
        label = "embedded synthetic N1-like set (SYNTHETIC DATA, not recordings)"
        for name, samples in synthetic.dataset(files=limit or 8):
            wav = synthetic.wav_bytes(samples)
            recordings.append(Recording(name, wav, synthetic.N1_SAMPLE_RATE, samples.size, samples.size))
        return label, recordings
    folder = Path(data)
    if not folder.is_dir():
        raise FileNotFoundError(2, "no such folder of WAV files", str(folder))
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".wav")
    if not paths:
        raise FileNotFoundError(2, "no .wav files in folder", str(folder))
    for path in paths[:limit] if limit else paths:
        wav_bytes = path.read_bytes()
        wav = parse_wav(wav_bytes, name=str(path))
        recordings.append(Recording(path.name, wav_bytes, wav.sample_rate, wav.samples.size, wav.frames))
    return f"{folder} ({len(recordings)} files)", recordings


def bench_codec(spec: str, recordings: Sequence[Recording], repeats: int = 1) -> CodecResult:
    """Encode and decode every recording `repeats` times; keep the median time of each.

    Raises N1CodecError naming the file if any decode differs from the original.
    """
    from statistics import median

    from .api import decode_to_wav_bytes, encode_wav_bytes, get_codec
    from .errors import N1CodecError
    pipeline = get_codec(spec)
    result = CodecResult(spec=pipeline.spec)
    for rec in recordings:
        enc_times, dec_times = [], []
        for _ in range(max(1, repeats)):
            t0 = time.perf_counter()
            blob = encode_wav_bytes(rec.wav, codec=pipeline, name=rec.name)
            t1 = time.perf_counter()
            back = decode_to_wav_bytes(blob)
            t2 = time.perf_counter()
            enc_times.append(t1 - t0)
            dec_times.append(t2 - t1)
        if back != rec.wav:
            raise N1CodecError(f"LOSSLESS CHECK FAILED: {spec} did not reproduce {rec.name} byte for byte")
        enc, dec = median(enc_times), median(dec_times)
        result.files += 1
        result.original_bytes += len(rec.wav)
        result.compressed_bytes += len(blob)
        result.duration_s += rec.frames / rec.sample_rate
        result.samples += rec.samples
        result.encode_s += enc
        result.decode_s += dec
        result.per_file.append((rec.name, len(rec.wav), len(blob), enc, dec))
    return result


def markdown_table(results: Iterable[CodecResult]) -> str:
    lines = ["| codec | ratio | encode xRT | decode xRT | encode Msamples/s | decode Msamples/s | lossless |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        enc_ms = r.samples / r.encode_s / 1e6 if r.encode_s else float("inf")
        dec_ms = r.samples / r.decode_s / 1e6 if r.decode_s else float("inf")
        lines.append(f"| {r.spec} | {r.ratio:.3f} | {r.encode_xrt:,.0f} | {r.decode_xrt:,.0f} | "
                     f"{enc_ms:.1f} | {dec_ms:.1f} | yes ({r.files} files) |")
    return "\n".join(lines)


def add_bench_arguments(parser) -> None:
    parser.add_argument("data", nargs="?", default=None,
                        help="folder of WAV files (default: the embedded synthetic set)")
    parser.add_argument("--codecs", default=",".join(DEFAULT_BENCH_CODECS),
                        help="comma-separated codec specs or aliases (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="use at most N files")
    parser.add_argument("--repeats", type=int, default=1, help="time each file N times, keep the median")


def run_bench_cli(args) -> int:
    label, recordings = load_recordings(args.data, args.limit)
    print(f"data: {label}")
    specs = [s.strip() for s in args.codecs.split(",") if s.strip()]
    results = []
    for spec in specs:
        results.append(bench_codec(spec, recordings, repeats=args.repeats))
        print(f"  {results[-1].spec}: ratio {results[-1].ratio:.3f}")
    print()
    print(markdown_table(results))
    return 0
