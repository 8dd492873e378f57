"""Passages: the report's prose cut into retrievable pieces, each with its citation.

A passage is a paragraph, or a run of whole sentences of a long paragraph; it never crosses a section
boundary (each paragraph belongs to one section). Headings are not passages (they travel as the passage's
section path), nor is table content: tables are answered from facts, and tables glued into scraped text are
recognised by their digit density and template labels and left out. Character offsets point into the
report's stored text (`report_text`), the paragraphs joined by newlines, so a UI can highlight the passage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.document import Document
from index.normalize import compact

MAX_CHARS = 240  # about two or three sentences of report prose
_SENTENCE = re.compile(r".+?(?:[。！？!?；;]+[”’」』）)]*|$)", re.S)
_CRAWLER_FIELD = re.compile(r"^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|索引号|分类|名称|来源)[:：]|^页面链接|^当前位置"
                            r"|^=+\s*正文\s*=+$")
# column headings of the standard tables: prose does not use them
_TABLE_HEADINGS = ("本年制发件数", "本年处理决定数量", "本年新制作数量", "申请人情况", "结果维持", "尚未审结",
                   "信息内容", "指标名称", "计量单位", "历年累计")
# a number glued between two labels: "申请数量801000081二、" (prose numbers carry a unit: 12场, 2428条)
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）)”])\d{2,}(?:\.\d+)?(?![\d.件条个次场家项人元万亿%％年月日号期篇份批余多])")


@dataclass
class Passage:
    ord: int
    text: str
    section: str
    paragraph_no: int  # 1-based position of its paragraph in the report
    page: int | None
    char_start: int
    char_end: int


def report_text(doc: Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def looks_like_table(text: str) -> bool:
    """Table cells glued into prose: many digits and the template's row/column labels."""
    squeezed = compact(text)
    if not squeezed:
        return False
    if any(h in squeezed for h in _TABLE_HEADINGS):
        return True
    digits = sum(ch.isdigit() for ch in squeezed)
    return len(_GLUED_NUMBER.findall(squeezed)) >= 3 or digits > 0.35 * len(squeezed)


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of whole-sentence chunks of at most MAX_CHARS (a longer sentence stands alone)."""
    if len(text) <= MAX_CHARS:
        return [(0, len(text))]
    spans, start, pos = [], 0, 0
    for sentence in split_sentences(text):
        end = pos + len(sentence)
        if end - start > MAX_CHARS and pos > start:
            spans.append((start, pos))
            start = pos
        pos = end
    if pos > start:
        spans.append((start, pos))
    return spans


def make_passages(doc: Document) -> list[Passage]:
    passages: list[Passage] = []
    offset = 0
    for number, paragraph in enumerate(doc.paragraphs, start=1):
        text = paragraph.text
        body_from = 0
        if paragraph.heading_level:
            from index.sections import heading_text
            head = heading_text(text) or ""
            body_from = len(head)
            while body_from < len(text) and text[body_from] in "。 \u3000：:":
                body_from += 1
        body = text[body_from:]
        if body.strip() and not _CRAWLER_FIELD.match(text.strip()):
            for start, end in _chunks(body):
                piece = body[start:end]
                if piece.strip() and not looks_like_table(piece):
                    lead = len(piece) - len(piece.lstrip())
                    a = offset + body_from + start + lead
                    passages.append(Passage(len(passages), piece.strip(), paragraph.section, number,
                                            paragraph.page, a, a + len(piece.strip())))
        offset += len(text) + 1
    return passages
