"""`n1codec analyze`: the statistics of the N1 study, reproducible, plus where the ratio goes.

Everything here needs numpy only; :mod:`n1codec.tools.report` draws the figures
(matplotlib) and writes the report. The definitions, chosen because they
reproduce the study's published figures on the dev split (see the report), are:

Amplitude statistics (global)
    Pooled over every sample of every file, on the raw int16 values as stored
    in the WAV files: mean, median, population standard deviation (ddof=0),
    skewness g1 = m3 / m2^1.5 and kurtosis m4 / m2^2 (Pearson's, 3 for a
    Gaussian; the excess kurtosis, 0 for a Gaussian, is reported beside it).
    The pooled moments are combined exactly from per-file central moments.

Spectral entropy (per file)
    Welch power spectral density (Hann window, 1024-sample segments, 50 %
    overlap, each segment's mean removed, one-sided, as scipy.signal.welch with
    nperseg=1024), normalised to sum to one over its 513 bins (DC to Nyquist),
    then Shannon entropy in bits: H = -sum p log2 p. Not divided by
    log2(513), so it lies in [0, 9.003].

Order-0 entropy
    The plug-in Shannon entropy in bits per sample of the empirical histogram
    of a sequence: of the raw int16 values, of the 10-bit ADC codes, and of the
    first differences of each.

Robust noise level
    1.4826 x median(|d - median(d)|) / sqrt(2) with d the first differences of
    the ADC codes (the median interpolated within integer bins), times the step:
    the standard deviation of the white (thermal) noise, robust to spikes and
    blind to the slow local field potential (for white noise of standard
    deviation s, differences have standard deviation s sqrt(2); 1.4826 turns a
    Gaussian's MAD into its standard deviation). The MAD-based spread of the
    raw signal (LFP included) is reported beside it.

Spikes (NEO)
    psi[n] = x[n]^2 - x[n-1] x[n+1] on the signal band-passed to 300-3000 Hz
    (zero-phase FFT filter, raised-cosine edges; --spike-band none: the raw
    signal minus its median), n = 1..N-2; samples with psi > C x mean(psi)
    (default C = 8) are supra-threshold; runs of them closer than the
    refractory period (default 1 ms) merge into one spike, placed at the
    run's largest psi. Spikes per second = spikes / duration.
"""
from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np

from .study import STUDY_FILES
from .synthetic import ADC_STEP, adc_codes_to_int16

SPECTRAL_NPERSEG = 1024
DEFAULT_NEO_C = 8.0
#: Threshold factors whose spike rates the report tabulates beside the chosen one.
NEO_C_GRID = (6.0, 8.0, 10.0, 12.0, 15.0, 20.0)
DEFAULT_REFRACTORY_MS = 1.0
#: The band the NEO sees (Hz): the usual spike band; None runs it on the raw signal.
DEFAULT_SPIKE_BAND = (300.0, 3000.0)
MAD_TO_SD = 1.482602218505602  # 1 / Phi^-1(3/4)
PREFERRED_CODECS = ("n1", "delta+huffman")


# ----------------------------------------------------------------------------- loading

@dataclass
class Recording:
    """One channel of one file, with the WAV bytes it came from (for the codec)."""

    name: str
    samples: np.ndarray  # 1-D int16
    sample_rate: int
    wav: Optional[bytes]  # the whole file, None for a channel other than the first of a multi-channel file


def _recordings_from_wav(name: str, data: bytes) -> List[Recording]:
    from ..wav import parse_wav
    wav = parse_wav(data, name=name)
    if wav.channels == 1:
        return [Recording(name, wav.samples[:, 0], wav.sample_rate, data)]
    return [Recording(f"{name}#ch{c}", np.ascontiguousarray(wav.samples[:, c]), wav.sample_rate,
                      data if c == 0 else None) for c in range(wav.channels)]


def count_inputs(data: Optional[str], limit: Optional[int] = None, synthetic_files: int = 8) -> int:
    return len(_dataset(data, limit, synthetic_files).files)


def _dataset(data: Optional[str], limit: Optional[int], synthetic_files: int):
    from .datasets import discover
    return discover(data, limit if limit else (synthetic_files if data is None else None))


def iter_recordings(data: Optional[str], limit: Optional[int] = None,
                    synthetic_files: int = 8) -> Iterator[Recording]:
    """Recordings from a folder of WAV files, a .zip of them (read in place), or the synthetic set."""
    for ref in _dataset(data, limit, synthetic_files).files:
        yield from _recordings_from_wav(ref.name, ref.read())


def describe_source(data: Optional[str]) -> str:
    if data is None:
        return "the embedded synthetic N1-like set (SYNTHETIC DATA, not recordings)"
    return str(data)


# ----------------------------------------------------------------------------- statistics

def central_moments(x: np.ndarray) -> Tuple[int, float, float, float, float]:
    """(n, mean, m2, m3, m4): the count, mean and population central moments of x."""
    x = np.asarray(x, dtype=np.float64).ravel()
    n = x.size
    if n == 0:
        return 0, float("nan"), float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    d = x - mean
    d2 = d * d
    return n, mean, float(d2.mean()), float((d2 * d).mean()), float((d2 * d2).mean())


def combine_moments(parts: np.ndarray, weights: Optional[np.ndarray] = None) -> np.ndarray:
    """Pool per-part (n, mean, m2, m3, m4) rows into the moments of the concatenation.

    `weights` (parts, or replicates x parts) repeat each part that many times, for
    resampling whole files; the result has one (n, mean, m2, m3, m4) row per replicate.
    Moments are re-centred on the pooled mean, so large offsets cost no precision.
    """
    parts = np.asarray(parts, dtype=np.float64)
    n, mu, m2, m3, m4 = parts.T
    w = np.ones((1, len(n))) if weights is None else np.atleast_2d(np.asarray(weights, dtype=np.float64))
    wn = w * n  # samples of each part in each replicate
    total = wn.sum(axis=1)
    mean = (wn @ mu) / total
    d = mu[None, :] - mean[:, None]  # each part's mean minus the pooled mean
    s2 = (wn * (m2 + d ** 2)).sum(axis=1) / total
    s3 = (wn * (m3 + 3 * d * m2 + d ** 3)).sum(axis=1) / total
    s4 = (wn * (m4 + 4 * d * m3 + 6 * d ** 2 * m2 + d ** 4)).sum(axis=1) / total
    return np.stack([total, mean, s2, s3, s4], axis=1)


def shape_statistics(m2: float, m3: float, m4: float) -> Tuple[float, float, float]:
    """(std, skewness g1, Pearson kurtosis) from population central moments."""
    m2 = np.asarray(m2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(m2), m3 / m2 ** 1.5, m4 / m2 ** 2


def skewness(x) -> float:
    """Population skewness g1 = m3 / m2^1.5 (0 for any symmetric distribution)."""
    _, _, m2, m3, m4 = central_moments(x)
    return float(shape_statistics(m2, m3, m4)[1])


def kurtosis(x, excess: bool = False) -> float:
    """Pearson's kurtosis m4 / m2^2 (3 for a Gaussian); minus 3 when excess=True."""
    _, _, m2, m3, m4 = central_moments(x)
    k = float(shape_statistics(m2, m3, m4)[2])
    return k - 3.0 if excess else k


def histogram_median(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Median of the multiset given as sorted values with counts (counts may be replicates x values).

    For an even total the mean of the two middle elements, as numpy.median.
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1]
    lo = np.array([np.searchsorted(c, (t - 1) // 2, side="right") for c, t in zip(cum, total)])
    hi = np.array([np.searchsorted(c, t // 2, side="right") for c, t in zip(cum, total)])
    return (values[lo] + values[hi]) / 2.0


def entropy_bits(counts: np.ndarray) -> float:
    """Shannon entropy in bits of a histogram (zero bins ignored)."""
    c = np.asarray(counts, dtype=np.float64)
    c = c[c > 0]
    if c.size == 0:
        return 0.0
    p = c / c.sum()
    return float(max(0.0, -(p * np.log2(p)).sum()))


def order0_entropy(x: np.ndarray) -> float:
    """Plug-in order-0 entropy in bits per symbol of an integer sequence."""
    x = np.asarray(x).ravel()
    if x.size == 0:
        return 0.0
    x = x.astype(np.int64)
    lo, hi = int(x.min()), int(x.max())
    if hi - lo < 1 << 22:
        return entropy_bits(np.bincount(x - lo))
    return entropy_bits(np.unique(x, return_counts=True)[1])


def welch_psd(x: np.ndarray, fs: float, nperseg: int = SPECTRAL_NPERSEG) -> Tuple[np.ndarray, np.ndarray]:
    """One-sided Welch PSD, as scipy.signal.welch(x, fs, nperseg=nperseg) computes it.

    Hann window (periodic), 50 % overlap, each segment's mean removed, density
    scaling, trailing samples that do not fill a segment ignored. A signal
    shorter than nperseg is one segment of its own length.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    nperseg = min(int(nperseg), x.size)
    if nperseg < 2:
        raise ValueError("a PSD needs at least 2 samples")
    step = nperseg - nperseg // 2
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(nperseg) / nperseg)
    frames = np.lib.stride_tricks.sliding_window_view(x, nperseg)[::step]
    frames = frames - frames.mean(axis=1, keepdims=True)
    spec = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    psd = spec.mean(axis=0) / (fs * (window ** 2).sum())
    if nperseg % 2:
        psd[1:] *= 2
    else:
        psd[1:-1] *= 2
    return np.fft.rfftfreq(nperseg, 1.0 / fs), psd


def spectral_entropy(x: np.ndarray, fs: float = 1.0, nperseg: int = SPECTRAL_NPERSEG,
                     normalize: bool = False) -> float:
    """Shannon entropy in bits of the normalised Welch PSD (see the module docstring)."""
    _, psd = welch_psd(x, fs, nperseg)
    h = entropy_bits(psd)
    return h / np.log2(psd.size) if normalize else h


def neo(x: np.ndarray) -> np.ndarray:
    """Teager-Kaiser non-linear energy operator psi[n] = x[n]^2 - x[n-1] x[n+1], n = 1..N-2."""
    x = np.asarray(x, dtype=np.float64)
    return x[1:-1] ** 2 - x[:-2] * x[2:]


def _merge_events(psi: np.ndarray, above: np.ndarray, gap: int) -> np.ndarray:
    """Group supra-threshold indices closer than `gap`; the index of each group's largest psi."""
    if above.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(above) > gap) + 1])
    group = np.repeat(np.arange(starts.size), np.diff(np.concatenate([starts, [above.size]])))
    order = np.lexsort((-psi[above], group))
    first = np.concatenate([[0], np.flatnonzero(np.diff(group[order])) + 1])
    return above[order[first]]


def bandpass(x: np.ndarray, sample_rate: float, low: float = 300.0, high: float = 3000.0,
             transition: float = 0.25) -> np.ndarray:
    """Zero-phase FFT band-pass: gain 1 from low to high, raised-cosine edges.

    Each edge rolls off over `transition` x its frequency (300 Hz: 225..300 Hz,
    3000 Hz: 3000..3750 Hz). The signal is mirrored at both ends before the
    transform so that the ends do not ring.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    n = x.size
    if n < 4:
        return x - x.mean() if n else x
    pad = min(n - 1, 2048)
    y = np.concatenate([x[pad:0:-1], x, x[-2:-pad - 2:-1]])
    nfft = 1 << int(np.ceil(np.log2(y.size)))
    f = np.fft.rfftfreq(nfft, 1.0 / sample_rate)
    gain = np.ones_like(f)
    if low > 0:
        lo0 = low * (1 - transition)
        gain[f <= lo0] = 0.0
        edge = (f > lo0) & (f < low)
        gain[edge] = 0.5 - 0.5 * np.cos(np.pi * (f[edge] - lo0) / (low - lo0))
    if high and high < sample_rate / 2:
        hi1 = high * (1 + transition)
        gain[f >= hi1] = 0.0
        edge = (f > high) & (f < hi1)
        gain[edge] = 0.5 + 0.5 * np.cos(np.pi * (f[edge] - high) / (hi1 - high))
    out = np.fft.irfft(np.fft.rfft(y - y.mean(), nfft) * gain, nfft)
    return out[pad:pad + n]


def spike_signal(x: np.ndarray, sample_rate: float, band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND):
    """The signal the NEO sees: band-passed, or (band=None) the raw signal minus its median."""
    x = np.asarray(x, dtype=np.float64).ravel()
    if band is None:
        return x - np.median(x) if x.size else x
    return bandpass(x, sample_rate, band[0], band[1])


def detect_spikes(x: np.ndarray, sample_rate: float, c: float = DEFAULT_NEO_C,
                  refractory_ms: float = DEFAULT_REFRACTORY_MS,
                  band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND) -> np.ndarray:
    """Sample indices of spikes found by thresholding the NEO at c x mean(psi).

    The NEO runs on the band-passed signal (band=None: on the raw signal minus
    its median; but the NEO of a + s is about a x (-second difference of s), so
    on raw data the slow LFP level gates the noise and detections pile up at
    its peaks and troughs). Supra-threshold samples whose gap to the previous
    one is at most the refractory period belong to the same spike; a spike is
    placed at its largest psi.
    """
    return spike_counts(x, sample_rate, (c,), refractory_ms, band)[1][0]


def spike_counts(x: np.ndarray, sample_rate: float, cs, refractory_ms: float = DEFAULT_REFRACTORY_MS,
                 band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND):
    """(mean psi, [spike indices for each threshold factor in cs]) with one NEO computation."""
    x = np.asarray(x, dtype=np.float64).ravel()
    empty = np.zeros(0, dtype=np.int64)
    if x.size < 3:
        return float("nan"), [empty for _ in cs]
    psi = neo(spike_signal(x, sample_rate, band))
    mean = float(psi.mean())
    gap = max(1, int(round(refractory_ms * 1e-3 * sample_rate)))
    out = []
    for c in cs:
        threshold = c * mean
        if not threshold > 0:
            out.append(empty)
            continue
        out.append(_merge_events(psi, np.flatnonzero(psi > threshold), gap) + 1)  # psi[k] is about x[k+1]
    return mean, out


@functools.lru_cache(maxsize=64)
def white_noise_false_alarms(c: float, sample_rate: float = 19531.0, seconds: float = 100.0,
                             refractory_ms: float = DEFAULT_REFRACTORY_MS,
                             band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND, seed: int = 0) -> float:
    """Spikes per second the detector finds in Gaussian white noise (no spikes at all)."""
    x = np.random.default_rng(seed).standard_normal(int(seconds * sample_rate))
    return detect_spikes(x, sample_rate, c, refractory_ms, band).size / seconds


N1_STEP = ADC_STEP


def n1_code_values(codes: np.ndarray) -> np.ndarray:
    """The int16 value of each 10-bit code 0..1023 in the N1 files, as int64 (see
    :func:`n1codec.tools.synthetic.adc_codes_to_int16`). Measured: every distinct value
    of the 497 dev files is such a value."""
    return adc_codes_to_int16(np.asarray(codes, dtype=np.float64)).astype(np.int64)


@dataclass
class AdcMapping:
    """How a file's distinct values sit on a regular grid value ~ offset + step x code."""

    distinct: int
    step: float
    offset: float
    code_min: int
    code_max: int
    max_residual: float
    regular: bool
    n1_exact: bool  # every value is n1_code_values(code) for a code in 0..1023

    @property
    def span(self) -> int:
        return self.code_max - self.code_min + 1


def detect_adc_mapping(values: np.ndarray) -> AdcMapping:
    """Fit the distinct values of a file to a grid; codes count from the bottom of int16 (-32768).

    The N1 mapping (n1_code_values) is tried first; otherwise a least-squares grid is fitted
    to the distinct values, its step first estimated from the median gap between neighbours.
    """
    u = np.unique(np.asarray(values).ravel()).astype(np.int64)
    n = u.size
    if n == 0:
        return AdcMapping(0, 1.0, 0.0, 0, 0, 0.0, True, False)
    codes = np.round((u + 32768) / N1_STEP).astype(np.int64)
    if codes.min() >= 0 and codes.max() <= 1023 and np.array_equal(n1_code_values(codes), u):
        residual = float(np.abs(u - (-32768.0 + N1_STEP * codes)).max())
        return AdcMapping(n, N1_STEP, -32768.0, int(codes.min()), int(codes.max()), residual, True, True)
    if n == 1:
        return AdcMapping(1, 1.0, -32768.0, int(u[0]) + 32768, int(u[0]) + 32768, 0.0, True, False)
    uf = u.astype(np.float64)
    d = np.diff(uf)
    s0 = float(np.median(d[d < 1.5 * d.min()]))
    k = np.round((uf - uf[0]) / s0)
    step, intercept = s0, float(uf[0])
    if k[-1] > 0 and n >= 3:
        for _ in range(2):
            step, intercept = np.polyfit(k, uf, 1)
            k = np.round((uf - uf[0]) / step)
    residual = float(np.abs(uf - (intercept + step * k)).max())
    if step <= 1.0:
        step, residual = 1.0, 0.0
    base = int(np.round((intercept + 32768.0) / step))  # the code of the smallest value
    offset = float(intercept - step * base)
    codes = k.astype(np.int64) + base
    return AdcMapping(n, float(step), offset, int(codes.min()), int(codes.max()), residual,
                      residual <= 0.25 * step, False)


def to_codes(x: np.ndarray, mapping: AdcMapping) -> np.ndarray:
    """The ADC codes of samples under a detected mapping (the samples themselves if it is not regular)."""
    if not mapping.regular or mapping.step <= 1.0:
        return np.asarray(x, dtype=np.int64)
    return np.round((np.asarray(x, dtype=np.float64) - mapping.offset) / mapping.step).astype(np.int64)


# ----------------------------------------------------------------------------- per file

PER_FILE_COLUMNS = (
    "name", "sample_rate", "samples", "duration_s", "mean", "median", "std", "skewness", "kurtosis",
    "min", "max", "distinct_values", "adc_step", "adc_offset", "adc_code_min", "adc_code_max",
    "adc_code_span", "adc_regular", "adc_n1_exact", "noise_sd", "noise_sd_codes", "spread_mad",
    "h0_raw", "h0_codes", "h0_diff_raw", "h0_diff_codes", "spectral_entropy",
    "spectral_entropy_normalised", "spikes", "spikes_per_s", "codec", "wav_bytes", "n1_bytes",
    "payload_bytes", "bits_per_sample", "payload_bits_per_sample", "ratio",
)


@dataclass
class FileStats:
    row: Dict[str, object]
    moments: Tuple[int, float, float, float, float]
    values: np.ndarray  # distinct int16 values
    counts: np.ndarray  # their counts
    psd: np.ndarray
    spikes: np.ndarray  # sample indices
    candidates: Dict[str, float] = field(default_factory=dict)  # spectral entropy under other definitions
    rates_by_c: Dict[float, float] = field(default_factory=dict)  # spikes per second at each NEO factor


def _int_histogram(x: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, counts) of an integer array, by bincount (faster than unique)."""
    x = np.asarray(x).ravel()
    if x.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo = int(x.min())
    hist = np.bincount(x.astype(np.intp) - lo)
    nz = np.flatnonzero(hist)
    return nz.astype(np.int64) + lo, hist[nz]


def _hist_median(values: np.ndarray, counts: np.ndarray) -> float:
    return float(histogram_median(values.astype(np.float64), counts)[0]) if values.size else float("nan")


def grouped_median_abs(values: np.ndarray, counts: np.ndarray) -> float:
    """Median of |v| for integer-valued data, interpolated within unit-wide groups.

    Each integer k != 0 of |v| stands for the interval [k - 1/2, k + 1/2) and 0
    for [0, 1/2), its samples spread evenly over it (the textbook median of
    grouped data). Unlike the plain median, this moves smoothly with the spread
    of coarsely quantised data, where the plain MAD jumps between integers.
    """
    a = np.abs(np.asarray(values, dtype=np.int64))
    c = np.asarray(counts, dtype=np.float64)
    if a.size == 0 or c.sum() == 0:
        return float("nan")
    hist = np.bincount(a, weights=c)
    lower = np.maximum(np.arange(hist.size) - 0.5, 0.0)
    width = np.where(np.arange(hist.size) == 0, 0.5, 1.0)
    half = c.sum() / 2.0
    cum = np.cumsum(hist)
    j = int(np.searchsorted(cum, half, side="left"))
    before = cum[j - 1] if j else 0.0
    return float(lower[j] + (half - before) / hist[j] * width[j])


def robust_noise_sd(x: np.ndarray) -> float:
    """1.4826 x MAD of the first differences / sqrt(2): the white-noise SD of integer samples.

    The MAD is the grouped (interpolated) one, so it moves smoothly even when
    the differences take only a few integer values (ADC codes a few apart).
    """
    x = np.asarray(x)
    if x.size < 2:
        return float("nan")
    v, c = _int_histogram(np.diff(x.astype(np.int64)))
    centre = int(round(_hist_median(v, c)))
    return MAD_TO_SD * grouped_median_abs(v - centre, c) / np.sqrt(2.0)


def analyze_recording(rec: Recording, codec=None, neo_c: float = DEFAULT_NEO_C,
                      refractory_ms: float = DEFAULT_REFRACTORY_MS, candidates: bool = True,
                      band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND) -> FileStats:
    """Every per-file statistic of one recording (one channel), and the codec's size on its file."""
    x = np.asarray(rec.samples).ravel()
    fs = float(rec.sample_rate) or 1.0
    n = int(x.size)
    moments = central_moments(x)
    std, skew, kurt = shape_statistics(*moments[2:])
    values, counts = _int_histogram(x)
    median = _hist_median(values, counts)
    mapping = detect_adc_mapping(values)
    codes = to_codes(x, mapping)
    dx = np.diff(x.astype(np.int32))
    unit = mapping.step if (mapping.regular and mapping.step > 1.0) else 1.0  # int16 units per code
    noise = robust_noise_sd(codes) * unit
    dev = np.abs(values - median)
    order = np.argsort(dev, kind="stable")
    spread = MAD_TO_SD * _hist_median(dev[order], counts[order])
    if n >= 2:
        _, psd = welch_psd(x, fs, SPECTRAL_NPERSEG)
        se = entropy_bits(psd)
        se_norm = se / np.log2(psd.size) if psd.size > 1 else float("nan")
    else:
        psd, se, se_norm = np.zeros(0), float("nan"), float("nan")
    grid = tuple(sorted(set(NEO_C_GRID) | {float(neo_c)}))
    _, found = spike_counts(x, fs, grid, refractory_ms, band)
    spikes = found[grid.index(float(neo_c))]
    duration = n / fs
    row: Dict[str, object] = {
        "name": rec.name, "sample_rate": rec.sample_rate, "samples": n, "duration_s": duration,
        "mean": moments[1], "median": median, "std": float(std),
        "skewness": float(skew), "kurtosis": float(kurt),
        "min": int(x.min()) if n else 0, "max": int(x.max()) if n else 0,
        "distinct_values": int(values.size), "adc_step": mapping.step, "adc_offset": mapping.offset,
        "adc_code_min": mapping.code_min, "adc_code_max": mapping.code_max, "adc_code_span": mapping.span,
        "adc_regular": mapping.regular, "adc_n1_exact": mapping.n1_exact,
        "noise_sd": noise, "noise_sd_codes": noise / unit,
        "spread_mad": spread,
        "h0_raw": entropy_bits(counts), "h0_codes": order0_entropy(codes),
        "h0_diff_raw": order0_entropy(dx), "h0_diff_codes": order0_entropy(np.diff(codes)),
        "spectral_entropy": se, "spectral_entropy_normalised": se_norm,
        "spikes": int(spikes.size), "spikes_per_s": spikes.size / duration if duration else float("nan"),
    }
    row.update(_codec_columns(rec, codec))
    cand: Dict[str, float] = {}
    if candidates and n >= 4096:
        for nper in (256, 512, 2048):
            _, p = welch_psd(x, fs, nper)
            cand[f"welch{nper}_bits"] = entropy_bits(p)
            cand[f"welch{nper}_bits_normalised"] = entropy_bits(p) / np.log2(p.size)
        cand["welch1024_bits"] = se
        cand["welch1024_nats"] = se * np.log(2)
        cand["welch1024_bits_normalised"] = se_norm
    rates = {c: f.size / duration if duration else float("nan") for c, f in zip(grid, found)}
    return FileStats(row, moments, values, counts, psd, spikes, cand, rates)


def _codec_columns(rec: Recording, codec) -> Dict[str, object]:
    out: Dict[str, object] = {"codec": "", "wav_bytes": len(rec.wav) if rec.wav else 0, "n1_bytes": 0,
                              "payload_bytes": 0, "bits_per_sample": float("nan"),
                              "payload_bits_per_sample": float("nan"), "ratio": float("nan")}
    if codec is None or rec.wav is None:
        return out
    from .. import container
    from ..api import encode_wav_bytes
    blob = encode_wav_bytes(rec.wav, codec=codec, name=rec.name)
    header = container.unpack_header(blob)
    samples = max(1, header.samples)
    out.update(codec=codec.spec, n1_bytes=len(blob), payload_bytes=header.payload_size,
               bits_per_sample=8 * len(blob) / samples, payload_bits_per_sample=8 * header.payload_size / samples,
               ratio=len(rec.wav) / len(blob))
    return out


def choose_codec(spec: Optional[str]):
    """The codec to measure: the one named, else the best registered one available."""
    from ..api import get_codec
    from ..errors import N1CodecError
    if spec and spec.strip().lower() == "none":
        return None
    if spec:
        return get_codec(spec)
    for candidate in PREFERRED_CODECS:
        try:
            return get_codec(candidate)
        except N1CodecError:
            continue
    return None


# ----------------------------------------------------------------------------- the whole set

@dataclass
class Analysis:
    source: str
    files: List[FileStats]
    codec: Optional[str]
    neo_c: float
    refractory_ms: float
    seconds: float = 0.0
    data: Optional[str] = None  # the folder or .zip analysed, None for the synthetic set
    synthetic_files: int = 8
    band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND

    @property
    def rows(self) -> List[Dict[str, object]]:
        return [f.row for f in self.files]

    def column(self, key: str) -> np.ndarray:
        return np.array([f.row[key] for f in self.files], dtype=np.float64)

    def pooled_moments(self, weights=None) -> np.ndarray:
        return combine_moments(np.array([f.moments for f in self.files]), weights)

    def pooled_histogram(self) -> Tuple[np.ndarray, np.ndarray]:
        """(values, file x value counts) over the union of every file's values."""
        values = np.unique(np.concatenate([f.values for f in self.files]))
        table = np.zeros((len(self.files), values.size), dtype=np.float64)
        for i, f in enumerate(self.files):
            table[i, np.searchsorted(values, f.values)] = f.counts
        return values, table

    def global_statistics(self) -> Dict[str, float]:
        n, mean, m2, m3, m4 = self.pooled_moments()[0]
        std, skew, kurt = shape_statistics(m2, m3, m4)
        values, table = self.pooled_histogram()
        median = float(histogram_median(values, table.sum(axis=0))[0])
        se = self.column("spectral_entropy")
        return {
            "files": float(len(self.files)), "samples": n, "mean": mean, "median": median,
            "std": float(std), "skewness": float(skew), "kurtosis": float(kurt),
            "excess_kurtosis": float(kurt) - 3.0,
            "spectral_entropy_mean": float(np.nanmean(se)), "spectral_entropy_std": float(np.nanstd(se)),
        }

    def moment_contributions(self) -> Tuple[np.ndarray, np.ndarray]:
        """Each file's share of the pooled skewness and of the pooled kurtosis (they sum to them)."""
        parts = np.array([f.moments for f in self.files], dtype=np.float64)
        total, mean, m2, _, _ = self.pooled_moments()[0]
        n, mu, p2, p3, p4 = parts.T
        d = mu - mean
        s3 = n * (p3 + 3 * d * p2 + d ** 3) / total
        s4 = n * (p4 + 4 * d * p3 + 6 * d ** 2 * p2 + d ** 4) / total
        return s3 / m2 ** 1.5, s4 / m2 ** 2

    def per_file_averages(self) -> Dict[str, float]:
        return {k: float(np.nanmean(self.column(k))) for k in ("mean", "median", "std", "skewness", "kurtosis")}

    def predictive_intervals(self, total_files: int = STUDY_FILES, replicates: int = 2000,
                             seed: int = 0) -> Dict[str, np.ndarray]:
        """Full-set statistics if the files not seen were drawn like these: the files here plus
        total_files - len(files) of them resampled with replacement, `replicates` times.

        Returns replicate arrays per statistic (only meaningful when total_files > len(files)).
        """
        k = len(self.files)
        extra = max(0, total_files - k)
        rng = np.random.default_rng(seed)
        weights = 1.0 + rng.multinomial(extra, np.full(k, 1.0 / k), size=replicates)
        pooled = self.pooled_moments(weights)
        std, skew, kurt = shape_statistics(pooled[:, 2], pooled[:, 3], pooled[:, 4])
        values, table = self.pooled_histogram()
        median = histogram_median(values, weights @ table)
        out = {"mean": pooled[:, 1], "median": median, "std": std, "skewness": skew,
               "kurtosis": kurt, "excess_kurtosis": kurt - 3.0}
        per = np.array([[f.row[c] for c in ("mean", "median", "std", "skewness", "kurtosis")]
                        for f in self.files], dtype=np.float64)
        wsum = weights.sum(axis=1, keepdims=True)
        per_avg = (weights @ per) / wsum
        for j, c in enumerate(("mean", "median", "std", "skewness", "kurtosis")):
            out[f"per_file_{c}"] = per_avg[:, j]
        names = sorted(self.files[0].candidates) if self.files and self.files[0].candidates else []
        for name in names:
            v = np.array([f.candidates.get(name, np.nan) for f in self.files])
            m = (weights @ v) / wsum[:, 0]
            var = (weights @ v ** 2) / wsum[:, 0] - m ** 2
            out[f"se_{name}_mean"] = m
            out[f"se_{name}_std"] = np.sqrt(np.maximum(var, 0))
        return out


class _Progress:
    """tqdm when it is installed, else a one-line counter on stderr (nothing when not a terminal)."""

    def __init__(self, total: int, desc: str, enabled: bool = True):
        self.bar = None
        self.total, self.desc, self.count = total, desc, 0
        self.enabled = enabled
        if not enabled:
            return
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=desc, unit="file", file=sys.stderr, leave=False)
        except ImportError:
            self.tty = sys.stderr.isatty()

    def update(self) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.enabled and self.tty:
            print(f"\r{self.desc}: {self.count}/{self.total} files", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled and self.tty:
            print(file=sys.stderr)


def analyze(data: Optional[str] = None, codec: Optional[str] = None, neo_c: float = DEFAULT_NEO_C,
            refractory_ms: float = DEFAULT_REFRACTORY_MS, limit: Optional[int] = None,
            progress: bool = False, synthetic_files: int = 8,
            band: Optional[Tuple[float, float]] = DEFAULT_SPIKE_BAND) -> Analysis:
    """Analyse every recording of a folder, a .zip, or (data=None) the embedded synthetic set."""
    if neo_c <= 0:
        from ..errors import InvalidInputError
        raise InvalidInputError(f"the NEO threshold factor C must be > 0, got {neo_c}")
    chosen = choose_codec(codec)
    total = count_inputs(data, limit, synthetic_files)
    bar = _Progress(total, "analyze", progress)
    start = time.perf_counter()
    files = []
    try:
        for rec in iter_recordings(data, limit, synthetic_files):
            files.append(analyze_recording(rec, chosen, neo_c, refractory_ms, band=band))
            if rec.wav is not None:
                bar.update()
    finally:
        bar.close()
    return Analysis(describe_source(data), files, chosen.spec if chosen is not None else None,
                    neo_c, refractory_ms, time.perf_counter() - start, data, synthetic_files, band)
