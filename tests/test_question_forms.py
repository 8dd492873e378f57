"""Question forms (issue 16 point 7, in part): yes/no questions are answered 有 / 没有 first, then the cited
figures they rest on; traditional characters and a one-character typo of an agency name are read."""
from __future__ import annotations

import pytest

from conftest import CORPUS, needs_real
from assistant.answer import answer_question
from index.ingest import ingest_paths


@pytest.mark.parametrize("question, first, figure", [
    ("洋湖乡2023年有没有被起诉过", "没有。", "0"), ("洋湖乡2023年有行政复议吗", "没有。", "0"),
    ("洋湖乡2023年是否收到过政府信息公开申请", "没有。", "0"), ("洋湖乡2023年主动公开了规章吗", None, None),
])
def test_yes_no(store, question, first, figure):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question(question, store)
    if first is None:  # not every 吗 question is about a count the table holds: no 有/没有 made up
        assert not answer.answer.startswith(("有。", "没有。")) or answer.values
        return
    assert answer.status == "answered" and answer.answer.startswith(first), answer.answer
    assert {v["value"] for v in answer.values} == {figure}


def test_a_count_question_gets_no_yes_or_no(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("洋湖乡2023年收到多少政府信息公开申请", store)
    assert not answer.answer.startswith(("有。", "没有。"))


def test_traditional_characters(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("洋湖鄉2023年收到多少政府信息公開申請", store)
    assert answer.status == "answered" and answer.values[0]["raw"] == "0"


def test_the_source_of_the_last_answer(store):
    ingest_paths(store, [CORPUS], encode=False)
    first = answer_question("洋湖乡2023年收到多少政府信息公开申请", store)
    answer = answer_question("上一个答案的出处", store, history=["洋湖乡2023年收到多少政府信息公开申请"])
    assert answer.status == "answered" and answer.citations == first.citations
    assert "本年新收政府信息公开申请数量" in answer.answer and "第4行第8格" in answer.answer
    alone = answer_question("上一个答案的出处", store)  # nothing before it: not read as a reference
    assert alone.citations == [] or alone.status != "answered"


@needs_real
def test_a_place_in_the_last_ranking(corpus_store):
    history = ["2023年哪个单位收到的申请最多"]
    first = answer_question("第一名呢", corpus_store, history=history)
    assert first.answer.startswith("（第1名是平潭综合实验区管委会。）") and first.values[0]["raw"] == "81"
    last = answer_question("最后一名呢", corpus_store, history=history)
    assert "樟树市洋湖乡" in last.answer and last.values[0]["raw"] == "0"
    gap = answer_question("洪泽和第一名差多少", corpus_store, history=history)
    assert [v["value"] for v in gap.values if v["metric"] == "computed"] == ["-60"]
    assert answer_question("第九名呢", corpus_store, history=history).status == "not_found"


@needs_real
def test_a_typo_of_an_agency_name_says_which_report_is_meant(corpus_store):
    answer = answer_question("沭阳县2025年收到多少政府信息公开申请", corpus_store)
    assert answer.status == "answered" and "按库中名称“沐阳县人民政府”理解" in answer.answer


def test_a_question_in_english(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("How many information disclosure requests did Yanghu township receive in 2023?", store)
    assert answer.status == "answered" and answer.values[0]["metric"] == "t3.new" and answer.values[0]["raw"] == "0"
    assert "英文问题按中文理解为" in answer.answer and "new requests received this year" in answer.answer
    phone = answer_question("What is the phone number of Yanghu township?", store)
    assert phone.status == "answered" and "0795-7317084" in phone.answer
    assert answer_question("How many lawsuits did Yanghu township have in 2023?", store).values[0]["raw"] == "0"


@needs_real
def test_english_names_of_places_held_only_inside_longer_names(corpus_store):
    # 沭阳县 is held only as the start of 沭阳县发展和改革局 (and, misspelt, as 沐阳县人民政府)
    answer = answer_question("How many requests did Shuyang county receive in 2025?", corpus_store)
    assert answer.status == "answered" and answer.values[0]["raw"] == "713", answer.answer


@needs_real
def test_first_place_after_a_comparison_of_three_is_the_largest(corpus_store):
    # named smallest first: the comparison lists and cites them from most to least
    history = ["洪泽区、沭阳县发改局、平潭综合实验区2023年收到的申请比较"]
    first = answer_question("第一名呢", corpus_store, history=history)
    assert first.answer.startswith("（第1名是平潭综合实验区管委会。）") and first.values[0]["raw"] == "81"


def test_the_index_of_agency_names_made_from_the_earlier_one_is_a_fresh_one(corpus_store):
    """After reports come and go, the question parser's index of names is made from the one before (a national
    store cannot rebuild 100,000 agencies' names at every ingest): it must be what a fresh build makes, slips
    (one character off) included, and so must the answers read with it."""
    from dataclasses import replace

    from assistant import query
    from assistant.query import _AgencyNames, parse

    held = list(corpus_store.reports())

    def made_up(i, report, agency=None):
        agency = agency or f"甲{'乙丙丁'[i % 3]}区" + report.agency
        return replace(report, id=10_000 + i, sha256=f"made-up-{i}", agency=agency,
                       aliases=[agency[:4], *report.aliases])

    def state(names):
        return (list(names.aliases.items()), names.order, names.rank, names.lengths, list(names.places.items()),
                names.place_order, names.place_rank, names.place_lengths,
                {key: sorted(aliases) for key, aliases in names.masked.items()})

    added = [made_up(i, r) for i, r in enumerate(held[:6])] + [made_up(6, held[0], agency="沐阳县人民政府")]
    steps = [held, held + added, held[3:] + added[2:], held[3:] + added[2:] + [replace(added[0], sha256="again")],
             held]
    names = None
    for reports in steps:
        reports = sorted(reports, key=lambda r: (r.agency, r.year or 0, r.format))
        names = _AgencyNames(reports, names)
        fresh = _AgencyNames(reports)
        assert state(names) == state(fresh)
        questions = ("沭阳2025年收到多少申请", "甲乙区樟树市洋湖乡2023年收到多少申请", "平潭2023年行政复议多少件")
        read = [parse(q, reports) for q in questions]  # the parser's own index: made from the list before
        query._NAMES.clear()
        assert read == [parse(q, list(reports)) for q in questions]  # a fresh index


@needs_real
def test_everyday_words_are_read_as_the_reports_words(corpus_store):
    from assistant.query import parse
    from assistant.retrieve import search_text
    reports = corpus_store.reports()
    # "洋湖乡晒出来的政府信息" names 洋湖乡, not an agency called 洋湖乡晒出来的政府
    assert parse("23年洋湖乡晒出来的政府信息总共几条", reports).agencies == ["樟树市洋湖乡"]
    for question in ("2024年洪泽在政府网站晒出的各类信息有多少条", "23年洪泽区老百姓找政府要资料的申请总共几件？"):
        assert parse(question, reports).agencies == ["淮安市洪泽区人民政府"], question  # a clause, no unit of 洪泽
    assert search_text("晒出来的政府信息总共几条", []) == "公开出来的政府信息总共几条"
    assert parse("沭阳2025年信息公开申请办理完了多少件？", reports).metrics == ["t3.total"]
    assert parse("上海25年信息公开申请里同意公开（含部分公开）的比例多少？", reports).metrics == ["t3.disclosed",
                                                                                      "t3.partial"]


@needs_real
def test_a_unit_of_a_held_place_is_answered_from_the_places_text(corpus_store):
    # 009 平潭 2019: "区财政金融局…今年累计公开政府采购项目信息2536条" — the bureau has no report of its own in the store
    a = answer_question("2019年平潭区财政金融局累计公开的政府采购项目信息有多少条？", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["2536"], a.answer
    assert "库中没有“平潭区财政金融局”自己的年度报告" in a.answer and a.values[0]["citation"]["year"] == 2019
    # named without its place: the reports of that year that print it (009 平潭 2019 "区社会事业局…受理各类群众诉求259起")
    a = answer_question("区社会事业局2019年一共受理了多少起各类群众诉求？", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["259"], a.answer
    assert a.values[0]["citation"]["agency"] == "平潭综合实验区管委会"
    # 016 平潭县 2011 names 公安局 only in a list of departments beside the county's own figures: none of them is its
    a = answer_question("平潭县公安局2011年主动公开了多少条信息", corpus_store)
    assert a.status == "not_found" and not a.values, a.answer
    # its place's tables count the place, never the unit; a unit the place's text never names is not found
    a = answer_question("沭阳县公安局2025年收到多少申请", corpus_store)
    assert a.status == "not_found" and not a.values and "沭阳县公安局" in a.answer
    # a hall (办事大厅) or a clause (通过县政府网站) after the place is no unit of it
    # (and its 办事申请 are requests for a service, never the old table's 受理依申请公开信息总数 1)
    a = answer_question("2014年平潭办事大厅一共接下了多少件办事申请", corpus_store)
    assert "库中没有" not in a.answer and "1" not in [v.get("raw") for v in a.values], a.answer
