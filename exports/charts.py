"""Pure SVG bar charts of the report: no script, no external resource, no dependency.

Each chart is a horizontal bar chart drawn in a ``viewBox`` (it scales on screen and
prints sharp), with ``role="img"`` and a ``<title>`` for assistive technologies. Every
label is XML-escaped and printed whole: a long label wraps over several lines
(:func:`wrap`) and its row grows to hold them; the bar's ``<title>`` repeats it (a
tooltip). The SVG is standalone (its own namespace, font and size), so the DOCX and ODT
exports can rasterise it. A :class:`Chart` also carries its rows, so the page shows the
same numbers in a table next to the picture. Interface strings are French msgids passed
through the caller's ``translate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from diagnostic.errors import N_
from diagnostic.reporting.report import Item, Need, Report

from ._common import Translate, clean_text, translator

NO_DATA = N_("Aucune donnée")
OTHER_COMMUNES = N_("Autres communes")
UNSPECIFIED_COMMUNE = N_("Commune non précisée")
LABEL_VALUE = N_("%(label)s : %(value)s")

WIDTH = 640
LABEL_WIDTH = 290
LABEL_CHARS = 32
"""Characters per label line: even 32 capitals (13 px, 0.67 em) fit in LABEL_WIDTH."""
WIDE_LABEL_WIDTH = 380
WIDE_LABEL_CHARS = 42
"""Labels of more than three lines (long needs) get a wider column: fewer, longer lines."""
ROW_HEIGHT = 26
LINE_HEIGHT = 15
FONT_FAMILY = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
BAR_HEIGHT = 18
PADDING = 8
FONT_SIZE = 13
DIGIT_WIDTH = 8
BAR_COLOUR = "#1f4e79"  # 8.6:1 on white: well above the 3:1 that graphics need
TEXT_COLOUR = "#1a1a1a"
NEEDS_TOP = 10
COMMUNES_TOP = 12
TABLE_LABEL_CHARS = 160

DASHES = frozenset({"—", "–", "-"})

# Noncharacters that XML 1.0 forbids and clean_text leaves in place.
_XML_FORBIDDEN = str.maketrans("", "", "\ufffe\uffff")


@dataclass(frozen=True)
class Chart:
    """A titled bar chart: its SVG markup and the ``(label, value)`` rows it draws."""

    id: str
    title: str
    svg: Markup
    rows: list[tuple[str, int]]
    label_header: str
    value_header: str


def _text(value: object) -> str:
    """``value`` as one line of XML-safe text (controls, surrogates, noncharacters out)."""
    return " ".join(clean_text(str(value)).translate(_XML_FORBIDDEN).split())


def shorten(text: str, limit: int, *, middle: bool = False) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    ``middle`` keeps the end too ("Atelier terr…Toulouse centre"): for labels that
    share a long prefix and differ at the end.
    """
    line = _text(text)
    if len(line) <= limit:
        return line
    if not middle:
        head = line[: limit - 1]
        # Cut between words, unless that would drop more than a third of the text.
        space = head.rfind(" ")
        if space > (limit * 2) // 3:
            head = head[:space]
        return head.rstrip(" ,;:·-—") + "…"
    head = (limit - 1) * 2 // 5
    return line[:head].rstrip() + "…" + line[len(line) - (limit - 1 - head):].lstrip()


def wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """``text`` on lines of at most ``width`` characters, broken between words only.

    A single word longer than ``width`` (a URL, a very long name) stays whole on its own
    line: words are never cut.
    """
    lines: list[str] = []
    line = ""
    words: list[str] = []
    for word in _text(text).split(" "):
        # A dash starts the next line with its word, never ends a line on its own.
        if words and words[-1] in DASHES:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale("fr")


def bar_chart(chart_id: str, title: str, rows: Iterable[tuple[str, int]], *,
              label_header: str, value_header: str, translate: Translate | None = None,
              lang: str = "fr") -> Chart:
    """A horizontal bar chart of ``rows`` in their order; bars scale to the largest value.

    Values below zero count as zero; an empty chart shows "Aucune donnée" instead of bars.
    ``chart_id`` must be unique in the page (it prefixes the SVG's ids). Each label is
    printed whole, wrapped over as many lines as it needs.
    """
    _ = translator(translate)
    clean_rows = [(_text(label), max(0, int(value))) for label, value in rows]
    locale = _locale(lang)
    numbers = [format_decimal(value, locale=locale) for _label, value in clean_rows]
    title = _text(title)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart-svg" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title" font-size="{FONT_SIZE}" '
            f'font-family="{FONT_FAMILY}" ')
    heading = f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    if not clean_rows:
        height = ROW_HEIGHT + 2 * PADDING
        body = (f'<text x="{PADDING}" y="{PADDING + ROW_HEIGHT // 2 + 4}" '
                f'fill="{TEXT_COLOUR}" font-style="italic">{escape(_(NO_DATA))}</text>')
        svg = (f'{head}viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
               f"{heading}{body}</svg>")
        return Chart(chart_id, title, Markup(svg), [], _text(label_header),
                     _text(value_header))

    value_width = max(len(n) for n in numbers) * DIGIT_WIDTH + 2 * PADDING
    largest = max(value for _label, value in clean_rows)
    label_width, label_chars = LABEL_WIDTH, LABEL_CHARS
    if any(len(wrap(label)) > 3 for label, _value in clean_rows):
        label_width, label_chars = WIDE_LABEL_WIDTH, WIDE_LABEL_CHARS
    bar_space = WIDTH - label_width - value_width - PADDING
    labels = [wrap(label, label_chars) for label, _value in clean_rows]
    # A row holds its label's lines; a one-line label keeps the usual row height.
    heights = [max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + 8) for lines in labels]
    height = sum(heights) + 2 * PADDING
    parts = [f'{head}viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             heading]
    top = PADDING
    for (label, value), number, lines, row_height in zip(clean_rows, numbers, labels, heights,
                                                         strict=True):
        middle = top + row_height // 2
        baseline = middle + 4
        first = baseline - (len(lines) - 1) * LINE_HEIGHT // 2
        # A non-zero value always shows a sliver of bar; nothing divides by a zero maximum.
        bar = max(2, round(bar_space * value / largest)) if value else 0
        text = "".join(
            f'<tspan x="{label_width - PADDING}" y="{first + index * LINE_HEIGHT}">'
            f"{escape(line)}</tspan>" for index, line in enumerate(lines))
        parts.append(
            f"<g><title>{escape(_(LABEL_VALUE, label=label, value=number))}</title>"
            f'<text text-anchor="end" fill="{TEXT_COLOUR}">{text}</text>'
            f'<rect x="{label_width}" y="{middle - BAR_HEIGHT // 2}" '
            f'width="{bar}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + bar + PADDING // 2}" y="{baseline}" '
            f'fill="{TEXT_COLOUR}">{escape(number)}</text></g>'
        )
        top += row_height
    parts.append("</svg>")
    return Chart(chart_id, title, Markup("".join(parts)), clean_rows, _text(label_header),
                 _text(value_header))


def _by_count(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Largest first; equal counts keep their given (taxonomy) order."""
    return sorted(rows, key=lambda row: -row[1])


def initiatives_by_family(report: Report, translate: Translate | None = None, *,
                          lang: str = "fr") -> Chart:
    """Initiatives (merged items) per ESS family, largest first."""
    _ = translator(translate)
    rows = _by_count([(g.label, len(g.items)) for g in report.initiatives_by_family])
    return bar_chart("report-chart-families", _("Initiatives par famille de l'ESS"), rows,
                     label_header=_("Famille de l'ESS"), value_header=_("Initiatives"),
                     translate=_, lang=lang)


def initiatives_by_sector(report: Report, translate: Translate | None = None, *,
                          lang: str = "fr") -> Chart:
    """Initiatives (merged items) per activity sector, largest first."""
    _ = translator(translate)
    rows = _by_count([(g.label, len(g.items)) for g in report.initiatives_by_sector])
    return bar_chart("report-chart-sectors", _("Initiatives par secteur d'activité"), rows,
                     label_header=_("Secteur d'activité"), value_header=_("Initiatives"),
                     translate=_, lang=lang)


def initiatives_by_commune(report: Report, translate: Translate | None = None, *,
                           lang: str = "fr", limit: int = COMMUNES_TOP) -> Chart:
    """Initiatives per commune (the territory), largest first; beyond ``limit``, "others"."""
    _ = translator(translate)
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    unspecified = 0
    for item in report.initiatives:
        commune = _text(item.commune or "")
        if not commune:
            unspecified += 1
            continue
        key = commune.casefold()
        names.setdefault(key, commune)
        counts[key] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [(names[key], count) for key, count in ranked[:limit]]
    rest = sum(count for _key, count in ranked[limit:])
    if rest:
        rows.append((_(OTHER_COMMUNES), rest))
    if unspecified:
        rows.append((_(UNSPECIFIED_COMMUNE), unspecified))
    return bar_chart("report-chart-communes", _("Initiatives par commune"), rows,
                     label_header=_("Commune"), value_header=_("Initiatives"),
                     translate=_, lang=lang)


def convergence_key(need: Need) -> tuple[int, int, int, int, int]:
    """Sort key of the needs ranking: workshops, then organisations, then supports, dots."""
    return (-len(need.workshop_ids), -need.organisation_count, -need.supports, -need.dots,
            need.id)


def ranked_needs(needs: Iterable[Need], limit: int = NEEDS_TOP) -> list[Need]:
    """The ``limit`` most convergent needs (see :func:`convergence_key`)."""
    return sorted(needs, key=convergence_key)[:limit]


def own_title(item: Item) -> str:
    """The item's title, or "" when it only repeats the start of its description."""
    title = " ".join(item.title.split())
    text = " ".join(item.description.split())
    return "" if text.startswith(title.rstrip("…").rstrip()) else title


def need_label(need: Need, limit: int = TABLE_LABEL_CHARS) -> str:
    """A need's own title, else its description (shortened between words), on one line.

    A title that is only the cut start of the description ("… un emploi dura…") gives
    way to the description, so no word is ever cut in the middle.
    """
    return shorten(own_title(need) or need.description, limit)


def needs_ranking(report: Report, translate: Translate | None = None, *,
                  lang: str = "fr", limit: int = NEEDS_TOP) -> Chart:
    """The ``limit`` most convergent needs; each bar is the number of workshops raising it."""
    _ = translator(translate)
    rows = [(need_label(n), len(n.workshop_ids)) for n in ranked_needs(report.needs, limit)]
    return bar_chart("report-chart-needs",
                     _("Besoins les plus partagés (nombre d'ateliers où ils ont été soulevés)"),
                     rows, label_header=_("Besoin"), value_header=_("Ateliers"),
                     translate=_, lang=lang)


def participation_by_workshop(report: Report, translate: Translate | None = None, *,
                              lang: str = "fr") -> Chart:
    """Participants per workshop held, in the order of the method table."""
    _ = translator(translate)
    rows = [(w.title, w.participants) for w in report.method.workshops]
    return bar_chart("report-chart-participation", _("Participant·e·s par atelier"), rows,
                     label_header=_("Atelier"), value_header=_("Participant·e·s"),
                     translate=_, lang=lang)


def report_charts(report: Report, translate: Translate | None = None, *,
                  lang: str = "fr") -> dict[str, Chart]:
    """Every chart of the report by name: participation, families, sectors, communes, needs."""
    return {
        "participation": participation_by_workshop(report, translate, lang=lang),
        "families": initiatives_by_family(report, translate, lang=lang),
        "sectors": initiatives_by_sector(report, translate, lang=lang),
        "communes": initiatives_by_commune(report, translate, lang=lang),
        "needs": needs_ranking(report, translate, lang=lang),
    }
