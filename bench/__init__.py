"""Benchmarks, run by ``make bench`` (``python -m bench`` from the repository root).

Each module in this package with a ``run()`` function is one benchmark; ``__main__`` runs them
all in name order. Figures are printed as ratios against a baseline measured in the same run,
so they compare across machines; absolute seconds are printed for information.
"""
