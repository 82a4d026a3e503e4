"""Benchmark scripts that print figures; run them from the repository root as `python -m bench.<script>`."""
