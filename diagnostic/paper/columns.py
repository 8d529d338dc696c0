"""The columns of a paper-form spreadsheet and the labels their cells may hold.

Headers are French, as the paper form (the file is a working document of a French
authority); a header is matched whatever its case, accents and spaces. Taxonomy and
choice cells hold the *labels* printed on the form, matched the same way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..errors import N_
from ..models import ContributionKind, Diagnostic, Horizon, Stage, Urgency, Vocabulary
from ..taxonomy import ENUM_LABELS

INITIATIVE, NEED, RECOMMENDATION = (ContributionKind.INITIATIVE, ContributionKind.NEED,
                                    ContributionKind.RECOMMENDATION)


@dataclass(frozen=True)
class Column:
    """One column: the payload ``field`` it fills, its French header, the kinds it
    applies to, and how its cell is read ("text", "term", "stake", "choice")."""

    field: str
    header: str
    kinds: tuple[ContributionKind, ...]
    reader: str = "text"
    vocabulary: Vocabulary | None = None
    choices: type | None = None
    required: bool = False


TYPE_HEADER = N_("Type")
COLUMNS: tuple[Column, ...] = (
    Column("name", N_("Nom de la structure ou du projet"), (INITIATIVE,), required=True),
    Column("description", N_("Description"), (INITIATIVE, NEED, RECOMMENDATION),
           required=True),
    Column("ess_family_id", N_("Famille de l'ESS"), (INITIATIVE,), "term",
           Vocabulary.ESS_FAMILY),
    Column("activity_sector_id", N_("Secteur d'activité / filière"), (INITIATIVE,), "term",
           Vocabulary.ACTIVITY_SECTOR),
    Column("commune", N_("Commune"), (INITIATIVE,)),
    Column("jobs_fte", N_("Emplois (ETP)"), (INITIATIVE,)),
    Column("stage", N_("Stade de développement"), (INITIATIVE,), "choice", choices=Stage),
    Column("contact", N_("Contact"), (INITIATIVE,)),
    Column("website", N_("Site web"), (INITIATIVE,)),
    Column("need_category_id", N_("Catégorie de besoin"), (NEED,), "term",
           Vocabulary.NEED_CATEGORY, required=True),
    Column("actor_type_id", N_("Qui a ce besoin ?"), (NEED,), "term", Vocabulary.ACTOR_TYPE),
    Column("urgency", N_("Urgence"), (NEED,), "choice", choices=Urgency),
    Column("stake_id", N_("Enjeu"), (RECOMMENDATION,), "stake", required=True),
    Column("responsible_party_id", N_("Qui devrait agir ?"), (RECOMMENDATION,), "term",
           Vocabulary.RESPONSIBLE_PARTY),
    Column("horizon", N_("Horizon"), (RECOMMENDATION,), "choice", choices=Horizon),
)
HEADERS: tuple[str, ...] = (TYPE_HEADER, *(column.header for column in COLUMNS))
BY_FIELD = {column.field: column for column in COLUMNS}
# The columns a file must have: the type and the description (every other may be left out).
REQUIRED_HEADERS = (TYPE_HEADER, BY_FIELD["description"].header)


def fold(text: object) -> str:
    """``text`` for matching: accents removed, case folded, spaces and apostrophes evened."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").replace("’", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def kind_labels() -> dict[ContributionKind, str]:
    """The French label written in the type column for each kind."""
    return {kind: ENUM_LABELS[kind] for kind in ContributionKind}


def kind_of(text: str) -> ContributionKind | None:
    """The kind a type cell names ("Besoin", "besoin", "need"), None if none."""
    folded = fold(text)
    for kind, label in kind_labels().items():
        if folded in (fold(label), kind.value):
            return kind
    return None


def options(diagnostic: Diagnostic, column: Column) -> list[tuple[object, str]]:
    """(value, printed label) of a taxonomy or choice column, in display order."""
    if column.reader == "term":
        return [(term.id, term.label) for term in diagnostic.terms_of(column.vocabulary)]
    if column.reader == "stake":
        return [(stake.id, stake.title) for stake in diagnostic.stakes]
    if column.reader == "choice":
        return [(member.value, ENUM_LABELS[member]) for member in column.choices]
    return []


def lookup(diagnostic: Diagnostic) -> dict[str, dict[str, object]]:
    """For each taxonomy or choice field, {folded label: value}. A choice also answers
    to its stored value ("short")."""
    tables: dict[str, dict[str, object]] = {}
    for column in COLUMNS:
        if column.reader == "text":
            continue
        table = {fold(text): value for value, text in options(diagnostic, column)}
        if column.reader == "choice":
            table.update({member.value: member.value for member in column.choices})
        tables[column.field] = table
    return tables
