"""勾稽 checks: the arithmetic the standard tables carry, run on the facts exactly as published.

A break is reported with every cell involved; a published figure is never corrected. A check that involves a
blank or non-numeric cell cannot be decided and is skipped (blank is not 0).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from index.catalogue import (COLUMNS, METRICS, T3_COLUMNS, T3_RESULT_PARTS, T4_COLUMNS, T4_METRICS, children)
from index.mapping import Fact

APPLICANT_COLUMNS = T3_COLUMNS[:-1]


@dataclass
class Finding:
    check: str  # row_total / result_total / balance / t4_total
    message: str
    cells: list[tuple[str, str]]  # (metric, column) of every cell involved
    expected: str
    printed: str
    extra: dict = field(default_factory=dict)


def _num(facts: dict, metric: str, column: str) -> Decimal | None:
    fact = facts.get((metric, column))
    if fact is None or fact.number is None:
        return None
    return Decimal(fact.number)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum(values, Decimal(0))


def _label(metric: str, column: str) -> str:
    return f"{METRICS[metric].label}·{COLUMNS[column].label}"


def _result_cells(facts: dict, column: str) -> list[tuple[str, str]] | None:
    """The cells (一)…(六) of one column whose sum must equal (七)总计; None when a part is missing."""
    cells = []
    for part in T3_RESULT_PARTS:
        if part in METRICS and (part, column) in facts:
            cells.append((part, column))
            continue
        subs = [(m.id, column) for m in children(part) if (m.id, column) in facts]
        if not subs:
            return None
        cells.extend(subs)
    return cells


def check_report(fact_list: list[Fact]) -> list[Finding]:
    facts = {(f.metric, f.column): f for f in fact_list}
    findings: list[Finding] = []

    def compare(check: str, total: tuple[str, str], parts: list[tuple[str, str]], what: str) -> None:
        printed = _num(facts, *total)
        expected = _sum([_num(facts, *c) for c in parts])
        if printed is None or expected is None or printed == expected:
            return
        findings.append(Finding(check, f"{what}：按勾稽关系应为 {expected}，报告印为 {facts[total].raw}",
                                [total] + parts, str(expected), facts[total].raw))

    # row totals of 表三: 总计 = the six applicant columns
    for metric in sorted({m for m, _ in facts if m.startswith("t3.")}):
        if all((metric, c) in facts for c in T3_COLUMNS):
            compare("row_total", (metric, "total"), [(metric, c) for c in APPLICANT_COLUMNS],
                    f"{METRICS[metric].label} 行：总计 ≠ 各类申请人之和")
    for column in T3_COLUMNS:
        parts = _result_cells(facts, column)
        if parts and ("t3.total", column) in facts:
            compare("result_total", ("t3.total", column), parts,
                    f"{COLUMNS[column].label} 列：（七）总计 ≠ （一）至（六）之和")
        left = [("t3.new", column), ("t3.carried_over", column)]
        right = [("t3.total", column), ("t3.carry_forward", column)]
        if all(c in facts for c in left + right):
            a, b = _sum([_num(facts, *c) for c in left]), _sum([_num(facts, *c) for c in right])
            if a is not None and b is not None and a != b:
                findings.append(Finding("balance", f"{COLUMNS[column].label} 列：一 + 二 = {a}，"
                                                   f"（七）总计 + 四 = {b}，两者应相等",
                                        left + right, str(a), str(b)))
    for metric in T4_METRICS:
        if all((metric, c) in facts for c in T4_COLUMNS):
            compare("t4_total", (metric, "total"), [(metric, c) for c in T4_COLUMNS[:-1]],
                    f"{METRICS[metric].label}：总计 ≠ 维持 + 纠正 + 其他 + 尚未审结")
    return findings


def describe_cells(cells: list[tuple[str, str]]) -> str:
    return "、".join(_label(m, c) for m, c in cells)
