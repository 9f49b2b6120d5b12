"""Run every benchmark module of this package: ``python -m bench [NAME ...]``."""
from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    chosen = [n for n in names if not argv or n in argv]
    unknown = sorted(set(argv) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "run"):
            module.run()
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
