"""Reproducible scoping-review pipeline."""
__version__ = "0.1.0"
