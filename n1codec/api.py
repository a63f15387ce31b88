"""The public functions: arrays and files in, .n1 bytes and files out."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import numpy as np

from . import container
from .errors import (ChecksumError, CorruptDataError, InvalidInputError, N1CodecError, NativeMemoryError,
                     TruncatedDataError, UnknownCodecError, UnsupportedFeatureError, UnsupportedWavError)
from .files import PathLike, same_file, write_atomic
from .pipeline import Pipeline, parse_spec

#: The codec `encode` and the CLI use unless told otherwise.
DEFAULT_CODEC = "n1"


def get_codec(codec: Union[str, "object"] = DEFAULT_CODEC):
    """Resolve a spec, alias or Pipeline to a Pipeline whose dependencies are present."""
    pipeline = codec if isinstance(codec, Pipeline) else parse_spec(codec)
    pipeline.require()
    return pipeline


def as_samples(samples) -> np.ndarray:
    """The array `encode` takes: int16, 1-D or 2-D with >= 1 channel; anything else is an InvalidInputError."""
    arr = np.asarray(samples)
    if arr.dtype != np.int16:
        raise InvalidInputError(
            f"n1codec encodes int16 samples, got dtype {arr.dtype}; convert with "
            ".astype(np.int16) if every value fits in 16 bits")
    if arr.ndim not in (1, 2):
        raise InvalidInputError(
            f"n1codec encodes 1-D (samples) or 2-D (samples x channels) arrays, got {arr.ndim}-D")
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise InvalidInputError("a 2-D array needs at least one channel")
    return arr


def encode(samples, codec=DEFAULT_CODEC, sample_rate: int = 0) -> bytes:
    """Compress int16 samples (1-D, or 2-D samples x channels) into .n1 bytes."""
    arr = as_samples(samples)
    pipeline = get_codec(codec)
    flags = container.FLAG_ONE_DIMENSIONAL if arr.ndim == 1 else 0
    if sample_rate < 0:
        raise InvalidInputError(f"sample_rate must be >= 0, got {sample_rate}")
    two_d = np.ascontiguousarray(arr.reshape(-1, 1) if arr.ndim == 1 else arr)
    return _encode_samples(two_d, pipeline, sample_rate=int(sample_rate), flags=flags)


def decode(blob) -> np.ndarray:
    """Decompress .n1 bytes back to the int16 array given to encode() (or a WAV's frames x channels)."""
    if _is_chunked(blob):
        from .recording import decode_chunked
        return decode_chunked(bytes(blob))
    header, samples = _decode_samples(bytes(blob))
    if header.flags & container.FLAG_ONE_DIMENSIONAL:
        return samples.reshape(-1)
    return samples


def info(blob) -> container.Header:
    """The header of .n1 bytes (codec, rate, channels, sizes, CRC), without decoding."""
    if _is_chunked(blob):
        from .recording import chunked_info
        return chunked_info(bytes(blob))
    return container.unpack_header(bytes(blob))


def _is_chunked(blob) -> bool:
    """Format version 3 (large recordings, n1codec/chunked.py) is read by n1codec.recording."""
    from .chunked import is_chunked
    return is_chunked(bytes(memoryview(blob).cast("B")[:5]))


def encode_wav_bytes(wav_bytes: bytes, codec=DEFAULT_CODEC, name: str = "input") -> bytes:
    """Compress a whole 16-bit PCM WAV file (given as bytes) into .n1 bytes."""
    from .wav import parse_wav
    pipeline = get_codec(codec)
    wav = parse_wav(wav_bytes, name=name)
    if wav.is_canonical:
        return _encode_samples(wav.samples, pipeline, sample_rate=wav.sample_rate,
                                        flags=container.FLAG_WAV_CANONICAL)
    return _encode_samples(wav.samples, pipeline, sample_rate=wav.sample_rate,
                                    flags=container.FLAG_WAV_VERBATIM,
                                    wav_header=wav.header, wav_trailer=wav.trailer)


def decode_to_wav_bytes(blob) -> bytes:
    """Decompress .n1 bytes into WAV file bytes (the original file, byte for byte)."""
    from .wav import canonical_header, samples_to_bytes
    header, samples = _decode_samples(bytes(blob))
    if header.flags & container.FLAG_WAV_VERBATIM:
        return header.wav_header + samples_to_bytes(samples) + header.wav_trailer
    if not header.sample_rate:
        raise UnsupportedWavError(
            "this .n1 file holds an array without a sample rate, so it cannot become a WAV file; "
            "use n1codec.decode() to get the samples")
    return canonical_header(header.sample_rate, header.channels, header.frames) + samples_to_bytes(samples)


def _check_paths(src: PathLike, dst: PathLike) -> None:
    if same_file(src, dst) or Path(src).resolve() == Path(dst).resolve():
        raise InvalidInputError(f"input and output are the same file ({src}); the input is never overwritten")


#: WAV files up to this size are coded whole (format version 1); larger ones, and
#: the lab formats (.npy, SpikeGLX, Open Ephys), go to the chunked format in bounded memory.
WHOLE_FILE_LIMIT = 64 << 20


def _wants_chunked(src: PathLike) -> bool:
    from .formats import detect_format
    kind = detect_format(src)
    if kind == "wav":
        return Path(src).stat().st_size > WHOLE_FILE_LIMIT
    return kind != "raw"  # anything unrecognised gets the WAV reader's error message


def compress_file(src: PathLike, dst: PathLike, codec=DEFAULT_CODEC, force: bool = False,
                  verify: bool = False) -> container.Header:
    """Compress a WAV file into an .n1 file. Returns the header written.

    WAV files over WHOLE_FILE_LIMIT and the lab formats n1codec.recording reads
    (.npy, SpikeGLX .bin + .meta, Open Ephys continuous.dat) are written as a
    chunked file by compress_recording (raw binaries need compress_recording's
    channels and sample_rate). With verify=True the result is decoded and compared before it is written.
    """
    _check_paths(src, dst)
    if _wants_chunked(src):
        from .recording import compress_recording
        return compress_recording(src, dst, codec=codec, force=force, verify=verify)
    data = Path(src).read_bytes()
    blob = encode_wav_bytes(data, codec=codec, name=str(src))
    if verify and decode_to_wav_bytes(blob) != data:
        raise N1CodecError(f"internal error: {codec} did not round-trip {src}; nothing was written")
    write_atomic(dst, blob, force=force)
    return container.unpack_header(blob)


def decompress_file(src: PathLike, dst: PathLike, force: bool = False) -> container.Header:
    """Decompress an .n1 file into the file it came from (a WAV, or a chunked file's original)."""
    _check_paths(src, dst)
    with open(src, "rb") as f:
        if _is_chunked(f.read(5)):
            from .recording import decompress_recording
            return decompress_recording(src, dst, force=force)
    blob = Path(src).read_bytes()
    write_atomic(dst, decode_to_wav_bytes(blob), force=force)
    return container.unpack_header(blob)


# ------------------------------------------------- the container around a pipeline

def _encode_samples(samples: np.ndarray, pipeline, sample_rate: int = 0, flags: int = 0,
                   wav_header: Optional[bytes] = None, wav_trailer: Optional[bytes] = None) -> bytes:
    """Compress a (frames x channels) int16 array into .n1 bytes."""
    if samples.ndim != 2 or samples.dtype != np.int16:
        raise InvalidInputError("_encode_samples takes a 2-D int16 array")
    frames, channels = samples.shape
    if channels < 1 or channels > container.MAX_CHANNELS:
        raise InvalidInputError(f"{channels} channels: n1codec supports 1 to {container.MAX_CHANNELS}")
    if frames * channels > container.MAX_SAMPLES:
        raise InvalidInputError(f"{frames * channels} samples exceed the {container.MAX_SAMPLES} a .n1 file holds")
    header = container.Header(spec=pipeline.spec, sample_rate=sample_rate, channels=channels, frames=frames,
                    crc32=container.sample_crc32(samples), flags=flags, wav_header=wav_header,
                    wav_trailer=wav_trailer)
    payload = pipeline.encode(samples.view(np.uint16))
    return container.pack(header, payload)


def _decode_samples(blob: bytes):
    """Decompress .n1 bytes; returns (header, samples as frames x channels int16)."""
    header = container.unpack_header(blob)
    try:
        pipeline = parse_spec(header.spec)
    except UnknownCodecError as exc:
        raise UnsupportedFeatureError(
            f"this .n1 file uses codec {header.spec!r}, which this release cannot decode ({exc})") from None
    payload = bytes(blob[header.payload_offset:header.payload_offset + header.payload_size])
    pipeline.require()
    try:
        patterns = pipeline.decode(payload, header.frames, header.channels)
    except MemoryError:
        raise NativeMemoryError(
            f"not enough memory to decode {header.frames} frames x {header.channels} channels") from None
    except TruncatedDataError as exc:
        # The container's framing proved the payload complete, so a coder running
        # out of bytes means the bytes it read are wrong, not missing.
        raise CorruptDataError(f"the payload is corrupt ({exc})") from None
    samples = patterns.view(np.int16)
    actual = container.sample_crc32(samples)
    if actual != header.crc32:
        raise ChecksumError(
            f"CRC-32 mismatch: stored 0x{header.crc32:08x}, decoded samples give 0x{actual:08x}; "
            "the file is corrupt")
    return header, samples
