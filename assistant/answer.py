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

from typing import Iterator

from index.store import Store

from assistant.answerers import ANSWERERS
from assistant.choose import choose
from assistant.evidence import Answer, answer_json  # noqa: F401  (the JSON the CLI and the API give)
from assistant.guard import guard
from assistant.plan import Plan, Step, plan
from assistant.understand import clean_question, understand


def answer_question(question: str, store: Store, history: list[str] | None = None) -> Answer:
    """Answer one question; `history` holds the conversation's earlier questions, oldest first, so that
    follow-ups ("那2023年呢？", "商业企业呢？", "和上海比呢？") keep what was already said."""
    question = clean_question(question)
    answer = unguarded_answer(question, store, history)
    return guard(answer, question, {r.year for r in store.reports() if r.year})


def unguarded_answer(question: str, store: Store, history: list[str] | None = None) -> Answer:
    """Steps 1–4: the answer before the number guard has looked at it."""
    reports = store.reports()
    query = understand(clean_question(question), [clean_question(h) for h in history or []], reports)
    if isinstance(query, Answer):
        return query
    route = plan(query, store, reports)
    answer = choose(_run(route, store))
    if query.reading_note and answer.status != "ambiguous":
        answer.answer = query.reading_note + answer.answer
    return answer


def _run(route: Plan, store: Store) -> Iterator[tuple[Step, Answer | None]]:
    """Each step's answer, produced only when `choose` asks for it."""
    for step in route.steps:
        yield step, step.answer if step.answerer == "refuse" else ANSWERERS[step.answerer](route, step, store)
