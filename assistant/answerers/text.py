"""The text answerers: a figure the report's text binds to what was asked (`assistant.prose`), else the passages
that retrieval finds (`assistant.retrieve`); and the scope check for a question that names no agency, year or
figure (is it about these reports at all?).

A figure is given only where its sentence binds it to the question's words; otherwise the passages are offered
as suggestions under a not_found status, never as an answer.
"""
from __future__ import annotations

import re

from index.catalogue import GENERIC_TABLE_WORDS
from index.embedding import DEFAULT_MODEL, try_encoder
from index.normalize import compact, term_key
from index.passages import split_sentences
from index.store import Store
from index.tokenize import base_tokenizer

from assistant.arithmetic import change_formula, fmt, signed
from assistant.evidence import Answer, computed_value, one_reading_each, report_label, several_reports
from assistant.plan import Plan, Step, department_named, resolve_reports
from assistant.prose import (STRONG_BINDING, asks_for_figure, asks_tersely, bigram_share, bigram_weights, figure_fits,
                             figure_number, find_figure)
from assistant.query import compares_two_years, normalise_question, parse
from assistant.retrieve import get_retriever, search_text

_GENERIC_PROSE_WORDS = set(GENERIC_TABLE_WORDS) | {"工作", "报告", "年度", "全年", "政府", "单位", "部门", "我们", "对外"}
# The most reports one text question searches. Past it (a national store holds 100,000 reports a year) a question
# that names no agency is asked to name one: a few passages out of so many answer nobody, and ranking every
# passage of the store costs seconds in PostgreSQL (docs/scaling.md). A county's or a province's store is below it.
TEXT_SCOPE_MAX = 10_000


def asked_without_agency(query) -> str:
    """The question as normalised, its agency's words cut out (they are no part of what is asked)."""
    asked = normalise_question(query.text)
    return asked.replace(query.agency_mention, "，") if query.agency_mention else asked


def answer(route: Plan, step: Step, store: Store, k: int = 3) -> Answer | None:
    """Retrieve passages of the candidate reports; give a figure only where a sentence binds it to the question.
    With step.strong_only, answer only with a strongly bound figure (else None: a later step answers)."""
    query, candidates, strong_only = route.query, route.reports, step.strong_only
    readings = one_reading_each(candidates)
    if len(readings) > TEXT_SCOPE_MAX:
        where = f"{query.year}年的" if query.year is not None else ""
        return None if strong_only else Answer(
            "ambiguous", f"这个问题没有指明机关，要在库中 {len(readings):,} 份{where}报告的正文里查找。请说明是哪个机关"
                         "的报告（在问题里加上机关名称）。", query=query)
    # 有没有收信息处理费 of one report: 有/没有 by its figure; of many, the passages that say it for each
    figure_wanted = asks_for_figure(query.text) or asks_tersely(query.text) or query.intent == "share" \
        or (query.asks_if_any and len(readings) == 1)
    if step.suggest_only:  # no figure of the text answers it (上半年 of a yearly count, a row denied): leads only
        figure_wanted = False
    if figure_wanted and not strong_only:
        across = _across(query, store)
        if across is not None:
            return across
    if figure_wanted:
        unclear = several_reports(query, candidates)
        if unclear:
            return None if strong_only else unclear
    text = search_text(compact(query.text), [query.agency_mention])
    results = get_retriever(store).search(text, [r.id for r in readings.values()], k=max(k, 5))
    in_section = _problems_section(query, text, store, [r.id for r in readings.values()]) if not figure_wanted else []
    if in_section:  # 还有什么不足 / 下一步怎么改进: the template's section on problems and improvements answers it
        results = in_section + [r for r in results if all(r.text != s.text for s in in_section)]
    # dense similarity alone does not tell an unrelated question from a related one (e5's cosines sit between
    # 0.8 and 0.9 for both): some content word of the question must occur in the passages found
    elif not shares_a_word(text, results[:k]):
        results = []
    department = department_named(query)
    if department:  # 平潭区财政金融局 of 平潭's report: only what its passages say of that unit
        results = [r for r in results if bigram_share(department, r.section + r.text) >= 0.5]
        places = "、".join(dict.fromkeys(r.agency for r in readings.values()))
        if not results:
            return Answer("not_found", f"库中没有“{query.unknown_agency}”的年度报告，{places}的报告正文中也没有写到"
                                       f"“{department}”与这个问题相关的内容。", query=query)
        query.reading_note = f"（库中没有“{query.unknown_agency}”自己的年度报告；以下据{places}报告正文中写到“{department}”的内容。）"
    if not results and strong_only:
        return None
    if not results:
        scope = "、".join(f"{a} {y}年" for a, y in readings) if len(readings) <= 5 else f"{len(readings)} 份报告"
        return Answer("not_found", f"在{scope}的报告正文中没有找到与这个问题相关的内容。", query=query)
    quoted = results[:k]
    citations = [r.citation() for r in quoted]
    if figure_wanted:
        figure, bound = find_figure(query, text, results, weights=_weights(store), similarity=_similarity(text))
        if figure is not None and not figure_fits(asked_without_agency(query), figure):
            figure = None  # one of the parts of a sum asked, a count for a share: no figure rather than that one
        if figure is not None and department and not _said_of(department, figure):
            figure = None  # "…较大部门是县教育局、公安局…": the place's figure, not the unit's
        if figure is not None and step.period and step.period not in term_key(figure.clause):
            figure = None  # 上半年 asked: a figure printed without it is the year's
        # 办结率是多少 and a percentage the rules bind to it (办结率100%): the rate the report prints
        rate_printed = step.rate_printed and figure is not None and figure.unit in ("%", "％")
        if strong_only and ((bound < STRONG_BINDING and not rate_printed) or (figure is not None and figure.rivals)):
            return None
        if figure is not None and figure.rivals:  # two figures of the text fit alike: which one is meant
            return _which_figure(query, [figure] + figure.rivals, citations)
        if figure is not None:
            citation = dict(figure.result.citation(), sentence=figure.sentence)
            value = {"value": figure.value, "raw": figure.value, "unit": figure.unit, "metric": "prose",
                     "column": None, "report": figure.result.report.source_name, "citation": citation}
            others = [c for c in citations if c["text"] != citation["text"]]
            said = (f"{report_label(query, figure.result.report)}：报告原文写道“{figure.sentence}”"
                    f"——即 {figure.value}{' ' + figure.unit if figure.unit else ''}。")
            if query.asks_if_any:  # 有没有收信息处理费 → 有。… 380 元
                said = ("有。" if figure_number(figure.value) > 0 else "没有。") + said
            return Answer("answered", said, [value], [citation] + others, query=query)
    if query.asks_if_any and figure_wanted and not strong_only:
        denied = _denial(text, quoted)
        if denied is not None:  # 有没有收信息处理费 → 没有：“2022年，无收取信息处理费情况。”
            result, sentence = denied
            citation = dict(result.citation(), sentence=sentence)
            return Answer("answered", f"没有。{report_label(query, result.report)}：报告原文写道“{sentence}”。",
                          [], [citation] + [c for c in citations if c["text"] != citation["text"]], query=query)
    if strong_only:
        return None
    lines = [f"{i}. {r.report.agency} {r.report.year}年 · {r.section or '正文'}：“{r.text}”"
             for i, r in enumerate(quoted, 1)]
    if step.suggest_only:
        return Answer("not_found", "报告正文中没有直接回答这个问题的内容；以下原文可能有关，供参考：\n"
                      + "\n".join(lines), [], citations, query=query)
    if figure_wanted:  # no sentence binds a number to what was asked: not found, the passages only suggestions
        return Answer("not_found", "报告正文中没有一句话给出所问的这个数字；以下原文可能有关，供参考：\n"
                      + "\n".join(lines), [], citations, query=query)
    return Answer("answered", "报告原文中最相关的段落：\n" + "\n".join(lines), [], citations, query=query)


_PROBLEMS = re.compile(r"问题|不足|短板|差距|薄弱|改进|下一步|明年|打算|计划|整改")
_PROBLEMS_SECTION = re.compile(r"问题|改进")


_UNIT_NAMED = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:局|委员会|办公室|中心)")


def _said_of(department: str, figure) -> bool:
    """Whether the last unit its passage names up to the figure's sentence is the unit asked (区财政金融局…今年累计公开
    政府采购项目信息2536条), so that the figure is what that unit did."""
    text, sentence = figure.result.text, figure.sentence.strip()
    at = text.find(sentence)
    units = _UNIT_NAMED.findall(text[:at + len(sentence)] if at >= 0 else text)
    return bool(units) and bigram_share(department, units[-1]) >= 0.5


def _problems_section(query, text: str, store: Store, report_ids: list[int]) -> list:
    """For a question about shortcomings or plans, the passages of the report's section 五、存在的主要问题及改进情况,
    best first."""
    if not _PROBLEMS.search(normalise_question(query.text)):
        return []
    found = get_retriever(store).search(text, report_ids, k=20)
    return [r for r in found if _PROBLEMS_SECTION.search((r.section or "").split(" › ")[0])][:3]


_DENIAL = re.compile(r"未|无|没有|不存在|均未")


def _denial(text: str, results) -> tuple | None:
    """(result, sentence): a sentence saying there was none of what a yes/no question asks about: it holds the
    question's content words (信息处理费) in a clause with a denial (未收取, 无…情况)."""
    words = [w for w in base_tokenizer().tokens(term_key(text)) if len(w) >= 2 and w not in _GENERIC_PROSE_WORDS
             and w not in ("有没有", "没有", "有无", "是否")]
    if not words:
        return None
    for result in results:
        for sentence in split_sentences(result.text):
            for clause in re.split(r"[，,；;。]", term_key(sentence)):
                if _DENIAL.search(clause) and all(w in clause for w in words):
                    return result, sentence.strip()
    return None


def _figure_in(query, report_ids: list[int], store: Store):
    named = {a for group in query.agency_groups for a in group}
    mentions = [query.agency_mention] + [n for r in store.reports().of_agencies(named)
                                         for n in [r.agency] + r.aliases]  # every agency compared, not only one
    text = search_text(compact(query.text), mentions)
    results = get_retriever(store).search(text, report_ids, k=5)
    if not shares_a_word(text, results[:3]):
        return None
    figure, _ = find_figure(query, text, results, weights=_weights(store), similarity=_similarity(text))
    return figure


def _across(query, store: Store) -> Answer | None:
    """A figure only the text states, asked across reports: a change between two years ("专栏访问量2018年比2017年
    增加了多少"), two agencies side by side, or a trend over years. Each report's figure must be bound to the
    question in its own sentence (cited); then the arithmetic. not_found when a report's text does not state it
    (one report's figure is no answer to a question across reports); None when the question is not across
    reports, or names agencies it cannot tell apart (the usual route asks which)."""
    reports = store.reports()
    pairs = _operands(query, reports)
    if pairs is None:
        return None
    if isinstance(pairs, Answer):
        return pairs
    figures = []
    for agency, year in pairs:
        readings = one_reading_each([r for r in reports.of_agencies([agency]) if r.year == year])
        figure = _figure_in(query, [r.id for r in readings.values()], store)
        if figure is None or figure.rivals:
            if len(pairs) > 2:  # a trend: the years whose text states it, and the others said
                continue
            return Answer("not_found", f"{agency} {year}年的报告正文中没有一句话给出所问的这个数字，无法比较。",
                          query=query)
        figures.append((agency, year, figure))
    values, citations, said = [], [], []
    for agency, year, f in figures:
        citation = dict(f.result.citation(), sentence=f.sentence)
        citations.append(citation)
        values.append({"value": f.value, "raw": f.value, "unit": f.unit, "metric": "prose", "column": None,
                       "report": f.result.report.source_name, "citation": citation})
        said.append(f"{agency if len({a for a, _ in pairs}) > 1 else ''}{year}年报告原文写道“{f.sentence}”")
    if len(pairs) > 2:
        missing = [f"{y}年" for a, y in pairs if all((a, y) != (fa, fy) for fa, fy, _ in figures)]
        if len(figures) < 2:
            return Answer("not_found", f"{pairs[0][0]} 各年报告的正文中没有一句话给出所问的这个数字。", query=query)
        listed = "，".join(f"{y}年 {f.value} {f.unit}" for _, y, f in figures)
        absent = [str(y) for y in query.years if all(y != py for _, py in pairs)]
        text = (f"{pairs[0][0]}（各年报告正文所写）：{listed}。" + (f"没有写明的年份：{'、'.join(missing)}。" if missing
                                                              else "")
                + (f"库中没有这些年份的报告：{'、'.join(absent)}。" if absent else "") + "\n" + "\n".join(said))
        return Answer("answered", text, values, citations, query=query, accounted=["、".join(absent)])
    (a_agency, a_year, first), (b_agency, b_year, second) = figures
    if first.unit != second.unit:
        return Answer("not_found", f"两份报告给出的数字单位不同（{first.value} {first.unit}、{second.value} "
                                   f"{second.unit}），无法直接比较。", query=query)
    a, b = figure_number(first.value), figure_number(second.value)
    diff, unit = b - a, second.unit
    formula = change_formula(a, b)
    values.append(computed_value(signed(diff), unit, formula, citations))
    later, earlier = (f"{b_year}年", f"{a_year}年") if a_agency == b_agency else (b_agency, a_agency)
    change = "持平" if diff == 0 else (f"多 {fmt(diff)} {unit}" if diff > 0 else f"少 {fmt(-diff)} {unit}")
    text = f"{'；'.join(reversed(said))}；{later}比{earlier}{change}（{formula}）。"
    return Answer("answered", text, values, citations, query=query)


def _operands(query, reports) -> list[tuple[str, int]] | Answer | None:
    """The (agency, year) reports a question across reports is about, oldest or first named first."""
    groups = [g for g in query.agency_groups if g] or ([query.agencies] if query.agencies else [])
    if len(groups) >= 2 and len(query.years) <= 1:  # two agencies, one year
        if len(groups) > 2:
            return None
        year = query.years[0] if query.years else None
        pairs = []
        for group in groups:
            held = [r for r in reports if r.agency in group and (year is None or r.year == year)]
            agencies = {r.agency for r in held}
            if len(agencies) != 1:
                return None if len(agencies) > 1 else Answer(
                    "not_found", f"库中没有{group[0]}{year or ''}年的报告，无法比较。", query=query)
            newest = max(r.year for r in held)
            pairs.append((agencies.pop(), newest))
        return pairs
    if len(groups) != 1:
        return None

    def held_years(agency: str) -> list[int]:
        return sorted({r.year for r in reports if r.agency == agency and r.year})

    trend = query.since_year is not None or query.recent_years is not None or len(query.years) >= 3
    if not trend and not compares_two_years(query):
        return None
    years = list(query.years)

    def trend_years(agency: str) -> list[int]:
        held = held_years(agency)
        if query.since_year is not None:
            return [y for y in held if y >= query.since_year]
        if query.recent_years:
            return held[-query.recent_years:]
        return [y for y in held if y in years] if years and query.recent_years is None else held

    if trend:  # the years the store holds (the others are said by the answer)
        holding = [a for a in groups[0] if len(trend_years(a)) >= 2]
    else:
        holding = [a for a in groups[0] if all(y in held_years(a) for y in years)]
    if len(holding) != 1:
        if len(holding) > 1 or len(groups[0]) != 1:
            return None
        missing = [str(y) for y in years if y not in held_years(groups[0][0])]
        return Answer("not_found", f"库中没有{groups[0][0]}{'、'.join(missing)}年的报告（库中年份："
                                   f"{'、'.join(map(str, held_years(groups[0][0])))}），无法比较。", query=query)
    agency = holding[0]
    return [(agency, y) for y in sorted(trend_years(agency) if trend else years)]


def _which_figure(query, figures, citations) -> Answer:
    """Several figures of the text are bound to the question about equally well: each with the words it counts
    and its sentence, for the asker to say which is meant (no figure is given as the answer)."""
    cited = []
    lines = []
    for i, f in enumerate(figures, 1):
        citation = dict(f.result.citation(), sentence=f.sentence)
        cited.append(citation)
        lines.append(f"{i}. “{f.clause}”——{f.value} {f.unit}（{f.result.report.agency} {f.result.report.year}年 · "
                     f"{f.result.section or '正文'}）")
    return Answer("ambiguous", "报告原文中有几个数字都可能是所问的，请说明要问的是哪一个：\n" + "\n".join(lines),
                  [], cited + [c for c in citations if c not in cited], query=query,
                  choices=[f.clause for f in figures])


def _similarity(text: str):
    """The encoder's cosine of the question and each phrase (None without an encoder: keyword search only).
    Always e5, whatever model the store's passages were encoded with: the phrases are encoded here, and the
    static bulk-ingest model ranks them worse (more wrong numbers, docs/benchmarks.md)."""
    encoder, _ = try_encoder(DEFAULT_MODEL)
    if encoder is None:
        return None
    asked = encoder.encode_query(text)
    return lambda phrases: encoder.encode_passages(phrases) @ asked


_WEIGHTS: dict[tuple, dict[str, float]] = {}
_SAMPLE = 20_000  # passages enough to tell a telling word from a common one, at any size of store


def _weights(store: Store) -> dict[str, float]:
    """The store's bigram weights (assistant.prose.bigram_weights), computed once per state of its passages."""
    state = (store.location, store.passages_state())
    if state not in _WEIGHTS:
        _WEIGHTS.clear()
        _WEIGHTS[state] = bigram_weights(store.passage_sample(_SAMPLE))
    return _WEIGHTS[state]


def scope(route: Plan, step: Step, store: Store) -> Answer | None:
    """None when some passage shares a content word with the question; else the question is out of scope. Past
    TEXT_SCOPE_MAX reports the whole store's text is not searched: a content word must be among its passages'
    words."""
    text = compact(route.query.text)
    if len(store.reports()) > TEXT_SCOPE_MAX:
        if get_retriever(store).index().known_words(_content_words(text)):
            return None
    elif shares_a_word(text, get_retriever(store).search(search_text(text, []), None, k=3)):
        return None
    return Answer("not_found", "抱歉，这个问题不在政府信息公开工作年度报告的范围内。可以问各机关年报里的数据和"
                               "情况，例如：洋湖乡2023年收到多少政府信息公开申请？", query=route.query)


def shares_a_word(text: str, results) -> bool:
    """Whether a content word of the question (not a name, not a word every report uses) is in the passages."""
    names = {term_key(n) for r in results for n in [r.report.agency] + r.report.aliases}
    words = [w for w in _content_words(text) if not any(w in n for n in names)]
    found = "".join(term_key(r.section + r.text) for r in results)
    return not words or any(w in found for w in words)


def _content_words(text: str) -> list[str]:
    """The question's words of two characters or more that not every report uses."""
    words = (w.rstrip("了过着的") for w in base_tokenizer().tokens(term_key(text)))  # 公开了; 花了 is no content word
    return [w for w in words if len(w) >= 2 and w not in _GENERIC_PROSE_WORDS and not _NO_CONTENT.fullmatch(w)]


_NO_CONTENT = re.compile(r"(?:几|多少)[\u4e00-\u9fff]?|出来|出去|起来")  # 几条, 多少个, 晒出来


def retrieved(question: str, store: Store, k: int = 10, mode: str = "hybrid") -> tuple | Answer:
    """(the parsed query, its search text, the ranked passages) that a question retrieves with the same filters the
    text answerer applies, or the not_found answer when the filters match no report."""
    query = parse(question, store.reports())
    candidates = resolve_reports(query, store.reports())
    if isinstance(candidates, Answer):
        return candidates
    text = search_text(compact(query.text), [query.agency_mention])
    results = get_retriever(store).search(text, [r.id for r in one_reading_each(candidates).values()], k=k, mode=mode)
    return query, text, results


def find_passages(question: str, store: Store, k: int = 10, mode: str = "hybrid") -> list | Answer:
    """The ranked passages a question retrieves (for the retrieval dev set and `reportqa search`), or the not_found
    answer when the filters match no report."""
    found = retrieved(question, store, k, mode)
    return found if isinstance(found, Answer) else found[2]
