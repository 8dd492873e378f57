"""Step 1 of a question's route: read it into a Query (`assistant.query`), or say why it cannot be read.

A question in any shape arrives here: control characters are dropped, an empty or over-long question and an empty
store get a clear message, a follow-up takes what the conversation established, and 去年 / 今年 / 前年 are read
against the newest report the store holds for the agency (the answer says how).
"""
from __future__ import annotations

import unicodedata

from index.store import Report

from assistant.english import is_english, to_chinese
from assistant.evidence import Answer
from assistant.query import Query, parse_conversation

MAX_QUESTION_CHARS = 500  # a question, not a document: also bounds the cost of parsing


def clean_question(text: str) -> str:
    """What a question may carry from a browser or a terminal, minus what no question means: control characters
    (NUL, escape sequences, bells) and lone UTF-16 surrogates, which the tokenizers and the terminal refuse."""
    return "".join(ch for ch in str(text or "")
                   if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cs"))


def understand(question: str, history: list[str], reports: list[Report]) -> Query | Answer:
    """The query of the conversation's last question, or the answer that says why there is none."""
    if not question or not question.strip():
        return Answer("not_found", "请输入问题，例如：洋湖乡2023年收到多少政府信息公开申请？")
    if len(question) > MAX_QUESTION_CHARS:
        return Answer("not_found", f"问题太长（{len(question)} 字）。请用一句话提问，不超过 {MAX_QUESTION_CHARS} 字。")
    if not reports:
        return Answer("not_found", "库中还没有任何报告。请先用 reportqa ingest 导入年度报告。")
    english = is_english(question)
    if english:  # read as the Chinese question it asks; the answer says how it was read
        question = to_chinese(question, reports)
    query = parse_conversation(question, history, reports)
    query.reading_note = _resolve_relative_year(query, reports)
    if english:
        query.reading_note = f"（英文问题按中文理解为：“{question}”。）" + query.reading_note
        query.english = True
    return query


def _resolve_relative_year(query: Query, reports: list[Report]) -> str:
    """去年 / 今年 / 前年 mean a year relative to the newest report the store holds for that agency; the note says
    how it was read."""
    if query.relative_year is None or query.years or not query.agencies:
        return ""
    held = [r.year for r in reports if r.agency in query.agencies and r.year]
    if not held:
        return ""
    newest = max(held)
    year = newest + query.relative_year
    if query.intent == "change" or (query.relative_year == 0):
        year = newest
    query.years, query.year = [year], year
    return f"（按库中该机关最新的报告 {newest} 年理解，问题中的相对年份指 {year} 年。）"
