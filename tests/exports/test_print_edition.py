"""The PDF's print edition: bounded lists above a size, the full report below it."""

import dataclasses
from datetime import UTC, datetime

from diagnostic.reporting.minutes import Minutes, MinutesItem
from diagnostic.reporting.report import Group, Need, Report
from exports import print_edition as pe
from exports.html import render_report_html
from exports.pdf import render_report_pdf
from tests.exports.test_minutes_html import build_minutes
from tests.exports.test_pdf import pdf_text


def need(n: int, workshops: int, priority: bool = False) -> Need:
    return Need(id=n, description=f"Besoin {n}", workshop_id=1, workshop_title="A",
                author=None, organisation=None, created_at=datetime(2011, 4, 1, tzinfo=UTC),
                title=f"Besoin {n}", workshop_ids=list(range(workshops)), priority=priority,
                actor_type=None, category=None, urgency=None, urgency_label=None)


def test_small_reports_print_everything(make_report):
    report = make_report()
    lists = pe.print_edition(report)
    assert lists.omitted is None and lists.needs == report.needs


def test_large_reports_keep_the_most_shared_and_every_priority(make_report, monkeypatch):
    monkeypatch.setitem(pe.ITEM_LIMITS, "needs", 3)
    monkeypatch.setattr(pe, "FULL_LIMIT", 0)
    report = make_report()
    needs = [need(n, workshops=n % 5 + 1) for n in range(1, 11)] + [need(99, 1, True)]
    report = dataclasses.replace(report, needs=needs,
                                 needs_by_category=[Group(None, "x", needs)])
    lists = pe.print_edition(report)
    assert [n.id for n in lists.needs] == [4, 9, 99]  # in report order; 99 is a priority
    assert lists.omitted.needs == 8
    html = render_report_html(report, lists=lists).decode()
    assert "… et 8 autres" in html
    assert 'id="report-need-10"' not in html and 'id="report-need-4"' in html


def test_large_reports_print_minutes_as_summaries(make_report, monkeypatch):
    monkeypatch.setattr(pe, "FULL_LIMIT", 0)
    report = make_report()
    lists = pe.print_edition(report)
    assert lists.omitted.minutes_items == bool(report.minutes)


# -- the minutes annex ---------------------------------------------------------------------

SUMMARY_HEADINGS = {"summary": "En bref", "participation": "Participation",
                    "top": "Contributions les plus soutenues"}


def annexed(make_report) -> Report:
    """The small report with two workshops' minutes as its annex (merged, scribe, top items)."""
    report = make_report()
    north, south = build_minutes("Nord"), build_minutes("Sud", closed=False)
    south.workshop = dataclasses.replace(south.workshop, id=10)
    report.minutes = [north, south]
    return report


def annex_of(html: str, minutes: Minutes) -> str:
    """The annex section of one workshop's minutes in the report's HTML."""
    start = html.index(f'<section class="report-minutes" id="report-w{minutes.workshop.id}-')
    end = html.find('<section class="report-minutes"', start + 1)
    return html[start:end if end > 0 else html.index("</main>", start)]


def every_item(minutes: Minutes) -> list[MinutesItem]:
    """The items of the minutes and the sources merged into them."""
    return [one for section in minutes.sections for item in section.items
            for one in (item, *item.sources)]


def test_the_print_edition_annexes_each_workshops_minutes_in_full(make_report):
    report = annexed(make_report)
    lists = pe.print_edition(report)
    assert lists.omitted is None
    html = render_report_html(report, lists=lists).decode()
    for minutes in report.minutes:
        prefix = f"report-w{minutes.workshop.id}-"
        assert f'href="#{prefix}minutes"' in html  # in the table of contents
        annex = annex_of(html, minutes)
        assert f'<h3 id="{prefix}minutes-title">{minutes.workshop.title}</h3>' in annex
        for key, heading in SUMMARY_HEADINGS.items():
            assert f'<h4 id="{prefix}{key}-title">{heading}</h4>' in annex, heading
        for section in minutes.sections:
            assert (f'<h4 id="{prefix}{section.kind}-title">{section.label} '
                    f'<span class="report-count">({len(section.items)})</span></h4>') in annex
        for item in every_item(minutes):
            start = annex.index(f'id="{prefix}item-{item.id}"')
            assert item.description in annex[start:annex.index("</li>", start)], item
        assert "Soutiens (+1) : 1 · Gommettes : 0" in annex  # the merged source's tallies
    assert "Compte-rendu provisoire" in annex_of(html, report.minutes[1])
    assert "Compte-rendu provisoire" not in annex_of(html, report.minutes[0])
    assert "Édition imprimable" not in html


def test_the_pdf_prints_each_workshops_minutes_with_their_items(make_report):
    report = annexed(make_report)
    text = pdf_text(render_report_pdf(report))
    heading = "Annexe : comptes-rendus des ateliers"
    # Its first mention is in the table of contents; running headers repeat it later.
    annex = text[text.index(heading, text.index(heading) + 1):]
    starts = [annex.index(minutes.workshop.title) for minutes in report.minutes]
    for minutes, start, end in zip(report.minutes, starts, [*starts[1:], None], strict=True):
        title, part = minutes.workshop.title, annex[start:end]
        for heading in (*SUMMARY_HEADINGS.values(), *(s.label for s in minutes.sections)):
            assert heading in part, (title, heading)
        for item in every_item(minutes):
            assert item.description in part, (title, item.description)
        assert "Contributions fusionnées dans celle-ci (1)" in part


def test_a_large_print_edition_annexes_each_workshops_minutes_as_a_summary(make_report,
                                                                         monkeypatch):
    monkeypatch.setattr(pe, "FULL_LIMIT", 0)
    report = annexed(make_report)
    lists = pe.print_edition(report)
    html = render_report_html(report, lists=lists).decode()
    assert "Édition imprimable : chaque compte-rendu est résumé ici" in html
    for minutes in report.minutes:
        prefix = f"report-w{minutes.workshop.id}-"
        annex = annex_of(html, minutes)
        assert f'<h3 id="{prefix}minutes-title">{minutes.workshop.title}</h3>' in annex
        for key, heading in SUMMARY_HEADINGS.items():
            assert f'<h4 id="{prefix}{key}-title">{heading}</h4>' in annex, heading
        for row in minutes.counts:
            assert (f'<tr><th scope="row">{row.label}</th>'
                    f'<td class="report-num">{row.count}</td></tr>') in annex
        for ranked in minutes.top_voted:  # listed, without links to items left out
            assert ranked.item.description in annex
        assert f'id="{prefix}item-' not in annex and f'href="#{prefix}item-' not in annex
        for section in minutes.sections:
            assert f'id="{prefix}{section.kind}"' not in annex
        shown = {ranked.item.id for ranked in minutes.top_voted}
        for item in every_item(minutes):  # the others are only in the full minutes
            assert item.id in shown or item.description not in annex, item.description
