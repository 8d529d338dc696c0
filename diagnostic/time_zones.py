"""The time zone of a diagnostic: every time a page, a document or an export shows is local.

Times are stored in UTC; a diagnostic names the IANA zone its people live in (metropolitan
France by default, an overseas authority its own). :data:`ZONES` is what the settings form
offers; any zone the system's database (``zoneinfo``) knows is accepted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import N_

DEFAULT_TIME_ZONE = "Europe/Paris"

# The zones of French authorities (metropolitan France, overseas departments and
# collectivities), then a few neighbours a cross-border project might use.
ZONES: tuple[tuple[str, str, str], ...] = (
    ("Europe/Paris", N_("France métropolitaine et Corse"), N_("heure de Paris")),
    ("America/Guadeloupe", N_("Guadeloupe, Saint-Martin, Saint-Barthélemy"),
     N_("heure de la Guadeloupe")),
    ("America/Martinique", N_("Martinique"), N_("heure de la Martinique")),
    ("America/Cayenne", N_("Guyane"), N_("heure de la Guyane")),
    ("Indian/Reunion", N_("La Réunion"), N_("heure de La Réunion")),
    ("Indian/Mayotte", N_("Mayotte"), N_("heure de Mayotte")),
    ("America/Miquelon", N_("Saint-Pierre-et-Miquelon"), N_("heure de Saint-Pierre-et-Miquelon")),
    ("Pacific/Noumea", N_("Nouvelle-Calédonie"), N_("heure de Nouméa")),
    ("Pacific/Tahiti", N_("Polynésie française (Tahiti)"), N_("heure de Tahiti")),
    ("Pacific/Marquesas", N_("Polynésie française (Marquises)"), N_("heure des Marquises")),
    ("Pacific/Gambier", N_("Polynésie française (Gambier)"), N_("heure des Gambier")),
    ("Pacific/Wallis", N_("Wallis-et-Futuna"), N_("heure de Wallis-et-Futuna")),
    ("Indian/Kerguelen", N_("Terres australes et antarctiques françaises"),
     N_("heure des Kerguelen")),
    ("Europe/Brussels", N_("Belgique"), N_("heure de Bruxelles")),
    ("Europe/Luxembourg", N_("Luxembourg"), N_("heure de Luxembourg")),
    ("Europe/Zurich", N_("Suisse"), N_("heure de Zurich")),
    ("America/Montreal", N_("Québec"), N_("heure de Montréal")),
    ("UTC", N_("Temps universel coordonné (UTC)"), N_("temps universel")),
)
ZONE_NAMES: dict[str, str] = {name: place for name, place, _short in ZONES}
ZONE_CAPTIONS: dict[str, str] = {name: short for name, _place, short in ZONES}

INVALID_ZONE = N_("Fuseau horaire inconnu : choisissez-en un dans la liste.")


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def is_valid_zone(name: object) -> bool:
    """Whether ``name`` is an IANA time zone the system knows (e.g. "Indian/Reunion")."""
    return isinstance(name, str) and 0 < len(name) <= 64 and _zone(name) is not None


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; the default zone for None or an unknown name."""
    return (_zone(name) if name else None) or ZoneInfo(DEFAULT_TIME_ZONE)


def zone_of(diagnostic: object | None) -> ZoneInfo:
    """The time zone of ``diagnostic`` (anything with a ``time_zone``), else the default."""
    return zone(getattr(diagnostic, "time_zone", None))


def local(moment: datetime, name: str | None) -> datetime:
    """``moment`` (aware, or naive UTC as SQLite returns it) in the zone called ``name``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(name))


def utc_offset(moment: datetime) -> str:
    """The UTC offset of an aware ``moment`` as people write it: "UTC+4", "UTC−3", "UTC+5:30"."""
    offset = moment.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_caption(moment: datetime, name: str | None, translate=None) -> str:
    """How a document names the zone of a local ``moment``: "heure de Paris, UTC+2".

    ``translate`` has gettext's signature (the French msgid is used without it); a zone
    outside :data:`ZONES` is named by its IANA name.
    """
    name = name or DEFAULT_TIME_ZONE
    return f"{zone_place(name, translate)}, {utc_offset(local(moment, name))}"


def zone_place(name: str | None, translate=None) -> str:
    """The zone in words, without offset ("heure de Paris"); its IANA name if unlisted."""
    name = name or DEFAULT_TIME_ZONE
    caption = ZONE_CAPTIONS.get(name)
    if caption is None:
        return name
    return translate(caption) if translate else caption
