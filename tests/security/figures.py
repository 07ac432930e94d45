"""What the standing security suites tried, printed at the end of a run (docs/SECURITY.md quotes
these figures)."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()
