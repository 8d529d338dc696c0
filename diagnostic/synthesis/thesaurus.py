"""The thesaurus of the field: terms that mean the same thing in a need or recommendation.

The default is ``thesaurus_fr.txt`` beside this module (ESS and public-policy vocabulary,
built from the seeds and the demo); a diagnostic may hold its own edited copy
(``Diagnostic.thesaurus``, ``None`` for the default). The text format, one concept per
line::

    # a comment
    tiers-lieu | espace partagé | lieu partagé

The first term labels the concept. :func:`parse` checks a text and returns its concepts
or raises :class:`~diagnostic.errors.ValidationError` with French messages by line;
:func:`changes` lists what an edit added and removed (for the audit log).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..errors import N_, ValidationError
from ..validation import CONTROL_RE
from .normalise import fold

DEFAULT_PATH = Path(__file__).with_name("thesaurus_fr.txt")
MAX_CHARS = 100_000
MAX_LINES = 3_000
MAX_TERM = 80
MAX_TERMS = 30
MAX_ERRORS = 20


class ThesaurusError(ValidationError):
    """A refused thesaurus text: ``lines`` holds (untranslated message, params) by line."""

    def __init__(self, lines: list[tuple[str, dict]]) -> None:
        super().__init__({"thesaurus": N_(
            "Le thésaurus n'a pas été enregistré : corrigez les lignes signalées.")})
        self.lines = lines


@dataclass(frozen=True)
class Thesaurus:
    """Concepts (tuples of terms, label first) and a digest that names this version."""

    concepts: tuple[tuple[str, ...], ...]
    digest: str

    @property
    def size(self) -> int:
        """Number of concepts."""
        return len(self.concepts)


def _error(errors: list[tuple[int, str, dict]], number: int, message: str, **params) -> None:
    if len(errors) < MAX_ERRORS:
        errors.append((number, message, params))


def parse(text: str) -> Thesaurus:
    """The concepts of ``text``, or a ValidationError listing its faulty lines (French)."""
    if len(text) > MAX_CHARS:
        raise ThesaurusError([(N_("Le thésaurus ne doit pas dépasser 100 000 caractères."),
                               {})])
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ThesaurusError([(N_("Le thésaurus ne doit pas dépasser 3 000 lignes."), {})])
    errors: list[tuple[int, str, dict]] = []
    seen: dict[str, int] = {}
    concepts: list[tuple[str, ...]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if CONTROL_RE.search(line):
            _error(errors, number, N_("Ligne %(line)d : caractère de contrôle interdit."),
                   line=number)
            continue
        terms = [" ".join(term.split()) for term in line.split("|")]
        terms = [term for term in terms if term]
        if len(terms) < 2:
            _error(errors, number, N_(
                "Ligne %(line)d : donnez au moins deux termes séparés par « | »."),
                line=number)
            continue
        if len(terms) > MAX_TERMS:
            _error(errors, number, N_(
                "Ligne %(line)d : pas plus de 30 termes par ligne."), line=number)
            continue
        for term in terms:
            key = fold(term)
            if len(term) > MAX_TERM:
                _error(errors, number, N_(
                    "Ligne %(line)d : « %(term)s » dépasse 80 caractères."),
                    line=number, term=term[:40] + "…")
            elif not key:
                _error(errors, number, N_(
                    "Ligne %(line)d : « %(term)s » ne contient aucun mot."),
                    line=number, term=term)
            elif key in seen and seen[key] != number:
                _error(errors, number, N_(
                    "Ligne %(line)d : « %(term)s » figure déjà ligne %(other)d."),
                    line=number, term=term, other=seen[key])
            else:
                seen[key] = number
        concepts.append(tuple(terms))
    if errors:
        raise ThesaurusError([(message, params) for _line, message, params in errors])
    digest = hashlib.sha256("\n".join(" | ".join(c) for c in concepts).encode()).hexdigest()
    return Thesaurus(tuple(concepts), digest[:16])


@cache
def default_text() -> str:
    """The text of the default thesaurus shipped with the application."""
    return DEFAULT_PATH.read_text(encoding="utf-8")


@cache
def default() -> Thesaurus:
    """The default thesaurus (parsed once per process)."""
    return parse(default_text())


@lru_cache(maxsize=16)
def _parsed(text: str) -> Thesaurus:
    return parse(text)


def of_text(text: str | None) -> Thesaurus:
    """The thesaurus a diagnostic's stored text gives (``None``: the default)."""
    if text is None:
        return default()
    try:
        return _parsed(text)
    except ValidationError:  # stored before a rule tightened: fall back, never fail a page
        return default()


def changes(before: Thesaurus, after: Thesaurus) -> dict[str, list[str]]:
    """The concept lines an edit added and removed (for the audit log)."""
    old = {" | ".join(c) for c in before.concepts}
    new = {" | ".join(c) for c in after.concepts}
    return {"added": sorted(new - old), "removed": sorted(old - new)}
