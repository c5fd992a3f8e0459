"""Benchmarks, each runnable alone: ``python -m bench.<topic>``."""
