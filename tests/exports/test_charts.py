"""SVG bar charts: well-formed XML, escaped labels, empty and huge data, the rows they draw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from diagnostic.reporting.report import Group, Need
from exports.charts import (
    WIDE_LABEL_CHARS,
    WIDTH,
    bar_chart,
    initiatives_by_commune,
    initiatives_by_family,
    initiatives_by_sector,
    needs_ranking,
    participation_by_workshop,
    ranked_needs,
    report_charts,
    shorten,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
XSS = "<script>alert('x')</script> & \"quotes\""


def parse(chart) -> ET.Element:
    """The chart's SVG as an XML tree (fails on malformed markup)."""
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g")]


def test_every_report_chart_is_well_formed_accessible_and_scalable(make_report):
    charts = report_charts(make_report())
    assert set(charts) == {"participation", "families", "sectors", "communes", "needs"}
    ids = set()
    for chart in charts.values():
        root = parse(chart)
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == chart.title
        assert root.get("aria-labelledby") == title.get("id") == f"{chart.id}-title"
        assert re.fullmatch(rf"0 0 {WIDTH} \d+", root.get("viewBox"))
        assert not re.search(r"<script|href|url\(|<image", str(chart.svg))  # self-contained
        ids.add(chart.id)
    assert len(ids) == len(charts)


def test_bars_follow_rows_and_scale_to_the_largest_value():
    chart = bar_chart("c", "Titre", [("Petit", 1), ("Grand", 4), ("Moyen", 2)],
                      label_header="Libellé", value_header="Nombre")
    assert chart.rows == [("Petit", 1), ("Grand", 4), ("Moyen", 2)]
    groups = bars(parse(chart))
    assert [g.find(f"{SVG}title").text for g in groups] == ["Petit : 1", "Grand : 4", "Moyen : 2"]
    widths = [int(g.find(f"{SVG}rect").get("width")) for g in groups]
    assert widths[1] == max(widths) and widths[0] * 4 == pytest.approx(widths[1], abs=2)
    assert widths[2] * 2 == pytest.approx(widths[1], abs=2)
    values = [g.findall(f"{SVG}text")[1].text for g in groups]
    assert values == ["1", "4", "2"]


def label_lines(group: ET.Element) -> list[str]:
    """The lines of a bar's label (one <tspan> each)."""
    return [t.text for t in group.find(f"{SVG}text").iter(f"{SVG}tspan")]


def test_labels_are_escaped_and_long_ones_wrapped_whole_on_several_lines():
    long = "Atelier territorial de l'économie sociale et solidaire — Toulouse nord " + XSS
    chart = bar_chart("c", XSS, [(XSS, 3), (long, 1)], label_header="a", value_header="b")
    markup = str(chart.svg)
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "…" not in markup
    root = parse(chart)
    assert root.find(f"{SVG}title").text == XSS
    first, second = bars(root)
    assert " ".join(label_lines(first)) == XSS
    lines = label_lines(second)
    assert len(lines) >= 3 and " ".join(lines) == long  # every word, none cut
    assert all(len(line) <= WIDE_LABEL_CHARS for line in lines)  # four lines: wide column
    assert second.find(f"{SVG}title").text == f"{long} : 1"
    # The row grows with its lines: the second bar sits lower than a one-line row would.
    tops = [int(g.find(f"{SVG}rect").get("y")) for g in (first, second)]
    assert tops[1] - tops[0] > 26


def test_wrap_breaks_between_words_and_never_inside_one():
    assert wrap("Atelier territorial — Toulouse nord", 20) == [
        "Atelier territorial", "— Toulouse nord"]
    assert wrap("https://example.org/" + "x" * 50 + " fin", 20) == [
        "https://example.org/" + "x" * 50, "fin"]
    assert wrap("court") == ["court"]
    # A dash never ends a line: it goes down with the word after it.
    assert wrap("Atelier de l'économie solidaire — Cugnaux nord", 32) == [
        "Atelier de l'économie solidaire", "— Cugnaux nord"]
    assert wrap("Atelier de l'économie sociale — Cugnaux nord", 32) == [
        "Atelier de l'économie sociale", "— Cugnaux nord"]


def test_shorten_cuts_between_words():
    text = "Développer l'accès aux marchés publics pour les structures de l'emploi durable"
    assert shorten(text, 60) == "Développer l'accès aux marchés publics pour les structures…"
    assert shorten(text, 200) == text


@pytest.mark.parametrize("label", [
    "".join(chr(i) for i in range(32)) + "controls", "lone \ud800 surrogate",
    "noncharacters \ufffe\uffff", "\u202eRTL\u202c 🎉 e\u0301", "",
])
def test_odd_text_still_gives_well_formed_xml(label):
    root = parse(bar_chart("c", label, [(label, 2)], label_header=label, value_header=label))
    assert len(bars(root)) == 1


def test_no_rows_says_so_instead_of_drawing_bars(make_report):
    chart = bar_chart("c", "Vide", [], label_header="a", value_header="b")
    root = parse(chart)
    assert chart.rows == [] and not bars(root)
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Aucune donnée"]
    report = make_report()
    report.initiatives, report.initiatives_by_family, report.needs = [], [], []
    report.initiatives_by_sector, report.method.workshops = [], []
    for chart in report_charts(report).values():
        assert chart.rows == [] and "Aucune donnée" in str(chart.svg)
        parse(chart)


def test_zero_values_draw_no_bar_and_divide_nothing_by_zero():
    chart = bar_chart("c", "Zéro", [("a", 0), ("b", 0), ("c", -3)], label_header="a",
                      value_header="b")
    assert chart.rows == [("a", 0), ("b", 0), ("c", 0)]
    assert [r.get("width") for r in parse(chart).iter(f"{SVG}rect")] == ["0", "0", "0"]


def test_huge_counts_fit_the_drawing():
    chart = bar_chart("c", "Énorme", [("a", 10**15), ("b", 1)], label_header="a",
                      value_header="b", lang="fr")
    root = parse(chart)
    big, small = bars(root)
    assert big.findall(f"{SVG}text")[1].text == "1\u202f000\u202f000\u202f000\u202f000\u202f000"
    assert int(small.find(f"{SVG}rect").get("width")) == 2  # a sliver, never invisible
    value = big.findall(f"{SVG}text")[1]
    digits = len(value.text)
    assert float(value.get("x")) + digits * 8 <= WIDTH


def test_family_and_sector_charts_count_items_largest_first(make_report):
    report = make_report()
    first = report.initiatives[0]
    other = replace(first, id=50, name="Autre", commune="Blagnac")
    report.initiatives.append(other)
    report.initiatives_by_family = [Group(1, "Mutuelle", [first]),
                                    Group(2, "Association", [first, other])]
    report.initiatives_by_sector = [Group(3, "Mobilité", [other])]
    assert initiatives_by_family(report).rows == [("Association", 2), ("Mutuelle", 1)]
    assert initiatives_by_sector(report).rows == [("Mobilité", 1)]


def test_commune_chart_folds_case_keeps_a_top_and_counts_the_rest(make_report):
    report = make_report()
    base = report.initiatives[0]
    communes = ["Toulouse", "toulouse ", "Blagnac", None, "Balma", "L'Union"]
    report.initiatives = [replace(base, id=i, commune=c) for i, c in enumerate(communes)]
    assert initiatives_by_commune(report, limit=2).rows == [
        ("Toulouse", 2), ("Balma", 1), ("Autres communes", 2), ("Commune non précisée", 1)]


def _need(id: int, workshops: int, organisations: int, supports: int, **extra) -> Need:
    return Need(id=id, description=f"Besoin {id}", workshop_id=1, workshop_title="A",
                author=None, organisation=None, created_at=None,  # type: ignore[arg-type]
                workshop_ids=list(range(workshops)), organisation_count=organisations,
                supports=supports, actor_type=None, category=None, urgency=None,
                urgency_label=None, **extra)


def test_needs_rank_by_workshops_then_organisations_then_supports(make_report):
    needs = [_need(1, 1, 5, 9), _need(2, 3, 1, 0), _need(3, 3, 2, 0), _need(4, 3, 2, 7),
             _need(5, 1, 5, 10, title="Titre canonique")]
    assert [n.id for n in ranked_needs(needs)] == [4, 3, 2, 5, 1]
    report = make_report()
    report.needs = needs + [_need(i, 1, 0, 0) for i in range(10, 30)]
    chart = needs_ranking(report)
    assert len(chart.rows) == 10
    assert chart.rows[:5] == [("Besoin 4", 3), ("Besoin 3", 3), ("Besoin 2", 3),
                              ("Titre canonique", 1), ("Besoin 1", 1)]


def test_participation_is_one_bar_per_workshop_in_order(make_report):
    report = make_report()
    workshop = report.method.workshops[0]
    report.method.workshops = [workshop, replace(workshop, id=2, title="Atelier B",
                                                 participants=0)]
    chart = participation_by_workshop(report)
    assert chart.rows == [(workshop.title, 2), ("Atelier B", 0)]


def test_titles_and_headers_go_through_translate(make_report):
    english = {"Initiatives par famille de l'ESS": "Initiatives by SSE family",
               "Famille de l'ESS": "SSE family", "Aucune donnée": "No data"}
    chart = initiatives_by_family(make_report(), lambda m, **p: english.get(m, m), lang="en")
    assert chart.title == "Initiatives by SSE family" and chart.label_header == "SSE family"
    empty = bar_chart("c", "t", [], label_header="", value_header="",
                      translate=lambda m, **p: english.get(m, m))
    assert "No data" in str(empty.svg)
