"""Markdown, including the broken conversions from PDF: pipe tables and text, read as they stand.

Every run of `|` lines is one table; its header row is kept as a row (the broken conversions put real labels
and sometimes real values there); separator rows (|---|) are dropped. Headings and paragraphs become
paragraphs. Recovering generic headers (数据1..数据6) happens in the table mapper, by row content.
"""
from __future__ import annotations

import re

from index.document import Cell, Document, Paragraph, Table, nonspace
from index.normalize import clean_cell
from index.readers.text import check_is_text, decode_text, text_document
from index.sections import heading_level, heading_text

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^#{1,6}\s+")


def split_pipe_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [clean_cell(c) for c in re.split(r"(?<!\\)\|", body)]


def _markup_chars(text: str) -> int:
    """Characters of markdown syntax, not of the report: table pipes, separator rows, heading marks."""
    count = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            count += nonspace(stripped) if _SEPARATOR.match(stripped) else len(re.findall(r"(?<!\\)\|", stripped))
        elif _HEADING.match(stripped):
            count += nonspace(_HEADING.match(stripped).group())
    return count


def read_markdown(data: bytes) -> Document:
    text, encoding = decode_text(data)
    check_is_text(text)
    blocks: list[Paragraph | Table] = []
    table_rows: list[list[Cell]] = []
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            joined = clean_cell("".join(paragraph))
            if joined:
                blocks.append(Paragraph(joined))
            paragraph.clear()

    def flush_table() -> None:
        if table_rows:
            blocks.append(Table.from_ragged(table_rows))
            table_rows.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            flush_paragraph()
            if not _SEPARATOR.match(stripped):
                table_rows.append([Cell(c) for c in split_pipe_row(stripped)])
            continue
        flush_table()
        if not stripped:
            flush_paragraph()
        elif _HEADING.match(stripped):
            flush_paragraph()
            blocks.append(Paragraph(clean_cell(_HEADING.sub("", stripped))))
        elif heading_level(stripped):
            # PDF-to-markdown output puts headings on their own line without a blank line around them
            flush_paragraph()
            paragraph.append(stripped)
            if heading_text(stripped) == stripped:
                flush_paragraph()
        else:
            paragraph.append(stripped)
    flush_paragraph()
    flush_table()
    markup = _markup_chars(text)
    return text_document(blocks, "md", encoding, nonspace(text) - markup,
                         [f"markdown syntax left out ({markup} characters: table pipes, separator rows, # marks)"])
