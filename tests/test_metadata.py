"""Report metadata: agency full name and short forms, level, year reported on, template version."""
from __future__ import annotations

import pytest

from conftest import REAL, SEED, needs_real
from index.mapping import detect_template
from index.metadata import administrative_level, aliases_for, canonical_agency, read_metadata
from index.readers import read_file


@pytest.mark.parametrize("agency, short", [
    ("樟树市洋湖乡", "洋湖乡"), ("淮安市人民政府", "淮安市政府"), ("淮安市洪泽区人民政府", "洪泽"),
    ("沭阳县发展和改革局", "沭阳发改局"), ("沭阳县发展和改革局", "县发改局"), ("上海市人民政府办公厅", "市府办公厅"),
    ("某市科学技术委员会", "市科委"), ("平潭综合实验区管委会", "平潭"), ("平潭综合实验区地方税务局", "平潭地税"),
    ("沭阳县发展和改革局", "沭阳发改"),
])
def test_short_forms(agency, short):
    assert short in aliases_for(agency)


def test_a_bureau_is_named_without_its_ju_only_where_that_is_no_ordinary_word():
    assert "某市教育" not in aliases_for("某市教育局")  # 平潭教育 asks about education, not the bureau


@pytest.mark.parametrize("agency, level", [
    ("樟树市洋湖乡", "乡级"), ("淮安市洪泽区人民政府", "县级"), ("淮安市人民政府", "市级"),
    ("上海市人民政府办公厅", "省级部门"), ("沭阳县发展和改革局", "县级部门"), ("江苏省人民政府", "省级"),
])
def test_levels(agency, level):
    assert administrative_level(agency) == level


def test_a_zone_is_named_by_its_management_committee():
    assert canonical_agency("平潭综合实验区") == canonical_agency("平潭综合实验区管理委员会") == "平潭综合实验区管委会"


def test_seed_template_is_told_by_its_tables_not_the_document_number_it_cites():
    doc = read_file(SEED)
    assert "〔2019〕60号" in doc.full_text()
    meta = read_metadata(doc, SEED.name)
    assert (meta.agency, meta.year) == ("樟树市洋湖乡", 2023)
    assert detect_template(doc, meta.year) == ("2021", "tables")


@needs_real
@pytest.mark.parametrize("name, agency, year, template", [
    ("001_huaian-hongzequ_2023.pdf", "淮安市洪泽区人民政府", 2023, "2021"),  # title says 洪泽区人民政府 only
    ("004_suqian-shuyangxian_2025.md", "沐阳县人民政府", 2025, "2021"),  # printed 沐 (OCR), kept as printed
    ("006_shanghai-shizhengfu-bangongting_2025.md", "上海市人民政府办公厅", 2025, "2021"),  # year before name
    ("009_fujian-pingtan_2019.txt", "平潭综合实验区管委会", 2019, "2019"),  # told by the glued table's words
    ("014_fujian-pingtan_2018.txt", "平潭综合实验区管委会", 2018, "pre2019"),
    ("023_suqian-shuyang-fagaiju_2023.html", "沭阳县发展和改革局", 2023, "2021"),
])
def test_real_report_metadata(name, agency, year, template):
    doc = read_file(REAL / name)
    meta = read_metadata(doc, name)
    assert (meta.agency, meta.year, detect_template(doc, meta.year)[0]) == (agency, year, template)


@needs_real
def test_sections_are_told_in_text_scraped_onto_one_line():
    from index.sections import assign_sections

    doc = read_file(REAL / "007_fujian-pingtan_2023.txt")
    assign_sections(doc)
    tops = [p.section for p in doc.paragraphs if p.heading_level == 1]
    assert tops == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert any(p.section == "一、总体情况 › （四）信息公开平台建设方面" for p in doc.paragraphs)


@needs_real
def test_table_labels_in_broken_markdown_are_not_sections():
    from index.sections import assign_sections

    doc = read_file(REAL / "004_suqian-shuyangxian_2025.md")
    assign_sections(doc)
    tops = [p.text for p in doc.paragraphs if p.heading_level == 1]
    assert tops[0] == "一、总体情况" and not any(t.startswith("一、本年新收") for t in tops)
