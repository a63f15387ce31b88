"""Speed on the ephys recordings: n1 / n1:max through n1codec (CPU time of this process),
FLAC -8 and WavPack -hhx3 per channel through their CLIs (CPU time of the child processes).
M samples/s (all channels), encode / decode."""
import glob, os, subprocess, tempfile, time, json, sys
import numpy as np, n1codec
d = "/work/shared/ephys-data/dev"
man = json.load(open(os.path.join(d, "manifest.json")))
def child_cpu():
    t = os.times(); return t.children_user + t.children_system
def cli(a, fs, tool):
    enc = dec = 0.0
    with tempfile.TemporaryDirectory() as t:
        for ch in range(a.shape[1]):
            raw = os.path.join(t, "x.raw"); out = os.path.join(t, "x.out"); back = os.path.join(t, "y.raw")
            np.ascontiguousarray(a[:, ch]).astype("<i2").tofile(raw)
            c0 = child_cpu()
            if tool == "flac":
                subprocess.run(["flac", "-8", "-s", "-f", "--force-raw-format", "--endian=little", "--sign=signed",
                                "--channels=1", "--bps=16", f"--sample-rate={int(round(fs))}", raw, "-o", out], check=True)
                c1 = child_cpu()
                subprocess.run(["flac", "-d", "-s", "-f", "--force-raw-format", "--endian=little", "--sign=signed", out, "-o", back], check=True)
            else:
                subprocess.run(["wavpack", "-q", "-y", "-hh", "-x3", f"--raw-pcm={int(round(fs))},16,1", raw, "-o", out],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                c1 = child_cpu()
                subprocess.run(["wvunpack", "-q", "-y", "--raw", out, "-o", back], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            c2 = child_cpu()
            enc += c1 - c0; dec += c2 - c1
    return enc, dec
tot = {}
for f in sorted(glob.glob(os.path.join(d, "*.npy"))):
    name = os.path.basename(f)[:-4]; a = np.load(f); fs = man.get(name, {}).get("fs", 30000)
    row = []
    for c in ("n1", "n1:max"):
        t = time.process_time(); b = n1codec.encode(a, codec=c); e = time.process_time() - t
        t = time.process_time(); back = n1codec.decode(b); dd = time.process_time() - t
        assert np.array_equal(back, a)
        row.append((c, e, dd))
    for tool in ("flac", "wavpack"):
        e, dd = cli(a, fs, tool); row.append((tool, e, dd))
    for c, e, dd in row:
        s = tot.setdefault(c, [0, 0, 0]); s[0] += a.size; s[1] += e; s[2] += dd
    print(f"{name:42s} " + "  ".join(f"{c} {a.size/max(e,1e-3)/1e6:.1f}/{a.size/max(dd,1e-3)/1e6:.1f}" for c, e, dd in row), flush=True)
print("TOTAL " + "  ".join(f"{c} {n/e/1e6:.1f}/{n/dd/1e6:.1f}" for c, (n, e, dd) in tot.items()))
