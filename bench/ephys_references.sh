#!/bin/sh
# Real recordings from other systems: n1 and n1:max against the field's lossless choices.
#
# Reproduces docs/bench/ephys-dev/ (README, "Real recordings from other systems"): every
# .npy recording of the ephys dev set (int16, samples x channels; rates from its
# manifest.json) coded as a 2-D array by n1 and n1:max, and by the reference rows in the
# same run (WavPack -hhx3 command line and libwavpack, FLAC -8, SpikeInterface's Blosc zstd 5
# bitshuffle, delta+zlib6 and mtscomp), every decode compared element for element.
# The ratio-per-recording table is in OUT/results.md.
#
# Needs: the wavpack command line (apt-get install wavpack) for the WavPack CLI row,
# libwavpack1, and pip install "n1codec[references]" (numcodecs, soundfile, mtscomp);
# a missing tool skips its row with the reason. About 2 minutes on one core.
#
#   sh bench/ephys_references.sh [DATA] [OUT]
set -eu
DATA=${1:-../shared/ephys-data/dev}
OUT=${2:-docs/bench/ephys-dev}
exec n1codec bench "$DATA" --codecs n1,n1:max --references --repeats 3 --out "$OUT" --force
