"""The named styles of the DOCX and ODT editions: one table, so both look alike.

Fonts, sizes, colours and spacing follow the PDF's palette (``templates/exports/
report.css``): dark blue (#1f4e79) headings with a rule under chapters, near-black text,
grey notes, light blue-grey table headers. Every style is *named* (headings, title,
subtitle, cover lines, body, facts, notes, table text and header, caption, TOC levels…),
so an officer restyles the whole document from the word processor's style list.
Arial is the font: Word has it, LibreOffice uses its metric twin Liberation Sans, so
column widths estimated with Arial's metrics (:func:`exports.outline.layout_table`) hold
in both.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Arial"
INK = "1A1A1A"
BLUE = "1F4E79"
GREY = "404040"
BROWN = "6B3A00"
BROWN_RULE = "8A4B00"
HEAD_FILL = "E8EEF5"
FOOT_FILL = "F4F4F4"
RULE = "B3B3B3"
TEXT_WIDTH_CM = 17.0
"""A4 (21 cm) less two 2 cm margins."""
TEXT_WIDTH_PT = TEXT_WIDTH_CM * 72 / 2.54


@dataclass(frozen=True)
class ParagraphStyle:
    """One named paragraph style. Sizes and spacing in points."""

    key: str
    docx_name: str
    odt_name: str
    display: str
    size: float
    bold: bool = False
    italic: bool = False
    color: str = INK
    before: float = 0
    after: float = 4
    align: str = ""  # "", "center" or "right"
    keep_next: bool = False
    indent: float = 0
    rule_below: str = ""  # colour of a rule under the paragraph
    box: str = ""  # colour of a frame around it
    outline_level: int = 0
    toc_tab: bool = False  # a right tab with dot leader at the text width
    line: float = 1.15  # line height, a multiple of the font's

    @property
    def docx_id(self) -> str:
        return "".join(self.display.split())


def _style(key, docx_name, odt_name, size, **options) -> ParagraphStyle:
    return ParagraphStyle(key, docx_name, odt_name, options.pop("display", docx_name), size,
                          **options)


STYLES: tuple[ParagraphStyle, ...] = (
    _style("normal", "Normal", "Standard", 10.5, after=4),
    _style("body", "Report Body", "Report_Body", 10.5, after=6),
    _style("title", "Title", "Title", 28, bold=True, color=BLUE, before=36, after=12,
           line=1.0),
    _style("subtitle", "Subtitle", "Subtitle", 15, color=GREY, after=18),
    _style("h1", "heading 1", "Heading_20_1", 18, bold=True, color=BLUE, before=18,
           after=8, keep_next=True, rule_below=BLUE, outline_level=1, display="Heading 1"),
    _style("h2", "heading 2", "Heading_20_2", 14, bold=True, color=BLUE, before=14, after=6,
           keep_next=True, outline_level=2, display="Heading 2"),
    _style("h3", "heading 3", "Heading_20_3", 12, bold=True, before=12, after=4,
           keep_next=True, outline_level=3, display="Heading 3"),
    _style("h4", "heading 4", "Heading_20_4", 10.5, bold=True, before=10, after=3,
           keep_next=True, outline_level=4, display="Heading 4"),
    _style("cover_authority", "Cover Authority", "Cover_Authority", 16, bold=True,
           color=BLUE, before=24, after=6),
    _style("cover_line", "Cover Line", "Cover_Line", 11.5, color=GREY, after=3),
    _style("cover_status", "Cover Status", "Cover_Status", 12, bold=True, color=BROWN,
           before=30, after=3),
    _style("cover_demo", "Cover Demo", "Cover_Demo", 11, bold=True, color=BROWN, before=18,
           after=6, box=BROWN_RULE),
    _style("cover_note", "Cover Note", "Cover_Note", 9, color=GREY, before=48),
    _style("cover_logo", "Cover Logo", "Cover_Logo", 10.5, after=18),
    _style("meta", "Report Meta", "Report_Meta", 9, color=GREY, after=2),
    _style("facts", "Report Facts", "Report_Facts", 9, color=GREY, after=2),
    _style("empty", "Report Empty", "Report_Empty", 9.5, italic=True, color=GREY),
    _style("note", "Report Note", "Report_Note", 10, bold=True, after=4),
    _style("item", "Report Item", "Report_Item", 10.5, bold=True, before=8, after=2,
           keep_next=True),
    _style("caption", "caption", "Caption", 9.5, bold=True, before=6, after=3,
           keep_next=True, display="Caption"),
    _style("figure", "Report Figure", "Report_Figure", 10.5, align="center", after=3),
    _style("legend", "Report Table Legend", "Report_Table_Legend", 8.5, italic=True,
           color=GREY, before=2, after=8),
    _style("cell", "Report Table Text", "Report_Table_Text", 9, after=0, line=1.0),
    _style("cell_num", "Report Table Number", "Report_Table_Number", 9, after=0, line=1.0,
           align="right"),
    _style("cell_head", "Report Table Header", "Report_Table_Header", 9, bold=True, after=0,
           line=1.0),
    _style("cell_head_num", "Report Table Header Number", "Report_Table_Header_Number", 9,
           bold=True, after=0, line=1.0, align="right"),
    _style("toc_heading", "TOC Heading", "Contents_20_Heading", 16, bold=True, color=BLUE,
           after=12, display="TOC Heading"),
    _style("toc1", "toc 1", "Contents_20_1", 11, bold=True, before=6, after=2,
           toc_tab=True, display="TOC 1"),
    _style("toc2", "toc 2", "Contents_20_2", 10, after=1, indent=14, toc_tab=True,
           display="TOC 2"),
    _style("header", "header", "Header", 8.5, color=GREY, after=0, rule_below=RULE,
           display="Header"),
    _style("footer", "footer", "Footer", 8.5, color=GREY, after=0, align="center",
           display="Footer"),
)
BY_KEY = {style.key: style for style in STYLES}
PARAGRAPH_STYLES = {"body": "body", "meta": "meta", "facts": "facts", "empty": "empty",
                    "note": "note", "item": "item"}
"""The style key of each outline paragraph style (unknown styles print as body text)."""
