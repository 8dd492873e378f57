"""The sources of an answer, shown to people: for a table figure the report's table with the cited cell
highlighted, for a passage the paragraph with the quoted sentence highlighted; file, section and page; the
consistency findings that touch a cited cell.

Everything here is HTML built from untrusted report text, so every piece of stored text goes through `esc`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from index.catalogue import METRICS
from index.store import Store

from assistant.evidence import Answer, candidate_text, operand_numbers
from assistant.render import citation_line, esc
from assistant.table_view import template_table_html

CONTEXT_CHARS = 240  # how much of the paragraph around a quoted passage is shown


@dataclass
class SourcePanel:
    title: str  # plain text, one line
    body: str  # HTML, every stored string escaped
    notes: list[str] = field(default_factory=list)  # consistency findings and other cautions, plain text


def source_panels(answer: Answer, store: Store) -> list[SourcePanel]:
    """One panel per source, in the answer's order; cells cited from the same table share one panel (the table
    shown once, every cited cell highlighted)."""
    panels = []
    table_groups: dict[tuple, list[tuple[int, dict]]] = {}
    order: list = []
    for n, citation in enumerate(answer.citations, 1):
        if citation.get("table"):
            key = (citation.get("report_id"), citation["table_number"])
            if key not in table_groups:
                table_groups[key] = []
                order.append(key)
            table_groups[key].append((n, citation))
        elif citation.get("text"):
            order.append((n, citation))
    panels += [_formula_panel(answer, v) for v in answer.values
               if v["metric"] == "computed" and "=" in (v.get("formula") or "") and operand_numbers(answer, v)]
    for item in order:
        if isinstance(item[1], dict):  # (number, passage citation)
            panels.append(_passage_panel(*item, store))
        else:
            panels.append(_table_panel(table_groups[item], store))
    return panels


def _formula_panel(answer: Answer, value: dict) -> SourcePanel:
    """A computed figure: its formula, then each operand with its value and the cell or sentence it was read
    from (the operand's own panel follows under the same number)."""
    rows = []
    for n in operand_numbers(answer, value):
        c = answer.citations[n - 1]
        shown = next((v["raw"] for v in answer.values if v.get("citation") == c), c.get("printed", ""))
        where = citation_line(dict(c, text=c.get("sentence") or c.get("text")))  # a text figure: its sentence
        rows.append(f"<tr><th>[{n}]</th><td>{esc(where)}</td>"
                    f"<td class='rq-hit'><mark>{esc(shown) or '（空白）'}</mark></td></tr>")
    body = (f"<p class='rq-formula'>{esc(value['formula'])}</p><p class='rq-where'>参与计算的数字（按出处编号；"
            f"每个数字的原表或原文见下面同一编号的出处）：</p><div class='rq-grid-wrap'><table class='rq-grid'>"
            f"<thead><tr><th>出处</th><th>位置</th><th>数值</th></tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table></div>")
    return SourcePanel(f"计算：{value['formula']}", body)


def _where(citation: dict) -> str:
    """File, agency and year, section, paragraph, page (the cells and the text follow in the panel)."""
    return "<p class='rq-where'>" + esc(citation_line(dict(citation, table=None, text=None))) + "</p>"


def _notes_html(notes: list[str]) -> str:
    return "".join(f"<p class='rq-note'>⚠ {esc(n)}</p>" for n in notes)


def _table_panel(cited: list[tuple[int, dict]], store: Store) -> SourcePanel:
    numbers = [n for n, _ in cited]
    first = cited[0][1]
    if len(numbers) == 1:
        label = f"出处 {numbers[0]}"
    elif numbers == list(range(numbers[0], numbers[-1] + 1)):
        label = f"出处 {numbers[0]}–{numbers[-1]}"
    else:  # the cells of one table with another source cited between them
        label = "出处 " + "、".join(map(str, numbers))
    if len(cited) == 1:
        what = f"行“{first['row']}” · 列“{first['column']}”"
    else:
        what = f"{len(cited)} 个单元格"
    title = f"{label}：{first['table']} · {what} · {first['agency']} {first['year']}年"
    report_id = first.get("report_id")
    notes = []
    if report_id is not None:
        for _, c in cited:
            if c.get("metric"):
                notes += [f"勾稽不符：{f['message']}（按原文照录，未作更正）"
                          for f in store.findings_for_cell(report_id, c["metric"], c["col"])]
    notes = list(dict.fromkeys(notes))
    report = store.report(report_id) if report_id is not None else None
    grid = next((g for g in store.grids(report_id) if g["ord"] == first["table_number"] - 1), None) \
        if report is not None else None
    if report is None or grid is None:
        body = _where(first) + "<p class='rq-note'>原表格已不在库中（报告可能已被替换）。</p>" + _cited_list(cited)
        return SourcePanel(title, body + _notes_html(notes), notes)
    body = _where(first)
    body += "".join(f"<p class='rq-note'>[{n}] {_decoding(c).lstrip(' ·')}</p>" for n, c in cited if c.get("source"))
    body += template_table_html(store, report, METRICS[first["metric"]].table,
                                {(c["metric"], c["col"]): n for n, c in cited})
    positions = "、".join(f"第{c['grid_row']}行第{c['grid_col']}格" for _, c in cited)
    body += (f"<details class='rq-file-grid'><summary>核对原文：文件中第{first['table_number']}个表格的原样网格"
             f"（所引：{positions}）</summary>" + _cited_list(cited) +
             grid_html(grid["cells"], {(c["grid_row"], c["grid_col"]) for _, c in cited}) + "</details>")
    return SourcePanel(title, body + _notes_html(notes), notes)


def _cited_list(cited: list[tuple[int, dict]]) -> str:
    """Each cited cell where the file has it: 第N行第M格, its row and column as printed, the printed value."""
    return "<ul>" + "".join(
        f"<li>[{n}] 第{c['grid_row']}行第{c['grid_col']}格 · 行“{esc(c['row'])}” · 列“{esc(c['column'])}”"
        f" · 印为“{esc(c['printed'] or '（空白）')}”{_decoding(c)}</li>" for n, c in cited) + "</ul>"


def _decoding(citation: dict) -> str:
    """For a cell read from a damaged table (glued digits, a lost label or cell): what was printed, how it was
    read, the candidates left."""
    if not citation.get("source"):
        return ""
    text = f" · 原文印为“{esc(citation['source'])}”：{esc(citation['decoding'])}"
    if citation.get("candidates"):
        text += "；可能的读法：" + esc("、".join(candidate_text(c) for c in citation["candidates"]))
    return text


def grid_html(cells_json: str, highlight: set[tuple[int, int]] = frozenset()) -> str:
    """A stored grid as an HTML table with row and column numbers (the citation's 第N行第M格), the cited
    cells marked. Positions covered by a merged cell are shown empty and greyed: their text is the origin's."""
    rows = json.loads(cells_json)
    width = max((len(r) for r in rows), default=0)
    out = ["<div class='rq-grid-wrap'><table class='rq-grid'><thead><tr><th></th>"]
    out += [f"<th>{c}</th>" for c in range(1, width + 1)]
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(rows, 1):
        out.append(f"<tr><th>{r}</th>")
        for c, (text, merged) in enumerate(row, 1):
            if (r, c) in highlight:
                out.append(f"<td class='rq-hit'><mark>{_cell(text) or '（空白）'}</mark></td>")
            elif merged:
                out.append("<td class='rq-merged'></td>")
            else:
                out.append(f"<td>{_cell(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _cell(text: str) -> str:
    return esc(text).replace("\n", "<br>")  # a line break inside a cell would end the chat's HTML block


def _passage_panel(n: int, citation: dict, store: Store) -> SourcePanel:
    section = citation.get("section") or "正文"
    title = f"出处 {n}：{citation['agency']} {citation['year']}年 · {section}"
    if citation.get("page"):
        title += f" · 第{citation['page']}页"
    body = _where(citation) + "<blockquote class='rq-passage'>" + _highlighted_paragraph(citation, store) + \
        "</blockquote>"
    return SourcePanel(title, body)


def _highlighted_paragraph(citation: dict, store: Store) -> str:
    """The passage in its paragraph (from the report's stored text), with the quoted sentence (or, without one,
    the passage) marked."""
    text = store.report_text(citation["report_id"]) if citation.get("report_id") is not None else ""
    start, end = citation.get("char_start"), citation.get("char_end")
    if not text or start is None or text[start:end] != citation["text"]:
        text, start, end = citation["text"], 0, len(citation["text"])
    sentence = citation.get("sentence")
    if sentence and sentence in text[start:end]:
        start = text.index(sentence, start)
        end = start + len(sentence)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before_from = max(line_start, start - CONTEXT_CHARS)
    after_to = min(line_end, end + CONTEXT_CHARS)
    return ("…" * (before_from > line_start) + esc(text[before_from:start]) + "<mark>" + esc(text[start:end]) +
            "</mark>" + esc(text[end:after_to]) + "…" * (after_to < line_end))
