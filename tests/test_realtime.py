"""The real-time implant mode (n1codec.realtime): frames in, one packet per frame out.

Specification: every frame round-trips exactly, in one packet, decoded as soon
as it arrives; a lost or corrupt packet costs at most the frames up to the next
resynchronisation point, which are reported lost (None), never wrong; the
per-channel state is small and bounded.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from n1codec import realtime
from n1codec.errors import CorruptDataError, InvalidInputError, N1CodecError, TruncatedDataError
from n1codec.wav import parse_wav

from conftest import dev_files, needs_dev_data, run_cli

from n1codec.tools import synthetic

RATE = 19531


def frames_of(x: np.ndarray, frame_samples: int):
    for i in range(x.shape[0] // frame_samples):
        yield np.ascontiguousarray(x[i * frame_samples:(i + 1) * frame_samples])


def roundtrip(x: np.ndarray, **config) -> tuple[int, int]:
    """Push every whole frame of x through an encoder and a fresh decoder; returns
    (raw bytes, packet bytes) after checking every frame comes back exactly."""
    enc = realtime.Encoder(x.shape[1], RATE, **config)
    dec = realtime.Decoder(**enc.config)
    raw = packed = 0
    for frame in frames_of(x, enc.frame_samples):
        packet = enc.push(frame)
        assert len(packet) <= enc.packet_bound
        out = dec.pop(packet)
        assert out is not None and np.array_equal(out, frame)
        raw += frame.nbytes
        packed += len(packet)
    assert dec.frames_lost == 0 and dec.packets_corrupt == 0
    return raw, packed


@pytest.fixture(scope="module")
def n1_like_8ch():
    return synthetic.n1_like(seconds=0.5, seed=3, channels=8)


def test_default_frame_is_about_one_millisecond():
    enc = realtime.Encoder(1024, RATE)
    assert enc.frame_samples == 20
    assert enc.frame_seconds == pytest.approx(20 / RATE)
    assert enc.config["resync_interval"] == 100


def test_n1_like_roundtrip_compresses(n1_like_8ch):
    raw, packed = roundtrip(n1_like_8ch)
    assert raw / packed > 2.5


@pytest.mark.parametrize("predictor", [0, 2])
def test_other_predictors_roundtrip(n1_like_8ch, predictor):
    raw, packed = roundtrip(n1_like_8ch, predictor=predictor, resync_interval=3)
    assert raw / packed > 2.5


@pytest.mark.parametrize("frame_samples", [1, 3, 7, 20, 33, 250])
def test_odd_frame_sizes(n1_like_8ch, frame_samples):
    roundtrip(n1_like_8ch[:1000, :3], frame_samples=frame_samples, resync_interval=5)


def test_one_channel_accepts_1d_frames():
    x = synthetic.n1_like(seconds=0.05, seed=1)
    enc = realtime.Encoder(1, RATE)
    dec = realtime.Decoder(**enc.config)
    for frame in frames_of(x[:, None], enc.frame_samples):
        assert np.array_equal(dec.pop(enc.push(frame[:, 0])), frame)


@pytest.mark.parametrize("adc", ["n1", "int16", "shift:8", "stretch:12"])
@pytest.mark.parametrize("signal", ["constant", "noise", "extremes", "ramp"])
def test_adversarial_frames(adc, signal):
    rng = np.random.default_rng(7)
    n, channels = 400, 5
    if signal == "constant":
        x = np.full((n, channels), -1234, dtype=np.int16)
    elif signal == "noise":
        x = rng.integers(-32768, 32768, size=(n, channels), dtype=np.int16)
    elif signal == "extremes":
        x = np.where((np.arange(n)[:, None] + np.arange(channels)) % 2, 32767, -32768).astype(np.int16)
    else:
        x = (np.arange(n * channels, dtype=np.int64) * 977 % 65536 - 32768).astype(np.int16).reshape(n, channels)
    raw, packed = roundtrip(x, adc=adc, resync_interval=4)
    bound = realtime.Encoder(channels, RATE, adc=adc).packet_bound
    assert packed <= (n // 20) * bound  # full-scale noise: stored raw, never much larger


@settings(derandomize=True, max_examples=40, deadline=None)
@given(hnp.arrays(np.int16, st.tuples(st.integers(1, 60), st.integers(1, 6))),
       st.integers(1, 9), st.sampled_from([0, 1, 2]), st.sampled_from(["n1", "int16"]))
def test_any_int16_frames_roundtrip(x, frame_samples, predictor, adc):
    roundtrip(x, frame_samples=frame_samples, predictor=predictor, adc=adc, resync_interval=2)


@needs_dev_data
def test_real_recordings_as_channels():
    files = dev_files(limit=16)
    cols = [parse_wav(f.read_bytes()).samples[:, 0] for f in files]
    n = min(len(c) for c in cols) // 4
    x = np.stack([c[:n] for c in cols], axis=1)
    raw, packed = roundtrip(x)
    assert raw / packed > 3.0


def test_lost_packet_costs_frames_until_resync(n1_like_8ch):
    enc = realtime.Encoder(8, RATE, resync_interval=10)
    dec = realtime.Decoder(**enc.config)
    frames = list(frames_of(n1_like_8ch, enc.frame_samples))[:45]
    packets = [enc.push(f) for f in frames]
    dropped = {12, 30, 31}
    lost = []
    for i, packet in enumerate(packets):
        if i in dropped:
            continue
        out = dec.pop(packet)
        if out is None:
            lost.append(i)
        else:
            assert np.array_equal(out, frames[i])
    # frames after a drop are lost until the next multiple of 10
    assert lost == [13, 14, 15, 16, 17, 18, 19, 32, 33, 34, 35, 36, 37, 38, 39]
    assert dec.frames_lost == len(lost) + len(dropped)
    assert dec.frames_decoded == 45 - len(lost) - len(dropped)


def test_flipped_bits_never_decode_to_wrong_samples(n1_like_8ch):
    enc = realtime.Encoder(8, RATE, resync_interval=4)
    dec = realtime.Decoder(**enc.config)
    rng = np.random.default_rng(11)
    corrupt = 0
    for i, frame in enumerate(frames_of(n1_like_8ch, enc.frame_samples)):
        packet = bytearray(enc.push(frame))
        if i % 3 == 1:
            bit = int(rng.integers(len(packet) * 8))
            packet[bit // 8] ^= 1 << (bit % 8)
            with pytest.raises(CorruptDataError):
                dec.pop(bytes(packet))
            corrupt += 1
            continue
        out = dec.pop(bytes(packet))
        if i % 4 == 0:
            assert out is not None  # every resync point decodes
        if out is not None:
            assert np.array_equal(out, frame)
    assert dec.packets_corrupt == corrupt > 100
    # a corrupt packet's frame shows up as the counter gap of the next good packet
    assert dec.frames_decoded + dec.frames_lost == i + 1 - (i % 3 == 1)


def test_truncated_packet_and_wrong_config():
    enc = realtime.Encoder(2, RATE)
    frame = synthetic.n1_like(seconds=0.01, seed=2, channels=2)[:enc.frame_samples]
    packet = enc.push(np.ascontiguousarray(frame))
    dec = realtime.Decoder(**enc.config)
    with pytest.raises(TruncatedDataError):
        dec.pop(packet[:-1])
    with pytest.raises(TruncatedDataError):
        dec.pop(b"")
    other = realtime.Decoder(**{**enc.config, "resync_interval": 7})
    with pytest.raises(CorruptDataError, match="realtime decode"):
        other.pop(packet)
    assert np.array_equal(dec.pop(packet), frame)
    assert dec.pop(packet) is None  # a duplicate is ignored


def test_split_packets_from_a_byte_stream(n1_like_8ch):
    enc = realtime.Encoder(8, RATE)
    frames = list(frames_of(n1_like_8ch, enc.frame_samples))[:10]
    stream = b"".join(enc.push(f) for f in frames)
    packets = realtime.split_packets(stream)
    dec = realtime.Decoder(**enc.config)
    assert all(np.array_equal(dec.pop(p), f) for p, f in zip(packets, frames))
    with pytest.raises(TruncatedDataError):
        realtime.split_packets(stream[:-3])


def test_state_is_bounded():
    assert realtime.channel_state_size() <= 1024
    assert realtime.channel_state_size() == 24


@pytest.mark.parametrize("kwargs, match", [
    ({"channels": 0}, "channels=0"),
    ({"frame_samples": 0}, "frame_samples=0"),
    ({"predictor": 3}, "predictor=3"),
    ({"resync_interval": 0}, "resync_interval=0"),
    ({"adc": "shift:16"}, "adc"),
    ({"adc": "gray"}, "unknown ADC grid"),
    ({"rate": 0}, "sample rate"),
])
def test_bad_config_is_refused(kwargs, match):
    args = {"channels": 4, "rate": RATE, **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        realtime.Encoder(**args)


def test_bad_frames_are_refused():
    enc = realtime.Encoder(4, RATE)
    with pytest.raises(InvalidInputError, match="shape"):
        enc.push(np.zeros((enc.frame_samples, 3), dtype=np.int16))
    with pytest.raises(InvalidInputError, match="int16"):
        enc.push(np.zeros((enc.frame_samples, 4), dtype=np.float32))
    assert enc.frame == 0


def test_replay_reports_ratio_latency_and_margin(n1_like_8ch):
    report = realtime.replay(n1_like_8ch, RATE)
    assert report.frames == n1_like_8ch.shape[0] // 20
    assert report.ratio > 2.5
    assert report.latency_seconds == pytest.approx(20 / RATE)
    assert report.margin > 0 and report.throughput > 0
    assert set(report.as_dict()) >= {"ratio", "margin", "throughput", "latency_seconds"}


def test_detect_adc():
    x = synthetic.n1_like(seconds=0.2, seed=1, channels=2)
    assert realtime.detect_adc(x) == (1, 10)
    with pytest.raises(InvalidInputError):
        realtime.detect_adc(x.astype(np.int32))


def test_replay_check_catches_mismatch(monkeypatch, n1_like_8ch):
    monkeypatch.setattr(realtime.Decoder, "pop", lambda self, packet: None)
    with pytest.raises(N1CodecError, match="round-trip"):
        realtime.replay(n1_like_8ch[:100], RATE)


def test_replay_with_dropped_packets_loses_frames_not_samples(n1_like_8ch):
    report = realtime.replay(n1_like_8ch, RATE, drop=0.05, seed=2, resync_interval=10)
    assert report.packets_dropped > 0
    # a drop costs itself plus the frames up to the next resync point: at most 10
    assert report.packets_dropped <= report.frames_lost <= 10 * report.packets_dropped


def test_cli_realtime_replays_a_recording(tmp_path):
    x = synthetic.n1_like(seconds=0.3, seed=5, channels=6)
    path = tmp_path / "rec.npy"
    np.save(path, x)
    proc = run_cli("n1codec", "realtime", path, "--rate", RATE, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["channels"] == 6 and result["frame_samples"] == 20
    assert result["adc"] == [1, 10]
    assert result["ratio"] > 2.0 and result["n1_ratio"] > 2.5
    assert result["margin"] > 0
    text = run_cli("n1codec", "realtime", path, "--rate", RATE, "--drop", "0.1", "--compare", "")
    assert text.returncode == 0 and "frames lost" in text.stdout


def test_cli_realtime_reports_bad_input(tmp_path):
    path = tmp_path / "rec.npy"
    np.save(path, np.zeros((100, 2), dtype=np.float32))
    proc = run_cli("n1codec", "realtime", path, "--rate", RATE)
    assert proc.returncode == 1 and "int16" in proc.stderr


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_foreign_bytes_are_refused_with_a_clear_error(data):
    dec = realtime.Decoder(3, RATE)
    try:
        out = dec.pop(data)
    except CorruptDataError as exc:
        assert "realtime decode" in str(exc)
    else:  # only a valid packet decodes (a random one would need to pass the CRC-32)
        assert out is None or out.shape == (20, 3)


def test_cut_and_padded_packets_are_refused(n1_like_8ch):
    enc = realtime.Encoder(8, RATE)
    packet = enc.push(np.ascontiguousarray(n1_like_8ch[:20]))
    for cut in range(0, len(packet), 7):
        with pytest.raises(TruncatedDataError):
            realtime.Decoder(**enc.config).pop(packet[:cut])
    with pytest.raises(CorruptDataError):
        realtime.Decoder(**enc.config).pop(packet + b"\0")
    with pytest.raises(InvalidInputError):
        realtime.Decoder(**enc.config).pop("not bytes")


@pytest.fixture(scope="module")
def packets_k5(n1_like_8ch):
    enc = realtime.Encoder(8, RATE, resync_interval=5)
    frames = list(frames_of(n1_like_8ch, enc.frame_samples))[:60]
    return enc.config, frames, [enc.push(f) for f in frames]


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 59), max_size=12))
def test_any_loss_pattern_costs_at_most_the_frames_to_the_next_resync(packets_k5, dropped):
    config, frames, packets = packets_k5
    dec = realtime.Decoder(**config)
    for i, (frame, packet) in enumerate(zip(frames, packets)):
        if i in dropped:
            continue
        out = dec.pop(packet)
        last_drop = max((d for d in dropped if d < i), default=None)
        expect_lost = last_drop is not None and last_drop // 5 == i // 5  # same resync period
        if expect_lost:
            assert out is None
        else:
            assert np.array_equal(out, frame)


@pytest.mark.skipif(not (Path(__file__).resolve().parents[1].parent / "shared" / "ephys-data" / "dev"
                         / "phy_testdata_4ch_1s.npy").exists(),
                    reason="multichannel recordings not found at ../shared/ephys-data/dev")
def test_real_multichannel_recording_roundtrips():
    path = Path(__file__).resolve().parents[1].parent / "shared" / "ephys-data" / "dev" / "phy_testdata_4ch_1s.npy"
    x = np.load(path)[:4000]
    adc = realtime.detect_adc(x)
    roundtrip(np.ascontiguousarray(x), adc=adc)
