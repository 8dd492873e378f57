"""The sources a citizen reads: a table figure in its standard table as the national template lays it out (every
stored cell in its template row and column, blank cells blank, undecided glued cells shown as such), the file's
own grid one click away, and a computed answer's formula with each operand's cell."""
from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, needs_real
from assistant.answer import answer_question
from assistant.sources import source_panels
from assistant.table_view import template_table_html
from index.catalogue import METRICS, T3_COLUMNS, T4_COLUMNS, T4_METRICS
from index.ingest import ingest_paths

TABLES = ("t2", "t3", "t4", "old")


def _rows(html: str) -> list[str]:
    return html.split("<tr>")[1:]


def _every_cell_cited(store, report, table):
    facts = [f for f in store.facts(report.id) if METRICS[f["metric"]].table == table]
    cited = {(f["metric"], f["col"]): n for n, f in enumerate(facts, 1)}
    return facts, template_table_html(store, report, table, cited)


def test_the_seed_tables_are_drawn_in_template_order(store):
    ingest_paths(store, [CORPUS])
    (report,) = store.reports()
    # 表三: the header 申请人情况 / 自然人 / 法人或其他组织 over five / 总计, then 一 … 四, each row seven values
    html = template_table_html(store, report, "t3", {})
    assert html.index("申请人情况") < html.index("自然人") < html.index("法人或其他组织") < html.index("商业企业")
    labels = re.findall(r"<th class='rq-label rq-l\d'(?: colspan='\d+')?>([^<]+)</th>", html)
    assert labels[:4] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                          "（一）予以公开"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert "（三）不予公开" in labels and labels.index("（三）不予公开") + 1 == labels.index("1.属于国家秘密")
    for row in _rows(html):
        if "colspan" not in row and "rq-label" in row:
            assert row.count("<td") == len(T3_COLUMNS)
    # 表二 (2021 template): one block per article item, with that item's columns
    html = template_table_html(store, report, "t2", {})
    items = re.findall(r"第二十条第（.）项", html)
    assert items == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert html.count("<table") == 4 and "本年收费金额（单位：万元）" in html
    # 表四: 行政复议 and the two kinds of 行政诉讼, fifteen values in one row
    html = template_table_html(store, report, "t4", {})
    assert html.index("行政复议") < html.index("行政诉讼") < html.index("未经复议直接起诉") < html.index("复议后起诉")
    assert _rows(html)[-1].count("<td") == len(T4_METRICS) * len(T4_COLUMNS)


@needs_real
@pytest.mark.parametrize("table", TABLES)
def test_every_stored_cell_has_its_place_in_the_template_view(corpus_store, table):
    """Every cell the store holds for a table, of every report (each template, each format, glued pages), is
    drawn once, in its row, with the value as printed."""
    drawn = 0
    for report in corpus_store.reports():
        facts, html = _every_cell_cited(corpus_store, report, table)
        assert html.count("class='rq-hit'") == len(facts), (report.source_name, table)
        for n, f in enumerate(facts, 1):
            cell = re.search(rf"<td class='rq-hit'[^>]*><mark>([^<]*)</mark><sup>\[{n}\]</sup>", html)
            assert cell is not None, (report.source_name, f["metric"], f["col"])
            decoded = corpus_store.decoded_cell(report.id, f["metric"], f["col"])
            expected = "?" if decoded is not None and decoded["value"] is None else f["raw"] or "（空白）"
            assert cell.group(1) == expected
        drawn += len(facts)
    assert drawn > 0


@needs_real
def test_blank_undecided_and_absent_cells_are_told_apart(corpus_store):
    by_name = {r.source_name: r for r in corpus_store.reports()}
    # 沭阳县发改局 2023 (a web page) leaves the 法人或其他组织 columns of its 表三 blank: shown blank
    html = template_table_html(corpus_store, by_name["023_suqian-shuyang-fagaiju_2023.html"], "t3", {})
    new_row = next(r for r in _rows(html) if "一、本年新收" in r)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", new_row)[1:6] == [""] * 5
    # 平潭 2019 (scraped text, digits glued): an undecided cell is "?", its candidates in the tooltip
    html = template_table_html(corpus_store, by_name["009_fujian-pingtan_2019.txt"], "t2", {})
    normative = next(r for r in _rows(html) if "行政规范性文件" in r)
    assert "原文数字粘连（“898989”）" in normative and ">?</td>" in normative
    # a 2019-template 表二 has 政府集中采购 with its own amount column label
    assert "采购总金额（单位：万元）" in html and "第二十条第（九）项" in html


@needs_real
def test_a_pre2019_table_uses_its_own_rows_and_units(corpus_store):
    report = next(r for r in corpus_store.reports() if r.source_name == "020_fujian-pingtanxian_2012.txt")
    html = template_table_html(corpus_store, report, "old", {})
    assert "指标名称" in html and "历年累计" in html
    assert "受理依申请公开信息总数" in html and "<td>条</td>" in html


def test_a_computed_answer_shows_its_formula_and_each_operand(store):
    ingest_paths(store, [CORPUS])
    answer = answer_question("洋湖乡2023年不予公开的占办理结果总计的比例", store)
    computed = [v for v in answer.to_dict()["values"] if v["metric"] == "computed"]
    if not computed:  # the seed's 总计 is 0: no share; use a sum of a group instead
        answer = answer_question("洋湖乡2023年无法提供的一共多少件", store)
        computed = [v for v in answer.to_dict()["values"] if v["metric"] == "computed"]
    (value,) = computed
    assert value["operands"] == list(range(1, len(answer.citations) + 1))
    panel, *rest = source_panels(answer, store)
    assert panel.title == f"计算：{value['formula']}"
    for n in value["operands"]:
        c = answer.citations[n - 1]
        assert f"<th>[{n}]</th>" in panel.body and f"第{c['grid_row']}行第{c['grid_col']}格" in panel.body
        assert f"行“{c['row']}”" in panel.body
    assert rest and rest[0].title.startswith("出处 1")


@needs_real
def test_a_change_across_years_cites_both_operands_in_its_formula_panel(corpus_store):
    answer = answer_question("洪泽区2024年比2023年新收申请多了多少？", corpus_store)
    payload = answer.to_dict()
    (value,) = [v for v in payload["values"] if v["metric"] == "computed"]
    assert value["formula"].startswith("95 − 21 = +74") and value["operands"] == [1, 2]
    panel = source_panels(answer, corpus_store)[0]
    rows = _rows(panel.body)[1:]
    assert [re.search(r"<mark>([^<]*)</mark>", r).group(1) for r in rows] == ["21", "95"]
    assert "2023年" in rows[0] and "2024年" in rows[1]
    json.dumps(payload)  # the JSON the API and `ask --json` give carries the operands as numbers
