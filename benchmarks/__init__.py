"""Benchmarks (``make bench``): each ``bench_*.py`` module has ``main(full: bool) -> dict``."""
