import sys

try:  # Ctrl-C while the command line is still being imported: the same one line as later
    from helpers.cli import main
except KeyboardInterrupt:
    exec("pass")  # noqa: S102 (clears Python's mark of an unhandled interrupt: see cli.main)
    print("interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
