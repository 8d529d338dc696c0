"""DOCX export of the report and of a workshop's minutes (python-docx).

The document is written from an :class:`~exports.outline.Outline`, with the named styles
of :mod:`exports.office_styles` (the same as the ODT's): a cover (logo, authority, title,
subtitle, territory, status, version), a *filled* table of contents — a real ``TOC``
field whose entries (levels 1–2) are already written, each a hyperlink to its heading's
bookmark with a ``PAGEREF`` field for its page, so nothing needs updating on opening —
the charts as PNG pictures with alt text, tables whose column widths come from their
content (:func:`exports.outline.layout_table`: no header word ever breaks) with a header
row repeated on each page, a running header (the title) and a footer page number that
the cover does not carry, and core properties (title, subject, author = the authority,
created/modified = generation time, language).

python-docx sets up the package (styles, settings, header and footer, properties,
pictures); the body is emitted as WordprocessingML text and spliced into the saved
package, because python-docx's object API takes minutes on reports of thousands of items.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate, translator
from .chart_images import png_size
from .docx_styles import TABLE_STYLE, TEXT_WIDTH_TWIPS, install_styles
from .office_styles import (
    BY_KEY,
    FONT,
    FOOT_FILL,
    HEAD_FILL,
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

EMU_PER_PT = 12700
LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}
LOGO_MAX_PT = (170.0, 85.0)  # 6 × 3 cm


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

    def __init__(self, outline: Outline, images: _Images, translate: Translate) -> None:
        self.outline = outline
        self.images = images
        self._ = translate
        self.parts: list[str] = []
        self.break_next = False
        self.bookmarks = 0
        self.pages: dict[str, int] = {}

    def p(self, content: str, key: str | None = None, *, indent: int = 0,
          keep_next: bool = False) -> str:
        props = f'<w:pStyle w:val="{BY_KEY[key].docx_id}"/>' if key else ""
        if keep_next:
            props += "<w:keepNext/>"
        if self.break_next:  # a PageBreak block: this paragraph starts a new page
            props += "<w:pageBreakBefore/>"
            self.break_next = False
        if indent:
            props += f'<w:ind w:left="{425 * indent}"/>'
        return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{content}</w:p>"

    def write(self, block: Block) -> None:
        add = self.parts.append
        if isinstance(block, Heading):
            level = min(block.level, 4)
            content = _text_runs(block.text)
            if block.anchor:
                self.bookmarks += 1
                content = (f'<w:bookmarkStart w:id="{self.bookmarks}" w:name="{block.anchor}"/>'
                           f'{content}<w:bookmarkEnd w:id="{self.bookmarks}"/>')
            add(self.p(content, f"h{level}"))
        elif isinstance(block, Paragraph):
            add(self.p("".join(_run(run) for run in block.runs),
                       PARAGRAPH_STYLES.get(block.style, "body"), indent=block.indent))
        elif isinstance(block, BulletList):
            style = ("ListNumber" if block.numbered else "ListBullet") + (
                "2" if block.indent else "")
            self.parts.extend(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                              f"{_text_runs(item)}</w:p>" for item in block.items)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Cover):
            self.cover(block)
        elif isinstance(block, Title):
            add(self.p(_text_runs(block.text), "title"))
        elif isinstance(block, TableOfContents):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.break_next = True

    def picture(self, png: bytes, width_pt: float, height_pt: float, name: str,
                description: str) -> str:
        """An inline picture run (``wp:docPr`` carries the alt text)."""
        rid, number = self.images.add(png)
        cx, cy = round(width_pt * EMU_PER_PT), round(height_pt * EMU_PER_PT)
        descr, title = quoteattr(description), quoteattr(name)
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{number}" name="Image {number}" descr={descr} title={title}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats'
            '.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{number}" name="image{number}.png" descr={descr}/>'
            '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")

    def figure(self, block: Figure) -> None:
        if block.title:
            self.parts.append(self.p(_text_runs(block.title), "caption"))
        picture = self.picture(block.png, block.width_pt, block.height_pt, block.title,
                               block.description)
        self.parts.append(self.p(picture, "figure", keep_next=True))

    def cover(self, block: Cover) -> None:
        add = self.parts.append
        if block.logo_png:
            width, height = png_size(block.logo_png)
            scale = min(LOGO_MAX_PT[0] / width, LOGO_MAX_PT[1] / height)
            add(self.p(self.picture(block.logo_png, width * scale, height * scale,
                                    block.authority or "Logo", block.authority or "Logo"),
                       "cover_logo"))
        if block.authority:
            add(self.p(_text_runs(block.authority), "cover_authority"))
        add(self.p(_text_runs(block.title), "title"))
        if block.subtitle:
            add(self.p(_text_runs(block.subtitle), "subtitle"))
        for line in block.lines:
            add(self.p(_text_runs(line), "cover_line"))
        if block.status:
            add(self.p(_text_runs(block.status), "cover_status"))
        if block.version:
            add(self.p(_text_runs(block.version), "cover_line"))
        if block.demo:
            add(self.p(_text_runs(block.demo), "cover_demo"))
        if block.note:
            add(self.p(_text_runs(block.note), "cover_note"))

    def table(self, block: Table) -> None:
        if block.caption:
            self.parts.append(self.p(_text_runs(block.caption), "caption"))
        layout = layout_table(block, TEXT_WIDTH_PT)
        widths = [round(w * 20) for w in layout.widths]
        widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)  # rounding: exactly the text width
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/>'
               f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>'
               '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" '
               'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" '
               'w:noVBand="1"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        cells = [f'<w:tcW w:w="{w}" w:type="dxa"/>' for w in widths]
        if layout.header:  # repeated at the top of each page, never split
            out.append(self.row(layout.header, block, cells, "cell_head", HEAD_FILL,
                                "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"))
        body_styles = ["cell_num" if i in block.numeric else "cell" for i in range(len(cells))]
        for values in block.rows:
            out.append("<w:tr>" + "".join(
                f'<w:tc><w:tcPr>{cells[i]}</w:tcPr><w:p><w:pPr><w:pStyle '
                f'w:val="{BY_KEY[body_styles[i]].docx_id}"/></w:pPr>'
                f'{_text_runs(values[i]) if i < len(values) and values[i] else ""}</w:p></w:tc>'
                for i in range(len(cells))) + "</w:tr>")
        if block.footer:
            out.append(self.row(block.footer, block, cells, "cell_head", FOOT_FILL,
                                "<w:trPr><w:cantSplit/></w:trPr>"))
        out.append("</w:tbl>")
        self.parts.append("".join(out))
        if layout.legend:
            legend = " · ".join(f"{short} : {full}" for short, full in layout.legend)
            self.parts.append(self.p(_text_runs(legend), "legend"))
        else:
            self.parts.append(self.p("", "legend"))  # a table is never glued to the next

    def row(self, values: list[str], block: Table, cells: list[str], key: str, fill: str,
            props: str) -> str:
        out = []
        for index, cell in enumerate(cells):
            value = values[index] if index < len(values) else ""
            style = BY_KEY[f"{key}_num" if index in block.numeric else key].docx_id
            out.append(f'<w:tc><w:tcPr>{cell}<w:shd w:val="clear" w:color="auto" '
                       f'w:fill="{fill}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>'
                       f'</w:pPr>{_text_runs(value, "<w:rPr><w:b/></w:rPr>")}</w:p></w:tc>')
        return f"<w:tr>{props}{''.join(out)}</w:tr>"

    def toc(self, block: TableOfContents) -> None:
        """A TOC field whose result (the entries) is already written: linked, paged."""
        entries = self.outline.headings(block.levels)
        self.pages = estimate_pages(self.outline)
        self.parts.append(self.p(_text_runs(block.title), "toc_heading"))
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{block.levels}" '
                 '\\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                 "</w:r>")
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            self.parts.append(self.p(begin + end))
            return
        for index, heading in enumerate(entries):
            page = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                    f'xml:space="preserve"> PAGEREF {heading.anchor} \\h </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r><w:t>{self.pages.get(heading.anchor, "")}</w:t></w:r>'
                    '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            link = (f'<w:hyperlink w:anchor="{heading.anchor}" w:history="1">'
                    f'{_text_runs(heading.text)}<w:r><w:tab/></w:r>{page}</w:hyperlink>')
            self.parts.append(self.p((begin if index == 0 else "") + link
                                     + (end if index == len(entries) - 1 else ""),
                                     f"toc{min(heading.level, 2)}"))


class _Images:
    """Pictures added to the document part once each (relationship id, drawing number)."""

    def __init__(self, document) -> None:
        self.part = document.part
        self.count = 0

    def add(self, png: bytes) -> tuple[str, int]:
        rid, _image = self.part.get_or_add_image(io.BytesIO(png))
        self.count += 1
        return rid, self.count


def _utc(moment: datetime | None) -> datetime:
    moment = moment or datetime.now(UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _new_document(outline: Outline):
    """An A4 python-docx document with header, footer, styles and properties."""
    document, tag = Document(), language_tag(outline.lang)
    install_styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.header_distance = section.footer_distance = Cm(1)
    if any(isinstance(block, Cover) for block in outline.blocks[:1]):
        # The cover (first page) has neither header nor page number.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
        for part in (section.first_page_header, section.first_page_footer):
            for paragraph in part.paragraphs:  # no rule under an empty header
                paragraph.style = document.styles["Normal"]
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run(outline.running_header or outline.title)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1'
                               "</w:t></w:r></w:fldSimple>"))
    props = document.core_properties
    # Core properties are limited to 255 characters (python-docx refuses more).
    props.title, props.subject = outline.title[:255], outline.subject[:255]
    props.language = tag
    props.author = props.last_modified_by = outline.authority[:255]
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = _utc(outline.generated_at)
    props.revision = 1
    # Word updates the fields on opening (after asking): the TOC's pages become exact.
    document.settings.element.append(parse_xml(
        f'<w:updateFields {nsdecls("w")} w:val="true"/>'))
    # The default font and language of every run (spell checking, hyphenation).
    run_props = document.styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(run_props):
        if child.tag in (qn("w:lang"), qn("w:rFonts")):
            run_props.remove(child)
    run_props.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" '
                                  f'w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'))
    run_props.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{tag}" w:eastAsia="{tag}" '
                               f'w:bidi="{tag}"/>'))
    return document


# python-docx's template carries a thumbnail of an empty page: not ours to ship.
_THUMBNAIL = "docProps/thumbnail.jpeg"
_THUMBNAIL_REL = re.compile(r'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>')


def _splice_body(package: bytes, part_name: str, body_xml: str) -> bytes:
    """``package`` with ``body_xml`` inserted before the final ``<w:sectPr`` of its body."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == _THUMBNAIL:
                continue
            data = source.read(info.filename)
            if info.filename == part_name:
                xml = data.decode("utf-8")
                at = xml.rindex("<w:sectPr")
                data = (xml[:at] + body_xml + xml[at:]).encode("utf-8")
            elif info.filename == "_rels/.rels":
                data = _THUMBNAIL_REL.sub("", data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def render_outline_docx(outline: Outline, translate: Translate | None = None) -> bytes:
    """Any outline as DOCX bytes."""
    document = _new_document(outline)
    writer = _BodyWriter(outline, _Images(document), translator(translate))
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
    """The report as DOCX bytes (cover, filled table of contents, charts, styled tables)."""
    return render_outline_docx(report_outline(report, translate, lang=lang), translate)


def render_minutes_docx(minutes: Minutes, translate: Translate | None = None, *,
                        lang: str = "fr") -> bytes:
    """A workshop's minutes as DOCX bytes."""
    return render_outline_docx(minutes_outline(minutes, translate, lang=lang), translate)
