"""Word .docx through python-docx: paragraphs and tables in body order, merged cells resolved.

python-docx returns the same underlying cell element for every grid position a merge covers (gridSpan across,
vMerge down); such repeats are marked merged so that the grid keeps its shape but a merged label is never
read as a value.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from index.document import Cell, Document, Paragraph, ReaderError, Table
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


def read_docx(path: Path) -> Document:
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
    return Document(blocks=blocks, source_format="docx", title=title)
