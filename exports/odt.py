"""ODT export of the report (odfdo), from the same outline as the DOCX export.

odfdo sets up the document: the report's paragraph, text, table and cell styles (named,
so they show in LibreOffice's style list), A4 pages with the page number in the footer,
metadata (title, subject, language) and one automatic column style per column width.
Headings are real ``text:h`` outline levels with the "Heading N" styles, tables have a
``table:table-header-rows`` header (repeated on each page), bordered cells and set column
widths, and a table of contents (``text:table-of-content``, pre-filled with the headings,
page numbers come when LibreOffice updates it).

The body itself is emitted as ODF text and spliced into ``content.xml``: appending tens
of thousands of elements through odfdo's object API takes minutes.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from odfdo import Document, Element, Style, StyleMasterPage
from odfdo.style import create_table_cell_style, make_table_cell_border_string
from odfdo.toc import TOC

from diagnostic.reporting.report import Report

from ._common import Translate, translator
from .docx import language_tag
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
from .outline_report import report_outline

TEXT_WIDTH_CM = 17.0
PARAGRAPH_STYLES = {"body": "Report_Body", "meta": "Report_Meta", "facts": "Report_Facts",
                    "empty": "Report_Empty", "note": "Report_Note", "item": "Report_Item"}
_SPACES = re.compile(" {2,}")


def _odf_text(value: str) -> str:
    """``value`` as ODF paragraph content: escaped, with line breaks, tabs, kept spaces."""
    value = escape(value)
    if "\n" in value:
        value = value.replace("\n", "<text:line-break/>")
    if "\t" in value:
        value = value.replace("\t", "<text:tab/>")
    if "  " in value or value.startswith(" "):
        value = _SPACES.sub(lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', value)
        if value.startswith(" "):  # a leading space is dropped by ODF readers
            value = '<text:s/>' + value[1:]
    return value


def _span(run: Run) -> str:
    content = _odf_text(run.text)
    if run.bold:
        content = f'<text:span text:style-name="Report_Strong">{content}</text:span>'
    if run.italic:
        content = f'<text:span text:style-name="Report_Emphasis">{content}</text:span>'
    return content


def _paragraph_style(name: str, size: str, *, parent: str = "Standard", bold: bool = False,
                     italic: bool = False, color: str | None = None, **paragraph) -> Style:
    style = Style("paragraph", name=name, display_name=name.replace("_", " "),
                  parent_style=parent, area="text", size=size, bold=bold, italic=italic,
                  color=color)
    style.set_properties(area="paragraph", **paragraph)
    return style


def _list_style(name: str, display: str, numbered: bool) -> Element:
    """A list style whose labels ("1.", "•") are followed by a tab stop, three levels."""
    levels = []
    for level in (1, 2, 3):
        indent = 0.64 * level
        label = (f'<text:list-level-style-number text:level="{level}" style:num-suffix="." '
                 f'style:num-format="1">' if numbered else
                 f'<text:list-level-style-bullet text:level="{level}" text:bullet-char="•">')
        close = ("</text:list-level-style-number>" if numbered
                 else "</text:list-level-style-bullet>")
        levels.append(
            f'{label}<style:list-level-properties '
            f'text:list-level-position-and-space-mode="label-alignment">'
            f'<style:list-level-label-alignment text:label-followed-by="listtab" '
            f'text:list-tab-stop-position="{indent:.2f}cm" fo:text-indent="-0.64cm" '
            f'fo:margin-left="{indent:.2f}cm"/></style:list-level-properties>{close}')
    return Element.from_tag(
        f'<text:list-style style:name="{name}" style:display-name="{display}">'
        f'{"".join(levels)}</text:list-style>')


def _add_styles(document: Document) -> None:
    """The report's named styles (paragraphs, emphasis, tables, cells) and page footer."""
    for name, display, numbered in (("Numbering_20_1", "Numbering 1", True),
                                    ("List_20_1", "List 1", False)):
        document.insert_style(_list_style(name, display, numbered))
    grey = "#404040"
    for style in (
        _paragraph_style("Report_Body", "10.5pt", margin_bottom="0.15cm"),
        _paragraph_style("Report_Meta", "9pt", color=grey, margin_bottom="0.1cm"),
        _paragraph_style("Report_Facts", "9pt", color=grey, margin_bottom="0.05cm"),
        _paragraph_style("Report_Empty", "9.5pt", color=grey, italic=True),
        _paragraph_style("Report_Note", "10pt", bold=True, margin_bottom="0.15cm"),
        _paragraph_style("Report_Item", "10.5pt", bold=True, margin_top="0.3cm",
                         keep_with_next="always"),
        _paragraph_style("Report_Caption", "9.5pt", bold=True, keep_with_next="always",
                         margin_top="0.2cm", margin_bottom="0.1cm"),
        _paragraph_style("Report_Cell", "9pt"),
        _paragraph_style("Report_Cell_Number", "9pt", text_align="end"),
        _paragraph_style("Report_Cell_Head", "9pt", bold=True),
        _paragraph_style("Report_Cell_Head_Number", "9pt", bold=True, text_align="end"),
        _paragraph_style("Report_Footer", "9pt", text_align="center"),
        Style("text", name="Report_Strong", display_name="Report Strong", bold=True),
        Style("text", name="Report_Emphasis", display_name="Report Emphasis", italic=True),
    ):
        document.insert_style(style)
    border = make_table_cell_border_string(thick="0.5pt", color="#8eaadb")
    for name, background in (("Report_Cell", None), ("Report_Cell_Head", "#dbe5f1"),
                             ("Report_Cell_Foot", "#f2f2f2")):
        cell = create_table_cell_style(border=border, padding="0.08cm",
                                       background_color=background)
        document.insert_style(cell, name=f"{name}_Box", automatic=True)
    table = Style("table", name="Report_Table", width=f"{TEXT_WIDTH_CM}cm", align="center")
    table.set_properties(area="table", margin_top="0.1cm", margin_bottom="0.2cm")
    document.insert_style(table, automatic=True)
    for name in PARAGRAPH_STYLES.values():
        indented = Style("paragraph", name=f"{name}_Indent", parent_style=name,
                         area="paragraph", margin_left="0.75cm")
        document.insert_style(indented, automatic=True)
    for level in (1, 2, 3, 4):  # a heading that starts a new page (after a PageBreak)
        heading = Style("paragraph", name=f"Report_Break_H{level}",
                        parent_style=f"Heading_20_{level}", area="paragraph",
                        break_before="page")
        document.insert_style(heading, automatic=True)
    if document.get_style("paragraph", "Title") is None:
        title = _paragraph_style("Title", "22pt", parent="Heading", bold=True,
                                 margin_bottom="0.3cm")
        title.set_attribute("style:class", "chapter")
        document.insert_style(title)
    master = document.get_style("master-page", "Standard")
    if isinstance(master, StyleMasterPage):
        number = Element.from_tag('<text:p text:style-name="Report_Footer">'
                                  '<text:page-number text:select-page="current"/></text:p>')
        master.set_page_footer(number)
        layout = document.get_style("page-layout", master.page_layout)
        footer = layout.get_element("style:footer-style") if layout is not None else None
        if footer is not None:
            footer.append(Element.from_tag(
                '<style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.3cm"/>'))


class _BodyWriter:
    """Emits outline blocks as ODF text (``office:text`` children)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.widths: set[int] = set()  # column widths in hundredths of a millimetre
        self.tables = 0
        self.break_next = False
        self.headings: list[Heading] = []
        self.toc_at: int | None = None
        self.toc_title = ""

    def p(self, content: str, style: str) -> str:
        return f'<text:p text:style-name="{style}">{content}</text:p>'

    def write(self, block: Block) -> None:
        add = self.parts.append
        if isinstance(block, Title):
            add(self.p(_odf_text(block.text), "Title"))
        elif isinstance(block, Heading):
            level = min(block.level, 4)
            style = f"Report_Break_H{level}" if self.break_next else f"Heading_20_{level}"
            self.break_next = False
            add(f'<text:h text:style-name="{style}" text:outline-level="{level}">'
                f"{_odf_text(block.text)}</text:h>")
            self.headings.append(block)
        elif isinstance(block, Paragraph):
            style = PARAGRAPH_STYLES.get(block.style, "Report_Body")
            if block.indent:  # e.g. the sources of a merged item
                style += "_Indent"
            add(self.p("".join(_span(run) for run in block.runs), style))
        elif isinstance(block, BulletList):
            style = "Numbering_20_1" if block.numbered else "List_20_1"
            items = "".join(f"<text:list-item>{self.p(_odf_text(i), 'Report_Body')}"
                            "</text:list-item>" for i in block.items)
            for _level in range(block.indent):
                items = f"<text:list-item><text:list>{items}</text:list></text:list-item>"
            add(f'<text:list text:style-name="{style}">{items}</text:list>')
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, TableOfContents):
            self.toc_at, self.toc_title = len(self.parts), block.title
            add("")  # filled in by toc() once every heading is known
        elif isinstance(block, PageBreak):
            self.break_next = True

    def table(self, block: Table) -> None:
        self.tables += 1
        if block.caption:
            self.parts.append(self.p(_odf_text(block.caption), "Report_Caption"))
        total = sum(block.widths)
        widths = [round(TEXT_WIDTH_CM * 1000 * w / total) for w in block.widths]
        self.widths.update(widths)
        out = [f'<table:table table:name="Tableau{self.tables}" '
               'table:style-name="Report_Table">',
               *(f'<table:table-column table:style-name="Report_Col_{w}"/>' for w in widths)]
        if block.header:
            out.append("<table:table-header-rows>")
            out.append(self.row(block.header, block, "Report_Cell_Head"))
            out.append("</table:table-header-rows>")
        out.extend(self.row(values, block, "Report_Cell") for values in block.rows)
        if block.footer:
            out.append(self.row(block.footer, block, "Report_Cell_Foot"))
        out.append("</table:table>")
        self.parts.append("".join(out))

    def row(self, values: list[str], block: Table, kind: str) -> str:
        cells = []
        for index in range(len(block.widths)):
            value = values[index] if index < len(values) else ""
            style = "Report_Cell_Head" if kind != "Report_Cell" else "Report_Cell"
            if index in block.numeric:
                style += "_Number"
            cells.append(f'<table:table-cell table:style-name="{kind}_Box" '
                         f'office:value-type="string">{self.p(_odf_text(value), style)}'
                         "</table:table-cell>")
        return f"<table:table-row>{''.join(cells)}</table:table-row>"

    def toc(self) -> None:
        """The table of contents, with its entries (headings up to level 3) pre-filled."""
        if self.toc_at is None:
            return
        xml = TOC(self.toc_title, name="Sommaire", outline_level=3).serialize()
        entries = "".join(self.p(_odf_text(h.text), f"Contents_20_{h.level}")
                          for h in self.headings if h.level <= 3)
        self.parts[self.toc_at] = xml.replace("</text:index-body>",
                                              entries + "</text:index-body>")


def _splice_body(package: bytes, body_xml: str) -> bytes:
    """``package`` with ``body_xml`` appended to the ``office:text`` of its content.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content.xml":
                xml = data.decode("utf-8")
                at = xml.rindex("</office:text>")
                data = (xml[:at] + body_xml + xml[at:]).encode("utf-8")
            # The mimetype entry must stay first and uncompressed (ODF packaging rule).
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def render_outline_odt(outline: Outline) -> bytes:
    """Any outline as ODT bytes."""
    writer = _BodyWriter()
    for block in outline.blocks:
        writer.write(block)
    writer.toc()
    document = Document("text")
    for paragraph in document.body.get_paragraphs():  # the template's empty paragraph
        document.body.delete(paragraph)
    _add_styles(document)
    for width in sorted(writer.widths):
        column = Style("table-column", name=f"Report_Col_{width}", width=f"{width / 1000}cm")
        document.insert_style(column, automatic=True)
    meta = document.meta
    meta.title, meta.subject = outline.title, outline.subject
    meta.language = language_tag(outline.lang)
    language, _, country = language_tag(outline.lang).partition("-")
    defaults = document.get_part("styles").get_element(
        '//style:default-style[@style:family="paragraph"]/style:text-properties')
    if defaults is not None:
        defaults.set_attribute("fo:language", language)
        defaults.set_attribute("fo:country", country or "none")
    # odfdo's template numbers headings ("1.Contexte"); like the HTML and DOCX editions,
    # the report's headings carry no numbers.
    for level in document.get_part("styles").get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")
        level.set_attribute("style:num-suffix", "")
        level.del_attribute("loext:num-list-format")
    buffer = io.BytesIO()
    document.save(buffer)
    return _splice_body(buffer.getvalue(), "".join(writer.parts))


def render_report_odt(report: Report, translate: Translate | None = None, *,
                      lang: str = "fr") -> bytes:
    """The report as ODT bytes (headings, styled tables, table of contents)."""
    return render_outline_odt(report_outline(report, translator(translate), lang=lang))

