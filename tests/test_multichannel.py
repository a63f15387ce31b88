"""Multichannel coding: 2-D (samples x channels) input, channels coded independently in threads."""
from __future__ import annotations

import time

import numpy as np
import pytest

import n1codec
from n1codec.tools import synthetic
from n1codec.errors import InvalidInputError, N1CodecError
from n1codec.pipeline import THREADS_MIN_SAMPLES, parse_spec
from n1codec.varint import encode_uvarint


@pytest.fixture(scope="module")
def implant():
    """A synthetic 1024-channel recording, the N1 implant's channel count (50 ms)."""
    data = synthetic.n1_like(seconds=0.05, seed=21, channels=1024)
    assert data.size >= THREADS_MIN_SAMPLES  # large enough for automatic threads
    return data


@pytest.mark.parametrize("spec", ["delta+huffman", "n1"])
def test_1024_channels_round_trip(implant, spec, capsys):
    start = time.perf_counter()
    blob = n1codec.encode(implant, codec=spec, sample_rate=synthetic.N1_SAMPLE_RATE)
    middle = time.perf_counter()
    back = n1codec.decode(blob)
    end = time.perf_counter()
    assert back.shape == implant.shape and back.dtype == np.int16
    np.testing.assert_array_equal(back, implant)
    header = n1codec.info(blob)
    assert (header.channels, header.frames) == (1024, implant.shape[0])
    with capsys.disabled():
        print(f"\n  1024 ch x {implant.shape[0]} samples, {spec}: ratio {implant.nbytes / len(blob):.3f}, "
              f"encode {middle - start:.2f} s, decode {end - middle:.2f} s")


@pytest.mark.parametrize("spec", ["delta+huffman", "n1", "delta:2+huffman"])
def test_threads_write_the_same_bytes(implant, spec):
    """Threads change the speed, never the payload (the format does not depend on them)."""
    pipeline = parse_spec(spec)
    patterns = implant[:, :96].view(np.uint16)
    serial = pipeline.encode(patterns, threads=1)
    for threads in (2, 3, None, 200):
        assert pipeline.encode(patterns, threads=threads) == serial
        decoded = pipeline.decode(serial, patterns.shape[0], patterns.shape[1], threads=threads)
        np.testing.assert_array_equal(decoded, patterns)


def test_threads_attribute_applies_to_container_calls(implant):
    pipeline = n1codec.get_codec("delta+huffman")
    pipeline.threads = 2
    blob = n1codec.encode(implant[:, :64], codec=pipeline)
    assert blob == n1codec.encode(implant[:, :64], codec="delta+huffman")
    np.testing.assert_array_equal(n1codec.decode(blob), implant[:, :64])


def test_automatic_threads_only_for_large_multichannel_input():
    pipeline = parse_spec("delta+huffman")
    assert pipeline._workers(None, 1, 10 * THREADS_MIN_SAMPLES) == 1       # mono: one thread
    assert pipeline._workers(None, 64, THREADS_MIN_SAMPLES - 1) == 1      # small: one thread
    assert 1 <= pipeline._workers(None, 64, THREADS_MIN_SAMPLES) <= 64
    assert pipeline._workers(8, 3, 10) == 3                               # never more than channels
    assert pipeline._workers(1, 1024, 10 ** 9) == 1


@pytest.mark.parametrize("threads", [0, -1, 1.5, "2", True])
def test_bad_threads_value(threads):
    pipeline = parse_spec("delta+huffman")
    patterns = np.zeros((10, 4), dtype=np.uint16)
    with pytest.raises(InvalidInputError):
        pipeline.encode(patterns, threads=threads)


def test_channels_are_independent(implant):
    """Channel c of a multichannel file decodes to what channel c alone encodes to."""
    pipeline = parse_spec("delta+huffman")
    patterns = implant[:, :5].view(np.uint16)
    payload = pipeline.encode(patterns)
    singles = [pipeline.encode_channel(np.ascontiguousarray(patterns[:, c])) for c in range(5)]
    assert all(single in payload for single in singles)


def test_non_contiguous_2d_input(implant):
    view = implant[::3, 10:200:7]
    np.testing.assert_array_equal(n1codec.decode(n1codec.encode(view)), view)


def _longest_main_thread_stall(work):
    """Run `work` in a thread; return (longest pause of a Python loop in this thread, call time)."""
    import threading
    done = threading.Event()
    took = []

    def run():
        start = time.perf_counter()
        work()
        took.append(time.perf_counter() - start)
        done.set()

    thread = threading.Thread(target=run)
    last = time.perf_counter()  # before start(): the call may begin before start() returns
    stall = 0.0
    thread.start()
    while not done.is_set():  # a Python loop: it stops whenever another thread holds the GIL
        now = time.perf_counter()
        stall = max(stall, now - last)
        last = now
    stall = max(stall, time.perf_counter() - last)  # a call that held the GIL to its end
    thread.join()
    return stall, took[0]


@pytest.mark.parametrize("spec", ["delta+huffman", "n1"])
def test_coding_releases_the_gil(spec):
    """Threads only pay off if the C calls release the GIL: the main thread keeps running meanwhile.

    Not a timing target: a call holding the GIL stalls the loop for the whole call on
    every attempt, while a busy machine only sometimes delays it, so any one of five
    attempts running freely is the evidence asked for.
    """
    rng = np.random.RandomState(0)
    count = 3_000_000 if spec == "n1" else 12_000_000  # long enough calls (~0.2 s or more)
    samples = (np.cumsum(rng.randint(-50, 50, count)) % 2000).astype(np.uint16)
    pipeline = parse_spec(spec)
    payload = pipeline.encode_channel(samples)
    for name, work in (("encode", lambda: pipeline.encode_channel(samples)),
                       ("decode", lambda: pipeline.decode_channel(payload, len(samples)))):
        attempts = [_longest_main_thread_stall(work) for _ in range(5)]
        assert any(stall < max(0.05, 0.5 * took) for stall, took in attempts), \
            f"{spec} {name}: the main thread stalled on every attempt: {attempts}"


def test_registry_loads_once_for_concurrent_first_use():
    """Threads that resolve a codec first in a fresh process all see the full registry."""
    import subprocess
    import sys
    code = (
        "import threading, numpy as np\n"
        "from n1codec.pipeline import parse_spec\n"
        "errors = []\n"
        "barrier = threading.Barrier(8)\n"
        "def work():\n"
        "    barrier.wait()\n"
        "    try: parse_spec('n1'); parse_spec('delta+huffman')\n"
        "    except Exception as exc: errors.append(exc)\n"
        "threads = [threading.Thread(target=work) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert not errors, errors\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd="/")


@pytest.mark.parametrize("spec", ["n1:fast", "n1"])
@pytest.mark.parametrize("channels", [2, 63, 64, 65, 130])
def test_n1_channels_decode_straight_into_their_columns(implant, spec, channels):
    """The n1 coder decodes each channel's stream into its column of the interleaved array
    (no planar copy): the same samples as decoding the channels one by one, for channel
    counts around the C core's group of columns, on one thread and on several."""
    pipeline = parse_spec(spec)
    assert pipeline.coder.codes_columns
    patterns = np.ascontiguousarray(implant[:400, :channels]).view(np.uint16)
    payload = pipeline.encode(patterns, threads=1)
    one_by_one = [pipeline.decode_channel(part, patterns.shape[0])
                  for part in pipeline._channel_payloads(payload, channels)]
    np.testing.assert_array_equal(np.stack(one_by_one, axis=1), patterns)
    for threads in (1, 2):
        decoded = pipeline.decode(payload, patterns.shape[0], channels, threads=threads)
        assert decoded.dtype == np.uint16 and decoded.flags.c_contiguous and decoded.flags.writeable
        np.testing.assert_array_equal(decoded, patterns)


@pytest.mark.parametrize("bad_channel", [0, 70, 99])
def test_a_corrupt_n1_channel_is_named(implant, bad_channel):
    pipeline = parse_spec("n1:fast")
    patterns = np.ascontiguousarray(implant[:400, :100]).view(np.uint16)
    payload = bytearray(pipeline.encode(patterns, threads=1))
    parts = pipeline._channel_payloads(bytes(payload), 100)
    start = bytes(payload).index(parts[bad_channel])
    payload[start + len(parts[bad_channel]) // 2] ^= 0x20
    with pytest.raises(N1CodecError, match=rf"n1 decode \(channel {bad_channel}\)"):
        pipeline.decode(bytes(payload), patterns.shape[0], 100, threads=2)


@pytest.mark.parametrize("spec", ["n1:fast", "delta+huffman", "n1(joint=true)"])
def test_decode_into_a_given_array(implant, spec):
    """Pipeline.decode(out=...) fills the caller's array (every path: columns, planar,
    joint) and refuses one of the wrong shape, type or layout."""
    pipeline = parse_spec(spec)
    patterns = np.ascontiguousarray(implant[:300, :70]).view(np.uint16)
    payload = pipeline.encode(patterns, threads=1)
    out = np.zeros(patterns.shape, dtype=np.uint16)
    assert pipeline.decode(payload, 300, 70, out=out) is out
    np.testing.assert_array_equal(out, patterns)
    mono = np.zeros((300, 1), dtype=np.uint16)
    pipeline.decode(pipeline.encode(patterns[:, :1], threads=1), 300, 1, out=mono)
    np.testing.assert_array_equal(mono, patterns[:, :1])
    for bad in (np.zeros((300, 71), np.uint16), np.zeros((300, 70), np.int16),
                np.zeros((70, 300), np.uint16).T, np.zeros((300, 70), np.uint16)[::1, ::1].copy()[:, ::-1]):
        with pytest.raises(InvalidInputError, match="to decode into"):
            pipeline.decode(payload, 300, 70, out=bad)


@pytest.mark.parametrize("spec", ["n1:fast", "delta+huffman", "n1(joint=true)"])
def test_decode_reads_any_bytes_like_payload(implant, spec):
    """A payload given as a memoryview (a chunked file's record, read in place) or a
    bytearray decodes as its bytes do, on every path; the payload is left as it was."""
    pipeline = parse_spec(spec)
    patterns = np.ascontiguousarray(implant[:300, :70]).view(np.uint16)
    payload = pipeline.encode(patterns, threads=1)
    record = b"head" + payload
    strided = np.repeat(np.frombuffer(payload, dtype=np.uint8), 2)[::2]  # every other byte: not contiguous
    assert not strided.flags.c_contiguous
    for given in (memoryview(record)[4:], bytearray(payload), memoryview(strided)):
        np.testing.assert_array_equal(pipeline.decode(given, 300, 70, threads=2), patterns)
    assert record[4:] == payload


@pytest.mark.parametrize("spec", ["n1:fast", "n1"])
@pytest.mark.parametrize("channels", [2, 17, 65, 130])
def test_n1_channels_encode_straight_from_their_columns(implant, spec, channels):
    """The n1 coder encodes each channel straight from the interleaved array (C gathers
    the columns): the payload is exactly the channels' own streams framed as before, with
    and without followed choices, on one thread and on several."""
    pipeline = parse_spec(spec)
    assert pipeline.coder.codes_columns
    patterns = implant[:500, :channels].view(np.uint16)  # a strided view: copied once
    one_by_one = [pipeline.encode_channel(np.ascontiguousarray(patterns[:, c])) for c in range(channels)]
    framed = b"".join(encode_uvarint(len(p)) + p for p in one_by_one[:-1]) + one_by_one[-1]
    for threads in (1, 2):
        assert pipeline.encode(patterns, threads=threads) == framed
    choices = pipeline.model_choices(framed, channels)
    if choices is not None:  # the model levels: every channel follows its own head
        followed = [pipeline.encode_channel(np.ascontiguousarray(patterns[:, c]), choices[c])
                    for c in range(channels)]
        expected = b"".join(encode_uvarint(len(p)) + p for p in followed[:-1]) + followed[-1]
        assert pipeline.encode(patterns, threads=2, follow=choices) == expected


def test_column_tasks_share_the_threads_and_bound_their_memory():
    from n1codec.pipeline import COLUMN_GROUP, COLUMN_TASK_SAMPLES, _column_groups

    def sizes(channels, frames, workers):
        groups = _column_groups(channels, frames, workers)
        assert [c for g in groups for c in g] == list(range(channels))  # every channel once, in order
        return [len(g) for g in groups]

    assert sizes(384, 30000, 1) == [COLUMN_GROUP] * 6  # one thread: the C core's whole groups
    assert len(sizes(384, 30000, 2)) >= 8 and max(sizes(384, 30000, 2)) <= COLUMN_GROUP
    assert len(sizes(65, 30000, 2)) >= 4 and max(sizes(65, 30000, 2)) == 16  # no lone group of 64
    long_channels = sizes(40, 4 * COLUMN_TASK_SAMPLES, 2)  # a task never holds more than one
    assert long_channels == [1] * 40
    assert max(sizes(384, COLUMN_TASK_SAMPLES // 20, 1)) * (COLUMN_TASK_SAMPLES // 20) <= COLUMN_TASK_SAMPLES
