"""The row names of the original N1 codec study, as aliases of our pipelines.

The study compared 24 lossless algorithms under these names; keeping them lets
its grid be re-run as is (``n1codec bench --codecs huff,delta_huff,...``). Each
row maps to the pipeline with the same algorithm and settings; ``delta_X`` is
``delta+X`` (order-1 differences modulo 2^16, then X). The settings the study
used are the defaults of our coders (their descriptions in ``n1codec list``
state them), so the stored specs stay short:

* zstd: python-zstandard, level 22
* blosc_*: numcodecs Blosc, clevel 9 on the stream's bytes (1-byte items, so no
  shuffle; one block per channel), with the named inner codec
* gzip: stdlib gzip level 9; lzma: stdlib lzma (xz), preset 6; bz2: stdlib bz2, level 9
* lz4: lz4.frame, compression_level 0 (the library default; reaches 1.34 on dev,
  above the study's 1.11, which an accelerated mode near lz4:-8 gives)
* lstd_numcodec: numcodecs.Zstd, level 22
* wavpack: libwavpack, lossless, high mode (level 3; the study's wrapper
  defaults to fast mode, which reaches only 1.478 on dev with libwavpack 5.6)

A row whose name is already a coder's name (``zstd``, ``gzip``, ``lzma``,
``lz4``, ``bz2``, ``wavpack``) resolves to that coder directly and is not
registered again as an alias. The registry registers these rows when it loads;
the study's published figures live with the bench, in :mod:`n1codec.tools.study`.
"""
#: study row -> our pipeline spec (same algorithm and settings as the study), in the study's order
STUDY_ROWS = {
    "huff": "huffman",
    "delta_huff": "delta+huffman",
    "zstd": "zstd",
    "delta_zstd": "delta+zstd",
    "blosc_zstd": "blosc:zstd",
    "delta_blosc_zstd": "delta+blosc:zstd",
    "blosc_lz4": "blosc:lz4",
    "delta_blosc_lz4": "delta+blosc:lz4",
    "blosc_lz4hc": "blosc:lz4hc",
    "delta_blosc_lz4hc": "delta+blosc:lz4hc",
    "blosc_zlib": "blosc:zlib",
    "delta_blosc_zlib": "delta+blosc:zlib",
    "gzip": "gzip",
    "delta_gzip": "delta+gzip",
    "lzma": "lzma",
    "delta_lzma": "delta+lzma",
    "lz4": "lz4",
    "delta_lz4": "delta+lz4",
    "lstd_numcodec": "numcodecs_zstd",
    "delta_lstd_numcodec": "delta+numcodecs_zstd",
    "bz2": "bz2",
    "delta_bz2": "delta+bz2",
    "wavpack": "wavpack",
    "delta_wavpack": "delta+wavpack",
}
