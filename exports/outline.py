"""A neutral outline of a document (headings, paragraphs, lists, tables) for DOCX and ODT.

:mod:`exports.outline_report` and :mod:`exports.outline_minutes` walk a report or a
workshop's minutes once and produce an :class:`Outline`; :mod:`exports.docx` and
:mod:`exports.odt` only turn its blocks into their format. Every text in an outline is
already translated, formatted for the locale and cleaned (:func:`text`), so a writer
never sees a control character, a lone surrogate or ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from diagnostic.time_zones import local

from ._common import clean_text

# Anything clean_text would change (carriage returns, controls, surrogates), or XML refuses.
_DIRTY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text(value: object) -> str:
    """``value`` as text safe for any XML document format ("" for None)."""
    if value is None:
        return ""
    value = str(value)
    if _DIRTY.search(value) is None:  # the common case, checked in one pass
        return value
    value = clean_text(value)
    # Code points XML 1.0 forbids even after clean_text: the noncharacters U+FFFE/U+FFFF.
    if "\ufffe" in value or "\uffff" in value:
        value = value.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    return value


@dataclass
class Run:
    """A piece of a paragraph with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Title:
    """The document's title (the first line of the first page)."""

    text: str


@dataclass
class Heading:
    """A heading of ``level`` 1 (chapter) to 4."""

    level: int
    text: str


@dataclass
class Paragraph:
    """A paragraph of runs; ``style`` is one of body, meta, note, facts, empty."""

    runs: list[Run]
    style: str = "body"
    indent: int = 0
    """Nesting depth (0: none), e.g. the sources of a merged item."""


@dataclass
class BulletList:
    """A flat bulleted (or numbered) list of plain texts."""

    items: list[str]
    numbered: bool = False
    indent: int = 0


@dataclass
class Table:
    """A table with an optional header row and footer row.

    ``widths`` are relative weights of the columns (the writer scales them to the text
    width); ``numeric`` holds the indexes of right-aligned columns.
    """

    header: list[str] | None
    rows: list[list[str]]
    widths: list[float]
    caption: str = ""
    footer: list[str] | None = None
    numeric: frozenset[int] = frozenset()


@dataclass
class TableOfContents:
    """Where the table of contents goes (a field the word processor fills in)."""

    title: str


@dataclass
class PageBreak:
    """Start the next block on a new page."""


Block = Title | Heading | Paragraph | BulletList | Table | TableOfContents | PageBreak


@dataclass
class Outline:
    """A whole document: metadata and its blocks in reading order."""

    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)
    subject: str = ""

    def add(self, *blocks: Block) -> None:
        """Append ``blocks`` in order."""
        self.blocks.extend(blocks)

    def heading(self, level: int, value: object) -> None:
        """Append a heading."""
        self.blocks.append(Heading(level, text(value)))

    def paragraph(self, value: object, style: str = "body", *, bold: bool = False,
                  italic: bool = False, indent: int = 0) -> None:
        """Append a paragraph of one run (nothing when ``value`` is empty)."""
        content = text(value)
        if content:
            self.blocks.append(Paragraph([Run(content, bold, italic)], style, indent))

    def facts(self, pairs: list[tuple[str, object]], indent: int = 0) -> None:
        """Append "Label : value · Label : value" (pairs with an empty value skipped)."""
        runs: list[Run] = []
        for label, value in pairs:
            value = text(value)
            if not value:
                continue
            if runs:
                runs.append(Run(" · "))
            runs.extend([Run(text(label) + " ", bold=True), Run(value)])
        if runs:
            self.blocks.append(Paragraph(runs, "facts", indent))

    def bullets(self, items: list[object], *, numbered: bool = False, indent: int = 0) -> None:
        """Append a list of the non-empty ``items``."""
        values = [text(item) for item in items]
        values = [value for value in values if value]
        if values:
            self.blocks.append(BulletList(values, numbered, indent))


class Formats:
    """Locale-aware formatting of dates, moments and numbers (French by default)."""

    def __init__(self, lang: str) -> None:
        try:
            self.locale = Locale.parse(lang.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale("fr")

    def date(self, value: date | None) -> str:
        """E.g. "12 avril 2011" ("" for None)."""
        return format_date(value, "long", locale=self.locale) if value else ""

    def moment(self, value: datetime, zone: str | None = None) -> str:
        """Date and time in ``zone`` (as given without one), e.g. "12 avril 2011 14:05"."""
        value = local(value, zone) if zone else value
        return f"{self.date(value)} {format_time(value, 'HH:mm', locale=self.locale)}"

    def number(self, value: float | int | None) -> str:
        """E.g. "4,5" in French ("" for None)."""
        return "" if value is None else format_decimal(value, locale=self.locale)


def shorten(value: str, limit: int = 160) -> str:
    """``value`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0] or value[:limit]
    return cut + "…"
