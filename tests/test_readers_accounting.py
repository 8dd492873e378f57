"""Readers account for what they drop: each reading reports the tables, cells and characters the file held
against what it kept, and a reading that lost content says so on its ingest line and in `reportqa check`."""
from __future__ import annotations

import html
import sqlite3

import docx
import pytest

from conftest import REAL, SEED, TEMPLATE_DOCX, needs_real, needs_template
from index.document import MIN_TEXT_KEPT, Accounting, Paragraph, Table
from index.ingest import ingest_paths
from index.readers import read_file
from index.readers.isolated import read_file_isolated
from index.store import SCHEMA, Store

OPENING = ("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
           "政府信息公开工作存在的主要问题及改进情况、其他需要报告的事项。")
NAV = ("<div class='top'><a href='/'>首页</a><a href='/a'>政务公开</a><a href='/b'>办事服务</a><a href='/c'>互动交流</a>"
       "</div><div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/n'>政府信息公开年报</a></div>"
       "<div class='info'>来源：樟树市洋湖乡人民政府 时间：2024-01-20</div>")
FOOTER = "<div class='foot'>主办单位：樟树市人民政府办公室 网站标识码：3609820001 赣ICP备05004400号</div>"


def _table_html(table: Table) -> str:
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c.text)}</td>" for c in row) + "</tr>" for row in table.rows)
    return f"<table border='1'>{rows}</table>"


def _block_html(block) -> str:
    return f"<p>{html.escape(block.text)}</p>" if isinstance(block, Paragraph) else _table_html(block)


def _seed_page(tmp_path, name: str = "yanghu.html", body: str | None = None, after: str = "") -> tuple:
    """The seed report as a web page: every paragraph in its own <p> (the template's opening sentence too), its
    tables as <table>, inside site navigation. Returns (path, seed document)."""
    seed = read_file(SEED)
    body = body if body is not None else "".join(_block_html(b) for b in seed.blocks)
    page = (f"<html><head><meta charset='utf-8'><title>{html.escape(seed.title)}</title></head><body>{NAV}"
            f"<div class='article'><p>{OPENING}</p>{body}</div>{after}{FOOTER}</body></html>")
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return path, seed


def _losing_page(tmp_path) -> tuple:
    """A page the reader really loses content of: the report's third table sits outside the element holding the
    section headings (a site that prints the table in a box of its own after the article)."""
    seed = read_file(SEED)
    last = seed.tables[-1]
    body = "".join(_block_html(b) for b in seed.blocks if b is not last)
    return _seed_page(tmp_path, "losing.html", body, after=f"<div class='box'>{_table_html(last)}</div>")


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def assert_nothing_dropped(accounting: Accounting, name: str) -> None:
    """The readers' contract: every table and cell the file held is kept, and enough of its text."""
    assert accounting.chars_held > 0, name
    assert accounting.losses() == [], (name, accounting)


# ---- every reader reports its accounting -------------------------------------------------------------------

def test_text_reader_accounts_for_every_character():
    a = read_file(SEED).accounting
    assert a.chars_held == sum(1 for ch in SEED.read_text(encoding="utf-8") if not ch.isspace())
    assert (a.tables_kept, a.tables_held, a.cells_kept) == (3, 3, a.cells_held) and a.cells_held > 200
    assert a.chars_kept == a.chars_held


def test_markdown_reader_counts_its_syntax_apart(tmp_path):
    md = tmp_path / "r.md"
    md.write_text("# 某县2023年政府信息公开工作年度报告\n\n一、总体情况\n\n正文。\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n"
                  "| 规章 | 0 |\n| 规范性文件 | 3 |\n", encoding="utf-8")
    a = read_file(md).accounting
    assert (a.tables_held, a.tables_kept, a.cells_held, a.cells_kept) == (1, 1, 6, 6)
    assert a.chars_kept == a.chars_held and a.losses() == []
    assert any("markdown syntax" in n for n in a.notes)


def test_html_reader_measures_the_whole_page(tmp_path):
    path, seed = _seed_page(tmp_path)
    a = read_file(path).accounting
    assert (a.tables_held, a.tables_kept) == (3, 3)
    assert a.cells_kept == a.cells_held == seed.accounting.cells_held
    # the page's own lines outside links (来源, 网站标识码) are held but left out with the navigation
    assert a.chars_kept < a.chars_held and a.text_ratio >= MIN_TEXT_KEPT
    assert any("section headings" in n for n in a.notes)


def _nested_docx(path) -> None:
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度主动公开信息120条。")
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "信息内容", "本年制发件数"
    outer.cell(1, 0).text = "规章"
    inner = outer.cell(1, 1).add_table(rows=1, cols=2)  # a table inside a cell: python-docx's cell.text omits it
    inner.cell(0, 0).text, inner.cell(0, 1).text = "规范性文件", "37"
    document.save(str(path))


def test_docx_reader_counts_nested_tables_and_reports_what_it_drops(tmp_path):
    path = tmp_path / "nested.docx"
    _nested_docx(path)
    a = read_file(path).accounting
    assert (a.tables_held, a.tables_kept) == (2, 1)
    assert a.chars_held - a.chars_kept == len("规范性文件37")
    assert "1 of 2 tables dropped" in a.losses()


@needs_template
def test_docx_reader_keeps_the_whole_template():
    a = read_file(TEMPLATE_DOCX).accounting
    assert a.tables_held == a.tables_kept == 3 and a.chars_kept == a.chars_held > 0


@needs_real
@pytest.mark.parametrize("name", ["001_huaian-hongzequ_2023.pdf", "002_huaian-hongzequ_2024.pdf"])
def test_pdf_reader_measures_the_glyphs_pdfplumber_sees(name):
    a = read_file(REAL / name).accounting
    assert a.tables_held == a.tables_kept == 5
    # what is not kept is the page numbers ("- 3 -"), and the reading says so
    assert 0 < a.chars_held - a.chars_kept <= 3 * 5 and any("page numbers" in n for n in a.notes)


def test_the_accounting_survives_the_reader_worker(tmp_path):
    path, _ = _seed_page(tmp_path)
    assert read_file_isolated(path).accounting == read_file(path).accounting
    assert read_file_isolated(SEED).accounting == read_file(SEED).accounting


# ---- the HTML body is found by structure -------------------------------------------------------------------

def test_opening_sentence_in_its_own_paragraph_does_not_become_the_body(tmp_path):
    path, seed = _seed_page(tmp_path)
    doc = read_file(path)
    assert [_texts(t) for t in doc.tables] == [_texts(t) for t in seed.tables]
    assert [p.text for p in doc.paragraphs] == [OPENING] + [p.text for p in seed.paragraphs]
    assert not any("当前位置" in p.text or "网站标识码" in p.text for p in doc.paragraphs)
    assert_nothing_dropped(doc.accounting, path.name)


# ---- lost content is said, on the ingest line and in `reportqa check` --------------------------------------

def test_a_page_that_loses_a_table_says_so(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    path, _ = _losing_page(tmp_path)
    accounting = read_file(path).accounting
    assert (accounting.tables_held, accounting.tables_kept) == (3, 2)
    with pytest.raises(AssertionError):
        assert_nothing_dropped(accounting, path.name)  # the contract the real files are held to catches it

    home = tmp_path / "home"
    monkeypatch.setenv("REPORTQA_HOME", str(home))
    store = Store()
    [outcome] = ingest_paths(store, [path], encode=False)
    store.close()
    assert outcome.status == "ingested" and "1 of 3 tables dropped" in outcome.line(), outcome.line()
    assert main(["--home", str(home), "check", "losing.html"]) == 0
    out = capsys.readouterr().out
    assert "读取时丢失了文件中的内容" in out and "1 of 3 tables dropped" in out, out


def test_a_page_read_as_one_paragraph_reports_its_text_lost():
    from index.document import account

    # what the old reader made of such a page: the opening sentence, nothing else
    a = account([Paragraph(OPENING)], tables_held=3, cells_held=279, chars_held=4000)
    assert a.losses() == [f"kept {a.text_ratio:.0%} of the file's text ({a.chars_kept} of 4000 characters)",
                          "3 of 3 tables dropped"]


def test_a_store_from_before_the_accounting_is_still_read(tmp_path, capsys):
    from assistant.cli import main

    old = tmp_path / "old"
    old.mkdir()
    conn = sqlite3.connect(old / "reportqa.sqlite3")
    conn.executescript(SCHEMA.replace(",\n    accounting TEXT NOT NULL DEFAULT ''", ""))  # the version 4 table
    conn.execute("INSERT INTO reports (agency, aliases, level, year, template, template_basis, source_name, "
                 "source_path, sha256, format, title, n_pages, notes, ingested_at) VALUES ('洋湖乡', '[]', '乡镇', "
                 "2023, '2021', 'year', 'old.txt', '/x/old.txt', 'abc', 'txt', 't', NULL, '[]', 'then')")
    conn.commit()
    conn.close()
    store = Store(old / "reportqa.sqlite3")
    [report] = store.reports()
    assert report.accounting is None
    store.close()
    assert main(["--home", str(old), "check"]) == 0
    assert "丢失" not in capsys.readouterr().out


def test_the_accounting_is_stored_with_the_report(store):
    [outcome] = ingest_paths(store, [SEED], encode=False)
    assert store.report(outcome.report_id).accounting == read_file(SEED).accounting


# ---- every real file and the seed keep what they hold ------------------------------------------------------

def _real_files():
    return sorted(p for p in REAL.iterdir() if p.is_file()) if REAL.is_dir() else []


@needs_real
def test_every_real_report_and_the_seed_keep_what_they_hold():
    ratios = []
    for path in _real_files() + [SEED] + ([TEMPLATE_DOCX] if TEMPLATE_DOCX.exists() else []):
        a = read_file(path).accounting
        ratios.append(f"{path.name}: {a.text_ratio:.1%} ({a.chars_kept}/{a.chars_held} characters, "
                      f"{a.tables_kept}/{a.tables_held} tables, {a.cells_kept}/{a.cells_held} cells)")
        assert_nothing_dropped(a, path.name)
    print("\n".join(ratios))  # pytest -s shows the measured ratios the threshold is set against


def test_synthetic_pages_keep_what_they_hold(tmp_path):
    seed_page, seed = _seed_page(tmp_path)
    body = "".join(_block_html(b) for b in seed.blocks)
    pages = {
        "seed page": seed_page,
        # the whole article in a layout table, as older sites print it
        "layout table": _seed_page(tmp_path, "layout.html",
                                   f"<table><tr><td>{body}</td></tr></table>")[0],
        # the article inside the <form> an ASP.NET page wraps round everything
        "form page": _seed_page(tmp_path, "form.html", f"<form id='form1' method='post'>{body}</form>")[0],
        # headings wrapped in <strong> inside their <p>
        "inline headings": _seed_page(tmp_path, "inline.html", "".join(
            f"<p><strong>{html.escape(b.text)}</strong></p>" if isinstance(b, Paragraph) and b.text[:2] in
            ("一、", "二、", "三、", "四、", "五、", "六、") else _block_html(b) for b in seed.blocks))[0],
    }
    for name, path in pages.items():
        doc = read_file(path)
        assert len(doc.tables) == 3, name
        assert_nothing_dropped(doc.accounting, name)
