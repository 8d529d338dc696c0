"""The pair scores of the duplicate suggestions, one scorer per kind (pure: no database).

A scorer is built over the items of one kind (:class:`~.similarity.Candidate` values)
and the diagnostic's :class:`Context` (thesaurus concepts, place names). It gives the
pairs of positions whose score reaches a cutoff — among all items, or between some rows
and every item (a new contribution, a "similar items" query) — and the reasons of a pair.

* :class:`NameScorer` (initiatives) compares structure names normalised by
  :class:`~.normalise.NameNormaliser`; the commune raises or lowers the score.
* :class:`TextScorer` (needs, recommendations) compares descriptions reduced by
  :class:`~.normalise.TextNormaliser` (lemmas, stems, thesaurus concepts).

rapidfuzz's ``process.cdist`` scores blocks of rows against the other items (all cores,
``uint8`` scores), so memory stays small. See ``docs/DUPLICATES.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations, islice

import numpy as np
from rapidfuzz import fuzz, process

from .normalise import UNPRINTABLE, NameNormaliser, TextNormaliser, fold, singular
from .values import Candidate, Reason
from .word_lists import GENERIC_NAME_WORDS

COMMUNE_BONUS = 5.0      # both initiatives in the same commune
COMMUNE_PENALTY = 30.0   # both communes known and different: same name, other structure
SUBSET_SCORE = 92.0      # name score of a name contained in the other one
GENERIC_CAP = 70.0       # name score of generic names ("jardin partage") in unknown places
TEXT_RATIO_WEIGHT = 0.4  # needs, recommendations: weight of the ratio; the rest is cosine
BLOCK_ROWS = 512         # rows per cdist call
MAX_SHARED_WORDS = 8     # words listed in a "shared_words" reason

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # first, second positions; score
# Activity words, as names use them (singular too): they say what, not which.
GENERIC = GENERIC_NAME_WORDS | {singular(w) for w in GENERIC_NAME_WORDS}


@dataclass(frozen=True)
class Context:
    """What a diagnostic tells the matcher: its thesaurus and its place names."""

    concepts: tuple[tuple[str, ...], ...] = ()
    places: tuple[str, ...] = ()


NO_CONTEXT = Context()  # no thesaurus, no places


def _empty() -> Pairs:
    return (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0, dtype=np.float32),)


def _scan(keys: Sequence[str], cutoff: float, rows: Sequence[int] | None,
          combine: Callable[[np.ndarray, int, np.ndarray], np.ndarray] | None = None,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of ``keys`` whose score reaches ``cutoff``: ``(i, j, ratio, score)``.

    ``rows=None``: every pair once (``i < j``), each block of rows against itself and
    the rows after it. Otherwise the given rows against every key (``i`` a row, ``j``
    any other position; a pair of two rows comes once, ``i < j``). ``ratio`` is
    rapidfuzz's ``ratio``; ``score`` is ``combine(row_positions, first_column, ratio)``.
    """
    found: list[tuple[np.ndarray, ...]] = []
    cut = None if combine else max(1, int(cutoff))
    every = rows is None
    positions = np.arange(len(keys)) if every else np.unique(np.asarray(rows, dtype=np.int64))
    chosen = set(positions.tolist())
    for start in range(0, len(positions), BLOCK_ROWS):
        block = positions[start:start + BLOCK_ROWS]
        first_column = int(block[0]) if every else 0
        ratio = process.cdist([keys[i] for i in block], keys[first_column:],
                              scorer=fuzz.ratio, dtype=np.uint8, workers=-1,
                              score_cutoff=cut)
        score = combine(block, first_column, ratio) if combine else ratio.astype(np.float32)
        hit_rows, hit_cols = np.nonzero(score >= cutoff)
        first, second = block[hit_rows], hit_cols + first_column
        keep = second > first if every else second != first
        if not every:  # a pair of two chosen rows: keep it once, from its lower end
            keep &= np.fromiter((int(b) not in chosen or a < b for a, b in
                                 zip(first.tolist(), second.tolist(), strict=True)),
                                dtype=bool, count=len(first))
        hit_rows, hit_cols = hit_rows[keep], hit_cols[keep]
        found.append((first[keep], second[keep], ratio[hit_rows, hit_cols],
                      score[hit_rows, hit_cols]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(np.uint8), empty.astype(np.float32)
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore


def _display(value: str | None) -> str:
    """``value`` on one line, without control characters nor ``|`` (reason details)."""
    return " ".join(UNPRINTABLE.sub(" ", value or "").replace("|", "/").split())


def _place_codes(values: Sequence[str]) -> dict[str, int]:
    """A code per folded place; spellings of one place share it.

    ``ramonville`` and ``ramonville saint agne`` (one's words within the other's) or a
    typo (ratio ≥ 90) are one place.
    """
    canon: dict[str, int] = {}
    for name in sorted({v for v in values if v}, key=len):
        words = set(name.split())
        for known, code in canon.items():
            if set(known.split()) <= words or fuzz.ratio(known, name) >= 90:
                canon[name] = code
                break
        else:
            canon[name] = len(canon)
    return canon


def _initials(name: str) -> str:
    """The initials of a name's words (stop words already dropped)."""
    return "".join(word[0] for word in name.split())


class NameScorer:
    """Initiatives: close structure names; where they are raises or lowers the score.

    Where an initiative is: its commune, and the diagnostic's places its name holds
    ("Garage solidaire de l'Arize"). Two initiatives known to be in different places are
    different structures, whatever their names; names made only of generic words
    ("Jardin partagé", "Recyclerie") match only in the same place.
    """

    def __init__(self, items: Sequence[Candidate], context: Context = NO_CONTEXT) -> None:
        self.items = items
        normalise = NameNormaliser([*context.places, *(c.commune for c in items)])
        self._place_words = normalise.place_words
        self.names = [normalise(c.name) for c in items]
        self._bases = [normalise.base(c.name) for c in items]  # legal forms kept
        self._keys = [" ".join(sorted(set(name.split()))) for name in self.names]
        self._joined = [name.replace(" ", "") for name in self.names]
        self._indexed = [i for i, key in enumerate(self._keys) if key]
        self._cores = [" ".join(w for w in key.split() if w not in GENERIC
                                and w not in self._place_words) for key in self._keys]
        self._core_runs = ["".join(w for w in name.split() if w not in GENERIC
                                   and w not in self._place_words) for name in self.names]
        located = [[fold(c.commune or "")] + normalise.places_in(c.name) for c in items]
        codes = _place_codes([p for row in located for p in row])
        self._where = [frozenset(codes[p] for p in row if p) for row in located]
        self._holders: dict[str, list[int]] = {}
        for i in self._indexed:
            for word in set(self.names[i].split()):
                self._holders.setdefault(word, []).append(i)
        self._rare = max(5, len(self._indexed) // 100)

    def _distinctive(self, word: str) -> bool:
        return word not in GENERIC and word not in self._place_words

    def _subsets(self, rows: set[int] | None) -> set[tuple[int, int]]:
        """Pairs where one name holds the other through a distinctive word (not a
        place), or an acronym and its words.

        Few names hold such a word, so listing them is cheap.
        """
        found = set()
        for word, owners in self._holders.items():
            if not self._distinctive(word) or len(owners) > self._rare:
                continue
            for a, b in combinations(owners, 2):
                if rows is not None and a not in rows and b not in rows:
                    continue
                if self._contains(a, b):
                    found.add((a, b))
        found |= self._acronyms(rows)
        return found

    def _contains(self, a: int, b: int) -> bool:
        """One name holds the other, or their distinctive words are the same
        ("Le Multiple, espace partagé" / "Tiers-lieu Le Multiple")."""
        words_a, words_b = set(self.names[a].split()), set(self.names[b].split())
        if words_a <= words_b or words_b <= words_a:
            return True
        generic_a, generic_b = words_a & GENERIC, words_b & GENERIC
        return (bool(self._cores[a]) and self._cores[a] == self._cores[b]
                and (not generic_a or not generic_b or bool(generic_a & generic_b)))

    def _acronyms(self, rows: set[int] | None) -> set[tuple[int, int]]:
        """A one-word name that spells the initials of another name (``ADEPES``)."""
        short = [i for i in self._indexed if " " not in self._bases[i]
                 and 3 <= len(self._bases[i]) <= 8 and (rows is None or i in rows)]
        long = [i for i in self._indexed if len(self._bases[i].split()) >= 3]
        if not short or not long:
            return set()
        initials = [_initials(self._bases[i]) for i in long]
        hits = process.cdist([self._bases[i] for i in short], initials, scorer=fuzz.ratio,
                             dtype=np.uint8, workers=-1, score_cutoff=85)
        return {(min(short[r], long[c]), max(short[r], long[c]))
                for r, c in zip(*np.nonzero(hits), strict=True)}

    def _place_shift(self, a: int, b: int) -> float:
        where_a, where_b = self._where[a], self._where[b]
        if where_a and where_b:
            return COMMUNE_BONUS if where_a & where_b else -COMMUNE_PENALTY
        return 0.0

    def name_score(self, a: int, b: int, ratio: float | None = None,
                   subset: bool | None = None) -> float:
        """The name similarity of two positions (0..100), before the places."""
        keys, cores = self._keys, self._cores
        if not keys[a] or not keys[b]:
            return 0.0
        if subset is None:
            subset = self._contains(a, b) and any(
                self._distinctive(w) for w in set(self.names[a].split())
                & set(self.names[b].split()))
        score = float(max(fuzz.ratio(keys[a], keys[b]),
                          fuzz.ratio(self._joined[a], self._joined[b]))
                      if ratio is None else ratio)
        if not subset and cores[a] and cores[b]:
            # Names alike through their generic words only ("ressourcerie glanerie" /
            # "ressourcerie mirail"): the distinctive words must be alike too.
            core = max(fuzz.ratio(cores[a], cores[b]),
                       fuzz.ratio(self._core_runs[a], self._core_runs[b]))
            score = min(score, (score + core) / 2)
        elif not cores[a] and not cores[b] and not self._place_shift(a, b) > 0:
            # Only generic words on both sides ("jardin partage"): not one structure
            # unless they are in the same place.
            score = min(score, GENERIC_CAP)
        return max(score, SUBSET_SCORE) if subset else score

    def pairs(self, cutoff: float, rows: Sequence[int] | None = None) -> Pairs:
        """Pairs of positions scoring at least ``cutoff`` (among all, or ``rows`` vs all)."""
        indexed = self._indexed
        if rows is not None:
            where = {p: k for k, p in enumerate(indexed)}
            rows = [where[r] for r in rows if r in where]
        ratios: dict[tuple[int, int], float] = {}
        for keys in (self._keys, self._joined):  # sorted words; the words run together
            first, second, ratio, _score = _scan([keys[i] for i in indexed],
                                                 cutoff - COMMUNE_BONUS, rows)
            for a, b, r in zip(first.tolist(), second.tolist(), ratio.tolist(), strict=True):
                pair = (min(indexed[a], indexed[b]), max(indexed[a], indexed[b]))
                ratios[pair] = max(ratios.get(pair, 0.0), float(r))
        chosen = None if rows is None else {indexed[r] for r in rows}
        subsets = self._subsets(chosen)
        found = []
        for a, b in sorted(ratios.keys() | subsets):
            total = min(100.0, self.name_score(a, b, ratios.get((a, b)), (a, b) in subsets)
                        + self._place_shift(a, b))
            if total >= cutoff:
                found.append((a, b, total))
        if not found:
            return _empty()
        a, b, s = zip(*found, strict=True)
        return np.array(a), np.array(b), np.array(s, dtype=np.float32)

    def explain(self, a: int, b: int) -> tuple[Reason, ...]:
        """Why positions ``a`` and ``b`` look alike: the names, then the places."""
        names, items = self.names, self.items
        detail = names[a] if names[a] == names[b] else f"{names[a]} | {names[b]}"
        name = Reason("name", round(self.name_score(a, b), 1), detail)
        shift = self._place_shift(a, b)
        where = [_display(items[p].commune) or _display(items[p].name) for p in (a, b)]
        if shift > 0:
            return name, Reason("commune", None, where[0])
        if shift < 0:
            return name, Reason("other_commune", None, f"{where[0]} | {where[1]}")
        return (name,)


class TextScorer:
    """Needs, recommendations: the ratio of the sorted distinct tokens mixed with the
    IDF-weighted cosine of the token sets (a shared rare word or concept counts more)."""

    def __init__(self, items: Sequence[Candidate], context: Context = NO_CONTEXT,
                 terms: Sequence[list[tuple[str, str]]] | None = None) -> None:
        self.items = items
        if terms is None:
            normaliser = TextNormaliser(context.concepts, context.places)
            terms = [normaliser.terms(c.text or "") for c in items]
        self.terms = terms
        self._tokens = [sorted({token for token, _word in row}) for row in terms]
        self._keys = [" ".join(row) for row in self._tokens]
        frequency = Counter(token for row in self._tokens for token in row)
        count = max(1, sum(1 for row in self._tokens if row))
        idf = {token: np.log1p(count / n) for token, n in frequency.items()}  # smoothed
        columns = {token: c for c, token in
                   enumerate(t for t, n in frequency.items() if n > 1)}
        self._vectors = np.zeros((len(items), len(columns)), dtype=np.float32)
        for row, tokens in enumerate(self._tokens):
            norm = np.sqrt(sum(idf[t] ** 2 for t in tokens))
            for token in tokens:
                if token in columns and norm:
                    self._vectors[row, columns[token]] = idf[token] / norm
        self._indexed = [i for i, row in enumerate(self._tokens) if row]
        # The word shown for a token: its shortest spelling among the items of this kind.
        self._shown: dict[str, str] = {}
        for token, word in (term for row in terms for term in row):
            old = self._shown.get(token)
            if old is None or (len(word), word) < (len(old), old):
                self._shown[token] = word

    def _combine(self, indexed: np.ndarray) -> Callable:
        vectors = self._vectors[indexed]

        def combine(block: np.ndarray, first_column: int, ratio: np.ndarray) -> np.ndarray:
            cosine = vectors[block] @ vectors[first_column:].T
            return TEXT_RATIO_WEIGHT * ratio + (100 * (1 - TEXT_RATIO_WEIGHT)) * cosine
        return combine

    def pairs(self, cutoff: float, rows: Sequence[int] | None = None) -> Pairs:
        """Pairs of positions scoring at least ``cutoff`` (among all, or ``rows`` vs all)."""
        indexed = np.array(self._indexed, dtype=np.int64)
        if rows is not None:
            where = {p: k for k, p in enumerate(self._indexed)}
            rows = [where[r] for r in rows if r in where]
        first, second, _ratio, score = _scan([self._keys[i] for i in self._indexed], cutoff,
                                             rows, self._combine(indexed))
        a, b = indexed[first], indexed[second]
        return np.minimum(a, b), np.maximum(a, b), score.astype(np.float32)

    def explain(self, a: int, b: int) -> tuple[Reason, ...]:
        """The text score of the pair, then the words (or concepts) they share."""
        ratio = fuzz.ratio(self._keys[a], self._keys[b])
        other = set(self._tokens[b])
        ordered = dict.fromkeys(token for token, _word in self.terms[a])
        words = list(islice((self._shown[t] for t in ordered if t in other), MAX_SHARED_WORDS))
        reasons = [Reason("text", float(ratio))]
        if words:
            reasons.append(Reason("shared_words", None, ", ".join(_display(w) for w in words)))
        return tuple(reasons)


def scorer(kind: str, items: Sequence[Candidate], context: Context = NO_CONTEXT,
           **options) -> NameScorer | TextScorer:
    """The scorer of ``kind`` over ``items``."""
    if kind == "initiative":
        return NameScorer(items, context)
    return TextScorer(items, context, **options)
