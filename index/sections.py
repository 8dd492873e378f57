"""Recognise section headings (一、总体情况 … 六、其他需要报告的事项, (一)主动公开 …) the same way for every format.

Sets each paragraph's heading_level and every block's section path ("五、存在的主要问题及改进情况 › (一)…").
A run-in heading ("（一）主动公开情况。主要通过…") counts as a heading: its text up to the first 。.
"""
from __future__ import annotations

import re

from index.document import Document, Paragraph, Table
from index.normalize import fold

_LEVEL1 = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
_LEVEL2 = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]")
MAX_HEADING = 40  # a line longer than this, with no run-in 。, is body text
PATH_SEP = " › "


def heading_text(text: str) -> str | None:
    """The heading part of a paragraph, or None when it is not a heading."""
    head = text.split("。", 1)[0] if "。" in text[:MAX_HEADING + 1] else text
    if len(head) > MAX_HEADING:
        return None
    return head.strip()


def heading_level(text: str) -> int:
    folded = fold(text)
    if _LEVEL1.match(folded) and heading_text(text) is not None:
        return 1
    if _LEVEL2.match(folded) and heading_text(text) is not None:
        return 2
    return 0


def assign_sections(doc: Document) -> None:
    level1 = level2 = ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            level = heading_level(block.text)
            block.heading_level = level
            if level == 1:
                level1, level2 = heading_text(block.text) or "", ""
            elif level == 2:
                level2 = heading_text(block.text) or ""
        path = PATH_SEP.join(p for p in (level1, level2) if p)
        if isinstance(block, Table):
            block.section = level1  # a table belongs to the top-level section it stands in
        else:
            block.section = path
    for i, table in enumerate(doc.tables):
        table.index = i
