"""Plain text: encoding detection (shared by the HTML and markdown readers) and the .docx-export layout.

Text exported from a .docx (the seed report) prints each table cell on its own line, indented by a tab; an
empty line ends a table row; a line without the tab right after a cell continues that cell (a wrapped label
such as "商业" / "企业"). Text scraped from web pages has no such layout: its tables stay in the paragraphs
(recovering those glued tables is the job of a later stage).
"""
from __future__ import annotations

import codecs

from index.document import Cell, Document, Paragraph, ReaderError, Table, account, nonspace
from index.normalize import clean_cell
from index.sections import split_inline_headings


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report text: UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312).

    Returns (text, encoding). Refuses binary content rather than returning mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise ReaderError("binary content, not text (NUL bytes; a text file without a byte-order mark has none)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # UTF-8 with a few damaged bytes (a bad sector, a broken download): the rest of the report is still good;
    # the damaged bytes are shown as U+FFFD and the document says so
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if damaged <= max(8, len(data) // 1000):
        return text, f"utf-8 ({damaged} damaged bytes replaced)"
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise ReaderError("unknown text encoding (tried UTF-8, GB18030 and detection)")
    return str(best), best.encoding


def check_is_text(text: str) -> None:
    """Refuse decoded text that is mostly control characters (binary junk that happened to decode)."""
    sample = text[:20000]
    if not sample.strip():
        raise ReaderError("the file holds no text")
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if bad > len(sample) * 0.01:
        raise ReaderError("binary content, not text")


def text_document(blocks: list[Paragraph | Table], source_format: str, encoding: str, held_chars: int,
                  notes: list[str] = ()) -> Document:
    """A Document from decoded text: the first paragraph as title, a note when the encoding was not UTF-8, the
    accounting against the text's `held_chars`. Plain text has no table markup to count apart from the reader's
    own parse, so the tables and cells held are the ones read."""
    accounting = account(blocks, 0, 0, held_chars, notes)
    accounting.tables_held, accounting.cells_held = accounting.tables_kept, accounting.cells_kept
    doc = Document(blocks=blocks, source_format=source_format, accounting=accounting)
    if encoding not in ("utf-8", "utf-8-sig"):
        doc.notes.append(f"decoded as {encoding}")
    doc.title = next((b.text for b in blocks if isinstance(b, Paragraph)), "")[:200]
    return doc


def read_text(data: bytes) -> Document:
    text, encoding = decode_text(data)
    check_is_text(text)
    return text_document(parse_text_layout(text), "txt", encoding, nonspace(text))


def parse_text_layout(text: str) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []  # the table being read
    row: list[Cell] = []
    in_cell = False  # the previous line was a cell line (so an unindented line continues it)

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
        row = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            blocks.append(Table.from_ragged(rows))
        rows = []

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("\t"):
            row.append(Cell(clean_cell(line)))
            in_cell = True
        elif not line.strip():
            end_row()
            in_cell = False
        elif in_cell and row:
            row[-1] = Cell(clean_cell(row[-1].text + line))
        else:
            end_table()
            for part in split_inline_headings(clean_cell(line)):
                blocks.append(Paragraph(part))
            in_cell = False
    end_table()
    return blocks
