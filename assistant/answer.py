"""Answer a question from the store: every number comes from a stored fact (a table cell, a sentence of the
report's text, or arithmetic on cited cells), with its citation; the number guard checks that last.

Routes: table lookups (here), computed answers (`assistant.analytics`), the report text (`assistant.retrieve`
and `assistant.prose`). Statuses: `answered`; `not_found` (the agency, the year or the figure is not in the store — the answer says what
the store does hold, never a guess); `ambiguous` (the question could mean several reports — they are listed).
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from index.catalogue import (COLUMN_GROUP_SYNONYMS, COLUMN_GROUPS, COLUMNS, GENERIC_TABLE_WORDS, GROUP_MEMBERS,
                             GROUP_SYNONYMS, GROUPS, METRICS, OLD_EQUIVALENTS, OLD_NOT_THE_SAME, PROSE_TERMS, TABLE_NAMES,
                             TEMPLATE_NAMES, TEMPLATE_PRE2019, children)
from index.glued import BLANK
from index.mapping import strip_numbering
from index.normalize import compact
from index.store import FORMAT_RANK, Report, Store
from index.tokenize import base_tokenizer

from assistant.guard import unaccounted_numbers
from assistant.prose import STRONG_BINDING, asked_kind, asks_for_figure, find_figure, parts_named
from assistant.query import Query, parse, parse_conversation
from assistant.retrieve import get_retriever, search_text


MAX_QUESTION_CHARS = 500  # a question, not a document: also bounds the cost of parsing


@dataclass
class Answer:
    status: str  # answered / not_found / ambiguous
    answer: str
    values: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    query: Query | None = None
    choices: list[str] = field(default_factory=list)  # for ambiguous: what the user can pick
    accounted: list[str] = field(default_factory=list)  # stored records quoted in the text (勾稽 findings)

    def to_dict(self) -> dict:
        return {"status": self.status, "answer": self.answer, "values": self.values, "citations": self.citations}


def _years(reports: list[Report]) -> str:
    return "、".join(str(y) for y in sorted({r.year for r in reports if r.year}))


def _agency_list(reports: list[Report]) -> str:
    seen = []
    for r in reports:
        if r.agency not in seen:
            seen.append(r.agency)
    return "、".join(seen)


def cell_citation(report: Report, fact, decoded=None) -> dict:
    """Where a cell stands; for a cell decoded from glued text, also the glued digits it came from, how it was
    decided, and (when undecided) every candidate."""
    metric = METRICS[fact["metric"]]
    extra = {}
    if decoded is not None:
        extra = {"source": decoded["source"], "decoding": decoded["reason"],
                 "candidates": json.loads(decoded["candidates"]) if decoded["value"] is None else []}
    return extra | {
        "report": report.source_name,
        "report_id": report.id,
        "agency": report.agency,
        "year": report.year,
        "section": fact["section"],
        "table": TABLE_NAMES[metric.table],
        "table_number": fact["table_ord"] + 1,  # the n-th table in the file
        "row": fact["row_label"],
        "column": fact["column_label"],
        "grid_row": fact["grid_row"] + 1,
        "grid_col": fact["grid_col"] + 1,
        "page": fact["page"],
        "printed": fact["raw"],
        "metric": fact["metric"],
        "col": fact["col"],
    }


LOST_CELL = "（缺失的一格，数值未知）"


def candidate_text(value: str) -> str:
    """A candidate reading as shown: "" is a cell the printed row lost (index.repair), not a blank cell."""
    return "留空" if value == BLANK else value or LOST_CELL


def _value_sentence(report: Report, fact, decoded=None) -> str:
    metric = METRICS[fact["metric"]]
    where = f"{metric.label}（{COLUMNS[fact['col']].label}）"
    if decoded is not None and decoded["value"] is None:
        candidates = [candidate_text(c) for c in json.loads(decoded["candidates"])]
        shown = "、".join(candidates[:8]) + ("等" if len(candidates) > 8 else "")
        return (f"{where}一格无法确定：报告原文此处印为“{decoded['source']}”，"
                f"可读作 {shown}（共 {len(candidates)} 种）；{decoded['reason']}")
    if decoded is not None and decoded["value"] == BLANK:
        return (f"{where}一格在报告中留空，没有填写数字（留空不等于零；原文此行印为“{decoded['source']}”，"
                f"{decoded['reason']}）")
    if decoded is not None and fact["raw"] == "":
        return f"{where}一格在原文中缺失，数值未知（原文此行印为“{decoded['source']}”，{decoded['reason']}）"
    if decoded is not None:
        return f"{where}为 {fact['raw']} {fact['unit']}（原文此处印为“{decoded['source']}”，{decoded['reason']}）"
    if fact["raw"] == "":
        return f"{where}一格在报告中留空，没有填写数字（留空不等于零）"
    if fact["number"] is None:
        return f"{where}一格报告印为“{fact['raw']}”，不是数字"
    return f"{where}为 {fact['raw']} {fact['unit']}"


def asks_about_prose(text: str) -> bool:
    """Words that look like a table row but name something only the text reports (信息处理费 is not 行政事业性收费)."""
    return any(term in compact(text) for term in PROSE_TERMS)


def answer_question(question: str, store: Store, history: list[str] | None = None) -> Answer:
    """Answer one question; `history` holds the conversation's earlier questions, oldest first, so that
    follow-ups ("那2023年呢？", "商业企业呢？", "和上海比呢？") keep what was already said.

    The number guard runs last: an answer with a number that nothing stored accounts for is not shown."""
    question = clean_question(question)
    history = [clean_question(h) for h in history or []]
    answer = _answer(question, store, history)
    if answer.status == "answered":
        stray = unaccounted_numbers(answer, question, {r.year for r in store.reports() if r.year})
        if stray:
            return Answer("not_found", "这个回答里有无法核对出处的数字（" + "、".join(stray) + "），已拦下，不予显示。"
                          "请换个问法，或用 reportqa show 查看原表。", query=answer.query)
    return answer


def clean_question(text: str) -> str:
    """What a question may carry from a browser or a terminal, minus what no question means: control characters
    (NUL, escape sequences, bells) and lone UTF-16 surrogates, which the tokenizers and the terminal refuse."""
    return "".join(ch for ch in str(text or "")
                   if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cs"))


def _answer(question: str, store: Store, history: list[str] | None) -> Answer:
    reports = store.reports()
    if not question or not question.strip():
        return Answer("not_found", "请输入问题，例如：洋湖乡2023年收到多少政府信息公开申请？")
    if len(question) > MAX_QUESTION_CHARS:
        return Answer("not_found", f"问题太长（{len(question)} 字）。请用一句话提问，不超过 {MAX_QUESTION_CHARS} 字。")
    if not reports:
        return Answer("not_found", "库中还没有任何报告。请先用 reportqa ingest 导入年度报告。")
    query = parse_conversation(question, history or [], reports)
    relative_note = _resolve_relative_year(query, reports)
    answer = _answer_query(query, store, reports)
    if relative_note and answer.status != "ambiguous":
        answer.answer = relative_note + answer.answer
    return answer


def _resolve_relative_year(query: Query, reports: list[Report]) -> str:
    """去年 / 今年 / 前年 mean a year relative to the newest report the store holds for that agency; the
    answer says how it was read."""
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


def _answer_query(query: Query, store: Store, reports: list[Report]) -> Answer:
    if not query.metrics and not query.agencies and query.year is None and not query.unknown_agency:
        if any(w in compact(query.text) for w in ("它", "其", "呢", "两家", "这个", "那个", "该")):
            return Answer("ambiguous", "这个问题接着前面的话题，但没有前面的问题可参照：请说明是哪个机关、哪一年、"
                                       "哪项数据。", query=query)
        results = get_retriever(store).search(search_text(compact(query.text), []), None, k=3)
        if not _shares_a_word(compact(query.text), results):
            return Answer("not_found", "抱歉，这个问题不在政府信息公开工作年度报告的范围内。可以问各机关年报里的数据和"
                                       "情况，例如：洋湖乡2023年收到多少政府信息公开申请？", query=query)
    if query.column in COLUMN_GROUPS and query.intent not in ("lookup", "sum"):
        from assistant.analytics import column_group_not_computed
        return column_group_not_computed(query)
    if query.metrics and query.intent in ("change", "compare", "trend", "rank"):
        from assistant.analytics import answer_across_reports
        computed = answer_across_reports(query, store)
        if computed is not None:
            return computed
    candidates = _resolve_reports(query, reports)
    if isinstance(candidates, Answer):
        return candidates
    if asked_kind(compact(query.text)) == "duration" or parts_named(query):
        # no standard table counts time, nor a part of the agency (各乡镇): only a sentence that says so answers
        return answer_from_text(query, candidates, store)
    old_rows = all(m.startswith("old.") for m in query.metrics)
    old_reports = all(r.template == TEMPLATE_PRE2019 for r in candidates)
    old_table = old_rows and old_reports  # its row words (政府网站公开数) are prose words in 2019+ reports
    if not query.metrics or (asks_about_prose(query.text) and not old_table) or (old_rows and not old_reports):
        # rows only the old statistics tables have (主动公开信息数 …): the 2019+ reports state them in prose
        return answer_from_text(query, candidates, store)
    if asks_for_figure(query.text) and _words_beyond_the_table(query) and not old_table:
        # the question says more than its table row ("区政府办代表区政府受理…多少件", "主动公开了多少条政府信息"):
        # when the text binds a figure strongly to those words, that figure is what was asked
        prose = answer_from_text(query, candidates, store, strong_only=True)
        if prose is not None:
            return prose
    answer = _answer_from_tables(query, candidates, store)
    if answer.status == "not_found" and old_reports and old_rows:
        # a row this old table does not have (信函申请 where it prints 信函、传真申请): the text may state it
        return answer_from_text(query, candidates, store)
    return answer


@lru_cache(maxsize=1)
def _table_vocabulary() -> frozenset[str]:
    """Every word the catalogue accounts for: labels, keys and synonyms of rows and columns."""
    explained = set(GENERIC_TABLE_WORDS)
    for words in list(GROUP_SYNONYMS.values()) + list(COLUMN_GROUP_SYNONYMS.values()):
        explained.update(words)
    for metric in METRICS.values():
        explained.update(metric.synonyms + metric.keys + (compact(metric.label),))
    for column in COLUMNS.values():
        explained.update(column.synonyms)
    return frozenset(explained)


def _words_beyond_the_table(query: Query) -> list[str]:
    """The question's content words that no catalogue word and no agency or year word accounts for."""
    text = search_text(compact(query.text), [query.agency_mention])
    explained = _table_vocabulary()

    def accounted_for(token: str) -> bool:
        covered = [False] * len(token)
        for w in explained:
            if len(w) >= 2:
                at = token.find(w)
                while at >= 0:
                    covered[at:at + len(w)] = [True] * len(w)
                    at = token.find(w, at + 1)
        return all(covered) or any(token in w for w in explained if len(w) > len(token))

    return [t for t in base_tokenizer().tokens(text) if t not in explained and not accounted_for(t)]


def _resolve_reports(query: Query, reports: list[Report]) -> list[Report] | Answer:
    """The reports the question can be about, or a not_found answer saying what the store holds."""
    if query.agencies:
        candidates = [r for r in reports if r.agency in query.agencies]
    elif query.unknown_agency:
        return Answer("not_found", f"库中没有“{query.unknown_agency}”的年度报告。库中现有：{_agency_list(reports)}。",
                      query=query)
    else:
        candidates = reports if query.year is None else [r for r in reports if r.year == query.year]
        if not candidates:
            return Answer("not_found", f"库中没有{query.year}年的报告。库中报告的年份：{_years(reports)}。",
                          query=query)
    if query.year is not None:
        in_year = [r for r in candidates if r.year == query.year]
        if not in_year:
            return Answer("not_found", f"库中没有{_agency_list(candidates)}{query.year}年的报告；"
                                       f"库中该机关的报告年份：{_years(candidates)}。", query=query)
        candidates = in_year
    return candidates


def _ambiguous(query: Query, candidates: list[Report]) -> Answer | None:
    agencies = {r.agency for r in candidates}
    years = {r.year for r in candidates}
    if len(agencies) == 1 and len(years) == 1:
        return None
    choices = sorted({f"{r.agency} {r.year}年" for r in candidates})
    hint = "请说明是哪个机关、哪一年" if len(agencies) > 1 else "请说明是哪一年"
    return Answer("ambiguous", f"这个问题可能指以下几份报告，{hint}：" + "；".join(choices) + "。",
                  query=query, choices=choices)


def _report_label(query: Query, report: Report) -> str:
    label = f"{report.agency} {report.year}年"
    if query.fuzzy_agency:
        label += f"（问题中的“{query.agency_mention}”按库中名称“{report.agency}”理解）"
    return label


@dataclass
class Cell:
    """A stored table cell with the reading it came from: the operand of every table answer."""
    report: Report
    fact: object  # sqlite3.Row of the facts table
    decoded: object = None  # sqlite3.Row of decoded_cells, for a cell read from glued text

    @property
    def uncertain(self) -> bool:
        return self.decoded is not None and self.decoded["value"] is None

    @property
    def metric(self) -> str:
        return self.fact["metric"]

    @property
    def number(self) -> Decimal | None:
        return None if self.fact["number"] is None else Decimal(self.fact["number"])

    def value(self) -> dict:
        citation = cell_citation(self.report, self.fact, self.decoded)
        return {"value": self.fact["number"], "raw": self.fact["raw"], "unit": self.fact["unit"],
                "metric": self.metric, "column": self.fact["col"], "report": self.report.source_name,
                "citation": citation}

    def warnings(self, store: Store) -> list[str]:
        return [f"注意：此格涉及一处勾稽不符——{f['message']}（按原文照录，未作更正）"
                for f in store.findings_for_cell(self.report.id, self.metric, self.fact["col"])]


def best_first(readings: list[Report]) -> list[Report]:
    return sorted(readings, key=lambda r: (FORMAT_RANK.get(r.format, 9), r.id))


def find_cell(store: Store, readings: list[Report], metric_id: str, column: str | None) -> Cell | None:
    """The cell of one agency-year from its best reading that holds it. An unnamed or inapplicable column means
    the row's 总计 (or its only column)."""
    metric = METRICS[metric_id]
    if column in COLUMN_GROUPS:
        return None  # several columns: answered as their sum (analytics.answer_column_group), never as one cell
    for reading in best_first(readings):
        columns = metric.columns.get(reading.template, ())
        chosen = column if column in columns else ("total" if "total" in columns else (columns[0] if columns else None))
        if chosen is None:
            continue
        fact = store.fact(reading.id, metric_id, chosen)
        if fact is not None:
            return Cell(reading, fact, store.decoded_cell(reading.id, metric_id, chosen))
    return None


def other_readings(store: Store, cell: Cell, readings: list[Report]) -> tuple[list[Cell], list[str]]:
    """The same cell in the other readings of the same report (its web page and its scraped text, say): cited
    beside it, and any disagreement said."""
    same, notes = [], []
    for reading in readings:
        if reading.id == cell.report.id or (reading.agency, reading.year) != (cell.report.agency, cell.report.year):
            continue
        fact = store.fact(reading.id, cell.metric, cell.fact["col"])
        if fact is None:
            continue
        other = Cell(reading, fact, store.decoded_cell(reading.id, cell.metric, cell.fact["col"]))
        same.append(other)
        if not other.uncertain and fact["number"] != cell.fact["number"]:
            notes.append(f"注意：同一报告的另一版本 {reading.source_name} 此格为“{fact['raw']}”，与 "
                         f"{cell.report.source_name} 的“{cell.fact['raw']}”不一致（两者均按原文照录）")
    return same, notes


def old_rows_for(metric_ids: list[str]) -> tuple[list[str], list[str]]:
    """2021-template rows asked of a report before 2019: the old statistics-table rows that count the same thing
    (said in the answer), the rest kept as asked (answered not_found, with the reason)."""
    asked = list(metric_ids)
    if set(asked) == set(GROUP_MEMBERS["t4.litigation"]):
        asked = ["t4.litigation"]  # 行政诉讼 as a whole: the old table's 行政诉讼数
    rows, said = [], []
    for metric_id in asked:
        if metric_id.startswith("old."):
            rows.append(metric_id)
            continue
        new = metric_id if metric_id in OLD_EQUIVALENTS else METRICS[metric_id].parent
        old = OLD_EQUIVALENTS.get(new or "")
        if old is None:
            rows.append(metric_id)
        elif old not in rows:
            rows.append(old)
            said.append(f"（该报告为{TEMPLATE_NAMES[TEMPLATE_PRE2019]}，没有“{_new_label(new)}”一项；按其统计表的"
                        f"“{strip_numbering(METRICS[old].label)}”作答，二者统计的是同一数量）")
    return rows, said


def _new_label(metric_id: str) -> str:
    return GROUPS.get(metric_id) or ("行政诉讼" if metric_id == "t4.litigation" else METRICS[metric_id].label)


def _answer_from_tables(query: Query, candidates: list[Report], store: Store) -> Answer:
    unclear = _ambiguous(query, candidates)
    if unclear:
        return unclear
    readings = best_first(candidates)
    if query.column in COLUMN_GROUPS:
        from assistant.analytics import answer_column_group
        return answer_column_group(query, store, readings)
    if query.intent in ("share", "sum"):
        from assistant.analytics import answer_share, answer_sum
        return (answer_share if query.intent == "share" else answer_sum)(query, store, readings)
    report_label = _report_label(query, readings[0])
    sentences, values, warnings, extra_citations, uncertain = [], [], [], [], []
    missing = []
    pending, stand_ins = list(query.metrics), []
    if readings[0].template == TEMPLATE_PRE2019:
        pending, stand_ins = old_rows_for(pending)
    while pending:
        metric_id = pending.pop(0)
        cell = find_cell(store, readings, metric_id, query.column)
        if cell is None:
            if metric_id in GROUPS:  # (六) asked of a report that prints its sub-rows instead
                pending[:0] = [m.id for m in children(metric_id)]
            else:
                missing.append(METRICS[metric_id])
            continue
        sentences.append(_value_sentence(cell.report, cell.fact, cell.decoded))
        values.append(cell.value())
        warnings.extend(cell.warnings(store))
        also, disagreements = other_readings(store, cell, readings)
        extra_citations.extend(c.value()["citation"] for c in also)
        warnings.extend(disagreements)
        uncertain.append(cell.uncertain)
    if not values:
        return Answer("not_found", _why_missing(store, report_label, readings, missing), query=query)
    text = f"{report_label}：" + "；".join(sentences) + "。" + "".join(stand_ins)
    if query.column_named and query.column and all(v["column"] != query.column for v in values):
        text += f"（该项没有“{COLUMNS[query.column].label}”这一列，给出的是{COLUMNS[values[0]['column']].label}。）"
    if missing:
        text += "报告中没有读到：" + "、".join(m.label for m in missing) + "。"
    if warnings:
        text += "\n" + "\n".join(dict.fromkeys(warnings))
    citations = [v["citation"] for v in values] + extra_citations
    if all(uncertain):  # never presented as certain: the reader is shown every candidate and the source digits
        return Answer("ambiguous", text, values, citations, query=query, accounted=warnings + stand_ins,
                      choices=[c for v in values for c in v["citation"].get("candidates", [])])
    return Answer("answered", text, values, citations, query=query, accounted=warnings + stand_ins)


def _one_reading_each(candidates: list[Report]) -> dict[tuple, Report]:
    """One reading per agency-year: the structured one (the scraped text of the same report repeats it)."""
    readings: dict[tuple, Report] = {}
    for r in best_first(candidates):
        readings.setdefault((r.agency, r.year), r)
    return readings


_GENERIC_PROSE_WORDS = set(GENERIC_TABLE_WORDS) | {"工作", "报告", "年度", "全年", "政府", "单位", "部门", "我们"}


def _shares_a_word(text: str, results) -> bool:
    """Whether a content word of the question (not a name, not a word every report uses) is in the passages."""
    names = {compact(n) for r in results for n in [r.report.agency] + r.report.aliases}
    words = [w for w in base_tokenizer().tokens(text) if len(w) >= 2 and w not in _GENERIC_PROSE_WORDS
             and not any(w in n for n in names)]
    found = "".join(compact(r.section + r.text) for r in results)
    return any(w in found for w in words)


def find_passages(question: str, store: Store, k: int = 10, mode: str = "hybrid") -> list | Answer:
    """The ranked passages a question retrieves, with the same filters `answer_question` applies (for the
    retrieval dev set and `reportqa search`), or the not_found answer when the filters match no report."""
    query = parse(question, store.reports())
    candidates = _resolve_reports(query, store.reports())
    if isinstance(candidates, Answer):
        return candidates
    text = search_text(compact(query.text), [query.agency_mention])
    return get_retriever(store).search(text, [r.id for r in _one_reading_each(candidates).values()], k=k, mode=mode)


def answer_from_text(query: Query, candidates: list[Report], store: Store, k: int = 3,
                     strong_only: bool = False) -> Answer | None:
    """Retrieve passages of the candidate reports; give a figure only where a sentence binds it to the question.
    With strong_only, answer only with a strongly bound figure (else None: the caller answers from tables)."""
    figure_wanted = asks_for_figure(query.text)
    if figure_wanted:
        unclear = _ambiguous(query, candidates)
        if unclear:
            return None if strong_only else unclear
    readings = _one_reading_each(candidates)
    text = search_text(compact(query.text), [query.agency_mention])
    results = get_retriever(store).search(text, [r.id for r in readings.values()], k=max(k, 5))
    # dense similarity alone does not tell an unrelated question from a related one (e5's cosines sit between
    # 0.8 and 0.9 for both): some content word of the question must occur in the passages found
    if not _shares_a_word(text, results[:k]):
        results = []
    if not results and strong_only:
        return None
    if not results:
        scope = "、".join(f"{a} {y}年" for a, y in readings) if len(readings) <= 5 else f"{len(readings)} 份报告"
        return Answer("not_found", f"在{scope}的报告正文中没有找到与这个问题相关的内容。", query=query)
    quoted = results[:k]
    citations = [r.citation() for r in quoted]
    if figure_wanted:
        figure, bound = find_figure(query, text, results)
        if strong_only and bound < STRONG_BINDING:
            return None
        if figure is not None:
            citation = dict(figure.result.citation(), sentence=figure.sentence)
            value = {"value": figure.value, "raw": figure.value, "unit": figure.unit, "metric": "prose",
                     "column": None, "report": figure.result.report.source_name, "citation": citation}
            others = [c for c in citations if c["text"] != citation["text"]]
            answer = (f"{_report_label(query, figure.result.report)}：报告原文写道“{figure.sentence}”"
                      f"——即 {figure.value} {figure.unit}。")
            return Answer("answered", answer, [value], [citation] + others, query=query)
    if strong_only:
        return None
    lines = [f"{i}. {r.report.agency} {r.report.year}年 · {r.section or '正文'}：“{r.text}”"
             for i, r in enumerate(quoted, 1)]
    if figure_wanted:  # no sentence binds a number to what was asked: not found, the passages only suggestions
        return Answer("not_found", "报告正文中没有一句话给出所问的这个数字；以下原文可能有关，供参考：\n"
                      + "\n".join(lines), [], citations, query=query)
    return Answer("answered", "报告原文中最相关的段落：\n" + "\n".join(lines), [], citations, query=query)


def _why_missing(store: Store, report_label: str, readings: list[Report], missing) -> str:
    labels = "、".join(m.label for m in missing)
    if all(r.template == TEMPLATE_PRE2019 for r in readings):
        closest = [OLD_NOT_THE_SAME[m.id] for m in missing if m.id in OLD_NOT_THE_SAME]
        why = (f"其统计表只有“{'、'.join(dict.fromkeys(strip_numbering(METRICS[o].label) for o in closest))}”，"
               "与所问的不是同一数量，不拿来代替" if closest else "其统计表没有与之相当的一项")
        return (f"{report_label}的报告是{TEMPLATE_NAMES[TEMPLATE_PRE2019]}，没有“{labels}”这一项：{why}。")
    unread = [r.source_name for r in readings if store.fact_count(r.id) == 0]
    reason = ""
    if unread:
        reason = "（" + "、".join(unread) + " 的表格未能逐格读出：原文表格残缺，无法对上标准表格的行和列）"
    return f"{report_label}的报告中没有读到“{labels}”这一格{reason}。"


def answer_json(answer: Answer) -> str:
    return json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)
