"""Spec: the C core builds alone with CMake (no Python), warning-free, and its ctest suite passes."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO_ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed"),
]


def _build(tmp_path, name, flags):
    build = tmp_path / name
    configure = subprocess.run(
        ["cmake", "-S", str(REPO_ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
         "-DN1CODEC_BUILD_PYTHON=OFF", "-DN1CODEC_BUILD_TESTS=ON", "-DN1CODEC_WERROR=ON",
         f"-DCMAKE_C_FLAGS={flags}"], capture_output=True, text=True)
    assert configure.returncode == 0, configure.stdout + configure.stderr
    compile_ = subprocess.run(["cmake", "--build", str(build), "-j", "2"], capture_output=True, text=True)
    assert compile_.returncode == 0, compile_.stdout + compile_.stderr
    return build


@pytest.mark.parametrize("flags", ["-O0", "-O3 -march=native"])
def test_c_core_builds_warning_free_and_ctest_passes(tmp_path, flags):
    build = _build(tmp_path, "build", flags)
    tests = subprocess.run(["ctest", "--test-dir", str(build), "--output-on-failure"],
                           capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "100% tests passed" in tests.stdout
