"""Benchmarks. Run `bench/run` or `python bench/lifecycle.py --help`; see bench/README.md."""
