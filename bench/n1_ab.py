"""Two builds of the C core side by side on N1 files: time and instructions per sample.

Each build is a compiled ``n1codec/_native*.so`` (for example the installed one, and one
built from another commit with ``cmake -S <checkout> -B <dir> -G Ninja
-DN1CODEC_BUILD_PYTHON=ON -DSKBUILD=2 -DSKBUILD_PROJECT_NAME=n1codec && ninja -C <dir>``).
Every measurement runs in a fresh process that loads the given module in place of
``n1codec._native`` and codes every --step-th WAV of ../shared/n1-data/dev through the
binding (``n1_encode`` / ``n1_decode``), checking every decode.

- timed (default): the builds alternate for --rounds rounds; prints the best and the
  median M samples/s (CPU time of the thread) of each, each way;
- --callgrind: instructions per sample under valgrind's callgrind, on --callgrind-files
  files: the process total minus that of a run that does not code; deterministic, so it
  separates builds that a loaded machine's timings cannot;
- --same-bytes: a hash of every stream each build writes (every --step-th N1 file and every
  6th channel of each ../shared/ephys-data/dev recording), every decode checked.
- --joint: the joint coder (``n1_joint_encode_array``) instead, on every
  ../shared/ephys-data/dev recording as one array and a 1 s 384-channel chunk of
  bench/large_recordings.py's real-derived data; timed, --callgrind (on the chunk's first
  0.1 s) or --same-bytes as above, and the bytes each build writes. With --following, the
  second half of each recording and the chunk's next second instead, each following the
  choices of the part before it (``n1_joint_choices_of``, as a chunked file's followers
  do; the leads are coded before the clock starts); timed or --same-bytes.
- --columns: the same arrays with every channel its own stream (``n1_encode_columns`` /
  ``n1_decode_columns``, the pipeline's path for a bare n1 coder); timed or --same-bytes.

    python bench/n1_ab.py OLD.so NEW.so [--levels 1,2,0] [--rounds 6] [--callgrind | --same-bytes]
        [--joint [--following] | --columns]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

DEV = Path(os.environ.get("N1CODEC_DEV_DATA", Path(__file__).resolve().parents[2] / "shared" / "n1-data" / "dev"))

EPHYS = DEV.parent.parent / "ephys-data" / "dev"

# Run in the child: load the build as n1codec._native, then code the corpus: "n1" (1-D: every
# step-th N1 file; for the hash also every 6th channel of each ephys recording), "joint"
# (2-D, the joint coder: every ephys recording and 1 s of 384 real-derived channels),
# "joint-following" (their second halves / next second, following the part before) or
# "joint-chunk" (the 384 channels' first 0.1 s, for callgrind). Steps: "x" none, "e", "ed",
# "h" (every stream's bytes hashed, every decode checked).
CHILD = r"""
import glob, hashlib, json, sys, tempfile, time
from pathlib import Path
import numpy as np
so, lvl, corpus, step, limit, steps = (sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),
                                       int(sys.argv[5]), sys.argv[6])
dev, ephys = sys.argv[7], sys.argv[8]
sys.path.insert(0, sys.argv[9])
from native_build import load_native
native = load_native(so)
recordings = sorted(glob.glob(ephys + "/*.npy"))
if corpus == "n1":
    import soundfile
    arrays = [soundfile.read(f, dtype="int16")[0] for f in sorted(glob.glob(dev + "/*.wav"))[::step][:limit]]
    if "h" in steps:
        for f in recordings:
            x = np.load(f)
            arrays += [np.ascontiguousarray(x[:, c]) for c in range(0, x.shape[1], max(1, x.shape[1] // 6))]
    encode = lambda a: native.n1_encode(a, lvl)
    decode = lambda s, a: native.n1_decode(s, len(a))
else:
    import large_recordings
    arrays = ([np.ascontiguousarray(np.load(f)) for f in recordings]
              if corpus in ("joint", "columns", "joint-following") else [])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chunk.bin"
        seconds = 2 if corpus == "joint-following" else 1
        large_recordings.write_real(path, 384 * 2 * seconds * large_recordings.RATE)
        chunk = np.fromfile(path, dtype="<i2").reshape(-1, 384)
    if corpus == "joint-following":  # (lead, follower) pairs: halves, and the chunk's next second
        arrays.append(chunk)
        leads = [np.ascontiguousarray(a[:len(a) // 2]) for a in arrays]
        arrays = [np.ascontiguousarray(a[len(a) // 2:]) for a in arrays]
        follow = {id(a): native.n1_joint_choices_of(native.n1_joint_encode_array(l, lvl), l.shape[1])
                  for a, l in zip(arrays, leads)}
    else:
        arrays.append(chunk if corpus in ("joint", "columns") else np.ascontiguousarray(chunk[:3000]))
    if corpus == "columns":  # every channel its own stream, straight from / into the array
        encode = lambda a: b"".join(len(s).to_bytes(4, "little") + s
                                    for s in native.n1_encode_columns(a, 0, a.shape[1], lvl))
        def decode(s, a):
            parts, pos = [], 0
            while pos < len(s):
                n = int.from_bytes(s[pos:pos + 4], "little")
                parts.append(s[pos + 4:pos + 4 + n])
                pos += 4 + n
            out = np.empty_like(a)
            native.n1_decode_columns(parts, a.shape[0], out, 0)
            return out
    else:
        encode = lambda a: native.n1_joint_encode_array(a, lvl, follow=follow.get(id(a))
                                                        if corpus == "joint-following" else None)
        decode = lambda s, a: native.n1_joint_decode_array(s, *a.shape)
streams = [encode(a[:100]) for a in arrays]  # the same imports and allocations
result = {"samples": sum(a.size for a in arrays)}
if "e" in steps or "h" in steps:
    t = time.thread_time()
    streams = [encode(a) for a in arrays]
    result["encode_s"] = time.thread_time() - t
    result.update(streams=len(streams), bytes=sum(len(s) for s in streams))
    if "h" in steps:
        result["sha256"] = hashlib.sha256(b"".join(streams)).hexdigest()
if "d" in steps or "h" in steps:
    t = time.thread_time()
    back = [decode(s, a) for a, s in zip(arrays, streams)]
    result["decode_s"] = time.thread_time() - t
    assert all(np.array_equal(a, b) for a, b in zip(arrays, back)), "a decode differs"
print(json.dumps(result))
"""


def child(so: str, level: int, corpus: str, step: int, limit: int, steps: str,
          wrap=()) -> subprocess.CompletedProcess:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    cmd = [*wrap, sys.executable, "-c", CHILD, so, str(level), corpus, str(step), str(limit), steps,
           str(DEV), str(EPHYS), str(Path(__file__).resolve().parent)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)


def timed(builds, level: int, corpus: str, step: int, rounds: int) -> None:
    speeds = {b: {"encode": [], "decode": []} for b in builds}
    sizes = {}
    for _ in range(rounds):
        for b in builds:
            r = json.loads(child(b, level, corpus, step, 10 ** 6, "ed").stdout)
            for way in ("encode", "decode"):
                speeds[b][way].append(r["samples"] / r[f"{way}_s"] / 1e6)
            sizes[b] = r["bytes"]
    for b in builds:
        size = f" | {sizes[b]} bytes"
        cells = [f"{way} best {max(v):.1f} median {statistics.median(v):.1f}" for way, v in speeds[b].items()]
        print(f"level {level} | {b} | " + " | ".join(cells) + " M samples/s" + size)


def instructions(so: str, level: int, corpus: str, step: int, files: int, steps: str) -> int:
    out = child(so, level, corpus, step, files, steps,
                wrap=("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def counted(builds, level: int, corpus: str, files: int) -> None:
    step = 60
    for b in builds:
        base, enc, both = (instructions(b, level, corpus, step, files, s) for s in ("x", "e", "ed"))
        samples = json.loads(child(b, level, corpus, step, files, "x").stdout)["samples"]
        print(f"level {level} | {b} | instructions a sample: encode {(enc - base) / samples:.0f}, "
              f"decode {(both - enc) / samples:.0f} ({samples} samples)")


def same_bytes(builds, level: int, corpus: str, step: int) -> bool:
    """Whether every build writes the same streams (hash of all of them) and decodes them."""
    digests = {b: json.loads(child(b, level, corpus, step, 10 ** 6, "h").stdout) for b in builds}
    for b, d in digests.items():
        print(f"level {level} | {b} | {d['streams']} streams, {d['bytes']} bytes, sha256 {d['sha256'][:16]}")
    return len({d["sha256"] for d in digests.values()}) == 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("builds", nargs="+", help="paths of _native*.so builds")
    ap.add_argument("--levels", default="1", help="n1 levels: 0 fast, 1 default, 2 max")
    ap.add_argument("--step", type=int, default=10, help="every step-th dev file (timed)")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--callgrind", action="store_true", help="instruction counts instead of times")
    ap.add_argument("--callgrind-files", type=int, default=3)
    ap.add_argument("--same-bytes", action="store_true",
                    help="compare the builds' streams (every --step-th N1 file and ephys channels)")
    ap.add_argument("--joint", action="store_true",
                    help="the joint coder on the ephys recordings and a 384-channel chunk")
    ap.add_argument("--following", action="store_true",
                    help="with --joint: second halves following the first halves' choices")
    ap.add_argument("--columns", action="store_true",
                    help="the same arrays, every channel its own stream (n1_encode_columns / "
                         "n1_decode_columns, as the pipeline codes a bare n1 coder's channels)")
    args = ap.parse_args(argv)
    corpus = "joint" if args.joint else ("columns" if args.columns else "n1")
    if args.following:
        if not args.joint or args.callgrind:
            ap.error("--following goes with --joint (timed or --same-bytes)")
        corpus = "joint-following"
    if corpus != "n1" and not EPHYS.is_dir():
        print(f"no ephys recordings at {EPHYS}", file=sys.stderr)
        return 1
    if not DEV.is_dir():
        print(f"no N1 recordings at {DEV} (set N1CODEC_DEV_DATA)", file=sys.stderr)
        return 1
    if args.same_bytes:
        same = [same_bytes(args.builds, int(x), corpus, args.step) for x in args.levels.split(",")]
        print("same bytes" if all(same) else "the builds write different bytes")
        return 0 if all(same) else 1
    for level in (int(x) for x in args.levels.split(",")):
        if args.callgrind:
            counted(args.builds, level, "joint-chunk" if args.joint else "n1", args.callgrind_files)
        else:
            timed(args.builds, level, corpus, args.step, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
