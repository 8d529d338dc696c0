"""HTML export: standalone page and fragment, escaping, sections, translation."""

import re

from exports.html import REPORT_CSS, render_report_fragment, render_report_html

SCRIPT = "<script>alert('x')</script>"
SECTIONS = (
    "report-context", "report-method", "report-initiatives", "report-needs",
    "report-recommendations", "report-organisations", "report-annex",
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
    for text in ("Contexte et enjeux", "Méthode", "Ateliers tenus",
                 "Participation par type d'acteur", "État des lieux des initiatives",
                 "Par secteur d'activité", "Par famille de l'ESS", "Besoins",
                 "Préconisations par enjeu", "Structures participantes",
                 "Annexe : toutes les contributions par atelier"):
        assert text in html, text
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
    catalog = {"Méthode": "Method", "Ateliers tenus": "Workshops held",
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
