"""Spec: the C core builds alone with CMake (no Python), warning-free at -O0 and at -O3, its
ctest suite passes at both, both builds write the same n1 bytes (the -O0 build with the
portable dot products, the -O3 build with SSE2's, and an aarch64 cross build run under qemu
with NEON's), and an installed copy gives
C users one self-contained header: a program compiled against only that header and the
library works.

Each flag set is configured and built once per test session and shared by the tests below
(building is most of this file's time)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO_ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed"),
]

#: The -O0 build also takes the core's plain loops (N1_PORTABLE: csrc/n1/n1_dot.h's dot
#: products, csrc/n1/n1_columns.c's transposes) where -O3 takes SSE2's, so that comparing
#: their bytes and running ctest at both checks both.
FLAG_SETS = {"O0": "-O0 -DN1_PORTABLE", "O3": "-O3 -march=native"}


def _run(cmd, timeout=900):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout)


def _configure_and_build(build, flags):
    """Configure and build the core and its C tests with -Werror; an error message or None."""
    configure = _run(["cmake", "-S", REPO_ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                      "-DN1CODEC_BUILD_PYTHON=OFF", "-DN1CODEC_BUILD_TESTS=ON",
                      "-DN1CODEC_WERROR=ON", f"-DCMAKE_C_FLAGS={flags}"])
    if configure.returncode != 0:
        return f"cmake configure ({flags}) failed:\n{configure.stdout}{configure.stderr}"
    compile_ = _run(["cmake", "--build", build, "-j", "2"])
    if compile_.returncode != 0:
        return f"build ({flags}) failed:\n{compile_.stdout}{compile_.stderr}"
    return None


@pytest.fixture(scope="session")
def c_build(tmp_path_factory):
    """c_build(name) -> build folder of FLAG_SETS[name], configured and built once a session
    (a failed build fails every test that asks for it, without rebuilding)."""
    builds = {}

    def get(name):
        if name not in builds:
            folder = tmp_path_factory.mktemp(f"c-core-{name}")
            builds[name] = (folder, _configure_and_build(folder, FLAG_SETS[name]))
        folder, error = builds[name]
        if error:
            pytest.fail(error)
        return folder

    return get


@pytest.mark.parametrize("name", sorted(FLAG_SETS))
def test_c_core_builds_warning_free_and_ctest_passes(c_build, name):
    tests = _run(["ctest", "--test-dir", c_build(name), "--output-on-failure"], timeout=600)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "100% tests passed" in tests.stdout


def _golden_lines(build):
    run = _run([build / "test_n1_golden"], timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return [line for line in run.stdout.splitlines() if line.startswith("n1 golden")]


def test_same_n1_bytes_at_O0_and_O3_native(c_build):
    slow = _golden_lines(c_build("O0"))
    fast = _golden_lines(c_build("O3"))
    assert len(slow) == 22  # 12 format-1 streams, 10 format-2 streams
    assert slow == fast


ARM_GCC, QEMU_ARM = shutil.which("aarch64-linux-gnu-gcc"), shutil.which("qemu-aarch64")


@pytest.mark.skipif(not (ARM_GCC and QEMU_ARM),
                    reason="no aarch64 cross compiler and qemu-aarch64 (Debian: gcc-aarch64-linux-gnu, qemu-user)")
def test_same_n1_bytes_on_64_bit_arm(c_build, tmp_path):
    """The aarch64 build (NEON dot products, another compiler back end) writes x86-64's bytes."""
    exe = tmp_path / "test_n1_golden_aarch64"
    sources = [REPO_ROOT / "csrc" / "tests" / "test_n1_golden.c",
               *sorted((REPO_ROOT / "csrc" / "n1").glob("*.c")),
               *sorted((REPO_ROOT / "csrc" / "common").glob("*.c"))]
    compile_ = _run([ARM_GCC, "-O3", "-std=c99", "-static", "-D_POSIX_C_SOURCE=200809L",
                     f"-I{REPO_ROOT / 'csrc' / 'include'}", f"-I{REPO_ROOT / 'csrc'}", *sources,
                     "-lm", "-o", exe])
    assert compile_.returncode == 0, compile_.stdout + compile_.stderr
    run = _run([QEMU_ARM, exe], timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    arm = [line for line in run.stdout.splitlines() if line.startswith("n1 golden")]
    assert arm == _golden_lines(c_build("O3"))


def _c_compiler(build):
    """The C compiler CMake chose for this build."""
    for line in (build / "CMakeCache.txt").read_text().splitlines():
        if line.startswith("CMAKE_C_COMPILER:"):
            return line.split("=", 1)[1]
    pytest.fail("CMAKE_C_COMPILER not found in CMakeCache.txt")


@pytest.mark.parametrize("program", ["test_public_header.c", "test_public_static.c"])
def test_installed_header_alone_compiles_and_runs_a_c_program(c_build, tmp_path, program):
    build = c_build("O3")
    prefix = tmp_path / "prefix"
    install = _run(["cmake", "--install", build, "--prefix", prefix])
    assert install.returncode == 0, install.stdout + install.stderr
    installed = sorted(p.relative_to(prefix).as_posix() for p in prefix.rglob("*") if p.is_file())
    libdir = next(p.parent for p in prefix.rglob("libn1core.a"))
    # The header and library for C users, and the native command line (issue 13).
    assert installed == sorted(["include/n1codec.h", f"{libdir.relative_to(prefix).as_posix()}/libn1core.a",
                                "bin/n1c", "bin/n1c-decode", "bin/n1c-encode"])
    # The program's own folder holds only test_util.h: every library declaration it uses
    # must come from the installed n1codec.h.
    exe = tmp_path / "program"
    compile_ = _run([_c_compiler(build), "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                     f"-I{prefix / 'include'}", REPO_ROOT / "csrc" / "tests" / program,
                     f"-L{libdir}", "-ln1core", "-lm", "-o", exe])
    assert compile_.returncode == 0, compile_.stdout + compile_.stderr
    run = _run([exe], timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 failed" in run.stdout
