"""Joint multichannel coding with n1 (issue 11): ``n1(joint=true)`` codes the channels of a
2-D array together, each channel's predictor helped by earlier channels' prediction errors
where that pays. It round-trips on synthetic probe data and real recordings, never codes
larger than the channels alone (plus a few bytes), leaves 1-channel and non-joint outputs as
they were, refuses corrupt joint payloads, works through numcodecs and zarr, and its frozen
payloads keep decoding."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import _native, errors
from n1codec.tools import synthetic

from conftest import REPO_ROOT, dev_files

EPHYS = Path(REPO_ROOT.parent / "shared" / "ephys-data" / "dev")
FIXTURES = Path(__file__).parent / "fixtures" / "n1_joint"
LEVELS = {"fast": 0, "default": 1, "max": 2}
#: Per channel a joint payload may spend a byte or two more than the channels alone framed
#: by the pipeline (reference indices, two bits in each length), plus its own 3-byte head.
SLACK_PER_CHANNEL = 3


def _spec(level):
    return f"n1(joint=true,level={level})"


def _payload(x, spec):
    """The pipeline's payload (the container around it only adds the longer spec string)."""
    return n1codec.get_codec(spec).encode(np.ascontiguousarray(x).view(np.uint16))


@pytest.fixture(scope="module")
def probe():
    return synthetic.probe_like(seconds=0.5, seed=3, channels=12)


@pytest.mark.parametrize("level", LEVELS)
def test_synthetic_probe_roundtrips_and_shrinks(probe, level):
    joint = n1codec.encode(probe, codec=_spec(level))
    alone = n1codec.encode(probe, codec="n1" if level == "default" else f"n1:{level}")
    np.testing.assert_array_equal(n1codec.decode(joint), probe)
    assert n1codec.info(joint).spec.startswith("n1(joint=true")
    if level == "fast":  # the table-driven fast level codes every channel alone
        assert len(joint) <= len(alone) + 16 + SLACK_PER_CHANNEL * probe.shape[1]
    else:  # the shared LFP, common mode and mains are there to be used
        assert len(joint) < 0.95 * len(alone)


def test_one_channel_writes_todays_n1_stream(probe):
    mono = np.ascontiguousarray(probe[:, 0])
    for level, number in LEVELS.items():
        pipeline = n1codec.get_codec(_spec(level))
        payload = pipeline.encode(mono.reshape(-1, 1).view(np.uint16))
        assert payload == _native.n1_encode(mono, number)
        one_column = n1codec.encode(mono.reshape(-1, 1), codec=_spec(level))
        np.testing.assert_array_equal(n1codec.decode(one_column).reshape(-1), mono)


def test_non_joint_n1_is_unchanged_by_the_option(probe):
    assert n1codec.get_codec("n1(joint=false)").spec == "n1"
    assert n1codec.encode(probe, codec="n1(joint=false)") == n1codec.encode(probe, codec="n1")


def test_joint_payload_layout_names_its_version_and_channels(probe):
    payload = _native.n1_joint_encode_array(probe, 1)
    assert payload[0] == 0x31 and payload[1] == probe.shape[1]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), channels=st.integers(2, 5), n=st.integers(0, 6000),
       level=st.sampled_from(["default", "max"]))
def test_unrelated_channels_never_code_larger(seed, channels, n, level):
    """Independent random walks and noise: joint coding falls back per channel."""
    rng = np.random.default_rng(seed)
    scale = rng.choice([1, 30, 3000], size=channels)
    walks = np.cumsum(rng.normal(0, 1, (n, channels)) * scale, axis=0)
    x = np.clip(np.round(walks), -32768, 32767).astype(np.int16)
    joint = n1codec.encode(x, codec=_spec(level))
    np.testing.assert_array_equal(n1codec.decode(joint).reshape(x.shape), x)
    alone = _payload(x, "n1" if level == "default" else "n1:max")
    assert len(_payload(x, _spec(level))) <= len(alone) + SLACK_PER_CHANNEL * channels


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), channels=st.integers(2, 4), n=st.integers(1, 3000))
def test_adversarial_shared_signals_roundtrip(seed, channels, n):
    """Channels that are exact copies, negations or full-scale extremes of one another."""
    rng = np.random.default_rng(seed)
    base = rng.integers(-32768, 32768, n)
    cols = [base, -np.clip(base, -32767, 32767), np.where(base > 0, 32767, -32768), base // 7]
    x = np.stack([cols[i % 4] for i in range(channels)], axis=1).astype(np.int16)
    blob = n1codec.encode(x, codec="n1(joint=true)")
    np.testing.assert_array_equal(n1codec.decode(blob).reshape(x.shape), x)


def test_empty_and_single_frame_arrays_roundtrip():
    for frames in (0, 1, 2):
        x = np.arange(frames * 3, dtype=np.int16).reshape(frames, 3)
        blob = n1codec.encode(x, codec="n1(joint=true)")
        np.testing.assert_array_equal(n1codec.decode(blob).reshape(x.shape), x)


def test_corrupt_joint_payloads_raise(probe):
    x = np.ascontiguousarray(probe[:4000, :4])
    payload = _native.n1_joint_encode_array(x, 1)
    bad = [
        payload[:0], payload[:1], payload[:len(payload) // 2], payload[:-1], payload + b"\0",
        bytes([0x21]) + payload[1:],          # an n1 stream version, not a joint payload
        bytes([0x3f]) + payload[1:],          # no such level
        payload[:1] + bytes([5]) + payload[2:],  # channel count differs from the container's
    ]
    for blob in bad:
        with pytest.raises(errors.N1CodecError):
            _native.n1_joint_decode_array(blob, *x.shape)
    rng = np.random.default_rng(5)
    for _ in range(60):  # flipped bytes: an error or (rarely) other samples, never a crash
        blob = bytearray(payload)
        blob[int(rng.integers(0, len(blob)))] ^= int(rng.integers(1, 256))
        try:
            _native.n1_joint_decode_array(bytes(blob), *x.shape)
        except errors.N1CodecError:
            pass
    with pytest.raises(errors.N1CodecError):
        _native.n1_joint_decode_array(payload, x.shape[0] + 1, x.shape[1])


def test_reference_to_a_later_channel_is_refused():
    # [joint v3, level 1] 2 channels; channel 0: 0 bytes, 1 reference (index c-1-0 = -1: invalid)
    blob = bytes([0x31, 2, 0 << 2 | 1, 0])
    with pytest.raises(errors.CorruptDataError):
        _native.n1_joint_decode_array(blob, 0, 2)


def test_corrupt_container_with_joint_payload_raises(probe):
    blob = bytearray(n1codec.encode(probe[:3000, :3], codec="n1(joint=true)"))
    blob[len(blob) // 2] ^= 0x55
    with pytest.raises(errors.N1CodecError):
        n1codec.decode(bytes(blob))


def test_numcodecs_codec_codes_chunks_jointly(probe):
    pytest.importorskip("numcodecs")
    from n1codec.ext.numcodecs import N1, N1Pipeline
    codec = N1(joint=True)
    assert codec.get_config() == {"id": "n1codec.n1", "level": "default", "joint": True}
    assert N1().get_config() == {"id": "n1codec.n1", "level": "default"}
    blob = codec.encode(probe)
    assert n1codec.info(blob).spec == "n1(joint=true)"
    np.testing.assert_array_equal(codec.decode(blob).reshape(probe.shape), probe)
    assert N1Pipeline("n1(joint=1)").encode(probe) == blob
    with pytest.raises(errors.InvalidInputError):
        N1(joint="yes")


def test_zarr_serializer_codes_chunks_jointly(probe, tmp_path):
    zarr = pytest.importorskip("zarr")
    from n1codec.ext.zarr import N1
    codec = N1(joint=True)
    assert codec.to_dict() == {"name": "n1codec.n1", "configuration": {"level": "default", "joint": True}}
    assert N1.from_dict(codec.to_dict()) == codec
    arr = zarr.create_array(store=str(tmp_path / "a.zarr"), shape=probe.shape, chunks=(4000, 12),
                            dtype="int16", serializer=codec, compressors=None)
    arr[:] = probe
    np.testing.assert_array_equal(arr[:], probe)
    chunk = (tmp_path / "a.zarr" / "c" / "0" / "0").read_bytes()
    assert n1codec.info(chunk).spec == "n1(joint=true)"


def _recordings():
    return sorted(EPHYS.glob("*.npy")) if EPHYS.is_dir() else []


@pytest.mark.skipif(not _recordings(), reason=f"real multichannel recordings not found at {EPHYS}")
@pytest.mark.parametrize("name", ["neuropixels_lfp_openephys_384ch", "whitematter_64ch",
                                  "intan_rhd_sampledata_32ch", "openephys_rhythm_intan_4ch"])
def test_real_recordings_roundtrip_and_never_code_larger(name):
    path = EPHYS / f"{name}.npy"
    if not path.exists():
        pytest.skip(f"{path} not present")
    x = np.load(path, mmap_mode="r")
    part = np.ascontiguousarray(x[:8000, :48])  # a slice keeps the test short
    joint = n1codec.encode(part, codec="n1(joint=true)")
    np.testing.assert_array_equal(n1codec.decode(joint), part)
    alone = _payload(part, "n1")
    assert len(_payload(part, "n1(joint=true)")) <= len(alone) + SLACK_PER_CHANNEL * part.shape[1]


@pytest.mark.skipif(not dev_files(), reason="real N1 recordings not found")
def test_n1_files_stacked_as_channels_never_code_larger():
    from n1codec.wav import parse_wav
    cols = [parse_wav(f.read_bytes()).samples.reshape(-1)[:20000] for f in dev_files(4)]
    n = min(len(c) for c in cols)
    x = np.ascontiguousarray(np.stack([c[:n] for c in cols], axis=1))
    joint = n1codec.encode(x, codec="n1(joint=true)")
    np.testing.assert_array_equal(n1codec.decode(joint), x)
    assert len(_payload(x, "n1(joint=true)")) <= len(_payload(x, "n1")) + SLACK_PER_CHANNEL * x.shape[1]


def _fixture_names():
    return sorted(p.stem for p in FIXTURES.glob("*.n1")) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("name", _fixture_names())
def test_frozen_joint_payloads_still_decode(name):
    expected = np.load(FIXTURES / f"{name}.npy")
    blob = (FIXTURES / f"{name}.n1").read_bytes()
    np.testing.assert_array_equal(n1codec.decode(blob), expected)
    assert n1codec.info(blob).spec.startswith("n1(joint=true")


def test_joint_fixtures_exist():
    assert len(_fixture_names()) >= 4


def test_cli_encodes_a_multichannel_wav_jointly(tmp_path, probe):
    from conftest import run_cli
    src, packed, back = tmp_path / "probe.wav", tmp_path / "probe.n1", tmp_path / "back.wav"
    src.write_bytes(synthetic.wav_bytes(probe, sample_rate=30000))
    run_cli("n1codec", "encode", "--codec", "n1(joint=true)", "--verify", "-q", src, packed, check=True)
    assert n1codec.info(packed.read_bytes()).spec == "n1(joint=true)"
    run_cli("n1codec", "decode", "-q", packed, back, check=True)
    assert back.read_bytes() == src.read_bytes()
