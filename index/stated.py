"""Figures the report's text states for the headline quantities of its own 表三 (and of 表二's 规范性文件 row),
and how they relate to
the table: the same number, a number the arithmetic of the table explains (受理 749 = 本年新收 713 + 上年结转 36:
the text counts another thing), or a contradiction (a finding, with both the sentence and the cell).

Only sentences that name the quantity with its verb and a count in 件 are read ("全年共受理政府信息公开申请749件",
"共办理718件", "结转下一年36件"); a figure right after an applicant column (其中自然人申请741件) is that column's,
not the total, and is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.catalogue import COLUMNS, GROUPS, METRICS, children

_APPLICANT = r"(?:自然人|法人|其他组织|商业企业|科研机构|社会公益组织|法律服务机构)"
_SUBJECT = r"(?:各类|有关|涉及)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请"
_PATTERNS = (
    ("t3.new", re.compile(rf"(?:新收|收到|受理|接收|接到){_SUBJECT}(?:共计|共|合计|总计)?\s*(\d+)\s*件")),
    ("t3.new", re.compile(rf"{_SUBJECT}(?:共计|共|合计|总计)?(?:新收|收到|受理|接收|接到)\s*(\d+)\s*件")),
    ("t3.total", re.compile(r"(?:共|全年|累计)(?:办理|办结|答复|处理)(?:各类|有关)?(?:政府信息公开|依申请公开)?(?:申请)?"
                            r"(?:共计|共)?\s*(\d+)\s*件")),
    ("t3.carry_forward", re.compile(r"结转(?:至)?(?:下一年度?|下年度|下年|\d{4}年度?)(?:继续办理)?(?:的)?(?:申请)?\s*(\d+)\s*件")),
    ("t3.carried_over", re.compile(r"上一?年度?结转(?:的)?(?:申请)?\s*(\d+)\s*件")),
    # groups of 表三 printed as their sub-rows: the text's figure is their sum ("因本机关不掌握等原因无法提供564件")
    ("t3.unable", re.compile(r"无法提供(?:的)?(?:申请)?\s*(\d+)\s*件")),
    ("t3.withheld", re.compile(r"不予公开(?:的)?(?:申请)?\s*(\d+)\s*件")),
    ("t3.rejected", re.compile(r"不予处理(?:的)?(?:申请)?\s*(\d+)\s*件")),
    ("t2.normative|in_force", re.compile(r"现行有效(?:的)?(?:行政)?规范性文件(?:共)?\s*(\d+)\s*件")),
    ("t2.normative|issued", re.compile(r"(?:制发|印发|出台)(?:的)?(?:行政)?规范性文件(?:共)?\s*(\d+)\s*件")),
)
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")

# the rows of 表三 whose 总计 may explain a text figure that differs from the asked row: the text's 受理 often
# counts 本年新收 + 上年结转, its 办理 (七)总计 + 结转下年度
RELATED = ("t3.new", "t3.carried_over", "t3.total", "t3.carry_forward")


# words that make the sentence's subject a part of the agency, not the whole its tables count
_PART_SUBJECT = re.compile(r"代表|办公室|政府办|各乡镇|乡镇|街道|部门|本级|直属|下属|审批|窗口")


@dataclass
class Stated:
    metric: str
    column: str  # "total": the whole row
    value: str
    sentence: str
    char_start: int  # the sentence, in the text given
    char_end: int
    subject: str = ""  # the clause's words before the figure's verb ("区政府办代表区政府")


_COLUMN_OF = {"自然人": "natural", "商业企业": "commercial", "科研机构": "research", "社会公益组织": "public_interest",
              "法律服务机构": "legal"}
_APPLICANT_FIGURE = re.compile(r"(?:其中|涉及)?(自然人|商业企业|科研机构|社会公益组织|法律服务机构)(?:申请|提出)?(?:的)?\s*(\d+)\s*件")


def find_stated(text: str) -> list[Stated]:
    """Every headline figure the text states, in order; and the applicant columns a sentence breaks its 本年新收 /
    受理 figure into ("受理…749件，其中自然人申请741件": 自然人 741 of the same row)."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        row_here = None
        for metric, pattern in _PATTERNS:
            for m in pattern.finditer(sentence.group(0)):
                before = sentence.group(0)[:m.start()]
                if re.search(_APPLICANT + r"\S{0,4}$", before):
                    continue  # 其中自然人申请741件: an applicant column's figure, read below
                subject = re.split(r"[，,：:]", before)[-1]
                row, _, column = metric.partition("|")
                found.append(Stated(row, column or "total", m.group(1), sentence.group(0).strip(),
                                    sentence.start(), sentence.end(), subject))
                row_here = row_here or (row if row == "t3.new" else None)
        if row_here:
            for m in _APPLICANT_FIGURE.finditer(sentence.group(0)):
                found.append(Stated(row_here, _COLUMN_OF[m.group(1)], m.group(2), sentence.group(0).strip(),
                                    sentence.start(), sentence.end(), found[-1].subject))
    return found


def relation(stated: Stated, cells: dict[tuple[str, str], Decimal | None]) -> tuple[str, list[str]] | None:
    """How a stated figure relates to the table's cells ({(metric, column): number}): ("same", [metric]),
    ("explained", [asked, other, "+" or "−"]) when it is the asked cell plus or minus one related row's 总计, or
    None when the table does not hold the asked cell; ("scope", [metric]) when the sentence's subject is a part of
    the agency (区政府办代表区政府). A contradiction is ("differs", [metric])."""
    value = Decimal(stated.value)
    if stated.metric in GROUPS:  # a group printed as its sub-rows: the text's figure against their sum
        parts = [cells.get((m.id, "total")) for m in children(stated.metric)]
        if any(p is None for p in parts):
            return None  # a sub-row unread or blank: no sum to hold the text's figure against
        return ("same" if sum(parts, Decimal(0)) == value else "differs"), [stated.metric]
    asked = cells.get((stated.metric, stated.column))
    if asked is None:
        return None
    if value == asked:
        return "same", [stated.metric]
    for other in RELATED:
        number = cells.get((other, stated.column))
        if other == stated.metric or number is None or number == 0:
            continue
        if asked + number == value:
            return "explained", [stated.metric, other, "+"]
        if asked - number == value:
            return "explained", [stated.metric, other, "−"]
    if not stated.metric.startswith("t3."):
        return "other", [stated.metric]  # 表二: the text's wording may count another set (集中发布的…), not a finding
    if _PART_SUBJECT.search(stated.subject):
        return "scope", [stated.metric]  # 区政府办代表区政府受理…17件: a part of what the table counts
    return "differs", [stated.metric]


def describe(stated: Stated, how: tuple[str, list[str]], cells: dict) -> str:
    """A relation other than "same" in words, for answers and findings."""
    kind, parts = how
    if stated.metric in GROUPS:
        rows = [(m.label, cells.get((m.id, "total"))) for m in children(stated.metric)]
        total = sum((n for _, n in rows if n is not None), Decimal(0))
        sums = " + ".join(str(n) for _, n in rows if n is not None)
        verb = "即表中各项之和" if kind == "same" else "与表中各项之和不一致"
        return f"正文“{stated.sentence}”所述“{GROUPS[stated.metric]}” {stated.value} 件，{verb}（{sums} = {total}）"
    label = METRICS[stated.metric].label
    asked = cells[(stated.metric, stated.column)]
    if kind == "explained":
        other, sign = parts[1], parts[2]
        number = cells[(other, stated.column)]
        col = "" if stated.column == "total" else f"（{COLUMNS[stated.column].label}）"
        return (f"正文“{stated.sentence}”所述 {stated.value} 件 = 表中“{label}”{col} {asked} {sign} "
                f"“{METRICS[other].label}”{col} {number}：两者统计的不是同一数量")
    if kind == "other":
        return (f"正文“{stated.sentence}”所述为 {stated.value} 件，表中“{label}”（{COLUMNS[stated.column].label}）为 "
                f"{asked} 件：两者所指可能不同，均按原文照录")
    if kind == "scope":
        return (f"正文“{stated.sentence}”所述 {stated.value} 件是“{stated.subject}”的数量，表中“{label}” {asked} 件"
                "统计的是整个机关：范围不同")
    return f"正文“{stated.sentence}”所述 {stated.value} 件，与表中“{label}” {asked} 件不一致，表内也无法由其他行算出"
