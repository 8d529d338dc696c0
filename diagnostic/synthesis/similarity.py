"""Duplicate suggestions among the contributions of one diagnostic, per kind.

A pure module (no database, no Flask): :func:`suggest` takes :class:`Candidate` values
and returns ranked :class:`Suggestion` pairs, each with the :class:`Reason` values that
explain it; :func:`nearest` gives the closest items of one item, whatever the threshold;
:func:`describe` turns a reason into the French sentence shown to staff. The scores are
:mod:`.scoring`'s; :func:`select` applies what staff decided (groups, rejected or split
pairs, one workshop or several) and keeps each item's best pairs.
See ``docs/DUPLICATES.md`` for the method, the thresholds and their measured quality.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

import numpy as np

from ..errors import N_
from .scoring import NO_CONTEXT, Context, Pairs, scorer
from .values import Candidate, Reason, Suggestion

__all__ = ["DEFAULT_THRESHOLDS", "KINDS", "NEAREST", "Candidate", "Reason", "Suggestion",
           "describe", "nearest", "ranked", "select", "suggest"]

KINDS = ("initiative", "need", "recommendation")

# Ranking score (0..100) from which a pair is suggested, tuned on the evaluation set
# (tests/data/duplicates_eval.json, see docs/DUPLICATES.md).
DEFAULT_THRESHOLDS = {"initiative": 80.0, "need": 38.0, "recommendation": 42.0}

MAX_PER_ITEM = 10        # a pair is kept when among the 10 best of one of its items
NEAREST = 10             # items listed by "similar items"


def _codes(values: Sequence[object]) -> np.ndarray:
    """An integer code per value (``-1`` for ``None``/empty), equal values equal codes."""
    table: dict[object, int] = {}
    return np.array([table.setdefault(v, len(table)) if v not in (None, "") else -1
                     for v in values], dtype=np.int64)


def _best_per_item(first: np.ndarray, second: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Which pairs are among the :data:`MAX_PER_ITEM` best of one of their two items.

    A contribution repeated in fifty workshops would otherwise yield 1,225 pairs; its
    best ten link it to its cluster, and merged items are not suggested again.
    """
    count = len(score)
    ends = np.concatenate((first, second))
    pairs = np.concatenate((np.arange(count), np.arange(count)))
    order = np.lexsort((pairs, -np.concatenate((score, score)), ends))
    ends = ends[order]
    starts = np.flatnonzero(np.r_[True, ends[1:] != ends[:-1]])
    rank = np.arange(len(ends)) - np.repeat(starts, np.diff(np.r_[starts, len(ends)]))
    keep = np.zeros(count, dtype=bool)
    keep[pairs[order][rank < MAX_PER_ITEM]] = True
    return keep


def select(items: Sequence[Candidate], found: Pairs, *,
           refused: Collection[tuple[int, int]] = (), same_workshop: bool = False) -> np.ndarray:
    """Which pairs of positions in ``found`` may be suggested (a boolean mask).

    Never two items of one synthesis group, two halves of one split contribution, or a
    pair in ``refused`` (ordered id pairs: rejected, or split apart by staff); two items of
    one workshop only with ``same_workshop``. Then each item keeps its
    :data:`MAX_PER_ITEM` best pairs (a pair stays when among the best of either item).
    """
    first, second, score = found
    ids = np.array([c.id for c in items], dtype=np.int64)
    groups = _codes([c.group for c in items])
    origins = np.array([c.origin if c.origin is not None else -1 for c in items],
                       dtype=np.int64)
    roots = np.where(origins >= 0, origins, ids)
    low = np.minimum(ids[first], ids[second])
    high = np.maximum(ids[first], ids[second])
    keep = (low != high) & ((groups[first] < 0) | (groups[first] != groups[second]))
    keep &= roots[first] != roots[second]
    if not same_workshop:
        workshops = np.array([c.workshop_id for c in items], dtype=np.int64)
        keep &= workshops[first] != workshops[second]
    if refused:
        keep &= np.fromiter(((a, b) not in refused for a, b in
                             zip(low.tolist(), high.tolist(), strict=True)),
                            dtype=bool, count=len(low))
    keep[keep] = _best_per_item(first[keep], second[keep], score[keep])
    return keep


def ranked(items: Sequence[Candidate], kind: str, found: Pairs, keep: np.ndarray,
           explain: Callable[[int, int], tuple[Reason, ...]],
           limit: int | None = None, start: int = 0) -> list[Suggestion]:
    """The kept pairs as suggestions, best first, from ``start`` (``limit`` of them);
    reasons are built only for those returned."""
    first, second, score = (column[keep] for column in found)
    ids = np.array([c.id for c in items], dtype=np.int64)
    low = np.minimum(ids[first], ids[second])
    high = np.maximum(ids[first], ids[second])
    order = np.lexsort((high, low, -score))[max(0, start):]
    if limit is not None:
        order = order[:max(0, limit)]
    return [Suggestion(int(low[k]), int(high[k]), kind,
                       round(min(float(score[k]), 100.0), 1),
                       explain(*sorted((int(first[k]), int(second[k])),
                                       key=lambda p: ids[p])))
            for k in order.tolist()]


def _by_kind(candidates: Iterable[Candidate]) -> dict[str, list[Candidate]]:
    by_kind: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.kind not in KINDS:
            raise ValueError(f"unknown contribution kind: {candidate.kind!r}")
        by_kind.setdefault(candidate.kind, []).append(candidate)
    return by_kind


def suggest(candidates: Iterable[Candidate], *, rejected: Collection[tuple[int, int]] = (),
            threshold: float | None = None, limit: int | None = None,
            context: Context = NO_CONTEXT, same_workshop: bool = False) -> list[Suggestion]:
    """Likely duplicate pairs among ``candidates`` of each kind, best first.

    ``rejected`` holds id pairs (either order) never to suggest; see :func:`select` for
    the other rules. ``threshold`` overrides :data:`DEFAULT_THRESHOLDS` for every kind;
    ``context`` gives the diagnostic's thesaurus and place names.
    """
    refused = {(min(pair), max(pair)) for pair in rejected}
    found: list[Suggestion] = []
    for kind, items in _by_kind(candidates).items():
        level = DEFAULT_THRESHOLDS[kind] if threshold is None else threshold
        engine = scorer(kind, items, context)
        pairs = engine.pairs(level)
        keep = select(items, pairs, refused=refused, same_workshop=same_workshop)
        found.extend(ranked(items, kind, pairs, keep, engine.explain))
    found.sort(key=lambda s: (-s.score, s.first_id, s.second_id))
    return found if limit is None else found[:max(0, limit)]


def nearest(items: Sequence[Candidate], position: int, engine=None, *,
            context: Context = NO_CONTEXT, count: int = NEAREST,
            floor: float = 1.0) -> list[tuple[Candidate, float, tuple[Reason, ...]]]:
    """The ``count`` items of ``items`` (one kind) closest to ``items[position]``.

    Any workshop, grouped or not, whatever the threshold (from ``floor``); each with its
    score and reasons, best first. Needs and recommendations must share a word or a
    concept (spelling alone is no likeness). ``engine`` is a scorer built over ``items``.
    """
    if engine is None:
        engine = scorer(items[position].kind, items, context)
    first, second, score = engine.pairs(floor, rows=[position])
    others = np.where(first == position, second, first)
    found = []
    for k in np.lexsort((others, -score)).tolist():
        reasons = engine.explain(position, int(others[k]))
        if items[position].kind != "initiative" and len(reasons) < 2:
            continue
        found.append((items[int(others[k])], round(min(float(score[k]), 100.0), 1), reasons))
        if len(found) == count:
            break
    return found


def identity(message: str, **params: object) -> str:
    """The default ``translate``: the French message, %-formatted with ``params``."""
    return message % params if params else message


def describe(reason: Reason, translate: Callable[..., str] = identity) -> str:
    """The French explanation of ``reason`` shown to staff, through ``translate``."""
    score = round(reason.score) if reason.score is not None else 0
    parts = [part.strip() for part in reason.detail.split("|")]
    if reason.code == "name":
        if len(parts) == 2:
            return translate(N_("Noms proches (%(score)d %%) : « %(first)s » / « %(second)s »"),
                             score=score, first=parts[0], second=parts[1])
        return translate(N_("Nom proche (%(score)d %%) : « %(name)s »"),
                         score=score, name=reason.detail)
    if reason.code == "commune":
        return translate(N_("Même commune : %(commune)s"), commune=reason.detail)
    if reason.code == "other_commune":
        return translate(N_("Communes différentes : %(communes)s"),
                         communes=" / ".join(parts))
    if reason.code == "text":
        return translate(N_("Texte proche (%(score)d %%)"), score=score)
    if reason.code == "shared_words":
        return translate(N_("Mots en commun : %(words)s"), words=reason.detail)
    return reason.detail or reason.code
