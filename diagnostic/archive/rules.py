"""The rules of live input, applied to the rows of an archive: :func:`check_live_rules`.

An archive is input like any other: a contribution restored from a file must be one a
participant could have submitted. Each archived contribution goes through
:func:`diagnostic.validation.clean_contribution`, the function the live socket, the phone
form and the facilitator's edits call, against the archive's own taxonomy terms and
stakes (a term must belong to the vocabulary of the field). What the live path never
writes is refused too: the text fields of another kind (a website on a need).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import N_, ValidationError
from ..frame.identity import BAD_STEM, LogoRefused, check_logo, check_stem
from ..models import ContributionKind, Vocabulary
from ..time_zones import INVALID_ZONE, is_valid_zone
from ..validation import TEXT_FIELDS, clean_contribution

Report = Callable[[str, str], None]


class ArchivedFrame:
    """What :func:`clean_contribution` asks of a diagnostic, answered from the archive."""

    def __init__(self, parsed: dict[str, list[dict[str, Any]]]) -> None:
        self.terms = {(row["vocabulary"], row["id"]) for row in parsed["terms"]}
        self.stakes = {row["id"] for row in parsed["stakes"]}

    def has_term(self, vocabulary: Vocabulary, term_id: int) -> bool:
        return (vocabulary, term_id) in self.terms

    def has_stake(self, stake_id: int) -> bool:
        return stake_id in self.stakes


def check_live_rules(data: dict[str, Any], parsed: dict[str, list[dict[str, Any]]],
                     report: Report) -> None:
    """Report the archived contributions the live validation refuses (and an unknown zone).

    ``data`` is the document (its contribution rows as written: enums as their values,
    the shape a client sends); ``parsed`` its checked rows, for the taxonomy.
    """
    for row in parsed["diagnostic"]:
        if not is_valid_zone(row.get("time_zone")):
            report("diagnostic.time_zone", INVALID_ZONE)
        check_identity(row, report)
    frame = ArchivedFrame(parsed)
    for index, row in enumerate(data["contributions"]):
        path = f"contributions[{index}]"
        if is_tombstone(row):  # withdrawn by its author: no text left to check
            continue
        try:
            clean_contribution(frame, row)  # type: ignore[arg-type]
        except ValidationError as exc:
            for field, message in exc.errors.items():
                report(f"{path}.{field}", message)
            continue
        kind = ContributionKind(row["kind"])
        for other, fields in TEXT_FIELDS.items():
            if other == kind:
                continue
            for field, _length, _required in fields:
                if row.get(field) not in (None, ""):
                    report(f"{path}.{field}",
                           N_("Ce champ ne s'applique pas à ce type de contribution."))


# What a contribution withdrawn by its author kept of what they typed: nothing
# (diagnostic.live.withdrawal clears it all; only its kind and links to it remain).
TOMBSTONE_TEXTS = ("description", "on_behalf_of", "jobs_fte",
                   *(field for fields in TEXT_FIELDS.values() for field, _n, _r in fields))


def is_tombstone(row: dict[str, Any]) -> bool:
    """A withdrawn contribution without any text: not live input (its required texts are
    gone), and nothing in it to check. A withdrawn row that carries text is checked like
    any other, so an archive cannot slip unchecked words in under ``withdrawn_at``."""
    return row.get("withdrawn_at") not in (None, "") and all(
        row.get(field) in (None, "") for field in TOMBSTONE_TEXTS)


def check_identity(row: dict[str, Any], report: Report) -> None:
    """The report's identity of an archived diagnostic, checked as the settings page checks
    it: the logo must pass :func:`~diagnostic.frame.identity.check_logo` (its type is the
    one read from its bytes, its PNG rendering is made again), the stem must be valid and
    a validated report needs its day. Fills ``row``'s logo type and rendering."""
    try:
        check_stem(row.get("download_stem"))
    except ValueError:
        report("diagnostic.download_stem", BAD_STEM)
    if row.get("report_status") == "validated" and row.get("report_validated_on") is None:
        report("diagnostic.report_validated_on", N_("Ce champ est obligatoire."))
    logo = row.get("report_logo")
    if logo is None:
        row["report_logo_type"] = row["report_logo_png"] = None
        return
    try:
        checked = check_logo(logo)
    except LogoRefused as refused:
        report("diagnostic.report_logo", refused.plain)
        return
    row["report_logo_type"], row["report_logo_png"] = checked.mime_type, checked.png
