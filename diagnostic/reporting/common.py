"""What the report and the minutes share: translation, count rows, sorting and text helpers."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..errors import N_
from ..models import Diagnostic, Participant, ReportStatus, Term, Vocabulary
from ..time_zones import local

Translate = Callable[..., str]
"""gettext's signature: ``translate(message, **params)`` (e.g. flask_babel.gettext)."""

SHORT_TEXT = 120
UNSPECIFIED = N_("Non précisé")


def identity_translate(message: str, **params: object) -> str:
    """The default ``translate``: the French source string, %-formatted with ``params``."""
    return message % params if params else message


@dataclass
class Identity:
    """Who publishes the report and in which state: printed on every format's cover.

    ``logo`` is the uploaded file as stored (PNG or sanitised SVG, ``logo_type`` its
    MIME type); ``logo_png`` is a PNG rendering of it for the formats that cannot embed
    SVG (DOCX, ODT). ``status`` is ``"draft"`` ("Document de travail") or
    ``"validated"`` ("Version validée le …", ``validated_on``); ``version_date`` is the
    date printed as the version's (None: the day of generation).
    """

    authority: str = ""
    subtitle: str = ""
    logo: bytes | None = None
    logo_type: str | None = None
    logo_png: bytes | None = None
    status: str = "draft"
    validated_on: date | None = None
    version_date: date | None = None

    @property
    def validated(self) -> bool:
        return self.status == "validated"


def identity_of(diagnostic: Diagnostic) -> Identity:
    """The :class:`Identity` printed on the covers of ``diagnostic``'s documents (set by
    :func:`diagnostic.frame.identity.set_identity`)."""
    return Identity(
        authority=diagnostic.report_authority or "",
        subtitle=diagnostic.report_subtitle or "",
        logo=diagnostic.report_logo,
        logo_type=diagnostic.report_logo_type if diagnostic.report_logo else None,
        logo_png=diagnostic.report_logo_png if diagnostic.report_logo else None,
        status=ReportStatus(diagnostic.report_status or ReportStatus.DRAFT).value,
        validated_on=diagnostic.report_validated_on,
        version_date=diagnostic.report_version_date,
    )


@dataclass
class CountRow:
    """One line of a count table: a key (id or enum value, None when unspecified)."""

    key: str | int | None
    label: str
    count: int


def actor_type_rows(participants: Iterable[Participant], terms: Iterable[Term],
                    translate: Translate) -> list[CountRow]:
    """Participants per actor type, in taxonomy order, unspecified (or unknown) last."""
    actor_types = [t for t in terms if t.vocabulary == Vocabulary.ACTOR_TYPE]
    known = {t.id for t in actor_types}
    counts = Counter(p.actor_type_id if p.actor_type_id in known else None for p in participants)
    rows = [CountRow(t.id, t.label, counts[t.id]) for t in actor_types if counts[t.id]]
    if counts[None]:
        rows.append(CountRow(None, translate(UNSPECIFIED), counts[None]))
    return rows


def organisations(participants: Iterable[Participant]) -> list[str]:
    """Distinct non-empty organisation names (case-insensitive, spaces collapsed), sorted."""
    names: dict[str, str] = {}
    for p in participants:
        name = " ".join((p.organisation or "").split())
        if name:
            names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=lambda n: (sort_key(n), n))


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key, so "Élan" sorts beside "Elan", not after "Z"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def short(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def aware(moment: datetime, time_zone: str | None = None) -> datetime:
    """``moment`` as an aware datetime in ``time_zone`` (an IANA name), UTC by default.

    SQLite hands back naive datetimes: they are UTC. The report and the minutes give
    every moment in the diagnostic's zone, so renderers print them as they are.
    """
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return local(moment, time_zone) if time_zone else moment.astimezone(UTC)
