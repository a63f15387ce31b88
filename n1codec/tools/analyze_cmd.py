"""`n1codec analyze`: arguments, checks, then the analysis and its report."""
from __future__ import annotations

import sys
from pathlib import Path

from . import report
from .analysis import (DEFAULT_NEO_C, DEFAULT_REFRACTORY_MS, PREFERRED_CODECS, analyze)
from .outputs import prepare_output_folder

#: Every file `n1codec analyze` writes into its --out folder.
ANALYZE_OUTPUTS = ("report.md", "per_file.csv", "global.csv", *report.FIGURES.values())


def add_analyze_arguments(parser) -> None:
    parser.add_argument("data", nargs="?", default=None,
                        help="folder of WAV files or a .zip of them (default: the embedded synthetic set)")
    parser.add_argument("--out", "-o", required=True, help="folder to write the report, figures and CSVs into")
    parser.add_argument("--codec", "-c", default=None,
                        help="codec whose achieved bits per sample are measured "
                             f"(default: the best available of {', '.join(PREFERRED_CODECS)}; 'none' skips it)")
    parser.add_argument("--nleo-c", "--neo-c", dest="neo_c", type=float, default=DEFAULT_NEO_C,
                        help="spike threshold: C x mean of the NEO (default: %(default)s)")
    parser.add_argument("--refractory-ms", type=float, default=DEFAULT_REFRACTORY_MS,
                        help="threshold crossings closer than this merge into one spike (default: %(default)s)")
    parser.add_argument("--spike-band", default="300,3000",
                        help="LOW,HIGH band (Hz) the NEO runs on, or 'none' for the raw signal (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="use at most N files")
    parser.add_argument("--no-figures", action="store_true",
                        help="write the CSVs and a report without figures (no matplotlib needed)")
    parser.add_argument("--force", "-f", action="store_true",
                        help="write into an --out folder that already holds files (a previous report's "
                             "files are replaced)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")


def parse_band(text: str):
    """'300,3000' -> (300.0, 3000.0); 'none' -> None; anything else -> False."""
    if text.strip().lower() in ("none", "raw", "off"):
        return None
    try:
        low, high = (float(v) for v in text.split(","))
    except ValueError:
        return False
    return (low, high) if 0 <= low < high else False


def run_analyze_cli(args) -> int:
    if not args.no_figures and not report.plotting_available():
        print('n1codec: error: the figures of `n1codec analyze` need matplotlib: '
              'pip install "n1codec[analysis]" (or pass --no-figures for the CSVs and a report without them)',
              file=sys.stderr)
        return 1
    if args.limit is not None and args.limit < 1:
        print("n1codec: error: --limit must be >= 1", file=sys.stderr)
        return 2
    band = parse_band(args.spike_band)
    if band is False:
        print(f"n1codec: error: --spike-band must be LOW,HIGH in Hz with 0 <= LOW < HIGH, or none; "
              f"got {args.spike_band!r}", file=sys.stderr)
        return 2
    if not args.neo_c > 0 or not args.refractory_ms >= 0:
        print("n1codec: error: --nleo-c must be > 0 and --refractory-ms >= 0", file=sys.stderr)
        return 2
    out = Path(args.out)
    prepare_output_folder(out, args.force, ANALYZE_OUTPUTS)
    result = analyze(args.data, codec=args.codec, neo_c=args.neo_c, refractory_ms=args.refractory_ms,
                     limit=args.limit, progress=not args.quiet, band=band)
    path = report.write_report(result, out, figures=not args.no_figures)
    if not args.quiet:
        g = result.global_statistics()
        print(f"analysed {len(result.files)} recordings of {result.source} in {result.seconds:.1f} s")
        print(f"pooled amplitude: mean {g['mean']:.2f}, median {g['median']:g}, std {g['std']:.2f}, "
              f"skewness {g['skewness']:.4f}, kurtosis {g['kurtosis']:.2f} (excess {g['excess_kurtosis']:.2f})")
        print(f"spectral entropy: mean {g['spectral_entropy_mean']:.3f} bits, std {g['spectral_entropy_std']:.3f}")
        print(f"report: {path}")
    return 0
