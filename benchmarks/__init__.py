"""Benchmarks: `make bench` runs `python -m benchmarks`. Speed and memory bars live here."""
