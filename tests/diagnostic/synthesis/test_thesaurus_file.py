"""The default French thesaurus of the field (diagnostic/synthesis/thesaurus_fr.txt).

The file is parsed here exactly as its format says, with a local parser, so that these
tests check the file itself and not the matcher that reads it.
"""

import unicodedata
from pathlib import Path

import pytest

THESAURUS = Path(__file__).parents[3] / "diagnostic" / "synthesis" / "thesaurus_fr.txt"
SEPARATOR = " | "
MAX_WORDS = 6


def folded(term: str) -> str:
    """``term`` lower-cased, without accents and with single spaces."""
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def concepts(text: str) -> list[tuple[int, list[str]]]:
    """``(line number, terms)`` of each concept line: '#' comments and blank lines ignored."""
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parsed.append((number, [term.strip() for term in line.split(SEPARATOR)]))
    return parsed


@pytest.fixture(scope="module")
def text() -> str:
    return THESAURUS.read_bytes().decode("utf-8")  # strict: fails on anything but UTF-8


@pytest.fixture(scope="module")
def lines(text) -> list[tuple[int, list[str]]]:
    return concepts(text)


def concept_of(lines, term: str) -> int | None:
    """Line number of the concept holding ``term`` (compared folded)."""
    wanted = folded(term)
    return next((number for number, terms in lines
                 if wanted in {folded(t) for t in terms}), None)


def test_the_file_is_utf8_without_bom(text):
    assert not text.startswith("\ufeff")
    assert "é" in text  # accents written as such, not stripped


def test_between_250_and_400_concepts(lines):
    assert 250 <= len(lines) <= 400


def test_every_concept_has_two_terms_or_more_and_no_empty_term(lines):
    for number, terms in lines:
        assert len(terms) >= 2, f"line {number}: {terms}"
        assert all(terms) and not any("|" in term for term in terms), f"line {number}: {terms}"


def test_no_term_is_longer_than_six_words(lines):
    too_long = [(number, term) for number, terms in lines for term in terms
                if len(term.split()) > MAX_WORDS]
    assert too_long == []


def test_no_term_is_on_two_lines(lines):
    seen: dict[str, int] = {}
    repeated = []
    for number, terms in lines:
        for term in {folded(t) for t in terms}:
            if term in seen:
                repeated.append((term, seen[term], number))
            seen[term] = number
    assert repeated == []


def test_no_term_repeats_on_its_own_line(lines):
    for number, terms in lines:
        assert len({folded(t) for t in terms}) == len(terms), f"line {number}: {terms}"


def test_concepts_are_grouped_under_topic_comments(text):
    """Each group of concept lines (blank-line separated) opens with a '# topic' line."""
    groups = [block.strip().splitlines() for block in text.split("\n\n") if block.strip()]
    topics = 0
    for block in groups[1:]:  # the first block is the header
        assert block[0].startswith("# "), block[0]
        topics += 1
    assert topics >= 15


@pytest.mark.parametrize("generic", ["projet", "aide", "besoin", "soutien", "réseau", "local"])
def test_generic_words_are_not_terms_alone(lines, generic):
    assert concept_of(lines, generic) is None


@pytest.mark.parametrize(("first", "second"), [
    ("tiers-lieu", "espace partagé"),
    ("circuit court", "vente directe"),
    ("chantier d'insertion", "ACI"),
    ("mutualisation", "partage de moyens"),
    ("SCIC", "coopérative d'intérêt collectif"),
    ("SCOP", "société coopérative et participative"),
    ("CAE", "coopérative d'activité et d'emploi"),
    ("IAE", "insertion par l'activité économique"),
    ("EPCI", "intercommunalité"),
    ("DLA", "dispositif local d'accompagnement"),
    ("PTCE", "pôle territorial de coopération économique"),
    ("commande publique", "marché public"),
    ("clause sociale", "clause d'insertion"),
    ("guichet unique", "interlocuteur unique"),
    ("loyer modéré", "loyer abordable"),
])
def test_the_issue_equivalences_are_on_one_line(lines, first, second):
    line = concept_of(lines, first)
    assert line is not None, first
    assert concept_of(lines, second) == line, (first, second)


@pytest.mark.parametrize(("first", "second"), [
    ("subvention", "prêt"),          # a need for a loan is not a need for a grant
    ("garantie", "prêt"),
    ("trésorerie", "subvention"),
    ("élu", "collectivité"),
    ("demandeur d'emploi", "personne éloignée de l'emploi"),
    ("coopération", "coordination"),
])
def test_related_but_different_concepts_stay_apart(lines, first, second):
    assert concept_of(lines, first) is not None and concept_of(lines, second) is not None
    assert concept_of(lines, first) != concept_of(lines, second)
