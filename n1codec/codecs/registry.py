"""Codec registry: every stage and coder by name, plus the study's row names as aliases.

Family modules register their classes with :func:`register` when imported. They
are imported on first use, all at once; each keeps its heavy dependencies inside
methods so this stays fast.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any, Dict, List, Optional, Type, Union

from ..errors import UnknownCodecError
from .aliases import STUDY_ROWS
from .base import Coder, Component, Stage

#: Modules that define codecs. A new family adds one line here.
FAMILY_MODULES = (
    "n1codec.codecs.predict",
    "n1codec.codecs.entropy",
    "n1codec.codecs.n1",
    "n1codec.codecs.transform",
    "n1codec.codecs.dictionary",
    "n1codec.codecs.blosc",
    "n1codec.codecs.audio",
)

_stages: Dict[str, Type[Stage]] = {}
_coders: Dict[str, Type[Coder]] = {}
_aliases: Dict[str, str] = {}
_loaded = False
_load_lock = threading.RLock()  # re-entrant: family modules call register() while loading


def register(cls):
    """Class decorator: make a Stage or Coder subclass reachable by its name."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} has no codec name")
    table = _stages if issubclass(cls, Stage) else _coders if issubclass(cls, Coder) else None
    if table is None:
        raise TypeError(f"{cls.__name__} is neither a Stage nor a Coder")
    if cls.name in _stages or cls.name in _coders or cls.name in _aliases:
        raise ValueError(f"codec name {cls.name!r} is registered twice")
    table[cls.name] = cls
    return cls


def register_alias(name: str, spec: str) -> None:
    """Make `name` stand for the pipeline `spec` (e.g. the study's row names).

    A study row named like our coder (``zstd``) is an alias of itself, so that it is
    listed with the others; any other clash with a codec name is a mistake."""
    if (name in _stages or name in _coders) and spec != name:
        raise ValueError(f"alias {name!r} clashes with a codec name")
    _aliases[name] = spec


def _load() -> None:
    """Import the family modules once. Threads that decode first in a fresh process
    (zarr, dask) wait for the first one to finish instead of seeing an empty registry."""
    global _loaded
    if _loaded:
        return
    with _load_lock:
        if not _loaded:
            for module in FAMILY_MODULES:
                importlib.import_module(module)
            for row, spec in STUDY_ROWS.items():
                register_alias(row, spec)
            _loaded = True


def stage_class(name: str) -> Optional[Type[Stage]]:
    """The Stage class registered as `name`, or None."""
    _load()
    return _stages.get(name)


def coder_class(name: str) -> Optional[Type[Coder]]:
    """The Coder class registered as `name`, or None."""
    _load()
    return _coders.get(name)


def component_class(name: str) -> Type[Component]:
    """The Stage or Coder class registered as `name`; UnknownCodecError if there is none."""
    cls: Optional[Type[Component]] = stage_class(name) or coder_class(name)
    if cls is None:
        raise UnknownCodecError(f"unknown codec {name!r}; run 'n1codec list' to see every codec")
    return cls


def stages() -> List[Type[Stage]]:
    """Every registered Stage class, by family then name."""
    _load()
    return sorted(_stages.values(), key=lambda c: (c.family, c.name))


def coders() -> List[Type[Coder]]:
    """Every registered Coder class, by family then name."""
    _load()
    return sorted(_coders.values(), key=lambda c: (c.family, c.name))


def aliases() -> Dict[str, str]:
    """A copy of the alias table: name -> pipeline spec."""
    _load()
    return dict(_aliases)


def resolve_alias(name: str) -> Union[str, None]:
    """The pipeline spec `name` stands for, or None when it is no alias."""
    _load()
    return _aliases.get(name)


def describe() -> List[Dict[str, Any]]:
    """One row per stage and coder, as ``n1codec list`` prints them and
    :func:`n1codec.list_codecs` returns them: id, kind, family, whether its optional
    dependencies are installed, parameter defaults, the study aliases that name it
    alone, a description, and the install command when it is unavailable."""
    alias_table = aliases()
    rows = []
    for kind, classes in (("stage", stages()), ("coder", coders())):
        for cls in classes:
            available = cls.available()
            rows.append({
                "id": cls.name, "kind": kind, "family": cls.family,
                "available": available,
                "params": {key: param.default for key, param in cls.params.items()},
                "aliases": sorted(name for name, spec in alias_table.items() if spec == cls.name),
                "description": cls.description,
                "install": "" if available else cls.install_hint,
            })
    return rows
