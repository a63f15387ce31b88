"""Spec: compression ratios on the whole dev split (whole .n1 files against whole WAV files)."""
from __future__ import annotations

import pytest

import n1codec
from conftest import dev_files, needs_dev_data


@pytest.mark.slow
@needs_dev_data
def test_delta_huffman_reaches_2_85_on_the_dev_split():
    original = compressed = 0
    for path in dev_files():
        wav = path.read_bytes()
        blob = n1codec.encode_wav_bytes(wav, codec="delta+huffman")
        assert n1codec.decode_to_wav_bytes(blob) == wav, path.name
        original += len(wav)
        compressed += len(blob)
    ratio = original / compressed
    print(f"delta+huffman on {len(dev_files())} dev files: ratio {ratio:.4f}")
    assert ratio >= 2.85
