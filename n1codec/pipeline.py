"""Pipelines: zero or more stages then one coder, spelled ``stage+stage+coder``.

Spec grammar (whitespace ignored)::

    spec   := alias | token ("+" token)*
    token  := name | name ":" value | name "(" key "=" value ("," key "=" value)* ")"

``name:value`` sets the component's primary parameter (``delta:2``, ``n1:max``).
The canonical spec (:attr:`Pipeline.spec`) omits defaults, so equal pipelines
spell the same and a stored spec is short.

Channel payload layout written by :meth:`Pipeline.encode_channel`::

    [varint len + side info]  for each stage with side info, in stage order
    [varint length]           for each stage that changes the stream length
    coder payload             to the end
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from .codecs.base import Coder, Stage, as_stream
from .codecs import registry
from .errors import CorruptDataError, InvalidInputError, TruncatedDataError, UnknownCodecError
from .varint import encode_uvarint, read_sized, read_uvarint

#: Longest stream any stage may claim on decode (bytes of 2^31 samples, twice).
MAX_STREAM_LENGTH = 1 << 33
#: With ``threads=None`` (automatic), inputs of fewer samples (all channels
#: together) stay on one thread: starting threads would cost more than it saves.
THREADS_MIN_SAMPLES = 1 << 18
#: Bytes of one (channels x frames) block that decode() turns into frames x
#: channels at a time: small enough for the CPU's L2 cache, where writing each
#: decoded channel straight into its strided column misses the cache at every sample.
INTERLEAVE_BLOCK_BYTES = 1 << 17
#: Channels a thread codes from / into the interleaved array per task (a coder that
#: codes columns): the C core's N1_COLUMNS, fewer to give every thread several tasks,
#: and fewer for long channels: a task holds its channels' samples (and the encoder
#: their worst-case streams), at most about COLUMN_TASK_SAMPLES of them.
COLUMN_GROUP = 64
COLUMN_TASK_SAMPLES = 1 << 23
_TOKEN = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*)(?::([^()]+)|\((.*)\))?$")


def split_top_level(text: str, separator: str = "+") -> List[str]:
    """Split on `separator` where it is not inside parentheses (``x(a=1,b=2)`` stays whole)."""
    items, depth, current = [], 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == separator and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return items


def _parse_token(token: str, spec: str):
    match = _TOKEN.match(token)
    if not match:
        raise UnknownCodecError(f"cannot parse {token!r} in codec spec {spec!r}")
    name, primary_value, kwargs_text = match.groups()
    cls = registry.component_class(name)
    config: Dict[str, Any] = {}
    if primary_value is not None:
        if cls.primary is None:
            raise InvalidInputError(f"codec {name!r} takes no ':value' parameter (in {spec!r})")
        config[cls.primary] = primary_value
    if kwargs_text:
        for item in kwargs_text.split(","):
            key, sep, value = item.partition("=")
            if not sep:
                raise InvalidInputError(f"expected key=value in {token!r} (in {spec!r})")
            config[key.strip()] = value.strip()
    return cls(**config)


def parse_spec(spec: str) -> "Pipeline":
    """Resolve a codec spec or alias (``delta_huff``, ``delta:2+huffman``) to a Pipeline."""
    if not isinstance(spec, str) or not spec.strip():
        raise UnknownCodecError(f"a codec spec must be a non-empty string, got {spec!r}")
    text = "".join(spec.split())
    resolved = registry.resolve_alias(text)
    if resolved is not None:
        text = resolved
    parts = [_parse_token(tok, spec) for tok in split_top_level(text)]
    *stages, coder = parts
    if not isinstance(coder, Coder):
        raise UnknownCodecError(
            f"codec spec {spec!r} must end with a coder (e.g. '+huffman'); {coder.name!r} is a stage")
    for stage in stages:
        if not isinstance(stage, Stage):
            raise UnknownCodecError(
                f"in codec spec {spec!r}, {stage.name!r} is a coder and may only come last")
    return Pipeline(stages, coder)


def _to_kind(data: np.ndarray, kind: str, target: str) -> np.ndarray:
    """Encode-side conversion between stream kinds."""
    if kind == target:
        return data
    if target == "u8":  # u16 -> its little-endian bytes
        return np.ascontiguousarray(data, dtype="<u2").view(np.uint8)
    return data.astype(np.uint16)  # u8 -> widened u16


def _from_kind(data: np.ndarray, kind: str, target: str) -> np.ndarray:
    """Decode-side inverse of _to_kind: `data` is of `kind`, return it as `target`."""
    if kind == target:
        return data
    if kind == "u8":  # bytes back to the u16 stream they were cut from
        return np.ascontiguousarray(data, dtype=np.uint8).view("<u2").astype(np.uint16, copy=False)
    if data.size and int(data.max()) > 0xFF:
        raise CorruptDataError("decoded stream holds values above 255 where bytes were expected")
    return data.astype(np.uint8)


def _converted_length(length: int, kind: str, target: str) -> int:
    return length * 2 if (kind, target) == ("u16", "u8") else length


def _interleave(rows: np.ndarray) -> np.ndarray:
    """(channels x frames) -> a new C-ordered (frames x channels) array, block by block."""
    channels, frames = rows.shape
    out = np.empty((frames, channels), dtype=rows.dtype)
    step = max(16, INTERLEAVE_BLOCK_BYTES // (rows.itemsize * channels))
    for start in range(0, frames, step):
        out[start:start + step] = rows[:, start:start + step].T
    return out


def _into(decoded: np.ndarray, out: Optional[np.ndarray]) -> np.ndarray:
    """decoded, or copied into out (and out returned) when the caller gave one."""
    if out is None:
        return decoded
    out[...] = decoded
    return out


def _column_groups(channels: int, frames: int, workers: int) -> List[range]:
    """Channel ranges for column tasks: COLUMN_GROUP channels each on one thread; with
    several threads at least four tasks a thread (so the last group does not leave the
    others idle), in multiples of the C core's 8 x 8 transpose tiles; and no more than
    COLUMN_TASK_SAMPLES samples a task (at least one channel)."""
    size = COLUMN_GROUP
    if workers > 1:
        size = min(COLUMN_GROUP, -(-channels // (4 * workers)))
        size = max(8, -(-size // 8) * 8)
    size = max(1, min(size, COLUMN_TASK_SAMPLES // max(1, frames)))
    return [range(c, min(c + size, channels)) for c in range(0, channels, size)]


def map_threads(fn, items: Sequence, workers: int, name: str = "n1codec") -> list:
    """[fn(item) for item in items], on up to `workers` threads when there is more than one
    item (the C coders release the GIL); results in input order."""
    if workers <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix=name) as pool:
        return list(pool.map(fn, items))


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


class ChannelLayout(NamedTuple):
    """One channel payload's parts (:meth:`Pipeline.channel_layout`)."""

    sides: List[bytes]            #: side info of each stage that has some, in stage order
    plan: List[Tuple[int, str]]   #: (input length, input kind) of each stage
    coder_offset: int             #: where the coder's stream starts in the payload
    coder_count: int              #: symbols the coder must produce
    coder_kind: str               #: the stream kind the last stage (or the samples) gives


def _byte_view(payload) -> memoryview:
    """A bytes-like payload as a contiguous memoryview of bytes (copied only when the
    buffer is not contiguous), which the C decoders read in place."""
    view = memoryview(payload)
    return view.cast("B") if view.c_contiguous else memoryview(view.tobytes())


class Pipeline:
    """Stages and a coder applied to each channel in turn.

    Channels are coded independently, so encode() and decode() can spread them
    over threads (the C coders release the GIL). ``threads`` (an argument, or
    this attribute for calls that do not pass one, such as the container's):
    1 codes serially, N uses up to N threads, None (the default) uses one
    thread per CPU for inputs of several channels and at least
    THREADS_MIN_SAMPLES samples. The bytes written are the same either way.
    """

    threads: Optional[int] = None

    def __init__(self, stages: Sequence[Stage], coder: Coder):
        self.stages = list(stages)
        self.coder = coder

    @property
    def spec(self) -> str:
        """The canonical spec (defaults left out): equal pipelines spell the same."""
        return "+".join(part.token() for part in (*self.stages, self.coder))

    @property
    def components(self) -> Tuple[Any, ...]:
        """The stages, then the coder."""
        return (*self.stages, self.coder)

    @property
    def lossless(self) -> bool:
        """True when every stage is exactly invertible (coders always are)."""
        return all(stage.lossless for stage in self.stages)

    def available(self) -> bool:
        """True when every component's optional dependencies are installed."""
        return all(part.available() for part in self.components)

    def require(self) -> None:
        """Raise CodecUnavailableError, with the install command, if a dependency is missing."""
        for part in self.components:
            part.require()

    def get_config(self) -> Dict[str, Any]:
        """The spec and each component's full configuration, as a JSON-able dict."""
        return {"spec": self.spec, "components": [dict(id=p.name, **p.config) for p in self.components]}

    def __repr__(self) -> str:
        return f"Pipeline({self.spec!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and self.spec == other.spec

    def __hash__(self) -> int:
        return hash(self.spec)

    # -- one channel -------------------------------------------------------

    def encode_channel(self, samples: np.ndarray, choice: Optional[bytes] = None) -> bytes:
        """Encode one channel given as uint16 bit patterns of its int16 samples.

        ``choice``: the coder's model_choice() of an earlier stream of this channel
        (see :meth:`model_choices`), taken instead of the coder's own trials."""
        data, kind = as_stream(samples, "u16"), "u16"
        sides: List[bytes] = []
        lengths: List[int] = []
        for stage in self.stages:
            data = _to_kind(data, kind, stage.input_kind)
            expected = len(data)
            data, side = stage.encode(data)
            kind = stage.output_kind
            data = as_stream(data, kind)
            if stage.has_side_info:
                sides.append(side)
            if not stage.preserves_length:
                lengths.append(len(data))
            elif len(data) != expected:
                raise AssertionError(f"stage {stage.name} changed the stream length")  # a bug, not input
        data = _to_kind(data, kind, self.coder.input_kind)
        head = b"".join(encode_uvarint(len(s)) + s for s in sides)
        head += b"".join(encode_uvarint(n) for n in lengths)
        coded = self.coder.encode(data) if choice is None else self.coder.encode_like(data, choice)
        return head + coded

    def channel_layout(self, payload: bytes, count: int) -> "ChannelLayout":
        """Where the parts of one channel's payload of `count` samples are, checked.

        Reads the stages' side info and stored lengths, works out how many symbols
        the coder must produce, and refuses (TruncatedDataError) a count that the
        coder's stream cannot honestly hold (:meth:`Coder.max_count`), before any
        buffer is sized from it."""
        pos = 0
        sides: List[bytes] = []
        for stage in self.stages:
            if stage.has_side_info:
                side, pos = read_sized(payload, pos, f"side info of stage {stage.name!r}", len(payload))
                sides.append(side)
        # Walk forward to learn each stage's input length and kind.
        plan: List[Tuple[int, str]] = []  # (input length, input kind) per stage
        length, kind = count, "u16"
        for stage in self.stages:
            length = _converted_length(length, kind, stage.input_kind)
            plan.append((length, stage.input_kind))
            if not stage.preserves_length:
                length, pos = read_uvarint(payload, pos, f"stream length after stage {stage.name!r}")
                # A stage may shrink its stream (run lengths) or grow it a little,
                # never fourfold: a larger claim is corruption, refused before any
                # allocation is sized from it.
                limit = min(MAX_STREAM_LENGTH, 4 * plan[-1][0] + 1024)
                if length > limit:
                    raise CorruptDataError(f"stage {stage.name!r} claims an implausible length {length}")
            kind = stage.output_kind
        coder_count = _converted_length(length, kind, self.coder.input_kind)
        most = self.coder.max_count(memoryview(payload)[pos:])
        if most is not None and coder_count > most:
            raise TruncatedDataError(
                f"{self.coder.name}: a stream of {len(payload) - pos} bytes cannot hold "
                f"{coder_count} symbols (at most {most})")
        return ChannelLayout(sides, plan, pos, coder_count, kind)

    def decode_channel(self, payload: bytes, count: int) -> np.ndarray:
        """Decode one channel of `count` samples; returns their uint16 bit patterns."""
        payload = bytes(payload) if not isinstance(payload, bytes) else payload
        layout = self.channel_layout(payload, count)
        sides, plan, kind, coder_count = layout.sides, layout.plan, layout.coder_kind, layout.coder_count
        data = self.coder.decode(payload[layout.coder_offset:], coder_count)
        if len(data) != coder_count:
            raise CorruptDataError(f"{self.coder.name}: decoded {len(data)} symbols, expected {coder_count}")
        data = _from_kind(data, self.coder.input_kind, kind)
        side_of = {}
        side_iter = iter(sides)
        for index, stage in enumerate(self.stages):
            if stage.has_side_info:
                side_of[index] = next(side_iter)
        for index in reversed(range(len(self.stages))):
            stage = self.stages[index]
            in_length, in_kind = plan[index]
            if stage.preserves_length:
                data = stage.decode(data, side_of.get(index, b""))
            else:  # told its output length, it refuses runs that expand beyond it
                data = stage.decode(data, side_of.get(index, b""), length=in_length)
            if len(data) != in_length:
                raise CorruptDataError(
                    f"stage {stage.name!r} decoded {len(data)} values, expected {in_length}")
            # Back to the kind the previous stage produced (samples before the first).
            prev_kind = self.stages[index - 1].output_kind if index > 0 else "u16"
            data = _from_kind(as_stream(data, in_kind), in_kind, prev_kind)
        return as_stream(data, "u16")

    # -- all channels --------------------------------------------------------

    def _workers(self, threads: Optional[int], channels: int, samples: int) -> int:
        """How many threads code `channels` channels of `samples` samples in all."""
        if threads is None:
            threads = self.threads
        if threads is None:
            if channels < 2 or samples < THREADS_MIN_SAMPLES:
                return 1
            threads = available_cpus()
        if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
            raise InvalidInputError(f"threads must be a whole number >= 1 or None, got {threads!r}")
        return max(1, min(int(threads), channels))

    def _joint(self, channels: int) -> bool:
        """True when the coder alone codes all channels together (n1(joint=1), several channels)."""
        return not self.stages and channels > 1 and self.coder.codes_channels_jointly()

    def encode(self, patterns: np.ndarray, threads: Optional[int] = None,
               follow: Optional[Sequence[bytes]] = None) -> bytes:
        """Encode a (frames x channels) uint16 array: each channel on its own.

        Layout: the payloads of channels 0..C-2 each behind a varint length,
        then the last channel's payload to the end (a mono file pays nothing).
        A coder alone that codes channels jointly (and several channels) writes
        its own payload instead (encode_channels); `threads` does not apply then.
        ``follow``: model_choices() of an earlier payload of the same channels.
        """
        channels = patterns.shape[1]
        if follow is not None and len(follow) != channels:
            raise InvalidInputError(f"follow has {len(follow)} choices for {channels} channels")
        if self._joint(channels):
            return self.coder.encode_channels(np.ascontiguousarray(patterns, dtype=np.uint16), follow)
        workers = self._workers(threads, channels, patterns.size)
        if not self.stages and self.coder.codes_columns and channels > 1:
            parts = self._encode_columns(patterns, follow, workers)
        else:
            def one(c: int) -> bytes:
                return self.encode_channel(np.ascontiguousarray(patterns[:, c]),
                                           None if follow is None else follow[c])

            parts = map_threads(one, range(channels), workers)
        head = b"".join(encode_uvarint(len(p)) + p for p in parts[:-1])
        return head + parts[-1]

    def _encode_columns(self, patterns: np.ndarray, follow: Optional[Sequence[bytes]],
                        workers: int) -> List[bytes]:
        """Each channel's payload, coded straight from the interleaved array, a group of
        channels per task (_column_groups; a coder that codes columns, no stages: the
        payload is the coder's stream, as encode_channel would write it)."""
        samples = np.ascontiguousarray(patterns, dtype=np.uint16).view(np.int16)
        channels = samples.shape[1]
        groups = _column_groups(channels, samples.shape[0], workers)

        def group(part: range) -> List[bytes]:
            choices = None if follow is None else follow[part.start:part.stop]
            return self.coder.encode_columns(samples, part.start, len(part), choices)

        return [payload for payloads in map_threads(group, groups, workers) for payload in payloads]

    def model_choices(self, payload: bytes, channels: int) -> Optional[List[bytes]]:
        """What the coder chose for each channel of an encode() payload, for a later
        encode(follow=...) of the same channels to skip the coder's trials (a
        chunked file's next chunks); None when there is nothing to follow (stages
        before the coder, a coder that tries nothing)."""
        if self.stages:
            return None
        if self._joint(channels):
            return self.coder.channel_choices(payload, channels)
        choices = [self.coder.model_choice(part) for part in self._channel_payloads(payload, channels)]
        return None if any(choice is None for choice in choices) else choices

    @staticmethod
    def _channel_payloads(payload: bytes, channels: int, views: bool = False) -> List[bytes]:
        """The channels' payloads of an encode() payload (framing checked): bytes, or with
        views, memoryviews of the payload (no copies; for coders that read any buffer)."""
        pos = 0
        chunks = []
        if views:
            payload = _byte_view(payload)
        for c in range(channels - 1):
            chunk, pos = read_sized(payload, pos, f"payload of channel {c}", len(payload), copy=not views)
            chunks.append(chunk)
        chunks.append(payload[pos:])
        return chunks

    def decode(self, payload: bytes, frames: int, channels: int, threads: Optional[int] = None,
               out: Optional[np.ndarray] = None) -> np.ndarray:
        """Inverse of encode(): a (frames x channels) uint16 array, written into `out` (a
        C-contiguous uint16 array of that shape) and returned when one is given. payload:
        bytes or any bytes-like buffer (the C columns decoder reads it in place)."""
        if out is not None and (out.shape != (frames, channels) or out.dtype != np.uint16
                                or not out.flags.c_contiguous or not out.flags.writeable):
            raise InvalidInputError(f"decode needs a writable C-contiguous uint16 array of shape "
                                    f"{(frames, channels)} to decode into")
        if not isinstance(payload, bytes):
            payload = _byte_view(payload)
        if self._joint(channels):
            decoded = self.coder.decode_channels(payload, frames, channels)
            if decoded.shape != (frames, channels):
                raise CorruptDataError(
                    f"{self.coder.name}: decoded shape {decoded.shape}, expected {(frames, channels)}")
            return _into(decoded, out)
        columns = channels > 1 and not self.stages and self.coder.codes_columns
        if not columns and not isinstance(payload, bytes):
            payload = bytes(payload)  # other coders are given bytes, as they always were
        chunks = self._channel_payloads(payload, channels, views=columns)
        if channels == 1:
            # the decoded channel is the array: no copy into a 2-D one (unless a
            # coder returned a read-only view: callers get an array they may write)
            mono = self.decode_channel(chunks[0], frames)
            if out is not None:
                return _into(mono.reshape(frames, 1), out)
            return (mono if mono.flags.writeable else mono.copy()).reshape(frames, 1)
        # Every channel's framing and coder bound first: a frame count no channel
        # can honestly hold is refused before the output is allocated.
        for chunk in chunks:
            self.channel_layout(chunk, frames)
        workers = self._workers(threads, channels, frames * channels)
        if columns:
            target = np.empty((frames, channels), dtype=np.uint16) if out is None else out
            self._decode_columns(chunks, frames, workers, target)
            return target
        rows = np.empty((channels, frames), dtype=np.uint16)

        def one(c: int) -> None:
            rows[c] = self.decode_channel(chunks[c], frames)

        map_threads(one, range(channels), workers)
        return _into(_interleave(rows), out)

    def _decode_columns(self, chunks: List[bytes], frames: int, workers: int, out: np.ndarray) -> None:
        """The channels' streams straight into the interleaved array `out`, a group of
        channels per task (_column_groups; a coder that codes columns, no stages)."""
        groups = _column_groups(len(chunks), frames, workers)

        def group(channels: range) -> None:
            self.coder.decode_columns(chunks[channels.start:channels.stop], frames, out, channels.start)

        map_threads(group, groups, workers)
