"""bench/per_file_sizes.py: two codecs of a bench run compared file by file (issue 12's
"at most 5% larger than n1 on every file")."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from benchtools import cli, read_csv

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "per_file_sizes.py"


def _compare(per_file: Path, *args):
    return subprocess.run([sys.executable, str(SCRIPT), str(per_file), *args],
                          capture_output=True, text=True, timeout=60)


def _write(path: Path, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["codec", "file", "compressed_bytes", "lossless"])
        writer.writeheader()
        for codec, name, size, ok in rows:
            writer.writerow({"codec": codec, "file": name, "compressed_bytes": size,
                             "lossless": "yes" if ok else "FAILED"})
    return path


def test_a_real_bench_run_is_compared_file_by_file(tmp_path):
    out = tmp_path / "run"
    proc = cli("bench", "--limit", "3", "--codecs", "n1:fast,n1", "--out", out, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(out / "per_file.csv")
    fast = {r["file"]: int(r["compressed_bytes"]) for r in rows if r["codec"] == "n1:fast"}
    base = {r["file"]: int(r["compressed_bytes"]) for r in rows if r["codec"] == "n1"}
    worst = max(fast[f] / base[f] for f in base)
    result = _compare(out / "per_file.csv", "--limit", "10")  # a limit no file can exceed
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 files" in result.stdout and f"max {worst:.4f}" in result.stdout
    assert "files more than 1000% larger: 0" in result.stdout


def test_a_file_over_the_limit_is_named_and_fails(tmp_path):
    per_file = _write(tmp_path / "per_file.csv", [
        ("n1:fast", "a.wav", 104, True), ("n1", "a.wav", 100, True),
        ("n1:fast", "b.wav", 106, True), ("n1", "b.wav", 100, True),
    ])
    result = _compare(per_file)
    assert result.returncode == 1
    assert "files more than 5% larger: 1" in result.stdout
    assert "b.wav: 106 / 100 bytes (+6.00%)" in result.stdout
    assert _compare(per_file, "--limit", "0.07").returncode == 0


def test_failed_rows_are_reported_not_compared(tmp_path):
    per_file = _write(tmp_path / "per_file.csv", [
        ("n1:fast", "a.wav", 100, True), ("n1", "a.wav", 100, True),
        ("n1:fast", "b.wav", 0, False), ("n1", "b.wav", 100, True),
    ])
    result = _compare(per_file)
    assert result.returncode == 1
    assert "1 files" in result.stdout and "n1:fast failed on 1 files: b.wav" in result.stdout


def test_no_common_lossless_file_is_an_error(tmp_path):
    per_file = _write(tmp_path / "per_file.csv", [("n1", "a.wav", 100, True)])
    result = _compare(per_file)
    assert result.returncode == 2 and "no file has lossless rows" in result.stderr
