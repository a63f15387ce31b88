"""Open Ephys binary format: ``continuous/<stream>/continuous.dat`` and the recording's ``structure.oebin``.

``structure.oebin`` (JSON) lists the continuous streams with their folder,
channel count and rate; the samples are interleaved little-endian int16. The
``structure.oebin`` is stored whole as an attachment. Given the ``.oebin`` itself,
the stream is the only continuous one, or the one named by ``stream``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import InvalidInputError
from . import Source
from .raw import open_raw

MAX_OEBIN_BYTES = 16 << 20


def _streams(oebin: Path):
    if oebin.stat().st_size > MAX_OEBIN_BYTES:
        raise InvalidInputError(f"{oebin} is over {MAX_OEBIN_BYTES} bytes: not an Open Ephys structure.oebin")
    data = oebin.read_bytes()
    try:
        streams = json.loads(data.decode("utf-8"))["continuous"]
        names = [s["folder_name"].strip("/\\") for s in streams]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInputError(f"{oebin} is not an Open Ephys structure.oebin with continuous streams") from None
    return data, streams, names


def open_openephys(path: Path, stream: Optional[str] = None) -> Source:
    if path.name == "structure.oebin":
        oebin = path
        data, streams, names = _streams(oebin)
        if stream is None:
            if len(streams) != 1:
                raise InvalidInputError(f"{oebin} lists {len(streams)} continuous streams ({', '.join(names)}); "
                                        "name one (--stream NAME)")
            stream = names[0]
        dat = oebin.parent / "continuous" / stream / "continuous.dat"
    else:
        dat = path
        oebin = dat.resolve().parent.parent.parent / "structure.oebin"
        if not oebin.is_file():
            raise InvalidInputError(f"{dat}: no structure.oebin two folders up ({oebin})")
        data, streams, names = _streams(oebin)
        stream = stream or dat.resolve().parent.name
    if stream not in names:
        raise InvalidInputError(f"{oebin} lists no continuous stream {stream!r} (it lists {', '.join(names)})")
    info = streams[names.index(stream)]
    try:
        channels, rate = int(info["num_channels"]), float(info["sample_rate"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInputError(f"{oebin}: stream {stream!r} lacks num_channels or sample_rate") from None
    if not dat.is_file():
        raise InvalidInputError(f"{dat} does not exist (stream {stream!r} of {oebin})")
    return open_raw(dat, channels, rate, "<i2", kind="openephys", attachments={"structure.oebin": data})
