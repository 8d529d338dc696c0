"""The DOCX's styles: the named styles of :mod:`exports.office_styles` as WordprocessingML
``w:style`` elements and the report's table style, installed by :func:`install_styles` in
place of python-docx's template styles of the same ids.
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .office_styles import FONT, RULE, STYLES, TEXT_WIDTH_PT, ParagraphStyle
from .outline import CELL_PADDING_PT

TABLE_STYLE = "ReportTable"
TEXT_WIDTH_TWIPS = round(TEXT_WIDTH_PT * 20)


def _style_xml(style: ParagraphStyle) -> str:
    """A paragraph style of :mod:`exports.office_styles` as a ``w:style`` element."""
    ppr = []
    if style.keep_next:
        ppr.append("<w:keepNext/>")
    borders = ""
    if style.rule_below:
        borders += f'<w:bottom w:val="single" w:sz="8" w:space="2" w:color="{style.rule_below}"/>'
    if style.box:
        borders = "".join(f'<w:{side} w:val="single" w:sz="12" w:space="3" '
                          f'w:color="{style.box}"/>' for side in ("top", "left", "bottom",
                                                                  "right"))
    if borders:
        ppr.append(f"<w:pBdr>{borders}</w:pBdr>")
    if style.toc_tab:
        ppr.append(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/>'
                   "</w:tabs>")
    ppr.append(f'<w:spacing w:before="{round(style.before * 20)}" '
               f'w:after="{round(style.after * 20)}" w:line="{round(style.line * 240)}" '
               'w:lineRule="auto"/>')
    if style.indent:
        ppr.append(f'<w:ind w:left="{round(style.indent * 20)}"/>')
    if style.align:
        ppr.append(f'<w:jc w:val="{"right" if style.align == "right" else "center"}"/>')
    if style.outline_level:
        ppr.append(f'<w:outlineLvl w:val="{style.outline_level - 1}"/>')
    rpr = [f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>']
    if style.bold:
        rpr.append("<w:b/><w:bCs/>")
    if style.italic:
        rpr.append("<w:i/><w:iCs/>")
    rpr.append(f'<w:color w:val="{style.color}"/>')
    half_points = round(style.size * 2)
    rpr.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    based = "" if style.key == "normal" else '<w:basedOn w:val="Normal"/>'
    default = ' w:default="1"' if style.key == "normal" else ""
    return (f'<w:style {nsdecls("w")} w:type="paragraph"{default} '
            f'w:styleId="{style.docx_id}"><w:name w:val="{style.docx_name}"/>{based}'
            f'<w:qFormat/><w:pPr>{"".join(ppr)}</w:pPr><w:rPr>{"".join(rpr)}</w:rPr>'
            "</w:style>")


_TABLE_STYLE_XML = (
    f'<w:style {nsdecls("w")} w:type="table" w:styleId="{TABLE_STYLE}">'
    '<w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
    '<w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar>'
    f'<w:top w:w="40" w:type="dxa"/><w:left w:w="{round(CELL_PADDING_PT * 20)}" w:type="dxa"/>'
    f'<w:bottom w:w="40" w:type="dxa"/><w:right w:w="{round(CELL_PADDING_PT * 20)}" '
    'w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
)


def install_styles(document) -> None:
    """Replace the template's paragraph styles by the report's, and add its table style."""
    root = document.styles.element
    ours = {style.docx_id for style in STYLES} | {TABLE_STYLE}
    for element in list(root.findall(qn("w:style"))):
        if element.get(qn("w:styleId")) in ours:
            root.remove(element)
    for style in STYLES:
        root.append(parse_xml(_style_xml(style)))
    root.append(parse_xml(_TABLE_STYLE_XML))
