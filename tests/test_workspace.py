"""What the web app shows, tested below the browser: source panels, the staff workspace's tables and exports,
uploads (password, names, sizes) and feedback."""
from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from conftest import CORPUS, SEED, needs_real
from assistant import workspace
from assistant.answer import answer_question
from assistant.sources import grid_html, source_panels
from assistant.uploads import ingest_uploads, safe_name
from index.checks import cross_report_findings
from index.ingest import ingest_paths

QUESTION = "洋湖乡2023年收到多少政府信息公开申请？"


def test_table_source_panel_highlights_exactly_the_cited_cell(store):
    ingest_paths(store, [CORPUS])
    answer = answer_question(QUESTION, store)
    (panel,) = source_panels(answer, store)
    c = answer.citations[0]
    assert c["table"] in panel.title and c["row"] in panel.title and "总计" in panel.title
    assert SEED.name in panel.body
    template, file_grid = panel.body.split("<details", 1)
    # as the template lays the table out: the one highlighted cell is in the row 一、本年新收 under 总计 (the
    # seventh value column), however the file's text export placed its header cells
    assert template.count("rq-hit") == 1
    hit_row = next(r for r in template.split("<tr>") if "rq-hit" in r)
    assert "一、本年新收政府信息公开申请数量" in hit_row
    assert hit_row.split("<td class='rq-hit'")[0].count("<td") == 6 and "<mark>0</mark><sup>[1]</sup>" in hit_row
    # one click away, the file's own grid with the cell at the cited 第N行第M格
    assert f"第{c['grid_row']}行第{c['grid_col']}格" in file_grid.split("</summary>")[0]
    grid = json.loads(store.grids(c["report_id"])[c["table_number"] - 1]["cells"])
    rows = file_grid.split("<tr>")[2:]  # after the header row
    hit_row = next(i for i, r in enumerate(rows, 1) if "rq-hit" in r)
    assert hit_row == c["grid_row"] and file_grid.count("rq-hit") == 1
    assert grid[c["grid_row"] - 1][c["grid_col"] - 1][0] == c["printed"] == "0"


def test_passage_source_panel_marks_the_quoted_sentence(store):
    ingest_paths(store, [CORPUS])
    answer = answer_question("洋湖乡2023年主动公开了多少条政府信息？", store)
    panels = source_panels(answer, store)
    sentence = answer.values[0]["citation"]["sentence"]
    assert panels and f"<mark>{sentence}</mark>" in panels[0].body
    answer = answer_question("洋湖乡政务公开存在哪些主要问题？", store)
    panels = source_panels(answer, store)
    assert len(panels) == len(answer.citations) and all("<mark>" in p.body for p in panels)
    assert all(c["text"] in p.body for c, p in zip(answer.citations, panels))


@needs_real
def test_a_cell_in_a_broken_sum_carries_a_visible_note(corpus_store):
    answer = answer_question("洪泽区2023年行政复议结果维持几件", corpus_store)
    (panel,) = source_panels(answer, corpus_store)
    assert panel.notes and "勾稽不符" in panel.notes[0] and "rq-note" in panel.body
    assert "第4页" in panel.body and "001_huaian-hongzequ_2023.pdf" in panel.body


def test_grid_html_escapes_cells_and_greys_merged_positions():
    cells = json.dumps([[["<b>x</b>", False], ["<b>x</b>", True]], [["a\nb", False], ["5", False]]])
    shown = grid_html(cells, {(2, 2)})
    assert "<b>" not in shown and "&lt;b&gt;x&lt;/b&gt;" in shown
    assert "rq-merged" in shown and "a<br>b" in shown and "<mark>5</mark>" in shown


def test_data_browser_and_exports(store, tmp_path):
    ingest_paths(store, [CORPUS])
    frame = workspace.browse(store, ["樟树市洋湖乡"], ["2023"], ["t3.new", "t4.review"])
    report = store.reports()[0]
    assert len(frame) == len(store.facts(report.id, "t3.new")) + len(store.facts(report.id, "t4.review"))
    assert set(frame["行"]) == {"一、本年新收政府信息公开申请数量", "行政复议"}
    assert len(workspace.browse(store)) == store.fact_count(report.id)
    assert workspace.browse(store, ["没有这个机关"]).empty

    path = workspace.export(frame, tmp_path, "data", "csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == workspace.FACT_COLUMNS and len(rows) == len(frame) + 1
    total = next(r for r in rows if r[3].startswith("一、本年新收") and r[4] == "总计")
    assert total[5] == "0" and total[8] == SEED.name
    book = openpyxl.load_workbook(workspace.export(frame, tmp_path, "data", "xlsx"))
    sheet = list(book.active.iter_rows(values_only=True))
    assert list(sheet[0]) == workspace.FACT_COLUMNS and len(sheet) == len(frame) + 1


def test_exports_do_not_run_formulas(tmp_path):
    import pandas as pd

    frame = pd.DataFrame([["=HYPERLINK(\"http://x\")", "-5", "@SUM(A1)", "正常"]], columns=list("abcd"))
    rows = list(csv.reader(workspace.export(frame, tmp_path, "x", "csv").open(encoding="utf-8-sig")))
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "-5", "'@SUM(A1)", "正常"]


@needs_real
def test_trend_comparison_and_findings(corpus_store):
    frame = workspace.trend(corpus_store, "t3.new", "total", ["淮安市洪泽区人民政府"])
    assert list(frame["年份"]) == sorted(frame["年份"]) and len(frame) >= 2
    for _, row in frame.iterrows():
        answer = answer_question(f"淮安市洪泽区{row['年份']}年收到多少政府信息公开申请", corpus_store)
        assert answer.values[0]["raw"] == row["数值（原文）"]
    agencies = ["淮安市洪泽区人民政府", "沭阳县人民政府"]
    table = workspace.compare(corpus_store, 2023, agencies, "t4")
    present = [a for a in agencies if a in table.columns]
    assert present and len(table) == 15  # 表四: 3 rows × 5 columns
    findings = workspace.findings(corpus_store)
    cross = cross_report_findings(corpus_store.reports(), corpus_store.facts)
    assert len(findings) == len(corpus_store.findings()) + len(cross) and "淮安市洪泽区人民政府" in set(findings["机关"])


def test_report_viewer_shows_sections_tables_and_escapes(store, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(SEED.read_text(encoding="utf-8").replace(
        "存在主要问题：", "存在主要问题：<script>alert(1)</script><img src=x onerror=alert(2)>"), encoding="utf-8")
    ingest_paths(store, [hostile])
    shown = workspace.report_html(store, store.reports()[0].id)
    assert "<script" not in shown and "<img" not in shown and "&lt;script&gt;" in shown
    assert shown.count("<table class='rq-grid'>") == len(store.grids(store.reports()[0].id))
    assert "一、总体情况" in shown
    assert "没有这份报告" in workspace.report_html(store, 999)


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("/abs/报告.PDF", "报告.PDF"),
    (".hidden.txt", "hidden.txt"), ("a\x00b\n.txt", "ab.txt"), ("", "upload"), ("x." + "y" * 50, "x.yyyyyyyyyy"),
])
def test_upload_names_stay_inside_the_folder(name, expected):
    assert safe_name(name) == expected


def test_uploads_need_the_password_and_respect_the_size_limit(store, tmp_path, monkeypatch):
    upload = tmp_path / "upload.txt"
    upload.write_bytes(SEED.read_bytes())
    files = [("../洋湖乡.txt", upload)]
    monkeypatch.delenv("REPORTQA_UPLOAD_PASSWORD", raising=False)
    assert "未开放" in ingest_uploads(store, files, "anything")[0] and not store.reports()
    monkeypatch.setenv("REPORTQA_UPLOAD_PASSWORD", "s3cret")
    assert "密码不对" in ingest_uploads(store, files, "wrong")[0] and not store.reports()
    assert "密码不对" in ingest_uploads(store, files, None)[0]
    monkeypatch.setenv("REPORTQA_MAX_UPLOAD_MB", "0.001")
    assert "超过" in ingest_uploads(store, files, "s3cret")[0] and not store.reports()
    monkeypatch.delenv("REPORTQA_MAX_UPLOAD_MB")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    seen = []
    lines = ingest_uploads(store, files + [("junk.pdf", junk)], "s3cret", lambda *a: seen.append(a))
    assert lines[0].startswith("洋湖乡.txt：已入库") and lines[1].startswith("junk.pdf：未能入库")
    assert seen[-1][:2] == (2, 2)
    (report,) = store.reports()
    assert report.source_name == "洋湖乡.txt" and "/uploads/" in report.source_path
    assert "库中已有" in ingest_uploads(store, files, "s3cret")[0]


def test_feedback_is_stored_with_question_and_answer(store):
    store.add_feedback(QUESTION, "樟树市洋湖乡 2023年：…0 件。", True, ["更早的问题"])
    store.add_feedback(QUESTION, "…", False)
    rows = store.feedback()
    assert [(r["question"], r["liked"]) for r in rows] == [(QUESTION, 1), (QUESTION, 0)]
    assert json.loads(rows[0]["history"]) == ["更早的问题"]


def test_cells_of_one_table_share_one_panel(store):
    ingest_paths(store, [CORPUS])
    answer = answer_question("洋湖乡2023年不予公开的有多少", store)
    assert len(answer.citations) == 8
    formula, panel = source_panels(answer, store)  # the group's total, computed from the eight cells, comes first
    assert formula.title == "计算：" + " + ".join(["0"] * 8) + " = 0" and formula.body.count("<mark>0</mark>") == 8
    assert panel.title.startswith("出处 1–8：表三") and "8 个单元格" in panel.title
    template, file_grid = panel.body.split("<details", 1)
    assert template.count("class='rq-hit'") == 8 and file_grid.count("class='rq-hit'") == 8
    assert template.count("<table") == 1 and file_grid.count("<table") == 1


def test_without_a_password_the_upload_tab_says_it_is_off(store, monkeypatch):
    import app

    monkeypatch.delenv("REPORTQA_UPLOAD_PASSWORD", raising=False)
    ingest_paths(store, [CORPUS])
    demo = app.build_app(store)
    by_id = {getattr(b, "elem_id", None): b for b in demo.blocks.values()}
    assert "未开放" in by_id["u-disabled"].value
    assert by_id["u-go"].interactive is False and by_id["u-files"].interactive is False


def test_example_questions_are_drawn_from_the_store_and_each_is_answered(corpus_store, store):
    from assistant.answer import answer_question
    from assistant.workspace import example_questions

    questions = example_questions(corpus_store)
    assert len(questions) == 4  # a table figure, a trend, a comparison, a text question
    assert any("历年" in q for q in questions) and any("哪年多" in q for q in questions)
    for question in questions:
        answer = answer_question(question, corpus_store)
        assert answer.status == "answered", (question, answer.answer[:80])
    assert example_questions(store) == []  # an empty store offers nothing it cannot answer
