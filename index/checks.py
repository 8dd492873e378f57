"""勾稽 checks: the arithmetic the standard tables carry, run on the facts exactly as published.

A break is reported with every cell involved; a published figure is never corrected. A check that involves a
blank or non-numeric cell cannot be decided and is skipped (blank is not 0).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from index.catalogue import (COLUMNS, GROUPS, METRICS, OLD_COLUMNS, T3_COLUMNS, T3_RESULT_PARTS, T4_COLUMNS, T4_METRICS,
                             children)
from index.mapping import Fact
from index.normalize import parse_number

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
    """sum(left) must equal sum(right) (or, with at_most, be at most it): one 勾稽 relation between cells
    (metric, column)."""
    check: str  # row_total / result_total / balance / t4_total / old_part
    what: str
    left: tuple[tuple[str, str], ...]
    right: tuple[tuple[str, str], ...]
    at_most: bool = False

    @property
    def cells(self) -> tuple[tuple[str, str], ...]:
        return self.left + self.right

    def compare(self, left: Decimal, right: Decimal) -> bool:
        if left.is_nan() or right.is_nan():  # a cell the printed row lost: nothing holds through it
            return False
        return left <= right if self.at_most else left == right

    def holds(self, numbers: dict) -> bool:
        """Whether it holds for {(metric, column): canonical number or None}; a blank cell decides nothing."""
        values = [numbers.get(c) for c in self.cells]
        if any(v is None for v in values):
            return False
        left = sum((Decimal(numbers[c]) for c in self.left), Decimal(0))
        return self.compare(left, sum((Decimal(numbers[c]) for c in self.right), Decimal(0)))


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
    # statistics tables before 2019: each 其中 row is at most its total. The 其中 rows list some channels, not
    # all, and one document may go out on several (网站 and 公报), so they need not add up to the total: a sum
    # would decide splittings and report breaks on tables that have none (平潭县 2012)
    for parent in sorted({METRICS[m].parent for m, _ in present if m.startswith("old.") and METRICS[m].parent}):
        for part in children(parent):
            for column in OLD_COLUMNS:
                if (parent, column) in present and (part.id, column) in present:
                    found.append(Equation("old_part", f"{part.label}（{COLUMNS[column].label}）大于其总数"
                                                      f"{METRICS[parent].label}", ((part.id, column),),
                                          ((parent, column),), at_most=True))
    # 历年累计 includes 本年度
    for metric in sorted({m for m, _ in present if m.startswith("old.")}):
        if (metric, "this_year") in present and (metric, "cumulative") in present:
            found.append(Equation("old_cumulative", f"{METRICS[metric].label}：本年度大于历年累计",
                                  ((metric, "this_year"),), ((metric, "cumulative"),), at_most=True))
    return found


def check_report(fact_list: list[Fact]) -> list[Finding]:
    facts = {(f.metric, f.column): f for f in fact_list}
    findings: list[Finding] = []
    for eq in equations(facts):
        a = _sum([_num(facts, *c) for c in eq.left])
        b = _sum([_num(facts, *c) for c in eq.right])
        if a is None or b is None or eq.compare(a, b):
            continue  # a blank or non-numeric cell: undecided, never taken as 0
        if eq.at_most:
            (part,), (whole,) = eq.left, eq.right
            findings.append(Finding(eq.check, f"{eq.what}：前者印为 {facts[part].raw}，后者印为 "
                                              f"{facts[whole].raw}", list(eq.cells), f"≤ {b}", facts[part].raw))
        elif eq.check == "balance":
            findings.append(Finding("balance", f"{eq.what}：一 + 二 = {a}，（七）总计 + 四 = {b}，两者应相等",
                                    list(eq.cells), str(a), str(b)))
        else:
            (total,) = eq.left
            findings.append(Finding(eq.check, f"{eq.what}：按勾稽关系应为 {b}，报告印为 {facts[total].raw}",
                                    list(eq.cells), str(b), facts[total].raw))
    return findings


def describe_cells(cells: list[tuple[str, str]]) -> str:
    return "、".join(_label(m, c) for m, c in cells)


# "共受理审批事项117件，办结171件，办结率100%": a rate the prose states, against the counts it states beside it
_STATED_RATE = re.compile(r"受理[^，,。；\d]{0,12}?(\d+)\s*件[，,、]\s*(?:已)?办结[^，,。；\d]{0,6}?(\d+)\s*件[，,、]?\s*"
                          r"办结率(?:为|达)?\s*(\d+(?:\.\d+)?)\s*%")


def check_prose(text: str) -> list[Finding]:
    """Figures the report's prose states that contradict each other (a stated 办结率 against the 受理 and 办结
    counts in the same sentence). Reported with the sentence; neither figure is corrected."""
    findings = []
    for m in _STATED_RATE.finditer(text):
        received, done, rate = Decimal(m.group(1)), Decimal(m.group(2)), Decimal(m.group(3))
        if received == 0:
            continue
        computed = (done / received * 100).quantize(Decimal("0.1"))
        if abs(computed - rate) >= 1:
            sentence = m.group(0)
            findings.append(Finding("prose_rate", f"正文“{sentence}”：办结 {done} 件 ÷ 受理 {received} 件 = "
                                                  f"{computed}%，与所述办结率 {rate}% 不符", [], f"{rate}%",
                                    f"{computed}%"))
    return findings


def check_stated(fact_list: list, text: str) -> list[Finding]:
    """Figures the text states for a headline row of 表三 that its own table contradicts (neither the same number,
    nor one the table's other rows explain, nor a part of the agency): reported with the sentence and the cell."""
    from index.stated import describe, find_stated, relation
    cells = {(f.metric, f.column): (Decimal(f.number) if f.number is not None else None) for f in fact_list}
    findings = []
    for stated in find_stated(text):
        how = relation(stated, cells)
        if how is not None and how[0] == "differs":
            rows = [m.id for m in children(stated.metric)] if stated.metric in GROUPS else [stated.metric]
            printed = sum((cells[(m, stated.column)] for m in rows), Decimal(0))  # a group: its rows' sum
            findings.append(Finding("prose_table", describe(stated, how, cells), [(m, stated.column) for m in rows],
                                    f"{printed}", stated.value))
    return findings


@dataclass
class CrossFinding:
    """A break between two reports of the same agency (consecutive years), or two readings of one report."""
    check: str  # cumulative_chain / carry_over / same_report
    agency: str
    years: tuple[int, int]
    message: str
    reports: tuple[str, str]  # source file names


def cross_report_findings(reports: list, facts_of) -> list[CrossFinding]:
    """Checks between reports: `reports` are the stored readings (agency, year, source_name, id, template …),
    `facts_of(report_id)` returns a report's fact rows (each report's facts are read once).
    - 历年累计: this year's 历年累计 = last year's 历年累计 + this year's 本年度, and never less than last year's;
    - 上年结转 of this year = 结转下年度继续办理 of last year, per applicant column;
    - two readings of one report (scraped text and web page) give the same number for every cell both hold."""
    by_key: dict[tuple[str, int], list] = {}
    for r in reports:
        by_key.setdefault((r.agency, r.year), []).append(r)
    cells_of: dict[int, dict] = {}
    out: list[CrossFinding] = []

    def cells(report) -> dict:
        if report.id not in cells_of:
            cells_of[report.id] = {(f["metric"], f["col"]): f for f in facts_of(report.id)}
        return cells_of[report.id]

    def number(readings, metric, column):
        for r in readings:
            fact = cells(r).get((metric, column))
            if fact is not None and fact["number"] is not None:
                return Decimal(fact["number"]), r
        return None, None

    old_metrics = sorted(m.id for m in METRICS.values() if m.table == "old")
    for (agency, year), readings in sorted(by_key.items()):
        before = by_key.get((agency, year - 1))
        # 累计 never decreases, against the latest earlier year held; it adds up only against the year just before
        earlier_years = [y for a, y in by_key if a == agency and y < year]
        earlier = by_key[(agency, max(earlier_years))] if earlier_years else None
        if earlier:
            last_year = max(earlier_years)
            for metric in old_metrics:
                now_total, r1 = number(readings, metric, "cumulative")
                now_year, _ = number(readings, metric, "this_year")
                last_total, r0 = number(earlier, metric, "cumulative")
                if now_total is None or last_total is None:
                    continue
                label = _label(metric, "cumulative")
                if now_total < last_total:
                    out.append(CrossFinding("cumulative_chain", agency, (last_year, year),
                                            f"{label}：{year}年为 {now_total}，比{last_year}年的 {last_total} 还少（累计数不应减少）",
                                            (r0.source_name, r1.source_name)))
                elif last_year == year - 1 and now_year is not None and last_total + now_year != now_total:
                    out.append(CrossFinding("cumulative_chain", agency, (last_year, year),
                                            f"{label}：{last_year}年累计 {last_total} + {year}年本年度 {now_year} = "
                                            f"{last_total + now_year}，{year}年报告印为 {now_total}",
                                            (r0.source_name, r1.source_name)))
        if before:
            for column in T3_COLUMNS:
                carried, r1 = number(readings, "t3.carried_over", column)
                forward, r0 = number(before, "t3.carry_forward", column)
                if carried is not None and forward is not None and carried != forward:
                    out.append(CrossFinding("carry_over", agency, (year - 1, year),
                                            f"{COLUMNS[column].label} 列：{year}年“上年结转”为 {carried}，{year - 1}年"
                                            f"“结转下年度继续办理”为 {forward}", (r0.source_name, r1.source_name)))
        for i, a in enumerate(readings):
            for b in readings[i + 1:]:
                differ = []
                for metric in METRICS:
                    for column in METRICS[metric].columns.get(a.template, ()):
                        fa, fb = cells(a).get((metric, column)), cells(b).get((metric, column))
                        if fa is not None and fb is not None and fa["number"] is not None \
                                and fb["number"] is not None and fa["number"] != fb["number"]:
                            differ.append(f"{_label(metric, column)} {fa['raw']} / {fb['raw']}")
                if differ:
                    out.append(CrossFinding("same_report", agency, (year, year),
                                            f"同一报告的两个版本有 {len(differ)} 格不一致：" + "；".join(differ[:5]),
                                            (a.source_name, b.source_name)))
    return out


def check_undecided(fact_list: list[Fact], undecided: dict[tuple[str, str], list[str]],
                    max_readings: int = 100_000) -> list[Finding]:
    """Relations through cells whose reading stays undecided (glued digits, a lost cell): `check_report` cannot
    decide them, but when no reading of those cells makes a relation hold, the published table breaks there
    whatever it meant, and that is reported with every candidate."""
    numbers = {(f.metric, f.column): f.number for f in fact_list}
    findings = []
    for eq in equations(numbers):
        open_cells = [c for c in eq.cells if c in undecided]
        if not open_cells or any(numbers[c] is None for c in eq.cells if c not in undecided):
            continue
        options = [[parse_number(v) for v in undecided[c]] if c in undecided else [numbers[c]] for c in eq.cells]
        if math.prod(len(o) for o in options) > max_readings:
            continue
        if any(eq.holds(dict(zip(eq.cells, reading))) for reading in itertools.product(*options)):
            continue
        shown = "；".join(f"{_label(*c)} 可读作 {'、'.join(v or '（缺失）' for v in undecided[c])}" for c in open_cells)
        findings.append(Finding(eq.check, f"{eq.what}：无论原文无法确定的格取哪种读法都不成立（{shown}）",
                                list(eq.cells), "", "（无法确定）"))
    return findings
