"""The `n1codec` command line: encode, decode, info, list, bench.

Errors a user can cause (missing file, corrupt .n1, unsupported WAV, existing
output) print one line to stderr and exit 1; usage errors exit 2. Heavy modules
are imported inside the subcommand that needs them.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

PROG = "n1codec"


def _cmd_encode(args) -> int:
    from ..api import compress_file
    header = compress_file(args.input, args.output, codec=args.codec, force=args.force, verify=args.verify)
    if not args.quiet:
        print(f"{args.input} -> {args.output}: {header.original_size} -> {header.file_size} bytes "
              f"(ratio {header.original_size / header.file_size:.3f}, codec {header.spec})")
    return 0


def _cmd_decode(args) -> int:
    from ..api import decompress_file
    header = decompress_file(args.input, args.output, force=args.force, max_samples=args.max_samples or None)
    if not args.quiet:
        print(f"{args.input} -> {args.output}: {header.original_size} bytes, CRC-32 verified")
    return 0


def _cmd_folder(action: str, rest: List[str]) -> int:
    from .batch import main as batch_main
    return batch_main(rest, prog=f"{PROG} {action}-folder", action=action)


def _cmd_info(args) -> int:
    from pathlib import Path

    from ..api import info
    header = info(Path(args.input).read_bytes())
    fields = {
        "file": str(args.input),
        "format_version": header.version,
        "codec": header.spec,
        "sample_rate": header.sample_rate,
        "channels": header.channels,
        "frames": header.frames,
        "duration_s": round(header.duration, 6) if header.sample_rate else None,
        "source": ("wav (canonical header)" if header.flags & 1 else
                   "wav (header stored verbatim)" if header.flags & 2 else "array"),
        "original_bytes": header.original_size,
        "compressed_bytes": header.file_size,
        "ratio": round(header.original_size / header.file_size, 4),
        "bits_per_sample": round(8 * header.payload_size / header.samples, 4) if header.samples else None,
        "crc32": f"0x{header.crc32:08x}",
    }
    if args.json:
        print(json.dumps(fields, indent=2))
    else:
        width = max(len(k) for k in fields)
        for key, value in fields.items():
            print(f"{key:<{width}}  {value}")
    return 0


def _cmd_list(args) -> int:
    from .. import list_aliases, list_codecs
    rows, aliases = list_codecs(), list_aliases()
    if args.json:
        print(json.dumps({"components": rows, "aliases": aliases}, indent=2))
        return 0
    print("Stages and coders (chain them with '+': stage+stage+coder, e.g. delta+huffman):")
    for row in rows:
        status = "yes" if row["available"] else f"no ({row['install'] or 'missing dependency'})"
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items())
        print(f"  {row['id']:<14} {row['kind']:<6} {row['family']:<11} available: {status:<4} "
              f"{row['description']}" + (f" [{params}]" if params else ""))
    print("\nAliases (the N1 codec study's row names):")
    for name, spec in sorted(aliases.items()):
        print(f"  {name:<22} = {spec}")
    return 0


def _cmd_bench(args) -> int:
    from .bench import run_bench_cli
    return run_bench_cli(args)


def _sample_limit(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def add_max_samples_argument(parser) -> None:
    from ..api import DEFAULT_MAX_SAMPLES
    parser.add_argument("--max-samples", type=_sample_limit, default=DEFAULT_MAX_SAMPLES, metavar="N",
                        help="refuse a file that declares more than N samples (all channels), before "
                             "allocating anything; 0: no limit (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    from ..api import DEFAULT_CODEC
    parser = argparse.ArgumentParser(
        prog=PROG, description="Lossless codecs for neural electrophysiology (Neuralink N1 recordings).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("encode", help="compress a 16-bit PCM WAV file into an .n1 file")
    p.add_argument("input", help="WAV file to compress (never modified)")
    p.add_argument("output", help=".n1 file to write")
    p.add_argument("--codec", "-c", default=DEFAULT_CODEC,
                   help=f"codec spec or alias (default: {DEFAULT_CODEC}; see 'n1codec list')")
    p.add_argument("--force", "-f", action="store_true", help="overwrite the output if it exists")
    p.add_argument("--verify", action="store_true", help="decode and compare before writing")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    p.set_defaults(func=_cmd_encode)

    p = sub.add_parser("decode", help="decompress an .n1 file into the original WAV file")
    p.add_argument("input", help=".n1 file to decompress")
    p.add_argument("output", help="WAV file to write")
    p.add_argument("--force", "-f", action="store_true", help="overwrite the output if it exists")
    add_max_samples_argument(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    p.set_defaults(func=_cmd_decode)

    for action in ("compress", "decompress"):
        p = sub.add_parser(f"{action}-folder", add_help=False,
                           help=f"{action} every file of a folder, locally or on a dask cluster "
                                f"(see 'n1codec {action}-folder --help')")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=lambda args, action=action: _cmd_folder(action, args.rest))

    p = sub.add_parser("info", help="show an .n1 file's codec, rate, channels, sizes, ratio and CRC")
    p.add_argument("input", help=".n1 file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("list", help="list every codec stage and coder, and the study's aliases")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_list)

    from .bench import add_bench_arguments
    p = sub.add_parser("bench", help="measure ratio and speed of codecs on recordings "
                                     "(default: the embedded synthetic set)")
    add_bench_arguments(p)
    p.set_defaults(func=_cmd_bench)

    from .evaluate import add_eval_arguments, add_kit_arguments, run_eval_cli, run_kit_cli
    p = sub.add_parser("eval", help="score a codec as the challenge's eval.sh does "
                                    "(encode and decode processes per file, byte comparison)")
    add_eval_arguments(p)
    p.set_defaults(func=run_eval_cli)

    p = sub.add_parser("challenge-kit", help="write executable encode/decode files for the challenge's eval.sh")
    add_kit_arguments(p)
    p.set_defaults(func=run_kit_cli)

    from .analyze_cmd import add_analyze_arguments, run_analyze_cli
    p = sub.add_parser("analyze", help="statistics, spectra, spikes and entropy of recordings: "
                                       "a Markdown report with figures and CSVs")
    add_analyze_arguments(p)
    p.set_defaults(func=run_analyze_cli)

    from .realtime_replay import add_arguments as add_realtime_arguments, run_cli as run_realtime_cli
    p = sub.add_parser("realtime", help="replay recordings through the real-time (1 ms frame) mode: "
                                        "ratio, latency, throughput, margin")
    add_realtime_arguments(p)
    p.set_defaults(func=run_realtime_cli)
    return parser


def _version() -> str:
    from .. import __version__
    return __version__


def main(argv: Optional[List[str]] = None) -> int:
    from ..errors import N1CodecError, OutputExistsError
    args_list = sys.argv[1:] if argv is None else list(argv)
    if args_list and args_list[0] in ("compress-folder", "decompress-folder"):
        # Forwarded whole (options included) to the batch tool's own parser.
        return _cmd_folder(args_list[0].split("-")[0], args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return args.func(args)
    except (N1CodecError, OSError) as exc:
        message = str(exc)
        if isinstance(exc, OutputExistsError):  # the option's name on this side of the API
            message = message.replace("force=True", "--force")
        elif isinstance(exc, OSError) and exc.filename and exc.strerror:
            message = f"{exc.filename}: {exc.strerror}"
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
