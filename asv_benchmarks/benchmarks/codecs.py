"""Encode and decode speed, peak memory and size of one codec per family.

asv ranks every benchmark lower-is-better, `track_` ones included, so speed is
tracked as seconds of processing per second of signal (1/xRT: 0.001 means
1000 times faster than real time) and size as compressed bytes per original
byte (1/ratio). Reports convert them back to xRT and ratio.

Data: the embedded synthetic set always ("synthetic"); real recordings from
../shared/n1-data/dev (or $N1CODEC_DEV_DATA) when present ("real"; skipped
otherwise). Codecs that are not registered or not installed at a commit are
skipped there (asv shows n/a), so the same suite runs across history.
"""
import os
import time
from pathlib import Path

#: One codec per family (and the flagship's levels); skipped where unavailable.
CODECS = [
    "huffman",          # entropy
    "delta+huffman",    # predictive + entropy (the study's delta_huff)
    "rice",             # adaptive Rice
    "range",            # adaptive range coder
    "lpc+rice",         # FLAC-style predictor + Rice
    "adc+delta+range",  # ADC code mapping + predictor + adaptive arithmetic coder
    "bwtc",             # block sorting (BWT+MTF+RLE+Huffman) in C
    "zstd",             # dictionary (study alias)
    "bz2",              # dictionary, block sorting (study alias)
    "blosc_zstd",       # Blosc hybrid (study alias)
    "wavpack",          # audio (study alias)
    "n1:fast",
    "n1",
    "n1:max",
]
DATASETS = ["synthetic", "real"]
REAL_FILES = 3
SYNTHETIC_FILES = 2
SYNTHETIC_SECONDS = 5.0


def _dev_folder():
    repo = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("N1CODEC_DEV_DATA", repo.parent / "shared" / "n1-data" / "dev"))


_CACHE = {}


def load(dataset):
    """List of WAV file bytes and their total duration in seconds; NotImplementedError skips."""
    if dataset in _CACHE:
        return _CACHE[dataset]
    from n1codec.wav import parse_wav
    if dataset == "synthetic":
        from n1codec.tools import synthetic
        wavs = [synthetic.wav_bytes(synthetic.n1_like(seconds=SYNTHETIC_SECONDS, seed=i))
                for i in range(SYNTHETIC_FILES)]
    else:
        folder = _dev_folder()
        files = sorted(folder.glob("*.wav")) if folder.is_dir() else []
        if not files:
            raise NotImplementedError(f"no real recordings at {folder}")
        step = max(1, len(files) // REAL_FILES)
        wavs = [f.read_bytes() for f in files[::step][:REAL_FILES]]
    duration = 0.0
    for w in wavs:
        parsed = parse_wav(w)
        duration += parsed.frames / parsed.sample_rate
    _CACHE[dataset] = (wavs, duration)
    return _CACHE[dataset]


def resolve(codec):
    """The codec's pipeline, or NotImplementedError (asv: skipped) when absent at this commit."""
    import n1codec
    try:
        return n1codec.get_codec(codec)
    except n1codec.N1CodecError as exc:  # unknown here, or its optional dependency is missing
        raise NotImplementedError(str(exc))


class _Base:
    params = (CODECS, DATASETS)
    param_names = ["codec", "data"]
    timeout = 300

    def setup(self, codec, data):
        from n1codec import decode_to_wav_bytes, encode_wav_bytes
        self.pipeline = resolve(codec)
        self.wavs, self.duration = load(data)
        self.encode = encode_wav_bytes
        self.decode = decode_to_wav_bytes
        self.blobs = [encode_wav_bytes(w, codec=self.pipeline) for w in self.wavs]

    def _encode_all(self):
        for w in self.wavs:
            self.encode(w, codec=self.pipeline)

    def _decode_all(self):
        for b in self.blobs:
            self.decode(b)


class Encode(_Base):
    def time_encode(self, codec, data):
        self._encode_all()

    def peakmem_encode(self, codec, data):
        self._encode_all()

    def track_encode_seconds_per_signal_second(self, codec, data):
        """Single-core encode time per second of recording (1/xRT), best of 3; lower is better."""
        return _best_of(self._encode_all, 3) / self.duration

    track_encode_seconds_per_signal_second.unit = "s/s"


class Decode(_Base):
    def time_decode(self, codec, data):
        self._decode_all()

    def peakmem_decode(self, codec, data):
        self._decode_all()

    def track_decode_seconds_per_signal_second(self, codec, data):
        """Single-core decode time per second of recording (1/xRT), best of 3; lower is better."""
        return _best_of(self._decode_all, 3) / self.duration

    track_decode_seconds_per_signal_second.unit = "s/s"


class Size(_Base):
    def track_compressed_bytes_per_original_byte(self, codec, data):
        """1/ratio over whole files (headers included); lower is better."""
        return sum(len(b) for b in self.blobs) / sum(len(w) for w in self.wavs)

    track_compressed_bytes_per_original_byte.unit = "bytes/byte"


def _best_of(func, repeats):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


#: The flagship's levels, through n1codec.encode / n1codec.decode on int16 arrays.
N1_LEVELS = ["n1:fast", "n1", "n1:max"]


class N1Arrays:
    """Each n1 level on arrays (the public API without WAV handling), single-threaded.

    Besides 1/xRT, each speed is also tracked relative to a numpy copy of the same
    samples timed in the same setup (codec time / copy time: how many copies the
    codec costs; lower is better), which varies far less across machines and load.
    asv_benchmarks/speed_report.py prints the same figures as a table.
    """

    params = (N1_LEVELS, DATASETS)
    param_names = ["codec", "data"]
    timeout = 300

    def setup(self, codec, data):
        import numpy as np
        import n1codec
        from n1codec.wav import parse_wav
        self.pipeline = resolve(codec)
        wavs, self.duration = load(data)
        self.arrays = [np.ascontiguousarray(parse_wav(w).samples.reshape(-1)) for w in wavs]
        self.dests = [np.empty_like(x) for x in self.arrays]
        self.n1 = n1codec
        self.blobs = [n1codec.encode(x, codec=self.pipeline) for x in self.arrays]
        self.copy_seconds = _best_of(self._copy_all, 5)

    def _copy_all(self):
        import numpy as np
        for x, y in zip(self.arrays, self.dests):
            np.copyto(y, x)

    def _encode_all(self):
        for x in self.arrays:
            self.n1.encode(x, codec=self.pipeline)

    def _decode_all(self):
        for b in self.blobs:
            self.n1.decode(b)

    def track_encode_seconds_per_signal_second(self, codec, data):
        """Encode time per second of recording (1/xRT), best of 3; lower is better."""
        return _best_of(self._encode_all, 3) / self.duration

    track_encode_seconds_per_signal_second.unit = "s/s"

    def track_decode_seconds_per_signal_second(self, codec, data):
        """Decode time per second of recording (1/xRT), best of 3; lower is better."""
        return _best_of(self._decode_all, 3) / self.duration

    track_decode_seconds_per_signal_second.unit = "s/s"

    def track_encode_copies(self, codec, data):
        """Encode time over the time of a numpy copy of the same samples; lower is better."""
        return _best_of(self._encode_all, 3) / self.copy_seconds

    track_encode_copies.unit = "copies"

    def track_decode_copies(self, codec, data):
        """Decode time over the time of a numpy copy of the same samples; lower is better."""
        return _best_of(self._decode_all, 3) / self.copy_seconds

    track_decode_copies.unit = "copies"


#: The n1 levels on one 384-channel chunk (a Neuropixels probe's second), and joint coding.
CHUNK_CODECS = ["n1:fast", "n1", "n1(joint=true)"]


class N1Chunk:
    """n1 on a 2-D (frames x channels) chunk through n1codec.encode / decode, one thread:
    the path SpikeInterface's zarr chunks and chunked .n1 files take (independent
    channels are decoded straight into the interleaved array; joint coding codes them
    together). Data: SYNTHETIC, synthetic.probe_like, 1 s x 384 channels at 30 kHz."""

    params = (CHUNK_CODECS,)
    param_names = ["codec"]
    timeout = 600

    def setup(self, codec):
        import n1codec
        from n1codec.pipeline import Pipeline
        from n1codec.tools import synthetic
        self.pipeline = resolve(codec)
        self.saved_threads, Pipeline.threads = Pipeline.threads, 1  # decode() builds its own pipeline
        self.samples = synthetic.probe_like(seconds=1.0, seed=3, channels=384)
        self.n1 = n1codec
        self.blob = n1codec.encode(self.samples, codec=self.pipeline)
        # the model choices of the second before, as a chunked file's chunks follow their lead
        lead = synthetic.probe_like(seconds=1.0, seed=4, channels=384).view("u2")
        self.choices = self.pipeline.model_choices(self.pipeline.encode(lead, threads=1), 384)

    def teardown(self, codec):
        from n1codec.pipeline import Pipeline
        Pipeline.threads = self.saved_threads

    def track_encode_seconds_per_signal_second(self, codec):
        """Encode time per second of the chunk's recording (1/xRT), best of 3."""
        return _best_of(lambda: self.n1.encode(self.samples, codec=self.pipeline), 3)

    track_encode_seconds_per_signal_second.unit = "s/s"

    def track_decode_seconds_per_signal_second(self, codec):
        """Decode time per second of the chunk's recording (1/xRT), best of 3."""
        return _best_of(lambda: self.n1.decode(self.blob), 3)

    track_decode_seconds_per_signal_second.unit = "s/s"

    def track_following_encode_seconds_per_signal_second(self, codec):
        """Encode time per second of the chunk taking an earlier chunk's model choices (a
        chunked file's chunks after their lead; a codec that tries nothing: its encode),
        through the pipeline (no container), best of 3."""
        patterns = self.samples.view("u2")
        return _best_of(lambda: self.pipeline.encode(patterns, threads=1, follow=self.choices), 3)

    track_following_encode_seconds_per_signal_second.unit = "s/s"

    def track_compressed_bytes_per_original_byte(self, codec):
        """Compressed bytes per original byte (1/ratio)."""
        return len(self.blob) / self.samples.nbytes

    track_compressed_bytes_per_original_byte.unit = "bytes/byte"
