"""Every named year and agency is used (issue 16 point 4): changes between any two years ("哪年多"), trends over
历年 / 近N年 / 2019年以来 / a range with each year cited (pre-2019 years from the old table's row that counts the
same thing), comparisons of any number of agencies; the number guard accounts for every year an answer lists.
Expected values read by hand: 平潭 表三 本年新收 2019 "230 000023" → 23, 2021 70, 2022 74, 2025 154 and 行政复议
2023 2, 2025 36 (tests/golden/glued_pingtan.json); 2014 受理依申请公开信息总数 "条 1 1" → 1."""
from __future__ import annotations

from decimal import Decimal

from conftest import needs_real
from assistant.answer import answer_question

pytestmark = needs_real


def _cells(answer) -> list[tuple[int, str]]:
    return [(v["citation"]["year"], v["value"]) for v in answer.values if v["metric"] != "computed"]


def test_which_of_two_years_has_more(corpus_store):
    answer = answer_question("平潭2023年和2025年行政复议哪年多", corpus_store)
    assert answer.status == "answered", answer.answer
    assert sorted(_cells(answer)) == [(2023, "2"), (2025, "36")]
    assert "2025年比2023年多 34 件" in answer.answer


def test_every_year_of_an_agency_each_cited(corpus_store):
    answer = answer_question("平潭综合实验区历年收到的政府信息公开申请数量", corpus_store)
    assert answer.status == "answered", answer.answer  # no year held back by the number guard
    cells = dict(_cells(answer))
    assert {2014: "1", 2019: "23", 2021: "70", 2022: "74", 2023: "81", 2025: "154"}.items() <= cells.items()
    assert len(answer.citations) == len(cells)  # one citation per year listed
    assert "受理依申请公开信息总数" in answer.answer  # the years before 2019 say which row stands in
    assert "2020年" in answer.answer and "无法确定" in answer.answer  # a glued cell left open is said, not dropped
    assert "2015" in answer.answer and "2024" in answer.answer  # years the store lacks


def test_since_a_year_and_recent_years(corpus_store):
    since = answer_question("平潭2019年以来收到的申请", corpus_store)
    assert since.status == "answered" and min(y for y, _ in _cells(since)) >= 2019
    recent = answer_question("平潭近三年收到的申请哪年最多", corpus_store)
    assert recent.status == "answered", recent.answer
    assert [y for y, _ in _cells(recent)] == [2022, 2023, 2025]
    assert "最多的是2025年（154 件）" in recent.answer


def test_a_range_of_years_and_its_change(corpus_store):
    answer = answer_question("平潭综合实验区2021年到2023年收到的申请变化", corpus_store)
    assert _cells(answer) == [(2021, "70"), (2022, "74"), (2023, "81")]
    assert "2023年比2021年多 11 件" in answer.answer


def test_more_than_two_agencies_compared(corpus_store):
    answer = answer_question("平潭综合实验区、沭阳县发改局、洪泽区2023年收到的申请比较", corpus_store)
    assert answer.status == "answered", answer.answer
    assert [(v["citation"]["agency"], v["value"]) for v in answer.values if v["metric"] != "computed"] == [
        ("平潭综合实验区管委会", "81"), ("沭阳县发展和改革局", "26"), ("淮安市洪泽区人民政府", "21")]
    assert "最多的是平潭综合实验区管委会" in answer.answer
    two = answer_question("沭阳县发改局和洪泽区2023年收到的申请哪个多", corpus_store)
    assert [v["value"] for v in two.values if v["metric"] == "computed"] == ["+5"]
    assert Decimal(two.values[0]["value"]) - Decimal(two.values[1]["value"]) == 5
