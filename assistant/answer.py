"""Answer a question from the store: every number comes from a stored fact, with its cell citation.

Statuses: `answered`; `not_found` (the agency, the year or the figure is not in the store — the answer says what
the store does hold, never a guess); `ambiguous` (the question could mean several reports — they are listed).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from index.catalogue import COLUMNS, GROUPS, METRICS, children, TABLE_NAMES, TEMPLATE_NAMES, TEMPLATE_PRE2019
from index.store import FORMAT_RANK, Report, Store

from assistant.query import Query, parse


MAX_QUESTION_CHARS = 500  # a question, not a document: also bounds the cost of parsing


@dataclass
class Answer:
    status: str  # answered / not_found / ambiguous
    answer: str
    values: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    query: Query | None = None
    choices: list[str] = field(default_factory=list)  # for ambiguous: what the user can pick

    def to_dict(self) -> dict:
        return {"status": self.status, "answer": self.answer, "values": self.values, "citations": self.citations}


def _years(reports: list[Report]) -> str:
    return "、".join(str(y) for y in sorted({r.year for r in reports if r.year}))


def _agency_list(reports: list[Report]) -> str:
    seen = []
    for r in reports:
        if r.agency not in seen:
            seen.append(r.agency)
    return "、".join(seen)


def cell_citation(report: Report, fact) -> dict:
    metric = METRICS[fact["metric"]]
    return {
        "report": report.source_name,
        "agency": report.agency,
        "year": report.year,
        "section": fact["section"],
        "table": TABLE_NAMES[metric.table],
        "table_number": fact["table_ord"] + 1,  # the n-th table in the file
        "row": fact["row_label"],
        "column": fact["column_label"],
        "grid_row": fact["grid_row"] + 1,
        "grid_col": fact["grid_col"] + 1,
        "page": fact["page"],
        "printed": fact["raw"],
    }


def _value_sentence(report: Report, fact) -> str:
    metric = METRICS[fact["metric"]]
    where = f"{metric.label}（{COLUMNS[fact['col']].label}）"
    if fact["raw"] == "":
        return f"{where}一格在报告中留空，没有填写数字（留空不等于 0）"
    if fact["number"] is None:
        return f"{where}一格报告印为“{fact['raw']}”，不是数字"
    return f"{where}为 {fact['raw']} {fact['unit']}"


def _reports_for(store: Store, agencies: list[str]) -> list[Report]:
    return [r for r in store.reports() if r.agency in agencies]


def answer_question(question: str, store: Store) -> Answer:
    reports = store.reports()
    if not question or not question.strip():
        return Answer("not_found", "请输入问题，例如：洋湖乡2023年收到多少政府信息公开申请？")
    if len(question) > MAX_QUESTION_CHARS:
        return Answer("not_found", f"问题太长（{len(question)} 字）。请用一句话提问，不超过 {MAX_QUESTION_CHARS} 字。")
    if not reports:
        return Answer("not_found", "库中还没有任何报告。请先用 reportqa ingest 导入年度报告。")
    query = parse(question, reports)

    if not query.metrics:
        return Answer("not_found", "没有识别出问的是年报表格中的哪一项数据（例如：新收申请数量、予以公开、"
                                   "行政复议结果维持、行政许可处理决定数量）。请换个说法再问。", query=query)

    # which agency
    if query.agencies:
        candidates = _reports_for(store, query.agencies)
    elif query.unknown_agency:
        return Answer("not_found", f"库中没有“{query.unknown_agency}”的年度报告。库中现有：{_agency_list(reports)}。",
                      query=query)
    else:
        candidates = reports if query.year is None else [r for r in reports if r.year == query.year]
        if not candidates:
            return Answer("not_found", f"库中没有{query.year}年的报告。库中报告的年份：{_years(reports)}。",
                          query=query)

    # which year
    if query.year is not None:
        in_year = [r for r in candidates if r.year == query.year]
        if not in_year:
            return Answer("not_found", f"库中没有{_agency_list(candidates)}{query.year}年的报告；"
                                       f"库中该机关的报告年份：{_years(candidates)}。", query=query)
        candidates = in_year

    agencies = sorted({r.agency for r in candidates})
    years = sorted({r.year for r in candidates})
    if len(agencies) > 1 or len(years) > 1:
        choices = sorted({f"{r.agency} {r.year}年" for r in candidates})
        hint = "请说明是哪个机关、哪一年" if len(agencies) > 1 else "请说明是哪一年"
        return Answer("ambiguous", f"这个问题可能指以下几份报告，{hint}：" + "；".join(choices) + "。",
                      query=query, choices=choices)

    # the readings of this agency-year, best format first; each metric is taken from the first reading holding it
    readings = sorted(candidates, key=lambda r: (FORMAT_RANK.get(r.format, 9), r.id))
    report_label = f"{agencies[0]} {years[0]}年"
    if query.fuzzy_agency:
        report_label += f"（问题中的“{query.agency_mention}”按库中名称“{agencies[0]}”理解）"
    sentences, values, citations, warnings = [], [], [], []
    missing = []
    pending = list(query.metrics)
    while pending:
        metric_id = pending.pop(0)
        metric = METRICS[metric_id]
        fact = report = None
        for reading in readings:
            columns = metric.columns.get(reading.template, ())
            column = query.column if query.column in columns else (
                "total" if "total" in columns else (columns[0] if columns else None))
            if column is None:
                continue
            fact = store.fact(reading.id, metric_id, column)
            if fact is not None:
                report = reading
                break
        if fact is None:
            if metric_id in GROUPS:  # (六) asked of a report that prints its sub-rows instead
                pending[:0] = [m.id for m in children(metric_id)]
            else:
                missing.append(metric)
            continue
        sentences.append(_value_sentence(report, fact))
        citation = cell_citation(report, fact)
        citations.append(citation)
        values.append({"value": fact["number"], "raw": fact["raw"], "unit": fact["unit"],
                       "metric": metric_id, "column": fact["col"], "report": report.source_name,
                       "citation": citation})
        for finding in store.findings_for_cell(report.id, metric_id, fact["col"]):
            warnings.append(f"注意：此格涉及一处勾稽不符——{finding['message']}（按原文照录，未作更正）")
    if not values:
        return Answer("not_found", _why_missing(store, report_label, readings, missing), query=query)
    text = f"{report_label}：" + "；".join(sentences) + "。"
    if query.column_named and query.column and all(v["column"] != query.column for v in values):
        text += f"（该项没有“{COLUMNS[query.column].label}”这一列，给出的是{COLUMNS[values[0]['column']].label}。）"
    if missing:
        text += "报告中没有读到：" + "、".join(m.label for m in missing) + "。"
    if warnings:
        text += "\n" + "\n".join(dict.fromkeys(warnings))
    return Answer("answered", text, values, citations, query=query)


def _why_missing(store: Store, report_label: str, readings: list[Report], missing) -> str:
    labels = "、".join(m.label for m in missing)
    if all(r.template == TEMPLATE_PRE2019 for r in readings):
        return f"{report_label}的报告是{TEMPLATE_NAMES[TEMPLATE_PRE2019]}，没有“{labels}”这一标准表格项。"
    unread = [r.source_name for r in readings if store.fact_count(r.id) == 0]
    reason = ""
    if unread:
        reason = ("（" + "、".join(unread) + " 的表格未能逐格读出：网页抓取的文字把单元格粘在一起，"
                  "这类表格的解码尚未支持）")
    return f"{report_label}的报告中没有读到“{labels}”这一格{reason}。"


def answer_json(answer: Answer) -> str:
    return json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)
