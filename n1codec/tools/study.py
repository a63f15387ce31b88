"""The original N1 codec study's published figures: its 24 rows in order, their ratios, and the
statistics of its data set.

The rows themselves are aliases of our pipelines (:mod:`n1codec.codecs.aliases`); this
module only adds what the bench compares against.
"""
from ..codecs.aliases import STUDY_ROWS

#: The study's 24 rows, in its order.
STUDY_ORDER = tuple(STUDY_ROWS)

#: The study's whole-file compression ratios on the full 743-file set, per row.
STUDY_FIGURES = {
    "huff": 2.53, "delta_huff": 2.87, "zstd": 2.48, "delta_zstd": 2.41,
    "blosc_zstd": 2.47, "delta_blosc_zstd": 2.41, "blosc_lz4": 1.34, "delta_blosc_lz4": 1.31,
    "blosc_lz4hc": 1.83, "delta_blosc_lz4hc": 1.78, "blosc_zlib": 2.28, "delta_blosc_zlib": 2.30,
    "gzip": 2.28, "delta_gzip": 2.30, "lzma": 2.75, "delta_lzma": 2.58, "lz4": 1.11, "delta_lz4": 1.09,
    "lstd_numcodec": 2.47, "delta_lstd_numcodec": 2.41, "bz2": 3.11, "delta_bz2": 2.70,
    "wavpack": 1.49, "delta_wavpack": 1.49,
}

#: The study's data set: files, and its statistics over all of them.
STUDY_FILES = 743
STUDY_STATISTICS = {
    "mean": 975.17, "median": 992.0, "std": 3154.62, "skewness": -0.0091, "kurtosis": 59.33,
    "spectral_entropy_mean": 4.88, "spectral_entropy_std": 1.16,
}
