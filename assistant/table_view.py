"""A report's standard table drawn as the national template lays it out: the template's row and column labels,
each value as the report printed it, the cited cells highlighted, a blank cell blank.

The file's own grid (`sources.grid_html`) is what a checker needs; this is what a citizen can read: a text export
or a scraped page stores the header cells over the wrong columns, a glued page stores no columns at all, but every
stored cell knows its row (metric) and column, so it can be put where the template has it.

A cell is shown as one of: the value as printed; blank (the report leaves it empty); "?" (digits glued together
that could not be told apart; the candidates in its tooltip); "—" (the report's table has no such cell).
Every piece of stored text goes through `esc`.
"""
from __future__ import annotations

import json

from index.catalogue import (COLUMN_GROUP_LABELS, COLUMN_GROUPS, COLUMNS, GROUPS, LAYOUT_COLUMN_LABELS, METRICS,
                             OLD_COLUMNS, T2_ITEMS, T3_COLUMNS, T3_RESULTS_HEADING, T4_COLUMNS, T4_METRICS,
                             TABLE_NAMES, children, metrics_of)
from index.store import Report, Store

from assistant.evidence import candidate_text
from assistant.render import esc

LEGEND = "空白格：报告此格留空；“?”：原文数字粘连、无法确定；“—”：报告的表格中没有这一格。"


def template_table_html(store: Store, report: Report, table: str, cited: dict[tuple[str, str], int]) -> str:
    """`table`: t2 / t3 / t4 / old; `cited`: (metric, column) → the citation's number, shown in the cell."""
    cells = _Cells(store, report, cited)
    if table == "t2":
        body = _t2(cells, report.template)
    elif table == "t3":
        body = _t3(cells, report.template)
    elif table == "t4":
        body = _t4(cells)
    else:
        body = _old(cells)
    return (f"<p class='rq-where'>{esc(TABLE_NAMES[table])}，按国家模板排列（{esc(LEGEND)}）</p>"
            f"<div class='rq-grid-wrap rq-wide'>{body}</div>")


class _Cells:
    """The report's stored cells by (metric, column), with their glued-digit readings."""

    def __init__(self, store: Store, report: Report, cited: dict[tuple[str, str], int]):
        self.facts = {(f["metric"], f["col"]): f for f in store.facts(report.id)}
        self.decoded = {(d["metric"], d["col"]): d for d in store.decoded_cells(report.id)}
        self.cited = cited
        self.rows = {metric for metric, _ in self.facts}

    def has_row(self, metric: str) -> bool:
        return metric in self.rows

    def td(self, metric: str, column: str) -> str:
        fact = self.facts.get((metric, column))
        decoded = self.decoded.get((metric, column))
        number = self.cited.get((metric, column))
        if fact is None:
            return "<td class='rq-absent' title='报告的表格中没有这一格'>—</td>"
        if decoded is not None and decoded["value"] is None:
            shown, title = "?", f"原文数字粘连（“{decoded['source']}”），可读作：" + \
                "、".join(candidate_text(c) for c in json.loads(decoded["candidates"]))
        elif decoded is not None and decoded["source"] != decoded["value"]:
            shown, title = fact["raw"], f"由粘连的数字“{decoded['source']}”读出：{decoded['reason']}"
        else:
            shown, title = fact["raw"], ""
        attr = f" title='{esc(title)}'" if title else ""
        if number is None:
            return f"<td{attr}>{esc(shown)}</td>"
        return f"<td class='rq-hit'{attr}><mark>{esc(shown) or '（空白）'}</mark><sup>[{number}]</sup></td>"


def _label_th(text: str, level: int, colspan: int = 1) -> str:
    span = f" colspan='{colspan}'" if colspan > 1 else ""
    return f"<th class='rq-label rq-l{level}'{span}>{esc(text)}</th>"


def _table(head: str, rows: list[str]) -> str:
    return f"<table class='rq-grid rq-template'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _t2(cells: _Cells, template: str) -> str:
    """表二: one block per article item (第二十条第（一）项 …), each with its own columns, as the template prints it."""
    blocks: list[tuple[str, tuple[str, ...], list]] = []
    for metric in metrics_of("t2"):
        columns = metric.columns.get(template)
        if not columns:
            continue
        item = T2_ITEMS[metric.id]
        if not blocks or blocks[-1][0] != item or blocks[-1][1] != columns:
            blocks.append((item, columns, []))
        blocks[-1][2].append(metric)
    out = []
    for item, columns, metrics in blocks:
        head = (f"<tr><th class='rq-item' colspan='{len(columns) + 1}'>{esc(item)}</th></tr><tr><th>信息内容</th>" +
                "".join(f"<th>{esc(LAYOUT_COLUMN_LABELS.get((metrics[0].id, c), COLUMNS[c].label))}</th>"
                        for c in columns) + "</tr>")
        rows = [f"<tr>{_label_th(m.label, 0)}" + "".join(cells.td(m.id, c) for c in columns) + "</tr>"
                for m in metrics]
        out.append(_table(head, rows))
    return "".join(out)


def _t3(cells: _Cells, template: str) -> str:
    """表三: 申请人情况 over 自然人 / 法人或其他组织 (five columns) / 总计; the rows 一 to 四, the result rows under
    三、本年度办理结果, a group's sub-rows under its heading ((三)不予公开 …)."""
    group = COLUMN_GROUPS["legal_person"]
    head = (f"<tr><th rowspan='3'></th><th colspan='{len(T3_COLUMNS)}'>申请人情况</th></tr>"
            f"<tr><th rowspan='2'>{esc(COLUMNS['natural'].label)}</th>"
            f"<th colspan='{len(group)}'>{esc(COLUMN_GROUP_LABELS['legal_person'])}</th>"
            f"<th rowspan='2'>{esc(COLUMNS['total'].label)}</th></tr>"
            "<tr>" + "".join(f"<th>{esc(COLUMNS[c].label)}</th>" for c in group) + "</tr>")
    width = len(T3_COLUMNS) + 1
    rows, headed = [], set()
    for metric in metrics_of("t3"):
        if template not in metric.columns:
            continue
        sub_rows = [m for m in children(metric.id) if template in m.columns]
        parent_printed = metric.parent is not None and metric.parent in METRICS and cells.has_row(metric.parent)
        if parent_printed and not cells.has_row(metric.id):
            continue  # (六) printed as one row: its sub-rows are not in this report
        if metric.id == "t3.disclosed":
            rows.append(f"<tr>{_label_th(T3_RESULTS_HEADING, 0, width)}</tr>")
        if metric.parent in GROUPS and metric.parent not in headed and metric.parent not in METRICS:
            headed.add(metric.parent)
            rows.append(f"<tr>{_label_th(GROUPS[metric.parent], 1, width)}</tr>")
        if sub_rows and not cells.has_row(metric.id):  # (六) with its sub-rows: a heading only
            rows.append(f"<tr>{_label_th(metric.label, 1, width)}</tr>")
            continue
        level = 2 if metric.parent else (1 if metric.label.startswith("（") else 0)
        rows.append(f"<tr>{_label_th(metric.label, level)}" + "".join(cells.td(metric.id, c) for c in T3_COLUMNS)
                    + "</tr>")
    return _table(head, rows)


def _t4(cells: _Cells) -> str:
    """表四: 行政复议 (five columns) and 行政诉讼 (未经复议直接起诉, 复议后起诉: five each), one row of fifteen."""
    review, direct, after = (METRICS[m] for m in T4_METRICS)
    n = len(T4_COLUMNS)
    labels = "".join(f"<th>{esc(COLUMNS[c].label)}</th>" for c in T4_COLUMNS)
    head = (f"<tr><th colspan='{n}'>{esc(review.label)}</th><th colspan='{2 * n}'>行政诉讼</th></tr>"
            "<tr>" + "".join(f"<th rowspan='2'>{esc(COLUMNS[c].label)}</th>" for c in T4_COLUMNS) +
            f"<th colspan='{n}'>未经复议直接起诉</th><th colspan='{n}'>复议后起诉</th></tr>"
            f"<tr>{labels}{labels}</tr>")
    row = "<tr>" + "".join(cells.td(m.id, c) for m in (review, direct, after) for c in T4_COLUMNS) + "</tr>"
    return _table(head, [row])


def _old(cells: _Cells) -> str:
    """A statistics table of a report before 2019 (free-form): the rows the report prints, in the catalogue's
    order, with its own labels and units; 本年度 and 历年累计."""
    head = ("<tr><th>指标名称</th><th>计量单位</th>" +
            "".join(f"<th>{esc(COLUMNS[c].label)}</th>" for c in OLD_COLUMNS) + "</tr>")
    rows = []
    for metric in metrics_of("old"):
        printed = [f for (m, _), f in cells.facts.items() if m == metric.id]
        if not printed:
            continue
        rows.append(f"<tr>{_label_th(printed[0]['row_label'], 1 if metric.parent else 0)}"
                    f"<td>{esc(printed[0]['unit'])}</td>" +
                    "".join(cells.td(metric.id, c) for c in OLD_COLUMNS) + "</tr>")
    return _table(head, rows)

