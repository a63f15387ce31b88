"""Runs the SpikeInterface tests in an environment of their own.

SpikeInterface's zarr writer needs zarr v2 while the main test environment has
zarr v3, so the two cannot share a virtual environment. This test builds one
(n1codec from this source tree, with the numcodecs extra, plus spikeinterface from
PyPI) and runs tests/test_spikeinterface.py and the numcodecs tests inside it, so
CI exercises `recording.save(format="zarr", compressor=...)` for real.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def _pypi_reachable() -> bool:
    probe = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "spikeinterface"],
                           capture_output=True, text=True, timeout=120)
    return probe.returncode == 0


def test_spikeinterface_round_trip_in_its_own_environment(tmp_path):
    if os.environ.get("N1CODEC_SKIP_ISOLATED_ENV"):
        pytest.skip("N1CODEC_SKIP_ISOLATED_ENV is set")
    if not (REPO_ROOT / "pyproject.toml").exists():
        pytest.skip("needs the source tree to build n1codec into a fresh environment")
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable, so the SpikeInterface environment cannot be built")
    venv = tmp_path / "si-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        # Not the test extra: it brings zarr v3, which SpikeInterface's zarr writer refuses.
        [str(python), "-m", "pip", "install", "--quiet", f"{REPO_ROOT}[numcodecs]", "spikeinterface",
         "pytest>=7.4", "hypothesis>=6.80"],
        capture_output=True, text=True, timeout=1800)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    # Copies of the tests, so that they import the installed package, not this tree.
    tests = tmp_path / "tests"
    tests.mkdir()
    for name in ("conftest.py", "test_spikeinterface.py", "test_numcodecs.py"):
        shutil.copy(REPO_ROOT / "tests" / name, tests / name)
    shutil.copytree(REPO_ROOT / "tests" / "fixtures", tests / "fixtures")
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests"],
        cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    print(run.stdout[-2000:])
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    skipped_si = [line for line in run.stdout.splitlines()
                  if line.startswith("SKIPPED") and "test_spikeinterface" in line]
    assert not skipped_si, f"SpikeInterface tests skipped in their own environment: {skipped_si}"
    assert " passed" in run.stdout
