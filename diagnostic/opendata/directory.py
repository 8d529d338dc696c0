"""The directory of initiatives of a diagnostic, as published: :func:`build_directory`.

The entries are the initiatives of the final report (:func:`~diagnostic.reporting.
report_build.compose_initiatives`): published contributions only (never hidden,
withdrawn nor refused ones), one entry per synthesis unit after merges, in report order.
Each entry keeps only public fields: name, ESS family, activity sector, commune, website
(http or https only), description and the workshops it was cited in. Authors, the
organisations of participants and contacts are never copied, whatever was consented.
:func:`search` filters entries as the public page does (accents and case ignored).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Diagnostic, Workshop
from ..reporting.common import Translate
from ..reporting.report import Initiative
from ..reporting.report_build import compose_initiatives
from . import LICENCE, LICENCE_URL, SCHEMA_VERSION


@dataclass(frozen=True)
class Entry:
    """One initiative of the directory: only fields that may be published."""

    id: int
    name: str
    ess_family: str | None
    activity_sector: str | None
    commune: str | None
    website: str | None
    description: str
    workshops: tuple[str, ...]


@dataclass
class Directory:
    """The published directory of one diagnostic and its metadata."""

    diagnostic_id: int
    diagnostic: str
    territory: str
    authority: str
    generated_at: datetime
    published_at: datetime | None
    entries: list[Entry] = field(default_factory=list)
    licence: str = LICENCE
    licence_url: str = LICENCE_URL
    schema_version: str = SCHEMA_VERSION


def public_website(url: str | None) -> str | None:
    """``url`` if it is an http(s) address with a host, else None (never another scheme)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c.isspace() for c in url):
        return None
    return url


def _entry(item: Initiative, workshop_titles: dict[int, str]) -> Entry:
    return Entry(
        id=item.id,
        name=(item.title or item.name or "").strip(),
        ess_family=item.ess_family,
        activity_sector=item.activity_sector,
        commune=(item.commune or "").strip() or None,
        website=public_website(item.website),
        description=item.description or "",
        workshops=tuple(workshop_titles[w] for w in item.workshop_ids if w in workshop_titles),
    )


def build_directory(session: Session, diagnostic: Diagnostic,
                    translate: Translate | None = None,
                    now: datetime | None = None) -> Directory:
    """The directory of ``diagnostic`` (whether published or not: the caller checks)."""
    titles = dict(session.execute(
        select(Workshop.id, Workshop.title).where(Workshop.diagnostic_id == diagnostic.id)
    ).all())
    items = compose_initiatives(session, diagnostic, translate)
    return Directory(
        diagnostic_id=diagnostic.id,
        diagnostic=diagnostic.title,
        territory=diagnostic.territory,
        authority=diagnostic.report_authority or "",
        generated_at=now or datetime.now(UTC),
        published_at=diagnostic.open_data_published_at,
        entries=[_entry(item, titles) for item in items],
    )


def fold(text: str | None) -> str:
    """``text`` for matching: accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Facets:
    """The values a filter offers: every commune, family and sector of the entries."""

    communes: list[str]
    families: list[str]
    sectors: list[str]


def facets(entries: list[Entry]) -> Facets:
    """The distinct communes, families and sectors of ``entries``, sorted as people read."""
    def values(attribute: str) -> list[str]:
        # One choice per spelling once folded ("Blagnac", "blagnac "): the most common
        # one is shown; the search matches them all.
        spellings: dict[str, Counter[str]] = {}
        for entry in entries:
            value = getattr(entry, attribute)
            if value and value.strip():
                spellings.setdefault(fold(value), Counter())[value] += 1
        shown = [counts.most_common(1)[0][0] for counts in spellings.values()]
        return sorted(shown, key=lambda v: (fold(v), v))
    return Facets(values("commune"), values("ess_family"), values("activity_sector"))


def search(entries: list[Entry], query: str = "", *, commune: str = "", family: str = "",
           sector: str = "") -> list[Entry]:
    """The entries whose name or description holds every word of ``query`` and whose
    commune, family and sector are the ones asked (an empty filter keeps all); accents,
    case and spacing are ignored everywhere."""
    words = fold(query).split()
    wanted = [(attribute, fold(value)) for attribute, value in
              (("commune", commune), ("ess_family", family), ("activity_sector", sector))
              if value and value.strip()]
    found = []
    for entry in entries:
        if any(fold(getattr(entry, attribute)) != value for attribute, value in wanted):
            continue
        haystack = fold(f"{entry.name} {entry.description}")
        if all(word in haystack for word in words):
            found.append(entry)
    return found
