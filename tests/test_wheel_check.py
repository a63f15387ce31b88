"""Spec: a release's wheel builds from the sdist, repairs to manylinux, installs without a
compiler and passes the quick tests outside the checkout (.ci/wheel-check, ~2-3 minutes)."""
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

WHEEL_CHECK = REPO_ROOT / ".ci" / "wheel-check"


@pytest.mark.slow
@pytest.mark.skipif(not WHEEL_CHECK.is_file(), reason="not a source checkout (no .ci/wheel-check)")
@pytest.mark.skipif(sys.version_info < (3, 11), reason=".ci/wheel-check reads pyproject.toml with tomllib")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="auditwheel repairs Linux wheels only")
def test_wheel_builds_repairs_installs_without_a_compiler_and_passes_the_quick_tests():
    proc = subprocess.run([sys.executable, str(WHEEL_CHECK)], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, (proc.stdout[-6000:] + proc.stderr[-3000:])
    assert "wheel-check: all checks passed" in proc.stdout
