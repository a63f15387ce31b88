"""SpikeGLX recordings: a ``.bin`` of interleaved int16 samples and its ``.meta`` text file.

The ``.meta`` gives the channel count (``nSavedChans``) and the rate
(``imSampRate``, ``niSampRate`` or ``obSampRate``); it is stored whole as an
attachment so that decoding can put it back beside the ``.bin``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict

from ..errors import InvalidInputError
from . import Source
from .raw import open_raw

MAX_META_BYTES = 1 << 20
_RATE_KEYS = ("imSampRate", "niSampRate", "obSampRate")


def parse_meta(text: str) -> Dict[str, str]:
    """The key=value lines of a SpikeGLX .meta file."""
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def open_spikeglx(path: Path) -> Source:
    meta_path = path.with_suffix(".meta")
    if not meta_path.is_file():
        raise InvalidInputError(f"{path}: its SpikeGLX .meta file {meta_path.name} is missing")
    if meta_path.stat().st_size > MAX_META_BYTES:
        raise InvalidInputError(f"{meta_path} is over {MAX_META_BYTES} bytes: not a SpikeGLX .meta file")
    meta_bytes = meta_path.read_bytes()
    fields = parse_meta(meta_bytes.decode("utf-8", errors="replace"))
    try:
        channels = int(fields["nSavedChans"])
    except (KeyError, ValueError):
        raise InvalidInputError(f"{meta_path} has no valid nSavedChans line") from None
    rate_key = next((k for k in _RATE_KEYS if k in fields), None)
    try:
        rate = float(fields[rate_key]) if rate_key else 0.0
    except ValueError:
        raise InvalidInputError(f"{meta_path} has an invalid {rate_key} line") from None
    return open_raw(path, channels, rate, "<i2", kind="spikeglx", attachments={meta_path.name: meta_bytes})
