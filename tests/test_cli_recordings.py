"""Spec: the CLI compresses the recordings labs have and reads time ranges back.

`n1codec encode` takes raw binaries (--channels, --rate, --dtype), .npy, SpikeGLX
and Open Ephys files into chunked .n1 files; `n1codec decode` gives back the
original file byte for byte (and its .meta), or a time range with --start/--stop;
a truncated file is refused in one line naming --partial, which reads what is left.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import run_cli


@pytest.fixture
def traces():
    rng = np.random.default_rng(8)
    return np.cumsum(rng.integers(-40, 41, size=(9000, 4)), axis=0).astype(np.int16)


def test_raw_binary_round_trip_and_info(tmp_path, traces):
    src = tmp_path / "rec.bin"
    traces.tofile(src)
    n1 = tmp_path / "rec.n1"
    proc = run_cli("n1codec", "encode", src, n1, "--channels", 4, "--rate", 3000, "--chunk-seconds", 1, check=True)
    assert "ratio" in proc.stdout
    info = json.loads(run_cli("n1codec", "info", n1, "--json", check=True).stdout)
    assert (info["format_version"], info["channels"], info["frames"], info["chunks"], info["source"]) == (
        3, 4, 9000, 3, "raw")
    run_cli("n1codec", "decode", n1, tmp_path / "back.bin", check=True)
    assert (tmp_path / "back.bin").read_bytes() == src.read_bytes()


def test_decode_a_time_range(tmp_path, traces):
    np.save(tmp_path / "rec.npy", traces)
    n1 = tmp_path / "rec.n1"
    run_cli("n1codec", "encode", tmp_path / "rec.npy", n1, "--rate", 3000, check=True)
    run_cli("n1codec", "decode", n1, tmp_path / "part.npy", "--start", "0.5s", "--stop", "1500ms", check=True)
    np.testing.assert_array_equal(np.load(tmp_path / "part.npy"), traces[1500:4500])
    run_cli("n1codec", "decode", n1, tmp_path / "tail.bin", "--start", "8000f", check=True)
    assert (tmp_path / "tail.bin").read_bytes() == traces[8000:].tobytes()


def test_spikeglx_is_detected_and_its_meta_comes_back(tmp_path, traces):
    src = tmp_path / "run_g0_t0.imec0.ap.bin"
    traces.tofile(src)
    meta = b"nSavedChans=4\nimSampRate=30000\ntypeThis=imec\n"
    src.with_suffix(".meta").write_bytes(meta)
    n1 = tmp_path / "run.n1"
    run_cli("n1codec", "encode", src, n1, check=True)
    out = tmp_path / "out" / "copy.ap.bin"
    out.parent.mkdir()
    run_cli("n1codec", "decode", n1, out, check=True)
    assert out.read_bytes() == src.read_bytes()
    assert out.with_suffix(".meta").read_bytes() == meta


def test_a_raw_binary_without_its_layout_asks_for_it(tmp_path, traces):
    traces.tofile(tmp_path / "rec.dat")
    proc = run_cli("n1codec", "encode", tmp_path / "rec.dat", tmp_path / "rec.n1")
    assert proc.returncode == 1 and "--channels" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "rec.n1").exists()


def test_truncated_files_are_refused_unless_partial(tmp_path, traces):
    traces.tofile(tmp_path / "rec.bin")
    n1 = tmp_path / "rec.n1"
    run_cli("n1codec", "encode", tmp_path / "rec.bin", n1, "--channels", 4, "--rate", 3000, check=True)
    data = n1.read_bytes()
    n1.write_bytes(data[:len(data) * 3 // 4])
    proc = run_cli("n1codec", "decode", n1, tmp_path / "back.bin")
    assert proc.returncode == 1 and "truncated" in proc.stderr and "--partial" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "back.bin").exists()
    proc = run_cli("n1codec", "decode", n1, tmp_path / "back.bin", "--partial")
    assert proc.returncode == 0 and "warning" in proc.stderr
    back = np.fromfile(tmp_path / "back.bin", dtype=np.int16).reshape(-1, 4)
    assert 0 < len(back) < len(traces)
    np.testing.assert_array_equal(back, traces[:len(back)])


def test_time_ranges_need_a_chunked_file(tmp_path):
    from n1codec.tools import synthetic
    wav = tmp_path / "rec.wav"
    wav.write_bytes(synthetic.wav_bytes(synthetic.n1_like(seconds=0.1, seed=1)))
    run_cli("n1codec", "encode", wav, tmp_path / "rec.n1", check=True)
    proc = run_cli("n1codec", "decode", tmp_path / "rec.n1", tmp_path / "x.wav", "--start", "1s")
    assert proc.returncode == 1 and "chunked" in proc.stderr
    run_cli("n1codec", "encode", wav, tmp_path / "c.n1", "--chunked", check=True)
    run_cli("n1codec", "decode", tmp_path / "c.n1", tmp_path / "c.wav", check=True)
    assert (tmp_path / "c.wav").read_bytes() == wav.read_bytes()
