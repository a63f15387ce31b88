"""Spec: every recording format labs have goes into a chunked .n1 file and comes back byte for byte.

Raw interleaved binaries (any 16-bit sample type, a cut-off last frame),
SpikeGLX .bin + .meta, Open Ephys continuous.dat + structure.oebin, .npy and
WAV: decompress_file gives back the original file, the .meta / structure.oebin
are kept, and n1codec.open reads the same samples numpy reads from the file.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

import n1codec
from n1codec.tools import synthetic
from n1codec.errors import InvalidInputError, UnsupportedFeatureError, UnsupportedWavError
from n1codec.formats import detect_format, open_source

EPHYS_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "ephys-data" / "dev"


@pytest.fixture(scope="module")
def samples():
    return synthetic.n1_like(seconds=0.1, seed=21, channels=5)  # 1953 frames


def _round_trip(src: Path, tmp_path: Path, out_name: str, **kwargs) -> Path:
    n1 = tmp_path / "rec.n1"
    header = n1codec.compress_recording(src, n1, chunk_frames=400, **kwargs)
    assert header.file_size == n1.stat().st_size < src.stat().st_size
    out = tmp_path / "out" / out_name
    out.parent.mkdir(exist_ok=True)
    n1codec.decompress_file(n1, out)
    assert out.read_bytes() == src.read_bytes()
    return n1


@pytest.mark.parametrize("dtype", ["<i2", ">i2", "<u2", ">u2"])
@pytest.mark.parametrize("tail", [b"", b"\x07\x08\x09"])
def test_raw_binaries_round_trip(tmp_path, samples, dtype, tail):
    values = samples.astype(dtype) if dtype[1] == "i" else (samples.view(np.uint16) ^ 0x8000).astype(dtype)
    src = tmp_path / "rec.dat"
    src.write_bytes(values.tobytes() + tail)
    n1 = _round_trip(src, tmp_path, "rec.dat", channels=5, sample_rate=30000, dtype=dtype)
    with n1codec.open(n1) as rec:
        assert (rec.shape, rec.sample_rate, rec.dtype) == (samples.shape, 30000.0, np.dtype(dtype).newbyteorder("="))
        np.testing.assert_array_equal(rec[100:1500, [4, 0]], values[100:1500][:, [4, 0]])


def test_raw_needs_a_channel_count(tmp_path):
    src = tmp_path / "rec.dat"
    src.write_bytes(bytes(100))
    with pytest.raises(InvalidInputError, match="--channels"):
        n1codec.compress_recording(src, tmp_path / "rec.n1")
    for bad in ({"channels": 0}, {"channels": 2, "dtype": "float32"}, {"channels": 2, "sample_rate": -1}):
        with pytest.raises(InvalidInputError):
            n1codec.compress_recording(src, tmp_path / "rec.n1", **bad)
    assert not (tmp_path / "rec.n1").exists()


def _spikeglx(tmp_path, samples, rate="30000.5"):
    src = tmp_path / "run_g0_t0.imec0.ap.bin"
    src.write_bytes(samples.astype("<i2").tobytes())
    meta = (f"acqApLfSy=384,384,1\nfileSizeBytes={samples.nbytes}\nimSampRate={rate}\n"
            f"nSavedChans={samples.shape[1]}\ntypeThis=imec\n~snsChanMap=(384,384,1)\n").encode()
    src.with_suffix(".meta").write_bytes(meta)
    return src, meta


def test_spikeglx_round_trip_keeps_the_meta(tmp_path, samples):
    src, meta = _spikeglx(tmp_path, samples)
    assert detect_format(src) == "spikeglx"
    n1 = _round_trip(src, tmp_path, "back.imec0.ap.bin")
    assert (tmp_path / "out" / "back.imec0.ap.meta").read_bytes() == meta
    with n1codec.open(n1) as rec:
        assert (rec.shape, rec.sample_rate) == (samples.shape, 30000.5)
        assert rec.attachments == {"run_g0_t0.imec0.ap.meta": meta}
        np.testing.assert_array_equal(rec[:], samples)


def test_spikeglx_needs_its_meta(tmp_path, samples):
    src, _ = _spikeglx(tmp_path, samples)
    src.with_suffix(".meta").write_text("imSampRate=30000\n")
    with pytest.raises(InvalidInputError, match="nSavedChans"):
        n1codec.compress_recording(src, tmp_path / "rec.n1")
    src, _ = _spikeglx(tmp_path, samples)
    with pytest.raises(InvalidInputError, match="holds 5 channels, not 3"):
        n1codec.compress_recording(src, tmp_path / "rec.n1", channels=3)
    (tmp_path / "lone.bin").write_bytes(bytes(10))
    with pytest.raises(InvalidInputError, match="missing"):
        open_source(tmp_path / "lone.bin", format="spikeglx")


def _openephys(tmp_path, samples, streams=("Rhythm_FPGA-100.0",)):
    root = tmp_path / "Record Node 101" / "experiment1" / "recording1"
    entries = []
    for name in streams:
        folder = root / "continuous" / name
        folder.mkdir(parents=True)
        samples.astype("<i2").tofile(folder / "continuous.dat")
        entries.append({"folder_name": name + "/", "sample_rate": 30000, "num_channels": samples.shape[1],
                        "channels": [{"channel_name": f"CH{i}", "bit_volts": 0.195} for i in range(samples.shape[1])]})
    oebin = json.dumps({"GUI version": "0.6.4", "continuous": entries}, indent=2).encode()
    (root / "structure.oebin").write_bytes(oebin)
    return root, oebin


def test_openephys_round_trip_from_the_dat_restores_the_layout(tmp_path, samples):
    root, oebin = _openephys(tmp_path, samples)
    dat = root / "continuous" / "Rhythm_FPGA-100.0" / "continuous.dat"
    assert detect_format(dat) == "openephys"
    n1 = tmp_path / "rec.n1"
    n1codec.compress_recording(dat, n1, chunk_frames=300)
    out = tmp_path / "restored" / "continuous" / "Rhythm_FPGA-100.0" / "continuous.dat"
    out.parent.mkdir(parents=True)
    n1codec.decompress_file(n1, out)
    assert out.read_bytes() == dat.read_bytes()
    assert (tmp_path / "restored" / "structure.oebin").read_bytes() == oebin
    with n1codec.open(n1) as rec:
        assert (rec.shape, rec.sample_rate, rec.header.source_kind) == (samples.shape, 30000.0, "openephys")


def test_openephys_from_the_oebin_picks_the_stream(tmp_path, samples):
    root, _ = _openephys(tmp_path, samples, streams=("NI-DAQmx-101.0", "Neuropix-PXI-100.ProbeA-AP"))
    with pytest.raises(InvalidInputError, match="2 continuous streams"):
        n1codec.compress_recording(root / "structure.oebin", tmp_path / "rec.n1")
    n1codec.compress_recording(root / "structure.oebin", tmp_path / "rec.n1", stream="Neuropix-PXI-100.ProbeA-AP")
    np.testing.assert_array_equal(n1codec.decode((tmp_path / "rec.n1").read_bytes()), samples)
    with pytest.raises(InvalidInputError, match="no continuous stream"):
        n1codec.compress_recording(root / "structure.oebin", tmp_path / "x.n1", stream="nope")


@pytest.mark.parametrize("shape_dtype", [("2d", "<i2"), ("1d", "<i2"), ("2d", ">i2"), ("2d", "<u2")])
def test_npy_round_trip(tmp_path, samples, shape_dtype):
    shape, dtype = shape_dtype
    values = samples[:, 0] if shape == "1d" else samples
    values = values.astype(dtype) if dtype[1] == "i" else (values.view(np.uint16) ^ 0x8000).astype(dtype)
    src = tmp_path / "rec.npy"
    np.save(src, values)
    n1 = _round_trip(src, tmp_path, "rec.npy")
    np.testing.assert_array_equal(n1codec.decode(n1.read_bytes()), values)
    assert n1codec.decode(n1.read_bytes()).shape == values.shape


def test_npy_refusals(tmp_path, samples):
    np.save(tmp_path / "f.npy", np.asfortranarray(samples))
    with pytest.raises(UnsupportedFeatureError, match="Fortran"):
        n1codec.compress_recording(tmp_path / "f.npy", tmp_path / "f.n1")
    np.save(tmp_path / "x.npy", samples.astype(np.float32))
    with pytest.raises(InvalidInputError, match="float32"):
        n1codec.compress_recording(tmp_path / "x.npy", tmp_path / "x.n1")
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(InvalidInputError, match="not a valid .npy"):
        n1codec.compress_recording(tmp_path / "bad.npy", tmp_path / "bad.n1")


def _wav_with_chunks(samples, rate=30000):
    data = samples.astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, samples.shape[1], rate, rate * 2 * samples.shape[1], 2 * samples.shape[1], 16)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"LIST" + struct.pack("<I", 6) + b"INFOab"
            + b"data" + struct.pack("<I", len(data)) + data + b"cue " + struct.pack("<I", 4) + b"\1\2\3\4")
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("kind", ["canonical", "extra chunks"])
def test_wav_round_trip_in_chunks(tmp_path, samples, kind):
    src = tmp_path / "rec.wav"
    src.write_bytes(synthetic.wav_bytes(samples) if kind == "canonical" else _wav_with_chunks(samples))
    n1 = _round_trip(src, tmp_path, "rec.wav", format="wav")
    with n1codec.open(n1) as rec:
        np.testing.assert_array_equal(rec[:], samples)


def test_unsupported_wav_is_refused_with_its_reason(tmp_path, samples):
    wav = bytearray(synthetic.wav_bytes(samples))
    struct.pack_into("<H", wav, 34, 24)  # bits per sample
    (tmp_path / "x.wav").write_bytes(bytes(wav))
    with pytest.raises(UnsupportedWavError, match="24-bit"):
        n1codec.compress_recording(tmp_path / "x.wav", tmp_path / "x.n1")


def test_compress_file_takes_the_lab_formats_and_small_wavs_stay_whole(tmp_path, samples):
    np.save(tmp_path / "rec.npy", samples)
    assert n1codec.compress_file(tmp_path / "rec.npy", tmp_path / "a.n1").version == 3
    (tmp_path / "rec.wav").write_bytes(synthetic.wav_bytes(samples))
    assert n1codec.compress_file(tmp_path / "rec.wav", tmp_path / "b.n1").version in (1, 2)


def test_decode_a_time_range_to_npy_wav_or_raw(tmp_path, samples):
    np.save(tmp_path / "rec.npy", samples)
    n1 = tmp_path / "rec.n1"
    n1codec.compress_recording(tmp_path / "rec.npy", n1, chunk_frames=256)
    from n1codec.recording import decompress_recording
    decompress_recording(n1, tmp_path / "part.npy", start=300, stop=1000)
    np.testing.assert_array_equal(np.load(tmp_path / "part.npy"), samples[300:1000])
    decompress_recording(n1, tmp_path / "part.bin", start=1000)
    assert (tmp_path / "part.bin").read_bytes() == samples[1000:].astype("<i2").tobytes()
    n1codec.compress_recording(tmp_path / "rec.npy", tmp_path / "r.n1", sample_rate=20000)
    decompress_recording(tmp_path / "r.n1", tmp_path / "part.wav", stop=10)
    assert (tmp_path / "part.wav").read_bytes() == synthetic.wav_bytes(samples[:10], sample_rate=20000)


def test_existing_outputs_are_kept(tmp_path, samples):
    np.save(tmp_path / "rec.npy", samples)
    (tmp_path / "rec.n1").write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        n1codec.compress_recording(tmp_path / "rec.npy", tmp_path / "rec.n1")
    assert (tmp_path / "rec.n1").read_bytes() == b"keep"
    with pytest.raises(InvalidInputError, match="same file"):
        n1codec.compress_recording(tmp_path / "rec.npy", tmp_path / "rec.npy", force=True)


@pytest.mark.skipif(not EPHYS_DATA.is_dir(), reason=f"real ephys recordings not found at {EPHYS_DATA}")
@pytest.mark.parametrize("name", ["neuropixels_ultra_ap_spikeglx_385ch_stub", "openephys_rhythm_intan_4ch"])
def test_real_recordings_round_trip(tmp_path, name):
    src = EPHYS_DATA / f"{name}.npy"
    n1 = tmp_path / "rec.n1"
    n1codec.compress_recording(src, n1, chunk_frames=1000, verify=True)
    out = tmp_path / "back.npy"
    n1codec.decompress_file(n1, out)
    assert out.read_bytes() == src.read_bytes()
