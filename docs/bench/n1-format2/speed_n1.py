import glob, time, statistics, sys
import numpy as np
from n1codec import _native
from n1codec.wav import parse_wav
files = sorted(glob.glob("/work/shared/n1-data/dev/*.wav"))[::5][:100]
xs = [parse_wav(open(f, "rb").read()).samples.reshape(-1).astype(np.int16) for f in files]
n = sum(len(x) for x in xs)
enc, dec = [], []
for _ in range(3):
    t = time.thread_time(); bl = [_native.n1_encode(x, 1) for x in xs]; enc.append(n / (time.thread_time() - t) / 1e6)
    t = time.thread_time(); [_native.n1_decode(b, len(x)) for b, x in zip(bl, xs)]; dec.append(n / (time.thread_time() - t) / 1e6)
print(sys.argv[1], f"encode {statistics.median(enc):.1f} decode {statistics.median(dec):.1f} M samples/s")
