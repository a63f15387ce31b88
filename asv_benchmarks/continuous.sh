#!/usr/bin/env bash
# `asv continuous BASE HEAD` without downloads. Run it with the Python environment that
# has asv installed active (e.g. after `pip install -e ".[asv]"`).
#
# asv builds each commit in a fresh virtualenv and pip-installs its helpers (build,
# asv_runner, pympler) there. Offline, we let that virtualenv see the base Python's
# packages (numpy, cython, scikit-build-core, cmake, ninja must be installed there),
# put the helpers that asv's own environment already has on ASV_PYTHONPATH, and keep pip
# away from any index. Usage: ./continuous.sh main HEAD [asv options, e.g. --quick]
set -euo pipefail
cd "$(dirname "$0")"
python=$(command -v python3 || command -v python)
helpers="$PWD/.asv/offline-helpers"
"$python" - "$helpers" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

target = Path(sys.argv[1])
target.mkdir(parents=True, exist_ok=True)
for name in ("asv_runner", "build", "pyproject_hooks", "pympler", "packaging"):
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        sys.exit(f"continuous.sh: {name} is not installed in {sys.prefix}; pip install 'n1codec[asv]' first")
    for top in {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}:
        link, source = target / top, Path(dist.locate_file(top))
        if source.exists() and not link.exists():
            link.symlink_to(source)
PY
export ASV_PYTHONPATH="$helpers"  # asv drops PYTHONPATH in its environments, keeps this
export VIRTUALENV_SYSTEM_SITE_PACKAGES=1 PIP_NO_INDEX=1
exec asv continuous --factor 1.2 "$@"
