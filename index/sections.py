"""Recognise section headings (一、总体情况 … 六、其他需要报告的事项, (一)主动公开 …) the same way for every format.

Sets each paragraph's heading_level and every block's section path ("五、存在的主要问题及改进情况 › (一)…").
A run-in heading ("（一）主动公开情况。主要通过…") counts as a heading: its text up to the first 。.
"""
from __future__ import annotations

import re

from index.catalogue import METRICS
from index.document import Document, Paragraph, Table
from index.normalize import fold

_LEVEL1 = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
_LEVEL2 = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]")
MAX_HEADING = 40  # a line longer than this, with no run-in 。, is body text
PATH_SEP = " › "


_HEAD_END_WORDS = (("情况", "方面", "事项", "措施", "概述"), ("问题", "建设", "保障", "管理", "公开", "工作"))


def heading_text(text: str) -> str | None:
    """The heading part of a paragraph, or None when it is not a heading.

    Run-in headings end at the first 。 or space ("（一）主动公开情况。主要通过…"); scraped text often has neither
    ("（一）主动公开方面平潭综合实验区切实…"), so a heading may also end at a word headings end with (情况, 方面 …).
    """
    if len(text) <= MAX_HEADING and not any(p in text[:-1] for p in "。，,；"):
        return text.strip()
    ends = [at for at in (text.find(stop, 0, MAX_HEADING + 1) for stop in ("。", " ", "\u3000")) if at > 0]
    for words in _HEAD_END_WORDS:
        found = [text.find(w, 2, MAX_HEADING) for w in words]
        found = [at + len(w) for at, w in zip(found, words) if at > 0]
        if found:
            ends.append(min(found))
            break
    return text[:min(ends)].strip() if ends else None


def heading_level(text: str) -> int:
    folded = fold(text)
    if _LEVEL1.match(folded) and heading_text(text) is not None:
        return 1
    if _LEVEL2.match(folded) and heading_text(text) is not None:
        return 2
    return 0


_INLINE_HEADING = re.compile(r"(?<=[。！？；;!?\s])(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
                             r"[\u4e00-\u9fff])")


# the template's own section titles: cut before them even when a glued table precedes ("…15五、存在的主要问题")
_SECTION_TITLE = re.compile(r"(?<=\S)(?=[一二三四五六七]、(?:总体情况|概述|主动公开政府信息|收到和处理政府信息公开申请|"
                            r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议|政府信息公开行政复议|"
                            r"(?:政府信息公开工作)?存在的主要问题|其他需要报告))")


def split_inline_headings(text: str) -> list[str]:
    """Text scraped from a web page can hold a whole report on one line; cut it before each heading that
    starts a sentence ("…工作。二、主动公开政府信息情况…") and before the template's section titles, so that
    sections can be told."""
    parts = []
    for piece in _SECTION_TITLE.split(text):
        parts.extend(_INLINE_HEADING.split(piece))
    return [part.strip() for part in parts if part.strip()]





_NUMERALS = "一二三四五六七八九十"

# 表三's own numbered rows (一、本年新收 … 四、结转下年度继续办理, 三、本年度办理结果): a converted table may leave their
# labels as lines of text, which must not open a section (四、结转… would take 表四's section number)
_TABLE_ROW_WORDS = tuple(k for m in METRICS.values() if m.table == "t3" and m.label[0] in _NUMERALS and not m.parent
                         for k in m.keys) + ("本年度办理结果",)


def _is_table_row_label(text: str) -> bool:
    return any(w in fold(text) for w in _TABLE_ROW_WORDS) and len(text) <= 40


def assign_sections(doc: Document) -> None:
    level1 = level2 = ""
    last_top = 0  # top-level sections count up: a later "一、本年新收…" is a table label, not a section
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            level = heading_level(block.text)
            if level == 1 and _is_table_row_label(block.text):
                level = 0
            if level == 1:
                number = _NUMERALS.find(fold(block.text).lstrip()[0]) + 1
                if number <= last_top:
                    level = 0
                else:
                    last_top = number
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
