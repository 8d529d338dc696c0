"""DOCX and ODT as publications: cover, filled TOC, charts, column widths, properties.

The documents are generated once per module (merged_report with an identity); the
LibreOffice round trip is slow-marked and shared too.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from diagnostic.reporting.common import Identity
from exports.chart_images import png_size
from exports.docx import render_minutes_docx, render_report_docx
from exports.html import render_report_html
from exports.odt import render_minutes_odt, render_report_odt
from exports.office_styles import TEXT_WIDTH_PT
from exports.outline import CELL_PADDING_PT, TABLE_FONT_PT, Table, layout_table, text_width_pt
from tests.exports.document_samples import merged_report
from tests.exports.test_minutes_html import build_minutes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
      "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
      "xlink": "http://www.w3.org/1999/xlink",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
      "dc": "http://purl.org/dc/elements/1.1/"}
BOLD_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHAPTERS = ["Contexte et enjeux", "Méthode et participation", "Priorités",
            "État des lieux des initiatives", "Besoins classés par convergence",
            "Préconisations par enjeu", "Structures participantes",
            "Annexe : répertoire des initiatives", "Annexe : comptes-rendus des ateliers"]


@pytest.fixture(scope="module")
def documents():
    report = merged_report()
    report.context.identity = Identity(authority="Métropole Texte", subtitle="Sous-titre Texte",
                                       status="validated", validated_on=date(2011, 7, 1))
    before = datetime.now(UTC).replace(microsecond=0)
    report.generated_at = before
    return {"report": report, "docx": render_report_docx(report),
            "odt": render_report_odt(report), "generated": before}


def _xml(data: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def _html_chapters(report) -> list[str]:
    html = render_report_html(report).decode("utf-8")
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r'<h2 id="report-[a-z]+-title">(.*?)</h2>', html)]


def test_chapters_follow_the_html_report(documents):
    expected = _html_chapters(documents["report"])
    assert expected == CHAPTERS  # the sample has priorities and minutes
    body = _xml(documents["docx"], "word/document.xml")
    docx_h1 = ["".join(p.itertext()) for p in body.iter(f"{W}p")
               if p.find("w:pPr/w:pStyle[@w:val='Heading1']", NS) is not None]
    assert docx_h1 == expected
    content = _xml(documents["odt"], "content.xml")
    odt_h1 = ["".join(h.itertext()) for h in content.iterfind(
        ".//text:h[@text:outline-level='1']", NS)]
    assert odt_h1 == expected


def test_docx_cover_toc_entries_link_to_bookmarks(documents):
    body = _xml(documents["docx"], "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    texts = ["".join(p.itertext()) for p in paragraphs[:10]]
    assert "Métropole Texte" in texts and "Sous-titre Texte" in texts
    assert "Version validée le 1 juillet 2011" in texts
    assert any(p.find("w:pPr/w:pageBreakBefore", NS) is not None for p in paragraphs[:12])
    instr = " ".join(body.xpath("//w:instrText/text()", namespaces=NS))
    assert 'TOC \\o "1-2" \\h \\z \\u' in instr
    entries = [p for p in paragraphs
               if p.find("w:pPr/w:pStyle", NS) is not None
               and p.find("w:pPr/w:pStyle", NS).get(f"{W}val") in ("TOC1", "TOC2")]
    bookmarks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    assert len(entries) >= len(CHAPTERS)
    for entry in entries:
        link = entry.find("w:hyperlink", NS)
        assert link is not None and link.get(f"{W}anchor") in bookmarks
        assert f"PAGEREF {link.get(f'{W}anchor')}" in "".join(link.xpath(
            ".//w:instrText/text()", namespaces=NS))
        assert re.fullmatch(r"\d+", "".join(link.xpath(
            ".//w:fldChar[@w:fldCharType='separate']/../following-sibling::w:r[1]/w:t/text()",
            namespaces=NS)))
    assert ["".join(e.find("w:hyperlink", NS).xpath("w:r[1]/w:t/text()", namespaces=NS))
            for e in entries if e.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "TOC1"] \
        == CHAPTERS


def test_docx_charts_are_referenced_png_pictures_with_alt_text(documents):
    package = zipfile.ZipFile(io.BytesIO(documents["docx"]))
    media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) >= 5 and all(n.endswith(".png") for n in media)
    for name in media:
        width, _height = png_size(package.read(name))
        assert width >= 1500  # 16 cm at print resolution
    rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    body = _xml(documents["docx"], "word/document.xml")
    embeds = body.xpath("//a:blip/@r:embed", namespaces=NS)
    assert len(embeds) >= 5
    for rid in embeds:
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                           rels)
        assert target and "word/" + (target.group(1) or target.group(2)) in media
    descriptions = body.xpath("//wp:docPr/@descr", namespaces=NS)
    assert any(d.startswith("Initiatives par famille de l'ESS") for d in descriptions)
    assert all(descriptions)


def _longest_word_pt(font: TTFont, value: str, size: float) -> float:
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    scale = size / font["head"].unitsPerEm
    return max((sum(metrics[cmap.get(ord(ch), ".notdef")][0] for ch in word) * scale
                for word in value.split()), default=0)


@pytest.mark.skipif(not BOLD_FONT.exists(), reason="Liberation Sans Bold is not installed")
def test_docx_header_columns_hold_their_longest_word(documents):
    font = TTFont(BOLD_FONT)
    body = _xml(documents["docx"], "word/document.xml")
    checked = 0
    for table in body.iter(f"{W}tbl"):
        widths = [int(c.get(f"{W}w")) / 20 for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert abs(sum(widths) - TEXT_WIDTH_PT) < 1
        header = table.find("w:tr", NS)
        if header.find("w:trPr/w:tblHeader", NS) is None:
            continue
        for cell, width in zip(header.iterfind("w:tc", NS), widths, strict=True):
            word = _longest_word_pt(font, "".join(cell.itertext()), TABLE_FONT_PT)
            assert word <= width - 2 * CELL_PADDING_PT, ("".join(cell.itertext()), width)
            checked += 1
    assert checked > 10


def test_docx_no_caption_repeats_its_heading(documents):
    body = _xml(documents["docx"], "word/document.xml")
    previous = None
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        style = style.get(f"{W}val") if style is not None else ""
        text = "".join(paragraph.itertext()).strip()
        if style == "Caption" and previous:
            assert text.casefold() != previous.casefold(), text
        previous = text if style.startswith("Heading") else None


def test_docx_properties_and_language(documents):
    document = docx.Document(io.BytesIO(documents["docx"]))
    props = document.core_properties
    assert props.author == "Métropole Texte" and props.last_modified_by == "Métropole Texte"
    assert props.title == documents["report"].context.title and props.language == "fr-FR"
    generated = documents["generated"]
    assert props.created.astimezone(UTC) == generated
    assert props.modified.astimezone(UTC) == generated
    styles = zipfile.ZipFile(io.BytesIO(documents["docx"])).read("word/styles.xml")
    assert b'<w:lang w:val="fr-FR"' in styles
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(
        io.BytesIO(documents["docx"])).namelist()
    names = {s.name for s in document.styles} | {s.name.upper() for s in document.styles}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Cover Authority", "Cover Status",
            "Report Body", "Report Facts", "Report Note", "Report Table Text",
            "Report Table Header", "Caption", "TOC 1", "TOC 2"} <= names
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert documents["report"].context.title in section.header.paragraphs[0].text


def test_minutes_docx_has_styles_header_and_properties():
    minutes = build_minutes()
    minutes.identity = Identity(authority="Métropole Texte")
    document = docx.Document(io.BytesIO(render_minutes_docx(minutes)))
    assert document.core_properties.author == "Métropole Texte"
    assert document.core_properties.created.year == minutes.generated_at.year
    section = document.sections[0]
    assert "Métropole Texte" in section.header.paragraphs[0].text
    assert not section.different_first_page_header_footer  # no cover: header on page 1
    assert "Report Facts" in {p.style.name for p in document.paragraphs}


def test_odt_toc_entries_pictures_and_meta(documents):
    data = documents["odt"]
    content = _xml(data, "content.xml")
    body = content.find(".//text:table-of-content/text:index-body", NS)
    assert body is not None
    marks = set(content.xpath("//text:bookmark-start/@text:name", namespaces=NS))
    entries = body.findall("text:p", NS)
    assert len(entries) >= len(CHAPTERS)
    for entry in entries:
        link = entry.find("text:a", NS)
        target = link.get(f"{{{NS['xlink']}}}href")[1:]
        assert target in marks
        ref = link.find("text:bookmark-ref", NS)
        assert ref.get(f"{{{NS['text']}}}reference-format") == "page"
        assert ref.get(f"{{{NS['text']}}}ref-name") == target
    package = zipfile.ZipFile(io.BytesIO(data))
    pictures = [n for n in package.namelist() if n.startswith("Pictures/")]
    assert len(pictures) >= 5
    manifest = package.read("META-INF/manifest.xml").decode("utf-8")
    frames = content.xpath("//draw:frame[draw:image]", namespaces=NS)
    for frame in frames:
        href = frame.find("draw:image", NS).get(f"{{{NS['xlink']}}}href")
        assert href in pictures and f'manifest:full-path="{href}"' in manifest
        png_size(package.read(href))
    assert any((f.findtext("svg:desc", namespaces=NS) or "").startswith(
        "Initiatives par famille") for f in frames)
    meta = _xml(data, "meta.xml")
    assert meta.findtext(".//meta:initial-creator", namespaces=NS) == "Métropole Texte"
    assert meta.findtext(".//dc:creator", namespaces=NS) == "Métropole Texte"
    assert meta.findtext(".//dc:language", namespaces=NS) == "fr-FR"
    stamp = documents["generated"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert meta.findtext(".//meta:creation-date", namespaces=NS) == stamp
    assert meta.findtext(".//dc:date", namespaces=NS) == stamp


def test_odt_columns_hold_header_words(documents):
    content = _xml(documents["odt"], "content.xml")
    widths = {s.get(f"{{{NS['style']}}}name"): float(s.find(
        "style:table-column-properties", NS).get(f"{{{NS['style']}}}column-width")[:-2])
        for s in content.iterfind(".//style:style[@style:family='table-column']", NS)}
    font = TTFont(BOLD_FONT) if BOLD_FONT.exists() else None
    for table in content.iterfind(".//table:table", NS):
        columns = [widths[c.get(f"{{{NS['table']}}}style-name")] * 72 / 2.54
                   for c in table.iterfind("table:table-column", NS)]
        assert abs(sum(columns) - TEXT_WIDTH_PT) < 1
        header = table.find("table:table-header-rows/table:table-row", NS)
        if header is None or font is None:
            continue
        for cell, width in zip(header.iterfind("table:table-cell", NS), columns, strict=True):
            assert _longest_word_pt(font, "".join(cell.itertext()), TABLE_FONT_PT) \
                <= width - 2 * CELL_PADDING_PT


LOGO_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
            b'<rect width="200" height="100" fill="#1f4e79"/></svg>')


def test_cover_carries_the_logo():
    import cairosvg

    report = merged_report()
    report.context.identity = Identity(authority="Métropole Texte",
                                       logo_png=cairosvg.svg2png(bytestring=LOGO_SVG))
    body = _xml(render_report_docx(report), "word/document.xml")
    first = next(body.iter(f"{W}p"))
    assert first.find(".//wp:docPr", NS).get("descr") == "Métropole Texte"
    extent = first.find(".//wp:extent", NS)
    assert int(extent.get("cx")) == 2 * int(extent.get("cy"))  # aspect kept
    odt = render_report_odt(report)
    content = _xml(odt, "content.xml")
    first = content.find(".//office:text/text:p", NS)
    href = first.find("draw:frame/draw:image", NS).get(f"{{{NS['xlink']}}}href")
    assert href in zipfile.ZipFile(io.BytesIO(odt)).namelist()
    # The first paragraph switches to the cover page style (no header, no page number).
    style_name = first.get(f"{{{NS['text']}}}style-name")
    style = content.find(f".//style:style[@style:name='{style_name}']", NS)
    assert style.get(f"{{{NS['style']}}}master-page-name") == "Report_Cover"


def test_layout_keeps_words_whole_and_abbreviates_with_a_legend():
    narrow = Table(header=["Rang", "Préconisation", "Total"],
                   rows=[["1", "Un texte assez long pour remplir la colonne", "12"]],
                   widths=[0.2, 8, 0.2], numeric=frozenset({0, 2}))
    layout = layout_table(narrow, 480)
    assert abs(sum(layout.widths) - 480) < 0.01 and not layout.legend
    for word, width in zip(("Rang", "Préconisation", "Total"), layout.widths, strict=True):
        assert text_width_pt(word) <= width - 2 * CELL_PADDING_PT
    wide = Table(header=[f"Participant·e·s{i}" for i in range(9)],
                 rows=[["1"] * 9], widths=[1] * 9)
    layout = layout_table(wide, 480)
    assert layout.legend and all(full.startswith("Participant") for _s, full in layout.legend)
    assert all(head in {short for short, _full in layout.legend} or head == full
               for head, full in zip(layout.header, wide.header, strict=True))
    assert abs(sum(layout.widths) - 480) < 0.01
    for head, width in zip(layout.header, layout.widths, strict=True):
        assert text_width_pt(head) <= width - 2 * CELL_PADDING_PT


def test_minutes_odt_has_header_and_meta():
    minutes = build_minutes()
    minutes.identity = Identity(authority="Métropole Texte")
    data = render_minutes_odt(minutes)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("styles.xml").decode("utf-8")
    assert "Métropole Texte · Compte-rendu d'atelier" in styles
    meta = _xml(data, "meta.xml")
    assert meta.findtext(".//dc:creator", namespaces=NS) == "Métropole Texte"


@pytest.fixture(scope="module")
def converted(documents, tmp_path_factory):
    """Both documents converted to PDF by LibreOffice, once."""
    folder = tmp_path_factory.mktemp("lo")
    (folder / "rapport-docx.docx").write_bytes(documents["docx"])
    # The ODT without the cached page numbers: LibreOffice must compute them.
    with zipfile.ZipFile(io.BytesIO(documents["odt"])) as source, \
            zipfile.ZipFile(folder / "rapport-odt.odt", "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content.xml":
                data, count = re.subn(rb'(<text:bookmark-ref [^>]*>)\d+<', rb"\1<", data)
                assert count >= len(CHAPTERS)
            target.writestr(info, data, compress_type=info.compress_type)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(folder / "rapport-docx.docx"), str(folder / "rapport-odt.odt")],
                   check=True, capture_output=True, timeout=300,
                   env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return {kind: PdfReader(folder / f"rapport-{kind}.pdf") for kind in ("docx", "odt")}


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_libreoffice_toc_page_lists_chapters_with_their_pages(converted, kind):
    reader = converted[kind]
    pages = [page.extract_text() or "" for page in reader.pages]
    assert "Métropole Texte" in pages[0] and "Sommaire" not in pages[0]
    # The running header (the title) and the page number are not on the cover.
    assert pages[0].count("Diagnostic Texte") == 1
    assert pages[2].startswith("Diagnostic Texte") and pages[2].rstrip().endswith("3")
    toc = pages[1]
    assert "Sommaire" in toc
    for chapter in CHAPTERS:
        match = re.search(re.escape(chapter) + r"[ .…]*(\d+)\s*$", toc, re.M)
        assert match, (chapter, toc)
        number = int(match.group(1))
        # ODT: page-reference fields, laid out by LibreOffice: exact. DOCX: LibreOffice
        # shows the cached estimates (Word recomputes them): within a page.
        near = [number] if kind == "odt" else [number - 1, number, number + 1]
        assert any(chapter in pages[n - 1] for n in near if 0 < n <= len(pages)), (
            chapter, number)
