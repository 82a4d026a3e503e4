"""Exporting a run as a standalone PyTorch script."""
