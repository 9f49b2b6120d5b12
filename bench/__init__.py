"""Benchmarks for `make bench`: figures printed as ratios against a baseline of the same run."""
