"""Broken markdown tables (PDF conversions): rows without a label or with a cut one placed by the template's row
order and confirmed by the arithmetic; rows with cells missing kept as candidate readings; answers that say so."""
from __future__ import annotations

import json

from conftest import REAL, needs_real
from assistant.answer import answer_question
from index.catalogue import METRICS, T3_COLUMNS, TEMPLATE_2021
from index.glued import row_specs
from index.ingest import ingest_paths

T3_ORDER = [s.metric for s in row_specs("t3", TEMPLATE_2021)]


def _t3_rows(values: dict[str, list[int]]) -> dict[str, list[int]]:
    """A consistent 表三: every row given, the rest 0; (七) and 四 made to add up."""
    rows = {m: values.get(m, [0] * 6) for m in T3_ORDER if m not in ("t3.total", "t3.carry_forward", "t3.new",
                                                                     "t3.carried_over")}
    total = [sum(r[i] for r in rows.values()) for i in range(6)]
    out = {"t3.new": [t + 1 for t in total], "t3.carried_over": [0] * 6, **rows, "t3.total": total,
           "t3.carry_forward": [1] * 6}
    return {m: v + [sum(v)] for m, v in out.items()}


def _md(rows: list[tuple[str, list[int]]], extra: str = "") -> str:
    lines = ["# 测试县人民政府2025年政府信息公开工作年度报告", "", "一、总体情况", "", extra, "",
             "三、收到和处理政府信息公开申请情况", ""]
    lines += ["| " + " | ".join([label] + [str(v) for v in values]) + " |" for label, values in rows]
    return "\n".join(lines) + "\n"


def _ingest(tmp_path, store, text: str, name: str = "test_2025.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (outcome,) = ingest_paths(store, [path], encode=False)
    assert outcome.status == "ingested", outcome.line()
    return outcome.report_id


def test_rows_without_a_label_or_with_a_cut_one_take_their_template_place(tmp_path, store):
    values = _t3_rows({"t3.partial": [2, 0, 0, 0, 0, 0], "t3.other.no_correction": [40, 1, 0, 0, 2, 0],
                       "t3.other.no_fee": [3, 0, 0, 0, 0, 0], "t3.rejected.confirm": [1, 0, 0, 0, 0, 0]})
    printed = {"t3.partial": "", "t3.rejected.confirm": "", "t3.other.no_correction": "行政机关不再处理其政府信息公",
               "t3.other.no_fee": "行政机关不再处理其政"}
    rows = [(printed.get(m, METRICS[m].label), values[m]) for m in T3_ORDER]
    report = _ingest(tmp_path, store, _md(rows))
    facts = {(f["metric"], f["col"]): f["raw"] for f in store.facts(report)}
    for metric in printed:
        assert [facts[(metric, c)] for c in T3_COLUMNS] == [str(v) for v in values[metric]], metric
    assert not store.findings(report)
    how = store.decoded_cell(report, "t3.other.no_fee", "total")
    assert "行名残缺" in how["reason"] and "按模板行序" in how["reason"] and "全部成立" in how["reason"]
    assert how["value"] == "3"


def test_a_placement_the_arithmetic_does_not_confirm_is_said_so(tmp_path, store):
    # the only empty place for the unlabeled row is (二)部分公开, but its numbers break (七)总计: the row is
    # placed by the template's order, the reason says how many relations hold, and the break is reported
    values = _t3_rows({"t3.partial": [2, 0, 0, 0, 0, 0]})
    values["t3.partial"] = [3, 0, 0, 0, 0, 0, 3]
    rows = [("" if m == "t3.partial" else METRICS[m].label, values[m]) for m in T3_ORDER]
    report = _ingest(tmp_path, store, _md(rows))
    how = store.decoded_cell(report, "t3.partial", "natural")
    assert how["value"] == "3" and "条勾稽关系中" in how["reason"]
    assert any(f["check_name"] == "result_total" for f in store.findings(report))


def test_a_row_that_could_stand_in_two_places_is_not_placed(tmp_path, store):
    # one all-zero unlabeled row where two template rows are missing: both places add up, so neither is taken
    values = _t3_rows({})
    rows = [(METRICS[m].label, values[m]) for m in T3_ORDER if m not in ("t3.rejected.publication",
                                                                          "t3.rejected.mass")]
    at = [label for label, _ in rows].index(METRICS["t3.rejected.confirm"].label)
    rows.insert(at, ("", [0] * 7))
    report = _ingest(tmp_path, store, _md(rows))
    facts = {(f["metric"], f["col"]) for f in store.facts(report)}
    assert ("t3.rejected.publication", "total") not in facts and ("t3.rejected.mass", "total") not in facts
    notes = store.report(report).notes
    assert any("无法确定" in n and "3.要求提供公开出版物" in n and "4.无正当理由大量反复申请" in n for n in notes)


def test_a_row_with_a_cell_lost_keeps_every_reading_the_text_does_not_rule_out(tmp_path, store):
    text = ("# 测试县人民政府2025年政府信息公开工作年度报告\n\n一、总体情况\n\n全年主动公开县政府规章 22 件。\n\n"
            "二、主动公开政府信息情况\n\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
            "| 规章 | 22 | 235 |\n| 行政规范性文件 | 34 | 189 |\n")
    report = _ingest(tmp_path, store, text)
    rules = {c: store.decoded_cell(report, "t2.rules", c) for c in ("issued", "repealed", "in_force")}
    assert rules["issued"]["value"] == "22" and "正文" in rules["issued"]["reason"]
    # the lost cell may be 制发 (then 22 printed here is 废止): 废止 keeps 235, 22 and "lost"
    assert rules["repealed"]["value"] is None and set(json.loads(rules["repealed"]["candidates"])) == {"235", "22", ""}
    assert rules["in_force"]["value"] is None and set(json.loads(rules["in_force"]["candidates"])) == {"235", ""}
    # no text figure for 规范性文件: each of its cells keeps every placement of 34 | 189
    issued = store.decoded_cell(report, "t2.normative", "issued")
    assert issued["value"] is None and set(json.loads(issued["candidates"])) == {"34", ""}
    answer = answer_question("测试县2025年废止规章多少件", store)
    assert answer.status == "ambiguous" and "22 | 235" in answer.answer and "缺失的一格" in answer.answer
    assert answer_question("测试县2025年制发规章多少件", store).status == "answered"


@needs_real
def test_shanghai_2025_broken_markdown_is_read_whole(tmp_path, store):
    """006 (上海市政府办公厅 2025, PDF converted to markdown): the rows whose labels the conversion lost or cut are
    placed and the 表二 rows left as text lines read; every cell agrees with the hand-verified dev set."""
    (outcome,) = ingest_paths(store, [REAL / "006_shanghai-shizhengfu-bangongting_2025.md"], encode=False)
    facts = {(f["metric"], f["col"]): f["raw"] for f in store.facts(outcome.report_id)}
    assert len([k for k in facts if k[0].startswith("t3.")]) == 25 * 7 and not store.findings(outcome.report_id)
    expected = {("t3.partial", "total"): "2", ("t3.rejected.confirm", "total"): "0",
                ("t3.other.no_correction", "total"): "43", ("t3.other.no_fee", "total"): "0",
                ("t2.rules", "issued"): "22", ("t2.licensing", "decisions"): "0", ("t2.penalty", "decisions"): "0",
                ("t2.fees", "amount"): "0", ("t3.other.other", "total"): "276", ("t4.review", "total"): "55"}
    for cell, value in expected.items():
        assert facts[cell] == value, cell
    # the narrative's sums (不予公开 20, 无法提供 564, 其他处理 319) hold over the repaired rows
    assert sum(int(facts[(m, "total")]) for m in T3_ORDER if m.startswith("t3.other.")) == 319
