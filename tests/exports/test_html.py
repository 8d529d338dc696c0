"""HTML export: standalone page and fragment, escaping, sections, translation."""

import re
from html import unescape
from html.parser import HTMLParser

from diagnostic.demo.loader import load_demo
from diagnostic.models import ContributionKind
from diagnostic.reporting.report import NeedRef, Report, Source
from diagnostic.reporting.report_build import compose_report
from diagnostic.synthesis import duplicates, editing
from exports.charts import report_charts
from exports.html import REPORT_CSS, render_report_fragment, render_report_html
from tests.exports.test_minutes_html import build_minutes

SCRIPT = "<script>alert('x')</script>"
SECTIONS = (
    "report-context", "report-method", "report-initiatives", "report-needs",
    "report-recommendations", "report-organisations", "report-directory", "report-minutes",
)


def test_user_text_is_escaped_everywhere(make_report):
    html = render_report_html(make_report(SCRIPT)).decode("utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # Every field carrying the text shows up (escaped): title, names, org, stake, annex...
    assert html.count("&lt;script&gt;") >= 15


def test_template_syntax_in_user_text_is_not_evaluated(make_report):
    html = render_report_html(make_report("{{ 7*7 }} {% if true %}x{% endif %}")).decode()
    assert "{{ 7*7 }} {% if true %}x{% endif %}" in html


def test_standalone_page_is_printable_and_self_contained(make_report):
    html = render_report_html(make_report()).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html and '<meta charset="utf-8">' in html
    assert "@media print" in html and "<title>Diagnostic Texte</title>" in html
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_page_has_every_section_and_the_data(make_report):
    html = render_report_html(make_report()).decode("utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in html and f'href="#{section}"' in html
    for text in ("Contexte et enjeux", "Méthode et participation", "Ateliers tenus",
                 "Participation par type d'acteur", "Participant·e·s par atelier",
                 "État des lieux des initiatives", "Initiatives par secteur d'activité",
                 "Initiatives par famille de l'ESS", "Besoins classés par convergence",
                 "Préconisations par enjeu", "Structures participantes",
                 "Annexe : répertoire des initiatives", "Annexe : comptes-rendus des ateliers"):
        assert text in unescape(html), text
    assert "Nom Texte" in html and "Structure Texte" in html and "Enjeu Texte" in html
    assert "12 avril 2011" in html and "4,5" in html
    # A recommendation links to the need it answers.
    assert 'id="report-need-2"' in html and 'href="#report-need-2"' in html


def test_fragment_is_the_body_only(make_report):
    fragment = render_report_fragment(make_report())
    assert fragment.lstrip().startswith('<article class="report-root"')
    assert not re.search(r"<(html|head|body|style)\b", fragment)
    assert 'id="report-method"' in fragment


def test_css_is_scoped_to_the_report():
    css = re.sub(r"/\*.*?\*/", "", REPORT_CSS, flags=re.S)
    selectors = re.findall(r"(?m)^\s*([^@{}\s][^{}]*)\{", css)
    assert selectors
    for group in selectors:
        for selector in group.split(","):
            assert selector.strip().startswith(".report-root"), selector


def test_interface_strings_go_through_translate(make_report):
    catalog = {"Méthode et participation": "Method", "Ateliers tenus": "Workshops held",
               "%(workshops)s ateliers, %(participants)s participant·e·s et "
               "%(contributions)s contributions publiées.":
               "%(workshops)s workshops, %(participants)s participants, "
               "%(contributions)s contributions."}
    html = render_report_html(
        make_report(), lambda message, **params: catalog.get(message, message), lang="en"
    ).decode()
    assert ">Method</h2>" in html and "Workshops held" in html
    assert "1 workshops, 2 participants, 3 contributions." in html
    assert "April 12, 2011" in html and '<html lang="en">' in html


class _Page(HTMLParser):
    """Ids, in-page links, label references and heading levels of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.labelledby: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if "id" in values:
            self.ids.append(values["id"])
        if values.get("href", "").startswith("#"):
            self.links.append(values["href"][1:])
        self.labelledby.extend((values.get("aria-labelledby") or "").split())
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def check_structure(html: str) -> _Page:
    """Every id unique, every link and label reference resolved, headings nested."""
    page = _Page()
    page.feed(html)
    assert len(page.ids) == len(set(page.ids)), [i for i in page.ids if page.ids.count(i) > 1]
    assert set(page.links) <= set(page.ids), set(page.links) - set(page.ids)
    assert set(page.labelledby) <= set(page.ids), set(page.labelledby) - set(page.ids)
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, (before, after)
    return page


def segment(html: str, start: str, end: str = "</section>") -> str:
    """The part of ``html`` from ``start`` to the next ``end``."""
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


def rich_report(make_report) -> Report:
    """The small report plus a merged priority initiative, tallies and a workshop's minutes."""
    report = make_report()
    initiative = report.initiatives[0]
    initiative.title, initiative.priority = "Recyclerie de la Garonne", True
    initiative.mentions, initiative.workshop_ids, initiative.organisation_count = 3, [1, 2], 2
    initiative.sources = [
        Source(1, 1, "Atelier Texte", "Ressourcerie du centre", name="Recyclerie Garonne",
               organisation="Régie de quartier"),
        Source(11, 2, "Atelier Nord", "La recyclerie ouvre une boutique", name="La Recyclerie",
               author="Inès", organisation="Association intermédiaire"),
    ]
    need = report.needs[0]
    need.convergence = "Soulevé dans 2 ateliers sur 2, par 3 structures"
    need.workshop_ids, need.organisation_count, need.supports, need.dots = [1, 2], 3, 4, 2
    report.recommendations[0].answered_needs.append(NeedRef(999, "Besoin hors rapport"))
    report.priorities = [initiative]
    report.minutes = [build_minutes()]
    return report


def test_merged_item_shows_its_mentions_sources_and_priority(make_report):
    html = render_report_fragment(rich_report(make_report))
    item = segment(html, 'id="report-initiative-1"', 'id="report-needs"')
    for text in ("Recyclerie de la Garonne", "Cité dans 2 ateliers", "3 mentions", "Priorité",
                 "Contributions regroupées (2)", "Recyclerie Garonne", "Ressourcerie du centre",
                 "Atelier Nord", "Inès", "Association intermédiaire", "Toulouse"):
        assert text in item, text
    priorities = segment(html, 'id="report-priorities"')
    assert 'href="#report-initiative-1">Recyclerie de la Garonne</a>' in priorities


def test_need_shows_convergence_supports_and_dots_and_ranks_in_the_chart_table(make_report):
    html = render_report_fragment(rich_report(make_report))
    need = segment(html, 'id="report-need-2"', "</li>")
    assert "Soulevé dans 2 ateliers sur 2, par 3 structures" in need
    assert "Soutiens (+1) : 4" in need and "Gommettes : 2" in need
    ranking = segment(html, 'class="report-ranking"', "</table>")
    cells = re.findall(r'<td class="report-num">(\d+)</td>', ranking)
    assert cells == ["1", "2", "3", "4", "2"]  # rank, workshops, organisations, supports, dots


def test_recommendations_link_only_to_needs_of_the_report(make_report):
    html = render_report_fragment(rich_report(make_report))
    answers = segment(html, 'class="report-answers"', "</div>")
    assert 'href="#report-need-2"' in answers and "Besoin hors rapport" in answers
    assert "report-need-999" not in html


def test_directory_annex_lists_each_initiative_with_its_details(make_report):
    html = render_report_fragment(rich_report(make_report))
    directory = segment(html, 'id="report-directory"')
    row = segment(directory, "<tbody>", "</tr>")
    for text in ("Recyclerie de la Garonne", "Coopérative", "Secteur Texte", "Toulouse", "4,5",
                 "https://example.org"):
        assert text in row, text
    assert "href=" not in row  # a contributed website is shown, never followed


def test_each_workshop_minutes_are_an_annex_with_prefixed_ids_and_no_private_note(make_report):
    html = render_report_fragment(rich_report(make_report))
    annex = html[html.index('id="report-minutes"'):]
    assert '<h3 id="report-w9-minutes-title">Atelier Texte</h3>' in annex
    assert '<h4 id="report-w9-summary-title">En bref</h4>' in annex
    assert 'id="report-w9-item-1"' in annex and 'href="#report-w9-item-4"' in annex
    assert "Contributions fusionnées dans celle-ci (1)" in annex and "Nommée Texte" in annex
    assert 'id="minutes-' not in html and "Document interne" not in annex
    # A scribe's note never names the person it was typed for in the published report.
    assert "Saisie par l'animation</p>" in annex and "pour Texte" not in annex
    assert 'href="#report-w9-minutes"' in html  # listed in the table of contents


def test_links_ids_and_headings_hold_together(make_report):
    for report in (make_report(), rich_report(make_report)):
        page = check_structure(render_report_fragment(report))
        assert {"report-context", "report-directory", "report-minutes"} <= set(page.links)
    assert "report-priorities" not in render_report_fragment(make_report())


def test_chart_tables_show_the_numbers_the_charts_draw(make_report):
    report = rich_report(make_report)
    html = render_report_fragment(report)
    for name, chart in report_charts(report).items():
        figure = segment(html, f'<figure class="report-chart" id="{chart.id}">', "</figure>")
        assert str(chart.svg) in figure
        if name == "needs":
            continue  # its table is the ranking, checked above
        rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="report-num">(.*?)</td>',
                          figure)
        assert [(unescape(label), value) for label, value in rows] == [
            (label, str(value)) for label, value in chart.rows], name


def test_demo_report_with_merges_renders_whole(db):
    diagnostic = load_demo(db.session)
    suggestion = duplicates.suggestions(db.session, diagnostic, ContributionKind.INITIATIVE)[0]
    group = editing.merge(db.session, diagnostic, None,
                          [suggestion.first_id, suggestion.second_id])
    editing.update_item(db.session, diagnostic, None, suggestion.first_id,
                        {"title": group.title, "priority": True})
    db.session.commit()
    report = compose_report(db.session, diagnostic)
    html = render_report_html(report).decode("utf-8")
    check_structure(html)
    merged = next(item for item in report.initiatives if item.sources)
    item = segment(html, f'id="report-initiative-{merged.id}"', "</li>")
    assert "Contributions regroupées (2)" in item and 'class="report-priority"' in item
    for minutes in report.minutes:
        assert f'id="report-w{minutes.workshop.id}-minutes"' in html
    assert len(report.minutes) == report.method.workshop_count == 8
    assert html.count('<figure class="report-chart"') == 5


def test_the_cover_shows_the_identity_logo_status_and_version(make_report):
    from datetime import UTC, date, datetime

    from diagnostic.reporting.common import Identity

    report = make_report()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    report.context.identity = Identity(authority="Mairie <de> Test", subtitle="Sous-titre",
                                       logo=svg, logo_type="image/svg+xml")
    # 23:30 UTC is already the next day in Paris: the version date is the local day.
    report.generated_at = datetime(2011, 4, 12, 23, 30, tzinfo=UTC)
    html = render_report_html(report).decode()
    cover = html[html.index('class="report-header report-cover"'):html.index("</header>")]
    assert 'src="data:image/svg+xml;base64,PHN2Zy' in cover  # only a data: URI
    assert 'alt="Logo : Mairie &lt;de&gt; Test"' in cover
    assert "Mairie &lt;de&gt; Test" in cover and "Sous-titre" in cover
    assert "Document de travail" in cover and "Version du 13 avril 2011" in cover
    assert "13 avril 2011 01:30" in cover  # generated at, in the diagnostic's zone
    assert '<meta name="author" content="Mairie &lt;de&gt; Test">' in html

    report.context.identity = Identity(status="validated", validated_on=date(2011, 7, 4),
                                       version_date=date(2011, 7, 1), logo=b"GIF89a",
                                       logo_type="image/gif")
    cover = render_report_html(report).decode()
    assert "Version validée le 4 juillet 2011" in cover and "Version du 1 juillet 2011" in cover
    assert "Document de travail" not in cover
    assert "<img" not in cover  # neither PNG nor SVG: no logo


def test_the_table_of_contents_lists_chapters_and_their_main_sub_sections(make_report):
    html = render_report_html(make_report()).decode()
    toc = html[html.index('<nav class="report-toc"'):html.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', toc)
    for target in targets:
        assert f'id="{target}"' in html, target  # every entry leads somewhere
    for sub in ("report-stakes-title", "report-workshops-table", "report-participation-title",
                "report-initiatives-figures", "report-initiatives-families",
                "report-needs-ranking", "report-needs-all", "report-stake-10"):
        assert sub in targets, sub


def test_totals_are_the_last_row_of_the_body_never_a_repeated_footer(make_report):
    html = render_report_html(make_report()).decode()
    assert "<tfoot" not in html
    workshops = html[html.index('<table class="report-workshops"'):]
    workshops = workshops[:workshops.index("</table>")]
    rows = re.findall(r"<tr[^>]*>", workshops)
    assert rows[-1] == '<tr class="report-total">'
    assert workshops.index('<tr class="report-total">') < workshops.index("</tbody>")


def test_printed_headers_are_abbreviated_and_explained_in_a_legend(make_report):
    from exports.html import abbreviation

    assert [abbreviation(w) for w in ("Initiatives", "Besoins", "Préconisations",
                                      "Participant·e·s", "Total", "Autres")] == [
        "Init.", "Bes.", "Préc.", "Part.", "Total", "Autres"]
    html = render_report_html(make_report()).decode()
    assert '<abbr class="report-short" title="Préconisations">Préc.</abbr>' in html
    assert "<abbr>Préc.</abbr> Préconisations" in html  # the legend under the table
