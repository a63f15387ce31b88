"""`n1-encode IN OUT` and `n1-decode IN OUT`: drop-in for the challenge's ./encode and ./decode.

eval.sh calls them once per file, so they import only the container path:
no CLI parser, no plotting, no optional codec libraries.
"""
from __future__ import annotations

import sys


def _run(argv, action: str) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] in ("-h", "--help"):
        print(f"usage: n1-{action} INPUT OUTPUT\n  {action} one file as the Neuralink compression "
              "challenge's eval.sh expects (overwrites OUTPUT)", file=sys.stderr)
        return 2
    from .errors import N1CodecError
    try:
        from . import api
        if action == "encode":
            api.compress_file(args[0], args[1], codec=api.DEFAULT_CODEC, force=True)
        else:
            api.decompress_file(args[0], args[1], force=True)
    except (N1CodecError, OSError) as exc:
        print(f"n1-{action}: error: {exc}", file=sys.stderr)
        return 1
    return 0


def encode_main(argv=None) -> int:
    return _run(argv, "encode")


def decode_main(argv=None) -> int:
    return _run(argv, "decode")
