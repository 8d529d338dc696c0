"""DOCX export of the report and of a workshop's minutes (python-docx).

The document is written from an :class:`~exports.outline.Outline`: Word's built-in
styles (Title, Heading 1–4, List Bullet, Caption, TOC Heading) plus the report's own
paragraph styles ("Report Facts", "Report Meta"...), tables in "Light Grid Accent 1"
with a header row repeated on each page, a table of contents *field*
(``TOC \\o "1-3" \\h \\z \\u``) that Word or LibreOffice fills in when fields are updated
(the document asks for it on opening), A4 pages with the page number in the footer, and
core properties (title, subject, language).

python-docx sets up the package (styles, settings, footer, properties); the body is
emitted as WordprocessingML text and spliced into the saved package, because
python-docx's object API takes minutes on reports of thousands of items.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate, translator
from .outline import (
    Block,
    BulletList,
    Heading,
    Outline,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
    Title,
)
from .outline_minutes import minutes_outline
from .outline_report import report_outline

TABLE_STYLE = "Light Grid Accent 1"
TEXT_WIDTH_TWIPS = 9638
"""A4 (21 cm) minus two 2 cm margins, in twentieths of a point."""
GREY = RGBColor(0x40, 0x40, 0x40)
LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}
PARAGRAPH_STYLES = {"meta": "Report Meta", "facts": "Report Facts", "empty": "Report Empty",
                    "note": "Report Note", "item": "Report Item"}
# name, size (pt), bold, italic, grey: the report's own paragraph styles.
CUSTOM_STYLES = (
    ("Report Meta", 9, False, False, True),
    ("Report Facts", 9, False, False, True),
    ("Report Empty", 9.5, False, True, True),
    ("Report Note", 10, True, False, False),
    ("Report Item", 10.5, True, False, False),
)


def language_tag(lang: str) -> str:
    """A BCP 47 tag for a short language code ("fr" → "fr-FR")."""
    return LANGUAGES.get(lang.split("-")[0].split("_")[0].lower(), lang.replace("_", "-"))


def _text_runs(value: str, props: str = "") -> str:
    """Runs of ``value`` with its line breaks and tabs as WordprocessingML elements."""
    if "\n" not in value and "\t" not in value:
        return f'<w:r>{props}<w:t xml:space="preserve">{escape(value)}</w:t></w:r>'
    parts = []
    for index, line in enumerate(value.split("\n")):
        if index:
            parts.append("<w:br/>")
        for tab_index, piece in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{props}{''.join(parts)}</w:r>"


def _run(run: Run) -> str:
    props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
    return _text_runs(run.text, f"<w:rPr>{props}</w:rPr>" if props else "")


class _BodyWriter:
    """Emits outline blocks as WordprocessingML strings."""

    def __init__(self, style_ids: dict[str, str], translate: Translate) -> None:
        self.style_ids = style_ids
        self._ = translate
        self.parts: list[str] = []
        self.break_next = False

    def p(self, content: str, style: str | None = None, *, indent: int = 0,
          keep_next: bool = False, align: str | None = None) -> str:
        props = f'<w:pStyle w:val="{self.style_ids[style]}"/>' if style else ""
        if keep_next:
            props += "<w:keepNext/>"
        if self.break_next:  # a PageBreak block: this paragraph starts a new page
            props += "<w:pageBreakBefore/>"
            self.break_next = False
        if indent:
            props += f'<w:ind w:left="{425 * indent}"/>'
        if align:
            props += f'<w:jc w:val="{align}"/>'
        return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{content}</w:p>"

    def write(self, block: Block) -> None:
        add = self.parts.append
        if isinstance(block, Title):
            add(self.p(_text_runs(block.text), "Title"))
        elif isinstance(block, Heading):
            add(self.p(_text_runs(block.text), f"Heading {min(block.level, 4)}"))
        elif isinstance(block, Paragraph):
            add(self.p("".join(_run(run) for run in block.runs),
                       PARAGRAPH_STYLES.get(block.style), indent=block.indent))
        elif isinstance(block, BulletList):
            style = ("List Number" if block.numbered else "List Bullet") + (
                " 2" if block.indent else "")
            self.parts.extend(self.p(_text_runs(item), style) for item in block.items)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, TableOfContents):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.break_next = True

    def table(self, block: Table) -> None:
        if block.caption:
            self.parts.append(self.p(_text_runs(block.caption), "Caption", keep_next=True))
        total = sum(block.widths)
        widths = [round(TEXT_WIDTH_TWIPS * w / total) for w in block.widths]
        look = (f'<w:tblLook w:val="04A0" w:firstRow="{int(bool(block.header))}" '
                f'w:lastRow="{int(bool(block.footer))}" w:firstColumn="1" w:lastColumn="0" '
                'w:noHBand="0" w:noVBand="1"/>')
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style_ids[TABLE_STYLE]}"/>'
               f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>'
               f'<w:tblLayout w:type="fixed"/>{look}</w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        if block.header:  # repeated at the top of each page, never split
            out.append(self.row(block.header, block, widths,
                                "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"))
        out.extend(self.row(values, block, widths) for values in block.rows)
        if block.footer:
            out.append(self.row(block.footer, block, widths, bold=True))
        out.append("</w:tbl>")
        self.parts.append("".join(out))
        self.parts.append(self.p(""))  # a table is never glued to the next one

    def row(self, values: list[str], block: Table, widths: list[int], props: str = "",
            bold: bool = False) -> str:
        cells = []
        for index, width in enumerate(widths):
            value = values[index] if index < len(values) else ""
            runs = _text_runs(value, "<w:rPr><w:b/></w:rPr>" if bold else "")
            align = "right" if index in block.numeric else None
            paragraph = self.p(runs, align=align)
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                         f"{paragraph}</w:tc>")
        return f"<w:tr>{props}{''.join(cells)}</w:tr>"

    def toc(self, block: TableOfContents) -> None:
        placeholder = self._("Mettez à jour les champs pour afficher la table des matières.")
        field = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_text_runs(placeholder)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        self.parts.append(self.p(_text_runs(block.title), "TOC Heading"))
        self.parts.append(self.p(field))
        self.break_next = True


def _new_document(outline: Outline):
    """An A4 python-docx document with footer page numbers, styles and properties."""
    document, tag = Document(), language_tag(outline.lang)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1'
                               "</w:t></w:r></w:fldSimple>"))
    props = document.core_properties
    # Core properties are limited to 255 characters (python-docx refuses more).
    props.title, props.subject = outline.title[:255], outline.subject[:255]
    props.language = tag
    props.author = props.last_modified_by = ""
    styles = document.styles
    styles["Normal"].font.name, styles["Normal"].font.size = "Calibri", Pt(10.5)
    # The default language of every run, so spell checking and hyphenation use it.
    run_props = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
        qn("w:rPr"))
    lang = run_props.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_props.append(lang)
    lang.set(qn("w:val"), tag)
    # Ask the word processor to update fields (the table of contents) on opening.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    for name, size, bold, italic, grey in CUSTOM_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style, style.quick_style = styles["Normal"], True
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold or None, (
            italic or None)
        if grey:
            style.font.color.rgb = GREY
        fmt = style.paragraph_format
        fmt.space_after = Pt(2 if name == "Report Facts" else 4)
        if name == "Report Item":
            fmt.keep_with_next, fmt.space_before = True, Pt(8)
    return document


def _splice_body(package: bytes, part_name: str, body_xml: str) -> bytes:
    """``package`` with ``body_xml`` inserted before the final ``<w:sectPr`` of its body."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part_name:
                xml = data.decode("utf-8")
                at = xml.rindex("<w:sectPr")
                data = (xml[:at] + body_xml + xml[at:]).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def render_outline_docx(outline: Outline, translate: Translate | None = None) -> bytes:
    """Any outline as DOCX bytes."""
    document = _new_document(outline)
    writer = _BodyWriter({s.name: s.style_id for s in document.styles}, translator(translate))
    for block in outline.blocks:
        writer.write(block)
    buffer = io.BytesIO()
    document.save(buffer)
    # The body is spliced into the saved package as text: building (or even moving) that
    # many elements through lxml and python-docx is quadratic-slow on large reports.
    part_name = str(document.part.partname).lstrip("/")
    return _splice_body(buffer.getvalue(), part_name, "".join(writer.parts))


def render_report_docx(report: Report, translate: Translate | None = None, *,
                       lang: str = "fr") -> bytes:
    """The report as DOCX bytes (headings, styled tables, table of contents field)."""
    return render_outline_docx(report_outline(report, translate, lang=lang), translate)


def render_minutes_docx(minutes: Minutes, translate: Translate | None = None, *,
                        lang: str = "fr") -> bytes:
    """A workshop's minutes as DOCX bytes."""
    return render_outline_docx(minutes_outline(minutes, translate, lang=lang), translate)
