# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Bindings to the C core (csrc/): buffers in, buffers out, the GIL released around C work.

One include per family keeps each binding beside the C it wraps; all of them share
the status-to-exception mapping in native/common.pxi.
"""
import numpy as np

include "native/common.pxi"
include "native/checksum.pxi"
include "native/delta.pxi"
include "native/huffman.pxi"
include "native/n1.pxi"
include "native/predictive.pxi"
include "native/entropy_adaptive.pxi"
include "native/transform.pxi"
include "native/realtime.pxi"
