"""The staff workspace's queries: the data browser, trends, comparisons, findings and the report viewer, each a
table read from the store (the web app only shows them), plus CSV/.xlsx export.

Values are shown exactly as printed; where a chart needs a number it uses the stored canonical decimal. One
reading per agency-year is used (the structured one: the same choice the answers make), and its file is named.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from index.catalogue import COLUMNS, METRICS, TABLE_NAMES, TEMPLATE_NAMES
from index.checks import cross_report_findings
from index.store import Report, Store

from assistant.evidence import best_first, find_cell
from assistant.render import esc
from assistant.sources import grid_html

FACT_COLUMNS = ["机关", "年份", "表", "行", "列", "数值（原文）", "单位", "勾稽", "文件", "位置"]
TABLE_SHORT = {"t2": "表二", "t3": "表三", "t4": "表四", "old": "统计表（2019年以前）"}


def metric_choices() -> list[tuple[str, str]]:
    """(shown label, metric id) for every row of the catalogue, in table order."""
    return [(f"{TABLE_SHORT[m.table]} · {m.label}", m.id) for m in METRICS.values()]


def column_choices(metric_id: str | None = None) -> list[tuple[str, str]]:
    """The columns a metric has in any template (all columns when no metric is given)."""
    if metric_id in METRICS:
        ids = dict.fromkeys(c for cols in METRICS[metric_id].columns.values() for c in cols)
    else:
        ids = dict.fromkeys(COLUMNS)
    return [(COLUMNS[c].label, c) for c in ids]


def agencies(store: Store) -> list[str]:
    return sorted({r.agency for r in store.reports()})


def years(store: Store) -> list[int]:
    return sorted({r.year for r in store.reports() if r.year}, reverse=True)


def coverage(store: Store) -> dict[str, list[int]]:
    """Agency -> the years for which the store holds table cells; agencies with the most years first."""
    years_of: dict[str, set[int]] = {}
    for r in store.reports():
        if r.year and store.fact_count(r.id):
            years_of.setdefault(r.agency, set()).add(r.year)
    return {a: sorted(y) for a, y in sorted(years_of.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def example_questions(store: Store) -> list[str]:
    """Questions the store can answer, one of each kind, drawn from what it holds (not fixed strings): a table
    figure, a trend and a comparison for the agency with the most years, a text question for an agency whose
    report has a 主要问题 section. Empty for an empty store."""
    covered = coverage(store)
    if not covered:
        return []
    reports = store.reports()
    agency, years = next(iter(covered.items()))
    named = _short_name(reports, agency)
    questions = [f"{named}{years[-1]}年收到多少政府信息公开申请？"]
    if len(years) > 1:
        questions += [f"{named}历年收到的政府信息公开申请数量", f"{named}{years[-2]}年和{years[-1]}年行政复议哪年多？"]
    for report in sorted(reports, key=lambda r: (-(r.year or 0), r.id)):
        if any("问题" in (p["section"] or "") for p in store.passages([report.id])):
            questions.append(f"{_short_name(reports, report.agency)}{report.year}年政务公开存在哪些主要问题？")
            break
    return questions


def _short_name(reports: list[Report], agency: str) -> str:
    """The shortest name of the agency that names it alone ("平潭" names two agencies; "平潭综合实验区" one)."""
    from assistant.query import find_agencies

    names = {agency} | {a for r in reports if r.agency == agency for a in r.aliases}
    for name in sorted(names, key=lambda n: (len(n), n)):
        if len(name) >= 2 and find_agencies(name, reports)[0] == [agency]:
            return name
    return agency


def readings(store: Store, agency_list: list[str] | None = None, year_list: list[int] | None = None) -> list[Report]:
    """The best reading of each agency-year, filtered; ordered by agency then year."""
    chosen: dict[tuple, Report] = {}
    for r in best_first(store.reports()):
        if agency_list and r.agency not in agency_list:
            continue
        if year_list and r.year not in year_list:
            continue
        chosen.setdefault((r.agency, r.year), r)
    return sorted(chosen.values(), key=lambda r: (r.agency, r.year or 0))


def _broken_cells(store: Store, report_id: int) -> set[tuple[str, str]]:
    return {tuple(cell) for f in store.findings(report_id) for cell in json.loads(f["cells"])}


def browse(store: Store, agency_list: list[str] | None = None, year_list: list[int] | None = None,
           metric_list: list[str] | None = None) -> pd.DataFrame:
    """Every stored cell of the chosen reports and rows, as printed, with where it sits in the file."""
    rows = []
    order = {m: i for i, m in enumerate(METRICS)}
    for report in readings(store, agency_list, [int(y) for y in year_list or []]):
        broken = _broken_cells(store, report.id)
        facts = [f for f in store.facts(report.id) if not metric_list or f["metric"] in metric_list]
        for f in sorted(facts, key=lambda f: (order.get(f["metric"], 999), f["grid_col"])):
            metric = METRICS[f["metric"]]
            rows.append([report.agency, report.year, TABLE_SHORT[metric.table], metric.label,
                         COLUMNS[f["col"]].label, f["raw"], f["unit"],
                         "不符" if (f["metric"], f["col"]) in broken else "",
                         report.source_name, f"第{f['table_ord'] + 1}个表格 第{f['grid_row'] + 1}行第{f['grid_col'] + 1}格"])
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def trend(store: Store, metric_id: str, column: str | None, agency_list: list[str]) -> pd.DataFrame:
    """One metric over the years for each agency: the printed value, and the number a chart plots (blank or
    non-numeric cells have none: a gap, never a zero)."""
    rows = []
    for agency in agency_list:
        by_year: dict[int, list[Report]] = {}
        for r in store.reports():
            if r.agency == agency and r.year:
                by_year.setdefault(r.year, []).append(r)
        for year in sorted(by_year):
            cell = find_cell(store, by_year[year], metric_id, column)
            if cell is None:
                continue
            rows.append({"机关": agency, "年份": str(year), "数值": _plotted(cell.number),
                         "数值（原文）": cell.fact["raw"], "列": COLUMNS[cell.fact["col"]].label,
                         "文件": cell.report.source_name})
    return pd.DataFrame(rows, columns=["机关", "年份", "数值", "数值（原文）", "列", "文件"])


def _plotted(number: Decimal | None) -> float | None:
    return None if number is None else float(number)  # for drawing only; tables show the printed value


def compare(store: Store, year: int, agency_list: list[str], table: str = "t3") -> pd.DataFrame:
    """Agencies side by side for one year: a row per (metric, column) of the table, a column per agency."""
    chosen = [r for r in readings(store, agency_list, [int(year)])]
    shown = [f"{r.agency}" for r in chosen]
    data: dict[tuple[str, str], dict[str, str]] = {}
    for report in chosen:
        for f in store.facts(report.id):
            if METRICS[f["metric"]].table == table:
                data.setdefault((f["metric"], f["col"]), {})[report.agency] = f["raw"]
    order = {m: i for i, m in enumerate(METRICS)}
    col_order = {c: i for i, c in enumerate(COLUMNS)}
    rows = [[METRICS[m].label, COLUMNS[c].label] + [values.get(a, "—") for a in shown]
            for (m, c), values in sorted(data.items(), key=lambda kv: (order[kv[0][0]], col_order[kv[0][1]]))]
    return pd.DataFrame(rows, columns=["行", "列"] + shown)


def findings(store: Store) -> pd.DataFrame:
    """The 勾稽 findings of every stored report, then the checks between reports (历年累计, 上年结转, two
    readings of one report)."""
    reports = {r.id: r for r in store.reports()}
    rows = [[reports[f["report_id"]].agency, reports[f["report_id"]].year, reports[f["report_id"]].source_name,
             f["check_name"], f["message"], f["expected"], f["printed"]]
            for f in store.findings() if f["report_id"] in reports]
    rows += [[c.agency, c.years[1], " / ".join(c.reports), c.check, c.message, "", ""]
             for c in cross_report_findings(list(reports.values()), store.facts)]
    return pd.DataFrame(rows, columns=["机关", "年份", "文件", "检查", "说明", "按合计应为", "报告所印"])


def report_choices(store: Store) -> list[tuple[str, int]]:
    return [(f"{r.agency} {r.year}年 · {r.format} · {r.source_name}", r.id) for r in store.reports()]


def report_html(store: Store, report_id: int) -> str:
    """One report as stored: its metadata, its sections and paragraphs, and its tables as grids."""
    report = store.report(int(report_id))
    if report is None:
        return "<p>库中没有这份报告。</p>"
    out = [f"<h3>{esc(report.title or report.agency)}</h3>",
           f"<p class='rq-where'>{esc(report.agency)} · {report.year}年 · {esc(report.level or '级别未知')} · "
           f"{esc(TEMPLATE_NAMES.get(report.template, report.template))} · 文件 {esc(report.source_name)}"
           f"（{esc(report.format)}）· 入库 {esc(report.ingested_at)}</p>"]
    for note in report.notes:
        out.append(f"<p class='rq-note'>读取说明：{esc(note)}</p>")
    for f in store.findings(report.id):
        out.append(f"<p class='rq-note'>⚠ 勾稽不符：{esc(f['message'])}</p>")
    pending = list(store.grids(report.id))  # each table follows the paragraphs of its section

    def tables_of(section_name) -> None:
        for grid in [g for g in pending if g["section"] == section_name]:
            pending.remove(grid)
            kind = TABLE_NAMES.get(grid["kind"], "表格")
            page = f"，第{grid['page']}页" if grid["page"] else ""
            out.append(f"<h4>文件中第{grid['ord'] + 1}个表格：{esc(kind)}（{esc(grid['section'] or '正文')}{page}）</h4>")
            out.append(grid_html(grid["cells"]))

    section = None
    for p in store.paragraphs(report.id):
        if p["section"] != section:
            tables_of(section)
            section = p["section"]
            if p["heading_level"] == 1:
                out.append(f"<h4>{esc(p['text'])}</h4>")
                continue
        out.append(f"<p>{esc(p['text'])}</p>")
    tables_of(section)
    for grid in list(pending):
        tables_of(grid["section"])
    return "\n".join(out)


_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _inert(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        try:
            Decimal(value)
            return value
        except ArithmeticError:
            return "'" + value
    return value


def export(frame: pd.DataFrame, directory: Path, stem: str, fmt: str) -> Path:
    """Write a table as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) or .xlsx."""
    directory.mkdir(parents=True, exist_ok=True)
    safe = frame.map(_inert)
    stem = re.sub(r"[^\w\-]+", "_", stem).strip("_") or "export"
    if fmt == "csv":
        path = directory / f"{stem}.csv"
        safe.to_csv(path, index=False, encoding="utf-8-sig")
    elif fmt == "xlsx":
        path = directory / f"{stem}.xlsx"
        safe.to_excel(path, index=False, engine="openpyxl")
    else:
        raise ValueError("fmt must be csv or xlsx")
    return path
