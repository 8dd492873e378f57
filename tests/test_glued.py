"""Tables glued into scraped text: splittings, the whole-table constraint solve, uncertainty kept honestly, the
same report's structured reading settling what arithmetic cannot, and answers that say all of it."""
from __future__ import annotations


import pytest

from conftest import REAL, golden, needs_real
from assistant.answer import answer_question
from assistant.cli import main
from assistant.sources import source_panels
from index.catalogue import METRICS, T3_COLUMNS, T4_METRICS, TEMPLATE_2021
from index.glued import GluedRow, decode, find_rows, row_specs, splittings
from index.ingest import ingest_paths

T4_CELLS = [(m, c) for m in T4_METRICS for c in METRICS[m].columns[TEMPLATE_2021]]


def test_splittings_follow_the_number_rules():
    assert splittings("00", ("decisions",)) == [] and splittings("07", ("decisions",)) == []
    cells = splittings("801000081", T3_COLUMNS)
    assert ("80", "1", "0", "0", "0", "0", "81") in cells
    assert all(not (c.startswith("0") and c != "0") for s in cells for c in s)  # no number starts with 0
    assert splittings("0000000", T3_COLUMNS) == [("0",) * 7]
    assert splittings("23 0 00 0 023", T3_COLUMNS) == [("23", "0", "0", "0", "0", "0", "23")]  # spaces are borders
    assert splittings("5949.088667", ("amount",)) == [("5949.088667",)]
    signed = splittings("2648-18538", ("prev_items", "change", "decisions"))
    assert ("2648", "-18", "538") in signed and all(s[0] == "2648" and s[1].startswith("-") for s in signed)
    assert splittings("12.5", ("decisions",)) == []  # a count is never a decimal


def test_a_reading_the_columns_cannot_mean_is_no_reading():
    # 2019 表二: this year's items (上一年项目数量 + 本年增/减) are never below zero, so 5-498 is 5 | -4 | 98
    assert splittings("5-498", ("prev_items", "change", "decisions")) == [("5", "-4", "98")]
    # 对外公开总数量 counts this year's 本年新公开数量 among them (平潭 2020 "77166": 77 | 16 | 6 is no reading)
    cuts = splittings("77166", ("made", "published", "total_published"))
    assert ("77", "16", "6") not in cuts and ("7", "7", "166") in cuts
    assert all(int(c[1]) <= int(c[2]) for c in cuts)
    # a misprinted row no reading of which can mean anything keeps every reading: the arithmetic decides
    assert splittings("1-9", ("prev_items", "change")) == [("1", "-9")]


def test_the_whole_table_settles_what_row_sums_cannot():
    # （一）予以公开 330000033 fits its row sum two ways (33|0|…|33 and 3|30|0|…|33); the columns of the whole
    # table (商业企业 has no request at all) leave one
    printed = {"t3.new": "33 0 0 0 0 0 33", "t3.disclosed": "330000033", "t3.total": "33 0 0 0 0 0 33"}
    text = "".join(METRICS[s.metric].label + printed.get(s.metric, "0000000")
                   for s in row_specs("t3", TEMPLATE_2021))
    rows = find_rows(text, row_specs("t3", TEMPLATE_2021))
    assert len(rows) == 25
    disclosed = next(r for r in rows if r.spec.metric == "t3.disclosed")
    assert len([s for s in disclosed.splittings if int(s[-1]) == sum(map(int, s[:-1]))]) == 2
    decoded = decode("t3", rows)
    cells = {(c.metric, c.column): c for c in decoded.cells}
    assert cells[("t3.disclosed", "natural")].value == "33" and cells[("t3.disclosed", "commercial")].value == "0"
    assert "勾稽" in cells[("t3.disclosed", "natural")].reason
    assert decoded.solutions == 1


def test_an_undecidable_cell_keeps_every_candidate():
    row = GluedRow(row_specs("t2", TEMPLATE_2021)[1], "行政规范性文件", "77132470",
                   splittings("77132470", ("issued", "repealed", "in_force")))
    decoded = decode("t2", [row])
    issued = next(c for c in decoded.cells if c.column == "issued")
    assert issued.value is None and "77" in issued.candidates and "无法确定" in issued.reason
    # the report's own sentence is evidence, weighted below arithmetic and recorded as such
    decoded = decode("t2", [row], {("t2.normative", "issued"): {"77"}},
                     {("t2.normative", "issued"): "动态更新本年度制发的规范性文件77件"})
    cells = {c.column: c for c in decoded.cells}
    assert cells["issued"].value == "77" and "正文" in cells["issued"].reason
    assert cells["repealed"].value is None and set(cells["repealed"].candidates) == {"1", "13", "132", "1324", "13247"}


@needs_real
@pytest.mark.parametrize("name", ["008_fujian-pingtan_2025.txt", "011_fujian-pingtan_2021.txt",
                                  "012_fujian-pingtan_2022.txt"])
def test_scraped_tables_match_the_hand_verified_cells(store, name):
    ingest_paths(store, [REAL / name])
    (report,) = store.reports()
    expected = golden("glued_pingtan.json")[name]
    for metric, values in expected["t3"].items():
        got = [store.fact(report.id, metric, c)["raw"] for c in T3_COLUMNS]
        assert got == values, metric
    assert [store.fact(report.id, m, c)["raw"] for m, c in T4_CELLS] == expected["t4"]
    assert not store.findings(report.id)  # all three balance
    assert not [d for d in store.decoded_cells(report.id, uncertain_only=True)
                if METRICS[d["metric"]].table in ("t3", "t4")]


@needs_real
@pytest.mark.parametrize("order", [["007_fujian-pingtan_2023.txt", "022_fujian-pingtan_2023.html"],
                                   ["022_fujian-pingtan_2023.html", "007_fujian-pingtan_2023.txt"]])
def test_the_same_report_as_text_and_as_web_page_gives_the_same_facts(store, order):
    ingest_paths(store, [REAL / n for n in order])
    text = next(r for r in store.reports() if r.format == "txt")
    page = next(r for r in store.reports() if r.format == "html")
    facts = {(f["metric"], f["col"]): f["number"] for f in store.facts(text.id)}
    assert facts == {(f["metric"], f["col"]): f["number"] for f in store.facts(page.id)}
    assert len(facts) == 200
    # 行政规范性文件 77|132|470: 77 from the text's own sentence, 132 | 470 only from the web page
    cells = {d["col"]: d for d in store.decoded_cells(text.id) if d["metric"] == "t2.normative"}
    assert cells["issued"]["value"] == "77" and "正文" in cells["issued"]["reason"]
    assert (cells["repealed"]["value"], cells["in_force"]["value"]) == ("132", "470")
    assert "022_fujian-pingtan_2023.html" in cells["repealed"]["reason"]
    assert not store.decoded_cells(text.id, uncertain_only=True)


@needs_real
def test_answers_say_how_a_glued_cell_was_read_or_that_it_is_uncertain(corpus_store):
    a = answer_question("平潭2022年收到多少政府信息公开申请", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "74"
    assert "713000074" in a.answer and "勾稽" in a.answer
    a = answer_question("平潭2025年行政规范性文件废止了多少件", corpus_store)
    assert a.status == "ambiguous" and "5845546" in a.answer and "无法确定" in a.answer
    assert set(a.choices) >= {"8", "84", "845"} and a.values[0]["raw"] == "?"
    (panel,) = source_panels(a, corpus_store)
    assert "5845546" in panel.body and "无法确定" in panel.body and "<mark>?</mark>" in panel.body
    a = answer_question("平潭23年行政规范性文件废止多少件", corpus_store)
    assert a.values[0]["value"] == "132" and {c["report"] for c in a.citations} == {
        "022_fujian-pingtan_2023.html", "007_fujian-pingtan_2023.txt"}


@needs_real
def test_check_lists_the_uncertain_cells(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REPORTQA_HOME", str(tmp_path))
    main(["ingest", "-q", str(REAL / "008_fujian-pingtan_2025.txt")])
    capsys.readouterr()
    main(["check"])
    out = capsys.readouterr().out
    assert "3 格原文粘连或残缺、无法确定" in out and "5845546" in out
