"""Write the frozen numcodecs fixtures in tests/fixtures/numcodecs/ (run once; commit the output).

Each case is an int16 array, the numcodecs config of the codec that encoded it,
and the bytes the codec wrote. tests/test_numcodecs.py decodes every case with
the codec its config names: a store written by an older release must still read.

Existing cases are never rewritten (that would defeat the point); a case whose
codec is not available in this build is left for a later run. The n1 codec's
stream is frozen only once its engineer says so; until then its cases are
written only when asked for:

    python tests/make_numcodecs_fixtures.py            # pipeline cases
    python tests/make_numcodecs_fixtures.py --with-n1  # and the n1 cases
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "numcodecs"
INDEX = FIXTURES / "cases.json"
ARRAYS = FIXTURES / "arrays.npz"

#: case name -> (numcodecs config, array name)
CASES = {
    "pipeline-delta-huffman-1d": ({"id": "n1codec.pipeline", "spec": "delta+huffman"}, "mono"),
    "pipeline-delta-huffman-2d": ({"id": "n1codec.pipeline", "spec": "delta+huffman"}, "stereo"),
    "pipeline-delta-huffman-extremes": ({"id": "n1codec.pipeline", "spec": "delta+huffman"}, "extremes"),
    "n1-default-1d": ({"id": "n1codec.n1", "level": "default"}, "mono"),
    "n1-default-2d": ({"id": "n1codec.n1", "level": "default"}, "stereo"),
    "n1-fast-2d": ({"id": "n1codec.n1", "level": "fast"}, "stereo"),
    "n1-max-2d": ({"id": "n1codec.n1", "level": "max"}, "stereo"),
    "n1-default-extremes": ({"id": "n1codec.n1", "level": "default"}, "extremes"),
}


def make_arrays():
    from n1codec.tools import synthetic
    rec = synthetic.n1_like(seconds=0.02, seed=7, channels=3)  # 391 frames, N1-like
    extremes = np.array([0, 1, -1, 32767, -32768, 32767, -32768, 0, 255, -256] * 8, dtype=np.int16)
    return {"mono": rec[:256, 0].copy(), "stereo": rec[:160, 1:3].copy(), "extremes": extremes}


def main(argv=None) -> int:
    import numcodecs
    with_n1 = "--with-n1" in (sys.argv[1:] if argv is None else argv)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    if ARRAYS.exists():
        with np.load(ARRAYS) as stored:
            arrays = {name: stored[name] for name in stored.files}
    else:
        arrays = make_arrays()
        np.savez_compressed(ARRAYS, **arrays)
    index = json.loads(INDEX.read_text()) if INDEX.exists() else {}
    for name, (config, array_name) in CASES.items():
        path = FIXTURES / f"{name}.n1"
        if name in index and path.exists():
            continue
        if config["id"] == "n1codec.n1" and not with_n1:
            continue
        try:
            codec = numcodecs.get_codec(config)
            blob = codec.encode(arrays[array_name])
        except Exception as exc:  # a codec this build lacks: leave the case for later
            print(f"skipped {name}: {exc}", file=sys.stderr)
            continue
        path.write_bytes(blob)
        index[name] = {"config": config, "array": array_name, "file": path.name}
        print(f"wrote {path.name} ({len(blob)} bytes)")
    INDEX.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
