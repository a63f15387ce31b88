# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Bindings to the C core (csrc/): buffers in, buffers out, the GIL released around C work.

One include per family (named like its csrc/ folder and its n1codec/codecs/ module); all of them share
the status-to-exception mapping in native/common.pxi.
"""
import numpy as np

include "native/common.pxi"
include "native/predict.pxi"
include "native/entropy.pxi"
include "native/transform.pxi"
include "native/n1.pxi"
include "native/realtime.pxi"
