"""The `n1codec analyze` report: CSVs, PNG figures (matplotlib) and a Markdown page tying them together.

The CSVs and the Markdown need numpy only; the figures need the ``analysis``
extra (``pip install "n1codec[analysis]"``). Every number in the report comes
from :mod:`n1codec.tools.analysis`; the text states how each was computed.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import analysis as A
from .study import STUDY_FILES, STUDY_STATISTICS

FIGURES = {
    "traces": "fig_traces.png",
    "amplitude": "fig_amplitude_hist.png",
    "spectrogram": "fig_spectrogram.png",
    "psd": "fig_psd.png",
    "entropy_hist": "fig_spectral_entropy_hist.png",
    "entropy_bits": "fig_entropy_vs_bits.png",
    "budget": "fig_ratio_budget.png",
    "spike_rates": "fig_spike_rates.png",
}


def plotting_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


# ----------------------------------------------------------------------------- CSV

def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return "" if math.isnan(v) else f"{float(v):.6g}"
    return str(v)


def write_per_file_csv(result: A.Analysis, path: Path) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(A.PER_FILE_COLUMNS)
        for row in result.rows:
            w.writerow([_fmt(row.get(k, "")) for k in A.PER_FILE_COLUMNS])


def global_rows(result: A.Analysis) -> List[Tuple[str, object, str]]:
    """(key, value, definition) rows of global.csv."""
    g = result.global_statistics()
    per = result.per_file_averages()
    rows: List[Tuple[str, object, str]] = [
        ("source", result.source, "the data analysed"),
        ("files", len(result.files), "recordings (channels) analysed"),
        ("samples", int(g["samples"]), "samples over all files"),
        ("duration_s", float(result.column("duration_s").sum()), "total recording time"),
        ("mean", g["mean"], "pooled over all samples, raw int16 values"),
        ("median", g["median"], "pooled over all samples, raw int16 values"),
        ("std", g["std"], "pooled, population standard deviation (ddof=0)"),
        ("skewness", g["skewness"], "pooled, g1 = m3 / m2^1.5"),
        ("kurtosis", g["kurtosis"], "pooled, Pearson m4 / m2^2 (Gaussian: 3)"),
        ("excess_kurtosis", g["excess_kurtosis"], "pooled, m4 / m2^2 - 3 (Gaussian: 0)"),
    ]
    for k, v in per.items():
        rows.append((f"per_file_average_{k}", v, f"mean over files of each file's {k} (not the study's definition)"))
    rows += [
        ("spectral_entropy_mean", g["spectral_entropy_mean"],
         "mean over files; Welch PSD (Hann, nperseg 1024, 50% overlap) normalised to 1, Shannon entropy in bits"),
        ("spectral_entropy_std", g["spectral_entropy_std"], "standard deviation over files (ddof=0)"),
    ]
    codec = result.codec or ""
    if codec:
        wav = result.column("wav_bytes").sum()
        n1 = result.column("n1_bytes").sum()
        rows += [
            ("codec", codec, "codec whose achieved size is measured"),
            ("ratio", wav / n1 if n1 else float("nan"), "sum of WAV bytes / sum of .n1 bytes"),
            ("bits_per_sample", 8 * n1 / g["samples"], "whole .n1 files, headers included"),
            ("payload_bits_per_sample", 8 * result.column("payload_bytes").sum() / g["samples"],
             "payload only (no .n1 header)"),
        ]
    w = result.column("samples")
    for key, what in (("h0_raw", "raw int16 values"), ("h0_codes", "10-bit ADC codes"),
                      ("h0_diff_raw", "first differences of raw values"),
                      ("h0_diff_codes", "first differences of ADC codes")):
        rows.append((f"{key}_weighted_mean", float(np.average(result.column(key), weights=w)),
                     f"order-0 entropy of {what}, bits/sample, per file, averaged weighted by samples"))
    rows += [
        ("noise_sd_median", float(np.nanmedian(result.column("noise_sd"))),
         "median over files of 1.4826 x MAD(first differences) / sqrt(2), int16 units"),
        ("noise_sd_codes_median", float(np.nanmedian(result.column("noise_sd_codes"))), "the same in ADC codes"),
        ("neo_c", result.neo_c, "spike threshold = C x mean(psi)"),
        ("refractory_ms", result.refractory_ms, "crossings closer than this merge into one spike"),
        ("spikes_per_s_median", float(np.nanmedian(result.column("spikes_per_s"))), "median over files"),
        ("spikes_per_s_mean", float(np.nanmean(result.column("spikes_per_s"))), "mean over files"),
        ("spike_band_hz", "none" if result.band is None else f"{result.band[0]:g}-{result.band[1]:g}",
         "band the NEO runs on (none: raw signal minus its median)"),
        ("white_noise_false_alarms_per_s",
         A.white_noise_false_alarms(result.neo_c, refractory_ms=result.refractory_ms, band=result.band),
         "spikes/s the detector finds in 100 s of Gaussian white noise at 19531 Hz"),
    ]
    codes = _codes_seen(result)
    if codes is not None:
        rows += [("adc_codes_seen", int(codes.size), "distinct N1 ADC codes over all files"),
                 ("adc_codes_missing", " ".join(str(c) for c in _missing_codes(codes)),
                  "codes between the lowest and highest seen that no file uses")]
    rows.append(("seconds", result.seconds, "time the analysis took"))
    return rows


def write_global_csv(result: A.Analysis, path: Path, rows=None) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["statistic", "value", "definition"])
        for key, value, definition in rows if rows is not None else global_rows(result):
            w.writerow([key, _fmt(value), definition])


def _codes_seen(result: A.Analysis) -> Optional[np.ndarray]:
    if not result.files or not all(f.row["adc_n1_exact"] for f in result.files):
        return None
    values = np.unique(np.concatenate([f.values for f in result.files]))
    return np.round((values + 32768) / A.N1_STEP).astype(np.int64)


def _missing_codes(codes: np.ndarray) -> np.ndarray:
    full = np.arange(codes.min(), codes.max() + 1)
    return np.setdiff1d(full, codes)


# ----------------------------------------------------------------------------- figures

def _pick_examples(result: A.Analysis, k: int = 3) -> List[int]:
    """Files at the 10th, 50th and 90th percentile of spike rate (distinct when possible)."""
    rates = result.column("spikes_per_s")
    order = np.argsort(rates, kind="stable")
    picks = []
    for q in np.linspace(0.1, 0.9, k):
        i = int(order[min(len(order) - 1, int(round(q * (len(order) - 1))))])
        if i not in picks:
            picks.append(i)
    return picks


def _short(name: str, n: int = 18) -> str:
    return name if len(name) <= n else name[:n - 1] + "\u2026"


def _load_samples(result: A.Analysis, indices: Sequence[int]) -> Dict[int, np.ndarray]:
    """The samples of a few files again (the analysis keeps only statistics)."""
    wanted = {result.files[i].row["name"]: i for i in indices}
    out: Dict[int, np.ndarray] = {}
    for rec in A.iter_recordings(result.data, synthetic_files=result.synthetic_files):
        if rec.name in wanted:
            out[wanted[rec.name]] = rec.samples
            if len(out) == len(wanted):
                break
    return out


def make_figures(result: A.Analysis, out: Path) -> Dict[str, str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 110, "axes.grid": True, "grid.alpha": 0.3,
                         "axes.spines.top": False, "axes.spines.right": False, "font.size": 9})
    made: Dict[str, str] = {}
    examples = _pick_examples(result)
    samples = _load_samples(result, examples)

    def save(fig, key):
        fig.savefig(out / FIGURES[key], bbox_inches="tight")
        plt.close(fig)
        made[key] = FIGURES[key]

    # 1. example traces: raw, the band the NEO sees with the spikes found, and the NEO against its threshold
    n_ex = len(examples)
    fig = plt.figure(figsize=(10, 4.4 * n_ex + 0.5), layout="constrained")
    subfigs = np.atleast_1d(fig.subfigures(n_ex, 1, hspace=0.04))
    win_s = 0.1
    band_label = "raw - median" if result.band is None else f"{result.band[0]:g}-{result.band[1]:g} Hz"
    for j, i in enumerate(examples):
        ax_raw, ax_bp, ax_psi = subfigs[j].subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1.4, 1]})
        f = result.files[i]
        x = samples[i].astype(np.float64)
        fs = float(f.row["sample_rate"])
        win = int(min(x.size, round(win_s * fs)))
        if f.spikes.size:  # the window holding the most spikes
            counts = np.searchsorted(f.spikes, f.spikes + win) - np.arange(f.spikes.size)
            start = int(max(0, min(x.size - win, f.spikes[int(np.argmax(counts))] - win // 10)))
        else:
            start = 0
        sl = slice(start, start + win)
        t = np.arange(start, start + win) / fs * 1e3
        y = A.spike_signal(x, fs, result.band)
        psi = np.concatenate([[0.0], A.neo(y), [0.0]])
        mean_psi = float(psi[1:-1].mean()) or 1.0
        sp = f.spikes[(f.spikes >= start) & (f.spikes < start + win)]
        ax_raw.plot(t, x[sl], lw=0.7, color="0.3")
        ax_raw.set_ylabel("raw\n(int16)")
        subfigs[j].suptitle(f"{['10th', '50th', '90th'][j] if n_ex == 3 else ''} percentile: "
                            f"{_short(f.row['name'], 24)}  {f.row['spikes_per_s']:.0f} spikes/s over the file, "
                            f"noise SD {f.row['noise_sd_codes']:.1f} codes; {sp.size} spikes in these "
                            f"{win_s * 1e3:.0f} ms", fontsize=9, x=0.01, ha="left")
        ax_bp.plot(t, y[sl], lw=0.7, color="tab:blue")
        ax_bp.plot(sp / fs * 1e3, y[sp], "o", mfc="none", mec="tab:red", ms=7, mew=1.2, label="detected spike")
        ax_bp.set_ylabel(f"{band_label}\n(int16)")
        ax_psi.plot(t, psi[sl] / mean_psi, lw=0.7, color="tab:purple")
        ax_psi.axhline(result.neo_c, color="tab:red", ls="--", lw=0.9, label=f"threshold C = {result.neo_c:g}")
        top = max(2.0 * result.neo_c, float(np.max(psi[sl] / mean_psi)) * 1.05)
        ax_psi.set_ylim(-0.3 * result.neo_c, top)
        ax_psi.set_ylabel("psi / mean(psi)")
        ax_raw.set_xlim(t[0], t[-1])
        ax_psi.set_xlabel("time in the file (ms)")
        if j == 0:
            ax_bp.legend(loc="upper right", fontsize=7, framealpha=0.8)
            ax_psi.legend(loc="upper right", fontsize=7, framealpha=0.8)
    fig.suptitle("Example files (by spike rate): raw trace; the band the NEO sees, with the spikes found; "
                 "psi[n] = y[n]$^2$ - y[n-1]y[n+1] over its mean", fontsize=10, x=0.01, ha="left")
    save(fig, "traces")

    # 2. amplitude histogram, log scale
    values, table = result.pooled_histogram()
    counts = table.sum(axis=0)
    g = result.global_statistics()
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.semilogy(values, counts, drawstyle="steps-mid", lw=0.8, color="tab:blue", label="all samples (pooled)")
    step = float(np.median(np.diff(values))) if values.size > 1 else 1.0
    xs = np.linspace(values.min(), values.max(), 2000)
    gauss = counts.sum() * step / (g["std"] * np.sqrt(2 * np.pi)) * np.exp(-0.5 * ((xs - g["mean"]) / g["std"]) ** 2)
    ax.semilogy(xs, gauss, "--", color="tab:orange", lw=1, label="Gaussian, same mean and SD")
    ax.set_ylim(0.5, counts.max() * 3)
    ax.set_xlabel("sample value (int16)")
    ax.set_ylabel("samples per value")
    ax.set_title(f"Amplitude distribution: mean {g['mean']:.1f}, median {g['median']:g}, SD {g['std']:.1f}, "
                 f"skewness {g['skewness']:.3f}, kurtosis {g['kurtosis']:.1f}", fontsize=9, loc="left")
    ax.legend(fontsize=8)
    save(fig, "amplitude")

    # 3. spectrogram of the median example
    mid = examples[len(examples) // 2]
    f = result.files[mid]
    x = samples[mid].astype(np.float64)
    fs = float(f.row["sample_rate"])
    nper, hop, smooth = 1024, 256, 4  # each column: 4 overlapping Hann segments averaged (~100 ms)
    frames = np.lib.stride_tricks.sliding_window_view(x, nper)[::hop]
    frames = frames - frames.mean(axis=1, keepdims=True)
    window = np.hanning(nper)
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2 / (fs * (window ** 2).sum())
    power[:, 1:] *= 2
    cols = power.shape[0] // smooth
    power = power[:cols * smooth].reshape(cols, smooth, -1).mean(axis=1)
    freqs = np.fft.rfftfreq(nper, 1 / fs)
    times = (np.arange(cols) * hop * smooth + (nper + hop * (smooth - 1)) / 2) / fs
    db = 10 * np.log10(power.T[1:] + 1e-12)
    fig, (ax0, ax) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True, gridspec_kw={"height_ratios": [1, 3]})
    ax0.plot(np.arange(x.size) / fs, x, lw=0.3, color="0.2")
    ax0.plot(f.spikes / fs, np.full(f.spikes.size, x.max() + 0.05 * np.ptp(x)), "|", color="tab:red", ms=5)
    ax0.set_ylabel("int16")
    ax0.set_title(f"{_short(f.row['name'], 40)}: trace (red ticks: NEO spikes) and spectrogram "
                  f"(Hann {nper}, {smooth} segments per column)", fontsize=9, loc="left")
    lo, hi = np.percentile(db, [1, 100])
    mesh = ax.pcolormesh(times, freqs[1:], db, shading="nearest", cmap="magma", vmin=lo, vmax=hi, rasterized=True)
    ax.set_yscale("log")
    ax.set_ylim(freqs[1], fs / 2)
    ax.set_xlim(0, x.size / fs)
    ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel("time (s)")
    ax.grid(False)
    fig.colorbar(mesh, ax=[ax0, ax], label="PSD (dB re 1 int16$^2$/Hz)", pad=0.01)
    save(fig, "spectrogram")

    # 4. power spectral density
    psd = np.array([fl.psd for fl in result.files if fl.psd.size == A.SPECTRAL_NPERSEG // 2 + 1])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if psd.size:
        fq = np.fft.rfftfreq(A.SPECTRAL_NPERSEG, 1 / float(result.files[0].row["sample_rate"]))
        q10, q50, q90 = np.percentile(psd[:, 1:], [10, 50, 90], axis=0)
        ax.fill_between(fq[1:], q10, q90, color="tab:blue", alpha=0.25, label="10th-90th percentile of files")
        ax.loglog(fq[1:], q50, color="tab:blue", lw=1.2, label="median over files")
        ax.loglog(fq[1:], result.files[mid].psd[1:], color="0.3", lw=0.7, alpha=0.8,
                  label=f"example {_short(result.files[mid].row['name'])}")
        noise = np.nanmedian(result.column("noise_sd"))
        ax.axhline(2 * noise ** 2 / float(result.files[0].row["sample_rate"]), color="tab:red", ls=":", lw=1,
                   label=f"white noise of SD {noise:.0f} (median robust noise)")
        ax.set_xlim(fq[1], fq[-1])
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("PSD (int16$^2$/Hz)")
    ax.set_title(f"Power spectral density (Welch, Hann, {A.SPECTRAL_NPERSEG}-sample segments, 50% overlap)",
                 fontsize=9, loc="left")
    ax.legend(fontsize=8)
    save(fig, "psd")

    # 5. spectral entropy histogram
    se = result.column("spectral_entropy")
    se = se[np.isfinite(se)]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(se, bins=40, color="tab:blue", alpha=0.8)
    ax.axvline(se.mean(), color="k", lw=1.2, label=f"mean here {se.mean():.2f} (SD {se.std():.2f})")
    ax.axvline(STUDY_STATISTICS["spectral_entropy_mean"], color="tab:red", ls="--", lw=1.2,
               label=f"study {STUDY_STATISTICS['spectral_entropy_mean']} (SD {STUDY_STATISTICS['spectral_entropy_std']})")
    ax.set_xlabel("spectral entropy (bits; maximum log2(513) = 9.00)")
    ax.set_ylabel("files")
    ax.set_title("Spectral entropy per file", fontsize=9, loc="left")
    ax.legend(fontsize=8)
    save(fig, "entropy_hist")

    # 6. entropy vs achieved bits
    bits = result.column("bits_per_sample")
    if np.isfinite(bits).any():
        fig, ax = plt.subplots(figsize=(6.5, 5.5))
        for key, label, color in (("h0_codes", "H0 of ADC codes (= raw values)", "tab:blue"),
                                  ("h0_diff_codes", "H0 of first differences of codes", "tab:green")):
            ax.scatter(result.column(key), bits, s=8, alpha=0.6, color=color, label=label)
        lim = [0, max(np.nanmax(bits), np.nanmax(result.column("h0_codes"))) * 1.05]
        ax.plot(lim, lim, color="0.5", lw=0.8, ls="--", label="achieved = entropy")
        ax.set_xlim(lim)
        ax.set_ylim(lim)
        ax.set_aspect("equal")
        ax.set_xlabel("order-0 entropy (bits/sample)")
        ax.set_ylabel(f"achieved by {result.codec} (bits/sample, whole file)")
        ax.set_title(f"Entropy vs achieved bits per sample, {len(bits)} files", fontsize=9, loc="left")
        ax.legend(fontsize=8, loc="upper left")
        save(fig, "entropy_bits")

        # 7. where the ratio goes
        budget = ratio_budget(result)
        fig, ax = plt.subplots(figsize=(8, 3.6))
        labels = [b[0] for b in budget][::-1]
        vals = [b[1] for b in budget][::-1]
        bars = ax.barh(labels, vals, color=["tab:green" if "achieved" in lbl else "tab:blue" for lbl in labels])
        for bar, v in zip(bars, vals):
            ax.text(v + 0.15, bar.get_y() + bar.get_height() / 2, f"{v:.2f} bits  (ratio {16 / v:.2f})",
                    va="center", fontsize=8)
        ax.set_xlim(0, 21)
        ax.set_xlabel("bits per sample (averaged over all samples)")
        ax.set_title("Where the ratio goes: from the 16-bit container to what the codec achieves",
                     fontsize=9, loc="left")
        ax.grid(axis="y", visible=False)
        save(fig, "budget")

    # 8. spike rates
    fig, ax = plt.subplots(figsize=(7, 4))
    rates = result.column("spikes_per_s")
    ax.hist(rates[np.isfinite(rates)], bins=40, color="tab:purple", alpha=0.8)
    fa = A.white_noise_false_alarms(result.neo_c, refractory_ms=result.refractory_ms, band=result.band)
    ax.axvline(fa, color="0.3", ls=":", lw=1.2, label=f"same detector on white noise: {fa:.1f}/s")
    ax.legend(fontsize=8)
    band = "raw" if result.band is None else f"{result.band[0]:g}-{result.band[1]:g} Hz"
    ax.set_xlabel(f"spikes per second (NEO on {band}, C = {result.neo_c:g}, refractory {result.refractory_ms:g} ms)")
    ax.set_ylabel("files")
    ax.set_title(f"Spike activity per file: median {np.nanmedian(rates):.0f}/s", fontsize=9, loc="left")
    save(fig, "spike_rates")
    return made


def ratio_budget(result: A.Analysis) -> List[Tuple[str, float]]:
    """(label, bits per sample) from the container down to the codec, sample-weighted over files."""
    w = result.column("samples")

    def avg(key):
        return float(np.average(result.column(key), weights=w))

    span = float(np.average(np.log2(np.maximum(result.column("adc_code_span"), 1)), weights=w))
    rows = [("16-bit container", 16.0), ("10-bit ADC codes", 10.0),
            ("log2(codes spanned per file)", span), ("H0 of codes (= raw values)", avg("h0_codes")),
            ("H0 of code differences", avg("h0_diff_codes"))]
    if result.codec:
        rows.append((f"achieved: {result.codec} (whole files)",
                     8 * result.column("n1_bytes").sum() / w.sum()))
    return rows


# ----------------------------------------------------------------------------- Markdown

def _table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> List[str]:
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join(("---:" if (align[i:i + 1] or "r") == "r" else "---") for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def _interval(v: np.ndarray, digits: int) -> str:
    lo, hi = np.percentile(v, [2.5, 97.5])
    return f"{lo:.{digits}f} .. {hi:.{digits}f}"


def _ordinal(p: float) -> str:
    n = int(round(p))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _percentile_in(v: np.ndarray, x: float) -> bool:
    lo, hi = np.percentile(v, [2.5, 97.5])
    return bool(lo <= x <= hi)


def _percentile_of(v: np.ndarray, x: float) -> float:
    """Mid-rank percentile of x among the replicates v (ties count half)."""
    v = np.asarray(v)
    return float(100.0 * ((v < x).mean() + 0.5 * (v == x).mean()))


def markdown(result: A.Analysis, figures: Dict[str, str], rows) -> str:
    g = result.global_statistics()
    per = result.per_file_averages()
    k = len(result.files)
    synthetic = "SYNTHETIC" in result.source
    # Only N1 recordings like the study's (19,531 Hz, N1 ADC values) are compared with its figures.
    study_like = (not synthetic and k >= 2 and bool(result.column("adc_n1_exact").all())
                  and bool((result.column("sample_rate") == 19531).all()))
    n1_like = bool(result.column("adc_n1_exact").all()) if k else False
    lines = [f"# {'N1 data' if n1_like else 'Recording'} analysis: {result.source}", ""]
    if synthetic:
        lines += ["> SYNTHETIC DATA, not recordings: the numbers below describe the embedded generator.", ""]
    dur = result.column("duration_s")
    files = len({f.row["name"].split("#ch")[0] for f in result.files})
    what = f"{k} recordings" if files == k else f"{files} files ({k} channels, each analysed as a recording)"
    lines += [f"{what}, {int(g['samples']):,} samples, {dur.sum():.1f} s in all "
              f"({dur.min():.2f} to {dur.max():.2f} s each), analysed in {result.seconds:.1f} s by "
              f"`n1codec analyze`. Per-file numbers: `per_file.csv`; global ones with their definitions: "
              "`global.csv`.", ""]

    lines += ["## 1. Amplitude statistics" + (" and the study's definitions" if study_like else ""), ""]
    if study_like:
        lines += ["The study reports, over the full set of 743 files: mean 975.17, median 992, std 3154.62, "
                  "skewness -0.0091, kurtosis 59.33. Candidate definitions computed here:", ""]
    pi = result.predictive_intervals() if k >= 2 else None
    extra = max(0, STUDY_FILES - k) if study_like else 0
    hdr = (["statistic"] + (["study (743 files)"] if study_like else [])
           + ["pooled, raw int16 (here)", "average of per-file values (here)"])
    if pi is not None and extra:
        hdr.append(f"pooled: 95% range for a {STUDY_FILES}-file set")
    table = []
    for key, digits in (("mean", 2), ("median", 1), ("std", 2), ("skewness", 4), ("kurtosis", 2)):
        row = ([key] + ([f"{STUDY_STATISTICS[key]:g}"] if study_like else [])
               + [f"{g[key]:.{digits}f}", f"{per[key]:.{digits}f}"])
        if pi is not None and extra:
            row.append(_interval(pi[key], digits))
        table.append(row)
    row = (["excess kurtosis"] + ([""] if study_like else [])
           + [f"{g['excess_kurtosis']:.2f}", f"{per['kurtosis'] - 3:.2f}"])
    if pi is not None and extra:
        row.append(_interval(pi["excess_kurtosis"], 2))
    table.append(row)
    lines += _table(hdr, table, "l")
    lines += [""]
    if not study_like:
        lines += ["Definitions: pooled over every sample of every file, raw int16 values, population SD, "
                  "skewness m3/m2^1.5, kurtosis m4/m2^2 (Pearson's). These are not N1 recordings like the "
                  "original study's (19,531 Hz, only N1 ADC values, two or more files), so nothing here is "
                  "compared with its figures.", ""]
    if pi is not None and extra:
        lines += [f"The last column is what the full set would give if its {extra} unseen files were like these "
                  f"{k}: the {k} files plus {extra} drawn from them with replacement, 2,000 times, pooled "
                  "(a predictive bootstrap over whole files).", ""]
        pct = {key: _percentile_of(pi[key], STUDY_STATISTICS["kurtosis" if key == "excess_kurtosis" else key])
               for key in ("mean", "median", "std", "skewness", "kurtosis", "excess_kurtosis")}
        inside = [key for key, p in pct.items() if 2.5 <= p <= 97.5]
        outside = [key for key in pct if key not in inside]
        names = {"mean": "mean", "median": "median", "std": "SD", "skewness": "skewness",
                 "kurtosis": "kurtosis read as Pearson's", "excess_kurtosis": "kurtosis read as excess"}
        lines += [
            "**Definitions used.** Pooled over every sample of every file, on the raw "
            "int16 values: mean, median, population SD (ddof=0), skewness g1 = m3/m2^1.5, kurtosis m4/m2^2. "
            "Averaging per-file values instead gives a median of "
            f"{per['median']:.0f}, an SD of {per['std']:.0f} and a kurtosis of {per['kurtosis']:.2f} (study: "
            f"992, 3154.62 and 59.33); the pooled median is {g['median']:g}. Where the study's values fall in the "
            f"{STUDY_FILES}-file range: "
            + ", ".join(f"{names[key]} at the {_ordinal(pct[key])} percentile" for key in pct) + ". "
            + ("Inside the 95% range: " + ", ".join(names[k] for k in inside) + ". " if inside else "")
            + ("Outside it: " + ", ".join(names[k] for k in outside) + ". " if outside else "")
            + ("The study's skewness is closer to zero than resampling these files gives: the unseen files "
               "would have to hold more large positive excursions than these do (or the study's skewness was computed "
               "differently; no candidate tried here gives it). " if "skewness" in outside else "")
            + ("Both readings of the kurtosis fit, so the data cannot tell them apart. " if
               "kurtosis" in inside and "excess_kurtosis" in inside else "")
            + "This command reports Pearson's kurtosis (Gaussian: 3) and the excess kurtosis beside it.",
            ""]
    if k >= 2:
        c3, c4 = result.moment_contributions()
        top = np.argsort(-np.abs(c3))[:3]
        top4 = np.argsort(-c4)[:3]
        lines += [
            f"How few files carry the shape: of the pooled skewness {g['skewness']:.3f}, the three files "
            "contributing most give " + ", ".join(f"{c3[i]:+.3f} ({_short(result.files[i].row['name'], 24)})"
                                                   for i in top)
            + f"; of the kurtosis {g['kurtosis']:.1f}, the top three give "
            + ", ".join(f"{c4[i]:.1f}" for i in top4)
            + f" ({100 * c4[top4].sum() / g['kurtosis']:.0f}% from {100 * 3 / k:.1f}% of the files). "
            "A single such file more or less in a set moves these figures by more than their quoted precision.",
            ""]
    # spectral entropy candidates
    lines += ["## 2. Spectral entropy", ""]
    se = result.column("spectral_entropy")
    lines += [f"Per file: mean {np.nanmean(se):.3f} bits, SD {np.nanstd(se):.3f}"
              + (" (study: 4.88, 1.16)" if study_like else "") + ". Definition: "
              "Welch PSD (Hann window, 1024-sample segments, 50% overlap, segment mean removed, one-sided, "
              "as `scipy.signal.welch(x, fs, nperseg=1024)`), normalised to sum to one over its 513 bins, "
              "Shannon entropy in bits, not divided by log2(513).", ""]
    if pi is not None and any(key.startswith("se_") for key in pi):
        cand = [("welch256_bits", "Welch 256, bits"), ("welch512_bits", "Welch 512, bits"),
                ("welch1024_bits", "**Welch 1024, bits (used)**"), ("welch2048_bits", "Welch 2048, bits"),
                ("welch1024_nats", "Welch 1024, nats"), ("welch1024_bits_normalised", "Welch 1024, normalised")]
        rows_c = []
        fitting = []
        for key, label in cand:
            m, s = pi.get(f"se_{key}_mean"), pi.get(f"se_{key}_std")
            if m is None:
                continue
            v = np.array([f.candidates[key] for f in result.files if key in f.candidates])
            fits = (_percentile_in(m, STUDY_STATISTICS["spectral_entropy_mean"])
                    and _percentile_in(s, STUDY_STATISTICS["spectral_entropy_std"]))
            if fits:
                fitting.append(label.strip("*").replace(" (used)", ""))
            rows_c.append([label, f"{v.mean():.3f}", f"{v.std():.3f}"]
                          + ([_interval(m, 3), _interval(s, 3), "yes" if fits else "no"] if extra else []))
        lines += ["Candidate definitions computed on these files"
                  + (f", with the range each would give on a {STUDY_FILES}-file set (predictive bootstrap as "
                     "above) and whether both of the study's figures (4.88, 1.16) fall inside:" if extra else ":"),
                  ""]
        hdr_c = ["definition", "mean here", "SD here"]
        if extra:
            hdr_c += [f"mean, {STUDY_FILES}-file range", f"SD, {STUDY_FILES}-file range", "study inside"]
        lines += _table(hdr_c, rows_c, "l")
        lines += [""]
        if extra:  # a statement of this table's own last column, nothing else
            lines += [("Of these definitions, " + ", ".join(fitting) + (" puts" if len(fitting) == 1 else " put")
                       + " both the study's mean and its SD inside the expected range." if fitting else
                       "None of these definitions puts both the study's mean and its SD inside the expected "
                       "range for a set of this size drawn like these files."), ""]
    if "entropy_hist" in figures:
        lines += [f"![spectral entropy histogram]({figures['entropy_hist']})", ""]
    if "psd" in figures:
        lines += [f"![power spectral density]({figures['psd']})", ""]
    if "spectrogram" in figures:
        lines += [f"![spectrogram]({figures['spectrogram']})", ""]

    # ADC mapping
    lines += ["## 3. The ADC mapping", ""]
    exact = result.column("adc_n1_exact")
    regular = result.column("adc_regular")
    lines += [f"{int(exact.sum())} of {k} files hold only values of the form trunc(code x 65535/1023 - 32768) "
              "for 10-bit codes 0..1023 (truncation toward zero, so steps of 64 with a 65 about every 16 codes; "
              f"floor would differ by one on the negative half). {int(regular.sum())} of {k} lie on a regular grid "
              "(fitted step and offset in `per_file.csv`).", ""]
    codes = _codes_seen(result)
    if codes is not None:
        missing = _missing_codes(codes)
        lines += [f"Over all files {codes.size} distinct codes appear, {codes.min()} to {codes.max()}"
                  + ("; never seen in between: " + ", ".join(f"code {c} (value {A.n1_code_values(np.array([c]))[0]})"
                                                            for c in missing[:20])
                     + (" and more" if missing.size > 20 else "")
                     + ": no file of this set holds " + ("it." if missing.size == 1 else "them.")
                     if missing.size else ".")]
        lines += [""]
    span = result.column("adc_code_span")
    dv = result.column("distinct_values")
    lines += [f"Per file: {np.median(dv):.0f} distinct values (median; {dv.min():.0f} to {dv.max():.0f}), spanning "
              f"{np.median(span):.0f} codes (median): a file uses about log2({np.median(span):.0f}) = "
              f"{np.log2(np.median(span)):.1f} of the 10 bits.", ""]
    # ratio
    lines += ["## 4. Where the ratio goes", ""]
    budget = ratio_budget(result)
    lines += _table(["stage", "bits/sample", "ratio vs 16 bits"], [[b[0], f"{b[1]:.3f}", f"{16 / b[1]:.3f}"]
                                                                  for b in budget], "l")
    lines += ["", "Averages are weighted by samples. H0 is the order-0 (memoryless) entropy of the "
              "empirical histogram of one file. The codes and the raw values have the same H0 (the mapping "
              "is one to one); their first differences do not: the 64/65 steps add "
              f"{np.average(result.column('h0_diff_raw') - result.column('h0_diff_codes'), weights=result.column('samples')):.2f} "
              "bits/sample to the differences of raw values, which a codec that does not map to codes pays.",
              ""]
    if result.codec:
        bits = result.column("bits_per_sample")
        lines += [f"{result.codec} achieves {8 * result.column('n1_bytes').sum() / result.column('samples').sum():.3f} "
                  f"bits/sample over the set (ratio {result.column('wav_bytes').sum() / result.column('n1_bytes').sum():.3f}"
                  f", headers included); per file {np.nanmin(bits):.2f} to {np.nanmax(bits):.2f}. A codec "
                  "below the H0 of code differences is exploiting more than one-step memory.", ""]
    if "budget" in figures:
        lines += [f"![where the ratio goes]({figures['budget']})", ""]
    if "entropy_bits" in figures:
        lines += [f"![entropy vs achieved bits]({figures['entropy_bits']})", ""]
    if "amplitude" in figures:
        lines += ["## 5. Amplitude distribution", "",
                  f"![amplitude histogram]({figures['amplitude']})", "",
                  "Counts per value on a log scale. The Gaussian with the same mean and SD shows how heavy "
                  "the tails are: the pooled kurtosis comes from a handful of files that swing across most "
                  "of the ADC range.", ""]
    # spikes and noise
    lines += ["## 6. Noise and spike activity", ""]
    nz = result.column("noise_sd_codes")
    lines += [f"Robust noise level, 1.4826 x MAD(first differences)/sqrt(2): median {np.nanmedian(nz):.2f} ADC codes "
              f"({np.nanmedian(result.column('noise_sd')):.0f} int16 units), 10th-90th percentile "
              f"{np.nanpercentile(nz, 10):.2f} to {np.nanpercentile(nz, 90):.2f} codes.", ""]
    fa = {c: A.white_noise_false_alarms(c, refractory_ms=result.refractory_ms, band=result.band)
          for c in sorted(result.files[0].rates_by_c)} \
        if result.files and result.files[0].rates_by_c else {}
    on = ("the raw signal minus its median" if result.band is None else
          f"the signal band-passed to {result.band[0]:g}-{result.band[1]:g} Hz (zero-phase FFT filter)")
    lines += [f"Spikes: NEO psi[n] = x[n]^2 - x[n-1]x[n+1] on {on}, threshold C x mean(psi) "
              f"with C = {result.neo_c:g}; supra-threshold samples less than {result.refractory_ms:g} ms apart "
              "merge into one spike at the largest psi. The mean of psi is set by the noise, so C fixes the "
              "false-alarm rate; the table gives the rate this detector finds in Gaussian white noise "
              "(no spikes) beside the rates in these files:", ""]
    if fa:
        rates = np.array([[f.rates_by_c[c] for c in fa] for f in result.files])
        rows_r = [[f"{c:g}" + (" (used)" if c == result.neo_c else ""), f"{fa[c]:.2f}",
                   f"{np.median(rates[:, j]):.1f}", f"{np.percentile(rates[:, j], 10):.1f}",
                   f"{np.percentile(rates[:, j], 90):.1f}"] for j, c in enumerate(fa)]
        lines += _table(["C", "white noise: false spikes/s", "median spikes/s", "10th pct", "90th pct"], rows_r)
        lines += [""]
    if "traces" in figures:
        lines += [f"![example traces]({figures['traces']})", ""]
    if "spike_rates" in figures:
        lines += [f"![spike rates]({figures['spike_rates']})", ""]
    # per-file summary
    lines += ["## 7. Per-file summary", ""]
    keys = [("duration_s", "duration (s)", 2), ("distinct_values", "distinct values", 0),
            ("adc_code_span", "codes spanned", 0), ("noise_sd_codes", "noise SD (codes)", 2),
            ("spread_mad", "robust spread incl. LFP (int16)", 0), ("h0_raw", "H0 raw (bits)", 3),
            ("h0_codes", "H0 codes (bits)", 3), ("h0_diff_raw", "H0 diff raw (bits)", 3),
            ("h0_diff_codes", "H0 diff codes (bits)", 3), ("spectral_entropy", "spectral entropy (bits)", 3),
            ("spikes_per_s", "spikes/s", 1), ("bits_per_sample", "achieved bits/sample", 3),
            ("ratio", "ratio", 3)]
    srows = []
    for key, label, d in keys:
        v = result.column(key)
        v = v[np.isfinite(v)]
        if v.size:
            q = np.percentile(v, [0, 10, 50, 90, 100])
            srows.append([label] + [f"{x:.{d}f}" for x in q] + [f"{v.mean():.{d}f}"])
    lines += _table(["per file", "min", "10%", "median", "90%", "max", "mean"], srows, "l")
    lines += ["", "## Reproduce", "", "```", _command(result), "```", ""]
    return "\n".join(lines)


def _command(result: A.Analysis) -> str:
    src = "" if "SYNTHETIC" in result.source else f" {result.source}"
    band = "none" if result.band is None else f"{result.band[0]:g},{result.band[1]:g}"
    codec = f" --codec {result.codec}" if result.codec else ""
    return (f"n1codec analyze{src} --out DIR{codec} --nleo-c {result.neo_c:g} "
            f"--refractory-ms {result.refractory_ms:g} --spike-band {band}")


def write_report(result: A.Analysis, out, figures: bool = True) -> Path:
    """Write per_file.csv, global.csv, the figures and report.md into `out`; return the report's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = global_rows(result)
    write_per_file_csv(result, out / "per_file.csv")
    write_global_csv(result, out / "global.csv", rows)
    made: Dict[str, str] = {}
    if figures and result.files:
        made = make_figures(result, out)
    path = out / "report.md"
    path.write_text(markdown(result, made, rows))
    return path
