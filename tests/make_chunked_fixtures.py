"""Writes the frozen chunked-format fixtures in tests/fixtures/format_v3/ (once).

Each fixture is a small chunked .n1 file (format version 3) and what it must
decode to: an .npy of the samples, or the original file bytes (``*.orig``) and
its attachments. Later releases must keep decoding them (test_chunked.py checks
that). Never regenerate an existing fixture; add new ones beside it.
"""
from pathlib import Path

import numpy as np

import n1codec
from n1codec.tools import synthetic

OUT = Path(__file__).parent / "fixtures" / "format_v3"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    four = synthetic.n1_like(seconds=0.05, seed=51, channels=4)          # 977 frames
    mono = synthetic.n1_like(seconds=0.03, seed=52)
    cases = {
        "array_4ch_n1": (four, "n1", 400),                               # 3 chunks, the last short
        "array_mono_delta_huffman": (mono, "delta+huffman", 256),
        "array_4ch_uint16": ((four.view(np.uint16) ^ 0x8000).astype(np.uint16), "n1:fast", 500),
    }
    for name, (samples, codec, chunk_frames) in cases.items():
        if (OUT / f"{name}.n1").exists():
            continue  # frozen: never rewritten
        blob = n1codec.encode_chunked(samples, codec=codec, sample_rate=19531, chunk_frames=chunk_frames)
        (OUT / f"{name}.n1").write_bytes(blob)
        np.save(OUT / f"{name}.npy", samples)
    if not (OUT / "spikeglx_3ch.n1").exists():
        work = OUT / "tmp"
        work.mkdir()
        samples = synthetic.n1_like(seconds=0.02, seed=53, channels=3)
        raw = samples.astype("<i2").tobytes() + b"\x01\x02\x03"           # a cut-off last frame
        (work / "rec.ap.bin").write_bytes(raw)
        (work / "rec.ap.meta").write_bytes(b"nSavedChans=3\nimSampRate=19531.25\ntypeThis=imec\n")
        n1codec.compress_recording(work / "rec.ap.bin", OUT / "spikeglx_3ch.n1", codec="n1", chunk_frames=150)
        (OUT / "spikeglx_3ch.bin.orig").write_bytes(raw)
        (OUT / "spikeglx_3ch.meta.orig").write_bytes((work / "rec.ap.meta").read_bytes())
        for path in work.iterdir():
            path.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
