"""N1 dev: whole-file ratios through n1codec (WAV in, .n1 out, decoded back byte for byte),
and plain 10-bit codes (c - 512) against the stretched samples on every 20th file."""
import glob, sys
import numpy as np, n1codec
from n1codec.wav import parse_wav
files = sorted(glob.glob("/work/shared/n1-data/dev/*.wav"))
tot = {}
for f in files:
    wav = open(f, "rb").read()
    for c in ("n1", "n1:max"):
        blob = n1codec.encode_wav_bytes(wav, codec=c)
        assert n1codec.decode_to_wav_bytes(blob) == wav
        t = tot.setdefault(c, [0, 0]); t[0] += len(wav); t[1] += len(blob)
print("N1 dev", len(files), "files:", " ".join(f"{c}={a/b:.4f}" for c, (a, b) in tot.items()))
st = pl = raw = 0
for f in files[::20]:
    x = parse_wav(open(f, "rb").read()).samples.reshape(-1)
    codes = np.round((x.astype(np.int64) + 32768) * 1023 / 65535).astype(np.int64)
    assert np.array_equal(((codes * 65535 - 32768 * 1023) / 1023).astype(np.int64), x)
    plain = (codes - 512).astype(np.int16)
    b1 = n1codec.encode(x, codec="n1"); b2 = n1codec.encode(plain, codec="n1")
    assert np.array_equal(n1codec.decode(b2), plain)
    raw += x.nbytes; st += len(b1); pl += len(b2)
print(f"plain codes ({len(files[::20])} files): stretched {raw/st:.4f} plain {raw/pl:.4f} ({(st/pl-1)*100:+.2f}%)")
