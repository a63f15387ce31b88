"""SpikeInterface writes recordings to zarr with n1codec and reads them back equal.

spikeinterface is an optional test dependency. Its zarr writer (0.105) needs
zarr v2 on Python < 3.14, where the compressor slot takes a numcodecs codec and
hands it each chunk as a 2-D (samples x channels) array, so n1codec codes every
channel on its own. Install it in an environment of its own if the main one has
zarr v3: ``pip install spikeinterface`` pulls zarr<3 and numcodecs<0.16.
"""
from __future__ import annotations

import numpy as np
import pytest

si = pytest.importorskip("spikeinterface.core", reason="spikeinterface is not installed (optional test dependency)")
zarr = pytest.importorskip("zarr")

import numcodecs  # noqa: E402

from n1codec.tools import synthetic  # noqa: E402


def _writes_zarr() -> bool:
    from spikeinterface.core import core_tools
    check = getattr(core_tools, "_is_zarr_write_supported", None)
    return check() if check is not None else True


pytestmark = pytest.mark.skipif(
    not _writes_zarr(), reason=f"this spikeinterface cannot write zarr with zarr {zarr.__version__}")


def _assert_same(recording, back):
    assert back.get_num_segments() == recording.get_num_segments()
    assert list(back.get_channel_ids()) == list(recording.get_channel_ids())
    assert back.get_sampling_frequency() == recording.get_sampling_frequency()
    for segment in range(recording.get_num_segments()):
        expected = recording.get_traces(segment_index=segment)
        got = back.get_traces(segment_index=segment)
        assert got.dtype == np.int16
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("config", [{"id": "n1codec.n1", "level": "default"},
                                    {"id": "n1codec.pipeline", "spec": "delta+huffman"}],
                         ids=["n1", "delta+huffman"])
def test_save_synthetic_recording_to_zarr(tmp_path, capsys, config):
    traces = [synthetic.n1_like(seconds=0.6, seed=11, channels=32),
              synthetic.n1_like(seconds=0.3, seed=12, channels=32)]
    recording = si.NumpyRecording(traces, sampling_frequency=synthetic.N1_SAMPLE_RATE)
    compressor = numcodecs.get_codec(config)
    saved = recording.save(format="zarr", folder=tmp_path / "rec.zarr", compressor=compressor,
                           n_jobs=1, chunk_duration="0.25s", progress_bar=False)
    _assert_same(recording, saved)
    back = si.read_zarr(tmp_path / "rec.zarr")
    _assert_same(recording, back)

    traces0 = zarr.open(str(tmp_path / "rec.zarr"), mode="r")["traces_seg0"]
    assert traces0.compressor == compressor
    with capsys.disabled():
        print(f"\n  spikeinterface zarr, {config}: traces_seg0 stored ratio "
              f"{traces0.nbytes / traces0.nbytes_stored:.3f}")


def test_save_generated_recording_with_two_jobs(tmp_path):
    """spikeinterface's own generator, scaled to int16; two worker processes (the codec pickles)."""
    spre = pytest.importorskip("spikeinterface.preprocessing")
    generated = si.generate_recording(num_channels=8, durations=[1.0], sampling_frequency=10000.0, seed=0)
    recording = spre.scale(generated, gain=100.0, dtype="int16")  # noise of ~100 codes
    saved = recording.save(format="zarr", folder=tmp_path / "gen.zarr",
                           compressor=numcodecs.get_codec({"id": "n1codec.n1"}),
                           n_jobs=2, chunk_duration="0.5s", progress_bar=False)
    _assert_same(recording, saved)


def test_chunked_n1_files_are_spikeinterface_recordings(tmp_path):
    """n1codec.ext.spikeinterface: write_n1 streams a recording into a chunked .n1 file,
    read_n1 gives it back as a recording whose get_traces decodes only what it asks for."""
    from n1codec.ext.spikeinterface import read_n1, write_n1
    rng = np.random.default_rng(4)
    traces = np.cumsum(rng.integers(-30, 31, size=(45_000, 8)), axis=0).astype(np.int16)
    recording = si.NumpyRecording([traces], sampling_frequency=30000.0)
    header = write_n1(recording, tmp_path / "rec.n1", codec="n1", chunk_seconds=0.5)
    assert (header.chunk_frames, header.chunk_count) == (15000, 3)
    back = read_n1(tmp_path / "rec.n1")
    assert (back.get_num_samples(), back.get_num_channels(), back.get_sampling_frequency()) == (45_000, 8, 30000.0)
    assert back.get_dtype() == np.int16
    np.testing.assert_array_equal(back.get_traces(), traces)
    np.testing.assert_array_equal(back.get_traces(start_frame=14_000, end_frame=31_000, channel_ids=[7, 2]),
                                  traces[14_000:31_000][:, [7, 2]])
    # SpikeInterface rebuilds extractors from their kwargs (pickling, parallel jobs).
    again = si.load(back.to_dict()) if hasattr(si, "load") else si.load_extractor(back.to_dict())
    np.testing.assert_array_equal(again.get_traces(start_frame=0, end_frame=10), traces[:10])
    saved = back.save(folder=tmp_path / "binary", n_jobs=1, chunk_duration="0.3s", progress_bar=False)
    np.testing.assert_array_equal(saved.get_traces(), traces)
