"""Spec for every registered codec, whoever wrote it: lossless on N1-like and hostile signals,
and a corrupted or truncated payload is an N1CodecError (or, if it still decodes, the right
samples: the CRC-32 guards that) -- never a crash, a hang or another exception type."""
from __future__ import annotations

import numpy as np
import pytest

import n1codec
from n1codec.codecs import registry
from n1codec.errors import N1CodecError


def _specs():
    """Every coder alone, every stage before huffman, and every alias."""
    specs = [cls.name for cls in registry.coders()]
    specs += [f"{cls.name}+huffman" for cls in registry.stages()]
    specs += sorted(registry.aliases())
    return specs


def _available(spec):
    from n1codec.pipeline import parse_spec
    return parse_spec(spec).available()


SIGNALS = {
    "n1-like": lambda: __import__("n1codec.tools.synthetic", fromlist=["n1_like"]).n1_like(seconds=0.4, seed=11),
    "white-noise": lambda: np.random.RandomState(1).randint(-32768, 32768, 5000).astype(np.int16),
    "extremes": lambda: np.array([-32768, 32767, 0, -1, 1] * 400, np.int16),
    "constant": lambda: np.full(3000, -7, np.int16),
    "short": lambda: np.array([5], np.int16),
    "empty": lambda: np.zeros(0, np.int16),
    "ramp": lambda: np.arange(-32768, 32768, 7).astype(np.int16),
}


@pytest.mark.parametrize("spec", _specs())
@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_every_codec_is_lossless(spec, signal):
    if not _available(spec):
        pytest.skip(f"{spec}: optional dependency not installed")
    samples = SIGNALS[signal]()
    back = n1codec.decode(n1codec.encode(samples, codec=spec))
    assert back.dtype == np.int16 and back.shape == samples.shape
    np.testing.assert_array_equal(back, samples)


@pytest.mark.parametrize("spec", _specs())
def test_every_codec_handles_stereo(spec):
    if not _available(spec):
        pytest.skip(f"{spec}: optional dependency not installed")
    from n1codec.tools import synthetic
    samples = synthetic.n1_like(seconds=0.1, seed=2, channels=2)
    np.testing.assert_array_equal(n1codec.decode(n1codec.encode(samples, codec=spec)), samples)


@pytest.mark.parametrize("spec", _specs())
def test_every_codec_survives_corruption(spec):
    if not _available(spec):
        pytest.skip(f"{spec}: optional dependency not installed")
    samples = SIGNALS["n1-like"]()
    blob = n1codec.encode(samples, codec=spec)
    header = n1codec.info(blob)
    rng = np.random.RandomState(7)
    payload_positions = range(header.payload_offset, len(blob))
    trials = [blob[:cut] for cut in rng.choice(len(blob), 12, replace=False)]
    for pos in rng.choice(payload_positions, min(40, header.payload_size), replace=False):
        bad = bytearray(blob)
        bad[pos] ^= int(rng.randint(1, 256))
        trials.append(bytes(bad))
    for bad in trials:
        try:
            back = n1codec.decode(bad)
        except N1CodecError:
            continue
        np.testing.assert_array_equal(back, samples)
