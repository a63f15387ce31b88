"""Spec of `n1codec eval` and `n1codec challenge-kit`: the challenge's scoring, run as the challenge runs it.

tests/data/eval_challenge.sh re-creates the logic of the challenge's eval.sh
(unzip data.zip, ./encode and ./decode per file, diff, sizes summed with the
sizes of the two tools), so the kit is checked the way the challenge checks it.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import stat
import subprocess

import pytest

from benchtools import EVAL_SH, cli, corrupt_decode_env, make_zip, synthetic_wavs
from conftest import dev_files, needs_dev_data

RATIO_LINES = {
    "data": r"Compression ratio, data only: ([0-9.]+)",
    "tools": r"Compression ratio as eval.sh counts it \(.*\): ([0-9.]+)",
    "package": r"Compression ratio \+ the installed n1codec package \(.*\): ([0-9.]+)",
}


def _ratios(stdout):
    return {key: float(re.search(pattern, stdout).group(1)) for key, pattern in RATIO_LINES.items()}


def _run_challenge_eval(folder, env=None):
    shutil.copy(EVAL_SH, folder / "eval.sh")
    return subprocess.run(["bash", "eval.sh"], cwd=folder, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, **(env or {})))


def _kit(folder, codec=None):
    args = ["challenge-kit", folder] + (["--codec", codec] if codec else [])
    proc = cli(*args)
    assert proc.returncode == 0, proc.stderr
    return folder / "encode", folder / "decode"


def _challenge_ratio(stdout):
    return float(re.search(r"^Compression ratio: ([0-9.]+)$", stdout, re.M).group(1))


# ------------------------------------------------------------------- the kit

def test_kit_writes_two_executables_that_name_the_codec(tmp_path):
    encode, decode = _kit(tmp_path / "kit", "delta+huffman")
    for tool in (encode, decode):
        assert tool.stat().st_mode & stat.S_IXUSR
        assert tool.read_text().startswith("#!/bin/sh")
    assert "delta+huffman" in encode.read_text()
    again = cli("challenge-kit", tmp_path / "kit", "--codec", "huffman")
    assert again.returncode == 1 and "--force" in again.stderr
    assert cli("challenge-kit", tmp_path / "kit", "--codec", "huffman", "--force").returncode == 0
    assert "huffman" in encode.read_text()


def test_kit_refuses_an_unknown_codec_before_writing_anything(tmp_path):
    proc = cli("challenge-kit", tmp_path / "kit", "--codec", "nosuchcodec")
    assert proc.returncode == 1 and "nosuchcodec" in proc.stderr
    assert not (tmp_path / "kit" / "encode").exists()


@pytest.mark.parametrize("codec", [None, "huffman"])
def test_kit_passes_the_challenge_eval_on_synthetic_wavs(tmp_path, codec):
    wavs = synthetic_wavs(tmp_path / "wavs", 3)  # the last one has a non-canonical header
    run = tmp_path / "run"
    run.mkdir()
    make_zip(run / "data.zip", wavs)
    encode, decode = _kit(run, codec)
    proc = _run_challenge_eval(run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All recordings successfully compressed." in proc.stdout
    assert proc.stdout.count("losslessly compressed") == 3
    raw = sum(w.stat().st_size for w in wavs)
    compressed = sum((run / "data" / f"{w.name}.brainwire").stat().st_size for w in wavs)
    expected = raw / (compressed + encode.stat().st_size + decode.stat().st_size)
    assert _challenge_ratio(proc.stdout) == math.floor(expected * 100) / 100


def test_challenge_eval_stops_at_a_lossy_decoder(tmp_path):
    wavs = synthetic_wavs(tmp_path / "wavs", 3, odd_header=False)
    run = tmp_path / "run"
    run.mkdir()
    make_zip(run / "data.zip", wavs)
    _kit(run, "delta+huffman")
    proc = _run_challenge_eval(run, env=corrupt_decode_env(tmp_path / "site", "delta+huffman"))
    assert proc.returncode == 1
    assert "ERROR: data/rec00.wav and data/rec00.wav.copy are different." in proc.stdout
    assert proc.stdout.count("Processing") == 1


# ---------------------------------------------------------------------- eval

def test_eval_on_synthetic_data_prints_three_ratios(tmp_path):
    proc = cli("eval", "--limit", "2", "--python")  # the Python launchers: their package is counted too
    assert proc.returncode == 0, proc.stderr
    assert "SYNTHETIC" in proc.stdout and "n1-encode" in proc.stdout
    assert proc.stdout.count("losslessly compressed") == 2
    ratios = _ratios(proc.stdout)
    assert ratios["data"] > ratios["tools"] > ratios["package"] > 0


def test_eval_with_a_codec_uses_the_kit_and_reads_a_zip(tmp_path):
    wavs = synthetic_wavs(tmp_path / "wavs", 2)
    archive = make_zip(tmp_path / "data.zip", wavs)
    proc = cli("eval", archive, "--codec", "huffman", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "codec huffman" in proc.stdout and "Processing" not in proc.stdout
    assert "Original size (bytes): " + str(sum(w.stat().st_size for w in wavs)) in proc.stdout


def test_eval_stops_at_the_first_mismatch_with_non_zero_exit(tmp_path):
    env = corrupt_decode_env(tmp_path / "site", "huffman")
    proc = cli("eval", "--limit", "3", "--codec", "huffman", env=env)
    assert proc.returncode == 1
    assert "are different" in proc.stdout and proc.stdout.count("Processing") == 1
    assert "All recordings successfully compressed." not in proc.stdout


def test_eval_reports_a_failing_encoder(tmp_path):
    from benchtools import fault_env
    env = fault_env(tmp_path / "site", """
        import n1codec.api as _api
        def compress_file(*args, **kwargs):
            raise OSError("simulated disk failure")
        _api.compress_file = compress_file
    """)
    proc = cli("eval", "--limit", "2", "--python", env=env)
    assert proc.returncode == 1 and "encode of" in proc.stdout and "simulated disk failure" in proc.stdout


# ------------------------------------------------------------ real recordings

@needs_dev_data
def test_eval_and_the_kit_agree_on_real_recordings(tmp_path):
    files = dev_files(limit=4)
    data = tmp_path / "real"
    data.mkdir()
    for f in files:
        shutil.copy(f, data / f.name)
    proc = cli("eval", data, "--codec", "delta+huffman")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ratios = _ratios(proc.stdout)
    assert 2.5 < ratios["data"] < 3.5

    run = tmp_path / "run"
    run.mkdir()
    make_zip(run / "data.zip", files)
    _kit(run, "delta+huffman")
    challenge = _run_challenge_eval(run)
    assert challenge.returncode == 0, challenge.stdout + challenge.stderr
    assert challenge.stdout.count("losslessly compressed") == len(files)
    assert _challenge_ratio(challenge.stdout) == math.floor(ratios["tools"] * 100) / 100


@needs_dev_data
def test_default_commands_pass_on_real_recordings(tmp_path):
    files = dev_files(limit=3)
    run = tmp_path / "run"
    run.mkdir()
    make_zip(run / "data.zip", files)
    _kit(run)  # the default codec, as n1-encode uses it
    proc = _run_challenge_eval(run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for f in files:
        assert (run / "data" / f.name).read_bytes() == (run / "data" / f"{f.name}.copy").read_bytes()


# ------------------------------------------------------------ the native kit

def _native_installed():
    from pathlib import Path
    import sys
    return all((Path(sys.executable).parent / name).exists() for name in ("n1c-encode", "n1c-decode"))


needs_native = pytest.mark.skipif(not _native_installed(), reason="n1c-encode / n1c-decode are not installed "
                                  "beside this Python (pip install builds them)")


@needs_native
@pytest.mark.parametrize("codec, level", [(None, "n1"), ("n1:fast", "n1:fast"), ("n1:max", "n1:max")])
def test_kit_for_the_n1_levels_is_the_small_native_programs(tmp_path, codec, level):
    import n1codec
    encode, decode = _kit(tmp_path / "kit", codec)
    for tool in (encode, decode):
        assert tool.read_bytes()[:4] == b"\x7fELF" and tool.stat().st_mode & stat.S_IXUSR
        # Counted in the score (0.75% of the dev split's compressed bytes for both, as of n1 stream
        # format 2): this guards against gross growth, such as a static libc (~800 KB).
        assert tool.stat().st_size < 150_000
    wav = synthetic_wavs(tmp_path / "wavs", 1)[0]
    out = tmp_path / "out.n1"
    assert subprocess.run([str(encode), str(wav), str(out)]).returncode == 0
    assert out.read_bytes() == n1codec.encode_wav_bytes(wav.read_bytes(), codec=level)
    back = tmp_path / "back.wav"
    assert subprocess.run([str(decode), str(out), str(back)]).returncode == 0
    assert back.read_bytes() == wav.read_bytes()


@needs_native
def test_kit_writes_python_scripts_for_n1_when_asked(tmp_path):
    proc = cli("challenge-kit", tmp_path / "kit", "--python")
    assert proc.returncode == 0 and "Python launcher scripts" in proc.stdout
    assert (tmp_path / "kit" / "encode").read_text().startswith("#!/bin/sh")


@needs_native
def test_eval_runs_the_native_kit_and_reports_both_ratios(tmp_path):
    proc = cli("eval", "--limit", "2")
    assert proc.returncode == 0, proc.stderr
    assert "native programs n1c-encode / n1c-decode" in proc.stdout
    assert "libc and libm only" in proc.stdout and "M samples/s" in proc.stdout
    ratios = {key: float(re.search(pattern, proc.stdout).group(1))
              for key, pattern in RATIO_LINES.items() if key != "package"}
    assert ratios["data"] > ratios["tools"] > 0
