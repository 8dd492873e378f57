"""Step 4 of a question's route: which of the answerers' answers is given.

The plan orders its steps by strength of evidence (a refusal already known, then figures computed across
reports, a figure the text binds strongly to words the table does not have, the table cell, the text); the first
step that answers, or says the question is ambiguous, is given. A not_found from a step that is not final (the
old statistics table without the row asked) waits while later steps are tried, and is given if none answers.
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
        if answer.status != "not_found" or step.final:
            return answer
        waiting = waiting or answer
    return waiting or Answer("not_found", "库中没有能回答这个问题的内容。")
