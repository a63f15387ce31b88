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
#: n1 streams of stream format 2 (the n1 codec's own version byte, inside container format 1):
#: value grids that stream format 1 did not know.
OUT_N1_V2 = Path(__file__).parent / "fixtures" / "n1_stream_v2"
#: joint multichannel n1 payloads (n1(joint=true), csrc/n1/n1_joint.h; container format 1).
OUT_N1_JOINT = Path(__file__).parent / "fixtures" / "n1_joint"
OUT_N1_V4 = Path(__file__).parent / "fixtures" / "n1_stream_v4"


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
    # Added 2026-12-01: n1:fast writes stream version 2 (segments, per-block predictor,
    # shift instead of escapes, rail table). The version-1 n1-fast files above stay.
    cases["mono_n1-fast-v2"] = (codes, "n1:fast")
    cases["noise_n1-fast-v2"] = (noise, "n1:fast")
    rng = np.random.RandomState(46)
    wide = np.clip(np.round(512 + rng.normal(0, 120, 6000)), 0, 1023).astype(np.int64)  # shifts
    clipped = np.clip(np.round(512 + 3000 * np.sin(np.arange(6000) / 300.0)), 0, 1023).astype(np.int64)
    # uneven ADC steps (the widths of n1_fast_w32 repeating every 32 codes): phase tables
    widths = [230, 173, 304, 325, 245, 236, 247, 368, 254, 178, 311, 395, 189, 243, 255, 286,
              234, 180, 314, 336, 251, 241, 252, 440, 189, 178, 310, 394, 185, 211, 145, 92]
    edges = np.cumsum([0] + [widths[k % 32] for k in range(1024)])
    level = edges[512] + 100 * np.cumsum(rng.normal(0, 1, 6000)) + rng.normal(0, 1500, 6000)
    phased = np.clip(np.searchsorted(edges, level, side="right") - 1, 0, 1023)
    for slug, grid in (("wide", wide), ("clipped", clipped), ("phased", phased)):
        num = grid * 65535 - 32768 * 1023  # the 10-bit ADC grid (truncating division)
        cases[f"{slug}_n1-fast-v2"] = ((np.sign(num) * (np.abs(num) // 1023)).astype(np.int16), "n1:fast")
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


def _oscillators(n, rng):
    """Three integer oscillators (exact rotations) plus noise, as in test_n1_golden.c."""
    k, amp = (8978, 22599, 2107), (3000, 2000, 1000)
    c, sn = [1 << 20] * 3, [0] * 3
    noise = rng.randint(-100, 101, n)
    out = np.empty(n, np.int16)
    for i in range(n):
        y = int(noise[i])
        for j in range(3):
            c[j] -= (sn[j] * k[j]) >> 16
            sn[j] += (c[j] * k[j]) >> 16
            y += (sn[j] * amp[j]) >> 20
        out[i] = max(-32768, min(32767, y))
    return out


def n1_stream_v2() -> None:
    """Frozen n1 format-2 streams (added 2026-12-01, issue 10)."""
    OUT_N1_V2.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(46)
    walk = np.cumsum(rng.normal(0, 3, 6000)) + 80 * np.sin(np.arange(6000) / 150)
    codes = np.clip(np.round(walk / 3), -512, 511)
    cases = {
        "plain_codes": codes.astype(np.int16),
        "uneven_lattice": np.trunc(codes * 24.37).astype(np.int16),
        "gcd_lattice": (codes * 6 + 2).astype(np.int16),
        "full_range": np.clip(np.round(walk * 300), -32768, 32767).astype(np.int16),
        "two_channels": np.stack([np.trunc(codes * 24.37), codes * 6 + 2], axis=1).astype(np.int16),
        "oscillators": _oscillators(20000, rng),  # the second stage
    }
    for name, samples in cases.items():
        for codec in ("n1", "n1:max"):
            slug = f"{name}_{codec.replace(':', '-')}"
            if (OUT_N1_V2 / f"{slug}.n1").exists():
                continue  # frozen: never rewritten
            (OUT_N1_V2 / f"{slug}.n1").write_bytes(n1codec.encode(samples, codec=codec, sample_rate=30000))
            np.save(OUT_N1_V2 / f"{slug}.npy", samples)


def n1_joint() -> None:
    """Frozen joint multichannel n1 payloads (added 2026-12-01, issue 11)."""
    OUT_N1_JOINT.mkdir(parents=True, exist_ok=True)
    cases = {
        "probe_8ch": synthetic.probe_like(seconds=0.1, seed=47, channels=8),
        "n1_like_3ch": synthetic.n1_like(seconds=0.1, seed=48, channels=3),
    }
    for name, samples in cases.items():
        for codec in ("n1(joint=true)", "n1(joint=true,level=max)", "n1(joint=true,level=fast)"):
            slug = f"{name}_{codec.split('level=')[-1].rstrip(')') if 'level=' in codec else 'default'}"
            if (OUT_N1_JOINT / f"{slug}.n1").exists():
                continue  # frozen: never rewritten
            (OUT_N1_JOINT / f"{slug}.n1").write_bytes(n1codec.encode(samples, codec=codec, sample_rate=30000))
            np.save(OUT_N1_JOINT / f"{slug}.npy", samples)


def mains_hum(n: int = 24000, seed: int = 49) -> np.ndarray:
    """30 kHz: 50 Hz mains and its odd harmonics over a noisy random walk (n1:max's
    third stage wins on it: format 4)."""
    rng = np.random.RandomState(seed)
    t = np.arange(n) / 30000.0
    hum = sum(400.0 / k * np.sin(2 * np.pi * 50 * k * t + k) for k in (1, 3, 5, 7, 9, 11))
    walk = np.cumsum(rng.normal(0, 2, n)) + rng.normal(0, 6, n)
    return np.clip(np.round(hum + walk), -32768, 32767).astype(np.int16)


def n1_stream_v4() -> None:
    """Frozen n1 format-4 streams: format 2 plus the third stage (added 2026-12-02, issue 10)."""
    OUT_N1_V4.mkdir(parents=True, exist_ok=True)
    for name, samples in {"mains_hum": mains_hum()}.items():
        slug = f"{name}_n1-max"
        if (OUT_N1_V4 / f"{slug}.n1").exists():
            continue  # frozen: never rewritten
        (OUT_N1_V4 / f"{slug}.n1").write_bytes(n1codec.encode(samples, codec="n1:max", sample_rate=30000))
        np.save(OUT_N1_V4 / f"{slug}.npy", samples)


if __name__ == "__main__":
    main()
    n1_stream_v2()
    n1_joint()
    n1_stream_v4()
