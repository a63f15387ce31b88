"""Helpers for test_bench.py and test_eval.py: run the CLI with a custom environment, fake faults.

Faults are injected into the subprocesses through a ``sitecustomize.py`` put on
PYTHONPATH: Python imports it at start-up in the CLI process, in bench's worker
processes and in the encode/decode processes that eval and the challenge kit
start, so a fault reaches every process a user's run would use.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import wave
import zipfile
from pathlib import Path

from conftest import run_cli  # noqa: F401  (re-exported for the tests)

BIN = Path(sys.executable).parent
EVAL_SH = Path(__file__).parent / "data" / "eval_challenge.sh"


def cli(*args, env=None, cwd=None, timeout=600):
    """`n1codec ARGS` in a subprocess, with extra environment variables."""
    exe = BIN / "n1codec"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "n1codec.tools.cli"]
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(cmd + [str(a) for a in args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def fault_env(folder: Path, body: str) -> dict:
    """Environment whose Python processes run `body` at start-up (after importing n1codec.api)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(textwrap.dedent(body))
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path}


def corrupt_decode_env(folder: Path, spec: str) -> dict:
    """Every process decodes `spec` with one byte flipped (a codec that is not lossless)."""
    return fault_env(folder, f"""
        import n1codec.api as _api
        _original = _api.decode_to_wav_bytes

        def decode_to_wav_bytes(blob, *args, **kwargs):
            out = _original(blob, *args, **kwargs)
            if _api.info(blob).spec == {spec!r}:
                out = bytearray(out)
                out[len(out) // 2] ^= 0x01
                out = bytes(out)
            return out

        _api.decode_to_wav_bytes = decode_to_wav_bytes
    """)


def synthetic_wavs(folder: Path, count: int, seconds: float = 1.0, odd_header: bool = True):
    """Write `count` synthetic WAV files; the last one with a non-canonical header (an extra chunk)."""
    from n1codec.tools import synthetic
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        samples = synthetic.n1_like(seconds=seconds, seed=100 + i)
        path = folder / f"rec{i:02d}.wav"
        if odd_header and i == count - 1 and count > 1:
            with wave.open(str(path), "wb") as w:  # canonical from wave; add a LIST chunk by hand
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(synthetic.N1_SAMPLE_RATE)
                w.writeframes(samples.astype("<i2").tobytes())
            data = path.read_bytes()
            extra = b"LIST" + (8).to_bytes(4, "little") + b"INFOtest"
            riff_size = int.from_bytes(data[4:8], "little") + len(extra)
            path.write_bytes(data[:4] + riff_size.to_bytes(4, "little") + data[8:36] + extra + data[36:])
        else:
            path.write_bytes(synthetic.wav_bytes(samples))
        paths.append(path)
    return paths


def make_zip(zip_path: Path, files, folder_in_zip: str = "data") -> Path:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.write(f, f"{folder_in_zip}/{Path(f).name}" if folder_in_zip else Path(f).name)
    return zip_path


def read_csv(path: Path):
    import csv
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))
