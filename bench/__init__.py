"""Benchmarks; each writes bench/results/<name>.json."""
