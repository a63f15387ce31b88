"""Writes the frozen .n1 format fixtures in tests/fixtures/format_vN/ for the version this release
writes (run once per format version; format_v1/ and format_v2/ exist).

Each fixture is a small .n1 file and the .npy of what it must decode to. Later
releases must keep decoding them: test_container.py checks that. Do not
regenerate them for an existing format version; add a new folder instead.
"""
import struct
from pathlib import Path

import numpy as np

import n1codec
from n1codec import container
from n1codec.tools import synthetic

OUT = Path(__file__).parent / "fixtures" / f"format_v{container.FORMAT_VERSION}"


def verbatim_wav(samples: np.ndarray) -> bytes:
    """A WAV that is not canonical: a LIST chunk before the data and a trailing byte pair."""
    canonical = synthetic.wav_bytes(samples)
    info = b"LIST" + struct.pack("<I", 10) + b"INFOISFT\x02\x00"
    body = canonical[12:36] + info + canonical[36:] + b"\x00\x01"
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


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
    if container.FORMAT_VERSION >= 2:  # added with the header CRC: 2-D, multichannel n1, every WAV kind
        cases["stereo_n1"] = (stereo, "n1")
        cases["column_n1-fast"] = (codes[:2000].reshape(-1, 1), "n1:fast")
    for name, (samples, codec) in cases.items():
        if (OUT / f"{name}.n1").exists():
            continue  # frozen: never rewritten
        (OUT / f"{name}.n1").write_bytes(n1codec.encode(samples, codec=codec, sample_rate=19531))
        np.save(OUT / f"{name}.npy", samples)
    wavs = {"wav_canonical": (synthetic.wav_bytes(mono), "n1")}
    if container.FORMAT_VERSION >= 2:
        wavs["wav_verbatim_n1-max"] = (verbatim_wav(stereo), "n1:max")
        wavs["wav_canonical_delta_huffman"] = (synthetic.wav_bytes(stereo), "delta+huffman")
    for name, (wav, codec) in wavs.items():
        if (OUT / f"{name}.n1").exists():
            continue
        (OUT / f"{name}.n1").write_bytes(n1codec.encode_wav_bytes(wav, codec=codec))
        (OUT / f"{name}.wav.bin").write_bytes(wav)


if __name__ == "__main__":
    main()
