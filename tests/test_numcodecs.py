"""numcodecs conformance of n1codec's codecs (n1codec.ext.numcodecs).

numcodecs no longer installs its test helpers, so these are our own versions of
its checks: round trips from every buffer type and into ``out=``, config JSON
round trip, repr, lookup through the entry point, and frozen fixtures that a
later release must keep decoding.
"""
from __future__ import annotations

import array
import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

numcodecs = pytest.importorskip("numcodecs", reason="numcodecs is not installed (pip install n1codec[numcodecs])")

from n1codec.tools import synthetic  # noqa: E402
from n1codec.errors import InvalidInputError, N1CodecError  # noqa: E402
from n1codec.ext.numcodecs import N1, N1Pipeline  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "numcodecs"

CODECS = [
    N1(),
    N1(level="fast"),
    N1(level="max"),
    N1Pipeline(),
    N1Pipeline(spec="delta+huffman"),
    N1Pipeline(spec="huffman"),
    N1Pipeline(spec="delta:2+huffman"),
]
CODEC_IDS = [repr(c) for c in CODECS]


def _arrays():
    rng = np.random.RandomState(42)
    yield "n1-like", synthetic.n1_like(seconds=0.05, seed=3)
    yield "n1-like-4ch", synthetic.n1_like(seconds=0.05, seed=4, channels=4)
    yield "arange", np.arange(1000, dtype=np.int16)
    yield "arange-2d", np.arange(1000, dtype=np.int16).reshape(100, 10)
    yield "normal", (rng.standard_normal(1000) * 300).astype(np.int16)
    yield "full-range", rng.randint(-32768, 32768, size=2000).astype(np.int16)
    yield "extremes", np.array([-32768, 32767] * 50, dtype=np.int16)
    yield "constant", np.full(500, -7, dtype=np.int16)
    yield "one-sample", np.array([123], dtype=np.int16)
    yield "empty", np.zeros(0, dtype=np.int16)
    yield "empty-2d", np.zeros((0, 3), dtype=np.int16)


ARRAYS = list(_arrays())


def compare(expected: np.ndarray, result) -> None:
    """numcodecs' compare_arrays: view the result as the input's dtype and shape (C order)."""
    res = np.frombuffer(memoryview(result).cast("B"), dtype=np.uint8) if not isinstance(result, np.ndarray) else result
    res = np.ascontiguousarray(res).reshape(-1).view(np.uint8).view(expected.dtype).reshape(expected.shape)
    np.testing.assert_array_equal(expected, res)


def check_encode_decode(arr: np.ndarray, codec) -> None:
    # Encoding takes any buffer. Buffers are one channel of int16 samples, so
    # only the array keeps a 2-D layout; every form decodes to the same values.
    raw = arr.tobytes()
    inputs = [arr, raw, bytearray(raw), array.array("b", raw), array.array("h", arr.reshape(-1).tolist()),
              memoryview(raw), np.frombuffer(raw, dtype=np.uint8)]
    for buf in inputs:
        enc = codec.encode(buf)
        compare(arr, codec.decode(enc))
    enc = bytes(codec.encode(arr))

    # Decoding takes any buffer too.
    for buf in (enc, bytearray(enc), array.array("b", enc), np.frombuffer(enc, dtype=np.uint8),
                memoryview(enc)):
        dec = codec.decode(buf)
        assert isinstance(dec, np.ndarray) and dec.ndim == 1 and dec.dtype == np.int16
        compare(arr, dec)

    # ... and into out=, which is filled and returned.
    outs = [np.empty_like(arr), np.empty(arr.size, dtype=np.int16), bytearray(arr.nbytes),
            array.array("h", bytes(arr.nbytes)), np.empty(arr.nbytes, dtype=np.uint8)]
    if arr.ndim == 2:
        outs.append(np.empty(arr.shape, dtype=np.int16, order="F"))  # same shape: any order
    for out in outs:
        result = codec.decode(enc, out=out)
        assert result is out
        if isinstance(out, np.ndarray) and out.shape == arr.shape:
            np.testing.assert_array_equal(arr, out)
        else:
            compare(arr, out)


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
@pytest.mark.parametrize("name,arr", ARRAYS, ids=[name for name, _ in ARRAYS])
def test_encode_decode(codec, name, arr):
    check_encode_decode(arr, codec)


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_two_d_keeps_shape_in_stored_bytes(codec):
    """The stored bytes are an .n1 file: n1codec.decode restores shape and dtype."""
    import n1codec
    arr = synthetic.n1_like(seconds=0.02, seed=5, channels=3)
    enc = codec.encode(arr)
    assert bytes(enc[:4]) == b"\x89N1C"
    back = n1codec.decode(enc)
    assert back.shape == arr.shape and back.dtype == np.int16
    np.testing.assert_array_equal(back, arr)
    assert n1codec.info(enc).channels == 3


def test_non_contiguous_input_is_copied():
    arr = synthetic.n1_like(seconds=0.02, seed=6, channels=8)
    codec = N1Pipeline()
    for view in (arr[::2], arr[:, 1:5], arr[:, 3]):
        compare(np.ascontiguousarray(view), codec.decode(codec.encode(view)))


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_config_json_round_trip(codec):
    config = codec.get_config()
    assert config["id"] == codec.codec_id
    again = numcodecs.get_codec(json.loads(json.dumps(config)))
    assert type(again) is type(codec)
    assert again == codec
    assert again.get_config() == config


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_repr_evaluates_to_an_equal_codec(codec):
    import n1codec.ext.numcodecs as namespace
    text = repr(codec)
    again = eval(text, vars(namespace))  # noqa: S307 - our own repr
    assert repr(again) == text
    assert again == codec


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_pickle(codec):
    arr = synthetic.n1_like(seconds=0.01, seed=8, channels=2)
    codec.encode(arr)  # populate any cache before pickling
    again = pickle.loads(pickle.dumps(codec))
    assert again == codec
    compare(arr, again.decode(codec.encode(arr)))


def test_reprs_and_canonical_specs():
    assert repr(N1()) == "N1(level='default')"
    assert repr(N1Pipeline(spec="delta_huff")) == "N1Pipeline(spec='delta+huffman')"
    assert N1Pipeline(spec=" delta:1 + huffman ").get_config() == {"id": "n1codec.pipeline", "spec": "delta+huffman"}


def test_get_codec_through_entry_point_without_import(tmp_path):
    """A fresh interpreter finds the codecs through the numcodecs.codecs entry points."""
    code = textwrap.dedent("""
        import sys, numcodecs
        assert "n1codec" not in sys.modules, "n1codec imported too early"
        n1 = numcodecs.get_codec({"id": "n1codec.n1", "level": "default"})
        pipe = numcodecs.get_codec({"id": "n1codec.pipeline", "spec": "delta+huffman"})
        import numpy as np
        x = (np.arange(3000) % 77).astype("int16").reshape(1000, 3)
        assert (pipe.decode(pipe.encode(x)).reshape(x.shape) == x).all()
        assert (n1.decode(n1.encode(x)).reshape(x.shape) == x).all()
        print(type(n1).__module__, n1.get_config(), pipe.get_config())
    """)
    # cwd away from the source tree: `python -c` puts the cwd first on sys.path.
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "n1codec.ext.numcodecs {'id': 'n1codec.n1', 'level': 'default'}" in proc.stdout


def test_entry_points_are_declared():
    from importlib.metadata import entry_points
    names = {e.name: e.value for e in entry_points().select(group="numcodecs.codecs")}
    assert names.get("n1codec.n1") == "n1codec.ext.numcodecs:N1"
    assert names.get("n1codec.pipeline") == "n1codec.ext.numcodecs:N1Pipeline"


# -- inputs the codecs cannot take: a clear TypeError/ValueError, never AssertionError ------

BAD_INPUTS = {
    "float32": np.zeros(10, dtype=np.float32),
    "float64": np.zeros((10, 2), dtype=np.float64),
    "object": np.array([1, "a", None], dtype=object),
    "3-D": np.zeros((4, 3, 2), dtype=np.int16),
    "0-D": np.array(5, dtype=np.int16),
    "int32": np.arange(10, dtype=np.int32),
    "uint16": np.arange(10, dtype=np.uint16),
    "big-endian": np.arange(10, dtype=">i2"),
    "bool": np.ones(10, dtype=bool),
    "fortran-2-D": np.asfortranarray(np.arange(20, dtype=np.int16).reshape(10, 2)),
    "odd-bytes": b"\x01\x02\x03",
    "2-D-bytes": np.zeros((4, 4), dtype=np.uint8),
    "float-buffer": array.array("f", [1.0, 2.0]),
    "list": [1, 2, 3],
    "str": "samples",
    "none": None,
}


@pytest.mark.parametrize("codec", [N1(), N1Pipeline()], ids=["n1", "pipeline"])
@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_raises_clear_error(codec, name):
    with pytest.raises((TypeError, ValueError)) as info:
        codec.encode(BAD_INPUTS[name])
    assert isinstance(info.value, N1CodecError)
    assert isinstance(info.value, InvalidInputError)
    assert str(info.value)


def _bad_outs(arr):
    return {
        "short-int16": np.empty(arr.size - 1, dtype=np.int16),
        "long-int16": np.empty(arr.size + 1, dtype=np.int16),
        "short-bytearray": bytearray(arr.nbytes - 2),
        "long-bytearray": bytearray(arr.nbytes + 2),
        "float": np.empty(arr.shape, dtype=np.float32),
        "int32": np.empty(arr.size, dtype=np.int32),
        "read-only-bytes": bytes(arr.nbytes),
        "strided": np.empty(arr.size * 2, dtype=np.int16)[::2],
        "list": [0] * arr.size,
    }


@pytest.mark.parametrize("name", list(_bad_outs(np.zeros(4))))
def test_bad_out_raises_clear_error(name):
    codec = N1Pipeline()
    arr = synthetic.n1_like(seconds=0.01, seed=9, channels=2)
    enc = codec.encode(arr)
    with pytest.raises((TypeError, ValueError)) as info:
        codec.decode(enc, out=_bad_outs(arr)[name])
    assert isinstance(info.value, InvalidInputError)
    assert str(info.value)


@pytest.mark.parametrize("bad", [b"", b"not an n1 file", b"\x89N1C\x01"])
def test_corrupt_input_raises_value_error(bad):
    with pytest.raises(ValueError):
        N1Pipeline().decode(bad)


def test_bad_config_raises_value_error():
    with pytest.raises(ValueError):
        N1(level="ultra")
    with pytest.raises(ValueError):
        N1Pipeline(spec="nonsense+huffman")
    with pytest.raises(ValueError):
        numcodecs.get_codec({"id": "n1codec.n1", "level": 3})
    with pytest.raises(TypeError):
        numcodecs.get_codec({"id": "n1codec.n1", "nonsense": 1})


# -- frozen fixtures: bytes written by an earlier release still decode ----------------------

def _fixture_cases():
    index = FIXTURES / "cases.json"
    if not index.exists():
        return []
    return sorted(json.loads(index.read_text()).items())


FIXTURE_CASES = _fixture_cases()


def test_fixtures_are_present_and_small():
    assert FIXTURE_CASES, f"no fixtures in {FIXTURES}; run tests/make_numcodecs_fixtures.py"
    total = sum(p.stat().st_size for p in FIXTURES.iterdir())
    assert total < 16_000, f"numcodecs fixtures take {total} bytes; keep them small"


@pytest.mark.parametrize("name,case", FIXTURE_CASES, ids=[name for name, _ in FIXTURE_CASES])
def test_backwards_compatibility(name, case):
    with np.load(FIXTURES / "arrays.npz") as arrays:
        expected = arrays[case["array"]]
    codec = numcodecs.get_codec(case["config"])
    blob = (FIXTURES / case["file"]).read_bytes()
    compare(expected, codec.decode(blob))
    out = np.empty_like(expected)
    assert codec.decode(blob, out=out) is out
    np.testing.assert_array_equal(expected, out)


# -- zarr v2: the compressor slot (what SpikeInterface uses on Python < 3.14) ---------------

def test_zarr_v2_compressor(tmp_path):
    zarr = pytest.importorskip("zarr")
    if int(zarr.__version__.split(".")[0]) >= 3:
        pytest.skip(f"zarr {zarr.__version__} is v3; the v3 serializer is tested in test_zarr.py")
    x = synthetic.n1_like(seconds=0.3, seed=10, channels=6)
    z = zarr.open(str(tmp_path / "v2.zarr"), mode="w", shape=x.shape, chunks=(2000, 6), dtype="int16",
                  compressor=N1())
    z[:] = x
    back = zarr.open(str(tmp_path / "v2.zarr"), mode="r")
    np.testing.assert_array_equal(back[:], x)
    np.testing.assert_array_equal(back[100:2500, 2:4], x[100:2500, 2:4])
    print(f"zarr v2 + n1codec.n1: stored ratio {back.nbytes / back.nbytes_stored:.3f}")

    # order="F" chunks would decode to a flat buffer in the wrong order: refused, not corrupted.
    f_order = zarr.open(str(tmp_path / "f.zarr"), mode="w", shape=x.shape, chunks=(2000, 6), dtype="int16",
                        order="F", compressor=N1())
    with pytest.raises(InvalidInputError, match="Fortran"):
        f_order[:] = x


# -- property test: any int16 array, any buffer form --------------------------------------

try:
    from hypothesis import given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover - hypothesis comes with the test extra
    given = None

if given is not None:
    @settings(max_examples=60, deadline=None)
    @given(arr=hnp.arrays(np.int16, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=40)
                          .filter(lambda s: len(s) == 1 or s[1] > 0)),
           form=st.sampled_from(["array", "bytes", "bytearray", "memoryview"]))
    def test_any_int16_array_round_trips(arr, form):
        _round_trip_any(arr, form)


def _round_trip_any(arr, form):
    codec = N1Pipeline(spec="delta+huffman")
    buf = {"array": arr, "bytes": arr.tobytes(), "bytearray": bytearray(arr.tobytes()),
           "memoryview": memoryview(arr.tobytes())}[form]
    enc = codec.encode(buf)
    compare(arr, codec.decode(enc))
    out = np.empty_like(arr)
    assert codec.decode(enc, out=out) is out
    np.testing.assert_array_equal(out, arr)


def test_levels_match_the_n1_codec():
    from n1codec.codecs import n1
    from n1codec.ext.numcodecs import LEVELS
    assert LEVELS == tuple(n1.LEVELS)
