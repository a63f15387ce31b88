"""n1codec: fast lossless codecs for neural electrophysiology (Neuralink N1 recordings).

The public API is what this module exports (``__all__``): compress arrays and WAV files
into .n1 bytes and files and back, resolve codec specs to :class:`Pipeline` objects, read
an .n1 :class:`Header`, list the codecs, and one error hierarchy rooted at
:class:`N1CodecError`.
"""
from ._version import __version__
from .api import (DEFAULT_CODEC, as_samples, compress_file, decode, decode_to_wav_bytes, decompress_file,
                  encode, encode_wav_bytes, get_codec, info, list_aliases, list_codecs)
from .codecs.n1 import LEVEL_NAMES as N1_LEVELS
from .container import Header
from .pipeline import Pipeline, parse_spec
from .recording import Recording, compress_recording, encode_chunked, open_recording as open
from .errors import (ChecksumError, CodecUnavailableError, CorruptDataError, InputTooLargeError,
                     InvalidInputError, N1CodecError, NativeMemoryError, NotN1FileError, OutputExistsError,
                     SchedulerUnavailableError, TruncatedDataError, UnknownCodecError,
                     TruncatedRecordingWarning, UnsupportedFeatureError, UnsupportedVersionError,
                     UnsupportedWavError)

__all__ = [
    "__version__", "DEFAULT_CODEC", "encode", "decode", "info", "compress_file", "decompress_file",
    "encode_wav_bytes", "decode_to_wav_bytes", "get_codec", "parse_spec", "as_samples", "Pipeline", "Header",
    "list_codecs", "list_aliases", "N1_LEVELS", "open", "Recording", "compress_recording", "encode_chunked",
    "N1CodecError", "CorruptDataError", "TruncatedDataError", "ChecksumError", "NotN1FileError",
    "UnsupportedVersionError", "UnsupportedWavError", "UnknownCodecError", "CodecUnavailableError",
    "InvalidInputError", "InputTooLargeError", "UnsupportedFeatureError", "NativeMemoryError",
    "OutputExistsError", "SchedulerUnavailableError", "TruncatedRecordingWarning",
]
