"""Spec: the command line as a user runs it, in a subprocess."""
from __future__ import annotations

import json

import pytest

from conftest import dev_files, needs_dev_data, run_cli


@pytest.fixture
def wav_file(tmp_path, synthetic_wav):
    path = tmp_path / "rec.wav"
    path.write_bytes(synthetic_wav)
    return path


def test_encode_decode_round_trip(tmp_path, wav_file):
    n1 = tmp_path / "rec.n1"
    out = tmp_path / "copy.wav"
    enc = run_cli("n1codec", "encode", wav_file, n1, check=True)
    assert "ratio" in enc.stdout
    run_cli("n1codec", "decode", n1, out, check=True)
    assert out.read_bytes() == wav_file.read_bytes()


def test_info_reports_the_header(tmp_path, wav_file):
    n1 = tmp_path / "rec.n1"
    run_cli("n1codec", "encode", "--codec", "delta_huff", wav_file, n1, check=True)
    text = run_cli("n1codec", "info", n1, check=True).stdout
    for word in ("codec", "delta+huffman", "sample_rate", "19531", "channels", "ratio", "crc32"):
        assert word in text
    fields = json.loads(run_cli("n1codec", "info", "--json", n1, check=True).stdout)
    assert fields["compressed_bytes"] == n1.stat().st_size
    assert fields["original_bytes"] == wav_file.stat().st_size


def test_list_shows_codecs_and_aliases():
    out = run_cli("n1codec", "list", check=True).stdout
    assert "huffman" in out and "delta" in out and "delta_huff" in out
    data = json.loads(run_cli("n1codec", "list", "--json", check=True).stdout)
    ids = {row["id"] for row in data["components"]}
    assert {"huffman", "delta"} <= ids
    assert data["aliases"]["delta_huff"] == "delta+huffman"


def test_existing_output_needs_force(tmp_path, wav_file):
    n1 = tmp_path / "rec.n1"
    n1.write_bytes(b"keep me")
    proc = run_cli("n1codec", "encode", wav_file, n1)
    assert proc.returncode == 1 and "exists" in proc.stderr and "--force" in proc.stderr
    assert n1.read_bytes() == b"keep me"
    run_cli("n1codec", "encode", "--force", wav_file, n1, check=True)
    assert n1.read_bytes()[:4] == b"\x89N1C"


@pytest.mark.parametrize("content, message", [
    (b"definitely not audio", "not a WAV file"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00"
     b"\x03\x00\x18\x00data\x00\x00\x00\x00", "24-bit"),
])
def test_bad_wav_is_one_line_error_and_no_output(tmp_path, content, message):
    src = tmp_path / "bad.wav"
    src.write_bytes(content)
    out = tmp_path / "bad.n1"
    proc = run_cli("n1codec", "encode", src, out)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind


def test_corrupt_n1_is_one_line_error_and_no_output(tmp_path, wav_file):
    n1 = tmp_path / "rec.n1"
    run_cli("n1codec", "encode", wav_file, n1, check=True)
    data = bytearray(n1.read_bytes())
    data[len(data) // 2] ^= 0xFF
    n1.write_bytes(bytes(data))
    out = tmp_path / "out.wav"
    proc = run_cli("n1codec", "decode", n1, out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "corrupt" in proc.stderr or "CRC" in proc.stderr
    assert not out.exists()


def test_truncated_n1_says_truncated(tmp_path, wav_file):
    n1 = tmp_path / "rec.n1"
    run_cli("n1codec", "encode", wav_file, n1, check=True)
    n1.write_bytes(n1.read_bytes()[:-100])
    proc = run_cli("n1codec", "decode", n1, tmp_path / "out.wav")
    assert proc.returncode == 1 and "truncated" in proc.stderr


def test_missing_input_and_unknown_codec(tmp_path, wav_file):
    proc = run_cli("n1codec", "encode", tmp_path / "nope.wav", tmp_path / "x.n1")
    assert proc.returncode == 1 and "No such file" in proc.stderr
    proc = run_cli("n1codec", "encode", "--codec", "bogus", wav_file, tmp_path / "x.n1")
    assert proc.returncode == 1 and "unknown codec 'bogus'" in proc.stderr


def test_input_is_never_overwritten(tmp_path, wav_file):
    before = wav_file.read_bytes()
    proc = run_cli("n1codec", "encode", "--force", wav_file, wav_file)
    assert proc.returncode == 1 and "same file" in proc.stderr
    assert wav_file.read_bytes() == before


def test_usage_errors_exit_2_and_help_works():
    assert run_cli("n1codec").returncode == 2
    assert run_cli("n1codec", "encode").returncode == 2
    help_text = run_cli("n1codec", "--help", check=True).stdout
    for command in ("encode", "decode", "info", "list", "bench"):
        assert command in help_text


def test_challenge_commands_round_trip(tmp_path, wav_file):
    n1 = tmp_path / "rec.bin"
    out = tmp_path / "rec.out.wav"
    run_cli("n1-encode", wav_file, n1, check=True)
    run_cli("n1-decode", n1, out, check=True)
    assert out.read_bytes() == wav_file.read_bytes()
    bad = run_cli("n1-decode", wav_file, tmp_path / "x.wav")
    assert bad.returncode == 1 and "not an .n1 file" in bad.stderr
    assert run_cli("n1-encode").returncode == 2


@needs_dev_data
def test_cli_on_a_real_recording(tmp_path):
    src = dev_files(limit=1)[0]
    run_cli("n1codec", "encode", src, tmp_path / "a.n1", check=True)
    run_cli("n1codec", "decode", tmp_path / "a.n1", tmp_path / "a.wav", check=True)
    assert (tmp_path / "a.wav").read_bytes() == src.read_bytes()


def test_bench_runs_on_the_embedded_default(tmp_path):
    proc = run_cli("n1codec", "bench", "--limit", "2", "--codecs", "huffman,delta+huffman", cwd=tmp_path,
                   check=True)
    assert "synthetic" in proc.stdout.lower() and "delta+huffman" in proc.stdout


def test_compress_and_decompress_a_folder(tmp_path, synthetic_wav):
    src, packed, back = tmp_path / "wav", tmp_path / "n1", tmp_path / "back"
    src.mkdir()
    for i in range(3):
        (src / f"rec{i}.wav").write_bytes(synthetic_wav)
    run_cli("n1codec", "compress-folder", src, packed, "--codec", "delta+huffman", check=True)
    assert sorted(p.name for p in packed.iterdir()) == ["rec0.n1", "rec1.n1", "rec2.n1"]
    proc = run_cli("n1codec", "decompress-folder", packed, back, check=True)
    assert "3 file(s)" in proc.stdout
    for i in range(3):
        assert (back / f"rec{i}.wav").read_bytes() == synthetic_wav
    assert "--scheduler" in run_cli("n1codec", "compress-folder", "--help", check=True).stdout
