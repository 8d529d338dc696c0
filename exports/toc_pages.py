"""Where each heading of an outline will land: page estimates for a DOCX's contents.

LibreOffice shows a DOCX table of contents as written (it does not recompute its
``PAGEREF`` fields on opening), so :mod:`exports.docx` stores these estimates as the
fields' results (and the ODT as its page fields' cached values); a word processor that
updates fields replaces them by the exact pages.
"""

from __future__ import annotations

from .office_styles import BY_KEY, PARAGRAPH_STYLES, TEXT_WIDTH_PT
from .outline import (
    CELL_PADDING_PT,
    BulletList,
    Cover,
    Figure,
    Heading,
    Outline,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
    layout_table,
)

PAGE_HEIGHT_PT = (29.7 - 4) * 72 / 2.54
AVERAGE_CHAR_EM = 0.5


def _lines(value: str, width_pt: float, size: float) -> int:
    per_line = max(1, int(width_pt / (size * AVERAGE_CHAR_EM)))
    return sum(max(1, -(-len(line) // per_line)) for line in (value or " ").split("\n"))


def estimate_pages(outline: Outline) -> dict[str, int]:
    """The page of each heading (by anchor), estimated from line counts.

    LibreOffice shows a DOCX table of contents as written (it does not recompute its
    PAGEREF fields on opening) and Word until its fields are updated, so the entries
    carry these estimates; Word replaces them by the exact pages when it updates the
    fields, which the document asks for on opening (``w:updateFields``).
    """
    pages: dict[str, int] = {}
    page, used = 1, 0.0

    def place(height: float, *, glue: bool = False) -> None:
        nonlocal page, used
        if used + height > PAGE_HEIGHT_PT and used > 0:
            page, used = page + 1, 0.0
        used += height

    def paragraph(value: str, key: str, indent: float = 0) -> float:
        style = BY_KEY[key]
        lines = _lines(value, TEXT_WIDTH_PT - style.indent - indent, style.size)
        return lines * style.size * 1.17 + style.before + style.after

    for block in outline.blocks:
        if isinstance(block, PageBreak):
            page, used = page + 1, 0.0
        elif isinstance(block, Heading):
            height = paragraph(block.text, f"h{min(block.level, 4)}")
            if used + height + 40 > PAGE_HEIGHT_PT:  # kept with what follows
                page, used = page + 1, 0.0
            used += height
            if block.anchor:
                pages[block.anchor] = page
        elif isinstance(block, Paragraph):
            place(paragraph("".join(r.text for r in block.runs),
                            PARAGRAPH_STYLES.get(block.style, "body"), 21 * block.indent))
        elif isinstance(block, BulletList):
            for item in block.items:
                place(paragraph(item, "body", 18 + 18 * block.indent))
        elif isinstance(block, Figure):
            place(block.height_pt + 30)
        elif isinstance(block, Cover):
            page, used = page, PAGE_HEIGHT_PT / 2
        elif isinstance(block, TableOfContents):
            entries = outline.headings(block.levels)
            used += 40 + sum(paragraph(h.text, f"toc{min(h.level, 2)}") for h in entries)
            while used > PAGE_HEIGHT_PT:
                page, used = page + 1, used - PAGE_HEIGHT_PT
        elif isinstance(block, Table):
            layout = layout_table(block, TEXT_WIDTH_PT)
            rows = [*([layout.header] if layout.header else []), *block.rows,
                    *([block.footer] if block.footer else [])]
            if block.caption:
                place(paragraph(block.caption, "caption"))
            for values in rows:
                lines = max(_lines(value, width - 2 * CELL_PADDING_PT, 9)
                            for value, width in zip(values, layout.widths, strict=False))
                place(lines * 9 * 1.02 + 5)
            place(14)
    return pages
