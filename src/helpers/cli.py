"""The command line: ``python -m helpers <command>``. Every job a scheduler or a test needs.

Errors in the data or the configuration are printed as one line on stderr with exit status 2;
a report that fails to build exits 1. No traceback reaches the user for a mistake of theirs.
"""
from __future__ import annotations

import argparse
import codecs
import signal
import sys
import time
import unicodedata
from pathlib import Path

from helpers import paths
from helpers.engine.budget import DEFAULT_BUDGET
from helpers.errors import DesertionSeriesError, UsageError


EXIT_CONFLICT = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="desertion-series: turn the numbers news articles quote about desertion into an "
                    "exact monthly series, with every number beside the words it rests on.",
        epilog="Exit status: 0 done, 1 a report failed to build, 2 bad data or usage or an "
               "output directory that cannot be written, "
               "3 claims conflict (reconstruct --strict, build --strict), "
               "130 interrupted (Ctrl-C). A reconstruct whose --budget runs out before anything "
               "is known exits 1.")
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
    recon.add_argument("--period", action="append", default=[], metavar="PERIOD",
                       help="also give the total of this period, with what it rests on: "
                            "2023-01..2023-12, 2023-09, 2023 (a calendar year) or 2023-Q3 (a quarter); "
                            "it must lie within the window; repeatable. With --format csv, one row "
                            "per period asked for instead of one per month")
    recon.add_argument("--strict", action="store_true",
                       help=f"exit {EXIT_CONFLICT} when the claims conflict (they are reported either way)")
    recon.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                       help=f"time for the whole reconstruction (default: {DEFAULT_BUDGET:g}); when it "
                            "runs out, what is proven is printed as usual and every other bound as "
                            "'not proven' with the interval it is known to lie in (never a guess); "
                            "progress is shown on stderr when it is a terminal")

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
        description="Build the reports listed in notebooks/reports.yml: execute each notebook with "
                    "papermill in the project's kernel, export it with nbconvert to self-contained "
                    "HTML (<name>.html for readers, <name>.code.html with the code), and write an "
                    "index page and the exports. Reports whose inputs have not changed are skipped.",
        epilog="Exit status: 0 every report built or up to date; 1 some report failed (the others "
               "are still built, the failed run is kept in <out>/.failed/); 2 bad data or "
               "configuration (nothing is run); 3 with --strict, the claims of some report conflict "
               "(one warning line per such report, printed with or without --strict).")
    data_option(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output directory (default: the bundled reports/)")
    build.add_argument("--only", nargs="+", metavar="NAME", help="build only these reports")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="reports run in parallel (default: one per 6 reports, up to the number of cores)")
    build.add_argument("--force", action="store_true", help="rebuild even the reports that are current")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on this Dask distributed scheduler (tcp://host:8786) instead of "
                            "local processes; needs the 'dask' extra")
    build.add_argument("--timeout", type=int, default=None, metavar="SECONDS",
                       help="longest a cell may run, at least 1 (default: 600)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors and conflict warnings")
    build.add_argument("--strict", action="store_true",
                       help="exit 3 when the claims of a report conflict under its reading (after building)")
    return parser


def _stop(signum, frame):
    """Ctrl-C (SIGINT) and a scheduler's SIGTERM unwind the same way, so atomic writes remove
    their temporaries and a build stops its workers and kernels. A second signal while that
    clean-up runs is ignored: it would cut it short, and add a traceback to the one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


# What a terminal that cannot show a character gets instead ("−5" stays "-5", never "?5").
_PLAIN = {"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "--",
          "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
          "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2026": "...", "\u2264": "<=",
          "\u2265": ">=", "\u2260": "!=", "\u00d7": "x", "\u2192": "->", "\u2190": "<-",
          "\u00b7": ".", "\u2022": "*", "\u00a0": " ", "\u2009": " ", "\u202f": " "}


def _plain_characters(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: an ASCII stand-in for each character the terminal cannot encode."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = []
    for char in error.object[error.start:error.end]:
        plain = _PLAIN.get(char)
        if plain is None:  # é -> e; what has no ASCII letter in it becomes "?"
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
        shown.append(plain)
    return "".join(shown), error.end


def _degrade_on_narrow_terminals() -> None:
    """On a terminal that is not UTF-8 (PYTHONIOENCODING=ascii, a Latin-1 locale), print what
    it cannot show in plain ASCII instead of failing with UnicodeEncodeError."""
    codecs.register_error("helpers-plain", _plain_characters)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="helpers-plain")


def _skip_iri_grammar() -> None:
    """jsonschema imports rfc3987_syntax when it is installed (JupyterLab's dependencies bring
    it) only to check "iri" formats, which no schema here uses; building its grammar on import
    costs more than a second of every command. Command-line runs go without it."""
    sys.modules.setdefault("rfc3987_syntax", None)


def _forget_unhandled_interrupt() -> None:
    """Python (3.11 to 3.13 at least) marks a KeyboardInterrupt that leaves an exec() or eval()
    of a string as unhandled, even when it is caught further up, as ``main`` does; ``python -m``
    then ends by SIGINT (exit -2) after main's one line instead of with its status. Libraries run
    generated code that way (nbformat's validator through fastjsonschema, dataclasses,
    namedtuple), so Ctrl-C lands in it now and then: in a build, during its first report's
    export. Every such exec() starts by clearing the mark, so an empty one clears it (a Python
    that no longer marks it there is unaffected)."""
    exec("pass")  # noqa: S102 (a constant)


def main(argv: list[str] | None = None) -> int:
    _degrade_on_narrow_terminals()
    # A signal ignored from the start (a background job's SIGINT) stays ignored.
    previous = {signum: signal.signal(signum, _stop) for signum in (signal.SIGINT, signal.SIGTERM)
                if signal.getsignal(signum) is not signal.SIG_IGN}
    try:
        args = _parser().parse_args(argv)
        _skip_iri_grammar()
        return COMMANDS[args.command](args)
    except DesertionSeriesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _forget_unhandled_interrupt()
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _validate(args: argparse.Namespace) -> int:
    from helpers.data.coverage import uncovered_numbers
    from helpers.data.dataset import load_dataset

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
    from helpers.data.dataset import load_dataset
    from helpers.engine.reconstruct import reconstruct, requested_periods
    from helpers.engine.budget import Budget
    from helpers.present.formats import format_csv, format_json, format_periods_csv, format_table
    from helpers.present.progress import TerminalProgress

    periods = requested_periods(args.period)  # a malformed period stops here, before any work
    if not args.budget > 0:  # (also NaN)
        raise UsageError(f"--budget {args.budget:g}: the time for a reconstruction must be more than 0 seconds")
    progress = TerminalProgress()
    try:
        rec = reconstruct(load_dataset(args.data), reading=args.reading, series=args.series,
                          periods=periods, budget=Budget(args.budget, progress))
    finally:  # (also on Ctrl-C: the one line "interrupted" starts on a clean line)
        progress.close()
    csv_format = format_periods_csv if periods else format_csv
    formatter = {"table": format_table, "json": format_json, "csv": csv_format}[args.format]
    sys.stdout.write(formatter(rec).rstrip("\n") + "\n")
    return EXIT_CONFLICT if args.strict and not rec.feasible else 0


def _export(args: argparse.Namespace) -> int:
    from helpers.data.dataset import load_dataset
    from helpers.present.export import export_all
    from helpers.engine.reconstruct import reconstruct

    dataset = load_dataset(args.data)
    rec = reconstruct(dataset, reading=args.reading, series=args.series)
    for path in export_all(rec, dataset, args.out):
        print(f"written: {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from helpers.reports.build import build_reports

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout is not None and args.timeout < 1:
        raise UsageError(f"--timeout {args.timeout}: the longest a cell of a notebooks/ notebook "
                         f"may run must be at least 1 second")
    out = args.out or paths.default_reports_dir()
    started = time.monotonic()
    result = build_reports(data_dir=args.data, out_dir=out, only=args.only, jobs=args.jobs,
                           force=args.force, scheduler=args.scheduler, quiet=args.quiet,
                           timeout=args.timeout)
    for failure in result.failed:
        print(f"error: {failure.message}; the failed run is in {out / '.failed'}/", file=sys.stderr)
    for name, line in result.conflicts.items():
        print(f"warning: {name}: conflict: {line}", file=sys.stderr)
    if not args.quiet:
        print(f"{len(result.built)} built, {len(result.current)} up to date, "
              f"{len(result.failed)} failed in {time.monotonic() - started:.1f} s; "
              f"open {out / 'index.html'}")
    if args.strict and result.conflicts and not result.failed:
        return EXIT_CONFLICT
    return result.exit_code


COMMANDS = {"validate": _validate, "reconstruct": _reconstruct, "export": _export,
            "build": _build}
