"""`n1codec analyze`: statistics checked against values known in closed form or computed independently."""
from __future__ import annotations

import csv
import io
import math
import sys
import zipfile

import numpy as np
import pytest

from conftest import dev_files, needs_dev_data, run_cli

from n1codec.tools import analysis as A
from n1codec.tools import synthetic

FS = 19531


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


needs_matplotlib = pytest.mark.skipif(not have("matplotlib"), reason='matplotlib missing: pip install "n1codec[analysis]"')
needs_scipy = pytest.mark.skipif(not have("scipy"), reason="scipy missing: the cross-check against scipy is skipped")


# ----------------------------------------------------------------------------- moments

def test_gaussian_skewness_zero_and_kurtosis_three(rng):
    x = rng.normal(1000.0, 50.0, 1_000_000)
    # standard errors: sqrt(6/n) = 0.0024 for skewness, sqrt(24/n) = 0.0049 for kurtosis
    assert abs(A.skewness(x)) < 0.015
    assert A.kurtosis(x) == pytest.approx(3.0, abs=0.03)
    assert A.kurtosis(x, excess=True) == pytest.approx(0.0, abs=0.03)


def test_known_shapes(rng):
    u = rng.uniform(-1, 1, 1_000_000)
    assert A.kurtosis(u) == pytest.approx(1.8, abs=0.01)  # uniform: 9/5
    e = rng.exponential(1.0, 2_000_000)
    assert A.skewness(e) == pytest.approx(2.0, abs=0.05)  # exponential: 2 and 9
    assert A.kurtosis(e) == pytest.approx(9.0, abs=0.4)
    # a two-point distribution, exactly: p = 1/4 at 1, 3/4 at 0
    b = np.array([1, 0, 0, 0] * 1000, dtype=np.int16)
    p = 0.25
    assert A.skewness(b) == pytest.approx((1 - 2 * p) / math.sqrt(p * (1 - p)), rel=1e-12)
    assert A.kurtosis(b) == pytest.approx((1 - 3 * p * (1 - p)) / (p * (1 - p)), rel=1e-12)


@needs_scipy
def test_moments_match_scipy(rng):
    from scipy import stats
    x = (rng.standard_t(4, 100_000) * 300).astype(np.int16)
    assert A.skewness(x) == pytest.approx(stats.skew(x.astype(float)), rel=1e-10)
    assert A.kurtosis(x) == pytest.approx(stats.kurtosis(x.astype(float), fisher=False), rel=1e-10)


def test_pooling_per_file_moments_equals_concatenation(rng):
    parts = [rng.normal(30000, 5, 1000), rng.normal(-30000, 500, 3000), rng.exponential(7, 10), np.array([3.0])]
    pooled = A.combine_moments(np.array([A.central_moments(p) for p in parts]))[0]
    direct = A.central_moments(np.concatenate(parts))
    assert pooled == pytest.approx(direct, rel=1e-9)
    # weights repeat parts: weight 2 on the first part == the first part twice
    w = np.array([2, 1, 1, 1])
    pooled2 = A.combine_moments(np.array([A.central_moments(p) for p in parts]), w)[0]
    direct2 = A.central_moments(np.concatenate([parts[0]] + parts))
    assert pooled2 == pytest.approx(direct2, rel=1e-9)


def test_histogram_median_matches_numpy(rng):
    for n in (1, 2, 7, 1000, 1001):
        x = rng.integers(-5, 6, n)
        values, counts = np.unique(x, return_counts=True)
        assert A.histogram_median(values.astype(float), counts)[0] == np.median(x)


# ----------------------------------------------------------------------------- entropies

def test_order0_entropy_of_uniform_10bit_codes_is_10_bits(rng):
    codes = rng.permutation(np.tile(np.arange(1024), 40))
    assert A.order0_entropy(codes) == pytest.approx(10.0, abs=1e-12)
    assert A.order0_entropy(A.n1_code_values(codes).astype(np.int16)) == pytest.approx(10.0, abs=1e-12)
    assert A.order0_entropy(np.full(100, 7)) == 0.0
    assert A.order0_entropy(np.array([1, 2] * 50)) == pytest.approx(1.0)


def test_welch_psd_parseval_and_sine_power():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 2.0, 200_000)
    f, p = A.welch_psd(x, FS, 1024)
    assert f[-1] == pytest.approx(FS / 2)
    assert p.sum() * (f[1] - f[0]) == pytest.approx(4.0, rel=0.02)  # integral of the PSD = variance
    t = np.arange(100_000) / FS
    f, p = A.welch_psd(3.0 * np.sin(2 * np.pi * 1000 * t), FS, 1024)
    assert f[np.argmax(p)] == pytest.approx(1000, abs=FS / 1024)
    assert p.sum() * (f[1] - f[0]) == pytest.approx(4.5, rel=0.02)  # A^2 / 2


@needs_scipy
@pytest.mark.parametrize("nperseg", [1024, 256, 255, 5000])
def test_welch_psd_matches_scipy(nperseg):
    from scipy import signal
    x = np.random.default_rng(4).normal(100, 30, 12_345)
    f, p = A.welch_psd(x, FS, nperseg)
    f2, p2 = signal.welch(x, FS, nperseg=nperseg)
    np.testing.assert_allclose(f, f2)
    np.testing.assert_allclose(p, p2, rtol=1e-9)


def test_spectral_entropy_of_a_bin_centred_sine_is_closed_form():
    # a periodic Hann window puts a bin-centred sine in 3 bins with powers 1:4:1
    n = 1024 * 40
    x = np.sin(2 * np.pi * 100 * np.arange(n) / 1024)
    expected = -(2 * (1 / 6) * math.log2(1 / 6) + (4 / 6) * math.log2(4 / 6))  # 1.2516 bits
    assert A.spectral_entropy(x, FS) == pytest.approx(expected, abs=1e-6)


def test_spectral_entropy_sine_vs_white_noise():
    rng = np.random.default_rng(5)
    noise = A.spectral_entropy(rng.standard_normal(200_000), FS)
    # white noise: flat but chi-square scattered PSD, just under log2(513) = 9.003
    assert 8.9 < noise < math.log2(513)
    sine = A.spectral_entropy(np.sin(2 * np.pi * 1234.5 * np.arange(200_000) / FS), FS)
    assert sine < 3.0
    assert A.spectral_entropy(rng.standard_normal(200_000), FS, normalize=True) == pytest.approx(noise / math.log2(513), abs=0.01)


# ----------------------------------------------------------------------------- NEO and spikes

def test_neo_of_a_sine_is_constant():
    a, w = 5.0, 0.3
    x = a * np.sin(w * np.arange(1000) + 0.7)
    np.testing.assert_allclose(A.neo(x), a * a * math.sin(w) ** 2, rtol=1e-9)


def _spike_train(rng, times, amplitude=60.0, noise=3.0, seconds=10.0):
    n = int(seconds * FS)
    x = rng.normal(0, noise, n) + 800 * np.sin(2 * np.pi * 4 * np.arange(n) / FS)  # slow LFP on top
    t = np.arange(int(0.0015 * FS)) / FS
    shape = -np.exp(-((t - 0.0003) / 0.00012) ** 2) + 0.35 * np.exp(-((t - 0.0007) / 0.0003) ** 2)
    for t0 in times:
        x[t0:t0 + shape.size] += amplitude * shape
    return x


def test_detect_spikes_finds_a_known_train(rng):
    times = np.sort(rng.choice(np.arange(100, 10 * FS - 100, 200), 150, replace=False))  # >= 10 ms apart
    x = _spike_train(rng, times)
    found = A.detect_spikes(x, FS, c=8.0)
    assert found.size == times.size
    trough = times + int(0.0003 * FS)
    assert np.max(np.abs(found - trough)) <= int(0.001 * FS)


def test_refractory_merge(rng):
    base = np.arange(5000, 9 * FS, 4000)
    times = np.sort(np.concatenate([base, base + int(0.0005 * FS)]))  # pairs 0.5 ms apart
    x = _spike_train(rng, times)
    assert A.detect_spikes(x, FS, c=8.0, refractory_ms=1.0).size == base.size
    # with no merging each half of a pair can count on its own
    assert A.detect_spikes(x, FS, c=8.0, refractory_ms=0.0).size > base.size


def test_white_noise_false_alarms_fall_with_c():
    rates = [A.white_noise_false_alarms(c, seconds=20.0) for c in (4.0, 8.0, 15.0)]
    assert rates[0] > rates[1] > rates[2]
    assert rates[2] < 0.5


# ----------------------------------------------------------------------------- ADC mapping and noise

def test_n1_mapping_detected_exactly():
    codes = np.arange(300, 700)
    m = A.detect_adc_mapping(A.n1_code_values(codes))
    assert m.n1_exact and m.regular
    assert (m.code_min, m.code_max) == (300, 699)
    assert m.step == pytest.approx(65535 / 1023)
    # truncation toward zero, not floor: the two differ on the negative half
    assert A.n1_code_values(np.array([1]))[0] == -32703 and math.floor(65535 / 1023) - 32768 == -32704


def test_generic_grid_and_irregular_values(rng):
    m = A.detect_adc_mapping(7 + 3 * np.array([0, 1, 2, 5, 9, 10, 11]))
    assert m.regular and not m.n1_exact
    assert m.step == pytest.approx(3.0) and m.offset == pytest.approx(7 - 3 * round((7 + 32768) / 3))
    # neighbours one apart: the only grid is the integers
    ones = A.detect_adc_mapping(np.array([0, 10, 13, 40, 41, 77]))
    assert ones.regular and ones.step == 1.0
    for _ in range(20):
        m = A.detect_adc_mapping(np.unique(rng.integers(0, 5000, 8)) * 7)
        assert m.regular == (m.max_residual <= m.step / 4)
    dense = A.detect_adc_mapping(np.arange(-20, 20))
    assert dense.regular and dense.step == 1.0


def test_robust_noise_ignores_spikes_and_lfp(rng):
    n = 200_000
    noise = np.round(rng.normal(0, 3.0, n))
    assert A.robust_noise_sd(noise.astype(np.int64)) == pytest.approx(3.0, rel=0.03)
    spiky = noise + np.where(rng.random(n) < 0.01, 200, 0)
    lfp = 300 * np.sin(2 * np.pi * np.arange(n) / 5000)
    assert A.robust_noise_sd(np.round(spiky + lfp).astype(np.int64)) == pytest.approx(3.0, rel=0.06)


def test_grouped_median_abs():
    # |v| = 0, 0, 1, 1: half of the mass below 0.5 (the end of the zero bin)
    assert A.grouped_median_abs(np.array([0, 1, -1]), np.array([2, 1, 1])) == pytest.approx(0.5)
    # all in bin 2 = [1.5, 2.5): the median is its middle
    assert A.grouped_median_abs(np.array([2]), np.array([10])) == pytest.approx(2.0)


# ----------------------------------------------------------------------------- the whole analysis

def test_analyze_synthetic_matches_direct_computation():
    result = A.analyze(None, codec="delta+huffman", limit=3)
    assert len(result.files) == 3
    xs = [s for _, s in synthetic.dataset(files=3)]
    allx = np.concatenate(xs).astype(np.float64)
    g = result.global_statistics()
    assert g["mean"] == pytest.approx(allx.mean(), rel=1e-12)
    assert g["median"] == np.median(allx)
    assert g["std"] == pytest.approx(allx.std(), rel=1e-10)
    assert g["kurtosis"] == pytest.approx(A.kurtosis(allx), rel=1e-9)
    for f, x in zip(result.files, xs):
        assert f.row["h0_raw"] == pytest.approx(f.row["h0_codes"])
        assert f.row["h0_diff_codes"] <= f.row["h0_diff_raw"] + 1e-9
        assert f.row["adc_regular"] and f.row["adc_step"] == pytest.approx(65535 / 1023, rel=1e-3)
        assert f.row["spectral_entropy"] == pytest.approx(A.spectral_entropy(x, FS))
        assert 0 < f.row["bits_per_sample"] < 16 and f.row["codec"] == "delta+huffman"
    pi = result.predictive_intervals(total_files=5, replicates=50)
    assert pi["mean"].shape == (50,)


def test_zip_and_folder_give_the_same_numbers(tmp_path):
    folder = tmp_path / "wavs"
    folder.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, samples in synthetic.dataset(files=2, seconds=1.0):
            data = synthetic.wav_bytes(samples)
            (folder / f"{name}.wav").write_bytes(data)
            zf.writestr(f"data/{name}.wav", data)
    (tmp_path / "data.zip").write_bytes(buf.getvalue())
    a = A.analyze(str(folder), codec="none")
    b = A.analyze(str(tmp_path / "data.zip"), codec="none")
    def clean(row):  # NaN != NaN: compare the codec columns (NaN here, no codec) as None
        return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
    assert [clean(f.row) for f in a.files] == [clean(f.row) for f in b.files]
    assert len(a.files) == 2 and a.files[0].row["codec"] == ""


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        A.analyze(str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError):
        A.analyze(str(tmp_path))  # no .wav files


def test_cli_writes_report_and_csvs(tmp_path):
    out = tmp_path / "report"
    proc = run_cli("n1codec", "analyze", "--out", out, "--limit", "3", "--no-figures", "-q")
    assert proc.returncode == 0, proc.stderr
    assert (out / "report.md").exists()
    with open(out / "per_file.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3 and set(A.PER_FILE_COLUMNS) <= set(rows[0])
    with open(out / "global.csv") as f:
        stats = {r["statistic"]: r for r in csv.DictReader(f)}
    assert {"mean", "median", "std", "skewness", "kurtosis", "spectral_entropy_mean"} <= set(stats)
    assert stats["kurtosis"]["definition"]
    text = (out / "report.md").read_text()
    assert "SYNTHETIC" in text and "Spectral entropy" in text


@needs_matplotlib
def test_cli_figures(tmp_path):
    out = tmp_path / "report"
    proc = run_cli("n1codec", "analyze", "--out", out, "--limit", "3", "-q")
    assert proc.returncode == 0, proc.stderr
    text = (out / "report.md").read_text()
    from n1codec.tools.report import FIGURES
    for name in FIGURES.values():
        png = out / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"]({name})" in text


def test_cli_without_matplotlib_names_the_extra(tmp_path):
    import subprocess
    code = ("import sys; sys.modules['matplotlib'] = None; from n1codec.tools.cli import main; "
            f"sys.exit(main(['analyze', '--out', {str(tmp_path / 'r')!r}, '--limit', '1']))")
    # cwd: python -c puts it first on sys.path, and the source tree has no compiled extension
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 1
    assert 'pip install "n1codec[analysis]"' in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_rejects_bad_options(tmp_path):
    proc = run_cli("n1codec", "analyze", "--out", tmp_path / "r", "--spike-band", "3000,300", "--no-figures")
    assert proc.returncode == 2 and "--spike-band" in proc.stderr
    proc = run_cli("n1codec", "analyze", "--out", tmp_path / "r", "--nleo-c", "0", "--no-figures")
    assert proc.returncode == 2


# ----------------------------------------------------------------------------- real recordings

@needs_dev_data
def test_real_files():
    rows = []
    for path in dev_files(limit=5):
        rec = A._recordings_from_wav(path.name, path.read_bytes())[0]
        rows.append(A.analyze_recording(rec, codec=None).row)
    for row in rows:
        assert row["sample_rate"] == 19531
        assert 4.9 < row["duration_s"] < 5.3
        assert row["adc_n1_exact"] and row["distinct_values"] <= 1024
        assert row["h0_raw"] == pytest.approx(row["h0_codes"])
        assert row["h0_diff_codes"] < row["h0_diff_raw"]
        assert 1.0 < row["spectral_entropy"] < 9.01
        assert 0.5 < row["noise_sd_codes"] < 50


@needs_dev_data
@pytest.mark.slow
def test_dev_split_reproduces_the_study_definitions():
    result = A.analyze(str(dev_files()[0].parent), codec="none")
    g = result.global_statistics()
    assert g["median"] == 992.0  # the study's median, exactly
    assert g["mean"] == pytest.approx(991.41, abs=0.01)
    assert g["spectral_entropy_mean"] == pytest.approx(4.88, abs=0.05)
    assert g["spectral_entropy_std"] == pytest.approx(1.16, abs=0.05)
    assert 40 < g["kurtosis"] < 80


# -- the report says only what its data says ------------------------------------------------------

def _report_text(result) -> str:
    from n1codec.tools import report
    return report.markdown(result, {}, report.global_rows(result))


def test_a_report_on_multichannel_non_n1_recordings_neither_claims_n1_nor_compares_with_the_study(tmp_path):
    rng = np.random.default_rng(5)
    folder = tmp_path / "wavs"
    folder.mkdir()
    for i in range(2):
        x = (rng.normal(0, 300, (20000, 3))).astype(np.int16)
        (folder / f"probe{i}.wav").write_bytes(synthetic.wav_bytes(x, sample_rate=30000))
    text = _report_text(A.analyze(str(folder), codec="none"))
    assert text.startswith("# Recording analysis") and "N1 data analysis" not in text
    assert "2 files (6 channels" in text
    assert "743" not in text and "study (" not in text and "4.88" not in text


@needs_dev_data
def test_the_spectral_entropy_statement_follows_the_reports_own_table():
    folder = dev_files()[0].parent
    result = A.analyze(str(folder), codec="none", limit=4)
    text = _report_text(result)
    assert text.startswith("# N1 data analysis")
    section = text[text.index("## 2. Spectral entropy"):text.index("## 3.")]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("|") and "Welch" in line]
    fitting = [r[1].strip().strip("*").replace(" (used)", "") for r in rows if r[-2].strip() == "yes"]
    if fitting:
        assert ("Of these definitions, " + ", ".join(fitting)) in section
    else:
        assert "None of these definitions puts both" in section
    assert "only the 1024-sample Welch PSD" not in section
