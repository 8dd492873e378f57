"""Step 4 of a question's route: which of the answerers' answers is given.

The plan orders its steps by strength of evidence (a refusal already known, then figures computed across
reports, a figure the text binds strongly to words the table does not have, the table cell, the text); the first
step that answers, or says the question is ambiguous, is given. A not_found from a step that is not final (the
old statistics table without the row asked, a report without the contact asked) waits while later steps are
tried; if they find nothing either, the waiting one is given unless the later one offers passages as
suggestions (its reason is then no better, and the passages may help) — but not after a step that only looked
for a figure (a share the table could not compute: why it could not is the answer).
"""
from __future__ import annotations

from typing import Iterable

from assistant.evidence import Answer
from assistant.plan import Step


def choose(answers: Iterable[tuple[Step, Answer | None]]) -> Answer:
    """The answer to give, from (step, answer) pairs produced lazily in plan order: later steps run only when
    needed."""
    waiting = None
    for step, answer in answers:
        if answer is None:
            continue
        if answer.status != "not_found":
            return answer
        if step.final:
            return answer if waiting is None or (answer.citations and not step.figure_only) else waiting
        waiting = waiting or answer
    return waiting or Answer("not_found", "库中没有能回答这个问题的内容。")
