"""ODT export of the report (OpenDocument text), from the same outline as the DOCX export.

The document looks like the DOCX (same outline, same named styles from
:mod:`exports.office_styles`): a cover on its own page style (no header, no page number),
a filled table of contents (``text:table-of-content`` whose ``text:index-body`` holds
one entry per heading of levels 1–2, each a link to its heading's bookmark with its page
as a ``text:bookmark-ref`` field, which LibreOffice computes when it lays the document
out; its cached value is the DOCX's page estimate, for readers that do not), the charts
as PNG pictures in ``Pictures/`` with ``svg:title``/``svg:desc``, tables with
content-sized columns (:func:`exports.outline.layout_table`) and a repeated header
row, a running header (the title) and a footer page number, and ``meta.xml`` written from
the report (title, subject, author = the authority, creation and modification time =
generation time, language).

odfdo sets up the document (styles, page layout); the body is emitted as ODF text and
spliced into ``content.xml`` (appending tens of thousands of elements through odfdo's
object API takes minutes), the pictures and ``meta.xml`` are written into the package.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from odfdo import Document, Element

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate, translator
from .chart_images import png_size
from .docx import LOGO_MAX_PT, language_tag
from .odt_styles import COVER_PAGE, PT_TO_CM, add_styles, cm, style_name
from .office_styles import (
    PARAGRAPH_STYLES,
    TEXT_WIDTH_PT,
)
from .outline import (
    Block,
    BulletList,
    Cover,
    Figure,
    Heading,
    Outline,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
    Title,
    layout_table,
)
from .outline_minutes import minutes_outline
from .outline_report import report_outline
from .toc_pages import estimate_pages

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


class _BodyWriter:
    """Emits outline blocks as ODF text (``office:text`` children)."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.parts: list[str] = []
        self.widths: set[int] = set()  # column widths in hundredths of a millimetre
        self.breaks: set[str] = set()  # styles that need a "page break before" variant
        self.pictures: list[bytes] = []
        self.tables = 0
        self.break_next = False
        self.cover_start = ""  # the style of the cover's first paragraph

    def style(self, name: str) -> str:
        """``name``, or its page-breaking variant after a PageBreak block."""
        if self.break_next:
            self.break_next = False
            self.breaks.add(name)
            return f"{name}_Break"
        return name

    def p(self, content: str, key: str) -> str:
        return f'<text:p text:style-name="{self.style(style_name(key))}">{content}</text:p>'

    def write(self, block: Block) -> None:
        add = self.parts.append
        if isinstance(block, Heading):
            level = min(block.level, 4)
            content = _odf_text(block.text)
            if block.anchor:
                mark = f"__RefHeading__{block.anchor}"
                content = (f'<text:bookmark-start text:name="{mark}"/>{content}'
                           f'<text:bookmark-end text:name="{mark}"/>')
            add(f'<text:h text:style-name="{self.style(style_name(f"h{level}"))}" '
                f'text:outline-level="{level}">{content}</text:h>')
        elif isinstance(block, Paragraph):
            style = self.style(style_name(PARAGRAPH_STYLES.get(block.style, "body")))
            if block.indent:  # e.g. the sources of a merged item
                style += "_Indent"
            add(f'<text:p text:style-name="{style}">'
                f'{"".join(_span(run) for run in block.runs)}</text:p>')
        elif isinstance(block, BulletList):
            style = "Numbering_20_1" if block.numbered else "List_20_1"
            body = style_name("body")
            items = "".join(f'<text:list-item><text:p text:style-name="{body}">'
                            f"{_odf_text(i)}</text:p></text:list-item>" for i in block.items)
            for _level in range(block.indent):
                items = f"<text:list-item><text:list>{items}</text:list></text:list-item>"
            add(f'<text:list text:style-name="{style}">{items}</text:list>')
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Cover):
            self.cover(block)
        elif isinstance(block, Title):
            add(self.p(_odf_text(block.text), "title"))
        elif isinstance(block, TableOfContents):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.break_next = True

    def picture(self, png: bytes, width_pt: float, height_pt: float, name: str,
                description: str) -> str:
        self.pictures.append(png)
        number = len(self.pictures)
        return (f'<draw:frame draw:style-name="Report_Graphic" draw:name="Image {number}" '
                f'text:anchor-type="as-char" svg:width="{cm(width_pt)}" '
                f'svg:height="{cm(height_pt)}" draw:z-index="0">'
                f'<draw:image xlink:href="Pictures/image{number}.png" xlink:type="simple" '
                'xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="image/png"/>'
                f"<svg:title>{escape(name)}</svg:title><svg:desc>{escape(description)}"
                "</svg:desc></draw:frame>")

    def figure(self, block: Figure) -> None:
        if block.title:
            self.parts.append(self.p(_odf_text(block.title), "caption"))
        self.parts.append(self.p(self.picture(block.png, block.width_pt, block.height_pt,
                                              block.title, block.description), "figure"))

    def cover(self, block: Cover) -> None:
        """The cover; its first paragraph switches to the cover page style."""
        lines: list[tuple[str, str]] = []
        if block.logo_png:
            width, height = png_size(block.logo_png)
            scale = min(LOGO_MAX_PT[0] / width, LOGO_MAX_PT[1] / height)
            lines.append(("cover_logo", self.picture(
                block.logo_png, width * scale, height * scale, block.authority or "Logo",
                block.authority or "Logo")))
        if block.authority:
            lines.append(("cover_authority", _odf_text(block.authority)))
        lines.append(("title", _odf_text(block.title)))
        if block.subtitle:
            lines.append(("subtitle", _odf_text(block.subtitle)))
        lines += [("cover_line", _odf_text(line)) for line in block.lines]
        for key, value in (("cover_status", block.status), ("cover_line", block.version),
                           ("cover_demo", block.demo), ("cover_note", block.note)):
            if value:
                lines.append((key, _odf_text(value)))
        for index, (key, content) in enumerate(lines):
            style = style_name(key)
            if index == 0:
                self.cover_start = style
                style = f"{style}_Cover"
            self.parts.append(f'<text:p text:style-name="{style}">{content}</text:p>')

    def table(self, block: Table) -> None:
        self.tables += 1
        if block.caption:
            self.parts.append(self.p(_odf_text(block.caption), "caption"))
        layout = layout_table(block, TEXT_WIDTH_PT)
        widths = [round(w * PT_TO_CM * 1000) for w in layout.widths]
        self.widths.update(widths)
        out = [f'<table:table table:name="Tableau{self.tables}" '
               'table:style-name="Report_Table">',
               *(f'<table:table-column table:style-name="Report_Col_{w}"/>' for w in widths)]
        if layout.header:
            out.append("<table:table-header-rows>")
            out.append(self.row(layout.header, block, "Report_Cell_Head", "cell_head"))
            out.append("</table:table-header-rows>")
        texts = [style_name("cell_num" if i in block.numeric else "cell")
                 for i in range(len(widths))]
        for values in block.rows:
            out.append("<table:table-row>" + "".join(
                f'<table:table-cell table:style-name="Report_Cell_Box" '
                f'office:value-type="string"><text:p text:style-name="{texts[i]}">'
                f'{_odf_text(values[i]) if i < len(values) else ""}</text:p>'
                "</table:table-cell>" for i in range(len(widths))) + "</table:table-row>")
        if block.footer:
            out.append(self.row(block.footer, block, "Report_Cell_Foot", "cell_head"))
        out.append("</table:table>")
        self.parts.append("".join(out))
        legend = " · ".join(f"{short} : {full}" for short, full in layout.legend)
        self.parts.append(self.p(_odf_text(legend), "legend"))

    def row(self, values: list[str], block: Table, kind: str, key: str) -> str:
        cells = []
        for index in range(len(block.widths)):
            value = values[index] if index < len(values) else ""
            style = style_name(f"{key}_num" if index in block.numeric else key)
            cells.append(f'<table:table-cell table:style-name="{kind}_Box" '
                         f'office:value-type="string"><text:p text:style-name="{style}">'
                         f"{_odf_text(value)}</text:p></table:table-cell>")
        return f"<table:table-row>{''.join(cells)}</table:table-row>"

    def toc(self, block: TableOfContents) -> None:
        """The table of contents with its entries written, linked, paged by fields."""
        title = _odf_text(block.title)
        templates = "".join(
            f'<text:table-of-content-entry-template text:outline-level="{level}" '
            f'text:style-name="{style_name(f"toc{level}")}">'
            '<text:index-entry-link-start text:style-name="Index_20_Link"/>'
            '<text:index-entry-text/><text:index-entry-tab-stop style:type="right" '
            'style:leader-char="."/><text:index-entry-page-number/>'
            "<text:index-entry-link-end/></text:table-of-content-entry-template>"
            for level in range(1, block.levels + 1))
        entries = []
        pages = estimate_pages(self.outline)  # shown by readers that do not lay out fields
        for heading in self.outline.headings(block.levels):
            mark = f"__RefHeading__{heading.anchor}"
            entries.append(
                f'<text:p text:style-name="{style_name(f"toc{min(heading.level, 2)}")}">'
                f'<text:a xlink:type="simple" xlink:href="#{mark}" '
                'text:style-name="Index_20_Link" text:visited-style-name="Index_20_Link">'
                f'{_odf_text(heading.text)}<text:tab/><text:bookmark-ref '
                f'text:reference-format="page" text:ref-name="{mark}">'
                f'{pages.get(heading.anchor, "")}</text:bookmark-ref>'
                "</text:a></text:p>")
        heading_style = self.style(style_name("toc_heading"))
        self.parts.append(
            f'<text:table-of-content text:protected="true" text:name="{title}">'
            f'<text:table-of-content-source text:outline-level="{block.levels}" '
            'text:use-index-marks="false">'
            f'<text:index-title-template text:style-name="{style_name("toc_heading")}">{title}'
            f"</text:index-title-template>{templates}</text:table-of-content-source>"
            f'<text:index-body><text:index-title text:name="{title}_Head">'
            f'<text:p text:style-name="{heading_style}">{title}</text:p></text:index-title>'
            f'{"".join(entries)}</text:index-body></text:table-of-content>')


def _meta_xml(outline: Outline) -> str:
    """``meta.xml`` from the outline: no stale template date, no empty author."""
    moment = outline.generated_at or datetime.now(UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    author = escape(outline.authority)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'office:version="1.3"><office:meta>'
        f"<dc:title>{escape(outline.title)}</dc:title>"
        f"<dc:subject>{escape(outline.subject)}</dc:subject>"
        f"<meta:initial-creator>{author}</meta:initial-creator>"
        f"<dc:creator>{author}</dc:creator>"
        f"<meta:creation-date>{stamp}</meta:creation-date><dc:date>{stamp}</dc:date>"
        f"<dc:language>{language_tag(outline.lang)}</dc:language>"
        "<meta:editing-cycles>1</meta:editing-cycles>"
        "<meta:generator>diagnostic-collaboratif</meta:generator>"
        "</office:meta></office:document-meta>")


_THUMBNAIL_ENTRY = re.compile(r'\s*<manifest:file-entry manifest:full-path="Thumbnails/[^>]*/>')


def _splice(package: bytes, body_xml: str, pictures: list[bytes], meta_xml: str) -> bytes:
    """``package`` with ``body_xml`` appended to the ``office:text`` of its content.xml,
    the pictures in ``Pictures/`` (listed in the manifest) and ``meta.xml`` replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.startswith("Thumbnails/"):
                continue  # the template's empty-page thumbnail
            data = source.read(info.filename)
            if info.filename == "content.xml":
                xml = data.decode("utf-8")
                at = xml.rindex("</office:text>")
                data = (xml[:at] + body_xml + xml[at:]).encode("utf-8")
            elif info.filename == "meta.xml":
                data = meta_xml.encode("utf-8")
            elif info.filename == "META-INF/manifest.xml":
                xml = _THUMBNAIL_ENTRY.sub("", data.decode("utf-8"))
                entries = "".join(
                    f' <manifest:file-entry manifest:full-path="Pictures/image{n}.png" '
                    'manifest:media-type="image/png"/>\n' for n in range(1, len(pictures) + 1))
                at = xml.rindex("</manifest:manifest>")
                data = (xml[:at] + entries + xml[at:]).encode("utf-8")
            # The mimetype entry must stay first and uncompressed (ODF packaging rule).
            target.writestr(info, data, compress_type=info.compress_type)
        for number, png in enumerate(pictures, start=1):
            target.writestr(f"Pictures/image{number}.png", png, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def render_outline_odt(outline: Outline) -> bytes:
    """Any outline as ODT bytes."""
    writer = _BodyWriter(outline)
    for block in outline.blocks:
        writer.write(block)
    document = Document("text")
    for paragraph in document.body.get_paragraphs():  # the template's empty paragraph
        document.body.delete(paragraph)
    add_styles(document, outline)
    for width in sorted(writer.widths):
        document.insert_style(Element.from_tag(
            f'<style:style style:name="Report_Col_{width}" style:family="table-column">'
            f'<style:table-column-properties style:column-width="{width / 1000}cm"/>'
            "</style:style>"), automatic=True)
    for name in sorted(writer.breaks):
        document.insert_style(Element.from_tag(
            f'<style:style style:name="{name}_Break" style:family="paragraph" '
            f'style:parent-style-name="{name}"><style:paragraph-properties '
            'fo:break-before="page"/></style:style>'), automatic=True)
    if writer.cover_start:  # the cover's page style: no header, no page number
        document.insert_style(Element.from_tag(
            f'<style:style style:name="{writer.cover_start}_Cover" style:family="paragraph" '
            f'style:parent-style-name="{writer.cover_start}" '
            f'style:master-page-name="{COVER_PAGE}"/>'), automatic=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return _splice(buffer.getvalue(), "".join(writer.parts), writer.pictures,
                   _meta_xml(outline))


def render_report_odt(report: Report, translate: Translate | None = None, *,
                      lang: str = "fr") -> bytes:
    """The report as ODT bytes (cover, filled table of contents, charts, styled tables)."""
    return render_outline_odt(report_outline(report, translator(translate), lang=lang))


def render_minutes_odt(minutes: Minutes, translate: Translate | None = None, *,
                       lang: str = "fr") -> bytes:
    """A workshop's minutes as ODT bytes."""
    return render_outline_odt(minutes_outline(minutes, translator(translate), lang=lang))
