"""Spec: n1codec installs and introspects like a good package.

One version string, every public name documented, every error class and the Pipeline and
Header types exported, a codec listing from Python that is the CLI's, a type stub that
names exactly the compiled module's functions, py.typed and the licence shipped. These run
against an installed wheel too (the quick selection, see conftest.py).
"""
from __future__ import annotations

import ast
import importlib.metadata
import inspect
import json
import os
import re
import sysconfig
from pathlib import Path

import numpy as np
import pytest

import n1codec
from n1codec import _native, errors
from conftest import run_cli

PACKAGE_DIR = Path(n1codec.__file__).resolve().parent


def _installed_metadata():
    try:
        return importlib.metadata.distribution("n1codec")
    except importlib.metadata.PackageNotFoundError:  # run from a bare source tree
        pytest.skip("n1codec is not installed (no package metadata)")


def test_version_is_the_installed_distributions_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?(a|b|rc|dev|post)\d+)*", n1codec.__version__)
    assert _installed_metadata().version == n1codec.__version__


def test_cli_reports_the_same_version():
    proc = run_cli("n1codec", "--version", check=True)
    assert proc.stdout.split() == ["n1codec", n1codec.__version__]


def _documented_members(cls):
    """Public functions and properties a class defines itself (not those of Exception/object)."""
    for name, member in vars(cls).items():
        if name.startswith("_") or not (inspect.isfunction(member) or isinstance(member, (property, classmethod,
                                                                                          staticmethod))):
            continue
        yield f"{cls.__name__}.{name}", member


def test_every_public_name_has_a_docstring():
    undocumented = []
    for name in n1codec.__all__:
        obj = getattr(n1codec, name)
        if isinstance(obj, str):  # __version__, DEFAULT_CODEC: documented where defined
            continue
        if not (obj.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            undocumented += [label for label, member in _documented_members(obj)
                             if not (getattr(member, "__doc__", None) or "").strip()]
    assert not undocumented, f"public names without a docstring: {undocumented}"


def test_every_error_class_is_exported():
    error_classes = {name for name, obj in vars(errors).items()
                     if inspect.isclass(obj) and issubclass(obj, errors.N1CodecError)}
    assert error_classes <= set(n1codec.__all__), sorted(error_classes - set(n1codec.__all__))
    for name in error_classes:
        assert getattr(n1codec, name) is getattr(errors, name)


def test_all_names_exist():
    missing = [name for name in n1codec.__all__ if not hasattr(n1codec, name)]
    assert not missing


def test_pipeline_and_header_are_the_types_the_api_returns():
    pipeline = n1codec.get_codec("delta+huffman")
    assert isinstance(pipeline, n1codec.Pipeline)
    assert n1codec.parse_spec("delta_huff") == pipeline
    blob = n1codec.encode(np.arange(100, dtype=np.int16), codec=pipeline, sample_rate=1000)
    header = n1codec.info(blob)
    assert isinstance(header, n1codec.Header)
    assert (header.spec, header.sample_rate, header.frames, header.channels) == ("delta+huffman", 1000, 100, 1)


def test_list_codecs_is_what_the_cli_lists():
    rows = n1codec.list_codecs()
    ids = [row["id"] for row in rows]
    assert {"n1", "huffman", "rans", "delta", "lpc", "bwt"} <= set(ids)
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["kind"] in ("stage", "coder")
        assert set(row) == {"id", "kind", "family", "available", "params", "aliases", "description", "install"}
        assert row["available"] or row["install"], f"{row['id']} is unavailable without an install hint"
    listed = json.loads(run_cli("n1codec", "list", "--json", check=True).stdout)
    assert listed == {"components": rows, "aliases": n1codec.list_aliases()}


def test_list_codecs_available_only_lists_codecs_that_work():
    available = n1codec.list_codecs(available_only=True)
    assert {row["id"] for row in available} >= {"n1", "huffman", "delta"}
    samples = (np.arange(500) % 37).astype(np.int16)
    for row in available:
        if row["kind"] == "coder":
            blob = n1codec.encode(samples, codec=row["id"])
            np.testing.assert_array_equal(n1codec.decode(blob), samples)


def _stub_signatures():
    """Functions, classes and constants the stub declares:
    {name: [(param, has_default, default)] or "class"}, {name}."""
    tree = ast.parse((PACKAGE_DIR / "_native.pyi").read_text())
    functions, constants = {}, set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            functions[node.name] = "class"
        elif isinstance(node, ast.FunctionDef):
            params = node.args.args
            defaults = [None] * (len(params) - len(node.args.defaults)) + node.args.defaults
            functions[node.name] = [(p.arg, d is not None, ast.literal_eval(d) if d is not None else None)
                                    for p, d in zip(params, defaults)]
        elif isinstance(node, ast.AnnAssign) and not node.target.id.startswith("_"):
            constants.add(node.target.id)
    return functions, constants


def test_native_stub_names_exactly_the_modules_functions_and_parameters():
    stub_functions, stub_constants = _stub_signatures()
    public = {name: obj for name, obj in vars(_native).items()
              if not name.startswith("_") and not inspect.ismodule(obj)}
    functions = {name: obj for name, obj in public.items() if callable(obj)}
    assert sorted(stub_functions) == sorted(functions)
    assert stub_constants == set(public) - set(functions)
    for name, function in functions.items():
        if inspect.isclass(function):  # a class is declared as a class, its constructor beside it
            assert stub_functions[name] == "class", name
            continue
        params = [(p.name, p.default is not p.empty, None if p.default is p.empty else p.default)
                  for p in inspect.signature(function).parameters.values()]
        assert params == stub_functions[name], name


def test_typing_marker_and_stub_are_installed():
    assert (PACKAGE_DIR / "py.typed").is_file()
    assert (PACKAGE_DIR / "_native.pyi").is_file()


def test_licence_is_shipped_in_the_distribution():
    dist = _installed_metadata()
    licences = [f for f in dist.files or () if f.name == "LICENSE"]
    assert licences, "LICENSE is not in the installed distribution's files"
    assert "MIT License" in licences[0].read_text()
    assert "MIT" in (dist.metadata.get("License") or dist.metadata.get("License-Expression") or "")


def test_all_extra_installs_every_optional_feature():
    requires = _installed_metadata().requires or []
    extras = {}
    for requirement in requires:
        match = re.search(r"""extra\s*==\s*['"]([\w-]+)['"]""", requirement)
        if match:
            name = re.split(r"[\s;<>=!\[]", requirement, maxsplit=1)[0].lower()
            extras.setdefault(match.group(1), set()).add(name)
    assert {"matplotlib", "tqdm"} <= extras["all"], "bench draws no plot without matplotlib"
    for extra, names in extras.items():
        if extra not in ("all", "test", "asv"):  # test and asv are tools, not features
            assert names <= extras["all"], f"[all] lacks {sorted(names - extras['all'])} of [{extra}]"


@pytest.mark.skipif(not os.environ.get("N1CODEC_TEST_INSTALLED"),
                    reason="set N1CODEC_TEST_INSTALLED=1 when testing an installed wheel")
def test_the_installed_wheel_is_what_runs():
    """Against a wheel, the package must come from site-packages, not a source checkout."""
    site = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    assert any(PACKAGE_DIR.is_relative_to(path) for path in site), PACKAGE_DIR
    assert Path(_native.__file__).resolve().parent == PACKAGE_DIR


def test_quick_selection_names_existing_test_modules():
    """A renamed module must not drop silently out of what wheels are tested with."""
    from conftest import QUICK_MODULES
    tests_dir = Path(__file__).resolve().parent
    assert sorted(m for m in QUICK_MODULES if not (tests_dir / m).is_file()) == []
