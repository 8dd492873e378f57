"""Question forms (issue 16 point 7, in part): yes/no questions are answered 有 / 没有 first, then the cited
figures they rest on; traditional characters and a one-character typo of an agency name are read."""
from __future__ import annotations

import pytest

from conftest import CORPUS
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
