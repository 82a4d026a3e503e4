"""Runs kept: the in-memory run history, run names, checkpoints, metric series and CSV."""
