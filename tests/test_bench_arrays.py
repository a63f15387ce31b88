"""Spec of `n1codec bench` on recordings stored as arrays, and of its reference rows.

Real recordings from other systems come as ``.npy`` (int16, samples x channels) or raw
interleaved int16 binaries; the bench reads them as they are, takes the sample rate from a
``manifest.json`` or ``--rate``, counts raw int16 bytes as the original size, and checks
every decode element for element. ``--references`` adds the field's usual lossless
choices, measured and checked in the same run. Run through the CLI as a user runs it;
no assertion depends on timing.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchtools import cli, fault_env, read_csv
from n1codec.tools import references
from n1codec.tools.datasets import discover

RATE = 30000.0


def _recordings(seed: int = 0):
    """Three small multichannel recordings: N1-like, one with a DC offset and clipping, one channel alone."""
    from n1codec.tools import synthetic
    a = synthetic.n1_like(seconds=0.05, seed=seed, channels=3, sample_rate=int(RATE))
    b = synthetic.n1_like(seconds=0.04, seed=seed + 1, channels=2, sample_rate=int(RATE)).astype(np.int32) * 40
    b = np.clip(b + 1200, -20000, 20000).astype(np.int16)  # full-range gain, an offset, clipped peaks
    c = synthetic.n1_like(seconds=0.03, seed=seed + 2, channels=1, sample_rate=int(RATE))  # 1-D
    return {"rec_a": a, "rec_b": b, "rec_c": c}


def _npy_folder(folder, manifest=True, rate=RATE, arrays=None):
    folder.mkdir(parents=True, exist_ok=True)
    arrays = arrays or _recordings()
    for name, arr in arrays.items():
        np.save(folder / f"{name}.npy", arr)
    if manifest:
        (folder / "manifest.json").write_text(json.dumps(
            {name: {"fs": rate, "shape": list(arr.shape)} for name, arr in arrays.items()}))
    return arrays


def _bench(tmp_path, *args, env=None, name="out"):
    out = tmp_path / name
    return cli("bench", *args, "--out", out, "--no-progress", env=env), out


def _frames(arr):
    return arr.shape[0]


# ------------------------------------------------------------------- .npy folders

def test_npy_folder_with_manifest_counts_raw_int16_bytes_and_verifies_every_decode(tmp_path):
    arrays = _npy_folder(tmp_path / "rec", rate=20000.0)
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "n1,delta+huffman")
    assert proc.returncode == 0, proc.stderr
    assert "3 .npy" in proc.stdout
    raw_bytes = sum(a.size * 2 for a in arrays.values())
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    assert set(rows) == {"n1", "delta+huffman"}
    for row in rows.values():
        assert row["lossless"] == "yes" and row["files"] == "3" and row["reference"] == ""
        assert int(row["original_bytes"]) == raw_bytes
        assert int(row["samples"]) == sum(a.size for a in arrays.values())
        # duration from the manifest's rate (20 kHz), not a default
        assert float(row["duration_s"]) == pytest.approx(sum(_frames(a) for a in arrays.values()) / 20000.0,
                                                         abs=1e-3)
    per_file = read_csv(out / "per_file.csv")
    assert sorted({r["file"] for r in per_file}) == ["rec_a.npy", "rec_b.npy", "rec_c.npy"]
    assert {r["lossless"] for r in per_file} == {"yes"}
    md = (out / "results.md").read_text()
    assert "raw int16 bytes" in md and "## Ratio per recording" in md and "| rec_b.npy |" in md


def test_npy_bytes_match_n1codec_encode_of_the_array(tmp_path):
    import n1codec
    arrays = _npy_folder(tmp_path / "rec")
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "n1")
    assert proc.returncode == 0, proc.stderr
    sizes = {r["file"]: int(r["compressed_bytes"]) for r in read_csv(out / "per_file.csv")}
    for name, arr in arrays.items():
        assert sizes[f"{name}.npy"] == len(n1codec.encode(arr, codec="n1", sample_rate=int(RATE)))


def test_npy_folder_without_manifest_needs_rate_and_says_so(tmp_path):
    arrays = _npy_folder(tmp_path / "rec", manifest=False)
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "delta+huffman")
    assert proc.returncode == 1
    assert "no sample rate" in proc.stderr and "--rate" in proc.stderr and "rec_a.npy" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "delta+huffman", "--rate", "25000")
    assert proc.returncode == 0, proc.stderr
    row = read_csv(out / "results.csv")[0]
    assert float(row["duration_s"]) == pytest.approx(sum(_frames(a) for a in arrays.values()) / 25000.0, abs=1e-3)


def test_the_manifest_gives_the_rate_and_rate_fills_in_for_files_it_does_not_name(tmp_path):
    folder = tmp_path / "rec"
    _npy_folder(folder, rate=20000.0)
    np.save(folder / "extra.npy", np.arange(300, dtype=np.int16).reshape(100, 3))
    with pytest.raises(Exception, match="does not name it"):
        discover(str(folder), arrays=True)
    data = discover(str(folder), arrays=True, rate=1000.0)
    rates = {f.name: f.rate for f in data.files}
    assert rates == {"extra.npy": 1000.0, "rec_a.npy": 20000.0, "rec_b.npy": 20000.0, "rec_c.npy": 20000.0}
    channels = {f.name: f.channels for f in data.files}
    assert channels == {"extra.npy": 3, "rec_a.npy": 3, "rec_b.npy": 2, "rec_c.npy": 1}


def test_a_single_npy_file_is_a_data_set_of_one(tmp_path):
    arrays = _npy_folder(tmp_path / "rec")
    proc, out = _bench(tmp_path, tmp_path / "rec" / "rec_b.npy", "--codecs", "delta+huffman")
    assert proc.returncode == 0, proc.stderr
    assert "1 .npy recording" in proc.stdout
    row = read_csv(out / "results.csv")[0]
    assert row["files"] == "1" and int(row["original_bytes"]) == arrays["rec_b"].nbytes


@pytest.mark.parametrize("bad, message", [
    (np.zeros((10, 2), dtype=np.float32), "float32"),
    (np.zeros((4, 2, 2), dtype=np.int16), "shape"),
])
def test_npy_that_is_not_int16_samples_by_channels_is_refused_clearly(tmp_path, bad, message):
    np.save(tmp_path / "bad.npy", bad)
    proc, _ = _bench(tmp_path, tmp_path / "bad.npy", "--rate", "1000")
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr


def test_wav_only_tools_do_not_pick_up_arrays(tmp_path):
    _npy_folder(tmp_path / "rec")
    with pytest.raises(FileNotFoundError):
        discover(str(tmp_path / "rec"))  # eval and analyze read WAV files only


# ------------------------------------------------------------------ raw int16

def test_raw_int16_with_channels_and_rate_gives_the_same_bytes_as_the_npy(tmp_path):
    arrays = _npy_folder(tmp_path / "rec")
    raw = tmp_path / "raw_files"
    raw.mkdir()
    arrays["rec_a"].astype("<i2").tofile(raw / "rec_a.bin")
    proc, out = _bench(tmp_path, raw / "rec_a.bin", "--channels", "3", "--rate", str(RATE),
                       "--codecs", "n1,delta+huffman", name="raw")
    assert proc.returncode == 0, proc.stderr
    assert "raw int16" in proc.stdout
    by_npy, out_npy = _bench(tmp_path, tmp_path / "rec" / "rec_a.npy", "--codecs", "n1,delta+huffman", name="npy")
    assert by_npy.returncode == 0, by_npy.stderr
    key = lambda rows: [(r["codec"], r["original_bytes"], r["compressed_bytes"]) for r in rows]  # noqa: E731
    assert key(read_csv(out / "results.csv")) == key(read_csv(out_npy / "results.csv"))


def test_raw_int16_needs_a_rate_and_a_size_that_fits_the_channels(tmp_path):
    path = tmp_path / "x.dat"
    np.arange(30, dtype="<i2").tofile(path)  # 30 samples: 10 frames of 3 channels, not of 4
    proc, _ = _bench(tmp_path, path, "--channels", "3")
    assert proc.returncode == 1 and "--rate" in proc.stderr
    proc, _ = _bench(tmp_path, path, "--channels", "4", "--rate", "1000")
    assert proc.returncode == 1 and "not a whole number" in proc.stderr and "--channels" in proc.stderr
    data = discover(str(tmp_path), arrays=True, channels=3, rate=1000.0)  # a folder of raw files
    assert [f.name for f in data.files] == ["x.dat"] and data.files[0].read_array().shape == (10, 3)


# ------------------------------------------------------------------- references

def test_reference_rows_are_measured_labelled_and_lossless(tmp_path):
    arrays = _npy_folder(tmp_path / "rec")
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "n1", "--references")
    assert proc.returncode == 0, proc.stderr
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    meta = json.loads((out / "results.json").read_text())
    skipped = {s["codec"]: s["reason"] for s in meta["skipped"]}
    assert rows["n1"]["reference"] == ""
    raw_bytes = sum(a.size * 2 for a in arrays.values())
    for ref in references.REFERENCES:
        if ref.missing():  # a tool absent here: skipped, with the reason and how to install it
            assert skipped[f"{ref.name} (reference)"] == ref.missing()
            continue
        row = rows[ref.name]
        assert row["reference"] == "yes" and row["lossless"] == "yes" and row["files"] == "3"
        assert int(row["original_bytes"]) == raw_bytes and 0 < int(row["compressed_bytes"]) < raw_bytes
        assert float(row["encode_speed_xRT"]) > 0 and float(row["decode_speed_xRT"]) > 0
    md = (out / "results.md").read_text()
    assert "*(reference)*" in md and "(ref.)" in md
    # always available: the in-process references on numpy, zlib and numcodecs (a test dependency)
    assert {"delta+zlib6", "blosc-zstd5-bitshuffle"} <= set(rows)


def test_references_handle_adversarial_recordings(tmp_path):
    frames = 3000
    t = np.arange(frames)
    square = np.where((t // 50) % 2, 32767, -32768).astype(np.int16)
    rng = np.random.default_rng(7)
    arrays = {
        "constant": np.full((frames, 2), -7, dtype=np.int16),
        "square_full_scale": np.stack([square, -1 - square], axis=1),
        "alternating_extremes": np.stack([np.where(t % 2, 32767, -32768)] * 3, axis=1).astype(np.int16),
        "white_noise": rng.integers(-32768, 32768, size=(frames, 2), dtype=np.int16),
        "clipped": np.clip(rng.normal(0, 9000, size=(frames, 2)), -10000, 10000).astype(np.int16),
    }
    _npy_folder(tmp_path / "adv", arrays=arrays)
    proc, out = _bench(tmp_path, tmp_path / "adv", "--codecs", "n1", "--references")
    assert proc.returncode == 0, proc.stderr
    per_file = read_csv(out / "per_file.csv")
    assert {r["lossless"] for r in per_file} == {"yes"}
    assert len({r["file"] for r in per_file}) == len(arrays)


def test_a_reference_or_codec_that_is_not_lossless_fails_loudly(tmp_path):
    _npy_folder(tmp_path / "rec")
    env = fault_env(tmp_path / "site", """
        import dataclasses
        import n1codec.api as _api
        import n1codec.tools.references as _refs
        _decode, _get = _api.decode, _refs.get

        def decode(blob):
            out = _decode(blob).copy()
            if _api.info(blob).spec == "delta+huffman":
                out.reshape(-1)[out.size // 2] ^= 1
            return out

        def flipped(decode_ref):
            def decode(*args):
                out = decode_ref(*args).copy()
                out[0, 0] ^= 1
                return out
            return decode

        def get(spec):
            ref = _get(spec)
            return dataclasses.replace(ref, decode=flipped(ref.decode)) if ref.name == "delta+zlib6" else ref

        _api.decode, _refs.get = decode, get
    """)
    proc, out = _bench(tmp_path, tmp_path / "rec", "--codecs", "delta+huffman,n1,references", env=env)
    assert proc.returncode == 1
    assert "LOSSLESS CHECK FAILED" in proc.stderr and "first difference at frame" in proc.stderr
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    assert rows["delta+huffman"]["lossless"] == "FAILED" and rows["delta+zlib6"]["lossless"] == "FAILED"
    assert rows["n1"]["lossless"] == "yes" and rows["blosc-zstd5-bitshuffle"]["lossless"] == "yes"


def test_files_that_are_not_what_the_options_say_are_refused_clearly(tmp_path):
    (tmp_path / "fake.npy").write_bytes(b"not an array at all")
    proc, _ = _bench(tmp_path, tmp_path / "fake.npy", "--rate", "1000")
    assert proc.returncode == 1 and "not a readable .npy" in proc.stderr and "Traceback" not in proc.stderr
    np.save(tmp_path / "rec.npy", np.zeros((10, 2), dtype=np.int16))
    proc, _ = _bench(tmp_path, tmp_path / "rec.npy", "--channels", "2", "--rate", "1000")
    assert proc.returncode == 1 and "--channels is for raw int16" in proc.stderr


def test_references_also_run_on_wav_recordings(tmp_path):
    proc, out = _bench(tmp_path, "--limit", "1", "--codecs", "n1,references")
    assert proc.returncode == 0, proc.stderr
    rows = {r["codec"]: r for r in read_csv(out / "results.csv")}
    available = [ref.name for ref in references.REFERENCES if not ref.missing()]
    assert set(available) <= set(rows)
    wav_bytes = int(rows["n1"]["original_bytes"])
    for name in available:  # the same original bytes (the WAV file) for every row
        assert rows[name]["lossless"] == "yes" and int(rows[name]["original_bytes"]) == wav_bytes
