"""Duplicate pairs kept between page loads, brought up to date by what changed.

Scoring every pair of 10,000 contributions takes seconds; staff open the suggestions
page far more often than contributions change. A :class:`PairIndex` holds, for one
diagnostic and kind, the scorer and the pairs above the kind's threshold, by
contribution id. :meth:`PairIndex.refresh` compares the current candidates with the ones
it scored: a new or edited contribution is scored against all the others, a removed one
drops its pairs, and grouping, splitting or rejecting changes no score at all (those
decisions are applied when the suggestions are read, :func:`.similarity.select`). When
more than :data:`REBUILD_SHARE` of the items changed since the last full scoring (the
word weights have drifted) or the thesaurus or places changed, everything is scored again.

The cache is per process (:func:`index_for`), so each worker of a cluster scores once,
then follows the changes it reads from the database; nothing is shared or invalidated
by messages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .normalise import TextNormaliser
from .scoring import Context, Pairs, TextScorer, scorer
from .similarity import DEFAULT_THRESHOLDS, Candidate

REBUILD_SHARE = 0.1   # share of changed items since the full scoring that triggers another
MIN_REBUILD = 50      # ... but never fewer changed items than this
MAX_INDEXES = 12      # diagnostic × kind indexes kept per process


def _content(candidate: Candidate) -> tuple:
    """What the score of a candidate depends on (not its group nor its origin)."""
    return candidate.workshop_id, candidate.text, candidate.name, candidate.commune


@dataclass
class PairIndex:
    """The scored pairs of one diagnostic's contributions of one kind."""

    kind: str
    context: Context
    items: list[Candidate] = field(default_factory=list)
    engine: object | None = None
    low: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    high: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    score: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    changed_since_build: int = 0
    builds: int = 0          # full scorings (for tests and the benchmark)
    updates: int = 0         # incremental ones
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _contents: dict[int, tuple] = field(default_factory=dict, repr=False)
    _terms: dict[str, list] = field(default_factory=dict, repr=False)

    @property
    def threshold(self) -> float:
        return DEFAULT_THRESHOLDS[self.kind]

    def _engine(self, items: Sequence[Candidate]):
        if self.kind == "initiative":
            return scorer(self.kind, items, self.context)
        missing = [c.text or "" for c in items if (c.text or "") not in self._terms]
        if missing:  # texts are reduced once: an edit or a new item reduces only its own
            normaliser = TextNormaliser(self.context.concepts, self.context.places)
            for text in missing:
                self._terms[text] = normaliser.terms(text)
        return TextScorer(items, self.context,
                          terms=[self._terms[c.text or ""] for c in items])

    def _ids(self, items: Sequence[Candidate]) -> np.ndarray:
        return np.array([c.id for c in items], dtype=np.int64)

    def _store(self, items: list[Candidate], found: Pairs) -> None:
        ids = self._ids(items)
        first, second, score = found
        self.low = np.minimum(ids[first], ids[second])
        self.high = np.maximum(ids[first], ids[second])
        self.score = score.astype(np.float32)

    def refresh(self, items: list[Candidate]) -> None:
        """Bring the pairs up to date with ``items`` (every candidate of the kind)."""
        contents = {c.id: _content(c) for c in items}
        if self.engine is not None and contents == self._contents:
            self.items = items  # groups and origins may differ: they change no score
            return
        changed = [c.id for c in items if self._contents.get(c.id) != contents[c.id]]
        removed = self._contents.keys() - contents.keys()
        self.changed_since_build += len(changed) + len(removed)
        limit = max(MIN_REBUILD, REBUILD_SHARE * len(items))
        keep_terms = {c.text or "" for c in items}
        self._terms = {t: v for t, v in self._terms.items() if t in keep_terms}
        self.engine = self._engine(items)
        if self.builds == 0 or self.changed_since_build > limit:
            self._store(items, self.engine.pairs(self.threshold))
            self.changed_since_build = 0
            self.builds += 1
        else:
            gone = np.array(sorted(set(changed) | removed), dtype=np.int64)
            stay = ~(np.isin(self.low, gone) | np.isin(self.high, gone))
            old = self.low[stay], self.high[stay], self.score[stay]
            positions = {c.id: p for p, c in enumerate(items)}
            self._store(items, self.engine.pairs(self.threshold,
                                                 rows=[positions[i] for i in changed]))
            self.low, self.high, self.score = (np.concatenate(parts) for parts in
                                               zip(old, (self.low, self.high, self.score),
                                                   strict=True))
            self.updates += 1
        self.items = items
        self._contents = contents

    def pairs(self) -> Pairs:
        """The stored pairs as positions in :attr:`items` (ordered by id)."""
        ids = self._ids(self.items)
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        return (order[np.searchsorted(sorted_ids, self.low)],
                order[np.searchsorted(sorted_ids, self.high)], self.score)


_INDEXES: OrderedDict[tuple, PairIndex] = OrderedDict()
_GUARD = threading.Lock()


def index_for(diagnostic_id: int, kind: str, context: Context) -> PairIndex:
    """This process's index of ``diagnostic_id`` and ``kind`` under ``context``."""
    key = (diagnostic_id, kind)
    with _GUARD:
        index = _INDEXES.get(key)
        if index is None or index.context != context:
            index = _INDEXES[key] = PairIndex(kind, context)
        _INDEXES.move_to_end(key)
        while len(_INDEXES) > MAX_INDEXES:
            _INDEXES.popitem(last=False)
        return index


def forget(diagnostic_id: int | None = None) -> None:
    """Drop the cached indexes (of one diagnostic, or all: tests, a restored archive)."""
    with _GUARD:
        for key in [k for k in _INDEXES if diagnostic_id is None or k[0] == diagnostic_id]:
            del _INDEXES[key]
