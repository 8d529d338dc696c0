"""A workshop's planned hours as text: pure functions shared by the models and the reports.

Times are local wall-clock times of the diagnostic (``datetime.time`` without offset),
written "14:30" in every language the interface speaks.
"""

from __future__ import annotations

from datetime import time


def clock_time(value: time | None) -> str | None:
    """A local time as written on pages and in exports: "14:30" (None stays None)."""
    return value.strftime("%H:%M") if value is not None else None


def hours_text(start: str | None, end: str | None) -> str:
    """ "14:00–17:00", "14:00" (no end) or "" (no time), from "HH:MM" texts."""
    if start and end:
        return f"{start}\u2013{end}"
    return start or ""
