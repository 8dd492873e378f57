"""The table answerer: the stored cell of the row and column asked, of one report, cited.

A group of rows printed as its sub-rows is given row by row; a 2021-template row asked of a report before 2019 is
answered from the old statistics-table row that counts the same thing (and says so); another reading of the same
report (its web page beside its scraped text) is cited too, and any disagreement said; a cell decoded from glued
text that stays uncertain is never given as certain.
"""
from __future__ import annotations

from decimal import Decimal

from index.catalogue import (COLUMNS, GROUP_MEMBERS, GROUPS, METRICS, OLD_EQUIVALENTS, OLD_NOT_THE_SAME,
                             TEMPLATE_NAMES, TEMPLATE_PRE2019, children, group_label, whole_group)
from index.mapping import strip_numbering
from index.stated import describe, find_stated, relation
from index.store import Report, Store

from assistant.arithmetic import fmt
from assistant.evidence import (Answer, Cell, best_first, computed_value, find_cell, old_equivalent, report_label,
                                several_reports, text_citation)
from assistant.plan import Plan, Step


def answer(route: Plan, step: Step, store: Store) -> Answer:
    query = route.query
    unclear = several_reports(query, route.reports)
    if unclear:
        return unclear
    readings = best_first(route.reports)
    label = report_label(query, readings[0])
    sentences, values, warnings, extra_citations, uncertain, extra_values = [], [], [], [], [], []
    missing = []
    pending, stand_ins = list(query.metrics), []
    if readings[0].template == TEMPLATE_PRE2019:
        pending, stand_ins = old_rows_for(pending)
    asked_rows = set(query.metrics) | set(pending)  # with the old rows standing in for the rows asked
    a_whole_group = whole_group(query.metrics) is not None
    while pending:
        metric_id = pending.pop(0)
        cell = find_cell(store, readings, metric_id, query.column)
        if cell is None:
            if metric_id in GROUPS:  # (六) asked of a report that prints its sub-rows instead
                pending[:0] = [m.id for m in children(metric_id)]
            else:
                missing.append(METRICS[metric_id])
            continue
        sentences.append(cell.sentence())
        values.append(cell.value())
        warnings.extend(cell.warnings(store))
        also, disagreements = other_readings(store, cell, readings)
        extra_citations.extend(c.value()["citation"] for c in also)
        warnings.extend(disagreements)
        uncertain.append(cell.uncertain)
        if not cell.uncertain and cell.number is not None:
            said, cited = _what_the_text_states(store, cell, with_group=not a_whole_group)
            sentences.extend(said)
            extra_values.extend(cited)
        for column in _other_columns(query, cell, readings[0].template):
            # 表二 asked without a column ("规范性文件多少件"): 本年制发, 本年废止 and 现行有效 all answer it
            other = find_cell(store, readings, metric_id, column)
            if other is not None and other.fact["col"] == column:
                sentences.append(other.sentence())
                values.append(other.value())
                warnings.extend(other.warnings(store))
                uncertain.append(other.uncertain)
    if not values:
        return Answer("not_found", _why_missing(store, label, readings, missing), query=query)
    sentences = list(dict.fromkeys(sentences))  # a group's text figure, said once beside its rows
    extra_values = list({(v["metric"], v["raw"], (v.get("citation") or {}).get("char_start")): v
                         for v in extra_values}.values())
    total = _group_total(query, values, uncertain)
    lead = ""
    if total is not None:  # a group asked as a whole (无法提供, 行政诉讼): its total first, then its rows
        lead = total["sentence"]
        values.insert(0, total["value"])
    text = f"{label}：{lead}" + "；".join(sentences) + "。" + "".join(stand_ins)
    asked = [v for v in values if v["metric"] in asked_rows]
    if query.asks_if_any and asked and not any(uncertain) \
            and all(v["value"] is not None for v in asked):
        # 有没有被起诉过: the answer first, then the figures it rests on
        total = sum(Decimal(v["value"]) for v in asked)
        text = ("有。" if total > 0 else "没有。") + text
    if query.column_named and query.column and all(v["column"] != query.column for v in values):
        text += f"（该项没有“{COLUMNS[query.column].label}”这一列，给出的是{COLUMNS[values[0]['column']].label}。）"
    if missing:
        text += "报告中没有读到：" + "、".join(m.label for m in missing) + "。"
    if warnings:
        text += "\n" + "\n".join(dict.fromkeys(warnings))
    values += extra_values
    citations = [v["citation"] for v in values if v["citation"]] + extra_citations
    if all(uncertain):  # never presented as certain: the reader is shown every candidate and the source digits
        return Answer("ambiguous", text, values, citations, query=query, accounted=warnings + stand_ins,
                      choices=[c for v in values for c in v["citation"].get("candidates", [])])
    return Answer("answered", text, values, citations, query=query, accounted=warnings + stand_ins)


def _other_columns(query, cell: Cell, template: str) -> list[str]:
    """The other columns named together with the first (自然人和商业企业各多少), or the other count columns of a 表二
    row of documents (规章, 规范性文件) asked without naming a column."""
    if len(query.columns) > 1 and query.intent == "lookup":
        columns = METRICS[cell.metric].columns.get(template, ())
        return [c for c in query.columns[1:] if c in columns]
    if cell.metric not in ("t2.rules", "t2.normative") or query.column_named or query.intent != "lookup":
        return []
    columns = METRICS[cell.metric].columns.get(template, ())
    return [c for c in columns if c != cell.fact["col"]] if cell.fact["col"] in columns else []


def _group_total(query, values: list[dict], uncertain: list[bool]) -> dict | None:
    """When the rows asked are a whole group that prints no total of its own ((四)无法提供 as its three sub-rows,
    行政诉讼 as its two kinds), the group's total: the sum of the printed cells, each cited, with its formula.
    None when any cell is undecided or blank (no total is made up)."""
    asked = [v for v in values if v["metric"] in query.metrics
             or (METRICS[v["metric"]].parent in query.metrics and METRICS[v["metric"]].parent in GROUPS)]
    group = whole_group(v["metric"] for v in asked)  # (六)其他处理 asked, printed as its three sub-rows
    if group is None or len(asked) < 2 or any(uncertain) or len({v["column"] for v in asked}) != 1 \
            or any(v["value"] is None for v in asked):
        return None
    numbers = [Decimal(str(v["value"])) for v in asked]
    total = sum(numbers, Decimal(0))
    formula = " + ".join(fmt(n) for n in numbers) + f" = {fmt(total)}"
    unit = asked[0]["unit"]
    return {"sentence": f"{_new_label(group)}（{COLUMNS[asked[0]['column']].label}）合计 {fmt(total)} {unit}"
                        f"（{formula}），其中：",
            "value": computed_value(fmt(total), unit, formula, [v["citation"] for v in asked])}


def _what_the_text_states(store: Store, cell: Cell, with_group: bool = True) -> tuple[list[str], list[dict]]:
    """Where the report's text states a figure for the same row that differs from the cell: the sentence and how
    the two relate (受理 749 = 本年新收 713 + 上年结转 36), with the sentence and any other cell cited. Nothing when the
    text says the same."""
    group = METRICS[cell.metric].parent
    stated = [s for s in find_stated(store.report_text(cell.report.id))
              if (s.metric, s.column) == (cell.metric, cell.fact["col"])
              or (with_group and s.metric == group and group in GROUPS and cell.fact["col"] == "total")]
    if not stated:
        return [], []
    facts = {(f["metric"], f["col"]): f for f in store.facts(cell.report.id)}
    numbers = {k: (Decimal(f["number"]) if f["number"] is not None else None) for k, f in facts.items()}
    said, cited = [], []
    for one in stated:
        how = relation(one, numbers)
        if how is None or (how[0] == "same" and one.metric == cell.metric):
            continue  # (a group's figure is said beside one of its rows: what the row is a part of)
        said.append(describe(one, how, numbers))
        citation = text_citation(store, cell.report, one.char_start, one.char_end, one.sentence)
        cited.append({"value": one.value, "raw": one.value, "unit": "件", "metric": "prose", "column": None,
                      "report": cell.report.source_name, "citation": citation})
        if how[0] == "explained":
            other = facts[(how[1][1], one.column)]
            cited.append(Cell(cell.report, other, store.decoded_cell(cell.report.id, other["metric"], one.column)).value())
        if one.metric in GROUPS:  # the rows the text's figure adds up, each cited
            for row in children(one.metric):
                if (row.id, "total") in facts and row.id != cell.metric:
                    cited.append(Cell(cell.report, facts[(row.id, "total")],
                                      store.decoded_cell(cell.report.id, row.id, "total")).value())
    return said, cited


def other_readings(store: Store, cell: Cell, readings: list[Report]) -> tuple[list[Cell], list[str]]:
    """The same cell in the other readings of the same report (its web page and its scraped text, say): cited
    beside it, and any disagreement said."""
    same, notes = [], []
    for reading in readings:
        if reading.id == cell.report.id or (reading.agency, reading.year) != (cell.report.agency, cell.report.year):
            continue
        fact = store.fact(reading.id, cell.metric, cell.fact["col"])
        if fact is None:
            continue
        other = Cell(reading, fact, store.decoded_cell(reading.id, cell.metric, cell.fact["col"]))
        same.append(other)
        if not other.uncertain and fact["number"] != cell.fact["number"]:
            notes.append(f"注意：同一报告的另一版本 {reading.source_name} 此格为“{fact['raw']}”，与 "
                         f"{cell.report.source_name} 的“{cell.fact['raw']}”不一致（两者均按原文照录）")
    return same, notes


def old_rows_for(metric_ids: list[str]) -> tuple[list[str], list[str]]:
    """2021-template rows asked of a report before 2019: the old statistics-table rows that count the same thing
    (said in the answer), the rest kept as asked (answered not_found, with the reason)."""
    asked = list(metric_ids)
    if set(asked) == set(GROUP_MEMBERS["t4.litigation"]):
        asked = ["t4.litigation"]  # 行政诉讼 as a whole: the old table's 行政诉讼数
    rows, said = [], []
    for metric_id in asked:
        if metric_id.startswith("old."):
            rows.append(metric_id)
            continue
        old = old_equivalent(metric_id)
        new = metric_id if metric_id in OLD_EQUIVALENTS else METRICS[metric_id].parent
        if old is None:
            rows.append(metric_id)
        elif old not in rows:
            rows.append(old)
            said.append(f"（该报告为{TEMPLATE_NAMES[TEMPLATE_PRE2019]}，没有“{_new_label(new)}”一项；按其统计表的"
                        f"“{strip_numbering(METRICS[old].label)}”作答，二者统计的是同一数量）")
    return rows, said


def _new_label(metric_id: str) -> str:
    return group_label(metric_id) if metric_id in GROUPS or metric_id in GROUP_MEMBERS else METRICS[metric_id].label


def _why_missing(store: Store, label: str, readings: list[Report], missing) -> str:
    labels = "、".join(m.label for m in missing)
    if all(r.template == TEMPLATE_PRE2019 for r in readings):
        closest = [OLD_NOT_THE_SAME[m.id] for m in missing if m.id in OLD_NOT_THE_SAME]
        why = (f"其统计表只有“{'、'.join(dict.fromkeys(strip_numbering(METRICS[o].label) for o in closest))}”，"
               "与所问的不是同一数量，不拿来代替" if closest else "其统计表没有与之相当的一项")
        return f"{label}的报告是{TEMPLATE_NAMES[TEMPLATE_PRE2019]}，没有“{labels}”这一项：{why}。"
    unread = [r.source_name for r in readings if store.fact_count(r.id) == 0]
    reason = ""
    if unread:
        reason = "（" + "、".join(unread) + " 的表格未能逐格读出：原文表格残缺，无法对上标准表格的行和列）"
    return f"{label}的报告中没有读到“{labels}”这一格{reason}。"
