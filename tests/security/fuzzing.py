"""How our fuzzers run Hypothesis: reproducible from run to run (derandomized, no example
database), no deadline (a request may take long on a busy machine), and no health check (the
strategies build rows and the examples post whole requests, slow by Hypothesis's measure)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
