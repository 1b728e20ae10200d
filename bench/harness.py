"""What every benchmark script shares: Django set up on a temporary data folder, and requests timed
whole through the test client with their p50 and p95."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django() -> None:
    """Django for a benchmark: the project on the path, a temporary data folder unless one is given."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("FUPIN_VAR_DIR", tempfile.mkdtemp(prefix="fupin-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django

    django.setup()


def timed_get(client, url: str) -> float:
    """Milliseconds for one whole request (queries, template, response), which must succeed."""
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds * 1000


def p95(ms: list[float]) -> float:
    ordered = sorted(ms)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def percentiles(ms: list[float]) -> str:
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {p95(ms):6.1f} ms   (n={len(ms)})"
