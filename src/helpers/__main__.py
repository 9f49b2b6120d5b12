import sys

try:  # Ctrl-C while the command line is still being imported: the same one line as later
    from helpers.cli import main
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
