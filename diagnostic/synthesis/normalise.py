"""Normalisation of names and descriptions for the duplicate suggestions.

:func:`fold` lowers case, strips accents and punctuation; :class:`NameNormaliser` drops
articles, legal forms, numbers and place names from structure names and abbreviates ESS
expressions; :class:`TextNormaliser` reduces a description to the lemmas (simplemma), then
French snowball stems, of its meaningful words, a thesaurus concept counting as one
token. The data (stop words, abbreviations...) is in :mod:`.word_lists`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import simplemma
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


def singular(word: str) -> str:
    """A crude singular for names (``jardins`` → ``jardin``); both sides get the same."""
    if len(word) > 3 and word[-1] in "sx" and word not in _ABBREVIATED:
        return word[:-1]
    return word


def _name_words(text: str) -> list[str]:
    """Folded words of a name without articles; a lone letter joins the next word
    (``P'tits Loups`` → ``ptits loups``, like ``Ptits Loups``)."""
    words: list[str] = []
    pending = ""
    for word in fold(text).split():
        if word in NAME_STOP_WORDS:
            continue
        if len(word) == 1 and word.isalpha():
            pending += word
            continue
        words.append(NAME_SYNONYMS.get(pending + word, pending + word))
        pending = ""
    if pending:
        words.append(pending)
    return words


class NameNormaliser:
    """Normalises structure / project names, dropping the given places.

    A place of several words is also known by its first word when that is distinctive
    (``Castanet`` for ``Castanet-Tolosan``). :meth:`places_in` tells which of the given
    places (not the generic ones) a name holds: a name can say where a structure is.
    """

    def __init__(self, places: Iterable[str] = ()) -> None:
        given = {" ".join(_name_words(p)) for p in places if p}
        given |= {p.split()[0] for p in list(given)
                  if len(p.split()) > 1 and len(p.split()[0]) >= 5
                  and p.split()[0] not in ("saint", "sainte")}
        given.discard("")
        self._given = _phrase_pattern(sorted(given))
        folded = given | set(GENERIC_PLACES)
        self._places = _phrase_pattern(sorted(folded))
        #: Words of the places: a name shared only through them is not a match.
        self.place_words = frozenset(w for place in folded for w in place.split())

    def base(self, name: str | None) -> str:
        """The folded name, articles dropped, ESS expressions abbreviated."""
        base = " ".join(_name_words(name or ""))
        for _pass in range(3):  # "chambre regionale economie sociale..." -> "... ess" -> "cress"
            shorter = _ABBREVIATION_RE.sub(lambda m: ABBREVIATIONS[m.group(0)], base)
            if shorter == base:
                break
            base = shorter
        return base

    def places_in(self, name: str | None) -> list[str]:
        """The diagnostic's places (as matched, folded) that ``name`` holds."""
        if self._given is None:
            return []
        return self._given.findall(" ".join(_name_words(name or "")))

    def __call__(self, name: str | None) -> str:
        """The comparable form of ``name`` ("Les Restos du Cœur 31" → "resto coeur")."""
        base = self.base(name)
        kept = self._places.sub(" ", base) if self._places is not None else base
        words = [singular(w) for w in kept.split()
                 if not w.isdigit() and w not in LEGAL_FORM_WORDS]
        if not words:  # the name was only a place or a legal form: keep it whole
            words = [singular(w) for w in base.split()]
        return " ".join(words)


_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def forms(word: str) -> tuple[str, str]:
    """The comparable forms of one typed word: its lemma and its stem, both folded
    (``("", "")`` for a stop word).

    simplemma gives the dictionary form (``locaux`` → ``local``, ``formées`` →
    ``former``), which the thesaurus is matched on; the snowball stem of the lemma then
    joins a verb and its noun (``financer`` / ``financement`` → ``financ``) for the
    words compared one by one.
    """
    folded = fold(word)
    if len(folded) <= 1 or folded.isdigit() or folded in TEXT_STOP_WORDS:
        return "", ""
    lemma = fold(simplemma.lemmatize(word.casefold(), lang="fr"))
    if not lemma or " " in lemma or lemma in TEXT_STOP_WORDS:
        return "", ""
    return lemma, _STEMMER.stemWord(lemma)


def _words(text: str) -> list[tuple[str, str, str]]:
    """``(lemma, stem, word)`` for each meaningful word of ``text``, in order."""
    return [(lemma, stem, word)
            for word in _SEPARATORS.split(UNPRINTABLE.sub(" ", text.casefold()))
            if word for lemma, stem in [forms(word)] if lemma]


def _key(phrase: str) -> tuple[str, ...]:
    """The lemmas of an expression of the thesaurus, a place...: how it is looked up."""
    return tuple(lemma for lemma, _stem, _word in _words(phrase))


def _stem_key(phrase: str) -> tuple[str, ...]:
    """The stems of an expression of several words (``"=" `` first: no lemma clashes)."""
    stems = tuple(stem for _lemma, stem, _word in _words(phrase))
    return ("=", *stems) if len(stems) > 1 else ()


@lru_cache(maxsize=8)
def _concept_table(concepts: tuple[tuple[str, ...], ...]
                   ) -> dict[tuple[str, ...], tuple[str, str] | None]:
    """The thesaurus's expressions, the ESS abbreviations and the generic places (the
    part of :func:`_phrase_table` shared by the diagnostics with one thesaurus)."""
    table: dict[tuple[str, ...], tuple[str, str] | None] = {}
    for terms in concepts:
        label = terms[0]
        token = "~" + ("_".join(_key(label)) or fold(label).replace(" ", "_"))
        for term in terms:
            for key in (_key(term), _stem_key(term)):
                if key:
                    table.setdefault(key, (token, label))
    for phrase, short in ABBREVIATIONS.items():
        key = _key(phrase)
        if key:
            table.setdefault(key, (short, short))
    for place in GENERIC_PLACES:
        key = _key(place)
        if key:
            table.setdefault(key, None)
    return table


@lru_cache(maxsize=32)
def _phrase_table(concepts: tuple[tuple[str, ...], ...], places: tuple[str, ...]
                  ) -> dict[tuple[str, ...], tuple[str, str] | None]:
    """Expressions of descriptions as tuples of lemmas → ``(token, label)`` or ``None``.

    A thesaurus concept's terms all give one token (``~`` and the lemmas of its label);
    the ESS abbreviations give theirs; places (the diagnostic's and generic ones) give
    ``None``: they are dropped. The first meaning of an expression wins. Lemmas, not
    stems: ``aidant`` (a carer) is not ``aide`` (help).
    """
    table = dict(_concept_table(concepts))
    for place in places:
        key = _key(place)
        if key:
            table.setdefault(key, None)
    return table


class TextNormaliser:
    """Reduces a description to the comparable forms of its meaningful words.

    ``concepts`` are the thesaurus's (:mod:`.thesaurus`): every term of a concept counts
    as one token; ``places`` (communes, sectors, the territory) are dropped.
    """

    def __init__(self, concepts: tuple[tuple[str, ...], ...] = (),
                 places: Iterable[str] = ()) -> None:
        self._table = _phrase_table(tuple(concepts), tuple(sorted({p for p in places if p})))
        self._longest = max((len(k) for k in self._table), default=1)
        self._starts = frozenset(k[0] for k in self._table) | frozenset(
            k[1] for k in self._table if k[0] == "=")


    def _word(self, word: tuple[str, str, str]) -> tuple[str, str]:
        """One word's own meaning: its concept when it is a term alone, else its stem."""
        return self._table.get((word[0],)) or (word[1], word[2])

    def terms(self, text: str) -> list[tuple[str, str]]:
        """``(token, word)`` for each meaningful word or expression of ``text``, in order.

        An expression of the thesaurus counts as its concept (shown as its label), then
        each of its words as its own; an ESS expression as its abbreviation
        ("économies sociales et solidaires" → ``ess``); places are dropped; any other
        word counts as its stem.
        """
        words = _words(text)
        terms: list[tuple[str, str]] = []
        index = 0
        while index < len(words):
            first = words[index][0] in self._starts or words[index][1] in self._starts
            for size in range(min(self._longest, len(words) - index) if first else 0, 0, -1):
                phrase = tuple(lemma for lemma, _stem, _word in words[index:index + size])
                if phrase not in self._table and size > 1:
                    # an expression of several words may also be met in other inflections
                    phrase = ("=", *(stem for _lemma, stem, _word in words[index:index + size]))
                if phrase in self._table:
                    meaning = self._table[phrase]
                    if meaning is not None:
                        terms.append(meaning)
                        if size > 1 and meaning[0][0] == "~":  # a concept's words count
                            # too ("petite association" is also "association")
                            terms.extend(self._word(w) for w in words[index:index + size])
                    index += size
                    break
            else:
                terms.append((words[index][1], words[index][2]))
                index += 1
        return terms
