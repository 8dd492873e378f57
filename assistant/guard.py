"""The number guard: before an answer is shown, every number in its text must be accounted for.

A number may appear when it is a stored value the answer cites (a cell as printed, a passage's text), a year, a
computed result or formula whose operands are cited, or part of the catalogue's own labels (1.属于国家秘密,
第二十条第（一）项). Anything else is a number nobody can trace to the store, and the answer is not shown.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from index.catalogue import COLUMNS, METRICS
from index.normalize import fold

from assistant.evidence import Answer

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _canonical(text: str) -> str:
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def numbers_in(text: str) -> set[str]:
    return {_canonical(n) for n in _NUMBER.findall(fold(text or ""))}


@lru_cache(maxsize=1)
def _label_numbers() -> frozenset[str]:
    labels = [m.label for m in METRICS.values()] + [c.label for c in COLUMNS.values()]
    return frozenset(n for label in labels for n in numbers_in(label)) | frozenset({"0.1"})  # "四舍五入到 0.1%"


def allowed_numbers(answer) -> set[str]:
    allowed = set(_label_numbers())
    for value in answer.values:
        for key in ("value", "raw", "formula"):
            allowed |= numbers_in(str(value.get(key) or ""))
    for citation in answer.citations:
        for key in ("text", "sentence", "printed", "row", "column", "section", "page", "paragraph", "year",
                    "source", "decoding", "candidates", "report", "table_number"):
            allowed |= numbers_in(str(citation.get(key) or ""))
    return allowed


_ENUMERATOR = re.compile(r"(?:^|(?<=[，,\n：:]))\s*\d+\.\s")  # "1. 沭阳县… ，2. 平潭…" list numbers


def unaccounted_numbers(answer, question: str, known_years: set[int]) -> list[str]:
    """Numbers in the answer's text that no cited value, passage, year, label or the question itself accounts for."""
    allowed = (allowed_numbers(answer) | {str(y) for y in known_years} | numbers_in(question)
               | {n for text in answer.accounted for n in numbers_in(text)})
    text = _ENUMERATOR.sub(" ", fold(answer.answer))
    return sorted(n for n in numbers_in(text) if n not in allowed)


def guard(answer: Answer, question: str, known_years: set[int]) -> Answer:
    """The answer, or in its place a not_found that says which numbers nothing stored accounts for."""
    if answer.status != "answered":
        return answer
    stray = unaccounted_numbers(answer, question, known_years)
    if not stray:
        return answer
    return Answer("not_found", "这个回答里有无法核对出处的数字（" + "、".join(stray) + "），已拦下，不予显示。"
                  "请换个问法，或用 reportqa show 查看原表。", query=answer.query)
