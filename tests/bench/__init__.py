"""Benchmarks: each measures our code against a bare baseline doing the same work, same run.

`make bench` (python -m tests.bench) runs them all, prints one table and writes RESULTS.md;
it exits non-zero when a ratio misses its target. Ratios, not seconds: a slow machine slows
both sides alike.
"""
