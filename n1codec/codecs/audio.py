"""Audio family: the lossless audio codecs FLAC and WavPack, as baselines.

* ``flac``: libFLAC through ``soundfile`` (PyPI wheels bundle libsndfile with FLAC).
* ``wavpack``: the WavPack library (``libwavpack.so.1``; Debian: ``apt-get install
  libwavpack1``) bound with ctypes. The PyPI wrapper the study used,
  wavpack-numcodecs, does not build against this machine's glibc; this binding
  drives the same library calls the same way (lossless, one block per <= 120,000
  samples), so the study's ``wavpack`` row is reproduced without it. The wrapper's
  default mode (fast) falls short of the study's figure with Debian's libwavpack
  5.6 (1.478 against 1.49 on dev), so the default here is high mode (1.491).
  Each call hands whole buffers to the library: no per-sample Python.

Both see one channel as int16 samples (the 16-bit stream's bit patterns), so a
``delta`` stage before them feeds its residuals modulo 2^16 as int16. An empty
stream is stored as an empty payload (neither library writes zero-sample files).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import threading
from typing import Optional

import numpy as np

from ..errors import CodecUnavailableError, CorruptDataError, N1CodecError, TruncatedDataError
from .base import Coder, Param, as_stream
from .registry import register


def _empty_payload(name: str, payload: bytes, count: int) -> Optional[np.ndarray]:
    """Empty streams: payload b"" <-> zero samples; anything else mismatched is corrupt."""
    if count == 0:
        if payload:
            raise CorruptDataError(f"{name}: {len(payload)} payload bytes for an empty stream")
        return np.empty(0, dtype=np.uint16)
    if not payload:
        raise TruncatedDataError(f"{name}: empty payload for {count} samples")
    return None


# -- FLAC (soundfile) ---------------------------------------------------------

#: Sample rate written into FLAC/WavPack headers: the stream carries no rate of its
#: own (the .n1 container has the real one), and a standard rate costs nothing.
_CODEC_RATE = 32000


@register
class FLAC(Coder):
    """FLAC (libFLAC via libsndfile) through the ``soundfile`` package."""

    name = "flac"
    family = "audio"
    description = ("FLAC through soundfile (libsndfile + libFLAC), 16-bit mono; default level 5, "
                   "libFLAC's default (0-8); an audio baseline the study did not have")
    params = {"level": Param(int, 5, minimum=0, maximum=8, help="FLAC compression level")}
    primary = "level"
    requires = ("soundfile",)
    install_hint = "pip install soundfile  (or: pip install 'n1codec[audio]')"

    @classmethod
    def _soundfile(cls):
        cls.require()
        try:
            import soundfile
        except OSError as exc:  # the module is there but libsndfile is not
            raise CodecUnavailableError(f"codec 'flac': soundfile cannot load libsndfile ({exc}); "
                                        f"install it with: {cls.install_hint}") from None
        return soundfile

    def encode(self, data: np.ndarray) -> bytes:
        sf = self._soundfile()
        samples = as_stream(data, "u16").view(np.int16)
        if samples.size == 0:
            return b""
        buf = io.BytesIO()
        sf.write(buf, samples, _CODEC_RATE, subtype="PCM_16", format="FLAC",
                 compression_level=self.config["level"] / 8.0)
        return buf.getvalue()

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        sf = self._soundfile()
        payload = bytes(payload)
        empty = _empty_payload(self.name, payload, count)
        if empty is not None:
            return empty
        try:
            with sf.SoundFile(io.BytesIO(payload)) as f:
                if f.format != "FLAC" or f.channels != 1:
                    raise CorruptDataError(f"flac: payload is {f.format} with {f.channels} channels, "
                                           "expected mono FLAC")
                if f.frames != count:
                    raise CorruptDataError(f"flac: stream announces {f.frames} samples, expected {count}")
                out = f.read(count, dtype="int16")
        except (sf.SoundFileError, RuntimeError) as exc:
            raise CorruptDataError(f"flac: corrupt payload ({type(exc).__name__}: {exc})") from None
        if len(out) != count:
            raise TruncatedDataError(f"flac: payload decodes to {len(out)} samples, expected {count}")
        return np.ascontiguousarray(out.reshape(-1)).view(np.uint16)


# -- WavPack (ctypes binding of libwavpack) -----------------------------------

class _WavpackConfig(ctypes.Structure):
    """``WavpackConfig`` of wavpack.h (5.x)."""

    _fields_ = [
        ("bitrate", ctypes.c_float), ("shaping_weight", ctypes.c_float),
        ("bits_per_sample", ctypes.c_int), ("bytes_per_sample", ctypes.c_int),
        ("qmode", ctypes.c_int), ("flags", ctypes.c_int), ("xmode", ctypes.c_int),
        ("num_channels", ctypes.c_int), ("float_norm_exp", ctypes.c_int),
        ("block_samples", ctypes.c_int32), ("extra_flags", ctypes.c_int32),
        ("sample_rate", ctypes.c_int32), ("channel_mask", ctypes.c_int32),
        ("md5_checksum", ctypes.c_ubyte * 16), ("md5_read", ctypes.c_ubyte),
        ("num_tag_strings", ctypes.c_int), ("tag_strings", ctypes.c_void_p),
    ]


_BLOCK_OUT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32)
_READ_BYTES = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32)
_GET_POS = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p)
_SET_POS_ABS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int64)
_SET_POS_REL = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int)
_PUSH_BACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_GET_LENGTH = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p)
_ID_ONLY = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class _StreamReader64(ctypes.Structure):
    """``WavpackStreamReader64`` of wavpack.h (5.x)."""

    _fields_ = [
        ("read_bytes", _READ_BYTES), ("write_bytes", _READ_BYTES), ("get_pos", _GET_POS),
        ("set_pos_abs", _SET_POS_ABS), ("set_pos_rel", _SET_POS_REL), ("push_back_byte", _PUSH_BACK),
        ("get_length", _GET_LENGTH), ("can_seek", _ID_ONLY), ("truncate_here", _ID_ONLY),
        ("close", _ID_ONLY),
    ]


_CONFIG_HIGH_FLAG = 0x800
_CONFIG_VERY_HIGH_FLAG = 0x1000
_CONFIG_FAST_FLAG = 0x200
_CONFIG_PAIR_UNDEF_CHANS = 0x20000000
_CONFIG_EXTRA_MODE = 0x2000000
_MODE_LOSSLESS = 0x2
_MAX_BLOCK_SAMPLES = 120000

_lib_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_lib_error: Optional[str] = None


def _candidate_paths():
    env = os.environ.get("N1CODEC_WAVPACK_LIBRARY")
    if env:
        yield env
    found = ctypes.util.find_library("wavpack")
    if found:
        yield found
    yield from ("libwavpack.so.1", "libwavpack.so", "libwavpack.1.dylib", "libwavpack.dylib", "wavpackdll.dll")


def load_wavpack() -> Optional[ctypes.CDLL]:
    """The WavPack library with its prototypes declared, or None when it cannot be loaded."""
    global _lib, _lib_error
    with _lib_lock:
        if _lib is not None or _lib_error is not None:
            return _lib
        errors = []
        for path in _candidate_paths():
            try:
                lib = ctypes.CDLL(path)
                lib.WavpackOpenFileOutput  # noqa: B018 - probe a symbol
            except (OSError, AttributeError) as exc:
                errors.append(f"{path}: {exc}")
                continue
            _declare(lib)
            _lib = lib
            return lib
        _lib_error = "; ".join(errors) or "not found"
        return None


def _declare(lib: ctypes.CDLL) -> None:
    vp, i32, i64 = ctypes.c_void_p, ctypes.c_int32, ctypes.c_int64
    lib.WavpackGetLibraryVersionString.restype = ctypes.c_char_p
    lib.WavpackGetLibraryVersionString.argtypes = []
    lib.WavpackOpenFileOutput.restype = vp
    lib.WavpackOpenFileOutput.argtypes = [_BLOCK_OUT, vp, vp]
    lib.WavpackSetConfiguration64.restype = ctypes.c_int
    lib.WavpackSetConfiguration64.argtypes = [vp, ctypes.POINTER(_WavpackConfig), i64, vp]
    lib.WavpackPackInit.restype = ctypes.c_int
    lib.WavpackPackInit.argtypes = [vp]
    lib.WavpackPackSamples.restype = ctypes.c_int
    lib.WavpackPackSamples.argtypes = [vp, ctypes.POINTER(i32), ctypes.c_uint32]
    lib.WavpackFlushSamples.restype = ctypes.c_int
    lib.WavpackFlushSamples.argtypes = [vp]
    lib.WavpackGetErrorMessage.restype = ctypes.c_char_p
    lib.WavpackGetErrorMessage.argtypes = [vp]
    lib.WavpackCloseFile.restype = vp
    lib.WavpackCloseFile.argtypes = [vp]
    lib.WavpackOpenFileInputEx64.restype = vp
    lib.WavpackOpenFileInputEx64.argtypes = [ctypes.POINTER(_StreamReader64), vp, vp, ctypes.c_char_p,
                                             ctypes.c_int, ctypes.c_int]
    lib.WavpackGetNumSamples64.restype = i64
    lib.WavpackGetNumSamples64.argtypes = [vp]
    lib.WavpackGetNumChannels.restype = ctypes.c_int
    lib.WavpackGetNumChannels.argtypes = [vp]
    lib.WavpackGetBytesPerSample.restype = ctypes.c_int
    lib.WavpackGetBytesPerSample.argtypes = [vp]
    lib.WavpackGetMode.restype = ctypes.c_int
    lib.WavpackGetMode.argtypes = [vp]
    lib.WavpackUnpackSamples.restype = ctypes.c_uint32
    lib.WavpackUnpackSamples.argtypes = [vp, ctypes.POINTER(i32), ctypes.c_uint32]
    lib.WavpackGetNumErrors.restype = ctypes.c_int
    lib.WavpackGetNumErrors.argtypes = [vp]


class _MemoryReader:
    """A WavpackStreamReader64 over a bytes object (the library reads blocks through it)."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.pushed: list = []

        def read_bytes(_id, dest, count):
            out = bytearray()
            while self.pushed and count > len(out):
                out.append(self.pushed.pop())
            take = max(0, min(count - len(out), len(self.data) - self.pos))
            out += self.data[self.pos:self.pos + take]
            self.pos += take
            if out:
                ctypes.memmove(dest, bytes(out), len(out))
            return len(out)

        def get_pos(_id):
            return self.pos - len(self.pushed)

        def set_pos_abs(_id, pos):
            if not 0 <= pos <= len(self.data):
                return -1
            self.pos, self.pushed = pos, []
            return 0

        def set_pos_rel(_id, delta, mode):
            bases = {0: 0, 1: self.pos - len(self.pushed), 2: len(self.data)}  # SEEK_SET, _CUR, _END
            if mode not in bases:
                return -1
            return set_pos_abs(_id, bases[mode] + delta)

        def push_back_byte(_id, c):
            self.pushed.append(c & 0xFF)
            return c

        def get_length(_id):
            return len(self.data)

        def can_seek(_id):
            return 1

        # The callbacks stay referenced from self for as long as the library may call them;
        # write_bytes, truncate_here and close stay NULL (reading only).
        self.struct = _StreamReader64(
            read_bytes=_READ_BYTES(read_bytes), get_pos=_GET_POS(get_pos),
            set_pos_abs=_SET_POS_ABS(set_pos_abs), set_pos_rel=_SET_POS_REL(set_pos_rel),
            push_back_byte=_PUSH_BACK(push_back_byte), get_length=_GET_LENGTH(get_length),
            can_seek=_ID_ONLY(can_seek))


_WAVPACK_HINT = ("apt-get install libwavpack1  (Debian/Ubuntu; macOS: brew install wavpack), "
                 "or set N1CODEC_WAVPACK_LIBRARY to the library's path")


@register
class WavPack(Coder):
    """WavPack, lossless, through the system's libwavpack (ctypes)."""

    name = "wavpack"
    family = "audio"
    description = ("WavPack 5 (system libwavpack via ctypes), lossless, 16-bit mono, one block per "
                   "<= 120,000 samples; default level 3 (high, wavpack -h) for the study's 'wavpack' row: "
                   "its wrapper's default, level 1 (fast), reaches 1.478 on dev with libwavpack 5.6, "
                   "short of the study's 1.49; level 2 gives 1.488, level 3 1.491 "
                   "(1 fast, 2 normal, 3 high, 4 very high)")
    params = {
        "level": Param(int, 3, choices=(1, 2, 3, 4), help="1 fast, 2 normal, 3 high, 4 very high"),
        "extra": Param(int, 0, minimum=0, maximum=6, help="extra processing (wavpack -x0..6)"),
    }
    primary = "level"
    install_hint = _WAVPACK_HINT

    @classmethod
    def available(cls) -> bool:
        return super().available() and load_wavpack() is not None

    @classmethod
    def require(cls) -> None:
        super().require()
        if load_wavpack() is None:
            raise CodecUnavailableError(
                f"codec 'wavpack' needs the WavPack library (libwavpack.so.1), which could not be "
                f"loaded ({_lib_error}); install it with: {cls.install_hint}")

    def _check(self, lib, wpc, ok: int, what: str) -> None:
        if not ok:
            message = lib.WavpackGetErrorMessage(wpc) or b""
            raise N1CodecError(f"wavpack: {what} failed ({message.decode('utf-8', 'replace')})")

    def encode(self, data: np.ndarray) -> bytes:
        self.require()
        lib = load_wavpack()
        samples = as_stream(data, "u16").view(np.int16)
        if samples.size == 0:
            return b""
        chunks = []

        def block_out(_id, block, size):
            chunks.append(ctypes.string_at(block, size))
            return 1

        callback = _BLOCK_OUT(block_out)
        wpc = lib.WavpackOpenFileOutput(callback, None, None)
        if not wpc:
            raise N1CodecError("wavpack: could not create an encoder context")
        try:
            config = _WavpackConfig()
            config.num_channels = 1
            config.bytes_per_sample = 2
            config.bits_per_sample = 16
            config.sample_rate = _CODEC_RATE
            block = samples.size
            while block > _MAX_BLOCK_SAMPLES:
                block = (block + 1) >> 1
            # The library refuses a custom block under 16 samples; its default suits those.
            config.block_samples = block if block >= 16 else 0
            level = self.config["level"]
            flags = _CONFIG_PAIR_UNDEF_CHANS | {1: _CONFIG_FAST_FLAG, 2: 0, 3: _CONFIG_HIGH_FLAG,
                                                4: _CONFIG_HIGH_FLAG | _CONFIG_VERY_HIGH_FLAG}[level]
            if self.config["extra"]:
                flags |= _CONFIG_EXTRA_MODE
                config.xmode = self.config["extra"]
            config.flags = flags
            self._check(lib, wpc, lib.WavpackSetConfiguration64(wpc, ctypes.byref(config), samples.size, None),
                        "configuration")
            self._check(lib, wpc, lib.WavpackPackInit(wpc), "encoder initialisation")
            buf = np.ascontiguousarray(samples, dtype=np.int32)
            self._check(lib, wpc, lib.WavpackPackSamples(
                wpc, buf.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), buf.size), "encoding")
            self._check(lib, wpc, lib.WavpackFlushSamples(wpc), "flushing")
        finally:
            lib.WavpackCloseFile(wpc)
        return b"".join(chunks)

    def decode(self, payload: bytes, count: int) -> np.ndarray:
        self.require()
        lib = load_wavpack()
        payload = bytes(payload)
        empty = _empty_payload(self.name, payload, count)
        if empty is not None:
            return empty
        if len(payload) < 32 or payload[:4] != b"wvpk":
            if len(payload) < 32 and b"wvpk".startswith(payload[:4]):
                raise TruncatedDataError(f"wavpack: payload of {len(payload)} bytes is shorter than a block header")
            raise CorruptDataError("wavpack: payload does not start with a WavPack block ('wvpk')")
        reader = _MemoryReader(payload)
        error = ctypes.create_string_buffer(128)
        wpc = lib.WavpackOpenFileInputEx64(ctypes.byref(reader.struct), None, None, error, 0, 0)
        if not wpc:
            raise CorruptDataError(f"wavpack: cannot open payload ({error.value.decode('utf-8', 'replace')})")
        try:
            channels = lib.WavpackGetNumChannels(wpc)
            total = lib.WavpackGetNumSamples64(wpc)
            width = lib.WavpackGetBytesPerSample(wpc)
            mode = lib.WavpackGetMode(wpc)
            if channels != 1 or width != 2 or not mode & _MODE_LOSSLESS:
                raise CorruptDataError(f"wavpack: payload holds {channels} channel(s) of {width}-byte samples "
                                       f"(mode {mode:#x}), expected lossless 16-bit mono")
            if total != count:
                raise CorruptDataError(f"wavpack: stream announces {total} samples, expected {count}")
            out = np.zeros(count, dtype=np.int32)
            got = lib.WavpackUnpackSamples(wpc, out.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), count)
            errors = lib.WavpackGetNumErrors(wpc)
        finally:
            lib.WavpackCloseFile(wpc)
        if got != count:
            raise TruncatedDataError(f"wavpack: payload decodes to {got} samples, expected {count}")
        if errors:
            raise CorruptDataError(f"wavpack: {errors} block(s) failed their checksum")
        if out.size and (out.min() < -32768 or out.max() > 32767):
            raise CorruptDataError("wavpack: decoded samples fall outside the 16-bit range")
        return out.astype(np.int16).view(np.uint16)
