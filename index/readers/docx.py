"""Word .docx through python-docx: paragraphs and tables in body order, merged cells resolved.

python-docx returns the same underlying cell element for every grid position a merge covers (gridSpan across,
vMerge down); such repeats are marked merged so that the grid keeps its shape but a merged label is never
read as a value.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from index.document import Cell, Document, Paragraph, ReaderError, Table, account, nonspace
from index.normalize import clean_cell


def _table(table: DocxTable) -> Table:
    grid: list[list[Cell]] = []
    previous_row_tcs: list = []
    for row in table.rows:
        cells = row.cells
        tcs = [c._tc for c in cells]
        out = []
        for i, cell in enumerate(cells):
            merged = (i > 0 and tcs[i] is tcs[i - 1]) or (i < len(previous_row_tcs) and tcs[i] is previous_row_tcs[i])
            out.append(Cell(clean_cell(cell.text), merged=merged))
        grid.append(out)
        previous_row_tcs = tcs
    return Table.from_ragged(grid)


MAX_EXPANDED_MB = 200  # a real report's .docx expands to a few MB
MAX_RATIO = 200  # compression ratio of one member beyond which it is a zip bomb, not a document


def _check_archive(path: Path) -> None:
    """Refuse, before expanding anything, an archive that would expand to far more than any report."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > 5000:
            raise ReaderError(f"a .docx with {len(members)} parts; refused (not a report)")
        expanded = sum(m.file_size for m in members)
        if expanded > MAX_EXPANDED_MB * 1024 * 1024:
            raise ReaderError(f"the .docx would expand to {expanded / 1024 / 1024:.0f} MB (over "
                              f"{MAX_EXPANDED_MB} MB); refused as a zip bomb")
        for m in members:
            if m.file_size > 10 * 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                raise ReaderError(f"the .docx part {m.filename} is compressed {m.file_size // max(m.compress_size, 1)}"
                                  ":1; refused as a zip bomb")


def _held(body) -> tuple[int, int, int]:
    """(tables, non-empty cells, non-whitespace characters) of the document body as Word holds it: every table
    at any depth (nested ones too), every run of text (in cells, text boxes, content controls too)."""
    tables = body.findall(".//" + qn("w:tbl"))
    cells = [tc for t in tables for tr in t.iterchildren(qn("w:tr")) for tc in tr.iterchildren(qn("w:tc"))
             if "".join(tc.itertext()).strip()]
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a copy for old Word
    chars = sum(nonspace(t.text or "") for t in body.iter(qn("w:t"))
                if not any(a.tag == fallback for a in t.iterancestors()))
    return len(tables), len(cells), chars


def read_docx(path: Path) -> Document:
    _check_archive(path)
    document = docx.Document(str(path))
    blocks: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_cell(DocxParagraph(child, document).text)
            if text:
                blocks.append(Paragraph(text))
        elif tag == "tbl":
            blocks.append(_table(DocxTable(child, document)))
    if not blocks:
        raise ReaderError("the .docx holds no text")
    title = document.core_properties.title or ""
    return Document(blocks=blocks, source_format="docx", title=title,
                    accounting=account(blocks, *_held(document.element.body)))
