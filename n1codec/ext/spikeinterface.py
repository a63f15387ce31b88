"""Chunked .n1 files as SpikeInterface recordings, and recordings saved as chunked .n1 files.

``read_n1(path)`` returns a SpikeInterface ``BaseRecording`` whose ``get_traces``
decodes only the chunks (and channels) it is asked for, through
:class:`n1codec.Recording`. ``write_n1(recording, path)`` streams any int16
SpikeInterface recording (one segment) into a chunked .n1 file in bounded memory.
Needs ``spikeinterface`` (not a dependency of n1codec: ``pip install spikeinterface``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np
from spikeinterface.core import BaseRecording, BaseRecordingSegment

import n1codec
from n1codec.errors import InvalidInputError
from n1codec.formats import Source, to_coded


class N1RecordingSegment(BaseRecordingSegment):
    def __init__(self, recording: "n1codec.Recording"):
        BaseRecordingSegment.__init__(self, sampling_frequency=recording.sample_rate)
        self._recording = recording

    def get_num_samples(self) -> int:
        return self._recording.frames

    def get_traces(self, start_frame: Optional[int] = None, end_frame: Optional[int] = None,
                   channel_indices=None) -> np.ndarray:
        start = 0 if start_frame is None else int(start_frame)
        stop = self._recording.frames if end_frame is None else int(end_frame)
        channels = slice(None) if channel_indices is None else channel_indices
        return self._recording[start:stop, channels].reshape(stop - start, -1)


class N1RecordingExtractor(BaseRecording):
    """A chunked .n1 file (format version 3) as a one-segment SpikeInterface recording."""

    extractor_name = "N1Codec"
    mode = "file"
    name = "n1codec"

    def __init__(self, file_path, partial: bool = False):
        recording = n1codec.open(file_path, partial=partial)
        if not recording.sample_rate:
            recording.close()
            raise InvalidInputError(f"{file_path} has no sample rate; SpikeInterface needs one")
        BaseRecording.__init__(self, sampling_frequency=recording.sample_rate,
                               channel_ids=np.arange(recording.channels), dtype=recording.dtype)
        self.add_recording_segment(N1RecordingSegment(recording))
        gains = _openephys_gains(recording)
        if gains is not None:
            self.set_channel_gains(gains)
            self.set_channel_offsets(np.zeros(recording.channels))
        self._kwargs = {"file_path": str(Path(file_path).resolve()), "partial": partial}


def _openephys_gains(recording) -> Optional[np.ndarray]:
    """Microvolts per bit from a stored Open Ephys structure.oebin, when it has them for this stream."""
    oebin = recording.attachments.get("structure.oebin")
    if oebin is None:
        return None
    try:
        for stream in json.loads(oebin.decode("utf-8"))["continuous"]:
            if int(stream["num_channels"]) == recording.channels:
                return np.array([float(c["bit_volts"]) for c in stream["channels"]])
    except (ValueError, KeyError, TypeError):
        return None
    return None


def read_n1(file_path, partial: bool = False) -> N1RecordingExtractor:
    """Open a chunked .n1 file as a SpikeInterface recording."""
    return N1RecordingExtractor(file_path, partial=partial)


class _RecordingSource(Source):
    """One segment of a SpikeInterface recording as a source for the chunked writer."""

    def __init__(self, recording, segment_index: int):
        dtype = np.dtype(recording.get_dtype())
        if dtype.kind not in "iu" or dtype.itemsize != 2:
            raise InvalidInputError(f"n1codec stores 16-bit integer recordings, this one is {dtype}")
        super().__init__("<spikeinterface>", "array", recording.get_num_channels(),
                         recording.get_num_samples(segment_index), recording.get_sampling_frequency(),
                         dtype.newbyteorder("<"), 0)
        self._recording, self._segment = recording, segment_index

    def read(self, start: int, count: int) -> np.ndarray:
        traces = self._recording.get_traces(segment_index=self._segment, start_frame=start,
                                            end_frame=start + count)
        return np.ascontiguousarray(to_coded(np.asarray(traces)))

    def close(self) -> None:
        pass


def write_n1(recording, file_path, codec: str = "n1", segment_index: int = 0, chunk_seconds: float = 1.0,
             threads: Optional[int] = None, force: bool = False):
    """Save one segment of a SpikeInterface recording as a chunked .n1 file; returns its header."""
    from n1codec.recording import write_recording
    return write_recording(_RecordingSource(recording, segment_index), file_path, codec,
                           chunk_seconds=chunk_seconds, threads=threads, force=force)
