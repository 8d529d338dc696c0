"""Normalisation of names and descriptions for the duplicate suggestions.

:func:`fold` lowers case, strips accents and punctuation; :class:`NameNormaliser` drops
articles, legal forms, numbers and place names from structure names and abbreviates ESS
expressions; :class:`TextNormaliser` reduces a description to the French snowball stems
of its meaningful words. The data (stop words, abbreviations...) is in
:mod:`.word_lists`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

from .word_lists import (
    ABBREVIATIONS,
    GENERIC_PLACES,
    LEGAL_FORM_WORDS,
    NAME_STOP_WORDS,
    NAME_SYNONYMS,
    TEXT_STOP_WORDS,
)

_SEPARATORS = re.compile(r"[\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """``text`` in lower case without accents, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return " ".join(_SEPARATORS.split(_MARKS.sub("", text))).strip()


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression matching any of ``phrases`` as whole words, longest first."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")


_ABBREVIATION_RE = _phrase_pattern(ABBREVIATIONS)
assert _ABBREVIATION_RE is not None


_ABBREVIATED = frozenset(ABBREVIATIONS.values())


def _singular(word: str) -> str:
    """A crude singular for names (``jardins`` → ``jardin``); both sides get the same."""
    if len(word) > 3 and word[-1] in "sx" and word not in _ABBREVIATED:
        return word[:-1]
    return word


class NameNormaliser:
    """Normalises structure / project names, dropping the given places."""

    def __init__(self, places: Iterable[str] = ()) -> None:
        self._places = _phrase_pattern([fold(p) for p in places if p] + list(GENERIC_PLACES))

    def __call__(self, name: str | None) -> str:
        """The comparable form of ``name`` ("Les Restos du Cœur 31" → "resto coeur")."""
        words = [NAME_SYNONYMS.get(w, w) for w in fold(name or "").split()
                 if w not in NAME_STOP_WORDS]
        base = " ".join(words)
        for _pass in range(3):  # "chambre regionale economie sociale..." -> "... ess" -> "cress"
            shorter = _ABBREVIATION_RE.sub(lambda m: ABBREVIATIONS[m.group(0)], base)
            if shorter == base:
                break
            base = shorter
        kept = self._places.sub(" ", base) if self._places is not None else base
        words = [_singular(w) for w in kept.split()
                 if not w.isdigit() and w not in LEGAL_FORM_WORDS]
        if not words:  # the name was only a place or a legal form: keep it whole
            words = [_singular(w) for w in base.split()]
        return " ".join(words)


_STEMMER = snowballstemmer.stemmer("french")


def _stem_phrases() -> dict[tuple[str, ...], str | None]:
    """Multi-word expressions of descriptions, as tuples of stems: ESS abbreviations
    (kept, abbreviated) and generic places (dropped, ``None``)."""
    phrases: dict[tuple[str, ...], str | None] = {}
    for phrase, short in [*ABBREVIATIONS.items(), *((p, None) for p in GENERIC_PLACES)]:
        phrases[tuple(_STEMMER.stemWords(phrase.split()))] = short
    return phrases


_TEXT_PHRASES = _stem_phrases()
_LONGEST_PHRASE = max(len(phrase) for phrase in _TEXT_PHRASES)
_PHRASE_STARTS = frozenset(phrase[0] for phrase in _TEXT_PHRASES)


class TextNormaliser:
    """Reduces a description to the snowball stems of its meaningful words."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("french")
        self._stems: dict[str, str] = {}  # word as typed -> stem ("" for a stop word)

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            folded = fold(word)
            keep = len(folded) > 1 and not folded.isdigit() and folded not in TEXT_STOP_WORDS
            stem = self._stems[word] = self._stemmer.stemWord(folded) if keep else ""
        return stem

    def terms(self, text: str) -> list[tuple[str, str]]:
        """``(stem, word)`` for each meaningful word of ``text``, in order.

        ESS expressions count as their abbreviation ("économies sociales et solidaires"
        → ``ess``), generic places are dropped.
        """
        words = [(stem, word) for word in _SEPARATORS.split(UNPRINTABLE.sub(" ", text.casefold()))
                 if (stem := self._stem(word))]
        terms = []
        index = 0
        while index < len(words):
            first = words[index][0] in _PHRASE_STARTS
            for size in range(min(_LONGEST_PHRASE, len(words) - index) if first else 0, 1, -1):
                phrase = tuple(stem for stem, _word in words[index:index + size])
                if phrase in _TEXT_PHRASES:
                    short = _TEXT_PHRASES[phrase]
                    if short:
                        terms.append((short, short))
                    index += size
                    break
            else:
                terms.append(words[index])
                index += 1
        return terms
