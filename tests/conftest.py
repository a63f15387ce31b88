"""Shared fixtures: real recordings from ../shared/n1-data/dev when present, synthetic ones always."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# Derandomized: a property test either always finds a counterexample or never does, so CI
# cannot fail by chance, and no example database carries one run's failure into the next.
settings.register_profile("n1codec", derandomize=True, database=None)
settings.load_profile("n1codec")

REPO_ROOT = Path(__file__).resolve().parents[1]
DEV_DATA = Path(os.environ.get("N1CODEC_DEV_DATA", REPO_ROOT.parent / "shared" / "n1-data" / "dev"))


def dev_files(limit=None):
    """Sorted real recordings; empty when the data folder is absent."""
    if not DEV_DATA.is_dir():
        return []
    files = sorted(DEV_DATA.glob("*.wav"))
    if limit is not None and files:
        # An even spread over the set rather than the first few names.
        step = max(1, len(files) // limit)
        files = files[::step][:limit]
    return files


needs_dev_data = pytest.mark.skipif(
    not dev_files(), reason=f"real N1 recordings not found at {DEV_DATA} (set N1CODEC_DEV_DATA)")


@pytest.fixture(scope="session")
def synthetic_samples():
    from n1codec.tools import synthetic
    return synthetic.n1_like(seconds=2.0, seed=1)


@pytest.fixture(scope="session")
def synthetic_wav(synthetic_samples):
    from n1codec.tools import synthetic
    return synthetic.wav_bytes(synthetic_samples)


def run_cli(*args, cwd=None, check=False):
    """Run a console command of this package as a user would, in a subprocess."""
    bin_dir = Path(sys.executable).parent
    exe = bin_dir / args[0]
    cmd = [str(exe), *map(str, args[1:])] if exe.exists() else [sys.executable, "-m", "n1codec.tools.cli", *map(str, args[1:])]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}): {proc.stderr}")
    return proc


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# The quick selection (`pytest -m quick`): what a built wheel is tested with, from a copy of
# tests/ outside the checkout (cibuildwheel's test-command, .ci/wheel-check). These modules
# need only numpy, pytest and hypothesis (codecs whose optional dependency is missing skip),
# no file outside tests/, and run in well under a minute.
QUICK_MODULES = frozenset({
    "test_package.py", "test_container.py", "test_wav.py", "test_roundtrip.py", "test_every_codec.py",
    "test_cli.py", "test_chunked.py",
})


def pytest_configure(config):
    # Registered here as well as in pyproject.toml: a copy of tests/ runs without the latter.
    config.addinivalue_line(
        "markers", "quick: runs against an installed wheel outside the checkout (see QUICK_MODULES)")
    config.addinivalue_line("markers", "slow: runs over the whole dev split or builds the C core")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in QUICK_MODULES:
            item.add_marker(pytest.mark.quick)
