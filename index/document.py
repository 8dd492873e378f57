"""What a reader produces: a report file as a document of paragraphs and table grids, in reading order.

Readers only transcribe what the file holds. Sections are recognised afterwards, by `index.sections`, the same
way for every format; tables are mapped onto the metric catalogue by `index.mapping`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


class ReaderError(Exception):
    """A file that cannot be read as a report. The message names the reason in plain words."""


def without_nul(text: str) -> str:
    """A NUL is never a character of a report (a PDF's text layer can hold one); PostgreSQL's text cannot store
    it, and both stores must keep the same text."""
    return text.replace("\x00", "") if "\x00" in text else text


@dataclass
class Cell:
    text: str  # as printed, surrounding whitespace trimmed; "" for an empty cell
    merged: bool = False  # True for a position covered by a merged (spanned) cell; text is the origin's
    padding: bool = False  # True for a position the source row did not have (a short row made rectangular)

    def __post_init__(self):
        self.text = without_nul(self.text)

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

    def __post_init__(self):
        self.text = without_nul(self.text)


Block = Paragraph | Table


def nonspace(text: str) -> int:
    """Characters that are not whitespace: what the accounting counts (layout spaces and line breaks differ
    between a file and its reading without anything being lost)."""
    return sum(1 for ch in text if not ch.isspace())


# A reading that keeps less of the file's text than this says so. Measured on every real report and the seed
# (tests/test_readers_accounting.py prints the ratios): text, markdown and .docx readings keep 100 %, PDFs
# 99.3 % (page numbers), web pages 90–92 % (the page's own lines outside links: 来源, 发布时间, 备案号); a
# reading that misses one of the report's standard tables or a section of its text loses a fifth or more.
MIN_TEXT_KEPT = 0.8


@dataclass
class Accounting:
    """What the file held against what its reading kept: tables, their non-empty cells, non-whitespace
    characters. "Held" is measured on the file independently of the reader's extraction path (all of a page's
    data tables and body text, all of a .docx's tables and paragraphs, every glyph pdfplumber sees, every
    character of a text file); "kept" is what the Document's paragraphs and tables hold."""
    tables_held: int = 0
    tables_kept: int = 0
    cells_held: int = 0
    cells_kept: int = 0
    chars_held: int = 0
    chars_kept: int = 0
    notes: list[str] = field(default_factory=list)  # what the reader left out on purpose, or what it lost

    @property
    def text_ratio(self) -> float:
        return self.chars_kept / self.chars_held if self.chars_held else 1.0

    def losses(self) -> list[str]:
        """Plain-language lines for content the reading lost: empty when it kept all tables and enough text."""
        out = []
        if self.text_ratio < MIN_TEXT_KEPT:
            out.append(f"kept {self.text_ratio:.0%} of the file's text ({self.chars_kept} of {self.chars_held} "
                       "characters)")
        if self.tables_kept < self.tables_held:
            out.append(f"{self.tables_held - self.tables_kept} of {self.tables_held} tables dropped")
        if self.cells_kept < self.cells_held and self.tables_kept >= self.tables_held:
            out.append(f"{self.cells_held - self.cells_kept} of {self.cells_held} table cells dropped")
        return out

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "Accounting | None":
        return cls(**json.loads(text)) if text else None  # None: stored before readers kept accounts


def account(blocks: list["Block"], tables_held: int, cells_held: int, chars_held: int, notes: list[str] = (),
            tables: list["Table"] | None = None, tables_kept: int | None = None) -> Accounting:
    """A reading's accounting: what the file held (measured by the reader on the file) against what the blocks
    keep. Characters count every paragraph and every cell; a merged position repeats its origin's text and a
    padding position holds none, so neither counts. Tables and cells count `tables` (by default every table):
    the reader names the ones that stand for held tables where the file has tables that are not the report's
    (a page's layout tables); `tables_kept` counts pieces where the reader joins them (a PDF table continued
    across a page break is one table, two held ones)."""
    all_tables = [b for b in blocks if isinstance(b, Table)]
    tables = all_tables if tables is None else tables

    def filled(table: Table) -> list[Cell]:
        return [c for r in table.rows for c in r if c.text and not c.merged and not c.padding]

    chars = (sum(nonspace(b.text) for b in blocks if isinstance(b, Paragraph))
             + sum(nonspace(c.text) for t in all_tables for c in filled(t)))
    return Accounting(tables_held=tables_held, tables_kept=len(tables) if tables_kept is None else tables_kept,
                      cells_held=cells_held, cells_kept=sum(len(filled(t)) for t in tables),
                      chars_held=chars_held, chars_kept=chars, notes=list(notes))


@dataclass
class Document:
    blocks: list[Block]
    source_format: str  # txt / docx / pdf / html / md
    title: str = ""  # the title as the file gives it (HTML <title>, first line, …), may be empty
    n_pages: int | None = None
    notes: list[str] = field(default_factory=list)  # what the reader had to guess (encoding, …)
    accounting: Accounting = field(default_factory=Accounting)  # what the file held against what was kept

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
