"""`n1codec bench`: compression ratio and speed of codecs, every file verified lossless.

What is measured, and how:

* Ratio counts whole files, as the challenge does: original WAV bytes over
  whole .n1 file bytes (header, codec config and tables included), summed over
  the data set. An array recording's (``.npy`` or raw int16) original bytes are
  its raw int16 bytes (samples x channels x 2).
* Time is measured in-process with ``time.perf_counter`` around the two calls a
  user makes, ``encode_wav_bytes`` (WAV bytes in, .n1 bytes out) and
  ``decode_to_wav_bytes`` (back); no process start-up, no file I/O. Each file
  is timed ``--repeats`` times and the median kept; a codec's time is the sum
  of its per-file medians, so it is single-core time even when ``--workers``
  spreads files over several processes. Each worker runs every codec once on a
  small snippet before timing it (imports, table set-up).
* Speed is xRT (recording duration / processing time: times faster than real
  time, higher is faster), MB/s (10^6 bytes of WAV per second) and samples/s.
  One N1 implant streams 1024 channels x 19,531 Hz: a single-channel xRT of
  1024 keeps up with the whole implant on one core.
* Array recordings are coded as 2-D arrays with ``n1codec.encode`` and
  ``n1codec.decode`` (channels one after another on one thread, so the time
  is single-core; threads would give the same bytes).
* Every file is decoded and compared with the original byte for byte (arrays:
  element for element). A
  mismatch, or an exception, marks the codec FAILED, is printed at once naming
  the codec and the file, and makes the command exit 1 (after the outputs are
  written, so the rest of the grid is not lost).

Outputs (in ``--out``): ``results.csv`` (one row per codec, units in the
column names, then the study's own columns), ``per_file.csv``, ``results.md``
(the Markdown table), ``results.json`` (rows plus how and where they were
measured) and ``ratio_vs_speed.png`` (needs matplotlib: ``pip install
"n1codec[bench]"``). The study's columns keep its names; note that its script
computed ``average_*_speed_xRT`` as time / duration (the inverse of xRT) while
ours hold true xRT, duration / time.

Data: a folder of WAV files, the challenge's ``data.zip`` read in place (no
unpacking), or nothing for the embedded synthetic set (said so everywhere); also
``.npy`` recordings (a folder or one file; int16, samples x channels; the sample
rate from the folder's ``manifest.json``, else ``--rate``) and raw interleaved
int16 binaries (``--channels N --rate HZ``).

References (``--references``, or the codec group ``references``): the field's
usual lossless choices measured in the same run, decoded and checked like the
codecs, labelled as references (:mod:`n1codec.tools.references`).

Ctrl-C (or SIGTERM) stops the run; codecs that finished every file are kept
and all outputs are still written (the exit status is then 130).
"""
from __future__ import annotations

import csv
import json
import math
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from . import references
from .datasets import DataSet, FileRef, discover
from .outputs import prepare_output_folder
from .study import STUDY_FIGURES, STUDY_ORDER

#: Codecs benched when --codecs is not given (each only if registered and available).
DEFAULT_BENCH_CODECS = ("huffman", "delta+huffman", "n1")

#: Families of coders that a predictor stage is worth putting in front of, for --codecs all.
_COMBO_CODER_FAMILIES = ("entropy", "dictionary", "blosc")
_COMBO_STAGE_FAMILIES = ("predict",)


# ------------------------------------------------------------------- codec choice

@dataclass(frozen=True)
class CodecChoice:
    label: str  # what the row is called: the study row name, or the spec as given
    spec: str  # canonical pipeline spec
    family: str  # the coder's family (colours the plot)
    staged: bool  # has at least one stage before the coder
    study_row: str = ""
    reference: bool = False  # a reference row (n1codec.tools.references), not one of our codecs


def _split_list(text: str) -> List[str]:
    """Comma-separated codec specs; commas inside parentheses (``x(a=1,b=2)``) stay."""
    from ..pipeline import split_top_level
    return [item.strip() for item in split_top_level(text, ",") if item.strip()]


def _candidate_names(group: str) -> List[str]:
    from ..codecs import registry
    aliases = registry.aliases()
    if group == "study":
        return list(STUDY_ORDER)
    if group == "default":
        return list(DEFAULT_BENCH_CODECS)
    # all: the study's rows, every other alias, every coder alone (every level of
    # a coder whose main parameter has a fixed set of values), and each predictor
    # stage in front of each entropy/dictionary coder, with and without `adc`.
    names = list(STUDY_ORDER) + sorted(a for a in aliases if a not in STUDY_ORDER)
    by_implementation: Dict[tuple, type] = {}
    for cls in registry.coders():  # a synonym (same encode and decode) runs once, under the parent's name
        key = (getattr(cls, "encode", None), getattr(cls, "decode", None))
        kept = by_implementation.get(key)
        if kept is None or (issubclass(kept, cls) and kept is not cls):
            by_implementation[key] = cls
    coders = [c for c in registry.coders() if c in by_implementation.values()]
    for cls in coders:
        names.append(cls.name)
        primary = cls.params.get(cls.primary) if cls.primary else None
        if primary is not None and primary.choices:
            names.extend(f"{cls.name}:{value}" for value in primary.choices)
    stages = [s for s in registry.stages() if s.family in _COMBO_STAGE_FAMILIES and s.name != "adc"]
    combo_coders = [c for c in coders if c.family in _COMBO_CODER_FAMILIES]
    adc = registry.stage_class("adc")
    for coder in combo_coders:
        for stage in stages:
            names.append(f"{stage.name}+{coder.name}")
        if adc is not None and coder.family == "entropy":
            names.append(f"adc+{coder.name}")
            names.extend(f"adc+{stage.name}+{coder.name}" for stage in stages)
    return names


def resolve_codecs(text: str) -> Tuple[List[CodecChoice], List[Tuple[str, str]]]:
    """Codecs to run and codecs skipped (name, reason) for a --codecs value.

    Groups ``study``, ``all`` and ``default`` skip what is not registered or not
    installed; a codec named explicitly must exist (a typo is an error) but is
    skipped with its install hint when its optional dependency is missing.
    """
    from ..api import get_codec
    from ..codecs import registry
    from ..errors import CodecUnavailableError, N1CodecError, UnknownCodecError
    chosen: List[CodecChoice] = []
    skipped: List[Tuple[str, str]] = []
    seen_specs: Dict[str, str] = {}
    aliases = registry.aliases()
    for token in _split_list(text):
        group = token.lower()
        if group == "references":
            _add_references(chosen, skipped, seen_specs)
            continue
        names = _candidate_names(group) if group in ("study", "all", "default") else [token]
        explicit = group not in ("study", "all", "default")
        for name in names:
            try:
                pipeline = get_codec(name)
            except CodecUnavailableError as exc:
                skipped.append((name, str(exc)))
                continue
            except UnknownCodecError as exc:
                if explicit:
                    raise
                skipped.append((name, str(exc)))
                continue
            except N1CodecError as exc:
                if explicit:
                    raise
                skipped.append((name, str(exc)))
                continue
            if pipeline.spec in seen_specs:
                if explicit and seen_specs[pipeline.spec] != name:
                    skipped.append((name, f"same codec as {seen_specs[pipeline.spec]} ({pipeline.spec})"))
                continue
            seen_specs[pipeline.spec] = name
            study_row = name if name in STUDY_ORDER else ""
            chosen.append(CodecChoice(label=name if name in aliases or study_row else pipeline.spec, spec=pipeline.spec,
                                      family=pipeline.coder.family or "other", staged=bool(pipeline.stages),
                                      study_row=study_row))
    if not chosen and not skipped:
        raise N1CodecError("--codecs names no codec; try 'study', 'all' or e.g. 'delta+huffman'")
    return chosen, skipped


def _add_references(chosen: List[CodecChoice], skipped: List[Tuple[str, str]], seen_specs: Dict[str, str]) -> None:
    for ref in references.REFERENCES:
        if ref.spec in seen_specs:
            continue
        why = ref.missing()
        if why:
            skipped.append((f"{ref.name} (reference)", why))
            continue
        seen_specs[ref.spec] = ref.name
        chosen.append(CodecChoice(label=ref.name, spec=ref.spec, family=ref.family, staged=False, reference=True))


# ---------------------------------------------------------------- per-file work

@dataclass(frozen=True)
class Task:
    label: str
    spec: str
    file: FileRef
    repeats: int = 1


@dataclass
class FileResult:
    label: str
    spec: str
    name: str
    original_bytes: int = 0
    compressed_bytes: int = 0
    frames: int = 0
    channels: int = 0
    sample_rate: float = 0.0
    encode_s: float = 0.0
    decode_s: float = 0.0
    ok: bool = False
    error: str = ""

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    @property
    def samples(self) -> int:
        return self.frames * self.channels


_PIPELINES: Dict[str, object] = {}

#: Frames of an array recording that warm a codec up (untimed) before its first timed file.
WARM_UP_FRAMES = 4096


def _pipeline(spec: str, wav_bytes: Optional[bytes] = None, samples=None):
    """Resolve once per process and warm up (imports, tables, allocator) outside the timed region.

    The warm-up is one untimed round trip of the first file this process sees for the codec
    (of its first WARM_UP_FRAMES frames for an array). Channels are coded on one thread, so
    times stay single-core.
    """
    pipeline = _PIPELINES.get(spec)
    if pipeline is None:
        from ..api import decode, decode_to_wav_bytes, encode, encode_wav_bytes, get_codec
        pipeline = get_codec(spec)
        pipeline.threads = 1
        if wav_bytes is not None:
            decode_to_wav_bytes(encode_wav_bytes(wav_bytes, codec=pipeline, name="warm-up"))
        else:
            decode(encode(samples[:WARM_UP_FRAMES], codec=pipeline))
        _PIPELINES[spec] = pipeline
    return pipeline


_WARM_REFERENCES: set = set()


def _warm_reference(ref, samples, rate: float) -> None:
    """One untimed round trip of a snippet (imports, the tool's first start) before the first timed file."""
    if ref.spec not in _WARM_REFERENCES:
        snippet = np.ascontiguousarray(samples[:WARM_UP_FRAMES])
        ref.decode(ref.encode(snippet, rate), snippet.shape[0], snippet.shape[1], rate)
        _WARM_REFERENCES.add(ref.spec)


def _first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def bench_file(task: Task) -> FileResult:
    """Encode and decode one file with one codec (median of repeats); never raises.

    Top-level and picklable: :func:`n1codec.tools.parallel.map_files` runs it in worker
    processes. Failures come back as ``ok=False`` with a message naming the file.
    """
    out = FileResult(task.label, task.spec, task.file.name)
    try:
        if references.is_reference(task.spec) or task.file.kind == "array":
            return _bench_array(task, out)
        from ..api import decode_to_wav_bytes, encode_wav_bytes
        from ..wav import parse_wav
        wav_bytes = task.file.read()
        wav = parse_wav(wav_bytes, name=task.file.name)
        out.original_bytes = len(wav_bytes)
        out.frames, out.channels, out.sample_rate = wav.frames, wav.channels, wav.sample_rate
        pipeline = _pipeline(task.spec, wav_bytes)
        enc_times, dec_times = [], []
        for _ in range(max(1, task.repeats)):
            t0 = time.perf_counter()
            blob = encode_wav_bytes(wav_bytes, codec=pipeline, name=task.file.name)
            t1 = time.perf_counter()
            back = decode_to_wav_bytes(blob)
            t2 = time.perf_counter()
            enc_times.append(t1 - t0)
            dec_times.append(t2 - t1)
            if back != wav_bytes:
                where = _first_difference(back, wav_bytes)
                out.error = (f"LOSSLESS CHECK FAILED: codec {task.label} ({task.spec}) did not reproduce "
                             f"{task.file.name} byte for byte ({len(back)} bytes decoded, {len(wav_bytes)} "
                             f"expected, first difference at byte {where})")
                out.compressed_bytes = len(blob)
                return out
        out.compressed_bytes = len(blob)
        out.encode_s, out.decode_s = _median(enc_times), _median(dec_times)
        out.ok = True
    except Exception as exc:  # reported, not raised: one bad codec must not sink the grid
        out.error = (f"FAILED: codec {task.label} ({task.spec}) raised on {task.file.name}: "
                     f"{type(exc).__name__}: {exc}")
    return out


def _median(values: List[float]) -> float:
    from statistics import median
    return median(values)


def _recording_samples(ref: FileRef):
    """(samples x channels int16, original bytes, sample rate) of any recording."""
    if ref.kind == "array":
        samples = ref.read_array()
        return samples, samples.size * 2, ref.rate
    from ..wav import parse_wav
    wav_bytes = ref.read()
    wav = parse_wav(wav_bytes, name=ref.name)
    return np.ascontiguousarray(wav.samples), len(wav_bytes), wav.sample_rate


def _bench_array(task: Task, out: FileResult) -> FileResult:
    """One recording coded as a 2-D array: by a codec through n1codec.encode/decode, or by a reference."""
    samples, out.original_bytes, out.sample_rate = _recording_samples(task.file)
    out.frames, out.channels = samples.shape
    if references.is_reference(task.spec):
        ref = references.get(task.spec)
        _warm_reference(ref, samples, out.sample_rate)
        encode = lambda: ref.encode(samples, out.sample_rate)  # noqa: E731
        decode = lambda parts: ref.decode(parts, out.frames, out.channels, out.sample_rate)  # noqa: E731
        size = lambda parts: sum(len(p) for p in parts)  # noqa: E731
    else:
        from ..api import decode as n1_decode, encode as n1_encode
        pipeline = _pipeline(task.spec, samples=samples)
        rate = int(round(out.sample_rate))
        encode = lambda: n1_encode(samples, codec=pipeline, sample_rate=rate)  # noqa: E731
        decode = n1_decode
        size = len
    enc_times, dec_times = [], []
    for _ in range(max(1, task.repeats)):
        t0 = time.perf_counter()
        blob = encode()
        t1 = time.perf_counter()
        back = decode(blob)
        t2 = time.perf_counter()
        enc_times.append(t1 - t0)
        dec_times.append(t2 - t1)
        out.compressed_bytes = size(blob)
        if not (isinstance(back, np.ndarray) and back.shape == samples.shape and np.array_equal(back, samples)):
            out.error = (f"LOSSLESS CHECK FAILED: codec {task.label} ({task.spec}) did not reproduce "
                         f"{task.file.name}: {_array_difference(back, samples)}")
            return out
    out.encode_s, out.decode_s = _median(enc_times), _median(dec_times)
    out.ok = True
    return out


def _array_difference(back, expected: np.ndarray) -> str:
    back = np.asarray(back)
    if back.shape != expected.shape:
        return f"decoded shape {back.shape}, expected {expected.shape}"
    frame, channel = (int(i[0]) for i in np.nonzero(back != expected))
    return (f"first difference at frame {frame}, channel {channel} "
            f"(decoded {back[frame, channel]}, expected {expected[frame, channel]})")


# ------------------------------------------------------------------ aggregation

@dataclass
class CodecResult:
    choice: CodecChoice
    expected_files: int
    files: List[FileResult] = field(default_factory=list)
    error: str = ""

    @property
    def spec(self) -> str:
        return self.choice.spec

    @property
    def complete(self) -> bool:
        return len(self.files) == self.expected_files

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def _sum(self, attr: str):
        return sum(getattr(f, attr) for f in self.files if f.ok)

    @property
    def original_bytes(self) -> int:
        return self._sum("original_bytes")

    @property
    def compressed_bytes(self) -> int:
        return self._sum("compressed_bytes")

    @property
    def duration_s(self) -> float:
        return self._sum("duration_s")

    @property
    def samples(self) -> int:
        return self._sum("samples")

    @property
    def encode_s(self) -> float:
        return self._sum("encode_s")

    @property
    def decode_s(self) -> float:
        return self._sum("decode_s")

    @property
    def ratio(self) -> float:
        return self.original_bytes / self.compressed_bytes if self.compressed_bytes else float("nan")

    @property
    def encode_xrt(self) -> float:
        return _div(self.duration_s, self.encode_s)

    @property
    def decode_xrt(self) -> float:
        return _div(self.duration_s, self.decode_s)

    def row(self) -> Dict[str, object]:
        """One results.csv row: units in the column names, then the study's columns."""
        ok_files = sum(1 for f in self.files if f.ok)
        study = STUDY_FIGURES.get(self.choice.study_row)
        mb = self.original_bytes / 1e6
        return {
            "codec": self.choice.label,
            "spec": self.spec,
            "family": self.choice.family,
            "reference": "yes" if self.choice.reference else "",
            "study_row": self.choice.study_row,
            "files": ok_files,
            "lossless": "FAILED" if self.failed else "yes",
            "original_bytes": self.original_bytes,
            "compressed_bytes": self.compressed_bytes,
            "ratio": _r(self.ratio, 4),
            "bits_per_sample": _r(_div(8 * self.compressed_bytes, self.samples), 4),
            "duration_s": _r(self.duration_s, 3),
            "samples": self.samples,
            "encode_time_s": _r(self.encode_s, 6),
            "decode_time_s": _r(self.decode_s, 6),
            "encode_speed_xRT": _r(self.encode_xrt, 1),
            "decode_speed_xRT": _r(self.decode_xrt, 1),
            "encode_speed_MB_per_s": _r(_div(mb, self.encode_s), 2),
            "decode_speed_MB_per_s": _r(_div(mb, self.decode_s), 2),
            "encode_speed_Msamples_per_s": _r(_div(self.samples / 1e6, self.encode_s), 3),
            "decode_speed_Msamples_per_s": _r(_div(self.samples / 1e6, self.decode_s), 3),
            "study_ratio_743_files": "" if study is None else study,
            "error": self.error,
            # The study's own columns (its xRT columns held time/duration; these hold duration/time).
            "mode": self.choice.study_row or self.choice.label,
            "total_original_size_bytes": self.original_bytes,
            "total_compressed_size_bytes": self.compressed_bytes,
            "compression_ratio": _r(self.ratio, 2),
            "average_compression_speed_xRT": _r(self.encode_xrt, 2),
            "average_decompression_speed_xRT": _r(self.decode_xrt, 2),
        }


PER_FILE_COLUMNS = ("codec", "spec", "file", "original_bytes", "compressed_bytes", "ratio", "duration_s",
                    "samples", "encode_time_s", "decode_time_s", "encode_speed_xRT", "decode_speed_xRT",
                    "lossless", "error")


def _div(a: float, b: float) -> float:
    return a / b if b else float("nan")


def _r(value: float, digits: int):
    return "" if value is None or (isinstance(value, float) and not math.isfinite(value)) else round(value, digits)


RESULT_COLUMNS = tuple(CodecResult(CodecChoice("x", "x", "x", False), 0).row().keys())


def per_file_row(f: FileResult) -> Dict[str, object]:
    return {
        "codec": f.label, "spec": f.spec, "file": f.name,
        "original_bytes": f.original_bytes, "compressed_bytes": f.compressed_bytes,
        "ratio": _r(_div(f.original_bytes, f.compressed_bytes), 4),
        "duration_s": _r(f.duration_s, 6), "samples": f.samples,
        "encode_time_s": _r(f.encode_s, 7) if f.ok else "", "decode_time_s": _r(f.decode_s, 7) if f.ok else "",
        "encode_speed_xRT": _r(_div(f.duration_s, f.encode_s), 1) if f.ok else "",
        "decode_speed_xRT": _r(_div(f.duration_s, f.decode_s), 1) if f.ok else "",
        "lossless": "yes" if f.ok else "FAILED", "error": f.error,
    }


# --------------------------------------------------------------------- progress

class _Progress:
    """tqdm on a terminal when installed; otherwise (logs, CI, no tqdm) a plain line every
    ~5% or 10 s on stderr, which reads better in a file than redrawn bars."""

    def __init__(self, total: int, enabled: bool = True):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self._last_print = 0.0
        self._bar = None
        self.enabled = enabled
        if enabled and sys.stderr.isatty():
            try:
                from tqdm import tqdm
                self._bar = tqdm(total=total, unit="file", desc="bench", dynamic_ncols=True,
                                 file=sys.stderr, smoothing=0.05)
            except ImportError:
                pass

    def update(self, label: str) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(label[:30], refresh=False)
            self._bar.update(1)
            return
        if not self.enabled:
            return
        now = time.monotonic()
        step = max(1, self.total // 20)
        if self.done == self.total or self.done % step == 0 or now - self._last_print > 10:
            self._last_print = now
            elapsed = now - self.start
            eta = elapsed / self.done * (self.total - self.done)
            print(f"bench: {self.done}/{self.total} file runs ({100 * self.done / self.total:.0f}%), "
                  f"elapsed {_clock(elapsed)}, ETA {_clock(eta)}", file=sys.stderr, flush=True)

    def write(self, message: str, err: bool = False) -> None:
        stream = sys.stderr if err else sys.stdout
        if self._bar is not None:
            self._bar.write(message, file=stream)
        else:
            print(message, file=stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# ----------------------------------------------------------------------- runner

@dataclass
class BenchRun:
    data: DataSet
    results: List[CodecResult]
    skipped: List[Tuple[str, str]]
    interrupted: bool = False
    repeats: int = 1
    workers: int = 1
    wall_s: float = 0.0

    @property
    def finished(self) -> List[CodecResult]:
        return [r for r in self.results if r.complete or r.failed]

    @property
    def failures(self) -> List[CodecResult]:
        return [r for r in self.results if r.failed]


def run_bench(data: DataSet, codecs: Sequence[CodecChoice], repeats: int = 1, workers: int = 1,
              scheduler: Optional[str] = None, progress: bool = True,
              skipped: Sequence[Tuple[str, str]] = ()) -> BenchRun:
    """Run every codec over every file; returns what finished, also after Ctrl-C."""
    from .parallel import map_files
    results = {c.label: CodecResult(c, len(data.files)) for c in codecs}
    run = BenchRun(data, list(results.values()), list(skipped), repeats=repeats, workers=workers)
    # Codec-major order: with chunksize 1, codecs complete one after another.
    tasks = [Task(c.label, c.spec, f, repeats) for c in codecs for f in data.files]
    bar = _Progress(len(tasks), enabled=progress)
    start = time.perf_counter()
    stream = map_files(bench_file, tasks, workers=workers, scheduler=scheduler)
    try:
        for item in stream:
            result = results[item.label]
            result.files.append(item)
            bar.update(item.label)
            if not item.ok and not result.error:
                result.error = item.error
                bar.write(f"!!! {item.error}", err=True)
            if result.complete:
                bar.write(_summary_line(result))
    except KeyboardInterrupt:
        run.interrupted = True
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    finally:
        bar.close()
        run.wall_s = time.perf_counter() - start
    return run


def _summary_line(r: CodecResult) -> str:
    if r.failed:
        return f"  {r.choice.label:<26} FAILED ({r.error})"
    return (f"  {r.choice.label:<26} ratio {r.ratio:6.3f}  encode {_fmt_num(r.encode_xrt):>9} xRT  "
            f"decode {_fmt_num(r.decode_xrt):>9} xRT  lossless ({len(r.files)} files)")


def _fmt_num(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


# ---------------------------------------------------------------------- outputs

def markdown_table(results: Iterable[CodecResult]) -> str:
    lines = ["| codec | spec | ratio | bits/sample | encode xRT | decode xRT | encode MB/s | decode MB/s "
             "| encode Msamples/s | decode Msamples/s | lossless |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        row = r.row()
        lossless = f"**FAILED**: {r.error}" if r.failed else f"yes ({row['files']} files)"
        spec = "" if r.spec == r.choice.label else f"`{r.spec}`"
        label = f"{r.choice.label} *(reference)*" if r.choice.reference else r.choice.label
        if r.choice.reference:
            spec = references.get(r.spec).description
        lines.append(
            f"| {label} | {spec} | {_cell(row['ratio'], '.3f')} | {_cell(row['bits_per_sample'], '.3f')} "
            f"| {_fmt_num(r.encode_xrt)} | {_fmt_num(r.decode_xrt)} "
            f"| {_cell(row['encode_speed_MB_per_s'], ',.1f')} | {_cell(row['decode_speed_MB_per_s'], ',.1f')} "
            f"| {_cell(row['encode_speed_Msamples_per_s'], ',.2f')} "
            f"| {_cell(row['decode_speed_Msamples_per_s'], ',.2f')} | {lossless} |")
    return "\n".join(lines)


#: results.md gains a ratio-per-recording table for data sets of at most this many files.
MAX_PER_RECORDING_ROWS = 40


def per_recording_table(results: Sequence[CodecResult]) -> str:
    """Ratio of every codec on every recording (columns: codecs; the best of each row in bold), then the total."""
    results = [r for r in results if r.files]
    names = sorted({f.name for r in results for f in r.files})
    heads = [f"{r.choice.label} (ref.)" if r.choice.reference else r.choice.label for r in results]
    lines = ["| recording | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(results)]
    by_codec = [{f.name: f for f in r.files} for r in results]
    rows = []
    for name in names:
        ratios = []
        for files in by_codec:
            f = files.get(name)
            ratios.append(f.original_bytes / f.compressed_bytes if f and f.ok and f.compressed_bytes else None)
        rows.append((name, ratios))
    rows.append(("**total**", [None if r.failed else r.ratio for r in results]))
    for name, ratios in rows:
        finite = [x for x in ratios if x is not None and math.isfinite(x)]
        best = max(finite) if finite else None
        cells = ["FAILED" if x is None else f"**{x:.3f}**" if x == best else f"{x:.3f}" for x in ratios]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value, fmt: str) -> str:
    return "-" if value == "" else format(value, fmt)


def _machine() -> Dict[str, object]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from n1codec import __version__ as n1_version
    return {"cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "n1codec": n1_version}


#: Every file the bench writes into its --out folder.
BENCH_OUTPUTS = ("results.csv", "per_file.csv", "results.md", "results.json", "ratio_vs_speed.png")


def write_outputs(run: BenchRun, out: Path) -> Dict[str, Path]:
    """Write results.csv, per_file.csv, results.md, results.json and the plot; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    finished = run.finished
    paths = {name: out / name for name in ("results.csv", "per_file.csv", "results.md", "results.json")}
    with open(paths["results.csv"], "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=RESULT_COLUMNS)
        writer.writeheader()
        for r in finished:
            writer.writerow(r.row())
    with open(paths["per_file.csv"], "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=PER_FILE_COLUMNS)
        writer.writeheader()
        for r in run.results:  # every finished file, also of a codec cut short by Ctrl-C
            for f in sorted(r.files, key=lambda f: f.name):
                writer.writerow(per_file_row(f))
    meta = {
        "data": run.data.label, "synthetic": run.data.synthetic, "files": len(run.data.files),
        "repeats": run.repeats, "workers": run.workers, "interrupted": run.interrupted,
        "wall_time_s": round(run.wall_s, 3),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": _machine(),
        "timing": "in-process perf_counter around encode_wav_bytes / decode_to_wav_bytes (WAV files), "
                  "n1codec.encode / decode (array recordings) or a reference's own encode / decode; median of "
                  "repeats per file; codec time = sum over files (single-core)",
        "results": [r.row() for r in finished],
        "unfinished": [r.choice.label for r in run.results if r not in finished],
        "skipped": [{"codec": n, "reason": why} for n, why in run.skipped],
    }
    paths["results.json"].write_text(json.dumps(meta, indent=2) + "\n")
    header = ["# n1codec bench", "", f"- data: {run.data.label}",
              f"- {meta['date_utc']}, {meta['machine']['cpu']}, Python {meta['machine']['python']}, "
              f"n1codec {meta['machine']['n1codec']}",
              f"- ratio = original bytes (a WAV file's bytes; an array recording's raw int16 bytes, samples x "
              f"channels x 2) / compressed bytes (whole .n1 files; a reference's own output); xRT = recording "
              f"duration / single-core time (in-process, median of {run.repeats}); every file decoded and "
              f"compared (WAV byte for byte, arrays element for element)"]
    if run.data.synthetic:
        header.insert(2, "**SYNTHETIC DATA** (embedded generator): figures are not those of real recordings.")
        header.insert(3, "")
    if run.interrupted:
        header.append(f"- INTERRUPTED: unfinished codecs left out: {', '.join(meta['unfinished']) or 'none'}")
    skipped = "".join(f"\n- skipped {n}: {why}" for n, why in run.skipped)
    per_recording = ""
    if 1 < len(run.data.files) <= MAX_PER_RECORDING_ROWS:
        per_recording = "\n## Ratio per recording\n\n" + per_recording_table(finished) + "\n"
    paths["results.md"].write_text("\n".join(header) + "\n\n" + markdown_table(finished) + "\n"
                                   + per_recording + (f"\n## Skipped{skipped}\n" if skipped else ""))
    plot = out / "ratio_vs_speed.png"
    try:
        single_channel = all(f.channels <= 1 for r in finished for f in r.files)
        plot_results(finished, plot, data_label=run.data.label, synthetic=run.data.synthetic,
                     implant_line=single_channel)
        paths["ratio_vs_speed.png"] = plot
    except ImportError:
        pass
    return paths


# ------------------------------------------------------------------------- plot

#: Above this many codecs only the Pareto front (and the n1 levels) is labelled.
MAX_LABELLED_POINTS = 40

#: Colours per codec family (colour-blind safe, Okabe-Ito); unknown families cycle through the rest.
FAMILY_COLOURS = {
    "entropy": "#0072B2", "dictionary": "#D55E00", "blosc": "#009E73", "audio": "#CC79A7",
    "predict": "#56B4E9", "n1": "#000000", "transform": "#E69F00",
}
_SPARE_COLOURS = ("#F0E442", "#999999", "#882255", "#44AA99", "#117733")


def plot_results(results: Sequence[CodecResult], path: Path, data_label: str = "",
                 synthetic: bool = False, implant_line: bool = True) -> None:
    """Ratio against encode and decode speed (log xRT), colour by family, every point labelled.

    References are diamonds. ``implant_line`` marks 1024 xRT, the whole implant on one core,
    which means that only for single-channel recordings (on multichannel ones xRT is per recording).
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    rows = [r for r in results if not r.failed and r.files and math.isfinite(r.ratio)
            and math.isfinite(r.encode_xrt) and math.isfinite(r.decode_xrt)]
    families = sorted({r.choice.family for r in rows})
    spare = iter(_SPARE_COLOURS * 4)
    colour = {fam: FAMILY_COLOURS.get(fam) or next(spare) for fam in families}
    many = len(rows) > 30
    label_size = 6.3 if many and len(rows) <= MAX_LABELLED_POINTS else 7.5
    plt.rcParams.update({"font.size": 9, "axes.labelsize": 9.5, "font.family": "DejaVu Sans"})
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 8.0 if many else 6.4), sharey=True)
    fig.subplots_adjust(left=0.06, right=0.975, top=0.9, bottom=0.17 if many else 0.18, wspace=0.06)
    ys = [r.ratio for r in rows]
    if rows:
        ymin, ymax = min(ys), max(ys)
        pad = max(0.06, 0.05 * (ymax - ymin))
        axes[0].set_ylim(max(0.0, ymin - pad), ymax + pad)
    for ax, which, letter in zip(axes, ("encode", "decode"), "ab"):
        xs = [r.encode_xrt if which == "encode" else r.decode_xrt for r in rows]
        ax.set_xscale("log")
        if xs:
            ax.set_xlim(min(xs) / 1.8, max(xs + ([1024.0] if implant_line else [])) * 1.8)
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        if implant_line:
            ax.axvline(1024, color="#555555", linestyle="--", linewidth=0.9, zorder=1)
        ax.grid(True, which="major", color="#e3e3e3", linewidth=0.6, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for r, x, y in zip(rows, xs, ys):
            marker = "D" if r.choice.reference else "^" if r.choice.staged else "o"
            ax.scatter(x, y, s=34 if many else 44, marker=marker,
                       color=colour[r.choice.family], edgecolor="white", linewidth=0.6, zorder=3)
        ax.set_xlabel(f"{which} speed, xRT = recording duration / single-core time (log scale)")
        ax.set_title(f"{letter}   {which.capitalize()}", loc="left", fontsize=10, fontweight="bold")
    axes[0].set_ylabel("compression ratio = original bytes / compressed bytes")
    fig.canvas.draw()
    label_all = len(rows) <= MAX_LABELLED_POINTS
    for ax, which in zip(axes, ("encode", "decode")):
        xs = [r.encode_xrt if which == "encode" else r.decode_xrt for r in rows]
        keep = [i for i in range(len(rows)) if label_all or rows[i].choice.family == "n1"
                or not any(ys[j] >= ys[i] and xs[j] >= xs[i] and (ys[j], xs[j]) != (ys[i], xs[i])
                           for j in range(len(rows)))]
        _label_points(ax, [rows[i].choice.label for i in keep], [xs[i] for i in keep], [ys[i] for i in keep],
                      label_size, others=[ax.transData.transform((x, y)) for x, y in zip(xs, ys)])
    if not label_all:
        fig.text(0.5, 0.088, f"{len(rows)} codecs; labelled: the Pareto front of each panel (no codec both "
                 "smaller and faster) and the n1 levels; every codec is in results.csv",
                 ha="center", fontsize=8, color="#444444")
    handles = [Line2D([], [], marker="s", linestyle="", color=colour[f], markersize=7, label=f) for f in families]
    handles += [Line2D([], [], marker="o", linestyle="", color="#777777", markersize=6, label="coder alone"),
                Line2D([], [], marker="^", linestyle="", color="#777777", markersize=6, label="stage(s) + coder")]
    if any(r.choice.reference for r in rows):
        handles.append(Line2D([], [], marker="D", linestyle="", color="#777777", markersize=5,
                              label="reference (its own tool)"))
    if implant_line:
        handles.append(Line2D([], [], linestyle="--", color="#555555", linewidth=0.9,
                              label="1024 xRT: the whole implant (1024 channels) on one core"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles) if len(handles) <= 10 else 6, frameon=False, fontsize=8.5,
               title="colour: codec family (of the coder)   marker: pipeline shape", title_fontsize=8.5,
               bbox_to_anchor=(0.5, 0.005))
    title = "Lossless compression ratio vs speed"
    if data_label:
        title += f"\n{data_label}"
    if synthetic:
        title = "SYNTHETIC DATA: " + title
    fig.suptitle(title, fontsize=10.5)
    fig.savefig(path, dpi=200)
    plt.close(fig)


def _box_distance(box, x: float, y: float) -> float:
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy)


def _label_points(ax, labels: Sequence[str], xs: Sequence[float], ys: Sequence[float], fontsize: float,
                  others=None) -> None:
    """Label every point, choosing for each the nearby spot that overlaps least (no extra dependency).

    Works in display pixels with the real size of each label; candidates ring the
    point at growing distances, anything outside the axes is penalised, far
    labels get a thin leader line.
    """
    if not labels:
        return
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    pts = [tuple(ax.transData.transform((x, y))) for x, y in zip(xs, ys)]
    sizes = []
    for label in labels:
        t = ax.text(0, 0, label, fontsize=fontsize)
        extent = t.get_window_extent(renderer)
        sizes.append((extent.width, extent.height))
        t.remove()
    radius = 4.0 * fig.dpi / 72  # a marker's half size, in pixels
    every_point = [tuple(p) for p in others] if others is not None else pts
    obstacles = [(px - radius, py - radius, px + radius, py + radius) for px, py in every_point]
    placed: List[Tuple[float, float, float, float]] = []

    def overlap(a, b):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    # Crowded points first: they have the fewest good spots.
    crowd = [sum(1 for q in every_point if abs(q[0] - p[0]) < 80 and abs(q[1] - p[1]) < 30) for p in pts]
    order = sorted(range(len(labels)), key=lambda i: -crowd[i])
    gap = 2.0 * fig.dpi / 72
    pad = 7.0 * fig.dpi / 72  # keep labels this far apart sideways (half that vertically)
    for i in order:
        (px, py), (w, h) = pts[i], sizes[i]
        best, best_cost = None, float("inf")
        for dist in (0.0, 6.0, 14.0, 26.0, 40.0, 58.0):
            d = dist * fig.dpi / 72
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)):
                cx = px + dx * (radius + gap + d) + (0 if dx > 0 else -w if dx < 0 else -w / 2)
                cy = py + dy * (radius + gap + d * 0.6) + (0 if dy > 0 else -h if dy < 0 else -h / 2)
                cand = (cx, cy, cx + w, cy + h)
                padded = (cand[0] - pad, cand[1] - pad / 2, cand[2] + pad, cand[3] + pad / 2)
                cost = sum(overlap(padded, o) for o in placed) * 4 + sum(overlap(cand, o) for o in obstacles)
                outside = (max(0, box.x0 - cand[0]) + max(0, cand[2] - box.x1)
                           + max(0, box.y0 - cand[1]) + max(0, cand[3] - box.y1))
                own = _box_distance(cand, px, py)
                cost += sum(30 for qx, qy in every_point  # a label nearer another point misleads
                            if (qx, qy) != (px, py) and _box_distance(cand, qx, qy) < own + pad)
                cost += outside * 200 + d * 0.8 + (0 if dx else 3) + (0 if dy == 0 else 1)
                if cost < best_cost:
                    best, best_cost = (cand, dx, dy, d), cost
            if best_cost < 1.0 + d * 0.8 + 4:
                break
        cand, dx, dy, d = best
        placed.append(cand)
        to_points = 72 / fig.dpi
        ax.annotate(labels[i], (xs[i], ys[i]), xytext=((cand[0] - px) * to_points, (cand[1] - py) * to_points),
                    textcoords="offset points", ha="left", va="bottom", fontsize=fontsize, color="#222222",
                    zorder=4, annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color="#9a9a9a", linewidth=0.5, shrinkA=1, shrinkB=3)
                    if d > 10 else None)


# -------------------------------------------------------------------------- CLI

def add_bench_arguments(parser) -> None:
    parser.add_argument("data", nargs="?", default=None,
                        help="folder of WAV files, the challenge's data.zip (read in place) or one WAV file; "
                             "a folder of .npy recordings (int16, samples x channels) or one; with --channels, "
                             "a raw interleaved int16 file or a folder of them (*.bin, *.dat, *.raw, *.i16, "
                             "*.pcm); default: the embedded synthetic set")
    parser.add_argument("--codecs", default="default",
                        help="comma-separated codec specs or aliases, or a group: 'study' (the study's 24 "
                             "rows), 'all' (every available codec and stage/coder combination), "
                             f"'default' ({', '.join(DEFAULT_BENCH_CODECS)}), 'references' (see --references); "
                             "default: %(default)s")
    parser.add_argument("--references", action="store_true",
                        help="also measure the field's usual lossless choices in the same run, as reference "
                             "rows: WavPack -hhx3 (command line and libwavpack), FLAC -8, SpikeInterface's "
                             "default (Blosc zstd 5 bitshuffle), delta+zlib (mtscomp's method) and mtscomp; "
                             "the same as adding the group 'references' to --codecs")
    parser.add_argument("--channels", type=int, default=None,
                        help="DATA is raw interleaved little-endian int16 with this many channels "
                             "(needs --rate)")
    parser.add_argument("--rate", type=float, default=None,
                        help="sample rate in Hz of raw int16 data, and of .npy recordings that the folder's "
                             "manifest.json does not give ({\"NAME\": {\"fs\": HZ}})")
    parser.add_argument("--workers", "-j", type=int, default=1,
                        help="worker processes across files (0: one per CPU); speeds stay single-core "
                             "(default: %(default)s)")
    parser.add_argument("--scheduler", default=None,
                        help="run the files on a dask.distributed cluster at this address (tcp://host:port); "
                             "needs pip install \"n1codec[dask]\"; speeds stay single-core per file")
    parser.add_argument("--out", "-o", default="n1codec-bench",
                        help="folder for results.csv, per_file.csv, results.md, results.json and "
                             "ratio_vs_speed.png (default: %(default)s)")
    parser.add_argument("--force", "-f", action="store_true",
                        help="write into an --out folder that already holds files (a previous run's "
                             "files are replaced)")
    parser.add_argument("--limit", type=int, default=None, help="use at most N files")
    parser.add_argument("--repeats", type=int, default=1,
                        help="time each file N times and keep the median (default: %(default)s)")
    parser.add_argument("--list", action="store_true", dest="list_only",
                        help="print the codecs that would run (and those skipped) and exit")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop_on_sigterm():
    """SIGTERM (kill, a batch system's time limit) stops a run like Ctrl-C: finished codecs are written."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)


def run_bench_cli(args) -> int:
    from ..errors import N1CodecError
    from .parallel import default_workers
    if args.repeats < 1:
        raise N1CodecError(f"--repeats must be >= 1, got {args.repeats}")
    workers = default_workers() if args.workers == 0 else args.workers
    if workers < 0:
        raise N1CodecError(f"--workers must be >= 0, got {args.workers}")
    codec_list = args.codecs + (",references" if getattr(args, "references", False) else "")
    codecs, skipped = resolve_codecs(codec_list)
    if args.list_only:
        for c in codecs:
            print(f"{c.label:<26} {c.spec:<34} {c.family}")
        for name, why in skipped:
            print(f"{name:<26} skipped: {why}")
        return 0
    if args.scheduler:
        from .parallel import map_files
        map_files(bench_file, [], scheduler=args.scheduler)  # raises a clear error when unsupported
    data = discover(args.data, args.limit, arrays=True, channels=getattr(args, "channels", None),
                    rate=getattr(args, "rate", None))
    out = Path(args.out)
    prepare_output_folder(out, args.force, BENCH_OUTPUTS)
    print(f"data: {data.label}")
    if data.synthetic:
        print("NOTE: no DATA given, so these figures are on SYNTHETIC data, not real recordings; "
              "pass a folder of WAV files or data.zip for real figures")
    for name, why in skipped:
        print(f"skipped {name}: {why}")
    if not codecs:
        raise N1CodecError("no codec left to run (all skipped)")
    print(f"codecs: {len(codecs)}, files: {len(data.files)}, repeats: {args.repeats}, workers: {workers}")
    previous = _stop_on_sigterm()
    try:
        run = run_bench(data, codecs, repeats=args.repeats, workers=workers, scheduler=args.scheduler,
                        progress=not args.no_progress, skipped=skipped)
    finally:
        if previous is not None:
            import signal
            signal.signal(signal.SIGTERM, previous)
    if run.interrupted and not run.finished:
        print("interrupted before any codec finished: nothing was written", file=sys.stderr)
        return 130
    paths = write_outputs(run, out)
    print()
    print(markdown_table(run.finished))
    print()
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    if "ratio_vs_speed.png" not in paths:
        print("(no plot: matplotlib is not installed; pip install \"n1codec[bench]\")")
    if run.interrupted:
        unfinished = [r.choice.label for r in run.results if r not in run.finished]
        print(f"interrupted: kept {len(run.finished)} finished codec(s); not finished: "
              f"{', '.join(unfinished) or 'none'}", file=sys.stderr)
        return 130
    if run.failures:
        for r in run.failures:
            print(f"n1codec bench: {r.error}", file=sys.stderr)
        print(f"n1codec bench: {len(run.failures)} codec(s) FAILED the lossless check", file=sys.stderr)
        return 1
    return 0
