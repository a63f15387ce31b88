"""Spec: nothing silently wrong, nothing lost (issue 18): decode limits, interrupts, overwrites,
unwritable outputs, and messages that name what the user gave rather than our internals."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import n1codec
from n1codec import container
from n1codec.errors import CorruptDataError, InputTooLargeError, OutputExistsError
from n1codec.tools import batch
from conftest import run_cli


def _bomb(spec: str = "delta+huffman", frames: int = 1 << 28) -> bytes:
    """A small .n1 file that declares far more samples than it holds (the issue's 50-byte bomb)."""
    payload = n1codec.get_codec(spec).encode(np.zeros((16, 1), dtype=np.uint16))
    return container.pack(container.Header(spec=spec, sample_rate=19531, channels=1, frames=frames,
                                           crc32=0), payload)


# -- decompression bombs ------------------------------------------------------------------------

@pytest.mark.parametrize("spec", ["delta+huffman", "rans"])
def test_a_declared_count_above_max_samples_is_refused_before_decoding(spec):
    bomb = _bomb(spec)
    assert len(bomb) < 100
    with pytest.raises(InputTooLargeError, match="268435456 samples, more than the limit of 1000000"):
        n1codec.decode(bomb, max_samples=1_000_000)
    with pytest.raises(InputTooLargeError):
        n1codec.decode_to_wav_bytes(bomb, max_samples=1_000_000)


def test_max_samples_admits_a_file_at_the_limit():
    x = np.arange(-500, 500, dtype=np.int16).reshape(500, 2)
    blob = n1codec.encode(x, codec="delta+huffman")
    np.testing.assert_array_equal(n1codec.decode(blob, max_samples=1000), x)
    with pytest.raises(InputTooLargeError):
        n1codec.decode(blob, max_samples=999)


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_max_samples_must_be_a_count(bad):
    blob = n1codec.encode(np.zeros(10, dtype=np.int16), codec="delta+huffman")
    with pytest.raises(n1codec.InvalidInputError, match="max_samples"):
        n1codec.decode(blob, max_samples=bad)


def test_numcodecs_decode_into_out_is_bounded_by_out():
    from n1codec.ext.numcodecs import N1Pipeline
    out = np.empty(1000, dtype=np.int16)
    with pytest.raises(n1codec.InvalidInputError, match="out holds 1000 int16 samples but the data declares 268435456"):
        N1Pipeline("delta+huffman").decode(_bomb(), out=out)


def test_the_cli_refuses_a_bomb_by_default_and_decodes_with_an_override(tmp_path):
    bomb = tmp_path / "bomb.n1"
    bomb.write_bytes(_bomb(frames=(1 << 28) + 1))
    proc = run_cli("n1codec", "decode", bomb, tmp_path / "out.wav")
    assert proc.returncode == 1 and "--max-samples" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.wav").exists()
    small = tmp_path / "small.n1"
    small.write_bytes(n1codec.encode(np.zeros(50, dtype=np.int16), codec="delta+huffman", sample_rate=1000))
    assert run_cli("n1codec", "decode", small, tmp_path / "a.wav", "--max-samples", "49").returncode == 1
    run_cli("n1codec", "decode", small, tmp_path / "b.wav", "--max-samples", "50", check=True)


# -- interrupts and partial outputs ---------------------------------------------------------------

def _slow_folder(tmp_path: Path, files: int = 12) -> Path:
    from n1codec.tools import synthetic
    src = tmp_path / "wav"
    src.mkdir()
    wav = synthetic.wav_bytes(synthetic.n1_like(seconds=5.0, seed=3))
    for i in range(files):
        (src / f"rec{i:02d}.wav").write_bytes(wav)
    return src


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_during_compress_folder_says_so_and_leaves_no_partial_file(tmp_path, workers):
    src, dst = _slow_folder(tmp_path), tmp_path / "n1"
    exe = Path(sys.executable).parent / "n1codec"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "n1codec.tools.cli"]
    proc = subprocess.Popen([*cmd, "compress-folder", str(src), str(dst), "--codec", "n1:max", "-j", workers],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not (dst.is_dir() and any(p.suffix == ".n1" for p in dst.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline, "no output appeared"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("every file was done before the interrupt arrived")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert [p.name for p in dst.iterdir() if p.suffix == ".tmp" or p.name.startswith(".")] == []
    for done in dst.glob("*.n1"):  # whatever was finished is complete and valid
        n1codec.decode(done.read_bytes())


def test_an_interrupted_pool_leaves_no_temporary_file(tmp_path):
    # A worker killed mid-write cannot clean up: the caller that stopped it does.
    target = tmp_path / "x.n1"
    (tmp_path / ".x.n1.deadbeef.tmp").write_bytes(b"partial")
    (tmp_path / ".other.n1.deadbeef.tmp").write_bytes(b"someone else's")
    from n1codec.files import remove_partial_outputs
    assert remove_partial_outputs(target) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.n1.deadbeef.tmp"]


# -- usage, folders and messages ----------------------------------------------------------------

def test_compress_folder_help_shows_a_usage_that_works(tmp_path, synthetic_wav):
    usage = run_cli("n1codec", "compress-folder", "--help", check=True).stdout
    assert "{compress,decompress}" not in usage and "src dst" in usage.replace("\n", " ").replace("  ", " ")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.wav").write_bytes(synthetic_wav)
    run_cli("n1codec", "compress-folder", src, tmp_path / "out", "--codec", "delta+huffman", check=True)
    assert (tmp_path / "out" / "a.n1").exists()


def test_a_scheduler_address_without_port_fails_at_once(tmp_path, synthetic_wav):
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.wav").write_bytes(synthetic_wav)
    start = time.monotonic()
    proc = run_cli("n1codec", "compress-folder", src, tmp_path / "out", "--scheduler", "myhost")
    assert proc.returncode == 1 and "needs a host and a port" in proc.stderr
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - start < 15  # dask's close timeout is 20 s: this proves no wait on it


@pytest.mark.parametrize("where", ["under_a_file", "read_only"])
def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path, synthetic_wav, where):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.wav").write_bytes(synthetic_wav)
    if where == "under_a_file":
        (tmp_path / "file").write_bytes(b"")
        dst = tmp_path / "file" / "out"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        dst = ro / "out"
    proc = run_cli("n1codec", "compress-folder", src, dst)
    assert proc.returncode == 1 and "cannot create the output folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_input_removed_after_it_was_read_still_counts_as_done(tmp_path, synthetic_wav, monkeypatch):
    src, dst = tmp_path / "a.wav", tmp_path / "a.n1"
    src.write_bytes(synthetic_wav)
    real = n1codec.api.compress_file

    def compress_then_lose_input(*args, **kwargs):
        header = real(*args, **kwargs)
        src.unlink()
        return header
    monkeypatch.setattr(n1codec.api, "compress_file", compress_then_lose_input)
    outcome = batch.run_job(batch.FileJob(str(src), str(dst), codec="delta+huffman"))
    assert outcome.ok, outcome.error
    assert (outcome.input_bytes, outcome.output_bytes) == (len(synthetic_wav), dst.stat().st_size)


def test_a_missing_output_folder_names_the_output_not_a_temporary_file(tmp_path, synthetic_wav):
    src = tmp_path / "a.wav"
    src.write_bytes(synthetic_wav)
    target = tmp_path / "missing" / "a.n1"
    with pytest.raises(FileNotFoundError) as info:
        n1codec.compress_file(src, target, codec="delta+huffman")
    assert info.value.filename == str(target) and ".tmp" not in str(info.value)
    proc = run_cli("n1codec", "encode", src, target)
    assert proc.returncode == 1 and str(target) in proc.stderr and ".tmp" not in proc.stderr


def test_overwrite_messages_speak_the_callers_language(tmp_path, synthetic_wav):
    src, dst = tmp_path / "a.wav", tmp_path / "a.n1"
    src.write_bytes(synthetic_wav)
    dst.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError, match="force=True") as info:
        n1codec.compress_file(src, dst)
    assert "--force" not in str(info.value)
    proc = run_cli("n1codec", "encode", src, dst)
    assert proc.returncode == 1 and "--force" in proc.stderr and "force=True" not in proc.stderr
    assert dst.read_bytes() == b"keep me"


def test_a_bad_varint_says_which_field_in_plain_words():
    blob = bytearray(n1codec.encode(np.zeros(10, dtype=np.int16), codec="delta+huffman"))
    blob[5:5] = b"\xff" * 11  # the flags varint, made too long
    with pytest.raises(CorruptDataError) as info:
        n1codec.decode(bytes(blob))
    assert "the varint holding the flags is longer than 10 bytes" in str(info.value)


# -- tools that write a folder of results -----------------------------------------------------------

def test_bench_refuses_an_existing_results_folder_without_force(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "results.csv").write_text("a previous run's results\n")
    proc = run_cli("n1codec", "bench", "--limit", "1", "--codecs", "huffman", "--out", out, "--no-progress")
    assert proc.returncode == 1 and "--force" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "results.csv").read_text() == "a previous run's results\n"
    (out / "ratio_vs_speed.png").write_bytes(b"a previous run's plot")
    (out / "notes.txt").write_text("the user's own file")
    run_cli("n1codec", "bench", "--limit", "1", "--codecs", "huffman", "--out", out, "--no-progress", "--force",
            check=True)
    assert "huffman" in (out / "results.csv").read_text()
    assert (out / "notes.txt").read_text() == "the user's own file"
    plot = out / "ratio_vs_speed.png"
    assert not plot.exists() or plot.read_bytes() != b"a previous run's plot"


def test_analyze_refuses_an_existing_report_folder_and_leaves_no_stale_figure(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "fig_psd.png").write_bytes(b"a previous run's figure")
    proc = run_cli("n1codec", "analyze", "--limit", "1", "--no-figures", "--codec", "none", "--out", out, "-q")
    assert proc.returncode == 1 and "--force" in proc.stderr
    run_cli("n1codec", "analyze", "--limit", "1", "--no-figures", "--codec", "none", "--out", out, "-q",
            "--force", check=True)
    assert (out / "report.md").exists() and not (out / "fig_psd.png").exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "results").write_text("not a folder")
    proc = run_cli("n1codec", "bench", "--limit", "1", "--codecs", "huffman", "--out", tmp_path / "results")
    assert proc.returncode == 1 and "is a file" in proc.stderr
