"""PDF with a text layer, through pdfplumber: text and tables per page, page numbers kept for citations.

Ruled tables are found by pdfplumber; a one-column "table" is a text frame, not a table, and stays text. Text
lines outside the tables are joined back into paragraphs (a line that ends short of the right margin, or a
heading, ends a paragraph). A table that ends one page and starts the next with the same columns is one table.
"""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

from index.document import Cell, Document, Paragraph, ReaderError, Table, account, nonspace
from index.normalize import clean_cell

_FOOTER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_LAYOUT_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
_SENTENCE_END = ("。", "！", "？", "：", "；", ":", "!", "?")


def _tidy(text: str) -> str:
    """Drop the spaces pdfplumber puts around CJK characters (layout gaps, not printed spaces)."""
    return _LAYOUT_SPACE.sub("", text).strip()


_CAPTION = re.compile(r"^(第二十条|信息内容)")


def _real_tables(tables: list) -> list[tuple[tuple, list]]:
    """(bbox, rows) of the ruled tables pdfplumber found on a page. A frame drawn round the page's prose is not
    a table: rows with text in the first cell only are prose until the first row with several cells (its
    captions such as 第二十条第（一）项 stay with the table), and the table's box starts there."""
    found = []
    for table in tables:
        rows = table.extract()
        if not rows or max(len(r) for r in rows) < 2:
            continue
        multi = [i for i, r in enumerate(rows) if sum(1 for c in r if c not in (None, "")) >= 2]
        if not multi:
            continue  # a text frame: every row in its first column only
        start = multi[0]
        while start > 0 and _CAPTION.match((rows[start - 1][0] or "").strip()):
            start -= 1
        bbox = table.bbox
        if start:
            bbox = (bbox[0], table.rows[start].bbox[1], bbox[2], bbox[3])
        found.append((bbox, rows[start:]))
    return found


def _paragraphs(lines: list[dict], right_edge: float, page_no: int) -> list[tuple[float, Paragraph]]:
    out: list[tuple[float, Paragraph]] = []
    current: list[str] = []
    top = 0.0
    left_edge = min((ln["x0"] for ln in lines), default=0.0)
    widths = sorted((ln["x1"] - ln["x0"]) / len(t) for ln in lines if (t := _tidy(ln["text"])))
    body_char = widths[len(widths) // 2] if widths else 10.0  # the body text's character width

    def end() -> None:
        if current:
            out.append((top, Paragraph("".join(current), page=page_no)))
            current.clear()

    for line in lines:
        text = _tidy(line["text"])
        if not text:
            continue
        char_width = (line["x1"] - line["x0"]) / max(len(text), 1)
        centred = line["x0"] > left_edge + 3 * body_char and line["x1"] < right_edge - 3 * body_char
        if _HEADING.match(text) or centred:
            end()
        if not current:
            top = line["top"]
        current.append(text)
        # a line that stops short of the right margin ends its paragraph (a title line stands alone)
        if centred or line["x1"] < right_edge - (1.5 if text.endswith(_SENTENCE_END) else 3) * char_width:
            end()
    end()
    return out


MAX_PAGES = 500  # real reports have a few dozen pages
MAX_PAGE_SIDE = 14400  # PDF user units (200 inches): the format's own limit for a page side
MAX_PAGE_OBJECTS = 200_000  # glyphs, lines and rectangles on one page


def _check_page(page, page_no: int) -> None:
    if page.width > MAX_PAGE_SIDE or page.height > MAX_PAGE_SIDE:
        raise ReaderError(f"page {page_no} is {page.width:.0f} × {page.height:.0f} units, larger than any printed "
                          "page; refused")
    if len(page.chars) + len(page.lines) + len(page.rects) > MAX_PAGE_OBJECTS:
        raise ReaderError(f"page {page_no} holds over {MAX_PAGE_OBJECTS} drawn objects; refused (not a report page)")


def _held_cells(tables: list) -> list[int]:
    """Non-empty cells of each table pdfplumber finds with a row of several filled cells. Rows of one filled
    cell before that row are prose in a frame drawn round the page: read as text, they count as text."""
    counts = []
    for table in tables:
        filled = [[c for c in r if c and c.strip()] for r in table.extract()]
        first = next((i for i, r in enumerate(filled) if len(r) >= 2), None)
        if first is not None:
            counts.append(sum(len(r) for r in filled[first:]))
    return counts


def read_pdf(path: Path) -> Document:
    blocks: list[Paragraph | Table] = []
    held_chars = pieces = footer_chars = 0
    held_cells: list[int] = []
    with pdfplumber.open(str(path)) as pdf:
        n_pages = len(pdf.pages)
        if n_pages > MAX_PAGES:
            raise ReaderError(f"the PDF has {n_pages} pages (over {MAX_PAGES}); an annual report has a few dozen")
        for page_no, page in enumerate(pdf.pages, start=1):
            _check_page(page, page_no)
            found = page.find_tables()
            held_chars += nonspace("".join(c["text"] for c in page.chars))
            held_cells += _held_cells(found)
            tables = _real_tables(found)
            pieces += len(tables)
            boxes = [bbox for bbox, _ in tables]

            def in_table(line: dict) -> bool:
                middle = (line["top"] + line["bottom"]) / 2
                return any(x0 - 2 <= line["x0"] and line["x1"] <= x1 + 2 and top <= middle <= bottom
                           for x0, top, x1, bottom in boxes)

            lines = []
            for line in page.extract_text_lines():
                if _FOOTER.match(line["text"].strip()):
                    footer_chars += nonspace(line["text"])  # a page number: left out, and said so
                elif not in_table(line):
                    lines.append(line)
            right_edge = max((ln["x1"] for ln in lines), default=page.width)
            placed: list[tuple[float, Paragraph | Table]] = list(_paragraphs(lines, right_edge, page_no))
            for bbox, rows in tables:
                grid = [[Cell("", merged=True) if c is None else Cell(clean_cell(c)) for c in r] for r in rows]
                placed.append((bbox[1], Table(rows=grid, page=page_no, page_end=page_no,
                                                    row_pages=[page_no] * len(grid))))
            placed.sort(key=lambda item: item[0])
            for i, (_, block) in enumerate(placed):
                previous = blocks[-1] if blocks else None
                if (i == 0 and isinstance(block, Paragraph) and isinstance(previous, Paragraph)
                        and previous.page == page_no - 1 and not previous.text.endswith(_SENTENCE_END)
                        and not _HEADING.match(block.text)):
                    previous.text += block.text  # a paragraph running on over the page break
                elif (i == 0 and isinstance(block, Table) and isinstance(previous, Table)
                        and previous.n_cols == block.n_cols and previous.page_end == page_no - 1):
                    previous.rows.extend(block.rows)  # the table continues across the page break
                    previous.row_pages.extend(block.row_pages)
                    previous.page_end = page_no
                else:
                    blocks.append(block)
    if not blocks:
        raise ReaderError("the PDF has no text layer (a scanned image?); OCR is not supported")
    title = next((b.text for b in blocks if isinstance(b, Paragraph)), "")
    notes = [f"page numbers left out ({footer_chars} characters)"] if footer_chars else []
    accounting = account(blocks, len(held_cells), sum(held_cells), held_chars, notes, tables_kept=pieces)
    return Document(blocks=blocks, source_format="pdf", title=title[:200], n_pages=n_pages, accounting=accounting)
