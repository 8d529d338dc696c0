"""The printed report, measured: WeasyPrint's layout tree and the PDF it writes.

One report is built to stress the layout (a workshops table and a directory long enough to
split over pages, long workshop titles, place names and labels, e-mails and URLs) and laid
out once for the module; every test reads that layout or its PDF:

- every table's box lies inside the page's content box, and no cell's text runs out of it;
- no word of a header, a name, a heading or a table cell is hyphenated or cut (every piece
  of text on a line is a whole word of the source, or the part of a compound word up to
  or after its own hyphen); only URLs and e-mail addresses may break;
- a split table repeats its header row on each page and prints its total once, at the end;
- a cover (authority, status, version date, no running header or footer), a table of
  contents with the page numbers where its chapters start, running headers;
- a tagged PDF (PDF/UA-1): marked content, a structure tree, the language and the title.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from diagnostic.reporting.common import CountRow, Identity
from diagnostic.reporting.report import Group, Need, WorkshopSummary
from exports.html import render_report_html
from exports.minutes_html import render_minutes_html
from exports.pdf import PDF_VARIANT, layout, render_minutes_pdf
from exports.print_edition import print_edition
from tests.exports.conftest import build_report
from tests.exports.test_minutes_html import build_minutes

pytestmark = pytest.mark.slow

LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
        b'<rect width="40" height="40" fill="#c0392b"/></svg>')
AUTHORITY = "Communauté d'agglomération du Sicoval"
PLACES = ["Castanet-Tolosan", "Saint-Orens-de-Gameville", "Tournefeuille", "Cugnaux",
          "Colomiers", "Ramonville-Saint-Agne", "Villefranche-de-Lauragais"]
FAMILIES = ["Structure d'insertion par l'activité économique",
            "Coopérative d'activité et d'emploi", "Association d'éducation populaire",
            "Entreprise solidaire d'utilité sociale"]
TITLE = ("Diagnostic territorial collaboratif de l'économie sociale et solidaire du Sicoval, "
         "de Castanet-Tolosan et des communes environnantes")
WORKSHOPS = 42
INITIATIVES = 70


def stress_report():
    """A report whose tables split over pages and whose labels are long (no database)."""
    report = build_report("Texte")
    kinds = [CountRow("initiative", "Initiatives", 0), CountRow("need", "Besoins", 0),
             CountRow("recommendation", "Préconisations", 0)]
    workshops = []
    for index in range(WORKSHOPS):
        place = PLACES[index % len(PLACES)]
        counts = [CountRow(k.key, k.label, 2 + index % 3) for k in kinds]
        workshops.append(WorkshopSummary(
            id=index + 1, title=f"Atelier territorial de l'économie solidaire — {place} nord",
            kind="territorial", kind_label="Atelier territorial",
            subject="Entrepreneuriat solidaire et insertion", date=date(2011, 4, 1 + index % 28),
            place=f"Salle polyvalente Jean-Jaurès, {place}",
            status="closed" if index % 4 else "planned",
            status_label="Clos" if index % 4 else "Programmé", participants=5 + index % 9,
            contributions=counts, total_contributions=sum(c.count for c in counts),
            start_time="14:00", end_time="17:30"))
    method = report.method
    method.workshops, method.workshop_count = workshops, WORKSHOPS
    method.participant_count = sum(w.participants for w in workshops)
    method.contributions_by_kind = [
        CountRow(k.key, k.label, sum(w.contributions[i].count for w in workshops))
        for i, k in enumerate(kinds)]
    method.contribution_count = sum(w.total_contributions for w in workshops)

    model = report.initiatives[0]
    initiatives = [dataclasses.replace(
        model, id=100 + index, name=f"Recyclerie solidaire du Lauragais numéro {index}",
        ess_family=FAMILIES[index % len(FAMILIES)], commune=PLACES[index % len(PLACES)],
        activity_sector="Environnement et économie circulaire",
        contact=f"contact.recyclerie-{index}@association-lauragais-solidaire.org",
        website=f"https://www.recyclerie-solidaire-du-lauragais.example.org/initiative/{index}")
        for index in range(INITIATIVES)]
    report.initiatives = initiatives
    report.initiatives_by_family = [
        Group(i, family, [x for x in initiatives if x.ess_family == family])
        for i, family in enumerate(FAMILIES)]
    report.initiatives_by_sector = [Group(1, "Environnement et économie circulaire",
                                          initiatives)]
    need = report.needs[0]
    report.needs = [dataclasses.replace(
        need, id=500 + index, title=f"Accompagner durablement les porteurs de projets "
        f"de l'économie sociale et solidaire vers les marchés publics responsables {index}",
        workshop_ids=list(range(1, 2 + index % 5))) for index in range(12)]
    report.context.title = TITLE
    report.context.identity = Identity(
        authority=AUTHORITY, subtitle="État des lieux, besoins et préconisations",
        logo=LOGO, logo_type="image/svg+xml", status="validated",
        validated_on=date(2011, 7, 4))
    return report


@pytest.fixture(scope="module")
def report():
    return stress_report()


@pytest.fixture(scope="module")
def document(report):
    """The report's print layout, laid out once for the module."""
    return layout(render_report_html(report, lists=print_edition(report)))


@pytest.fixture(scope="module")
def pdf(document):
    return PdfReader(io.BytesIO(document.write_pdf(pdf_variant=PDF_VARIANT)))


# -- Walking the layout tree ---------------------------------------------------------------

def walk(box, ancestors=()):
    """Every box under ``box`` with the tuple of its ancestors (outermost first)."""
    yield box, ancestors
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from walk(child, (*ancestors, box))


def classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def element_text(box) -> str:
    # Pieces of text joined by spaces: a <br> (date, hours) separates words too.
    return " ".join(" ".join(box.element.itertext()).split())


def page_of(document, element_id: str) -> int:
    """The 1-based number of the page where the element ``element_id`` starts."""
    for number, page in enumerate(document.pages, start=1):
        for box, _ancestors in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id:
                return number
    raise AssertionError(f"#{element_id} is not laid out")


def whole_words(text: str) -> set[str]:
    """The words of ``text`` and, for compound words, their parts up to/after each hyphen.

    A line may break after a hyphen, an en dash or a slash of the text itself.
    """
    words = set()
    for word in text.split():
        words.add(word)
        for match in re.finditer("[-–/]", word):
            words.add(word[:match.end()])
            words.add(word[match.end():])
    return words


def cut_words(document, selector) -> list[str]:
    """Pieces of text on a line that are not whole words of their element's source text.

    ``selector(box, ancestors)`` returns the box whose source text is the reference, or
    None to skip the text. A hyphenated word ("Sta-" of "Statut") or a word broken
    anywhere ("dura" of "durable") is such a piece.
    """
    found = []
    for page in document.pages:
        for box, ancestors in walk(page._page_box):
            if not isinstance(box, boxes.TextBox) or "::" in (box.element_tag or ""):
                continue
            owner = selector(box, ancestors)
            if owner is None:
                continue
            source = whole_words(element_text(owner))
            found += [piece for piece in box.text.split() if piece not in source]
    return found


def in_cell(box, ancestors):
    """The table cell holding ``box`` (None outside tables, in URL/e-mail cells)."""
    for ancestor in reversed(ancestors):
        if isinstance(ancestor, boxes.TableCellBox):
            return None if "report-url" in classes(ancestor) else ancestor
    return None


NAMED = {"report-name", "report-item-title", "report-commune", "report-authority"}


def in_name_or_heading(box, ancestors):
    """The heading, caption or name (place, title, authority) holding ``box``."""
    for ancestor in reversed(ancestors):
        if ancestor.element_tag in {"h1", "h2", "h3", "h4", "caption", "figcaption"} \
                or classes(ancestor) & NAMED:
            return ancestor
    return None


# -- Tables fit the page -------------------------------------------------------------------

def test_every_table_fits_the_page_content_box(document):
    tables, overflowing = 0, []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        for box, _ancestors in walk(page_box):
            if isinstance(box, boxes.TableBox):
                tables += 1
                x, width = box.border_box_x(), box.border_width()
                assert left - 0.5 <= x and x + width <= right + 0.5, (
                    f"page {number}: table .{' .'.join(classes(box))} from {x:.0f} to "
                    f"{x + width:.0f} pt, page text from {left:.0f} to {right:.0f} pt")
            if isinstance(box, boxes.TableCellBox):
                cell_right = box.content_box_x() + box.width
                for inner, _ in walk(box):
                    if isinstance(inner, boxes.TextBox) and \
                            inner.position_x + inner.width > cell_right + 0.5:
                        overflowing.append(f"page {number}: {inner.text!r} "
                                           f"{inner.position_x + inner.width - cell_right:.1f} pt")
    assert tables > 10
    assert overflowing == [], "text runs out of its table cell"


def test_the_directory_is_printed_on_landscape_pages(document):
    directory_pages = {number for number, page in enumerate(document.pages, start=1)
                       for box, _ in walk(page._page_box)
                       if isinstance(box, boxes.TableBox) and "report-directory" in classes(box)}
    assert len(directory_pages) >= 2
    for number in directory_pages:
        page = document.pages[number - 1]
        assert page.width > page.height


# -- No hyphenation, no word cut -----------------------------------------------------------

def test_no_word_of_a_table_cell_is_hyphenated_or_cut(document):
    assert cut_words(document, in_cell) == []


def test_no_heading_caption_or_name_is_hyphenated_or_cut(document):
    assert cut_words(document, in_name_or_heading) == []


def test_the_check_sees_a_hyphenated_header():
    # The check itself: a narrow column with hyphenation on must be caught.
    html = ('<html lang="fr"><body><table style="width:30pt;table-layout:fixed">'
            '<tr><th style="hyphens:auto">Participations</th></tr></table></body></html>')
    assert cut_words(layout(html.encode()), in_cell)


# -- Split tables: header on each page, total once at the end ------------------------------

def table_rows(document, table_class):
    """(page number, is header row, first cell's text) of every row of the tables."""
    rows = []
    for number, page in enumerate(document.pages, start=1):
        for box, ancestors in walk(page._page_box):
            if isinstance(box, boxes.TableRowBox) and any(
                    isinstance(a, boxes.TableBox) and table_class in classes(a)
                    for a in ancestors):
                group = ancestors[-1]
                rows.append((number, group.is_header, element_text(box.children[0])))
    return rows


@pytest.mark.parametrize("table_class", ["report-workshops", "report-directory"])
def test_a_split_table_repeats_its_header_and_prints_its_total_once(document, table_class):
    rows = table_rows(document, table_class)
    pages = sorted({page for page, _header, _text in rows})
    assert len(pages) >= 2, "the test data must split this table"
    header_pages = [page for page, header, _text in rows if header]
    assert header_pages == pages  # the header row on every page of the table
    if table_class == "report-workshops":
        totals = [(page, text) for page, header, text in rows if text == "Total"]
        assert totals == [(pages[-1], "Total")]
        assert rows[-1][2] == "Total"  # the last row of the table


# -- Charts --------------------------------------------------------------------------------

def test_chart_labels_are_complete(report):
    html = render_report_html(report, lists=print_edition(report)).decode()
    svg = html[html.index('id="report-chart-participation"'):]
    svg = svg[:svg.index("</svg>")]
    assert "…" not in svg
    labels = [" ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", text))
              for text in re.findall(r'<text text-anchor="end"[^>]*>(.*?)</text>', svg)]
    titles = [w.title.replace("'", "&#39;") for w in report.method.workshops]
    assert labels == titles


# -- Cover, table of contents, running headers ---------------------------------------------

def page_text(pdf, number: int) -> str:
    return " ".join((pdf.pages[number - 1].extract_text() or "").split())


def test_the_cover_names_the_authority_status_and_version_without_header_or_footer(pdf):
    cover = page_text(pdf, 1)
    for expected in (AUTHORITY, "Diagnostic territorial collaboratif",
                     "État des lieux, besoins et préconisations",
                     "Version validée le 4 juillet 2011", "Territoire Texte",
                     # generated at 14:30 UTC, printed in the diagnostic's zone (Paris)
                     "12 avril 2011 16:30"):
        assert expected in cover, expected
    assert f"/ {len(pdf.pages)}" not in cover
    assert f"2 / {len(pdf.pages)}" in page_text(pdf, 2)


def flatten(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from flatten(entry)
        else:
            yield entry


def test_the_table_of_contents_gives_each_chapter_its_page(document, pdf):
    toc = page_text(pdf, 2)
    assert toc.startswith("Sommaire") or "Sommaire" in toc
    for title, target in (("Contexte et enjeux", "report-context"),
                          ("Méthode et participation", "report-method"),
                          ("Les enjeux", "report-stakes-title"),
                          ("Annexe : répertoire des initiatives", "report-directory"),
                          ("Annexe : comptes-rendus des ateliers", "report-minutes")):
        page = page_of(document, target)
        assert re.search(rf"{re.escape(title)} ?\.+ ?{page}\b", toc), (title, page)
    links = [a.get_object() for a in pdf.pages[1].get("/Annots", [])]
    assert len([a for a in links if a.get("/Subtype") == "/Link"]) >= 10  # clickable
    assert len(list(flatten(pdf.outline))) >= 8  # PDF bookmarks


def test_running_headers_name_the_report_and_the_chapter(document, pdf):
    page = page_of(document, "report-directory")
    text = page_text(pdf, page + 1)
    assert "Diagnostic territorial collaboratif" in text
    assert "Annexe : répertoire des initiatives" in text
    assert AUTHORITY in text and f"{page + 1} / {len(pdf.pages)}" in text


def test_sections_flow_without_a_page_each(document):
    # "Contexte et enjeux" and "Méthode et participation" share a page; only the annexes
    # start a new one.
    assert page_of(document, "report-context") == page_of(document, "report-method")
    assert page_of(document, "report-recommendations") == page_of(document, "report-organisations")


# -- Tagged PDF ----------------------------------------------------------------------------

def assert_tagged(reader: PdfReader, title: str):
    root = reader.trailer["/Root"]
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert str(root["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"
    assert reader.metadata.title == title


def test_the_report_pdf_is_tagged_with_its_language_and_title(pdf):
    assert_tagged(pdf, TITLE)
    assert pdf.metadata.author == AUTHORITY


def test_the_minutes_pdf_is_tagged_and_carries_the_authority():
    minutes = build_minutes()
    minutes.identity = Identity(authority=AUTHORITY, logo=LOGO, logo_type="image/svg+xml")
    html = render_minutes_html(minutes).decode()
    assert 'class="report-logo" src="data:image/svg+xml;base64,' in html
    reader = PdfReader(io.BytesIO(render_minutes_pdf(minutes)))
    assert_tagged(reader, "Compte-rendu · Atelier Texte")
    first = page_text(reader, 1)
    assert AUTHORITY in first and "Atelier Texte" in first


def test_needs_stay_whole_in_the_ranking(report, pdf):
    need: Need = report.needs[0]
    text = " ".join(page_text(pdf, n) for n in range(1, len(pdf.pages) + 1))
    assert "marchés publics responsables" in text and need.title.split()[-2] in text
