"""What a reader produces: a report file as a document of paragraphs and table grids, in reading order.

Readers only transcribe what the file holds. Sections are recognised afterwards, by `index.sections`, the same
way for every format; tables are mapped onto the metric catalogue by `index.mapping`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ReaderError(Exception):
    """A file that cannot be read as a report. The message names the reason in plain words."""


@dataclass
class Cell:
    text: str  # as printed, surrounding whitespace trimmed; "" for an empty cell
    merged: bool = False  # True for a position covered by a merged (spanned) cell; text is the origin's
    padding: bool = False  # True for a position the source row did not have (a short row made rectangular)

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass
class Table:
    rows: list[list[Cell]]
    page: int | None = None  # first page (formats with pages)
    page_end: int | None = None  # last page, when the table continues across a page break
    row_pages: list[int | None] = field(default_factory=list)  # page of each row, where known
    section: str = ""  # filled by index.sections
    index: int = 0  # position among the document's tables, from 0

    @classmethod
    def from_ragged(cls, rows: list[list[Cell]], **kwargs) -> "Table":
        """A rectangular table from rows of unequal length, padded on the right with cells marked as padding (a
        cell the row lacks is not a blank cell the report printed)."""
        width = max((len(r) for r in rows), default=0)
        return cls(rows=[r + [Cell("", padding=True) for _ in range(width - len(r))] for r in rows], **kwargs)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self) -> str:
        return " ".join(c.text for r in self.rows for c in r if c.text and not c.merged)

    def page_of_row(self, i: int) -> int | None:
        if i < len(self.row_pages) and self.row_pages[i] is not None:
            return self.row_pages[i]
        return self.page


@dataclass
class Paragraph:
    text: str
    page: int | None = None
    heading_level: int = 0  # >0 when the paragraph is a section heading (set by index.sections)
    section: str = ""  # section path, e.g. "一、总体情况 › (一)主动公开" (set by index.sections)


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block]
    source_format: str  # txt / docx / pdf / html / md
    title: str = ""  # the title as the file gives it (HTML <title>, first line, …), may be empty
    n_pages: int | None = None
    notes: list[str] = field(default_factory=list)  # what the reader had to guess (encoding, …)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def full_text(self) -> str:
        return "\n".join(b.text if isinstance(b, Paragraph) else b.text() for b in self.blocks)


def grid_from_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[Cell]]:
    """Expand rows of (text, rowspan, colspan) cells into a rectangular grid.

    Positions covered by a span get a copy of the origin's text with merged=True, so that a grid position
    always exists for a citation and a merged label is never mistaken for a value. Used by the HTML and
    .docx readers (both describe merges as spans).
    """
    grid: list[list[Cell | None]] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, rowspan, colspan in row:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(max(rowspan, 1)):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + max(colspan, 1):
                    target.append(None)
                for dc in range(max(colspan, 1)):
                    target[c + dc] = Cell(text, merged=bool(dr or dc))
            c += max(colspan, 1)
    width = max((len(r) for r in grid), default=0)
    return [[cell if cell is not None else Cell("") for cell in row] + [Cell("")] * (width - len(row))
            for row in grid]
