"""Benchmarks: `python -m bench [--quick]` runs every figure (see __main__.py)."""
