"""Write a seed corpus for the libFuzzer targets of csrc/fuzz/ (docs/fuzzing.md).

    python tools/fuzz_corpus.py OUT [--fixtures FOLDER ...]

Creates OUT/<target>/ for every target and fills it with seeds in that target's input
layout (the comment at the top of each csrc/fuzz/fuzz_*.c): the coder stream and the
stage inputs of every channel of the frozen fixture files (tests/fixtures/format_v1,
format_v2, n1_stream_v2 and n1_stream_v4, split with the pipeline's own framing,
n1codec.pipeline.Pipeline.channel_layout), the
same for a few synthetic signals encoded with every C codec, and the fixtures' and
synthetic samples for the round-trip targets. Nothing is downloaded; the seeds are a
few hundred small files, made at run time, never committed.
"""
from __future__ import annotations

import argparse
import hashlib
import struct
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import numpy as np

REPO = Path(__file__).resolve().parent.parent
FIXTURES = tuple(REPO / "tests" / "fixtures" / name
                 for name in ("format_v1", "format_v2", "n1_stream_v2", "n1_stream_v4")
                 if (REPO / "tests" / "fixtures" / name).is_dir())
#: Every target of csrc/fuzz/ (one executable each).
TARGETS = ("adc", "bwt", "bwtc", "container", "fixed", "huffman", "lms", "lpc", "mtf", "n1", "n1_joint",
           "n1_pair", "n1_stream", "range", "rans", "realtime", "rice", "rle", "wavelet", "roundtrip_entropy", "roundtrip_n1",
           "roundtrip_predict", "roundtrip_transform")
#: Pipelines the synthetic signals are encoded with: every C stage and coder.
SYNTHETIC_SPECS = ("huffman", "delta+huffman", "rice", "range", "range:1", "rans", "bwtc",
                   "adc+delta+range", "fixed+rice", "lpc+rans", "lms+rice", "lms(variant=nlms)+rice",
                   "wavelet+huffman", "bwt+mtf+rle+huffman", "rle1+huffman", "n1:fast", "n1",
                   "n1:max")
#: Samples per synthetic signal: a few blocks of every coder, small enough to mutate fast.
SYNTHETIC_SAMPLES = 6000
_LMS_VARIANTS = {"sign": 0, "nlms": 1, "cascade": 2}
_LMS_SHIFTS = {"sign": 11, "nlms": 6, "cascade": 6}


def u32(value: int) -> bytes:
    return struct.pack("<I", value & 0xFFFFFFFF)


def words(data: np.ndarray) -> bytes:
    return np.ascontiguousarray(data, dtype="<u2").tobytes()


def synthetic_signals() -> Dict[str, np.ndarray]:
    """A few int16 signals with the features the codecs look for (fixed seed)."""
    rng = np.random.default_rng(1)
    t = np.arange(SYNTHETIC_SAMPLES)
    grid = np.round(np.linspace(-32768, 32767, 1024)).astype(np.int64)  # a 10-bit ADC stretched to 16
    sine = 200 * np.sin(t / 37.0) + rng.normal(0, 6, t.size)
    adc = grid[np.clip(np.round(sine).astype(np.int64) + 512, 0, 1023)]
    return {
        "adc10": adc.astype(np.int16),
        "noise": rng.integers(-32768, 32768, t.size).astype(np.int16),
        "constant": np.full(t.size, -7, dtype=np.int16),
        "ramp": (t * 13 % 65536 - 32768).astype(np.int16),
        "spikes": np.where(rng.random(t.size) < 0.01, 3000, rng.integers(-3, 4, t.size)).astype(np.int16),
    }


def coder_seeds(name: str, config: dict, stream: bytes, count: int) -> Iterator[Tuple[str, bytes]]:
    if name in ("huffman", "rice", "rans", "bwtc", "n1"):
        yield name, u32(count) + stream
    if name in ("range", "arith"):
        yield "range", u32(count) + bytes([config["order"]]) + stream
    if name == "n1":
        yield "n1_stream", bytes([count & 1]) + u32(count) + stream


def stage_seed(name: str, config: dict, data: np.ndarray, side: bytes) -> Iterator[Tuple[str, bytes]]:
    """Seed for the decoder target of a stage, given what its decode() receives."""
    if name == "adc":
        yield "adc", u32(len(side)) + side + words(data)
    elif name == "fixed":
        yield "fixed", u32(config["block"] - 1) + u32(len(side)) + side + words(data)
    elif name == "lpc":
        yield "lpc", u32(config["block"] - 1) + u32(len(side)) + side + words(data)
    elif name == "lms":
        variant = config["variant"]
        shift = config["shift"] or _LMS_SHIFTS[variant]
        yield "lms", bytes([_LMS_VARIANTS[variant], config["order"] - 1, shift - 1]) + words(data)
    elif name == "bwt":
        from n1codec.varint import read_uvarint
        primary, _ = read_uvarint(side, 0, "primary")
        yield "bwt", bytes([0]) + u32(primary) + np.asarray(data, dtype=np.uint8).tobytes()
    elif name == "mtf":
        yield "mtf", bytes([0]) + np.asarray(data, dtype=np.uint8).tobytes()
    elif name == "rle":
        yield "rle", bytes([0]) + words(data)
    elif name == "rle1":
        yield "rle", bytes([2]) + np.asarray(data, dtype=np.uint8).tobytes()
    elif name == "wavelet":
        yield "wavelet", bytes([config["levels"]]) + words(data)


def channel_seeds(pipeline, payload: bytes, count: int) -> Iterator[Tuple[str, bytes]]:
    """Seeds of every C component of one channel, walking its decode as the pipeline does."""
    from n1codec.codecs.base import as_stream
    from n1codec.pipeline import _from_kind

    layout = pipeline.channel_layout(payload, count)
    stream = payload[layout.coder_offset:]
    coder = pipeline.coder
    yield from coder_seeds(coder.name, coder.config, stream, layout.coder_count)
    data = _from_kind(coder.decode(stream, layout.coder_count), coder.input_kind, layout.coder_kind)
    sides = iter(layout.sides)
    side_of = {i: next(sides) for i, st in enumerate(pipeline.stages) if st.has_side_info}
    for index in reversed(range(len(pipeline.stages))):
        stage = pipeline.stages[index]
        in_length, in_kind = layout.plan[index]
        side = side_of.get(index, b"")
        yield from stage_seed(stage.name, stage.config, data, side)
        if stage.preserves_length:
            data = stage.decode(data, side)
        else:
            data = stage.decode(data, side, length=in_length)
        prev_kind = pipeline.stages[index - 1].output_kind if index > 0 else "u16"
        data = _from_kind(as_stream(data, in_kind), in_kind, prev_kind)


def file_seeds(blob: bytes) -> Iterator[Tuple[str, bytes]]:
    """Seeds of every channel of an .n1 file (n1codec's own framing)."""
    from n1codec import container
    from n1codec.pipeline import parse_spec
    from n1codec.varint import read_sized

    header = container.unpack_header(blob)
    pipeline = parse_spec(header.spec)
    if not pipeline.available():
        return
    payload = bytes(blob[header.payload_offset:header.payload_offset + header.payload_size])
    pos = 0
    for c in range(header.channels):
        if c < header.channels - 1:
            chunk, pos = read_sized(payload, pos, "channel", len(payload))
        else:
            chunk = payload[pos:]
        yield from channel_seeds(pipeline, chunk, header.frames)


def sample_seeds(samples: np.ndarray) -> Iterator[Tuple[str, bytes]]:
    """Round-trip seeds: the samples behind each family's selector and parameter bytes."""
    body = words(samples.view(np.uint16))
    for coder in range(5):
        yield "roundtrip_entropy", bytes([coder]) + body
    for stage, params in ((0, (1, 0, 0)), (1, (0, 255, 0)), (2, (63, 32, 12)), (3, (1, 15, 5)),
                          (4, (0, 0, 0))):
        yield "roundtrip_predict", bytes([stage, *params]) + body
    raw = samples.astype("<i2").tobytes()
    for which in range(9):
        params = bytes([4, 3, 99, 1])
        data = raw if which in (0, 2, 4, 5) else body
        yield "roundtrip_transform", bytes([which]) + params + data
    for level in range(3):
        yield "roundtrip_n1", bytes([level, 7]) + body


def realtime_seeds(samples: np.ndarray) -> Iterator[Tuple[str, bytes]]:
    """Packet streams of the real-time mode (n1codec.realtime) for a few configs."""
    try:
        from n1codec.realtime import Encoder
    except ImportError:  # a build without the real-time mode
        return
    for channels, frame_samples, predictor, resync in ((1, 20, 1, 4), (4, 8, 0, 2), (3, 33, 2, 8)):
        encoder = Encoder(channels, rate=19531, frame_samples=frame_samples, resync_interval=resync,
                          predictor=predictor, adc="n1")
        frames = samples[: (samples.size // (channels * frame_samples)) * channels * frame_samples]
        frames = frames.reshape(-1, frame_samples, channels)[:12]
        packets = b"".join(encoder.push(np.ascontiguousarray(f)) for f in frames)
        yield "realtime", bytes([channels - 1, frame_samples - 1, predictor, resync - 1, 1]) + packets


def pair_seeds(signals: Dict[str, np.ndarray]) -> Iterator[Tuple[str, str, bytes]]:
    """Two streams of as many samples side by side (the columns decoder's pairs): each
    synthetic signal at the fast and the default level, next to the following one."""
    from n1codec import _native

    streams = [(f"{name}-{level}", _native.n1_encode(x, level))
               for name, x in signals.items() for level in (0, 1)]
    for (name_a, a), (name_b, b) in zip(streams, streams[1:] + streams[:1]):
        yield "n1_pair", f"{name_a}+{name_b}", u32(SYNTHETIC_SAMPLES) + u32(len(a)) + a + b


def joint_seeds(signals: Dict[str, np.ndarray]) -> Iterator[Tuple[str, str, bytes]]:
    """Four channels (the signals side by side, and two of them shifted and scaled, so
    that references pay): as a joint stream at each level (mode 0), and as samples
    (mode 1) for a lead and a follower."""
    from n1codec import _native

    names = list(signals)
    for i, name in enumerate(names[:3]):
        base = signals[name][:1024].astype(np.int32)
        others = [signals[names[(i + k) % len(names)]][:1024].astype(np.int32) for k in (1, 2)]
        x = np.clip(np.stack([base, base // 2 + others[0] // 64, others[0], others[1]], axis=1),
                    -32768, 32767).astype(np.int16)
        for level in (0, 1, 2):
            stream = _native.n1_joint_encode_array(np.ascontiguousarray(x), level)
            yield "n1_joint", f"{name}-joint-{level}", bytes([0, 3, level]) + u32(len(x)) + stream
        yield "n1_joint", f"{name}-samples", bytes([1, 3, 1]) + words(x.reshape(-1))


def all_seeds(fixtures: Sequence[Path]) -> Iterator[Tuple[str, str, bytes]]:
    """(target, origin, seed) for the fixtures, then the synthetic signals."""
    import n1codec
    from n1codec.pipeline import parse_spec

    paths = [path for folder in fixtures for path in sorted(Path(folder).iterdir())]
    for path in (p for p in paths if p.suffix == ".n1"):
        yield "container", path.stem, path.read_bytes()  # whole files, for the container path
        for target, seed in file_seeds(path.read_bytes()):
            yield target, path.stem, seed
    for path in (p for p in paths if p.suffix == ".npy"):
        samples = np.load(path).reshape(-1)[:SYNTHETIC_SAMPLES].astype(np.int16)
        for target, seed in sample_seeds(samples):
            yield target, path.stem, seed
    for name, samples in synthetic_signals().items():
        for target, seed in (*sample_seeds(samples), *realtime_seeds(samples)):
            yield target, name, seed
        for spec in SYNTHETIC_SPECS:
            pipeline = parse_spec(spec)
            blob = n1codec.encode(samples, codec=pipeline.spec)
            for target, seed in file_seeds(blob):
                yield target, f"{name}-{spec}", seed
    yield from pair_seeds(synthetic_signals())
    yield from joint_seeds(synthetic_signals())


def write_corpus(out: Path, fixtures: Sequence[Path] = FIXTURES) -> Dict[str, int]:
    """Fill out/<target>/ with seeds, each once (files are named by origin and hash, and
    reruns add nothing already there); returns the number of new seeds per target."""
    counts = {target: 0 for target in TARGETS}
    seen = set()
    for target in TARGETS:
        (out / target).mkdir(parents=True, exist_ok=True)
        seen.update((target, path.name.rsplit("-", 1)[-1]) for path in (out / target).iterdir())
    for target, origin, seed in all_seeds(fixtures):
        digest = hashlib.sha1(seed).hexdigest()[:16]
        if (target, digest) in seen:
            continue
        seen.add((target, digest))
        (out / target / f"{origin.replace(':', '-').replace('+', '_')}-{digest}").write_bytes(seed)
        counts[target] += 1
    return counts


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write OUT/<target>/ seeds into")
    parser.add_argument("--fixtures", type=Path, nargs="+", default=list(FIXTURES),
                        help="folders of .n1 and .npy fixtures (default: the frozen ones)")
    args = parser.parse_args(argv)
    counts = write_corpus(args.out, args.fixtures)
    for target in TARGETS:
        print(f"{target:22s} {counts[target]:4d} new seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
