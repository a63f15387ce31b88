"""Spec: n1c, the native command line (csrc/tools/), writes the very .n1 bytes the Python package
writes for the n1 levels, each side decodes the other's files, and bad input is one line on
stderr, a non-zero exit and no output file.

The programs are taken from beside this Python (a pip install puts them there) or, when absent,
built once with CMake into a temporary folder.
"""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import n1codec
from n1codec.tools import synthetic

from conftest import REPO_ROOT, dev_files, needs_dev_data

PROGRAMS = ("n1c", "n1c-encode", "n1c-decode")
LEVELS = {"fast": "n1:fast", "default": "n1", "max": "n1:max"}


@pytest.fixture(scope="session")
def programs(tmp_path_factory):
    beside = Path(sys.executable).parent
    if all((beside / p).exists() for p in PROGRAMS):
        return {p: beside / p for p in PROGRAMS}
    if shutil.which("cmake") is None:
        pytest.skip("n1c is not installed beside this Python and cmake is not available to build it")
    build = tmp_path_factory.mktemp("n1c-build")
    for cmd in (["cmake", "-S", str(REPO_ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                 "-DN1CODEC_BUILD_PYTHON=OFF", "-DN1CODEC_BUILD_TESTS=OFF", "-DN1CODEC_WERROR=ON"],
                ["cmake", "--build", str(build), "-j", "2", "--target", *PROGRAMS]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return {p: build / p for p in PROGRAMS}


def run(exe, *args, cwd=None):
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd)


def encode_c(programs, wav: bytes, tmp_path, level="default") -> bytes:
    src, dst = tmp_path / "in.wav", tmp_path / "out.n1"
    src.write_bytes(wav)
    dst.unlink(missing_ok=True)
    proc = run(programs["n1c"], "encode", src, dst, "--level", level)
    assert proc.returncode == 0, proc.stderr
    return dst.read_bytes()


def decode_c(programs, blob: bytes, tmp_path) -> bytes:
    src, dst = tmp_path / "in.n1", tmp_path / "out.wav"
    src.write_bytes(blob)
    dst.unlink(missing_ok=True)
    proc = run(programs["n1c"], "decode", src, dst)
    assert proc.returncode == 0, proc.stderr
    return dst.read_bytes()


def _chunk(tag: bytes, body: bytes) -> bytes:
    return tag + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def _riff(*chunks: bytes, trailer: bytes = b"") -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body + trailer


def _fmt(channels=1, rate=19531, tag=1, bits=16, extensible=False) -> bytes:
    align = channels * bits // 8
    body = struct.pack("<HHIIHH", 0xFFFE if extensible else tag, channels, rate, rate * align, align, bits)
    if extensible:
        body += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + \
            b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    return _chunk(b"fmt ", body)


def _synthetic_wavs():
    mono = synthetic.n1_like(seconds=0.2, seed=21)
    stereo = synthetic.n1_like(seconds=0.05, seed=22, channels=3)
    data = mono.astype("<i2").tobytes()
    return {
        "canonical-mono": synthetic.wav_bytes(mono),
        "canonical-3ch": synthetic.wav_bytes(stereo),
        "empty": _riff(_fmt(), _chunk(b"data", b"")),
        "list-chunk-and-trailer": _riff(_fmt(), _chunk(b"LIST", b"INFOISFT\x02\x00ab"), _chunk(b"data", data),
                                        trailer=b"junk"),
        "extensible": _riff(_fmt(extensible=True), _chunk(b"data", data)),
        "truncated-data-odd-byte": _riff(_fmt(), _chunk(b"data", data))[:-3],
        "rate-2^31-not-canonical": _riff(_fmt(rate=2 ** 31 - 1) [:12] + struct.pack("<I", 2 ** 31)
                                         + _fmt()[16:], _chunk(b"data", data[:200])),
        "fmt-18-bytes-and-fact": _riff(_chunk(b"fmt ", _fmt()[8:] + b"\0\0"), _chunk(b"fact", b"abcd"),
                                       _chunk(b"data", data[:301])),
        "noise": synthetic.wav_bytes(np.random.RandomState(3).randint(-32768, 32768, 5000).astype(np.int16)),
    }


SYNTHETIC = _synthetic_wavs()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", SYNTHETIC)
def test_c_and_python_write_identical_bytes_and_decode_each_other(programs, tmp_path, name, level):
    wav = SYNTHETIC[name]
    python_blob = n1codec.encode_wav_bytes(wav, codec=LEVELS[level])
    c_blob = encode_c(programs, wav, tmp_path, level)
    assert c_blob == python_blob
    assert n1codec.decode_to_wav_bytes(c_blob) == wav
    assert decode_c(programs, python_blob, tmp_path) == wav


@needs_dev_data
@pytest.mark.parametrize("path", dev_files(limit=6), ids=lambda p: p.stem[:8])
def test_identical_bytes_on_real_recordings(programs, tmp_path, path):
    wav = path.read_bytes()
    for level, spec in LEVELS.items():
        c_blob = encode_c(programs, wav, tmp_path, level)
        assert c_blob == n1codec.encode_wav_bytes(wav, codec=spec), level
        assert decode_c(programs, c_blob, tmp_path) == wav


@pytest.mark.parametrize("fixture", ["format_v2/wav_canonical.n1", "format_v2/wav_verbatim_n1-max.n1",
                                     "format_v2/stereo_n1.n1", "format_v1/mono_n1.n1",
                                     "format_v1/mono_n1-fast.n1", "format_v1/noise_n1-max.n1"])
def test_c_decodes_the_frozen_fixtures(programs, tmp_path, fixture):
    blob = (Path(__file__).parent / "fixtures" / fixture).read_bytes()
    assert decode_c(programs, blob, tmp_path) == n1codec.decode_to_wav_bytes(blob)


def test_one_direction_builds_and_the_kit_names(programs, tmp_path):
    wav = SYNTHETIC["canonical-mono"]
    (tmp_path / "a.wav").write_bytes(wav)
    assert run(programs["n1c-encode"], tmp_path / "a.wav", tmp_path / "a.n1", "--level", "max").returncode == 0
    assert (tmp_path / "a.n1").read_bytes() == n1codec.encode_wav_bytes(wav, codec="n1:max")
    assert run(programs["n1c-decode"], tmp_path / "a.n1", tmp_path / "b.wav").returncode == 0
    assert (tmp_path / "b.wav").read_bytes() == wav
    # Named encode / decode (as eval.sh runs them) they overwrite their output, like the challenge's tools.
    shutil.copy(programs["n1c-encode"], tmp_path / "encode")
    shutil.copy(programs["n1c-decode"], tmp_path / "decode")
    assert run("./encode", "a.wav", "b.wav", cwd=tmp_path).returncode == 0
    assert (tmp_path / "b.wav").read_bytes() == n1codec.encode_wav_bytes(wav, codec="n1")
    assert run("./decode", "b.wav", "a.n1", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.n1").read_bytes() == wav
    wrong = run(programs["n1c-decode"], "--level", "max", "x", "y")
    assert wrong.returncode == 2 and "unknown option" in wrong.stderr


def _wav_24bit() -> bytes:
    return _riff(_fmt(bits=24, channels=1), _chunk(b"data", bytes(30)))


def _bad_cases(tmp_path):
    good_wav = SYNTHETIC["canonical-mono"]
    blob = n1codec.encode_wav_bytes(good_wav)
    header_flip = bytearray(blob)
    header_flip[8] ^= 4
    zero_rate = bytearray(good_wav)
    zero_rate[24:28] = bytes(4)
    payload_flip = bytearray(blob)
    payload_flip[len(blob) // 2] ^= 0x55
    return {
        # name: (command, input bytes or None for a missing file, what stderr says)
        "truncated .n1": ("decode", blob[:-100], "truncated"),
        "truncated header": ("decode", blob[:12], "truncated"),
        "corrupt header": ("decode", bytes(header_flip), "header is corrupt"),
        "corrupt payload": ("decode", bytes(payload_flip), "corrupt"),
        "a WAV given to decode": ("decode", good_wav, "not an .n1 file"),
        "text given to encode": ("encode", b"hello, world\n" * 10, "not a WAV file"),
        "24-bit WAV": ("encode", _wav_24bit(), "24-bit PCM"),
        "0 Hz WAV": ("encode", bytes(zero_rate), "sample rate is 0 Hz"),
        "missing input": ("encode", None, "No such file"),
        "a codec only Python has": ("decode", n1codec.encode_wav_bytes(good_wav, codec="delta+huffman"),
                                    "codec 'delta+huffman' needs the Python package"),
        "newer format": ("decode", blob[:4] + b"\x07" + blob[5:], "version 7"),
        "array without a rate": ("decode", n1codec.encode(np.arange(9, dtype=np.int16), codec="n1"),
                                 "without a sample rate"),
    }


@pytest.mark.parametrize("case", list(_bad_cases(Path("."))))
def test_bad_input_is_one_line_a_nonzero_exit_and_no_output(programs, tmp_path, case):
    command, data, message = _bad_cases(tmp_path)[case]
    src, dst = tmp_path / "input", tmp_path / "output"
    if data is not None:
        src.write_bytes(data)
    proc = run(programs["n1c"], command, src, dst)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert lines[0].startswith(f"n1c {command}: error: ")
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if data is None else ["input"])


def test_an_existing_output_is_kept_without_force_and_the_input_is_never_overwritten(programs, tmp_path):
    src, dst = tmp_path / "a.wav", tmp_path / "a.n1"
    src.write_bytes(SYNTHETIC["canonical-mono"])
    dst.write_bytes(b"keep me")
    proc = run(programs["n1c"], "encode", src, dst)
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1 and "--force" in proc.stderr
    assert dst.read_bytes() == b"keep me"
    assert run(programs["n1c"], "encode", src, dst, "--force").returncode == 0
    assert dst.read_bytes() == n1codec.encode_wav_bytes(src.read_bytes())
    same = run(programs["n1c"], "encode", src, tmp_path / "." / "a.wav", "--force")
    assert same.returncode == 1 and "same file" in same.stderr
    assert src.read_bytes() == SYNTHETIC["canonical-mono"]
    missing_dir = run(programs["n1c"], "encode", src, tmp_path / "no" / "such" / "dir.n1")
    assert missing_dir.returncode == 1 and len(missing_dir.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.n1", "a.wav"]  # no temporary file left


def test_decode_refuses_a_declared_size_beyond_the_limit_before_allocating(programs, tmp_path):
    from n1codec import container
    bomb = container.pack(container.Header(spec="n1", sample_rate=19531, channels=1, frames=2 ** 30, crc32=0,
                                           flags=container.FLAG_WAV_CANONICAL), b"\0" * 40)
    (tmp_path / "bomb.n1").write_bytes(bomb)
    proc = run(programs["n1c"], "decode", tmp_path / "bomb.n1", tmp_path / "out.wav")
    assert proc.returncode == 1 and "more than the limit of 268435456" in proc.stderr
    wav = SYNTHETIC["canonical-mono"]
    (tmp_path / "a.n1").write_bytes(n1codec.encode_wav_bytes(wav))
    samples = (len(wav) - 44) // 2
    assert run(programs["n1c"], "decode", tmp_path / "a.n1", tmp_path / "a.wav", "--max-samples",
               samples - 1).returncode == 1
    assert run(programs["n1c-decode"], tmp_path / "a.n1", tmp_path / "a.wav", f"--max-samples={samples}").returncode == 0
    assert run(programs["n1c"], "decode", tmp_path / "a.n1", tmp_path / "b.wav", "--max-samples", 0).returncode == 0
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes() == wav
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.n1", "a.wav", "b.wav", "bomb.n1"]


@pytest.mark.parametrize("args", [[], ["compress", "a", "b"], ["encode", "a"], ["encode", "a", "b", "c"],
                                  ["encode", "a", "b", "--level", "ultra"], ["decode", "a", "b", "--bogus"],
                                  ["decode", "a", "b", "--max-samples", "-1"], ["encode", "a", "b", "--max-samples", "9"]])
def test_usage_errors_exit_2_with_one_line(programs, args):
    proc = run(programs["n1c"], *args)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1


def test_help_and_version(programs):
    assert "usage: n1c encode" in run(programs["n1c"], "--help").stdout
    assert run(programs["n1c"], "--version").stdout == f"n1c {n1codec.__version__}\n"
