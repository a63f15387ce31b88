"""n1codec: fast lossless codecs for neural electrophysiology (Neuralink N1 recordings)."""
from .api import (DEFAULT_CODEC, compress_file, decode, decode_to_wav_bytes, decompress_file, encode,
                  encode_wav_bytes, get_codec, info)
from .recording import Recording, compress_recording, encode_chunked, open_recording as open
from .errors import (ChecksumError, CodecUnavailableError, CorruptDataError, InvalidInputError,
                     N1CodecError, NotN1FileError, TruncatedDataError, UnknownCodecError,
                     UnsupportedVersionError, UnsupportedWavError, TruncatedRecordingWarning)

__all__ = [
    "DEFAULT_CODEC", "encode", "decode", "info", "compress_file", "decompress_file",
    "encode_wav_bytes", "decode_to_wav_bytes", "get_codec",
    "open", "Recording", "compress_recording", "encode_chunked",
    "N1CodecError", "CorruptDataError", "TruncatedDataError", "ChecksumError", "NotN1FileError",
    "UnsupportedVersionError", "UnsupportedWavError", "UnknownCodecError", "CodecUnavailableError",
    "InvalidInputError", "TruncatedRecordingWarning",
]
