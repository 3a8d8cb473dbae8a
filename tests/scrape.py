"""Reading Prometheus metrics the way Prometheus does: scrape ``/metrics`` over HTTP and
parse the text with prometheus-client's own parser."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families


def samples(exposition: str) -> dict[str, float]:
    """Every sample of ``exposition``, keyed as written: ``name{label="value",...}``, the
    labels sorted."""
    found = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            labels = ",".join(f'{key}="{value}"' for key, value in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def scrape(port: int) -> tuple[str, dict[str, float]]:
    """The text served on 127.0.0.1:``port``/metrics, and its samples."""
    response = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    response.raise_for_status()
    return response.text, samples(response.text)
