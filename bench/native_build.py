"""Load a given build of the C core (a compiled ``n1codec/_native*.so``) as ``n1codec._native``.

Call before anything imports n1codec: the package then uses that build, so two builds
can be compared on the same Python code (bench/n1_ab.py, bench/window_speed.py).
"""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def load_native(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("n1codec._native", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["n1codec._native"] = module
    return module
