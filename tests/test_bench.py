"""Spec of `n1codec bench`: run as a user runs it, outputs that parse, failures that are loud.

No assertion here depends on timing: the machine is shared and noisy.
"""
from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import time

import pytest

from benchtools import BIN, cli, corrupt_decode_env, fault_env, make_zip, read_csv, synthetic_wavs
from conftest import dev_files, needs_dev_data

REQUIRED_COLUMNS = {
    "codec", "spec", "family", "files", "lossless", "original_bytes", "compressed_bytes", "ratio",
    "duration_s", "samples", "encode_time_s", "decode_time_s", "encode_speed_xRT", "decode_speed_xRT",
    "encode_speed_MB_per_s", "decode_speed_MB_per_s", "encode_speed_Msamples_per_s",
    "decode_speed_Msamples_per_s",
    # the study's own columns
    "mode", "total_original_size_bytes", "total_compressed_size_bytes", "compression_ratio",
    "average_compression_speed_xRT", "average_decompression_speed_xRT",
}


def _bench(tmp_path, *args, env=None, name="out"):
    out = tmp_path / name
    proc = cli("bench", *args, "--out", out, "--no-progress", env=env)
    return proc, out


def test_default_run_is_on_synthetic_data_and_says_so(tmp_path):
    proc, out = _bench(tmp_path, "--limit", "2", "--codecs", "huffman,delta+huffman")
    assert proc.returncode == 0, proc.stderr
    assert "SYNTHETIC" in proc.stdout
    rows = read_csv(out / "results.csv")
    assert REQUIRED_COLUMNS <= set(rows[0])
    assert [r["codec"] for r in rows] == ["huffman", "delta+huffman"]
    for row in rows:
        assert row["lossless"] == "yes" and row["files"] == "2"
        original, compressed = int(row["original_bytes"]), int(row["compressed_bytes"])
        assert float(row["ratio"]) == pytest.approx(original / compressed, rel=1e-3)
        assert float(row["encode_speed_xRT"]) > 0 and float(row["decode_speed_Msamples_per_s"]) > 0
        assert float(row["duration_s"]) == pytest.approx(10.0, rel=1e-3)  # 2 synthetic files x 5 s
    per_file = read_csv(out / "per_file.csv")
    assert len(per_file) == 4 and {r["lossless"] for r in per_file} == {"yes"}
    assert sum(int(r["compressed_bytes"]) for r in per_file if r["codec"] == "huffman") == \
        int(rows[0]["compressed_bytes"])
    meta = json.loads((out / "results.json").read_text())
    assert meta["synthetic"] is True and meta["files"] == 2 and len(meta["results"]) == 2
    table = (out / "results.md").read_text()
    assert "SYNTHETIC" in table and "| delta+huffman |" in table
    assert "| delta+huffman |" in proc.stdout  # the table is printed too


def test_plot_is_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    proc, out = _bench(tmp_path, "--limit", "1", "--codecs", "huff,delta_huff")
    assert proc.returncode == 0, proc.stderr
    assert (out / "ratio_vs_speed.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_zip_is_read_in_place_and_gives_the_same_bytes_as_the_folder(tmp_path):
    wavs = synthetic_wavs(tmp_path / "wavs", 3)
    archive = make_zip(tmp_path / "data.zip", wavs)
    by_zip, out_zip = _bench(tmp_path, archive, "--codecs", "delta+huffman", name="z")
    by_dir, out_dir = _bench(tmp_path, tmp_path / "wavs", "--codecs", "delta+huffman", name="d")
    assert by_zip.returncode == 0 and by_dir.returncode == 0, by_zip.stderr + by_dir.stderr
    assert "zip read in place" in by_zip.stdout
    assert not (tmp_path / "data").exists()  # nothing unpacked
    z, d = read_csv(out_zip / "results.csv")[0], read_csv(out_dir / "results.csv")[0]
    assert (z["original_bytes"], z["compressed_bytes"]) == (d["original_bytes"], d["compressed_bytes"])
    assert int(z["original_bytes"]) == sum(w.stat().st_size for w in wavs)


def test_workers_give_the_same_bytes_as_one_process(tmp_path):
    one, out1 = _bench(tmp_path, "--limit", "3", "--codecs", "huff,delta_huff", name="one")
    two, out2 = _bench(tmp_path, "--limit", "3", "--codecs", "huff,delta_huff", "--workers", "2", name="two")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    key = lambda rows: [(r["codec"], r["file"], r["compressed_bytes"]) for r in rows]  # noqa: E731
    assert sorted(key(read_csv(out1 / "per_file.csv"))) == sorted(key(read_csv(out2 / "per_file.csv")))


def test_a_codec_that_is_not_lossless_fails_loudly_naming_codec_and_file(tmp_path):
    env = corrupt_decode_env(tmp_path / "site", "huffman")
    proc, out = _bench(tmp_path, "--limit", "2", "--codecs", "huffman,delta+huffman", env=env)
    assert proc.returncode == 1
    assert "LOSSLESS CHECK FAILED" in proc.stderr and "huffman" in proc.stderr
    assert "synthetic-000.wav" in proc.stderr
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    assert rows["huffman"]["lossless"] == "FAILED" and rows["delta+huffman"]["lossless"] == "yes"


def test_a_codec_that_raises_is_reported_not_a_traceback(tmp_path):
    env = fault_env(tmp_path / "site", """
        import n1codec.api as _api
        _original = _api.encode_wav_bytes
        def encode_wav_bytes(wav, codec="delta+huffman", name="input"):
            if getattr(codec, "spec", codec) == "huffman":
                raise MemoryError("simulated crash")
            return _original(wav, codec=codec, name=name)
        _api.encode_wav_bytes = encode_wav_bytes
    """)
    proc, out = _bench(tmp_path, "--limit", "1", "--codecs", "huffman,delta+huffman", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "simulated crash" in proc.stderr and "huffman" in proc.stderr


def test_unavailable_codecs_are_skipped_with_their_install_hint(tmp_path):
    env = fault_env(tmp_path / "site", """
        from n1codec.codecs import registry
        from n1codec.codecs.base import Coder

        @registry.register
        class NotInstalled(Coder):
            name = "notinstalled"
            family = "dictionary"
            requires = ("n1codec_test_module_that_does_not_exist",)
            install_hint = "pip install not-installed-test-package"
    """)
    proc, out = _bench(tmp_path, "--limit", "1", "--codecs", "delta+huffman,notinstalled", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "skipped notinstalled" in proc.stdout and "pip install not-installed-test-package" in proc.stdout
    assert [r["codec"] for r in read_csv(out / "results.csv")] == ["delta+huffman"]
    listed = cli("bench", "--codecs", "all", "--list", env=env)
    assert listed.returncode == 0 and "notinstalled" in listed.stdout and "skipped" in listed.stdout


def test_unknown_codec_is_a_one_line_error(tmp_path):
    proc, out = _bench(tmp_path, "--codecs", "nosuchcodec")
    assert proc.returncode == 1 and "nosuchcodec" in proc.stderr and "Traceback" not in proc.stderr


def test_study_and_all_groups_resolve(tmp_path):
    study = cli("bench", "--codecs", "study", "--list")
    assert study.returncode == 0, study.stderr
    assert "huff " in study.stdout and "delta_huff" in study.stdout
    for row in ("zstd", "bz2", "wavpack"):  # listed either to run or as skipped with a reason
        assert row in study.stdout
    everything = cli("bench", "--codecs", "all", "--list")
    assert everything.returncode == 0 and "delta_huff" in everything.stdout


_no_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is not None,
                              reason="dask.distributed is installed: tests/test_distributed.py covers schedulers")


@_no_dask
def test_scheduler_without_dask_installed_is_a_clear_error(tmp_path):
    proc, _ = _bench(tmp_path, "--limit", "1", "--scheduler", "tcp://127.0.0.1:8786")
    assert proc.returncode == 1 and "dask support not installed" in proc.stderr


def test_map_files_in_process_and_in_a_pool():
    from n1codec.tools.parallel import map_files
    assert sorted(map_files(abs, [-1, -2, 3])) == [1, 2, 3]
    assert sorted(map_files(abs, [-1, -2, 3, -4], workers=2)) == [1, 2, 3, 4]


@_no_dask
def test_map_files_scheduler_without_dask_installed_raises_clearly():
    from n1codec.errors import SchedulerUnavailableError
    from n1codec.tools.parallel import map_files
    with pytest.raises(SchedulerUnavailableError, match="dask"):
        list(map_files(abs, [1], scheduler="tcp://127.0.0.1:8786"))


@pytest.mark.parametrize("workers,signum", [(1, signal.SIGINT), (2, signal.SIGINT), (2, signal.SIGTERM)])
def test_ctrl_c_keeps_the_codecs_that_finished(tmp_path, workers, signum):
    # delta+huffman is slowed down so that the interrupt lands while it runs.
    env = fault_env(tmp_path / "site", """
        import time
        import n1codec.api as _api
        _original = _api.encode_wav_bytes
        def encode_wav_bytes(wav, codec="delta+huffman", name="input"):
            if getattr(codec, "spec", codec) == "delta+huffman" and name != "warm-up":
                time.sleep(2.0)
            return _original(wav, codec=codec, name=name)
        _api.encode_wav_bytes = encode_wav_bytes
    """)
    out = tmp_path / "out"
    exe = BIN / "n1codec"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "n1codec.tools.cli"]
    import os
    proc = subprocess.Popen(cmd + ["bench", "--limit", "6", "--codecs", "huffman,delta+huffman",
                                   "--workers", str(workers), "--out", str(out), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **env))
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if line.strip().startswith("huffman") and "ratio" in line:
            break
    assert any(line.strip().startswith("huffman") for line in seen), "".join(seen) + proc.stderr.read()
    time.sleep(0.5)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "delta+huffman" in stderr
    rows = read_csv(out / "results.csv")
    assert [r["codec"] for r in rows] == ["huffman"] and rows[0]["files"] == "6"
    assert "Traceback" not in stderr


@needs_dev_data
def test_study_rows_on_real_recordings(tmp_path):
    files = dev_files(limit=3)
    folder = tmp_path / "real"
    folder.mkdir()
    for f in files:
        (folder / f.name).symlink_to(f)
    proc, out = _bench(tmp_path, folder, "--codecs", "huff,delta_huff")
    assert proc.returncode == 0, proc.stderr
    assert "SYNTHETIC" not in proc.stdout
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    assert rows["huff"]["study_row"] == "huff" and rows["huff"]["study_ratio_743_files"] == "2.53"
    assert 2.0 < float(rows["delta_huff"]["ratio"]) < 3.5
    assert int(rows["huff"]["original_bytes"]) == sum(f.stat().st_size for f in files)


def test_plain_progress_with_eta_when_tqdm_is_missing(tmp_path):
    env = fault_env(tmp_path / "site", """
        import sys
        sys.modules["tqdm"] = None  # import tqdm -> ImportError, as when it is not installed
    """)
    out = tmp_path / "out"
    proc = cli("bench", "--limit", "2", "--codecs", "huffman", "--out", out, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "bench: 2/2 file runs (100%)" in proc.stderr and "ETA" in proc.stderr
    assert (out / "results.csv").exists()


def test_a_single_wav_file_is_a_data_set_of_one(tmp_path):
    wav = synthetic_wavs(tmp_path / "wavs", 1)[0]
    proc, out = _bench(tmp_path, wav, "--codecs", "delta_huff")
    assert proc.returncode == 0, proc.stderr
    row = read_csv(out / "results.csv")[0]
    assert row["files"] == "1" and int(row["original_bytes"]) == wav.stat().st_size
