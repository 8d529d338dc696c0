"""Duplicate suggestions among the contributions of one diagnostic, per kind.

A pure module (no database, no Flask): :func:`suggest` takes :class:`Candidate` values
and returns ranked :class:`Suggestion` pairs, each with the :class:`Reason` values that
explain it; :func:`describe` turns a reason into the French sentence shown to staff.

* Initiatives are compared by structure / project name, normalised by
  :class:`~.normalise.NameNormaliser` (case, accents, articles, legal
  forms, numbers, places dropped; ESS expressions abbreviated). rapidfuzz's ratio of the
  sorted words (``token_sort_ratio``) scores them; a name contained in the other one
  (``"ethiquable"`` in ``"ethiquable gers"``) scores :data:`SUBSET_SCORE` when a word they
  share is distinctive (rare, not a generic activity word); names alike only through
  generic words ("ressourcerie ...") are pulled down. The same commune adds
  :data:`COMMUNE_BONUS`, a different one takes :data:`COMMUNE_PENALTY` off (an identical
  name still passes).
* Needs and recommendations are compared by description, reduced to French snowball stems
  without stop words: the score mixes rapidfuzz's ratio of the sorted distinct stems with
  the IDF-weighted cosine of the stem sets (shared rare words weigh more).

rapidfuzz's ``process.cdist`` scores blocks of rows against the rest of the list (all
cores, ``uint8`` scores), so each pair is scored once and memory stays small. See
``docs/DUPLICATES.md`` for the method, the thresholds and their measured quality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, islice

import numpy as np
from rapidfuzz import fuzz, process

from ..errors import N_
from .normalise import UNPRINTABLE, NameNormaliser, TextNormaliser, fold
from .word_lists import GENERIC_NAME_WORDS

KINDS = ("initiative", "need", "recommendation")

# Ranking score (0..100) from which a pair is suggested, tuned on the evaluation set
# (tests/data/duplicates_eval.json, see docs/DUPLICATES.md).
DEFAULT_THRESHOLDS = {"initiative": 80.0, "need": 38.0, "recommendation": 32.0}

COMMUNE_BONUS = 5.0      # both initiatives in the same commune
COMMUNE_PENALTY = 10.0   # both communes known and different
SUBSET_SCORE = 92.0      # name score of a name contained in the other one
TEXT_RATIO_WEIGHT = 0.4  # needs, recommendations: weight of the ratio; the rest is cosine
BLOCK_ROWS = 512         # rows per cdist call
MAX_SHARED_WORDS = 8     # words listed in a "shared_words" reason
MAX_PER_ITEM = 10        # a pair is kept when among the 10 best of one of its items


@dataclass(frozen=True)
class Candidate:
    """A contribution that may duplicate another one of the same kind."""

    id: int
    kind: str
    workshop_id: int
    text: str
    name: str | None = None
    commune: str | None = None
    group: int | None = None


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



def _ratio_hits(keys: Sequence[str], cutoff: float,
                combine: Callable[[int, np.ndarray], np.ndarray] | None = None,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of ``keys`` whose score reaches ``cutoff``: ``(i, j, ratio, score)``.

    ``ratio`` is rapidfuzz's ``ratio`` of the keys (sorted words, so it is the
    ``token_sort_ratio``); ``score`` is ``combine(start, ratio_block)`` or the ratio. Each
    block of rows is compared with itself and the rows after it (each pair once), holding
    one ``uint8`` block in memory.
    """
    found: list[tuple[np.ndarray, ...]] = []
    count = len(keys)
    for start in range(0, count, BLOCK_ROWS):
        stop = min(count, start + BLOCK_ROWS)
        ratio = process.cdist(keys[start:stop], keys[start:], scorer=fuzz.ratio,
                              dtype=np.uint8, workers=-1,
                              score_cutoff=None if combine else max(1, int(cutoff)))
        score = combine(start, ratio) if combine else ratio.astype(np.float32)
        rows, cols = np.nonzero(score >= cutoff)
        above = cols > rows  # cols count from start, like rows
        rows, cols = rows[above], cols[above]
        found.append((rows + start, cols + start, ratio[rows, cols], score[rows, cols]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(np.uint8), empty.astype(np.float32)
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore


@dataclass(frozen=True)
class _Hits:
    """Pairs of one kind above the threshold: item positions, scores, their reasons."""

    first: np.ndarray
    second: np.ndarray
    score: np.ndarray
    explain: Callable[[int], tuple[Reason, ...]]  # reasons of the k-th pair


def _display(value: str | None) -> str:
    """``value`` on one line, without control characters nor ``|`` (reason details)."""
    return " ".join(UNPRINTABLE.sub(" ", value or "").replace("|", "/").split())


def _codes(values: Sequence[object]) -> np.ndarray:
    """An integer code per value (``-1`` for ``None``/empty), equal values equal codes."""
    table: dict[object, int] = {}
    return np.array([table.setdefault(v, len(table)) if v not in (None, "") else -1
                     for v in values], dtype=np.int64)


def _initiative_pairs(items: list[Candidate], threshold: float) -> _Hits:
    """The initiatives with close names, the commune raising or lowering the score."""
    normalise = NameNormaliser(c.commune for c in items)
    names = [normalise(c.name) for c in items]
    keys = [" ".join(sorted(set(name.split()))) for name in names]
    indexed = [i for i, key in enumerate(keys) if key]
    rows, cols, ratio, score = _ratio_hits([keys[i] for i in indexed], threshold - COMMUNE_BONUS)
    pairs = {(indexed[a], indexed[b]): float(r) for a, b, r in
             zip(rows.tolist(), cols.tolist(), ratio.tolist(), strict=True)}
    # A name contained in another ("ethiquable" in "ethiquable gers") through a
    # distinctive word: few names hold such a word, so listing them is cheap.
    holders: dict[str, list[int]] = {}
    for i in indexed:
        for word in set(names[i].split()):
            holders.setdefault(word, []).append(i)
    rare = max(5, len(indexed) // 100)
    subsets = set()
    for word, owners in holders.items():
        if word in GENERIC_NAME_WORDS or len(owners) > rare:
            continue
        for a, b in combinations(owners, 2):
            words_a, words_b = set(names[a].split()), set(names[b].split())
            if words_a <= words_b or words_b <= words_a:
                subsets.add((a, b))
    communes = _codes([fold(c.commune or "") for c in items])
    cores = [" ".join(w for w in key.split() if w not in GENERIC_NAME_WORDS) for key in keys]
    found: list[tuple[int, int, float]] = []
    name_scores: list[float] = []
    for a, b in sorted(pairs.keys() | subsets):
        name_score = pairs.get((a, b))
        if name_score is None:
            name_score = float(fuzz.ratio(keys[a], keys[b]))
        elif (a, b) not in subsets and cores[a] and cores[b]:
            # Names alike through their generic words only ("ressourcerie glanerie" /
            # "ressourcerie mirail"): the distinctive words must be alike too.
            name_score = min(name_score, (name_score + fuzz.ratio(cores[a], cores[b])) / 2)
        if (a, b) in subsets:
            name_score = max(name_score, SUBSET_SCORE)
        total = name_score
        if communes[a] >= 0 and communes[a] == communes[b]:
            total += COMMUNE_BONUS
        elif communes[a] >= 0 and communes[b] >= 0:
            total -= COMMUNE_PENALTY
        total = min(100.0, total)
        if total >= threshold:
            found.append((a, b, total))
            name_scores.append(name_score)

    def explain(k: int) -> tuple[Reason, ...]:
        a, b, _score = found[k]
        detail = names[a] if names[a] == names[b] else f"{names[a]} | {names[b]}"
        name = Reason("name", round(name_scores[k], 1), detail)
        if communes[a] >= 0 and communes[a] == communes[b]:
            return name, Reason("commune", None, _display(items[a].commune))
        if communes[a] >= 0 and communes[b] >= 0:
            return name, Reason("other_commune", None, f"{_display(items[a].commune)} | "
                                                       f"{_display(items[b].commune)}")
        return (name,)

    first, second, score = (np.array(column) for column in zip(*found, strict=True)) if found \
        else (np.zeros(0, dtype=np.int64),) * 3
    return _Hits(first, second, score, explain)


def _text_pairs(items: list[Candidate], threshold: float) -> _Hits:
    """The needs or recommendations whose descriptions are alike.

    The score mixes rapidfuzz's ratio of the sorted distinct stems (spelling, close
    stems) with the IDF-weighted cosine of the stem sets (shared rare words count more).
    """
    normaliser = TextNormaliser()
    terms = [normaliser.terms(c.text or "") for c in items]
    indexed = [i for i, t in enumerate(terms) if t]
    stems = [sorted({stem for stem, _word in terms[i]}) for i in indexed]
    frequency = Counter(stem for row in stems for stem in row)
    count = len(stems)
    idf = {stem: np.log(count / n) for stem, n in frequency.items()}
    columns = {stem: c for c, stem in enumerate(s for s, n in frequency.items() if n > 1)}
    vectors = np.zeros((count, len(columns)), dtype=np.float32)
    for row, row_stems in enumerate(stems):
        norm = np.sqrt(sum(idf[s] ** 2 for s in row_stems))
        for stem in row_stems:
            if stem in columns and norm:
                vectors[row, columns[stem]] = idf[stem] / norm

    def combine(start: int, ratio: np.ndarray) -> np.ndarray:
        cosine = vectors[start:start + len(ratio)] @ vectors[start:].T
        return TEXT_RATIO_WEIGHT * ratio + (100 * (1 - TEXT_RATIO_WEIGHT)) * cosine

    rows, cols, ratio, score = _ratio_hits([" ".join(row) for row in stems], threshold, combine)
    # The word shown for a stem: its shortest spelling among the items of this kind.
    shown: dict[str, str] = {}
    for stem, word in (term for i in indexed for term in terms[i]):
        if stem not in shown or (len(word), word) < (len(shown[stem]), shown[stem]):
            shown[stem] = word
    ordered = [list(dict.fromkeys(stem for stem, _word in terms[i])) for i in indexed]
    stem_sets = [set(row) for row in stems]
    row_list, col_list, ratio_list = rows.tolist(), cols.tolist(), ratio.tolist()

    def explain(k: int) -> tuple[Reason, ...]:
        other = stem_sets[col_list[k]]
        words = list(islice((shown[stem] for stem in ordered[row_list[k]] if stem in other),
                            MAX_SHARED_WORDS))
        text = Reason("text", float(ratio_list[k]))
        if not words:
            return (text,)
        return text, Reason("shared_words", None, ", ".join(words))

    positions = np.array(indexed, dtype=np.int64)
    return _Hits(positions[rows], positions[cols], score, explain)


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


def suggest(candidates: Iterable[Candidate], *, rejected: Collection[tuple[int, int]] = (),
            threshold: float | None = None, limit: int | None = None) -> list[Suggestion]:
    """Likely duplicate pairs among ``candidates`` of each kind, best first.

    Pairs in ``rejected`` (id pairs, either order) and pairs of one synthesis group are
    never suggested. ``threshold`` overrides :data:`DEFAULT_THRESHOLDS` for every kind.
    Each contribution keeps its :data:`MAX_PER_ITEM` best pairs (a pair stays when it is
    among the best of either contribution).
    """
    by_kind: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.kind not in KINDS:
            raise ValueError(f"unknown contribution kind: {candidate.kind!r}")
        by_kind.setdefault(candidate.kind, []).append(candidate)
    refused = {(min(pair), max(pair)) for pair in rejected}
    kinds, scores, lows, highs, rows, explainers = [], [], [], [], [], []
    for kind, items in by_kind.items():
        level = DEFAULT_THRESHOLDS[kind] if threshold is None else threshold
        finder = _initiative_pairs if kind == "initiative" else _text_pairs
        hits = finder(items, level)
        ids = np.array([c.id for c in items], dtype=np.int64)
        groups = _codes([c.group for c in items])
        low = np.minimum(ids[hits.first], ids[hits.second])
        high = np.maximum(ids[hits.first], ids[hits.second])
        keep = (low != high) & ((groups[hits.first] < 0)
                                | (groups[hits.first] != groups[hits.second]))
        if refused:
            keep &= np.fromiter(((a, b) not in refused for a, b in
                                 zip(low.tolist(), high.tolist(), strict=True)),
                                dtype=bool, count=len(low))
        keep[keep] = _best_per_item(hits.first[keep], hits.second[keep], hits.score[keep])
        kinds.append(np.full(int(keep.sum()), len(explainers)))
        scores.append(np.round(np.minimum(hits.score[keep], 100.0), 1))
        lows.append(low[keep])
        highs.append(high[keep])
        rows.append(np.nonzero(keep)[0])
        explainers.append((kind, hits.explain))
    if not explainers:
        return []
    score, low, high, kind_of, row = (np.concatenate(parts) for parts in
                                      (scores, lows, highs, kinds, rows))
    order = np.lexsort((high, low, -score))
    if limit is not None:
        order = order[:max(0, limit)]
    # Reasons are built only for the suggestions returned.
    low, high, score = low[order].tolist(), high[order].tolist(), score[order].tolist()
    kind_of, row = kind_of[order].tolist(), row[order].tolist()
    return [Suggestion(low[k], high[k], explainers[kind_of[k]][0], score[k],
                       explainers[kind_of[k]][1](row[k]))
            for k in range(len(low))]


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
