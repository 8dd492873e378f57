"""Read a question into a structured query: agencies, year, metrics, column.

The vocabulary is the metric catalogue's (`index.catalogue`); agency names and short forms are the store's.
Built to grow (follow-ups, comparisons, trends come later): parsing only says what the question names and
never looks values up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.catalogue import COLUMNS, GENERIC_REQUEST_WORDS, GROUP_MEMBERS, GROUP_SYNONYMS, GROUPS, METRICS, children
from index.metadata import place_names
from index.normalize import compact
from index.store import Report

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_SHORT = re.compile(r"(?<!\d)(\d{2})\s*年")
_YEAR_CN = re.compile(r"([〇零○一二三四五六七八九]{4})年")
# an agency-looking name in a question (for saying "not in the store" rather than guessing another agency)
_AGENCY_WORD = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|乡|镇|街道|局|委员会|委|厅|办公室|办|政府|管委会)")
_NOT_AGENCY = ("收到", "申请", "公开", "行政", "复议", "诉讼", "处理", "办理", "结转", "多少", "几", "哪")

@dataclass
class Query:
    text: str
    year: int | None = None
    agencies: list[str] = field(default_factory=list)  # agency names as stored
    agency_mention: str = ""  # the words of the question that named it
    fuzzy_agency: bool = False  # matched with one character different (沭阳 ~ 沐阳)
    unknown_agency: str = ""  # an agency-looking name that matches nothing stored
    metrics: list[str] = field(default_factory=list)
    column: str | None = None
    column_named: bool = False


def normalise_question(text: str) -> str:
    return compact(text)


def parse_year(text: str) -> int | None:
    m = _YEAR_CN.search(text)
    if m:
        return int("".join(_CN_DIGITS[ch] for ch in m.group(1)))
    m = _YEAR_FULL.search(text)
    if m:
        return int(m.group(1))
    m = _YEAR_SHORT.search(text)
    if m:
        return 2000 + int(m.group(1))
    return None


def _alias_index(reports: list[Report]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for report in reports:
        for alias in [report.agency] + report.aliases:
            index.setdefault(compact(alias), set()).add(report.agency)
    return index


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def find_agencies(text: str, reports: list[Report]) -> tuple[list[str], str, bool]:
    """(agencies, mention, fuzzy). The longest alias found wins. When none is found, the question may name only
    the place a department belongs to (沭阳 → 沭阳县发展和改革局) or name an agency with one character
    different (OCR slips such as 沐阳 for 沭阳; the last character must agree): all such agencies are returned,
    for the year to settle or the answer to list."""
    index = _alias_index(reports)
    found = [alias for alias in index if alias in text]
    if found:
        best = max(found, key=len)
        return sorted(index[best]), best, False
    agencies: set[str] = set()
    mention, fuzzy = "", False
    for report in reports:
        for place in place_names(report.agency):
            if place in text:
                agencies.add(report.agency)
                mention = mention or place
    for alias in sorted(index, key=len, reverse=True):
        if len(alias) < 2:
            continue
        for i in range(len(text) - len(alias) + 1):
            window = text[i:i + len(alias)]
            if _one_off(window, alias) and window[-1] == alias[-1]:
                agencies |= index[alias]
                mention, fuzzy = mention or window, True
                break
        if fuzzy:
            break
    return sorted(agencies), mention, fuzzy


def _longest_match(text: str, words) -> int:
    return max((len(w) for w in words if w and w in text), default=0)


def find_metrics(text: str) -> list[str]:
    scored: list[tuple[int, str]] = []
    for metric in METRICS.values():
        words = metric.synonyms + tuple(k for k in metric.keys if not metric.exact_key)
        if metric.id == "t3.new":
            strong = tuple(w for w in words if w not in GENERIC_REQUEST_WORDS)
            score = _longest_match(text, strong) or (_longest_match(text, GENERIC_REQUEST_WORDS) and 1)
        else:
            score = _longest_match(text, words)
        if score:
            scored.append((score, metric.id))
    for group, words in GROUP_SYNONYMS.items():
        score = _longest_match(text, words)
        if score:
            scored.append((score, group))
    if not scored:
        return []
    best_score = max(s for s, _ in scored)
    best = [m for s, m in scored if s == best_score]
    # a generic "申请" question is about 本年新收 only when nothing more specific is named
    if len(best) > 1 and "t3.new" in best:
        best.remove("t3.new")
    metric = best[0]
    if metric in GROUP_MEMBERS:
        return list(GROUP_MEMBERS[metric])
    if metric in GROUPS and metric not in METRICS:
        return [m.id for m in children(metric)]
    return [metric]  # a row (t3.other is a row and a group: the row is asked first, its sub-rows below)


def find_column(text: str, metrics: list[str]) -> tuple[str | None, bool]:
    allowed: list[str] = []
    for metric_id in metrics:
        for cols in METRICS[metric_id].columns.values():
            allowed.extend(c for c in cols if c not in allowed)
    best, best_len = None, 0
    for column in allowed:
        n = _longest_match(text, COLUMNS[column].synonyms)
        if n > best_len:
            best, best_len = column, n
    if best:
        return best, True
    return None, False


def parse(question: str, reports: list[Report]) -> Query:
    text = normalise_question(question)
    query = Query(text=question)
    query.year = parse_year(text)
    query.agencies, query.agency_mention, query.fuzzy_agency = find_agencies(text, reports)
    query.metrics = find_metrics(text)
    query.column, query.column_named = find_column(text, query.metrics) if query.metrics else (None, False)
    if not query.agencies:
        for m in _AGENCY_WORD.finditer(_YEAR_FULL.sub(" ", text)):
            word = m.group(0)
            if len(word) >= 2 and not any(n in word for n in _NOT_AGENCY):
                query.unknown_agency = word
                break
    return query
