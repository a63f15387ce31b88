"""Real-time implant mode: one packet per ~1 ms frame of all channels.

The encoder takes one frame at a time (``frame_samples`` samples of every
channel, an int16 array of shape ``(frame_samples, channels)``) and returns one
self-delimited packet; the decoder turns each packet back into its frame at
once, so the latency is one frame. Each channel keeps a small model (see
:func:`channel_state_size`); packets carry a frame counter and a CRC-32, and
every ``resync_interval`` frames the models restart, so a lost or corrupt
packet costs at most ``resync_interval`` frames, which the decoder reports as
lost (``pop`` returns None) rather than wrong.

>>> enc = Encoder(channels=4, rate=19531)
>>> dec = Decoder(**enc.config)
>>> frame = np.zeros((enc.frame_samples, 4), dtype=np.int16)
>>> bool((dec.pop(enc.push(frame)) == frame).all())
True

The stream format is specified in csrc/realtime/rt.h and docs/realtime.md.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from n1codec import _native
from n1codec.errors import CorruptDataError, InvalidInputError, N1CodecError

__all__ = ["Encoder", "Decoder", "ReplayReport", "channel_state_size", "parse_adc",
           "split_packets", "replay", "detect_adc"]

_ADC_KINDS = {"identity": 0, "stretch": 1, "shift": 2}


def parse_adc(adc) -> tuple[int, int]:
    """(kind, bits) of an ADC grid spelled "n1" (10-bit stretch, the N1 implant),
    "int16" (every int16 value), "stretch:B" or "shift:B" (B-bit codes, n1_adc.h),
    or given as a (kind, bits) pair."""
    if isinstance(adc, tuple) and len(adc) == 2:
        return int(adc[0]), int(adc[1])
    if adc == "n1":
        return 1, 10
    if adc in ("int16", "identity"):
        return 0, 16
    if isinstance(adc, str) and ":" in adc:
        kind, _, bits = adc.partition(":")
        if kind in ("stretch", "shift") and bits.isdigit():
            return _ADC_KINDS[kind], int(bits)
    raise InvalidInputError(
        f"realtime: unknown ADC grid {adc!r} (use 'n1', 'int16', 'stretch:B' or 'shift:B')")


def detect_adc(samples: np.ndarray) -> tuple[int, int]:
    """The coarsest ADC grid every sample of a (samples x channels) array lies on,
    from its first 4096 samples of every channel (at most 1M values)."""
    x = np.asarray(samples)
    if x.dtype != np.int16:
        raise InvalidInputError(f"realtime: samples must be int16, not {x.dtype}")
    head = np.ascontiguousarray(x[:4096].reshape(-1)[: 1 << 20])
    return _native.adc_detect(head)


def channel_state_size() -> int:
    """Bytes of model state kept per channel by the encoder and by the decoder."""
    return _native.realtime_channel_state_size()


def default_frame_samples(rate: float) -> int:
    """Samples in ~1 ms at `rate` Hz (at least 1)."""
    return max(1, int(round(rate / 1000.0)))


class _Config:
    def __init__(self, channels, rate, frame_samples, resync_interval, predictor, adc):
        if rate is None or not rate > 0:
            raise InvalidInputError(f"realtime: sample rate must be positive, not {rate!r}")
        self.channels = int(channels)
        self.rate = float(rate)
        self.frame_samples = (default_frame_samples(rate) if frame_samples is None
                              else int(frame_samples))
        self.resync_interval = int(resync_interval)
        self.predictor = int(predictor)
        self.adc = parse_adc(adc)

    @property
    def config(self) -> dict:
        """Keyword arguments that build the matching peer (Decoder(**enc.config))."""
        return {"channels": self.channels, "rate": self.rate,
                "frame_samples": self.frame_samples,
                "resync_interval": self.resync_interval, "predictor": self.predictor,
                "adc": self.adc}

    @property
    def frame_seconds(self) -> float:
        """Duration of one frame: the latency of the mode."""
        return self.frame_samples / self.rate

    def _native_args(self):
        return (self.channels, self.frame_samples, self.resync_interval, self.predictor,
                self.adc[0], self.adc[1])


class Encoder(_Config):
    """Frame-by-frame encoder: ``push(frame) -> packet bytes``.

    channels, rate: the stream; frame_samples: samples per channel and frame
    (default ~1 ms); resync_interval: frames between resynchronisation points
    (a loss costs at most this many frames); predictor: 1 (adaptive one-pole
    predictor, the default), 0 (first difference, faster) or 2 (1 plus a tap on
    the last difference: smoother, oversampled signals); adc: the ADC grid (see :func:`parse_adc`).
    """

    def __init__(self, channels: int, rate: float, frame_samples: int | None = None, *,
                 resync_interval: int = 100, predictor: int = 1, adc="n1"):
        super().__init__(channels, rate, frame_samples, resync_interval, predictor, adc)
        self._coder = _native.RealtimeEncoder(*self._native_args())

    @property
    def frame(self) -> int:
        """Counter of the next frame (wraps at 2**32)."""
        return self._coder.frame

    @property
    def packet_bound(self) -> int:
        """No packet is longer than this many bytes."""
        return self._coder.packet_bound

    def push(self, frame) -> bytes:
        """Packet of one frame, an int16 array (frame_samples x channels); a 1-D
        array is accepted for a single channel."""
        x = np.asarray(frame)
        if x.dtype != np.int16:
            raise InvalidInputError(f"realtime: frame must be int16, not {x.dtype}")
        if x.ndim == 1 and self.channels == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise InvalidInputError(f"realtime: frame must be 2-D (samples x channels), not {x.ndim}-D")
        return self._coder.encode(np.ascontiguousarray(x))


class Decoder(_Config):
    """Packet-by-packet decoder: ``pop(packet) -> frame or None``.

    Built with the encoder's config (``Decoder(**encoder.config)``). ``pop``
    returns the frame (frame_samples x channels int16), or None when the frame
    cannot be rebuilt: a packet before it was lost or corrupt and the next
    resynchronisation point has not arrived yet (or the packet is an old
    duplicate). A corrupt or truncated packet raises CorruptDataError (or
    TruncatedDataError); the decoder stays usable and resumes at the next
    resynchronisation point. Counters: frames_decoded, frames_lost (frames the
    counter skipped over, i.e. lost or corrupt packets, plus frames skipped while
    waiting for a resync point), packets_corrupt.
    """

    def __init__(self, channels: int, rate: float, frame_samples: int | None = None, *,
                 resync_interval: int = 100, predictor: int = 1, adc="n1"):
        super().__init__(channels, rate, frame_samples, resync_interval, predictor, adc)
        self._coder = _native.RealtimeDecoder(*self._native_args())
        self.frames_decoded = 0
        self.frames_lost = 0
        self.packets_corrupt = 0
        self.last_frame = None

    def pop(self, packet) -> np.ndarray | None:
        """The frame of one packet (frame_samples x channels int16), or None."""
        if not isinstance(packet, (bytes, bytearray, memoryview)):
            raise InvalidInputError(f"realtime: a packet is bytes, not {type(packet).__name__}")
        out = np.empty((self.frame_samples, self.channels), dtype=np.int16)
        try:
            result, frame, missing, _resync = self._coder.decode(
                np.frombuffer(packet, dtype=np.uint8), out)
        except CorruptDataError:
            # its frame is counted lost by the counter gap the next packet shows
            self.packets_corrupt += 1
            raise
        self.frames_lost += missing
        if result == _native.REALTIME_FRAME_STALE:
            return None
        self.last_frame = frame
        if result == _native.REALTIME_FRAME_SKIPPED:
            self.frames_lost += 1
            return None
        self.frames_decoded += 1
        return out


def split_packets(stream) -> list[bytes]:
    """Split concatenated packets (a byte stream) into packets; raises
    TruncatedDataError if the stream ends inside a packet."""
    data = memoryview(bytes(stream))
    packets = []
    at = 0
    while at < len(data):
        n = _native.realtime_packet_length(np.frombuffer(data[at:], dtype=np.uint8))
        packets.append(bytes(data[at:at + n]))
        at += n
    return packets


@dataclass
class ReplayReport:
    """What a replay measured (times: CPU seconds of the calling thread)."""
    channels: int
    rate: float
    frame_samples: int
    frames: int
    raw_bytes: int
    packet_bytes: int
    encode_seconds: float
    decode_seconds: float
    frame_seconds_median: float   # encode + decode of one frame, median over frames
    frame_seconds_max: float
    packets_dropped: int = 0      # simulated losses (replay(drop=...))
    frames_lost: int = 0          # frames the decoder could not give back (dropped included)

    @property
    def ratio(self) -> float:
        return self.raw_bytes / self.packet_bytes

    @property
    def latency_seconds(self) -> float:
        """One frame: a sample waits at most this long for its packet."""
        return self.frame_samples / self.rate

    @property
    def throughput(self) -> float:
        """Samples a second through encoder and decoder together."""
        return self.frames * self.frame_samples * self.channels / (
            self.encode_seconds + self.decode_seconds)

    @property
    def frames_lost_per_drop(self) -> float:
        """Frames a lost packet cost on average (itself included)."""
        return self.frames_lost / self.packets_dropped if self.packets_dropped else 0.0

    @property
    def margin(self) -> float:
        """Frame duration over encode + decode time per frame (mean): > 1 keeps up."""
        return self.latency_seconds * self.frames / (self.encode_seconds + self.decode_seconds)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d.update(ratio=self.ratio, latency_seconds=self.latency_seconds,
                 throughput=self.throughput, margin=self.margin,
                 frames_lost_per_drop=self.frames_lost_per_drop)
        return d


def replay(samples: np.ndarray, rate: float, *, check: bool = True, drop: float = 0.0,
           seed: int = 0, **config) -> ReplayReport:
    """Run a recording (int16, samples x channels) through an Encoder and a
    Decoder frame by frame (the tail shorter than a frame is left out) and
    measure ratio, per-frame work and throughput. drop: probability that a
    packet is lost on the way (seeded), to measure what a loss costs. With
    check, every frame the decoder gives back must equal its input (else
    N1CodecError)."""
    x = np.asarray(samples)
    if x.dtype != np.int16 or x.ndim != 2:
        raise InvalidInputError("realtime replay: samples must be a 2-D int16 array")
    enc = Encoder(x.shape[1], rate, **config)
    dec = Decoder(**enc.config)
    f = enc.frame_samples
    frames = x.shape[0] // f
    lost = np.random.default_rng(seed).random(frames) < drop
    clock = time.thread_time
    t_enc = t_dec = 0.0
    per_frame = np.empty(frames)
    packet_bytes = frames_lost = 0
    for i in range(frames):
        frame = np.ascontiguousarray(x[i * f:(i + 1) * f])
        t0 = clock()
        packet = enc.push(frame)
        t1 = clock()
        out = None if lost[i] else dec.pop(packet)
        t2 = clock()
        t_enc += t1 - t0
        t_dec += t2 - t1
        per_frame[i] = t2 - t0
        packet_bytes += len(packet)
        frames_lost += out is None
        if check and (out is None and not drop or out is not None and not np.array_equal(out, frame)):
            raise N1CodecError(f"realtime replay: frame {i} did not round-trip")
    return ReplayReport(
        channels=x.shape[1], rate=float(rate), frame_samples=f, frames=frames,
        raw_bytes=frames * f * x.shape[1] * 2, packet_bytes=packet_bytes,
        encode_seconds=t_enc, decode_seconds=t_dec,
        frame_seconds_median=float(np.median(per_frame)) if frames else 0.0,
        frame_seconds_max=float(per_frame.max()) if frames else 0.0,
        packets_dropped=int(lost.sum()), frames_lost=int(frames_lost))
