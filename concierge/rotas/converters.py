"""The month in the planner's URLs (``/rotas/<network>/2026/6/…``), read in one place."""

from __future__ import annotations

from datetime import date


class MonthConverter:
    """``2026/6`` (or ``2026/06``) in a URL is the date of the month's first day, and back.

    Anything else does not match, so the URL answers 404: a month outside 1–12, and the
    years 1 and 9999, whose first and last months would link to months no ``date`` holds."""

    regex = r"[0-9]{4}/[0-9]{1,2}"

    def to_python(self, value: str) -> date:
        year, month = (int(part) for part in value.split("/"))
        first = date(year, month, 1)  # ValueError (2026/13, 2026/0): Django's no-match
        if not date.min.year < year < date.max.year:
            raise ValueError(value)
        return first

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}/{value.month}"
