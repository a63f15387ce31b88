"""zarr v3 serializers (n1codec.ext.zarr): multichannel recordings written and read back equal."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

zarr = pytest.importorskip("zarr", reason="zarr is not installed (pip install n1codec[zarr])")
if int(zarr.__version__.split(".")[0]) < 3:
    pytest.skip(f"zarr {zarr.__version__} is v2; the v3 serializer needs zarr>=3 "
                "(zarr v2 takes the numcodecs codec, see test_numcodecs.py)", allow_module_level=True)

from n1codec.tools import synthetic  # noqa: E402
from n1codec.errors import InvalidInputError  # noqa: E402
from n1codec.ext.zarr import N1, N1Pipeline  # noqa: E402

SECONDS = 0.2  # 3906 frames: two chunks along time, the second one partial


@pytest.fixture(scope="module")
def recordings():
    """Synthetic N1-like recordings (samples x channels), made once per module."""
    return {channels: synthetic.n1_like(seconds=SECONDS, seed=channels, channels=channels)
            for channels in (384, 1024)}


def _write(path, data, serializer, chunks):
    z = zarr.create_array(store=str(path), shape=data.shape, chunks=chunks, dtype="int16",
                          serializer=serializer, compressors=None, fill_value=0)
    z[:] = data
    return z


CASES = [
    (384, N1(), (2048, 384)),
    (384, N1Pipeline(spec="delta+huffman"), (2048, 384)),
    (1024, N1(), (2048, 512)),
    (1024, N1Pipeline(spec="delta+huffman"), (2048, 512)),
]


@pytest.mark.parametrize("channels,serializer,chunks", CASES,
                         ids=[f"{c}ch-{s.to_dict()['name']}-{s.spec}" for c, s, _ in CASES])
def test_multichannel_round_trip(tmp_path, recordings, capsys, record_property, channels, serializer, chunks):
    data = recordings[channels]
    path = tmp_path / f"rec{channels}.zarr"
    _write(path, data, serializer, chunks)

    back = zarr.open_array(str(path), mode="r")
    assert back.shape == data.shape and back.dtype == np.int16
    assert back.metadata.codecs == (serializer,)
    np.testing.assert_array_equal(back[:], data)
    np.testing.assert_array_equal(back[1234:3000, 100:300], data[1234:3000, 100:300])
    np.testing.assert_array_equal(back[-5:, -1], data[-5:, -1])  # the partial edge chunk

    ratio = back.nbytes / back.nbytes_stored()
    raw_ratio = data.nbytes / sum(p.stat().st_size for p in path.rglob("c/**/*") if p.is_file())
    record_property("stored_ratio", ratio)
    with capsys.disabled():
        print(f"\n  zarr {channels} ch x {data.shape[0]} samples, {serializer.spec}, chunks {chunks}: "
              f"stored ratio nbytes/nbytes_stored = {ratio:.3f} (chunks alone {raw_ratio:.3f})")
    assert ratio > 1.0


def test_metadata_names_the_codec_and_reopens_in_a_fresh_process(tmp_path, recordings):
    data = recordings[384][:2000, :16]
    path = tmp_path / "meta.zarr"
    _write(path, data, N1(level="fast"), (1000, 16))
    meta = json.loads((path / "zarr.json").read_text())
    assert meta["codecs"] == [{"name": "n1codec.n1", "configuration": {"level": "fast"}}]
    np.save(tmp_path / "expected.npy", data)
    # A fresh interpreter resolves "n1codec.n1" through the zarr.codecs entry point.
    code = textwrap.dedent(f"""
        import sys, numpy as np, zarr
        z = zarr.open_array({str(path)!r}, mode="r")
        assert (z[:] == np.load({str(tmp_path / "expected.npy")!r})).all()
        print(type(z.metadata.codecs[0]).__module__)
    """)
    # cwd away from the source tree: `python -c` puts the cwd first on sys.path.
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "n1codec.ext.zarr"


def test_entry_points_are_declared():
    from importlib.metadata import entry_points
    names = {e.name: e.value for e in entry_points().select(group="zarr.codecs")}
    assert names.get("n1codec.n1") == "n1codec.ext.zarr:N1"
    assert names.get("n1codec.pipeline") == "n1codec.ext.zarr:N1Pipeline"


def test_codec_dict_round_trip():
    for codec in (N1(), N1(level="max"), N1Pipeline(), N1Pipeline(spec="delta_huff")):
        again = type(codec).from_dict(json.loads(json.dumps(codec.to_dict())))
        assert again == codec
    assert N1Pipeline(spec="delta_huff").to_dict() == {
        "name": "n1codec.pipeline", "configuration": {"spec": "delta+huffman"}}
    with pytest.raises(ValueError):
        N1(level="ultra")
    with pytest.raises(ValueError):
        N1Pipeline(spec="nonsense")


def test_serializer_by_name_in_a_dict(tmp_path):
    data = synthetic.n1_like(seconds=0.05, seed=2, channels=3)
    z = zarr.create_array(store=str(tmp_path / "d.zarr"), shape=data.shape, chunks=(500, 3), dtype="int16",
                          serializer={"name": "n1codec.pipeline", "configuration": {"spec": "delta:2+huffman"}},
                          compressors=None)
    z[:] = data
    np.testing.assert_array_equal(zarr.open_array(str(tmp_path / "d.zarr"))[:], data)


def test_one_dimensional_array(tmp_path):
    data = synthetic.n1_like(seconds=0.1, seed=3)
    z = _write(tmp_path / "mono.zarr", data, N1(), (700,))
    np.testing.assert_array_equal(z[:], data)


def test_inside_a_sharding_codec(tmp_path):
    from zarr.codecs import ShardingCodec
    data = synthetic.n1_like(seconds=0.1, seed=4, channels=8)
    z = zarr.create_array(store=str(tmp_path / "shard.zarr"), shape=data.shape, chunks=(500, 4),
                          shards=(1000, 8), dtype="int16", serializer=N1(), compressors=None)
    z[:] = data
    back = zarr.open_array(str(tmp_path / "shard.zarr"))
    assert isinstance(back.metadata.codecs[0], ShardingCodec)
    np.testing.assert_array_equal(back[:], data)


@pytest.mark.parametrize("dtype,shape", [("float32", (100, 2)), ("int32", (100, 2)), ("uint8", (100,)),
                                         ("int16", (10, 4, 2))])
def test_refuses_what_it_cannot_store(tmp_path, dtype, shape):
    with pytest.raises((TypeError, ValueError)) as info:
        zarr.create_array(store=str(tmp_path / "bad.zarr"), shape=shape, chunks=shape, dtype=dtype,
                          serializer=N1(), compressors=None)
    assert isinstance(info.value, InvalidInputError)
