"""Every cell of 表二, 表三 and 表四 of real files against values read by hand (see each JSON's how_verified)."""
from __future__ import annotations

import pytest

from conftest import GOLDEN, REAL, SEED, golden, needs_real
from index.mapping import detect_template, map_tables
from index.metadata import read_metadata
from index.readers import read_file
from index.sections import assign_sections


def _mapped(path):
    doc = read_file(path)
    assign_sections(doc)
    meta = read_metadata(doc, path.name)
    template, _ = detect_template(doc, meta.year)
    facts, notes = map_tables(doc, template)
    return meta, template, facts, notes


def _check(path, gold):
    meta, template, facts, notes = _mapped(path)
    assert meta.year == gold["year"]
    assert template == gold["template"]
    got = {(f.metric, f.column): f.raw for f in facts}
    expected = {(m, c): v for m, cols in gold["cells"].items() for c, v in cols.items()}
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} cells differ (expected, got): {wrong}"
    assert set(got) == set(expected), f"cells not in the golden file: {set(got) - set(expected)}"
    assert not notes, notes
    return facts


def test_seed_every_cell():
    facts = _check(SEED, golden("seed_yanghu_2023.json"))
    assert len(facts) == 200


@needs_real
@pytest.mark.parametrize("name", ["002_huaian-hongzequ_2024", "004_suqian-shuyangxian_2025",
                                  "023_suqian-shuyang-fagaiju_2023"])
def test_real_file_every_cell(name):
    gold = golden(f"{name}.json")
    _check(REAL / gold["file"], gold)


@needs_real
def test_blank_cells_stay_blank_not_zero():
    _, _, facts, _ = _mapped(REAL / "023_suqian-shuyang-fagaiju_2023.html")
    blank = [f for f in facts if f.raw == ""]
    assert len(blank) == 25 * 5  # the five 法人或其他组织 columns of 表三 are empty in the page
    assert all(f.number is None and f.status == "blank" for f in blank)


@needs_real
def test_pdf_citations_carry_pages_and_join_the_page_break():
    _, _, facts, _ = _mapped(REAL / "002_huaian-hongzequ_2024.pdf")
    by_cell = {(f.metric, f.column): f for f in facts}
    assert by_cell[("t3.new", "total")].page == 3
    later = by_cell[("t3.unable.need_create", "total")]  # first row on page 4, same table as page 3's rows
    assert later.page == 4 and later.table_index == by_cell[("t3.new", "total")].table_index
    assert by_cell[("t4.litigation_after_review", "total")].raw == "3"


def test_golden_files_are_all_tested():
    # breaks.json: test_checks.py; glued_pingtan.json: test_glued.py; pre2019_pingtan.json: test_pre2019.py
    names = {p.name for p in GOLDEN.glob("*.json")} - {"breaks.json", "glued_pingtan.json", "pre2019_pingtan.json"}
    assert names == {"seed_yanghu_2023.json", "002_huaian-hongzequ_2024.json", "004_suqian-shuyangxian_2025.json",
                     "023_suqian-shuyang-fagaiju_2023.json"}


@needs_real
def test_html_body_is_found_inside_the_site_navigation():
    doc = read_file(REAL / "022_fujian-pingtan_2023.html")
    first = doc.paragraphs[0].text
    assert first.startswith("本报告根据"), first
    assert not any("当前位置" in p.text or "网站地图" in p.text for p in doc.paragraphs)


@needs_real
def test_pdf_text_is_joined_into_paragraphs_with_a_standalone_title():
    doc = read_file(REAL / "002_huaian-hongzequ_2024.pdf")
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告"]
    assert "六、其他需要报告的事项" in texts
    last = texts[-1]
    assert last.startswith("2024年，区政府严格落实") and last.endswith("信息处理费0元。")
    assert not any(t.strip("-— 0123456789") == "" for t in texts)  # page footers "- 3 -" are dropped
