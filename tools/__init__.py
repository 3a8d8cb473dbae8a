"""Tooling around the assistant: benchmark, load, soak, stock-bot baseline, quality report."""
