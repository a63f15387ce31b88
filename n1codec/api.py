"""The public functions: arrays and files in, .n1 bytes and files out."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import numpy as np
import numpy.typing as npt

from . import container
from .errors import (ChecksumError, CorruptDataError, InvalidInputError, N1CodecError, NativeMemoryError,
                     TruncatedDataError, UnknownCodecError, UnsupportedFeatureError, UnsupportedWavError)
from .files import PathLike, same_file, write_atomic
from .pipeline import Pipeline, parse_spec

#: The codec `encode` and the CLI use unless told otherwise.
DEFAULT_CODEC = "n1"
#: The decode limit the command line applies unless told otherwise (`--max-samples`): 2^28
#: samples (512 MiB of int16), far above one file of a recording, far below what a crafted
#: 50-byte file may declare. The Python functions apply none unless given `max_samples`.
DEFAULT_MAX_SAMPLES = 1 << 28

#: A codec: a spec or alias string (``"n1"``, ``"delta+huffman"``, ``"delta_huff"``) or a Pipeline.
CodecSpec = Union[str, Pipeline]
#: Compressed bytes, in any bytes-like container.
BytesLike = Union[bytes, bytearray, memoryview]


def get_codec(codec: CodecSpec = DEFAULT_CODEC) -> Pipeline:
    """Resolve a spec, alias or Pipeline to a Pipeline whose dependencies are present.

    Raises UnknownCodecError for a name no codec has, CodecUnavailableError (with the
    install command) when an optional dependency is missing."""
    pipeline = codec if isinstance(codec, Pipeline) else parse_spec(codec)
    pipeline.require()
    return pipeline


def as_samples(samples: npt.ArrayLike) -> np.ndarray:
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


@functools.lru_cache(maxsize=64)
def _parsed_pipeline(spec: str) -> Pipeline:
    """parse_spec(spec), parsed once per spec: parsing costs ~0.1 ms a call, ~15% of
    a 5-second n1:fast file. For internal use only: the instance is shared, so it
    must not be handed to callers (who may set its attributes)."""
    return parse_spec(spec)


def _pipeline_for(codec: CodecSpec) -> Pipeline:
    """get_codec(codec) for internal use: a spec string is parsed once (cached)."""
    if not isinstance(codec, str):
        return get_codec(codec)
    pipeline = _parsed_pipeline(codec)
    pipeline.require()
    return pipeline


def encode(samples: npt.ArrayLike, codec: CodecSpec = DEFAULT_CODEC, sample_rate: int = 0) -> bytes:
    """Compress int16 samples (1-D, or 2-D samples x channels) into .n1 bytes.

    `sample_rate` (Hz, 0 when unknown) is stored in the header; decode() returns an array
    of the same dtype and shape."""
    arr = as_samples(samples)
    pipeline = _pipeline_for(codec)
    flags = container.FLAG_ONE_DIMENSIONAL if arr.ndim == 1 else 0
    if sample_rate < 0:
        raise InvalidInputError(f"sample_rate must be >= 0, got {sample_rate}")
    two_d = np.ascontiguousarray(arr.reshape(-1, 1) if arr.ndim == 1 else arr)
    return _encode_samples(two_d, pipeline, sample_rate=int(sample_rate), flags=flags)


def decode(blob: BytesLike, max_samples: Optional[int] = None) -> npt.NDArray[np.int16]:
    """Decompress .n1 bytes back to the int16 array given to encode() (or a WAV's frames x channels).

    max_samples bounds what a decode may produce (all channels together): a file that declares
    more is refused with InputTooLargeError before anything is allocated, so an untrusted
    file cannot make a tiny input expand into gigabytes. None: only the format's limit.
    """
    if _is_chunked(blob):
        from .recording import decode_chunked
        return decode_chunked(bytes(blob), max_samples)
    header, samples = _decode_samples(bytes(blob), max_samples)
    if header.flags & container.FLAG_ONE_DIMENSIONAL:
        return samples.reshape(-1)
    return samples


def info(blob: BytesLike) -> container.Header:
    """The header of .n1 bytes (codec, rate, channels, sizes, CRC), without decoding."""
    if _is_chunked(blob):
        from .recording import chunked_info
        return chunked_info(bytes(blob))
    return container.unpack_header(bytes(blob))


def _is_chunked(blob) -> bool:
    """Format version 3 (large recordings, n1codec/chunked.py) is read by n1codec.recording."""
    from .chunked import is_chunked
    return is_chunked(bytes(memoryview(blob).cast("B")[:5]))


def encode_wav_bytes(wav_bytes: bytes, codec: CodecSpec = DEFAULT_CODEC, name: str = "input") -> bytes:
    """Compress a whole 16-bit PCM WAV file (given as bytes) into .n1 bytes.

    `name` only labels error messages (a file name)."""
    from .wav import parse_wav
    pipeline = _pipeline_for(codec)
    wav = parse_wav(wav_bytes, name=name, copy=False)  # only read: no copy of the samples
    if wav.is_canonical:
        return _encode_samples(wav.samples, pipeline, sample_rate=wav.sample_rate,
                                        flags=container.FLAG_WAV_CANONICAL)
    return _encode_samples(wav.samples, pipeline, sample_rate=wav.sample_rate,
                                    flags=container.FLAG_WAV_VERBATIM,
                                    wav_header=wav.header, wav_trailer=wav.trailer)


def decode_to_wav_bytes(blob: BytesLike, max_samples: Optional[int] = None) -> bytes:
    """Decompress .n1 bytes into WAV file bytes (the original file, byte for byte); max_samples as for decode()."""
    from .wav import canonical_header, wav_file_bytes
    header, samples = _decode_samples(bytes(blob), max_samples)
    if header.flags & container.FLAG_WAV_VERBATIM:
        return wav_file_bytes(header.wav_header, samples, header.wav_trailer)
    if not header.sample_rate:
        raise UnsupportedWavError(
            "this .n1 file holds an array without a sample rate, so it cannot become a WAV file; "
            "use n1codec.decode() to get the samples")
    return wav_file_bytes(canonical_header(header.sample_rate, header.channels, header.frames), samples)


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


def compress_file(src: PathLike, dst: PathLike, codec: CodecSpec = DEFAULT_CODEC, force: bool = False,
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


def decompress_file(src: PathLike, dst: PathLike, force: bool = False,
                    max_samples: Optional[int] = None) -> container.Header:
    """Decompress an .n1 file into the file it came from (a WAV, or a chunked file's original).

    max_samples as for decode(); a chunked file streams in bounded memory whatever its size."""
    _check_paths(src, dst)
    with open(src, "rb") as f:
        if _is_chunked(f.read(5)):
            from .recording import decompress_recording
            return decompress_recording(src, dst, force=force, max_samples=max_samples)
    blob = Path(src).read_bytes()
    write_atomic(dst, decode_to_wav_bytes(blob, max_samples), force=force)
    return container.unpack_header(blob)


def list_codecs(available_only: bool = False) -> List[Dict[str, Any]]:
    """Every codec stage and coder, as ``n1codec list --json`` prints them.

    Each row is a dict: ``id``, ``kind`` ("stage" or "coder"), ``family``, ``available``
    (its optional dependencies are installed), ``params`` (defaults), ``aliases`` (the
    study's row names for it), ``description`` and ``install`` (the command that makes an
    unavailable codec available). Chain them with ``+``: stages first, then one coder.
    """
    from .codecs import registry
    rows = registry.describe()
    return [row for row in rows if row["available"]] if available_only else rows


def list_aliases() -> Dict[str, str]:
    """The original study's row names and the pipeline spec each stands for."""
    from .codecs import registry
    return registry.aliases()


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
    if not 0 <= sample_rate <= container.MAX_SAMPLE_RATE:
        raise InvalidInputError(f"sample rate {sample_rate} Hz does not fit the 32-bit field of a WAV header "
                                f"(0 to {container.MAX_SAMPLE_RATE})")
    header = container.Header(spec=pipeline.spec, sample_rate=sample_rate, channels=channels, frames=frames,
                    crc32=container.sample_crc32(samples), flags=flags, wav_header=wav_header,
                    wav_trailer=wav_trailer)
    payload = pipeline.encode(samples.view(np.uint16))
    return container.pack(header, payload)


def _decode_samples(blob: bytes, max_samples: Optional[int] = None):
    """Decompress .n1 bytes; returns (header, samples as frames x channels int16)."""
    header = container.unpack_header(blob)
    from .recording import check_sample_limit
    check_sample_limit(header, max_samples)
    try:
        pipeline = _parsed_pipeline(header.spec)
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
