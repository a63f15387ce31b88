"""Deterministic synthetic N1-like recordings: the embedded default data set.

SYNTHETIC DATA, not recordings. The generator mimics what matters to a codec in
real N1 data: 10-bit ADC codes stretched onto the 16-bit range (about 64.06
apart), a slowly drifting local field potential with a 1/f spectrum, white
thermal noise of a few codes, and sparse biphasic spikes from a few units.
The same seed gives the same samples on every machine and numpy version (the
legacy RandomState stream is frozen by numpy's compatibility policy).
"""
from __future__ import annotations

from typing import Iterator, Tuple

import numpy as np

N1_SAMPLE_RATE = 19531
ADC_BITS = 10
#: The stretch of the 10-bit codes onto int16 in the real recordings.
ADC_STEP = 65535 / 1023


def adc_codes_to_int16(codes: np.ndarray) -> np.ndarray:
    """Map 10-bit ADC codes 0..1023 onto int16 the way the N1 files store them:
    code x 65535/1023 - 32768, truncated toward zero (measured on every dev file)."""
    return np.trunc(codes * ADC_STEP - 32768).astype(np.int16)


def _pink_noise(rng: np.random.RandomState, n: int, exponent: float) -> np.ndarray:
    """Noise with a 1/f^exponent power spectrum, unit standard deviation."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 1 else 1.0
    shaped = np.fft.irfft(spectrum / freqs ** (exponent / 2), n)
    std = shaped.std()
    return shaped / std if std > 0 else shaped


def _spike_template(rng: np.random.RandomState, rate: int) -> np.ndarray:
    """A biphasic extracellular spike shape about 1.5 ms long (peak -1)."""
    t = np.arange(int(0.0015 * rate)) / rate
    trough, width = 0.0003 + 0.0001 * rng.rand(), 0.00012 + 0.00005 * rng.rand()
    shape = -np.exp(-((t - trough) / width) ** 2) + 0.35 * np.exp(-((t - trough - 0.0004) / (2.5 * width)) ** 2)
    return shape / np.abs(shape).max()


def n1_like(seconds: float = 5.0, seed: int = 0, channels: int = 1,
            sample_rate: int = N1_SAMPLE_RATE) -> np.ndarray:
    """A synthetic N1-like recording: int16, 1-D for one channel, else frames x channels."""
    if seconds < 0 or channels < 1 or sample_rate < 1:
        raise ValueError("seconds must be >= 0, channels and sample_rate >= 1")
    n = int(round(seconds * sample_rate))
    out = np.empty((n, channels), dtype=np.int16)
    for c in range(channels):
        rng = np.random.RandomState((seed * 7919 + c) % (2 ** 32))
        noise_codes = 3.0 + 4.0 * rng.rand()             # thermal noise, in ADC codes
        lfp_codes = 20.0 + 60.0 * rng.rand()             # local field potential amplitude
        signal = 512.0 + 10.0 * rng.randn()
        if n:
            signal = signal + lfp_codes * _pink_noise(rng, n, 1.6)
            signal += 5.0 * np.sin(2 * np.pi * 0.2 * np.arange(n) / sample_rate + rng.rand() * 6.28)
            signal += noise_codes * rng.standard_normal(n)
            for _unit in range(rng.randint(1, 4)):
                template = _spike_template(rng, sample_rate)
                amplitude = 30.0 + 120.0 * rng.rand()
                rate_hz = 2.0 + 18.0 * rng.rand()
                times = np.flatnonzero(rng.rand(n) < rate_hz / sample_rate)
                for t0 in times[times + len(template) < n]:
                    signal[t0:t0 + len(template)] += amplitude * template
        codes = np.clip(np.round(signal), 0, 2 ** ADC_BITS - 1)
        out[:, c] = adc_codes_to_int16(codes)
    return out[:, 0].copy() if channels == 1 else out


def dataset(files: int = 8, seconds: float = 5.0, seed: int = 0) -> Iterator[Tuple[str, np.ndarray]]:
    """The embedded default data set: (name, mono int16 samples) for `files` recordings."""
    for i in range(files):
        yield f"synthetic-{seed:03d}-{i:03d}", n1_like(seconds=seconds, seed=seed * 1000 + i)


def wav_bytes(samples: np.ndarray, sample_rate: int = N1_SAMPLE_RATE) -> bytes:
    """A canonical 16-bit PCM WAV file of the samples."""
    from ..wav import canonical_header, samples_to_bytes
    two_d = samples.reshape(len(samples), -1)
    return canonical_header(sample_rate, two_d.shape[1], two_d.shape[0]) + samples_to_bytes(two_d)
