"""Question shapes citizens use (issue 16 point 8): agencies named as people write them, groups asked as a whole,
figures only the text states asked across reports, follow-ups to a text answer, questions no figure answers. Each
checked against the reports as printed (values read by hand: tests/devset/citizen_questions.jsonl)."""
from __future__ import annotations

import pytest

from conftest import needs_real
from assistant.answer import answer_question
from assistant.prose import counters_differ


@needs_real
@pytest.mark.parametrize("question, status, agency", [
    ("北京市人民政府办公厅2025年收到多少政府信息公开申请", "not_found", None),  # not 上海's 市人民政府办公厅
    ("沭阳县公安局2025年收到多少申请", "not_found", None),  # a department the store does not hold
    ("沭阳县政府2023年收到多少申请", "not_found", None),  # the county government has no 2023 report
    ("发改局2023年收到多少申请", "answered", "沭阳县发展和改革局"),  # the store's only 发改局, said so
    ("平谭2023年行政诉讼几件", "answered", "平潭综合实验区管委会"),  # a same-sounding slip
])
def test_agencies_as_people_name_them(corpus_store, question, status, agency):
    answer = answer_question(question, corpus_store)
    assert answer.status == status, answer.answer
    if agency:
        assert {v["citation"]["agency"] for v in answer.values if v.get("citation")} == {agency}
    else:
        assert not answer.values


@needs_real
def test_two_digits_after_a_name_are_its_year(corpus_store):
    answer = answer_question("洪泽24许可", corpus_store)
    assert answer.status == "answered" and answer.values[0]["raw"] == "9487"


@needs_real
@pytest.mark.parametrize("question, total, parts", [
    ("上海2025年无法提供的申请共有多少", "564", ["513", "48", "3"]),  # (四) printed as its three sub-rows
    ("平潭2023年因为信息公开被告上法院的案子有几件", "7", ["5", "2"]),  # 行政诉讼 of both kinds
])
def test_a_group_asked_as_a_whole_is_totalled(corpus_store, question, total, parts):
    answer = answer_question(question, corpus_store)
    assert answer.values[0]["metric"] == "computed" and answer.values[0]["raw"] == total
    assert [v["raw"] for v in answer.values[1:len(parts) + 1]] == parts
    assert {v["raw"] for v in answer.values if v.get("citation")} == set(parts)  # each operand cited


@needs_real
def test_the_text_figure_of_a_group_is_said_beside_its_sub_row(corpus_store):
    answer = answer_question("上海市政府办公厅2025年因为政府手里没有而给不了的申请有多少件", corpus_store)
    assert answer.values[0]["raw"] == "513"  # 本机关不掌握: the row asked
    assert "564" in answer.answer and "513 + 48 + 3 = 564" in answer.answer


@needs_real
def test_a_text_figure_across_years(corpus_store):
    answer = answer_question("平潭2018年专栏访问量比2017年增加了多少人次", corpus_store)
    assert answer.status == "answered"
    assert [v["raw"] for v in answer.values] == ["97402", "108932", "+11530"]
    trend = answer_question("平潭综合实验区2014到2018年政府信息公开专栏访问量", corpus_store)
    assert [v["raw"] for v in trend.values] == ["69598", "162103", "97402", "108932"]
    assert "2015" in trend.answer  # the year the store lacks, said


@needs_real
def test_one_reports_figure_is_no_answer_across_reports(corpus_store):
    answer = answer_question("洋湖乡和洪泽区2023年谁主动公开的政府信息多", corpus_store)
    assert {v["raw"] for v in answer.values} >= {"250", "1136"}


@needs_real
def test_a_follow_up_to_a_text_answer(corpus_store):
    answer = answer_question("新闻通气会呢", corpus_store, ["上海2025年开了几场新闻发布会"])
    assert answer.values[0]["raw"] == "19"


@needs_real
def test_a_yes_no_about_a_property_gets_no_count(corpus_store):
    answer = answer_question("平潭2021年的申请是不是全部办完了", corpus_store)
    assert not answer.values and not answer.answer.startswith(("有。", "没有。"))


@needs_real
@pytest.mark.parametrize("question, first, figure", [
    ("沭阳县2025年有没有收信息处理费", "有。", "380"), ("洪泽区2024年有没有收政府信息公开信息处理费", "没有。", "0"),
    ("平潭2023年有没有收信息处理费", "没有。", None),  # "2023年，无收取信息处理费情况。"
])
def test_yes_no_from_the_text(corpus_store, question, first, figure):
    answer = answer_question(question, corpus_store)
    assert answer.status == "answered" and answer.answer.startswith(first), answer.answer
    assert [v["raw"] for v in answer.values] == ([figure] if figure else [])
    assert "信息处理费" in answer.citations[0]["sentence"]


@needs_real
@pytest.mark.parametrize("question, status", [
    ("平潭2023年行政复议申请人都是谁", "not_found"), ("洪泽区政府办公室主任叫什么名字", "not_found"),  # a person
    ("洪泽区2024年有多少件", "ambiguous"), ("平潭2021年总计是多少", "ambiguous"),  # no object: of what?
    ("平潭2025年结果维持的有几件", "ambiguous"),
])
def test_questions_no_figure_answers(corpus_store, question, status):
    answer = answer_question(question, corpus_store)
    assert answer.status == status and not answer.values


@needs_real
def test_a_figure_of_things_closed_is_no_answer_to_how_many_there_are(corpus_store):
    answer = answer_question("平潭2021年全区一共有多少个政务新媒体", corpus_store)
    assert not answer.values  # the report states only the 2 it closed


@needs_real
def test_a_title_asked_is_the_title_printed(corpus_store):
    answer = answer_question("平潭2020年那6期《问政平潭》节目里被问政的单位部门有多少个", corpus_store)
    assert "22" not in [v["raw"] for v in answer.values]  # 22 家 went on 《问政平潭之有事你说》


def test_counters_of_different_kinds():
    assert counters_differ("本", "条") and counters_differ("场", "人")
    assert not counters_differ("条", "件") and not counters_differ(None, "条") and not counters_differ("次", "场")


@needs_real
def test_a_group_over_the_years_is_totalled_each_year(corpus_store):
    answer = answer_question("平潭2021年以来每年行政诉讼有几件", corpus_store)
    series = next(v for v in answer.values if v["metric"] == "computed")
    assert series["raw"] == "12,1,7,9"  # 直接起诉 + 复议后起诉 each year: 12+0, 1+0, 5+2, 6+3 (2024 not held)
    assert "7（5 + 2）" in answer.answer and "2024" in answer.answer
