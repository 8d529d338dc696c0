"""The ODT's styles: the named styles of :mod:`exports.office_styles` as ODF styles, the
list styles, the page layouts (the cover's without header and footer) and the defaults
(font, language), installed into an odfdo document by :func:`add_styles`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from odfdo import Document, Element, Style

from .docx import language_tag
from .office_styles import (
    BY_KEY,
    FONT,
    FOOT_FILL,
    HEAD_FILL,
    RULE,
    STYLES,
    TEXT_WIDTH_CM,
    ParagraphStyle,
)
from .outline import CELL_PADDING_PT, Outline

COVER_PAGE = "Report_Cover"
PT_TO_CM = 2.54 / 72


def cm(points: float) -> str:
    """``points`` as an ODF length in centimetres."""
    return f"{points * PT_TO_CM:.3f}cm"


def style_name(key: str) -> str:
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


def add_styles(document: Document, outline: Outline) -> None:
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
        f'<style:header><text:p text:style-name="{style_name("header")}">{header}</text:p>'
        f'</style:header><style:footer><text:p text:style-name="{style_name("footer")}">'
        '<text:page-number text:select-page="current"/></text:p></style:footer>'
        "</style:master-page>"))
    master_styles.append(Element.from_tag(
        f'<style:master-page style:name="{COVER_PAGE}" style:display-name="Report Cover" '
        f'style:page-layout-name="{COVER_PAGE}_Layout" style:next-style-name="Standard"/>'))
