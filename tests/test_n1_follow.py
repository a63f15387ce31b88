"""Following an earlier stream's choice (issue 14: compression speed of chunked files).

A model level of n1 tries several models on a prefix of each stream and keeps the
smallest. A stream may instead take the format, variant and stages named by the head
of an earlier stream of the same level (`n1_encode(..., follow=head)`); a chunked file
does that for every chunk but the leads. Whatever the head, the result is a valid
stream of the same samples, or a clear error; never different samples.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import n1codec
from n1codec import _native, recording
from n1codec.errors import InvalidInputError, N1CodecError
from n1codec.pipeline import parse_spec

from make_format_fixtures import mains_hum

LEVELS = {"default": 1, "max": 2}


def _lattice(n=30000, seed=3):
    """An Intan-like recording: a random walk on a gcd lattice (format 2 streams)."""
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(0, 4, n)) + 80 * np.sin(np.arange(n) / 300)
    return (np.round(walk) * 7).astype(np.int16)


def _signals():
    return {"lattice": _lattice(), "mains_hum": mains_hum(30000).astype(np.int16)}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("kind", ["lattice", "mains_hum"])
def test_a_stream_following_its_own_choice_repeats_it(kind, level):
    x = _signals()[kind]
    first = _native.n1_encode(x[:15000], LEVELS[level])
    followed = _native.n1_encode(x[15000:], LEVELS[level], follow=first[:4])
    np.testing.assert_array_equal(_native.n1_decode(followed, 15000), x[15000:])
    # same format, variant and stages; the history shift (low nibble of byte 2) is the stream's own
    assert followed[:2] == first[:2]
    if first[0] >> 4 != 1:
        assert followed[2] & 0xF0 == first[2] & 0xF0
    if first[0] >> 4 == 4:
        assert followed[3] == first[3]


def test_following_costs_little_against_trying_again():
    x = _lattice(60000)
    tried = _native.n1_encode(x[30000:], 1)
    followed = _native.n1_encode(x[30000:], 1, follow=_native.n1_encode(x[:30000], 1)[:4])
    assert len(followed) <= 1.01 * len(tried)


@pytest.mark.parametrize("level, head, why", [
    (1, b"\x10\x00", "format 1 of the fast model level"),
    (1, b"\x23\x10", "a table-level (n1:fast) stream"),
    (1, b"\x31\x00\x00", "a joint stream's nibble"),
    (1, b"\x21\x10", "format 2 without its flags byte"),
    (1, b"\x21\x10\x0f", "a history shift beyond the format's"),
    (1, b"\x22\x10\x00", "format 2 of n1:max for the default level"),
    (1, b"\x41\x10\x00\x00", "format 4 of the default level"),
    (2, b"\x41\x10\x00\x44", "format 4 of the default model within n1:max"),
    (2, b"\x42\x10\x00\x55", "a third stage n1:max never writes"),
    (2, b"\x42\x10\x00", "format 4 without its third-stage byte"),
    (1, b"\x20\x10\x00", "format 2 of the fast model level"),
])
def test_heads_this_level_does_not_write_are_refused(level, head, why):
    with pytest.raises(InvalidInputError):
        _native.n1_encode(_lattice(5000), level, follow=head)


def test_the_fast_level_and_empty_heads_are_refused():
    x = _lattice(5000)
    head = _native.n1_encode(x, 1)[:4]
    with pytest.raises(InvalidInputError):
        _native.n1_encode(x, 0, follow=head)
    with pytest.raises(InvalidInputError):
        _native.n1_encode(x, 1, follow=b"")


def test_max_follows_the_default_model_it_may_choose():
    x = _lattice(5000)
    head = _native.n1_encode(x, 1)[:4]  # a default-level head: n1:max writes these too
    out = _native.n1_encode(x, 2, follow=head)
    assert out[0] & 15 == 1
    np.testing.assert_array_equal(_native.n1_decode(out, len(x)), x)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(min_size=1, max_size=6), st.sampled_from([1, 2]), st.sampled_from(["lattice", "mains_hum"]))
def test_any_head_gives_the_same_samples_back_or_a_clear_error(head, level, kind):
    x = _signals()[kind][:6000]
    try:
        out = _native.n1_encode(x, level, follow=head)
    except InvalidInputError:
        return
    np.testing.assert_array_equal(_native.n1_decode(out, len(x)), x)


# -- the pipeline ------------------------------------------------------------------

def _two_channels():
    x = _signals()
    return np.stack([x["lattice"], x["mains_hum"]], axis=1).view(np.uint16)


def test_model_choices_name_each_channel_head():
    pipeline = parse_spec("n1")
    payload = pipeline.encode(_two_channels())
    choices = pipeline.model_choices(payload, 2)
    assert len(choices) == 2 and all(1 <= len(c) <= 4 for c in choices)
    again = pipeline.encode(_two_channels(), follow=choices)
    np.testing.assert_array_equal(pipeline.decode(again, 30000, 2), _two_channels())


@pytest.mark.parametrize("spec", ["n1:fast", "n1(joint=true,level=fast)", "delta+n1", "delta+huffman"])
def test_nothing_to_follow_where_nothing_is_tried(spec):
    pipeline = parse_spec(spec)
    assert pipeline.model_choices(pipeline.encode(_two_channels()), 2) is None


def test_a_follow_list_of_the_wrong_length_is_refused():
    with pytest.raises(InvalidInputError, match="2 channels"):
        parse_spec("n1").encode(_two_channels(), follow=[b"\x21\x10\x00"])


# -- joint coding (issue 11): a chunk follows what an earlier chunk of the same channels chose

def _ar1(rng, frames, sd, pole=0.995):
    """A stationary first-order autoregression (a walk that keeps its range)."""
    out, v = np.empty(frames), 0.0
    for t, e in enumerate(rng.normal(0, sd, frames)):
        v = pole * v + e
        out[t] = v
    return out


def _shared_walk(frames=6000, seed=4):
    """Four channels: three share a stationary walk (gains 1, 2, 3, own noise), one walks alone."""
    rng = np.random.default_rng(seed)
    shared = _ar1(rng, frames, 6)
    own = rng.normal(0, 2, (frames, 3))
    alone = _ar1(rng, frames, 9)
    x = np.column_stack([shared * g + own[:, i] for i, g in enumerate((1, 2, 3))] + [alone])
    return np.round(x).astype(np.int16).view(np.uint16)


def test_joint_choices_name_each_channel_head_and_references():
    pipeline = parse_spec("n1(joint=true)")
    x = _shared_walk()
    payload = pipeline.encode(x)
    choices = pipeline.model_choices(payload, 4)
    # a reference count, each reference (4 bytes: how many channels back, less one), 4 head bytes
    assert [len(c) for c in choices] == [1 + 4 * c[0] + 4 for c in choices]
    assert choices[0][0] == 0 and any(c[0] > 0 for c in choices[1:3])
    for channel, choice in enumerate(choices):
        backs = [int.from_bytes(choice[1 + 4 * i:5 + 4 * i], "little") for i in range(choice[0])]
        assert all(back < channel for back in backs)
    # the same samples, following their own choices: the same bytes, one pass a channel
    assert pipeline.encode(x, follow=choices) == payload


def test_a_joint_chunk_following_an_earlier_one_round_trips_and_costs_little():
    pipeline = parse_spec("n1(joint=true)")
    x = _shared_walk(frames=12000)
    first, second = x[:6000], x[6000:]
    choices = pipeline.model_choices(pipeline.encode(first), 4)
    followed = pipeline.encode(second, follow=choices)
    np.testing.assert_array_equal(pipeline.decode(followed, 6000, 4), second)
    assert len(followed) <= 1.01 * len(pipeline.encode(second))


@pytest.mark.parametrize("bad, why", [
    ([b"\x00\x21\x10\x00"] * 3, "3 choices for 4 channels"),
    ([b""] * 4, "not a joint choice"),
    ([b"\x02\x21\x10\x00\x00"] * 4, "not a joint choice"),  # two references, 4 bytes
    ([b"\x03" + bytes(12) + b"\x21\x10\x00\x00"] * 4, "not a joint choice"),  # three
    ([b"\x00\x21\x10\x00\x00\x00"] * 4, "not a joint choice"),
])
def test_malformed_joint_choices_are_refused(bad, why):
    with pytest.raises(InvalidInputError, match=why):
        _native.n1_joint_encode_array(_shared_walk().view(np.int16), 1, follow=bad)


def test_a_joint_chunk_refuses_heads_its_level_does_not_write():
    heads = [b"\x00\x31\x00\x00"] * 4  # a joint stream's nibble, not an n1 stream's
    with pytest.raises(InvalidInputError):
        _native.n1_joint_encode_array(_shared_walk().view(np.int16), 1, follow=heads)
    with pytest.raises(InvalidInputError):  # the fast level follows nothing
        _native.n1_joint_encode_array(_shared_walk().view(np.int16), 0, follow=[b"\x00"] * 4)


@pytest.mark.parametrize("back", [0, 1, 2**32 - 1])
def test_a_joint_chunk_refuses_references_to_itself_or_later_channels(back):
    pipeline = parse_spec("n1(joint=true)")
    choices = pipeline.model_choices(pipeline.encode(_shared_walk()), 4)
    # channel 0 has no earlier channel: any reference is refused
    choices[0] = b"\x01" + back.to_bytes(4, "little") + choices[0][1:]
    with pytest.raises(InvalidInputError, match="invalid"):
        _native.n1_joint_encode_array(_shared_walk().view(np.int16), 1, follow=choices)


def test_joint_choices_of_a_damaged_payload_raise():
    payload = parse_spec("n1(joint=true)").encode(_shared_walk())
    with pytest.raises(N1CodecError):
        _native.n1_joint_choices_of(payload[:-1], 4)
    with pytest.raises(N1CodecError):
        _native.n1_joint_choices_of(payload, 3)


# -- chunked files -------------------------------------------------------------------

def _many_chunks(channels=3, chunks=70, frames=400):
    rng = np.random.default_rng(5)
    walk = np.cumsum(rng.normal(0, 3, (chunks * frames, channels)), axis=0)
    return (np.round(walk) * np.array([3, 5, 1])[:channels]).astype(np.int16)


@pytest.mark.parametrize("codec", ["n1", "n1(joint=true)"])
def test_chunked_files_round_trip_across_retrials_with_the_same_bytes_on_any_thread_count(codec):
    x = _many_chunks()
    assert len(x) // 400 > 2 * recording._LeadChoices.RETRY_CHUNKS
    one = n1codec.encode_chunked(x, codec=codec, sample_rate=30000, chunk_frames=400, threads=1)
    two = n1codec.encode_chunked(x, codec=codec, sample_rate=30000, chunk_frames=400, threads=2)
    assert one == two
    np.testing.assert_array_equal(n1codec.decode(one), x)


@pytest.mark.parametrize("codec", ["n1", "n1(joint=true)"])
def test_chunks_follow_their_lead_and_leads_try_again(codec):
    x = _many_chunks(chunks=70)
    pipeline = parse_spec(codec)
    seen = []
    lock = threading.Lock()
    original = type(pipeline).encode

    def spy(self, patterns, threads=None, follow=None):
        with lock:
            seen.append(follow is None)
        if follow is not None:
            assert len(follow) == 3
        return original(self, patterns, threads=threads, follow=follow)

    chunks = recording._LeadChoices(pipeline, 3, 70)
    pipeline.encode = spy.__get__(pipeline)
    for index in range(70):
        chunks.encode(index, x[index * 400:(index + 1) * 400].view(np.uint16))
    every = recording._LeadChoices.RETRY_CHUNKS
    assert [i for i, tried in enumerate(seen) if tried] == list(range(0, 70, every))


def test_a_failing_lead_fails_its_followers_instead_of_hanging():
    class Broken:
        def encode(self, patterns, threads=None, follow=None):
            raise N1CodecError("lead broke")

    chunks = recording._LeadChoices(Broken(), 1, 3)
    with pytest.raises(N1CodecError, match="lead broke"):
        chunks.encode(0, np.zeros((10, 1), np.uint16))
    with pytest.raises(N1CodecError, match="chunk 0, whose choices chunk 2 follows, failed"):
        chunks.encode(2, np.zeros((10, 1), np.uint16))
