"""Text matching that survives punctuation (issue 16 point 3): a term asked matches the same term as printed,
however either side brackets, quotes, dots or breaks it."""
from __future__ import annotations

import pytest

from conftest import CORPUS
from assistant.answer import answer_question
from index.ingest import ingest_paths
from index.normalize import term_key


@pytest.mark.parametrize("printed, asked", [
    ("村（居）务公开", "村(居)务公开"), ("村（居）务公开", "村居务公开"), ("村（社区）政务公开", "村居政务公开"),
    ("村(社区)政务公开", "村居政务公开"), ("“两化”建设", "两化建设"), ("中国·平潭", "中国平潭"),
    ("《条例》", "条例"), ("村（居）\n务公开", "村居务公开"), ("村 居 务 公开", "村居务公开"),
    ("村（居）务公开", "村务居务公开"), ("村（居）务公开", "村务、居务公开"),
    ("月通报7次", "月度通报7次"), ("每季检查", "每季度检查"),
])
def test_one_term_however_punctuated(printed, asked):
    assert term_key(printed) == term_key(asked)


def test_phrase_boundaries_stay():
    # a list's separators still end the phrase a number counts; a numbered heading keeps its brackets
    assert term_key("工作动态54条、机构领导人事信息5条") == "工作动态54条、机构领导人事信息5条"
    assert term_key("（一）主动公开") == "(一)主动公开"
    # a month's own report is no monthly one: 7月通报, 3个月检查 stay as printed
    assert term_key("7月通报") == "7月通报" and term_key("3个月检查") == "3个月检查"


@pytest.mark.parametrize("question", ["洋湖乡2023年村（居）务公开多少条", "洋湖乡2023年村(居)务公开多少条",
                                      "洋湖乡2023年村居务公开多少条", "洋湖乡2023年村（社区）务公开多少条",
                                      "洋湖乡2023年“村居务公开”有多少条", "洋湖乡2023年村务居务公开的信息有多少条"])
def test_the_seed_figure_is_found_however_the_question_punctuates_it(store, question):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question(question, store)
    assert answer.status == "answered" and answer.values[0]["value"] == "104", answer.answer
    assert "村（居）务公开104条" in answer.citations[0]["sentence"]  # cited as printed
