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

from index.document import Document, Paragraph, Table
from index.normalize import compact
from index.sections import heading_text

MAX_CHARS = 240  # about two or three sentences of report prose
_SENTENCE = re.compile(r".+?(?:[。！？!?；;]+[”’」』）)]*|$)", re.S)
_CRAWLER_FIELD = re.compile(r"^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|索引号|分类|名称|来源)[:：]|^页面链接|^当前位置"
                            r"|^=+\s*正文\s*=+$")
# column headings of the standard tables: prose does not use them
_TABLE_HEADINGS = ("本年制发件数", "本年处理决定数量", "本年新制作数量", "申请人情况", "结果维持结果纠正",
                   "尚未审结总计", "信息内容本年", "指标名称", "计量单位", "第二十条第", "勾稽关系")
# a number glued between two labels: "申请数量801000081二、" (prose numbers carry a unit: 12场, 2428条)
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）)”])\d{2,}(?:\.\d+)?"
                           r"(?![\d.件条个次场家项人元万亿%％年月日号期篇份批余多处名所套户台倍天时分部本册张轮座辆宗笔位"
                           r"大小周通])")  # 229大项539小项, 成立70周年, 热线电话11通: prose


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
    glued = _GLUED_NUMBER.findall(squeezed)
    return len(glued) >= 2 or any(len(g) >= 7 for g in glued) or digits > 0.35 * len(squeezed)


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


LEAD_IN_MAX = 40  # a shorter paragraph ("改进措施：", "一是从严日常管理。") leads into the next one


def make_passages(doc: Document) -> list[Passage]:
    """Passages of the document's prose. A top-level heading is not passage text (it is the section path); a
    sub-heading that states something ("（二）进一步拓展政府信息公开形式。…") stays in its passage; a short
    lead-in line is joined to the paragraph it introduces, when both are in the same section."""
    passages: list[Passage] = []
    paragraphs = doc.paragraphs
    starts = []
    offset = 0
    for p in paragraphs:
        starts.append(offset)
        offset += len(p.text) + 1
    full = report_text(doc)
    # what follows each paragraph in the document: a table caption is not prose, a lead-in needs its paragraph
    next_is_table = {}
    for block, following in zip(doc.blocks, doc.blocks[1:] + [None]):
        if isinstance(block, Paragraph):
            next_is_table[id(block)] = isinstance(following, Table)
    pending_from = None  # offset of a lead-in waiting for its paragraph
    for i, paragraph in enumerate(paragraphs):
        text = paragraph.text
        body_from = 0
        if paragraph.heading_level == 1:
            body_from = len(heading_text(text) or "")
            while body_from < len(text) and text[body_from] in "。 \u3000：:":
                body_from += 1
        body = text[body_from:]
        if not body.strip() or _CRAWLER_FIELD.match(text.strip()):
            pending_from = None
            continue
        short = len(body) <= LEAD_IN_MAX
        if short and next_is_table[id(paragraph)]:
            pending_from = None
            continue  # a table's caption
        start = starts[i] + body_from
        if pending_from is not None:
            start = pending_from
            pending_from = None
        end = starts[i] + len(text)
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if short and following is not None and following.section == paragraph.section \
                and following.heading_level != 1 and not looks_like_table(following.text):
            pending_from = start
            continue
        if short and paragraph.heading_level and pending_from is None and start == starts[i] \
                and len(text) - len(heading_text(text) or "") < 4:
            continue  # a sub-heading alone: its words are the next passages' section path (but "（一）工作人员情况
            # 我局…兼职人员1人。" states something after it)
        chunk_text = full[start:end]
        for a, b in _chunks(chunk_text):
            piece = chunk_text[a:b]
            if piece.strip() and not looks_like_table(piece):
                lead = len(piece) - len(piece.lstrip())
                s = start + a + lead
                passages.append(Passage(len(passages), piece.strip(), paragraph.section, i + 1 - (start < starts[i]),
                                        paragraph.page, s, s + len(piece.strip())))
    return passages
