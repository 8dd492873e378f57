"""A question's route through the assistant, top to bottom:

1. understand (`assistant.understand`): the question read into a Query, follow-ups completed from the
   conversation, or a clear message why it cannot be read;
2. plan (`assistant.plan`): the reports it can be about and the kinds of evidence that can answer it, in order;
3. answer (`assistant.answerers`): one answerer per kind of evidence — table cells, figures computed from cells,
   figures bound to the question in the report's text, passages;
4. choose (`assistant.choose`): the first step that answers, by the plan's order of strength;
5. guard (`assistant.guard`): an answer with a number nothing stored accounts for is not shown;
6. render (`assistant.render`, `assistant.sources`): the callers (CLI, web app, API) show the Answer and its
   citations.

Every number comes from a stored fact (a table cell, a sentence of the report's text, or arithmetic on cited
cells). Statuses: `answered`; `not_found` (the agency, the year or the figure is not in the store: the answer says
what the store does hold, never a guess); `ambiguous` (the question could mean several reports or readings: they
are listed).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from index.store import Store

from assistant.answerers import ANSWERERS
from assistant.answerers.computed import RANK_GAP
from assistant.choose import choose
from assistant.english import METRIC_ENGLISH
from assistant.conversation import asks_source_of_last, ordinal_asked, ordinal_replaced
from assistant.evidence import Answer, answer_json  # noqa: F401  (the JSON the CLI and the API give)
from assistant.guard import guard
from assistant.plan import Plan, Step, plan
from assistant.query import parse
from assistant.render import citation_line
from assistant.understand import clean_question, understand


def answer_question(question: str, store: Store, history: list[str] | None = None) -> Answer:
    """Answer one question; `history` holds the conversation's earlier questions, oldest first, so that
    follow-ups ("那2023年呢？", "商业企业呢？", "和上海比呢？") keep what was already said."""
    question = clean_question(question)
    answer = unguarded_answer(question, store, history)
    return guard(answer, question, store.reports().years())


def unguarded_answer(question: str, store: Store, history: list[str] | None = None) -> Answer:
    """Steps 1–4: the answer before the number guard has looked at it."""
    reports = store.reports()
    question, history = clean_question(question), [clean_question(h) for h in history or []]
    earlier = _about_an_earlier_answer(question, history, store)
    if earlier is not None:
        return earlier
    query = understand(question, history, reports)
    if isinstance(query, Answer):
        return query
    route = plan(query, store, reports)
    answer = choose(_run(route, store))
    if query.reading_note and answer.status != "ambiguous":
        answer.answer = query.reading_note + answer.answer
    if query.english:
        named = [METRIC_ENGLISH[m] for m in query.metrics if m in METRIC_ENGLISH]
        if named:
            answer.answer += "\n(Asked: " + "; ".join(named) + ")"
    return answer


def _about_an_earlier_answer(question: str, history: list[str], store: Store) -> Answer | None:
    """"上一个答案的出处": the earlier answer's citations; "第一名呢" after a ranking: the same figure of the agency in
    that place. None for any other question (step 1 reads it)."""
    if not history or len(question) > 40:
        return None
    place = ordinal_asked(question)
    if not asks_source_of_last(question) and place is None:
        return None
    last = unguarded_answer(history[-1], store, history[:-1])
    if asks_source_of_last(question):
        if not last.citations:
            return Answer("not_found", f"上一个问题（“{history[-1]}”）的回答没有引用报告中的内容：{last.answer}")
        lines = [f"[{i}] {citation_line(c)}" for i, c in enumerate(last.citations, 1)]
        return Answer(last.status, f"上一个问题（“{history[-1]}”）的回答出自：\n" + "\n".join(lines),
                      last.values, last.citations, query=last.query, accounted=last.accounted + [last.answer])
    cells = [v for v in last.values if v["metric"] not in ("computed", "prose", "contact") and v.get("citation")]
    # a ranking: the rank answer, or a comparison of three or more (two are compared by their difference, in the
    # order named, which is no ranking)
    ranked = last.query is not None and (last.query.intent == "rank" and len(cells) >= 2
                                         or last.query.intent == "compare" and len(cells) >= 3)
    if not ranked:
        return None  # "第一名" without a ranking before it: read as a question of its own
    skipped = any(v["metric"] == "computed" and RANK_GAP in v["raw"] for v in last.values)
    if skipped and (place > len(cells) - 1 or place < -1):  # a long ranking lists its first places and the last
        return Answer("not_found", f"上一个回答只列了前 {len(cells) - 1} 名和最后一名。", query=last.query)
    if not -len(cells) <= (place - 1 if place > 0 else place) < len(cells):
        return Answer("not_found", f"上一个回答只列了 {len(cells)} 个机关。", query=last.query)
    chosen = cells[place - 1 if place > 0 else place]["citation"]
    # the place named stands for its agency; the rest of the question, and what the conversation established
    # (the figure, the year), are read as for any follow-up: "洪泽和第一名差多少" → "洪泽和平潭…差多少"
    follow = parse(ordinal_replaced(question, chosen["agency"]), store.reports())
    groups = follow.agency_groups if len(follow.agency_groups) >= 2 else [[chosen["agency"]]]
    query = replace(last.query, text=follow.text, agencies=groups[0], agency_groups=groups, agency_mention="",
                    fuzzy_agency=False, years=[chosen["year"]], year=chosen["year"], recent_years=None,
                    since_year=None, intent="compare" if len(groups) >= 2 else "lookup", reading_note="")
    answer = choose(_run(plan(query, store, store.reports()), store))
    answer.answer = f"（{'第' + str(place) + '名' if place > 0 else '最后一名'}是{chosen['agency']}。）" + answer.answer
    return answer


def _run(route: Plan, store: Store) -> Iterator[tuple[Step, Answer | None]]:
    """Each step's answer, produced only when `choose` asks for it."""
    for step in route.steps:
        yield step, step.answer if step.answerer == "refuse" else ANSWERERS[step.answerer](route, step, store)
