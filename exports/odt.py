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

from odfdo import Document, Element, Style

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate, translator
from .chart_images import png_size
from .docx import LOGO_MAX_PT, estimate_pages, language_tag
from .office_styles import (
    BY_KEY,
    FONT,
    FOOT_FILL,
    HEAD_FILL,
    RULE,
    STYLES,
    TEXT_WIDTH_CM,
    TEXT_WIDTH_PT,
    ParagraphStyle,
)
from .outline import (
    CELL_PADDING_PT,
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

PARAGRAPH_STYLES = {"body": "body", "meta": "meta", "facts": "facts", "empty": "empty",
                    "note": "note", "item": "item"}
COVER_PAGE = "Report_Cover"
_SPACES = re.compile(" {2,}")
PT_TO_CM = 2.54 / 72


def _cm(points: float) -> str:
    return f"{points * PT_TO_CM:.3f}cm"


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


def _name(key: str) -> str:
    return BY_KEY[key].odt_name


def _style_xml(style: ParagraphStyle) -> str:
    """A paragraph style of :mod:`exports.office_styles` as a ``style:style`` element."""
    paragraph = [f'fo:margin-top="{style.before}pt"', f'fo:margin-bottom="{style.after}pt"',
                 f'fo:line-height="{round(style.line * 100)}%"']
    if style.keep_next:
        paragraph.append('fo:keep-with-next="always"')
    if style.align:
        paragraph.append(f'fo:text-align="{"end" if style.align == "right" else "center"}"')
    if style.indent:
        paragraph.append(f'fo:margin-left="{style.indent}pt"')
    if style.rule_below:
        paragraph.append(f'fo:border-bottom="1pt solid #{style.rule_below}" '
                         'fo:padding-bottom="2pt"')
    if style.box:
        paragraph.append(f'fo:border="1.5pt solid #{style.box}" fo:padding="3pt"')
    tabs = (f'<style:tab-stops><style:tab-stop style:position="{TEXT_WIDTH_CM:.2f}cm" '
            'style:type="right" style:leader-style="dotted" style:leader-text="."/>'
            "</style:tab-stops>" if style.toc_tab else "")
    text = [f'fo:font-family="{FONT}" style:font-family-generic="swiss" '
            f'style:font-family-complex="{FONT}"', f'fo:font-size="{style.size}pt"',
            f'style:font-size-complex="{style.size}pt"', f'fo:color="#{style.color}"']
    if style.bold:
        text.append('fo:font-weight="bold" style:font-weight-complex="bold"')
    if style.italic:
        text.append('fo:font-style="italic" style:font-style-complex="italic"')
    level = (f' style:default-outline-level="{style.outline_level}"'
             if style.outline_level else "")
    parent = "" if style.key == "normal" else ' style:parent-style-name="Standard"'
    css_class = ' style:class="index"' if style.key.startswith("toc") else ""
    return (f'<style:style style:name="{style.odt_name}" style:display-name="{style.display}"'
            f' style:family="paragraph"{parent}{level}{css_class}>'
            f'<style:paragraph-properties {" ".join(paragraph)}>{tabs}'
            f'</style:paragraph-properties><style:text-properties {" ".join(text)}/>'
            "</style:style>")


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


def _replace_style(document: Document, family: str, xml: str, name: str) -> None:
    existing = document.get_style(family, name)
    if existing is not None:
        existing.delete()
    document.insert_style(Element.from_tag(xml))


def _add_styles(document: Document, outline: Outline) -> None:
    """The named styles, table and cell styles, page layout, header and footer."""
    for name, display, numbered in (("Numbering_20_1", "Numbering 1", True),
                                    ("List_20_1", "List 1", False)):
        document.insert_style(_list_style(name, display, numbered))
    for style in STYLES:
        _replace_style(document, "paragraph", _style_xml(style), style.odt_name)
    for xml in (
        '<style:style style:name="Report_Strong" style:display-name="Report Strong" '
        'style:family="text"><style:text-properties fo:font-weight="bold" '
        'style:font-weight-complex="bold"/></style:style>',
        '<style:style style:name="Report_Emphasis" style:display-name="Report Emphasis" '
        'style:family="text"><style:text-properties fo:font-style="italic" '
        'style:font-style-complex="italic"/></style:style>',
        '<style:style style:name="Index_20_Link" style:display-name="Index Link" '
        'style:family="text"><style:text-properties style:text-underline-style="none"/>'
        "</style:style>",
    ):
        document.insert_style(Element.from_tag(xml))
    padding = f'fo:padding-left="{CELL_PADDING_PT}pt" fo:padding-right="{CELL_PADDING_PT}pt" ' \
        'fo:padding-top="2pt" fo:padding-bottom="2pt"'
    for name, background in (("Report_Cell", ""), ("Report_Cell_Head", HEAD_FILL),
                             ("Report_Cell_Foot", FOOT_FILL)):
        fill = f' fo:background-color="#{background}"' if background else ""
        document.insert_style(Element.from_tag(
            f'<style:style style:name="{name}_Box" style:family="table-cell">'
            f'<style:table-cell-properties fo:border="0.5pt solid #{RULE}" {padding}{fill}/>'
            "</style:style>"), automatic=True)
    document.insert_style(Element.from_tag(
        '<style:style style:name="Report_Table" style:family="table">'
        f'<style:table-properties style:width="{TEXT_WIDTH_CM}cm" table:align="center" '
        'fo:margin-top="0cm" fo:margin-bottom="0cm"/></style:style>'), automatic=True)
    document.insert_style(Element.from_tag(
        '<style:style style:name="Report_Graphic" style:family="graphic">'
        '<style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline" '
        'fo:border="none" fo:padding="0cm"/></style:style>'), automatic=True)
    for style in STYLES:
        indented = Style("paragraph", name=f"{style.odt_name}_Indent",
                         parent_style=style.odt_name, area="paragraph", margin_left="0.75cm")
        document.insert_style(indented, automatic=True)
    default = document.get_part("styles").get_element(
        '//style:default-style[@style:family="paragraph"]/style:text-properties')
    language, _, country = language_tag(outline.lang).partition("-")
    if default is not None:
        default.set_attribute("fo:language", language)
        default.set_attribute("fo:country", country or "none")
        default.set_attribute("fo:font-family", FONT)
    # Headings carry no numbers (as in the HTML and DOCX editions).
    for level in document.get_part("styles").get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")
        level.set_attribute("style:num-suffix", "")
        level.del_attribute("loext:num-list-format")
    styles = document.get_part("styles")
    layout = styles.get_element("//style:page-layout")
    layout_name = layout.get_attribute("style:name")
    props = layout.get_element("style:page-layout-properties")
    for attribute, value in (("fo:page-width", "21cm"), ("fo:page-height", "29.7cm"),
                             ("fo:margin-top", "1cm"), ("fo:margin-bottom", "1cm"),
                             ("fo:margin-left", "2cm"), ("fo:margin-right", "2cm")):
        props.set_attribute(attribute, value)
    for tag in ("style:header-style", "style:footer-style"):
        element = layout.get_element(tag)
        if element is not None:
            element.delete()
    layout.append(Element.from_tag(
        '<style:header-style><style:header-footer-properties fo:min-height="0.5cm" '
        'fo:margin-bottom="0.5cm"/></style:header-style>'))
    layout.append(Element.from_tag(
        '<style:footer-style><style:header-footer-properties fo:min-height="0.5cm" '
        'fo:margin-top="0.5cm"/></style:footer-style>'))
    cover_layout = Element.from_tag(
        f'<style:page-layout style:name="{COVER_PAGE}_Layout"><style:page-layout-properties '
        'fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" '
        'fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>'
        "</style:page-layout>")
    layout.parent.append(cover_layout)
    master_styles = styles.get_element("//office:master-styles")
    for master in master_styles.get_elements("style:master-page"):
        master.delete()
    header = escape(outline.running_header or outline.title)
    master_styles.append(Element.from_tag(
        f'<style:master-page style:name="Standard" style:page-layout-name="{layout_name}">'
        f'<style:header><text:p text:style-name="{_name("header")}">{header}</text:p>'
        f'</style:header><style:footer><text:p text:style-name="{_name("footer")}">'
        '<text:page-number text:select-page="current"/></text:p></style:footer>'
        "</style:master-page>"))
    master_styles.append(Element.from_tag(
        f'<style:master-page style:name="{COVER_PAGE}" style:display-name="Report Cover" '
        f'style:page-layout-name="{COVER_PAGE}_Layout" style:next-style-name="Standard"/>'))


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
        return f'<text:p text:style-name="{self.style(_name(key))}">{content}</text:p>'

    def write(self, block: Block) -> None:
        add = self.parts.append
        if isinstance(block, Heading):
            level = min(block.level, 4)
            content = _odf_text(block.text)
            if block.anchor:
                mark = f"__RefHeading__{block.anchor}"
                content = (f'<text:bookmark-start text:name="{mark}"/>{content}'
                           f'<text:bookmark-end text:name="{mark}"/>')
            add(f'<text:h text:style-name="{self.style(_name(f"h{level}"))}" '
                f'text:outline-level="{level}">{content}</text:h>')
        elif isinstance(block, Paragraph):
            style = self.style(_name(PARAGRAPH_STYLES.get(block.style, "body")))
            if block.indent:  # e.g. the sources of a merged item
                style += "_Indent"
            add(f'<text:p text:style-name="{style}">'
                f'{"".join(_span(run) for run in block.runs)}</text:p>')
        elif isinstance(block, BulletList):
            style = "Numbering_20_1" if block.numbered else "List_20_1"
            body = _name("body")
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
                f'text:anchor-type="as-char" svg:width="{_cm(width_pt)}" '
                f'svg:height="{_cm(height_pt)}" draw:z-index="0">'
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
            style = _name(key)
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
        texts = [_name("cell_num" if i in block.numeric else "cell") for i in range(len(widths))]
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
            style = _name(f"{key}_num" if index in block.numeric else key)
            cells.append(f'<table:table-cell table:style-name="{kind}_Box" '
                         f'office:value-type="string"><text:p text:style-name="{style}">'
                         f"{_odf_text(value)}</text:p></table:table-cell>")
        return f"<table:table-row>{''.join(cells)}</table:table-row>"

    def toc(self, block: TableOfContents) -> None:
        """The table of contents with its entries written, linked, paged by fields."""
        title = _odf_text(block.title)
        templates = "".join(
            f'<text:table-of-content-entry-template text:outline-level="{level}" '
            f'text:style-name="{_name(f"toc{level}")}">'
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
                f'<text:p text:style-name="{_name(f"toc{min(heading.level, 2)}")}">'
                f'<text:a xlink:type="simple" xlink:href="#{mark}" '
                'text:style-name="Index_20_Link" text:visited-style-name="Index_20_Link">'
                f'{_odf_text(heading.text)}<text:tab/><text:bookmark-ref '
                f'text:reference-format="page" text:ref-name="{mark}">'
                f'{pages.get(heading.anchor, "")}</text:bookmark-ref>'
                "</text:a></text:p>")
        heading_style = self.style(_name("toc_heading"))
        self.parts.append(
            f'<text:table-of-content text:protected="true" text:name="{title}">'
            f'<text:table-of-content-source text:outline-level="{block.levels}" '
            'text:use-index-marks="false">'
            f'<text:index-title-template text:style-name="{_name("toc_heading")}">{title}'
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
    _add_styles(document, outline)
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
