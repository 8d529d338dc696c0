"""The PDF's print edition: bounded lists above a size, the full report below it."""

import dataclasses
from datetime import UTC, datetime

from diagnostic.reporting.report import Group, Need
from exports import print_edition as pe
from exports.html import render_report_html


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
