"""The command line: ``python -m helpers <command>``. Every job a scheduler or a test needs.

Errors in the data or the configuration are printed as one line on stderr with exit status 2;
a report that fails to build exits 1. No traceback reaches the user for a mistake of theirs.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from helpers import paths
from helpers.errors import DesertionSeriesError

EXIT_CONFLICT = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="desertion-series: turn the numbers news articles quote about desertion into an "
                    "exact monthly series, with every number beside the words it rests on.",
        epilog="Exit status: 0 done, 1 a report failed to build, 2 bad data or usage, "
               "3 claims conflict (reconstruct --strict).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data", type=Path, default=None, metavar="DIR",
                         help="data directory (sources/, claims/, vocabulary.yml, readings.yml); "
                              "default: the bundled data/")

    validate = commands.add_parser(
        "validate", help="check the data set: schema, sources, hashes, quotes",
        description="Load and check every file of the data set; print a summary, or one line "
                    "naming the file, line and claim that is wrong.")
    data_option(validate)

    recon = commands.add_parser(
        "reconstruct", help="print the monthly ranges the claims allow",
        description="Reconstruct a monthly series: for every month the exact smallest and largest "
                    "whole number that all claims allow, and the claims each bound rests on.")
    data_option(recon)
    recon.add_argument("--reading", metavar="NAME", help="reading from readings.yml (default: the data set's)")
    recon.add_argument("--series", metavar="NAME", help="series to reconstruct (default: the reading's)")
    recon.add_argument("--format", choices=["table", "json", "csv"], default="table",
                       help="output format (default: table); json is the documented contract")
    recon.add_argument("--strict", action="store_true",
                       help=f"exit {EXIT_CONFLICT} when the claims conflict (they are reported either way)")

    export = commands.add_parser(
        "export", help="write the series, claims and annotations for other tools",
        description="Write series.csv, claims.csv, a Frictionless datapackage.json describing "
                    "them, and annotations.jsonld (one W3C Web Annotation per claim) into --out.")
    data_option(export)
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    export.add_argument("--reading", metavar="NAME", help="reading (default: the data set's)")
    export.add_argument("--series", metavar="NAME", help="series (default: the reading's)")

    build = commands.add_parser(
        "build", help="execute the report notebooks and write HTML reports",
        description="Execute each report notebook with papermill in the project's kernel and export "
                    "it with nbconvert to self-contained HTML in the output directory.")
    data_option(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output directory (default: the bundled reports/)")
    build.add_argument("--reading", metavar="NAME", help="reading for the report (default: the data set's)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DesertionSeriesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _validate(args: argparse.Namespace) -> int:
    from helpers.coverage import uncovered_numbers
    from helpers.dataset import load_dataset

    dataset = load_dataset(args.data)
    uncovered = uncovered_numbers(dataset)
    for item in uncovered:
        print(f"error: {item.message(dataset.directory.name)}", file=sys.stderr)
    if uncovered:
        return 2
    print(f"{dataset.directory.name}/: {len(dataset.sources)} source(s), {len(dataset.claims)} claims, "
          f"{len(dataset.readings.by_name)} readings: all valid")
    return 0


def _reconstruct(args: argparse.Namespace) -> int:
    from helpers.dataset import load_dataset
    from helpers.reconstruct import format_csv, format_json, format_table, reconstruct

    rec = reconstruct(load_dataset(args.data), reading=args.reading, series=args.series)
    formatter = {"table": format_table, "json": format_json, "csv": format_csv}[args.format]
    sys.stdout.write(formatter(rec).rstrip("\n") + "\n")
    return EXIT_CONFLICT if args.strict and not rec.feasible else 0


def _export(args: argparse.Namespace) -> int:
    from helpers.dataset import load_dataset
    from helpers.export import export_all
    from helpers.reconstruct import reconstruct

    dataset = load_dataset(args.data)
    rec = reconstruct(dataset, reading=args.reading, series=args.series)
    for path in export_all(rec, dataset, args.out):
        print(f"written: {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from helpers.build import build_reports

    out = args.out or paths.default_reports_dir()
    started = time.monotonic()
    written = build_reports(data_dir=args.data, out_dir=out, reading=args.reading, quiet=args.quiet)
    if not args.quiet:
        for path in written:
            print(f"report written: {path}")
        print(f"done in {time.monotonic() - started:.1f} s")
    return 0


COMMANDS = {"validate": _validate, "reconstruct": _reconstruct, "export": _export,
            "build": _build}
