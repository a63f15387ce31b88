"""Large recordings: chunked .n1 files written and read in bounded memory.

:func:`compress_recording` streams a lab file (raw, SpikeGLX, Open Ephys, .npy,
WAV) into a chunked .n1 file (format version 3, :mod:`n1codec.chunked`): chunks
are read with ``os.pread``, coded on all cores by a thread pool (the C coders
release the GIL) and written in order as they finish, so memory holds a few
chunks whatever the file size. :func:`open_recording` (``n1codec.open``) gives a
:class:`Recording` whose numpy slicing ``rec[t0:t1, channels]`` decodes only the
chunks, and within them the channels, it touches. :func:`decompress_recording`
streams the original file back byte for byte.
"""
from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from . import chunked
from .chunked import ChunkedHeader
from .container import sample_crc32
from .errors import (ChecksumError, CorruptDataError, InputTooLargeError, InvalidInputError, N1CodecError,
                     NativeMemoryError, OutputExistsError, TruncatedDataError, TruncatedRecordingWarning,
                     UnknownCodecError, UnsupportedFeatureError)
from .files import PathLike, same_file
from .formats import ArraySource, PositionalFile, Source, from_coded, native, open_source
from .pipeline import map_threads

#: The default chunk duration: about one second, as mtscomp and most lab tools use.
DEFAULT_CHUNK_SECONDS = 1.0
#: Frames per chunk when the sample rate is unknown.
DEFAULT_CHUNK_FRAMES = 1 << 15
#: Bytes of chunks (raw samples, about 3x that while coded) kept in flight by default.
DEFAULT_MEMORY_BUDGET = 256 << 20


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def choose_chunk_frames(sample_rate: float, channels: int, chunk_seconds: Optional[float] = None,
                        chunk_frames: Optional[int] = None) -> int:
    """Frames per chunk: `chunk_frames`, else `chunk_seconds` (default 1 s) of frames, within the format's cap."""
    if chunk_frames is None:
        seconds = DEFAULT_CHUNK_SECONDS if chunk_seconds is None else float(chunk_seconds)
        if not seconds > 0:
            raise InvalidInputError(f"chunk_seconds must be > 0, got {chunk_seconds}")
        chunk_frames = max(1, round(seconds * sample_rate)) if sample_rate else DEFAULT_CHUNK_FRAMES
    elif chunk_seconds is not None:
        raise InvalidInputError("give chunk_frames or chunk_seconds, not both")
    if isinstance(chunk_frames, bool) or int(chunk_frames) != chunk_frames or chunk_frames < 1:
        raise InvalidInputError(f"chunk_frames must be a whole number >= 1, got {chunk_frames!r}")
    return int(min(chunk_frames, chunked.MAX_CHUNK_SAMPLES // channels))


def _plan_workers(threads: Optional[int], chunk_bytes: int, budget: int) -> Tuple[int, int]:
    """(worker threads, chunks in flight): all cores, as far as the memory budget allows."""
    if threads is not None and (isinstance(threads, bool) or int(threads) != threads or threads < 1):
        raise InvalidInputError(f"threads must be a whole number >= 1 or None, got {threads!r}")
    per_chunk = 3 * max(chunk_bytes, 1)  # samples, a column copy being coded, the coded bytes
    affordable = max(1, budget // per_chunk)
    workers = int(threads) if threads is not None else min(_cpu_count(), affordable)
    in_flight = max(workers, min(2 * workers, affordable))
    return workers, in_flight


def ordered_map(fn: Callable, items: Iterable, workers: int, in_flight: int) -> Iterator:
    """fn over items on `workers` threads, results in input order, at most `in_flight` pending."""
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="n1codec-chunk")
    pending: deque = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


# -- writing --------------------------------------------------------------------

def _header_for(source: Source, spec: str, chunk_frames: int) -> ChunkedHeader:
    return ChunkedHeader(
        spec=spec, sample_rate=source.sample_rate, channels=source.channels, frames=source.frames,
        chunk_frames=chunk_frames, sample_encoding=chunked.ENCODING_OF_DTYPE[source.dtype.str],
        flags=chunked.FLAG_ONE_DIMENSIONAL if source.one_dimensional else 0, source_kind=source.kind,
        prefix=source.prefix, suffix=source.suffix, attachments=source.attachments)


class _LeadChoices:
    """Chunks encoded so that most skip the coder's trials of alternative models.

    Coders such as n1 try several models per stream and keep the smallest (~2.5
    passes over the samples). In a chunked file only the lead chunks (0, then every
    RETRY_CHUNKS-th) try; chunk k of group g = k // RETRY_CHUNKS takes, channel by
    channel, what group max(g - 1, 0)'s lead chose. That lead started at least
    RETRY_CHUNKS chunks earlier (the writer's threads take chunks in order), so
    waiting for it never stalls in practice, and the bytes do not depend on timing
    or the number of threads."""

    RETRY_CHUNKS = 32

    def __init__(self, pipeline, channels: int, count: int):
        self._pipeline = pipeline
        self._channels = channels
        self._done = {lead: threading.Event() for lead in range(0, count, self.RETRY_CHUNKS)}
        self._choices: Dict[int, Optional[List[bytes]]] = {}
        self._failures: Dict[int, BaseException] = {}

    def encode(self, index: int, patterns: np.ndarray) -> bytes:
        """The payload of chunk `index` (uint16 patterns, frames x channels)."""
        if index % self.RETRY_CHUNKS:
            return self._pipeline.encode(patterns, threads=1, follow=self._lead_choices(index))
        try:
            payload = self._pipeline.encode(patterns, threads=1)
            self._choices[index] = self._pipeline.model_choices(payload, self._channels)
        except BaseException as exc:  # its followers fail alike instead of waiting forever
            self._failures[index] = exc
            raise
        finally:
            self._done[index].set()
        return payload

    def _lead_choices(self, index: int) -> Optional[List[bytes]]:
        lead = max(index // self.RETRY_CHUNKS - 1, 0) * self.RETRY_CHUNKS
        self._done[lead].wait()
        if lead in self._failures:
            raise N1CodecError(f"chunk {lead}, whose choices chunk {index} follows, failed: "
                               f"{self._failures[lead]}")
        return self._choices[lead]


def write_chunked(out, source: Source, pipeline, chunk_frames: int, threads: Optional[int] = None,
                  memory_budget: int = DEFAULT_MEMORY_BUDGET, verify: bool = False,
                  progress: Optional[Callable[[int, int], None]] = None) -> ChunkedHeader:
    """Write `source` as a chunked .n1 file to the binary file object `out`; returns the header."""
    header = _header_for(source, pipeline.spec, chunk_frames)
    head = chunked.pack_header(header)
    out.write(head)
    position = len(head)

    chunks = _LeadChoices(pipeline, header.channels, header.chunk_count)

    def code(index: int) -> Tuple[bytes, bytes]:
        start, count = header.chunk_range(index)
        samples = source.read(start, count)
        payload = chunks.encode(index, samples.view(np.uint16))
        if verify:
            back = pipeline.decode(payload, count, header.channels, threads=1)
            if not np.array_equal(back, samples.view(np.uint16)):
                raise N1CodecError(f"internal error: {pipeline.spec} did not round-trip chunk {index}; "
                                   "nothing was written")
        return chunked.pack_record_head(payload, sample_crc32(samples)), payload

    workers, in_flight = _plan_workers(threads, chunk_frames * header.channels * 2, memory_budget)
    offsets: List[int] = []
    count = header.chunk_count
    for index, (record_head, payload) in enumerate(ordered_map(code, range(count), workers, in_flight)):
        offsets.append(position)
        out.write(record_head)
        out.write(payload)
        position += len(record_head) + len(payload)
        if progress is not None:
            progress(index + 1, count)
    out.write(chunked.pack_index(offsets, position))
    header.data_offset = len(head)
    header.payload_size = position - len(head)
    header.file_size = position + chunked.index_size(count) + chunked.FOOTER_SIZE
    return header


class _AtomicOutput:
    """A temporary file beside `target`, renamed over it on success and removed on failure."""

    def __init__(self, target: PathLike, force: bool):
        self.target = Path(target)
        if self.target.exists() and not force:
            raise OutputExistsError(f"{self.target} exists; pass --force (force=True) to overwrite it")
        if self.target.is_dir():
            raise InvalidInputError(f"{self.target} is a directory")

    def __enter__(self):
        from .files import _create_temp_beside
        fd, self.tmp = _create_temp_beside(self.target)
        self.file = os.fdopen(fd, "wb", buffering=1 << 20)
        return self.file

    def __exit__(self, exc_type, exc, tb):
        try:
            self.file.close()
            if exc_type is None:
                os.replace(self.tmp, self.target)
        finally:
            if exc_type is not None or os.path.exists(self.tmp):
                try:
                    os.unlink(self.tmp)
                except OSError:
                    pass
        return False


def _check_paths(src: PathLike, dst: PathLike) -> None:
    if same_file(src, dst) or Path(src).resolve() == Path(dst).resolve():
        raise InvalidInputError(f"input and output are the same file ({src}); the input is never overwritten")


def _pipeline(codec):
    """A spec, alias or Pipeline whose dependencies are present (as n1codec.get_codec)."""
    from .pipeline import Pipeline, parse_spec
    pipeline = codec if isinstance(codec, Pipeline) else parse_spec(codec)
    pipeline.require()
    return pipeline


def write_recording(source: Source, dst: PathLike, codec="n1", *, chunk_seconds: Optional[float] = None,
                    chunk_frames: Optional[int] = None, threads: Optional[int] = None,
                    memory_budget: int = DEFAULT_MEMORY_BUDGET, force: bool = False, verify: bool = False,
                    progress: Optional[Callable[[int, int], None]] = None) -> ChunkedHeader:
    """Write any Source (a file reader, an array, an adapter's recording) as a chunked .n1 file.

    The output appears only when complete (written beside `dst`, then renamed).
    """
    pipeline = _pipeline(codec)
    frames_per_chunk = choose_chunk_frames(source.sample_rate, source.channels, chunk_seconds, chunk_frames)
    with _AtomicOutput(dst, force) as out:
        return write_chunked(out, source, pipeline, frames_per_chunk, threads=threads,
                             memory_budget=memory_budget, verify=verify, progress=progress)


def compress_recording(src: PathLike, dst: PathLike, codec="n1", *, format: Optional[str] = None,
                       channels: Optional[int] = None, sample_rate: Optional[float] = None, dtype=None,
                       stream: Optional[str] = None, chunk_seconds: Optional[float] = None,
                       chunk_frames: Optional[int] = None, threads: Optional[int] = None,
                       memory_budget: int = DEFAULT_MEMORY_BUDGET, force: bool = False, verify: bool = False,
                       progress: Optional[Callable[[int, int], None]] = None) -> ChunkedHeader:
    """Compress a recording file into a chunked .n1 file in bounded memory; returns the header.

    ``format``: 'raw', 'spikeglx', 'openephys', 'npy' or 'wav' (detected when None). A raw
    file needs ``channels`` (and ``sample_rate``; ``dtype`` defaults to little-endian int16).
    ``stream`` names the Open Ephys stream when structure.oebin lists several.
    ``chunk_seconds`` (default 1 s) or ``chunk_frames`` set the chunk length; ``threads``
    (default: every core the memory budget allows) code chunks in parallel. With
    ``verify`` every chunk is decoded and compared before it is written.
    """
    _check_paths(src, dst)
    _pipeline(codec)  # an unknown codec is refused before the input is opened
    with open_source(src, format=format, channels=channels, sample_rate=sample_rate, dtype=dtype,
                     stream=stream) as source:
        return write_recording(source, dst, codec, chunk_seconds=chunk_seconds, chunk_frames=chunk_frames,
                               threads=threads, memory_budget=memory_budget, force=force, verify=verify,
                               progress=progress)


def encode_chunked(samples, codec="n1", sample_rate: float = 0, chunk_frames: Optional[int] = None,
                   chunk_seconds: Optional[float] = None, threads: Optional[int] = None) -> bytes:
    """An in-memory array (1-D, or samples x channels; int16 or uint16) as chunked .n1 bytes."""
    import io
    arr = np.asarray(samples)
    if arr.dtype.kind not in "iu" or arr.dtype.itemsize != 2:
        raise InvalidInputError(f"n1codec encodes int16 (or uint16) samples, got dtype {arr.dtype}")
    if arr.ndim not in (1, 2) or (arr.ndim == 2 and arr.shape[1] == 0):
        raise InvalidInputError(f"expected a 1-D (samples) or 2-D (samples x channels) array, got shape {arr.shape}")
    if sample_rate < 0:
        raise InvalidInputError(f"sample_rate must be >= 0, got {sample_rate}")
    pipeline = _pipeline(codec)
    source = ArraySource(arr, sample_rate)
    frames_per_chunk = choose_chunk_frames(source.sample_rate, source.channels, chunk_seconds, chunk_frames)
    out = io.BytesIO()
    write_chunked(out, source, pipeline, frames_per_chunk, threads=threads)
    return out.getvalue()


# -- reading --------------------------------------------------------------------

class _FileReader:
    """Bytes at an offset, from a path (thread-safe positional reads) or an in-memory buffer."""

    def __init__(self, path: Optional[PathLike] = None, blob: Optional[bytes] = None):
        self.blob = None if blob is None else memoryview(blob).cast("B")
        self.file = PositionalFile(path) if self.blob is None else None
        self.size = len(self.blob) if self.blob is not None else self.file.size

    def read(self, offset: int, size: int) -> bytes:
        size = max(0, min(size, self.size - offset))
        if self.blob is not None:
            return bytes(self.blob[offset:offset + size])
        return self.file.read(offset, size)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _read_header(reader: _FileReader) -> ChunkedHeader:
    head = reader.read(0, chunked.PREAMBLE_SIZE)
    size = chunked.read_preamble(head, reader.size)
    return chunked.unpack_header(reader.read(0, chunked.PREAMBLE_SIZE + size), reader.size)


def _recoverable(header: ChunkedHeader, complete_chunks: int) -> int:
    return min(header.frames, complete_chunks * header.chunk_frames)


def _truncation_message(header: ChunkedHeader, complete: int, where: str) -> str:
    frames = _recoverable(header, complete)
    seconds = f" = {frames / header.sample_rate:.3f} s" if header.sample_rate else ""
    return (f"truncated .n1 file: {where}; {complete} of {header.chunk_count} chunks are whole "
            f"({frames} of {header.frames} frames{seconds} recoverable with n1codec.open(path, partial=True) "
            f"or 'n1codec decode --partial')")


def _load_index(reader: _FileReader, header: ChunkedHeader, partial: bool) -> Tuple[np.ndarray, bool]:
    """(record offsets with the end of the last one, complete?) from the index, or by a scan."""
    try:
        footer = reader.read(reader.size - chunked.FOOTER_SIZE, chunked.FOOTER_SIZE) \
            if reader.size >= header.data_offset + chunked.FOOTER_SIZE else b""
        index_offset = chunked.read_footer(footer, header)
        if index_offset is not None:
            blob = reader.read(index_offset, chunked.index_size(header.chunk_count))
            return chunked.unpack_index(blob, index_offset, header), True
        problem = "it has no footer (the index at its end is missing)"
    except CorruptDataError as exc:
        if not partial:
            raise
        problem = f"its index is unreadable ({exc})"
    offsets = chunked.scan_records(reader.read, header)
    complete = len(offsets) - 1
    message = _truncation_message(header, complete, problem)
    if not partial:
        raise TruncatedDataError(message)
    warnings.warn(message, TruncatedRecordingWarning, stacklevel=3)
    return np.asarray(offsets, dtype=np.int64), False


class Recording:
    """A chunked .n1 file opened for reading: numpy slicing decodes only what it needs.

    ``rec[t0:t1, channels]`` takes frames (ints, slices with steps, integer arrays)
    and channels (ints, slices, integer lists or arrays, boolean masks), and returns
    a numpy array of the original sample type (``dtype``, native byte order).
    Decoding runs on ``threads`` threads (default: every core); the last
    ``cache_chunks`` wholly decoded chunks are kept for the next slice.
    """

    def __init__(self, path: Optional[PathLike] = None, *, blob: Optional[bytes] = None, partial: bool = False,
                 threads: Optional[int] = None, cache_chunks: int = 2):
        self.path = None if path is None else Path(path)
        self._reader = _FileReader(path=path, blob=blob)
        try:
            self.header = _read_header(self._reader)
            self._offsets, self.complete = _load_index(self._reader, self.header, partial)
            self._pipeline = self._pipeline_of(self.header.spec)
        except BaseException:
            self._reader.close()
            raise
        self.chunk_count = len(self._offsets) - 1
        self.frames = _recoverable(self.header, self.chunk_count)
        self.channels = self.header.channels
        self.header.payload_size = int(self._offsets[-1] - self._offsets[0])
        self._threads = threads if threads is not None else _cpu_count()
        self._pool: Optional[ThreadPoolExecutor] = None
        self._cache: "OrderedDict[int, np.ndarray]" = OrderedDict()
        self._cache_size = max(0, int(cache_chunks))
        self._lock = threading.Lock()

    @staticmethod
    def _pipeline_of(spec: str):
        try:
            return _pipeline(spec)
        except UnknownCodecError as exc:
            raise UnsupportedFeatureError(
                f"this .n1 file uses codec {spec!r}, which this release cannot decode ({exc})") from None

    # -- description ----------------------------------------------------------

    @property
    def shape(self) -> Tuple[int, ...]:
        """(frames, channels), or (frames,) for a recording stored from a 1-D array."""
        return (self.frames,) if self.one_dimensional else (self.frames, self.channels)

    @property
    def one_dimensional(self) -> bool:
        """True when the samples were given as a 1-D array (one channel)."""
        return bool(self.header.flags & chunked.FLAG_ONE_DIMENSIONAL)

    @property
    def ndim(self) -> int:
        """1 or 2, as for a numpy array of this shape."""
        return len(self.shape)

    @property
    def dtype(self) -> np.dtype:
        """The sample type slicing returns: the source's int16 or uint16, in native byte order."""
        return native(self.header.dtype)

    @property
    def sample_rate(self) -> float:
        """Hz; 0 when unknown."""
        return self.header.sample_rate

    @property
    def duration(self) -> float:
        """Seconds of the readable frames (NaN when the rate is unknown)."""
        return self.frames / self.sample_rate if self.sample_rate else float("nan")

    @property
    def chunk_frames(self) -> int:
        """Frames per chunk (the last chunk may be shorter)."""
        return self.header.chunk_frames

    @property
    def spec(self) -> str:
        """The codec spec every chunk is coded with."""
        return self.header.spec

    @property
    def attachments(self) -> Dict[str, bytes]:
        """Files stored beside the samples (a SpikeGLX .meta, an Open Ephys structure.oebin)."""
        return dict(self.header.attachments)

    def __len__(self) -> int:
        return self.frames

    def __repr__(self) -> str:
        rate = f"{self.sample_rate:g} Hz" if self.sample_rate else "rate unknown"
        state = "" if self.complete else ", truncated"
        return (f"<n1codec.Recording {self.path or '<bytes>'}: {self.frames} frames x {self.channels} channels, "
                f"{rate}, {self.header.spec}, {self.chunk_count} chunks{state}>")

    # -- decoding one chunk -------------------------------------------------------

    def _record(self, index: int) -> Tuple[memoryview, int]:
        start, end = int(self._offsets[index]), int(self._offsets[index + 1])
        record = self._reader.read(start, end - start)
        if len(record) != end - start:
            raise TruncatedDataError(f"the file ended while reading chunk {index} (was it truncated meanwhile?)")
        return chunked.check_record(record, index, self.header)

    def _decode_chunk(self, index: int, channels: Optional[np.ndarray], threads: int = 1,
                      into: Optional[np.ndarray] = None) -> np.ndarray:
        """int16 codec values of chunk `index` (frames x selected channels; all when None),
        its channels decoded on `threads` threads. into: a C-contiguous int16 array of
        the whole chunk's shape to decode into (all channels only; not cached)."""
        with self._lock:
            cached = self._cache.get(index)
            if cached is not None:
                self._cache.move_to_end(index)
        if cached is not None:
            if into is not None:
                into[...] = cached
                return into
            return cached if channels is None else cached[:, channels]
        _, count = self.header.chunk_range(index)
        payload, samples_crc = self._record(index)
        pipeline = self._pipeline
        try:
            if channels is None or 2 * len(channels) > self.channels:
                target = None if into is None else into.view(np.uint16)
                samples = pipeline.decode(payload, count, self.channels, threads=threads,
                                          out=target).view(np.int16)
                if sample_crc32(samples) != samples_crc:
                    raise ChecksumError(f"chunk {index} decodes to samples whose CRC-32 does not match; "
                                        "the file is corrupt")
                if into is not None:
                    return into
                with self._lock:
                    if self._cache_size:
                        self._cache[index] = samples
                        while len(self._cache) > self._cache_size:
                            self._cache.popitem(last=False)
                return samples if channels is None else samples[:, channels]
            try:  # the channels' payloads as views of the record
                parts = pipeline._channel_payloads(payload, self.channels, views=True)
            except N1CodecError as exc:
                raise CorruptDataError(f"chunk {index} is corrupt ({exc})") from None
            out = np.empty((count, len(channels)), dtype=np.int16)

            def column(item: Tuple[int, int]) -> None:
                out[:, item[0]] = pipeline.decode_channel(bytes(parts[item[1]]), count).view(np.int16)

            map_threads(column, list(enumerate(channels)), threads, "n1codec-read")
            return out
        except MemoryError:
            raise NativeMemoryError(f"not enough memory to decode chunk {index}") from None
        except TruncatedDataError as exc:
            # The record's length and CRC were checked: a coder running out of bytes means they are wrong.
            raise CorruptDataError(f"chunk {index} is corrupt ({exc})") from None

    def _map_chunks(self, fn, indices: Sequence[int]):
        """fn(index, threads) for each chunk: the chunks on the reading pool and, when
        there are fewer chunks than threads (a short window), each chunk's channels on
        the threads left over."""
        inner = max(1, self._threads // max(1, len(indices)))
        if self._threads <= 1 or len(indices) <= 1:
            return [fn(i, inner) for i in indices]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="n1codec-read")
        return list(self._pool.map(lambda i: fn(i, inner), indices))

    # -- reading ranges ------------------------------------------------------------

    def read(self, start: int = 0, stop: Optional[int] = None, channels=None) -> np.ndarray:
        """Frames start..stop (all by default) of the given channels, as (frames x channels)."""
        stop = self.frames if stop is None else stop
        if not 0 <= start <= stop <= self.frames:
            raise InvalidInputError(f"frames {start}..{stop} are outside the recording's 0..{self.frames}")
        selection = self._channel_index(channels)
        coded = self._read_coded(int(start), int(stop), selection)
        return from_coded(coded, self.header.dtype).astype(self.dtype, copy=False)

    def _read_coded(self, start: int, stop: int, selection: Optional[np.ndarray]) -> np.ndarray:
        width = self.channels if selection is None else len(selection)
        out = np.empty((stop - start, width), dtype=np.int16)
        if stop == start or width == 0:
            return out
        per = self.header.chunk_frames
        first, last = start // per, (stop - 1) // per

        def fill(index: int, threads: int) -> None:
            chunk_start = index * per
            _, count = self.header.chunk_range(index)
            if selection is None and start <= chunk_start and chunk_start + count <= stop:
                # a chunk the range covers: decoded straight into its rows of the output
                self._decode_chunk(index, None, threads, into=out[chunk_start - start:chunk_start - start + count])
                return
            data = self._decode_chunk(index, selection, threads)
            lo, hi = max(start, chunk_start), min(stop, chunk_start + len(data))
            out[lo - start:hi - start] = data[lo - chunk_start:hi - chunk_start]

        self._map_chunks(fill, range(first, last + 1))
        return out

    def _channel_index(self, channels) -> Optional[np.ndarray]:
        """None for all channels, else an array of channel numbers."""
        if channels is None or (isinstance(channels, slice) and channels == slice(None)) or channels is Ellipsis:
            return None
        if isinstance(channels, slice):
            return np.arange(self.channels)[channels]
        selection = np.asarray(channels)
        if selection.dtype == bool:
            if selection.shape != (self.channels,):
                raise IndexError(f"a boolean channel mask needs {self.channels} entries, got {selection.shape}")
            return np.flatnonzero(selection)
        if selection.dtype.kind not in "iu" or selection.ndim > 1:
            raise IndexError(f"channels must be an int, a slice, integers or a boolean mask, got {channels!r}")
        selection = selection.reshape(-1).astype(np.int64)
        if selection.size and (selection.min() < -self.channels or selection.max() >= self.channels):
            raise IndexError(f"channel index out of range for {self.channels} channels")
        return np.where(selection < 0, selection + self.channels, selection)

    def __getitem__(self, key) -> np.ndarray:
        if self.one_dimensional:
            if isinstance(key, tuple):
                if len(key) != 1:
                    raise IndexError(f"too many indices for a 1-D recording: {key!r}")
                key = key[0]
            return self._index(key, None, drop_channel=True)
        if not isinstance(key, tuple):
            key = (key,)
        if len(key) > 2:
            raise IndexError(f"too many indices for a (frames x channels) recording: {key!r}")
        time_key = key[0]
        channel_key = key[1] if len(key) == 2 else slice(None)
        drop = isinstance(channel_key, (int, np.integer))
        if drop:
            if not -self.channels <= channel_key < self.channels:
                raise IndexError(f"channel {channel_key} is out of range for {self.channels} channels")
            channel_key = [int(channel_key)]
        return self._index(time_key, self._channel_index(channel_key), drop_channel=drop)

    def _index(self, time_key, selection, drop_channel: bool) -> np.ndarray:
        if time_key is Ellipsis:
            time_key = slice(None)
        if isinstance(time_key, (int, np.integer)):
            frame = int(time_key) + (self.frames if time_key < 0 else 0)
            if not 0 <= frame < self.frames:
                raise IndexError(f"frame {time_key} is out of range for {self.frames} frames")
            data = self._read_coded(frame, frame + 1, selection)[0]
        elif isinstance(time_key, slice):
            frames = range(*time_key.indices(self.frames))
            if len(frames) == 0:
                data = self._read_coded(0, 0, selection)
            else:
                lo, hi = min(frames[0], frames[-1]), max(frames[0], frames[-1]) + 1
                data = self._read_coded(lo, hi, selection)[frames[0] - lo::frames.step]
        else:
            wanted = np.asarray(time_key)
            if wanted.dtype.kind not in "iu" or wanted.ndim != 1:
                raise IndexError(f"frames must be an int, a slice or a 1-D integer array, got {time_key!r}")
            wanted = np.where(wanted < 0, wanted + self.frames, wanted).astype(np.int64)
            if wanted.size and (wanted.min() < 0 or wanted.max() >= self.frames):
                raise IndexError(f"frame index out of range for {self.frames} frames")
            data = self._gather(wanted, selection)
        values = from_coded(np.ascontiguousarray(data), self.header.dtype).astype(self.dtype, copy=False)
        return values[..., 0] if drop_channel else values

    def _gather(self, frames: np.ndarray, selection) -> np.ndarray:
        width = self.channels if selection is None else len(selection)
        out = np.empty((len(frames), width), dtype=np.int16)
        per = self.header.chunk_frames
        chunks = np.unique(frames // per)

        def fill(index: int, threads: int) -> None:
            rows = np.flatnonzero(frames // per == index)
            out[rows] = self._decode_chunk(int(index), selection, threads)[frames[rows] - index * per]

        self._map_chunks(fill, [int(i) for i in chunks])
        return out

    def __array__(self, dtype=None, copy=None):
        data = self.read()
        data = data.reshape(-1) if self.one_dimensional else data
        return data if dtype is None else data.astype(dtype)

    def iter_chunks(self, channels=None) -> Iterator[Tuple[int, np.ndarray]]:
        """(first frame, frames x channels array) for each chunk in order, decoded a few at a time."""
        selection = self._channel_index(channels)
        per = self.header.chunk_frames
        workers = max(1, self._threads)

        def decode(index: int) -> Tuple[int, np.ndarray]:
            coded = self._decode_chunk(index, selection)
            return index * per, from_coded(coded, self.header.dtype)

        yield from ordered_map(decode, range(self.chunk_count), workers, 2 * workers)

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Release the file and the decoding threads (also done by ``with``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._cache.clear()
        self._reader.close()

    def __enter__(self) -> "Recording":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self._reader.close()
        except Exception:
            pass


def open_recording(path: PathLike, partial: bool = False, threads: Optional[int] = None,
                   cache_chunks: int = 2) -> Recording:
    """Open a chunked .n1 file: ``with n1codec.open("rec.n1") as rec: x = rec[0:30000, :64]``.

    A file whose end is missing raises TruncatedDataError naming how much is
    recoverable; with ``partial=True`` its whole chunks are readable instead
    (``rec.complete`` is False, and a TruncatedRecordingWarning says what was lost).
    """
    return Recording(path, partial=partial, threads=threads, cache_chunks=cache_chunks)


def check_sample_limit(header, max_samples: Optional[int]) -> None:
    """Refuse a file that declares more than max_samples samples (None: no limit), before decoding;
    `header` is any .n1 header (single-block or chunked) with frames, channels and samples."""
    if max_samples is None:
        return
    if isinstance(max_samples, bool) or not isinstance(max_samples, (int, np.integer)) or max_samples < 0:
        raise InvalidInputError(f"max_samples must be a whole number >= 0 or None, got {max_samples!r}")
    if header.samples > max_samples:
        raise InputTooLargeError(
            f"the file declares {header.frames} frames x {header.channels} channels = {header.samples} samples, "
            f"more than the limit of {max_samples} (raise max_samples, or --max-samples on the command line, "
            "if the file is trusted)")


def decode_chunked(blob: bytes, max_samples: Optional[int] = None) -> np.ndarray:
    """The samples of chunked .n1 bytes as one array (what ``n1codec.decode`` returns)."""
    with Recording(blob=blob, cache_chunks=0) as rec:
        check_sample_limit(rec.header, max_samples)
        if rec.header.samples * 2 > 1 << 40:
            raise NativeMemoryError(f"{rec.header.samples} samples do not fit in memory")
        try:
            return np.asarray(rec)
        except MemoryError:
            raise NativeMemoryError(f"not enough memory for {rec.header.samples} samples") from None


def chunked_info(blob: bytes) -> ChunkedHeader:
    """The header of chunked .n1 bytes, after checking the index (what ``n1codec.info`` returns)."""
    with Recording(blob=blob) as rec:
        return rec.header


# -- writing the original back -----------------------------------------------------

def sidecar_paths(header: ChunkedHeader, dst: Path) -> Dict[str, Path]:
    """Where each attachment goes when a decoded file is written to `dst`."""
    paths = {}
    for name in header.attachments:
        if header.source_kind == "spikeglx" and name.endswith(".meta"):
            paths[name] = dst.with_suffix(".meta")
        elif header.source_kind == "openephys" and name == "structure.oebin":
            in_layout = dst.name == "continuous.dat" and dst.resolve().parent.parent.name == "continuous"
            paths[name] = (dst.resolve().parents[2] if in_layout else dst.parent) / "structure.oebin"
        else:
            paths[name] = dst.parent / Path(name).name
    return paths


def decompress_recording(src: PathLike, dst: PathLike, force: bool = False, partial: bool = False,
                         start: Optional[int] = None, stop: Optional[int] = None, sidecars: bool = True,
                         threads: Optional[int] = None, max_samples: Optional[int] = None) -> ChunkedHeader:
    """Stream a chunked .n1 file back into its original file, byte for byte.

    With ``start``/``stop`` (frames) only that range is written: as a .npy file when
    `dst` ends in .npy, a canonical WAV when it ends in .wav, else raw interleaved
    samples of the original type. ``sidecars`` writes the stored .meta / structure.oebin
    beside a whole decoded file (never over an existing file unless ``force``). Memory stays
    bounded whatever the size; ``max_samples`` (None: no limit) refuses files declaring more.
    """
    _check_paths(src, dst)
    dst = Path(dst)
    with Recording(src, partial=partial, threads=threads, cache_chunks=0) as rec:
        header = rec.header
        check_sample_limit(header, max_samples)
        whole = start is None and stop is None and rec.complete
        lo, hi = (0 if start is None else int(start)), (rec.frames if stop is None else int(stop))
        if not 0 <= lo <= hi <= rec.frames:
            raise InvalidInputError(f"frames {lo}..{hi} are outside the recording's 0..{rec.frames}")
        sidecar_targets = sidecar_paths(header, dst) if (whole and sidecars) else {}
        for path in sidecar_targets.values():
            if path.exists() and not force:
                raise OutputExistsError(f"{path} exists; pass --force (force=True) to overwrite it")
        with _AtomicOutput(dst, force) as out:
            if whole:
                out.write(header.prefix)
                _write_range(rec, out, 0, rec.frames)
                out.write(header.suffix)
            else:
                out.write(_range_prefix(rec, dst, hi - lo))
                _write_range(rec, out, lo, hi)
        for name, path in sidecar_targets.items():
            with _AtomicOutput(path, True) as out:
                out.write(header.attachments[name])
        return header


def _range_prefix(rec: Recording, dst: Path, frames: int) -> bytes:
    suffix = dst.suffix.lower()
    if suffix == ".npy":
        import io
        buf = io.BytesIO()
        shape = (frames,) if rec.one_dimensional else (frames, rec.channels)
        np.lib.format.write_array_header_1_0(
            buf, {"descr": rec.header.dtype.str, "fortran_order": False, "shape": shape})
        return buf.getvalue()
    if suffix == ".wav":
        from .wav import canonical_header
        if rec.header.dtype.str != "<i2" or not rec.sample_rate or rec.sample_rate != int(rec.sample_rate):
            raise InvalidInputError("a WAV output needs little-endian int16 samples and a whole-number rate")
        return canonical_header(int(rec.sample_rate), rec.channels, frames)
    return b""


def _write_range(rec: Recording, out, lo: int, hi: int) -> None:
    """Frames lo..hi in the original sample type, chunk by chunk, in order."""
    per = rec.chunk_frames
    if hi <= lo:
        return
    first, last = lo // per, (hi - 1) // per
    workers = max(1, rec._threads)

    def decode(index: int) -> np.ndarray:
        chunk_start = index * per
        data = rec._decode_chunk(index, None)
        a, b = max(lo, chunk_start) - chunk_start, min(hi, chunk_start + len(data)) - chunk_start
        return np.ascontiguousarray(from_coded(data[a:b], rec.header.dtype))

    for piece in ordered_map(decode, range(first, last + 1), workers, 2 * workers):
        out.write(memoryview(piece).cast("B"))
