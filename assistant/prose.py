"""Answers from report text: a figure bound to the asked phrase in a retrieved sentence, or the passages quoted.

A number is only given when a sentence binds it to what was asked ("召开新闻发布会12场" for "开了多少场新闻发布
会"): the clause must hold the asked words and the number with a unit. Otherwise the best passages are quoted
exactly, each with its citation, and no number is made up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.passages import split_sentences
from index.normalize import compact

from assistant.retrieve import Result

UNITS = ("人次", "万人", "万元", "亿元", "万", "元", "场", "条", "个", "件", "次", "期", "篇", "家", "项", "人", "份", "批", "名",
         "所", "处", "套", "天", "小时", "分钟", "%", "％")
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUMBER_WITH_UNIT = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:余|多)?\s*({_UNIT})")
_ASKED_UNIT = re.compile(rf"(?:多少|几)\s*({_UNIT})?")
_FIGURE_WORDS = ("多少", "几", "数量", "数目", "总数", "金额")


@dataclass
class Figure:
    value: str  # exactly as printed
    unit: str
    sentence: str
    result: Result


def asks_for_figure(question: str) -> bool:
    return any(w in question for w in _FIGURE_WORDS)


def asked_unit(question: str) -> str | None:
    m = _ASKED_UNIT.search(question)
    if m and m.group(1):
        return m.group(1)
    if any(w in question for w in ("钱", "金额", "费用", "经费")):
        return "元"  # 元, 万元 and 亿元 all answer it
    return None


_SEGMENT_END = re.compile(r"[，,。；;！？!?、：:（）()“”\"]")
STRONG_BINDING = 4  # shared question bigrams that let a text figure win over a table cell


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def binding(question_bigrams: set[str], text: str, start: int, end: int) -> int:
    """How strongly a number is bound to the question: the question's character bigrams in the phrase that
    leads up to the number ("月通报7次") plus those in the phrase right after its unit ("12场新闻发布会"),
    each phrase running to the nearest punctuation."""
    before = text[:start]
    cut = max((m.end() for m in _SEGMENT_END.finditer(before)), default=0)
    after = text[end:]
    stop = _SEGMENT_END.search(after)
    lead, tail = before[cut:], after[:stop.start() if stop else len(after)]
    return len(_bigrams(lead) & question_bigrams) + len(_bigrams(tail) & question_bigrams)


_FILLER = set("了共计达为约近有是余多")


def adjacency(question: str, text: str, start: int, end: int) -> int:
    """The longest run of the question's text standing right before the number (a filler such as 了/共/达 may
    sit between) or right after its unit: 月通报7次 → 3 for "开展了几次月通报", 季度通报3次 → 2."""
    best = 0
    for skip in range(0, 3):
        stop = start - skip
        if stop < 0 or (skip and not set(text[stop:start]) <= _FILLER):
            break
        k = 0
        while k < stop and text[stop - k - 1:stop] in question:
            k += 1
        best = max(best, k)
    k = 0
    while end + k < len(text) and text[end:end + k + 1] in question:
        k += 1
    return max(best, k)


def find_figure(question: str, search_text: str, results: list[Result], depth: int = 3) -> tuple[Figure | None, int]:
    """(figure, binding): the number a retrieved sentence binds most strongly to the asked phrase, preferring
    the unit the question asks in (多少场 → 场); (None, 0) when no sentence binds one."""
    asked_text = compact(search_text)
    asked = _bigrams(asked_text) - {"多少", "几个", "有多", "少条", "少个", "少件", "少次", "少场"}
    unit_hint = asked_unit(question)
    best, best_key = None, None
    for rank, result in enumerate(results[:depth]):
        for sentence in split_sentences(result.text):
            folded = compact(sentence)
            for m in _NUMBER_WITH_UNIT.finditer(folded):
                bound = binding(asked, folded, m.start(), m.end())
                adjacent = adjacency(asked_text, folded, m.start(), m.end())
                # measured on both prose dev sets (docs/retrieval.md): every wrong number had a weak binding
                # and no asked words right at the number; every number bound this way was right
                if bound < STRONG_BINDING and not (bound >= 2 and adjacent >= 2):
                    continue
                unit_ok = unit_hint is None or m.group(2) == unit_hint or unit_hint in m.group(2)
                key = (unit_ok, bound, adjacent, -rank, -m.start())
                if best_key is None or key > best_key:
                    best, best_key = Figure(m.group(1), m.group(2), sentence.strip(), result), key
    return best, (best_key[1] if best_key else 0)
