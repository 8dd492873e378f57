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


def _result_cells(facts, column: str) -> list[tuple[str, str]] | None:
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


@dataclass(frozen=True)
class Equation:
    """sum(left) must equal sum(right): one 勾稽 relation between cells (metric, column)."""
    check: str  # row_total / result_total / balance / t4_total
    what: str
    left: tuple[tuple[str, str], ...]
    right: tuple[tuple[str, str], ...]

    @property
    def cells(self) -> tuple[tuple[str, str], ...]:
        return self.left + self.right


def equations(present) -> list[Equation]:
    """The relations the template's tables carry among the cells present (a set of (metric, column)). The one
    home of the arithmetic: the checks use it on published facts, the glued-table decoder to choose splittings."""
    present = set(present)
    found: list[Equation] = []
    # row totals of 表三: 总计 = the six applicant columns
    for metric in sorted({m for m, _ in present if m.startswith("t3.")}):
        if all((metric, c) in present for c in T3_COLUMNS):
            found.append(Equation("row_total", f"{METRICS[metric].label} 行：总计 ≠ 各类申请人之和",
                                  ((metric, "total"),), tuple((metric, c) for c in APPLICANT_COLUMNS)))
    for column in T3_COLUMNS:
        parts = _result_cells(present, column)
        if parts and ("t3.total", column) in present:
            found.append(Equation("result_total", f"{COLUMNS[column].label} 列：（七）总计 ≠ （一）至（六）之和",
                                  (("t3.total", column),), tuple(parts)))
        left = (("t3.new", column), ("t3.carried_over", column))
        right = (("t3.total", column), ("t3.carry_forward", column))
        if all(c in present for c in left + right):
            found.append(Equation("balance", f"{COLUMNS[column].label} 列", left, right))
    for metric in T4_METRICS:
        if all((metric, c) in present for c in T4_COLUMNS):
            found.append(Equation("t4_total", f"{METRICS[metric].label}：总计 ≠ 维持 + 纠正 + 其他 + 尚未审结",
                                  ((metric, "total"),), tuple((metric, c) for c in T4_COLUMNS[:-1])))
    return found


def check_report(fact_list: list[Fact]) -> list[Finding]:
    facts = {(f.metric, f.column): f for f in fact_list}
    findings: list[Finding] = []
    for eq in equations(facts):
        a = _sum([_num(facts, *c) for c in eq.left])
        b = _sum([_num(facts, *c) for c in eq.right])
        if a is None or b is None or a == b:
            continue  # a blank or non-numeric cell: undecided, never taken as 0
        if eq.check == "balance":
            findings.append(Finding("balance", f"{eq.what}：一 + 二 = {a}，（七）总计 + 四 = {b}，两者应相等",
                                    list(eq.cells), str(a), str(b)))
        else:
            (total,) = eq.left
            findings.append(Finding(eq.check, f"{eq.what}：按勾稽关系应为 {b}，报告印为 {facts[total].raw}",
                                    list(eq.cells), str(b), facts[total].raw))
    return findings


def describe_cells(cells: list[tuple[str, str]]) -> str:
    return "、".join(_label(m, c) for m, c in cells)
