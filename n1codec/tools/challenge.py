"""The challenge's per-file commands: ``./encode IN OUT`` and ``./decode IN OUT``.

eval.sh starts one process per file, so this module imports only the container
path: no CLI parser, no plotting, no optional codec libraries. Two front doors
share one runner:

* ``n1-encode IN OUT`` / ``n1-decode IN OUT`` (console scripts, default codec);
* ``python -m n1codec.tools.challenge encode CODEC IN OUT`` / ``... decode IN OUT``,
  which the scripts written by ``n1codec challenge-kit`` call for any codec.

For the n1 levels, ``n1codec challenge-kit`` writes the native programs instead
(``n1c-encode`` / ``n1c-decode``, csrc/tools/): no Python start-up per file.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence

ACTIONS = ("encode", "decode")


def run_file_command(action: str, source: str, target: str, codec: Optional[str], prog: str) -> int:
    """Encode or decode one file, overwriting the output as the challenge's tools do; 0 or 1."""
    from ..errors import N1CodecError
    try:
        from .. import api
        if action == "encode":
            api.compress_file(source, target, codec=codec or api.DEFAULT_CODEC, force=True)
        else:
            api.decompress_file(source, target, force=True)
    except (N1CodecError, OSError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _console(argv, action: str) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] in ("-h", "--help"):
        print(f"usage: n1-{action} INPUT OUTPUT\n  {action} one file as the Neuralink compression "
              "challenge's eval.sh expects (overwrites OUTPUT)", file=sys.stderr)
        return 2
    return run_file_command(action, args[0], args[1], None, f"n1-{action}")


def encode_main(argv=None) -> int:
    return _console(argv, "encode")


def decode_main(argv=None) -> int:
    return _console(argv, "decode")


def kit_main(argv: Optional[Sequence[str]] = None) -> int:
    """``encode CODEC INPUT OUTPUT`` or ``decode INPUT OUTPUT``: what challenge-kit's scripts run."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ACTIONS or len(args) != (4 if args[0] == "encode" else 3):
        print("usage: python -m n1codec.tools.challenge encode CODEC INPUT OUTPUT\n"
              "       python -m n1codec.tools.challenge decode INPUT OUTPUT", file=sys.stderr)
        return 2
    if args[0] == "encode":
        return run_file_command("encode", args[2], args[3], args[1], "n1codec encode")
    return run_file_command("decode", args[1], args[2], None, "n1codec decode")


if __name__ == "__main__":
    sys.exit(kit_main())
