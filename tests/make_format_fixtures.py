"""Writes the frozen .n1 format fixtures in tests/fixtures/format_v1/ (run once per format version).

Each fixture is a small .n1 file and the .npy of what it must decode to. Later
releases must keep decoding them: test_container.py checks that. Do not
regenerate them for an existing format version; add a new folder instead.
"""
from pathlib import Path

import numpy as np

import n1codec
from n1codec.tools import synthetic

OUT = Path(__file__).parent / "fixtures" / "format_v1"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    mono = synthetic.n1_like(seconds=0.1, seed=42)
    stereo = synthetic.n1_like(seconds=0.05, seed=43, channels=2)
    cases = {
        "mono_delta_huffman": (mono, "delta+huffman"),
        "mono_huffman": (mono, "huffman"),
        "stereo_delta2_huffman": (stereo, "delta:2+huffman"),
        "empty_huffman": (np.zeros(0, np.int16), "huffman"),
    }
    # Added once each codec's stream was declared stable (same release, format version 1).
    # 0.3 s of real-looking codes exercises the model paths; a short noise burst the fallbacks.
    codes = synthetic.n1_like(seconds=0.3, seed=44)
    noise = np.random.RandomState(45).randint(-32768, 32768, 3000).astype(np.int16)
    for codec in ("n1:fast", "n1", "n1:max", "adc+lpc+rans", "adc+delta+range", "adc+lms+rice",
                  "fixed+huffman", "bwtc", "wavelet+huffman", "bwt+mtf+rle+huffman"):
        slug = codec.replace(":", "-").replace("+", "_")
        cases[f"mono_{slug}"] = (codes, codec)
        cases[f"noise_{slug}"] = (noise, codec)
    for name, (samples, codec) in cases.items():
        if (OUT / f"{name}.n1").exists():
            continue  # frozen: never rewritten
        (OUT / f"{name}.n1").write_bytes(n1codec.encode(samples, codec=codec, sample_rate=19531))
        np.save(OUT / f"{name}.npy", samples)
    if (OUT / "wav_canonical.n1").exists():
        return
    (OUT / "wav_canonical.n1").write_bytes(n1codec.encode_wav_bytes(synthetic.wav_bytes(mono)))
    (OUT / "wav_canonical.wav.bin").write_bytes(synthetic.wav_bytes(mono))


if __name__ == "__main__":
    main()
