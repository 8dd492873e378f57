"""The text answerers: a figure the report's text binds to what was asked (`assistant.prose`), else the passages
that retrieval finds (`assistant.retrieve`); and the scope check for a question that names no agency, year or
figure (is it about these reports at all?).

A figure is given only where its sentence binds it to the question's words; otherwise the passages are offered
as suggestions under a not_found status, never as an answer.
"""
from __future__ import annotations

from index.catalogue import GENERIC_TABLE_WORDS
from index.embedding import try_encoder
from index.normalize import compact, term_key
from index.store import Store
from index.tokenize import base_tokenizer

from assistant.evidence import Answer, one_reading_each, report_label, several_reports
from assistant.plan import Plan, Step, resolve_reports
from assistant.prose import STRONG_BINDING, asks_for_figure, bigram_weights, find_figure
from assistant.query import parse
from assistant.retrieve import get_retriever, search_text

_GENERIC_PROSE_WORDS = set(GENERIC_TABLE_WORDS) | {"工作", "报告", "年度", "全年", "政府", "单位", "部门", "我们"}


def answer(route: Plan, step: Step, store: Store, k: int = 3) -> Answer | None:
    """Retrieve passages of the candidate reports; give a figure only where a sentence binds it to the question.
    With step.strong_only, answer only with a strongly bound figure (else None: a later step answers)."""
    query, candidates, strong_only = route.query, route.reports, step.strong_only
    figure_wanted = asks_for_figure(query.text)
    if figure_wanted:
        unclear = several_reports(query, candidates)
        if unclear:
            return None if strong_only else unclear
    readings = one_reading_each(candidates)
    text = search_text(compact(query.text), [query.agency_mention])
    results = get_retriever(store).search(text, [r.id for r in readings.values()], k=max(k, 5))
    # dense similarity alone does not tell an unrelated question from a related one (e5's cosines sit between
    # 0.8 and 0.9 for both): some content word of the question must occur in the passages found
    if not shares_a_word(text, results[:k]):
        results = []
    if not results and strong_only:
        return None
    if not results:
        scope = "、".join(f"{a} {y}年" for a, y in readings) if len(readings) <= 5 else f"{len(readings)} 份报告"
        return Answer("not_found", f"在{scope}的报告正文中没有找到与这个问题相关的内容。", query=query)
    quoted = results[:k]
    citations = [r.citation() for r in quoted]
    if figure_wanted:
        figure, bound = find_figure(query, text, results, weights=_weights(store), similarity=_similarity(text))
        if strong_only and (bound < STRONG_BINDING or (figure is not None and figure.rivals)):
            return None
        if figure is not None and figure.rivals:  # two figures of the text fit alike: which one is meant
            return _which_figure(query, [figure] + figure.rivals, citations)
        if figure is not None:
            citation = dict(figure.result.citation(), sentence=figure.sentence)
            value = {"value": figure.value, "raw": figure.value, "unit": figure.unit, "metric": "prose",
                     "column": None, "report": figure.result.report.source_name, "citation": citation}
            others = [c for c in citations if c["text"] != citation["text"]]
            said = (f"{report_label(query, figure.result.report)}：报告原文写道“{figure.sentence}”"
                    f"——即 {figure.value} {figure.unit}。")
            return Answer("answered", said, [value], [citation] + others, query=query)
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
                  choices=[f"{f.clause}" for f in figures])


def _similarity(text: str):
    """The encoder's cosine of the question and each phrase (None without an encoder: keyword search only)."""
    encoder, _ = try_encoder()
    if encoder is None:
        return None
    asked = encoder.encode_query(text)
    return lambda phrases: encoder.encode_passages(phrases) @ asked


_WEIGHTS: dict[tuple, dict[str, float]] = {}
_SAMPLE = 20_000  # passages enough to tell a telling word from a common one, at any size of store


def _weights(store: Store) -> dict[str, float]:
    """The store's bigram weights (assistant.prose.bigram_weights), computed once per state of its passages."""
    state = (str(store.path), store.passages_state())
    if state not in _WEIGHTS:
        passages = store.passages()
        step = max(1, len(passages) // _SAMPLE)
        _WEIGHTS.clear()
        _WEIGHTS[state] = bigram_weights([p["text"] for p in passages[::step]])
    return _WEIGHTS[state]


def scope(route: Plan, step: Step, store: Store) -> Answer | None:
    """None when some passage shares a content word with the question; else the question is out of scope."""
    results = get_retriever(store).search(search_text(compact(route.query.text), []), None, k=3)
    if shares_a_word(compact(route.query.text), results):
        return None
    return Answer("not_found", "抱歉，这个问题不在政府信息公开工作年度报告的范围内。可以问各机关年报里的数据和"
                               "情况，例如：洋湖乡2023年收到多少政府信息公开申请？", query=route.query)


def shares_a_word(text: str, results) -> bool:
    """Whether a content word of the question (not a name, not a word every report uses) is in the passages."""
    names = {term_key(n) for r in results for n in [r.report.agency] + r.report.aliases}
    words = [w for w in base_tokenizer().tokens(term_key(text)) if len(w) >= 2 and w not in _GENERIC_PROSE_WORDS
             and not any(w in n for n in names)]
    found = "".join(term_key(r.section + r.text) for r in results)
    return any(w in found for w in words)


def find_passages(question: str, store: Store, k: int = 10, mode: str = "hybrid") -> list | Answer:
    """The ranked passages a question retrieves, with the same filters the text answerer applies (for the
    retrieval dev set and `reportqa search`), or the not_found answer when the filters match no report."""
    query = parse(question, store.reports())
    candidates = resolve_reports(query, store.reports())
    if isinstance(candidates, Answer):
        return candidates
    text = search_text(compact(query.text), [query.agency_mention])
    return get_retriever(store).search(text, [r.id for r in one_reading_each(candidates).values()], k=k, mode=mode)
