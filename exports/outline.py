"""A neutral outline of a document (headings, paragraphs, lists, tables) for DOCX and ODT.

:mod:`exports.outline_report` and :mod:`exports.outline_minutes` walk a report or a
workshop's minutes once and produce an :class:`Outline`; :mod:`exports.docx` and
:mod:`exports.odt` only turn its blocks into their format. Every text in an outline is
already translated, formatted for the locale and cleaned (:func:`text`), so a writer
never sees a control character, a lone surrogate or ``None``.
"""

from __future__ import annotations

import re
import unicodedata
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
    """A heading of ``level`` 1 (chapter) to 4; ``anchor`` names its bookmark (the TOC's
    entries link to it)."""

    level: int
    text: str
    anchor: str = ""


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
class Figure:
    """A picture (a chart rasterised to PNG) with its title shown above and its alt text."""

    png: bytes
    width_px: int
    height_px: int
    width_pt: float
    title: str
    description: str

    @property
    def height_pt(self) -> float:
        return self.width_pt * self.height_px / self.width_px


@dataclass
class Cover:
    """The first page: who publishes, what, where and when, in which state."""

    title: str
    authority: str = ""
    subtitle: str = ""
    logo_png: bytes | None = None
    lines: list[str] = field(default_factory=list)
    """Territory, period…"""
    status: str = ""
    version: str = ""
    demo: str = ""
    note: str = ""
    """The small print at the bottom (generation time)."""


@dataclass
class TableOfContents:
    """Where the table of contents goes: the writers fill it with the headings up to
    ``levels``, each entry linked to its heading."""

    title: str
    levels: int = 2


@dataclass
class PageBreak:
    """Start the next block on a new page."""


Block = (Title | Heading | Paragraph | BulletList | Table | Figure | Cover | TableOfContents
         | PageBreak)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass
class Outline:
    """A whole document: metadata and its blocks in reading order."""

    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)
    subject: str = ""
    authority: str = ""
    """Who publishes the document: its author in the document properties."""
    generated_at: datetime | None = None
    """When it was generated: its creation and modification time in the properties."""
    running_header: str = ""
    """The text of the page header (the title when empty); the first page has none."""

    def add(self, *blocks: Block) -> None:
        """Append ``blocks`` in order.

        A table's caption or a figure's title that repeats the heading just before it is
        dropped: the heading already says it.
        """
        for block in blocks:
            last = self.blocks[-1] if self.blocks else None
            if isinstance(last, Heading):
                if isinstance(block, Table) and _same(block.caption, last.text):
                    block.caption = ""
                elif isinstance(block, Figure) and _same(block.title, last.text):
                    block.title = ""
            self.blocks.append(block)

    def heading(self, level: int, value: object) -> None:
        """Append a heading with its bookmark name."""
        self.blocks.append(Heading(level, text(value), f"_Toc{len(self.blocks) + 1:06d}"))

    def headings(self, levels: int) -> list[Heading]:
        """The headings of level ``levels`` or above, in order (the TOC's entries)."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= levels]

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


# Advance widths of Arial (Liberation Sans) *Bold*, in thousandths of an em: the widest
# of the two weights, so an estimate made with them is never short for a word.
_BOLD_WIDTHS = {
    **dict.fromkeys("ijl'|", 278), **dict.fromkeys("ft", 333), "r": 389, "z": 500,
    **dict.fromkeys("abcdeghknopqsuvxy", 611), "m": 889, "w": 778,
    **dict.fromkeys("IÍ", 278), "J": 556, **dict.fromkeys("EPSVXY", 667),
    **dict.fromkeys("FLTZ", 611), **dict.fromkeys("ABCDHKNRU", 722),
    **dict.fromkeys("GOQ", 778), "M": 833, "W": 944,
    **dict.fromkeys("0123456789", 556), **dict.fromkeys(" .,:;!·", 333),
    **dict.fromkeys("()-/[]", 333), "…": 1000, "—": 1000, "–": 556, "%": 889, "@": 975,
    "&": 722, "«": 556, "»": 556,
}
_DEFAULT_WIDTH = 667
CELL_PADDING_PT = 2.85
"""Left and right inner margin of a table cell (0.1 cm), the same in DOCX and ODT."""
TABLE_FONT_PT = 9.0
SHORT_CELL = 40
"""Cells up to this many characters keep their longest word whole (names, numbers)."""
ABBREVIATE_FROM = 7


def text_width_pt(value: str, size_pt: float = TABLE_FONT_PT) -> float:
    """An upper estimate of ``value``'s width set in bold Arial at ``size_pt``."""
    total = 0
    for char in value:
        width = _BOLD_WIDTHS.get(char)
        if width is None:
            base = unicodedata.normalize("NFKD", char)[:1]
            width = _BOLD_WIDTHS.get(base, 1000 if unicodedata.east_asian_width(char) in "WF"
                                     else _DEFAULT_WIDTH)
        total += width
    return total * size_pt / 1000


def longest_word_pt(value: str, size_pt: float = TABLE_FONT_PT) -> float:
    """The width of ``value``'s widest word (a word never breaks: it sets a minimum)."""
    words = value.split()
    if not words:
        return 0.0
    # Measure the few longest words only: the widest is among them.
    words.sort(key=len, reverse=True)
    return max(text_width_pt(word, size_pt) for word in words[:3])


@dataclass
class TableLayout:
    """Column widths (points) that fit the text width, the header to print (abbreviated
    where a word would not fit) and the legend of the abbreviations."""

    widths: list[float]
    header: list[str] | None
    legend: list[tuple[str, str]]


def _abbreviate(label: str) -> str:
    words = label.split()
    return " ".join(word[:4].rstrip(".·-") + "." if len(word) >= ABBREVIATE_FROM else word
                    for word in words)


def layout_table(table: Table, total_pt: float, size_pt: float = TABLE_FONT_PT) -> TableLayout:
    """Column widths from the content: every header word and every word of a short cell
    fits on one line of its column; the rest of the width follows ``table.widths``.

    When the header words alone are wider than the page, the widest headers are
    abbreviated and listed in the legend with their full text. The result is kept on the
    table (the DOCX writer asks twice: page estimate, then the table itself).
    """
    cached = table.__dict__.get("_layout")
    if cached is not None and cached[0] == (total_pt, size_pt):
        return cached[1]
    layout = _layout_table(table, total_pt, size_pt)
    table.__dict__["_layout"] = ((total_pt, size_pt), layout)
    return layout


def _layout_table(table: Table, total_pt: float, size_pt: float) -> TableLayout:
    count = len(table.widths)
    padding = 2 * CELL_PADDING_PT + 1  # and the borders
    cap = total_pt * 0.35
    cell_min = [0.0] * count
    for row in (*table.rows, *([table.footer] if table.footer else [])):
        for index, value in enumerate(row[:count]):
            if value and len(value) <= SHORT_CELL:
                width = longest_word_pt(value, size_pt)
                if width > cell_min[index]:
                    cell_min[index] = width
    cell_min = [min(width, cap) + padding for width in cell_min]
    header = list(table.header) if table.header else None
    legend: list[tuple[str, str]] = []

    def minimum(heads: list[str] | None) -> list[float]:
        heads = heads or [""] * count
        return [max(cell_min[i], longest_word_pt(heads[i], size_pt) + padding)
                for i in range(count)]

    mins = minimum(header)
    if header and sum(mins) > total_pt:
        # Abbreviate the headers wider than their column's content, widest first.
        order = sorted(range(count), key=lambda i: -longest_word_pt(header[i], size_pt))
        for index in order:
            short = _abbreviate(header[index])
            if short != header[index]:
                legend.append((short, header[index]))
                header[index] = short
                mins = minimum(header)
                if sum(mins) <= total_pt:
                    break
    if sum(mins) > total_pt:  # still too wide: shrink evenly (words may break)
        scale = total_pt / sum(mins)
        return TableLayout([m * scale for m in mins], header, legend)
    weight = sum(table.widths)
    widths = [max(mins[i], total_pt * table.widths[i] / weight) for i in range(count)]
    excess = sum(widths) - total_pt
    if excess > 0:
        slack = [widths[i] - mins[i] for i in range(count)]
        spare = sum(slack)
        widths = [widths[i] - excess * slack[i] / spare for i in range(count)]
    return TableLayout(widths, header, legend)
