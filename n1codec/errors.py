"""The one exception hierarchy of n1codec.

Every error n1codec raises on purpose is an :class:`N1CodecError`. Each subclass
also derives from the builtin exception a Python user would expect (ValueError
for bad data, TypeError for a wrong dtype, ...), so generic handlers keep working.
"""


class N1CodecError(Exception):
    """Base class of every error raised by n1codec."""


class CorruptDataError(N1CodecError, ValueError):
    """A compressed stream holds values that no encoder writes."""


class TruncatedDataError(CorruptDataError):
    """A compressed stream or file ends before the data it announces."""


class ChecksumError(CorruptDataError):
    """Decoded samples do not match the CRC-32 stored with them."""


class NotN1FileError(N1CodecError, ValueError):
    """The input is not an .n1 file (wrong magic bytes)."""


class UnsupportedVersionError(N1CodecError, ValueError):
    """The .n1 file was written by a newer format version than this release reads."""


class UnsupportedWavError(N1CodecError, ValueError):
    """The input is not a WAV file this release can store (e.g. 24-bit or float)."""


class UnknownCodecError(N1CodecError, ValueError):
    """A codec name or pipeline spec does not resolve to registered codecs."""


class CodecUnavailableError(N1CodecError, RuntimeError):
    """The codec exists but needs an optional dependency that is not installed."""


class InvalidInputError(N1CodecError, ValueError, TypeError):
    """Samples or parameters of the wrong type, shape or range."""


class InputTooLargeError(N1CodecError, ValueError):
    """A size exceeds what the format or this build supports."""


class UnsupportedFeatureError(N1CodecError, ValueError):
    """A valid stream uses a feature this build does not have."""


class NativeMemoryError(N1CodecError, MemoryError):
    """The C core could not allocate memory."""


class OutputExistsError(N1CodecError, FileExistsError):
    """The output file exists and overwriting was not requested; `path` names it."""

    def __init__(self, path, how: str = "force=True"):
        self.path = str(path)
        super().__init__(f"{self.path} exists; pass {how} to overwrite it")


class SchedulerUnavailableError(N1CodecError, RuntimeError):
    """The requested scheduler (e.g. a dask.distributed address) is not supported by this install."""


class TruncatedRecordingWarning(UserWarning):
    """A chunked .n1 file was opened with partial=True and its end is missing."""
