"""The row names of the original N1 codec study, as aliases of our pipelines.

The study compared 24 lossless algorithms under these names; keeping them lets
its grid be re-run as is (``n1codec bench --codecs study``). Each alias maps to
the pipeline with the same algorithm and settings. Rows whose codecs are not
registered yet stay out of the table rather than pointing at nothing.
"""
from .registry import register_alias

#: study row -> our pipeline spec (same algorithm and settings as the study)
STUDY_ROWS = {
    "huff": "huffman",
    "delta_huff": "delta+huffman",
}

for _row, _spec in STUDY_ROWS.items():
    register_alias(_row, _spec)
