"""`python -m bench`: run every benchmark module's run() in turn (the machine is shared and noisy,
so each module compares against a baseline it measures itself)."""
import importlib
import sys

MODULES = ["bench.build"]

for name in MODULES if len(sys.argv) < 2 else [f"bench.{n}" for n in sys.argv[1:]]:
    importlib.import_module(name).run()
    print()
