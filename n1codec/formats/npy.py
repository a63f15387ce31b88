"""NumPy .npy files of 16-bit samples: 1-D (one channel) or 2-D samples x channels, C order.

The header (magic, version, dictionary, padding) is stored verbatim, so decoding
gives back the file byte for byte.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InvalidInputError, UnsupportedFeatureError
from . import MAX_VERBATIM_BYTES, SAMPLE_DTYPES, Source


def open_npy(path: Path) -> Source:
    fmt = np.lib.format
    with open(path, "rb") as f:
        try:
            version = fmt.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = fmt.read_array_header_1_0(f)
            elif version in ((2, 0), (3, 0)):
                shape, fortran, dtype = fmt.read_array_header_2_0(f)
            else:
                raise UnsupportedFeatureError(f"{path}: .npy format version {version} is not supported")
        except ValueError as exc:
            raise InvalidInputError(f"{path} is not a valid .npy file ({exc})") from None
        data_offset = f.tell()
    if dtype.str not in SAMPLE_DTYPES:
        raise InvalidInputError(f"{path} holds {dtype} samples; n1codec stores 16-bit integers (int16 or uint16)")
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] == 0):
        raise InvalidInputError(f"{path} holds an array of shape {shape}; expected samples or samples x channels")
    one_d = len(shape) == 1
    frames, channels = (shape[0], 1) if one_d else shape
    if fortran and channels > 1:
        raise UnsupportedFeatureError(
            f"{path} is stored in Fortran (channel-major) order; re-save it with "
            "np.save(path, np.ascontiguousarray(x)) to compress it in chunks")
    if data_offset > MAX_VERBATIM_BYTES:
        raise InvalidInputError(f"{path} has a {data_offset}-byte .npy header, too large to store")
    source = Source(path, "npy", channels, frames, 0, dtype, data_offset, one_dimensional=one_d)
    source.prefix = source.read_bytes(0, data_offset)
    end = data_offset + frames * channels * 2
    size = path.stat().st_size
    if size < end:
        raise InvalidInputError(f"{path} is truncated: its header announces {end} bytes, the file has {size}")
    if size - end > MAX_VERBATIM_BYTES:
        raise InvalidInputError(f"{path} has {size - end} bytes after its array, too many to store")
    source.suffix = source.read_bytes(end, size - end)
    return source
