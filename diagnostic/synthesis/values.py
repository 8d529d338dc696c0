"""The values the duplicate suggestions pass around: candidates, reasons, suggestions.

Plain frozen dataclasses, shared by :mod:`.scoring` and :mod:`.similarity` (which
re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A contribution that may duplicate another one of the same kind.

    ``group`` is its synthesis item; ``origin`` the contribution it was split from in its
    workshop (two halves of one contribution are never duplicates).
    """

    id: int
    kind: str
    workshop_id: int
    text: str
    name: str | None = None
    commune: str | None = None
    group: int | None = None
    origin: int | None = None


@dataclass(frozen=True)
class Reason:
    """Why a pair is suggested: a code, a 0..100 score when it is a similarity, data."""

    code: str
    score: float | None
    detail: str = ""


@dataclass(frozen=True)
class Suggestion:
    """Two contributions (``first_id < second_id``) that are likely duplicates."""

    first_id: int
    second_id: int
    kind: str
    score: float
    reasons: tuple[Reason, ...]
