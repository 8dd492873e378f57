"""The shape of a question's route through `assistant/`: no import circle, each step in its own module, the
pipeline module naming the steps in order, and each step's contract (plan order, choose, guard) held."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import CORPUS
from assistant.answer import answer_question
from assistant.answerers import ANSWERERS
from assistant.choose import choose
from assistant.evidence import Answer
from assistant.plan import Step, plan
from assistant.understand import understand
from index.ingest import ingest_paths

ASSISTANT = Path(__file__).resolve().parent.parent / "assistant"


def _imports() -> dict[str, set[str]]:
    """assistant module → the assistant modules it imports (at any depth of the file, lazy imports included)."""
    graph = {}
    for path in ASSISTANT.rglob("*.py"):
        name = ".".join(("assistant",) + path.relative_to(ASSISTANT).with_suffix("").parts).removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("assistant"))
        graph[name] = found
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def test_the_assistant_package_has_no_import_circle():
    graph = _imports()
    assert "assistant.answer" in graph and "assistant.answerers.table" in graph
    done, stack = set(), []

    def visit(module: str) -> None:
        if module in stack:
            raise AssertionError("import circle: " + " → ".join(stack[stack.index(module):] + [module]))
        if module in done:
            return
        stack.append(module)
        for dep in sorted(graph[module]):
            if dep != "assistant.answerers" or not module.startswith("assistant.answerers."):
                visit(dep)
        stack.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_lower_steps_do_not_import_the_steps_after_them():
    graph = _imports()
    # the shared types and the first steps know nothing of answerers, choice or rendering
    for early in ("assistant.evidence", "assistant.query", "assistant.understand", "assistant.plan"):
        later = {d for d in graph[early] if d.startswith(("assistant.answer", "assistant.choose", "assistant.render",
                                                          "assistant.sources", "assistant.guard"))}
        assert not later, (early, later)
    for answerer in ("assistant.answerers.table", "assistant.answerers.computed", "assistant.answerers.text"):
        assert not {d for d in graph[answerer] if d.startswith("assistant.answerers.")}, answerer  # one job each


def test_the_pipeline_module_names_its_steps_in_order():
    source = (ASSISTANT / "answer.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    steps = ["understand", "plan", "answer", "choose", "guard", "render"]
    at = [doc.find(f"{i}. {s}") for i, s in enumerate(steps, 1)]
    assert all(a >= 0 for a in at) and at == sorted(at), at
    body = source[source.index("def unguarded_answer"):]
    calls = [body.find(c) for c in ("understand(", "plan(", "choose(")]
    assert all(c >= 0 for c in calls) and calls == sorted(calls), calls


def test_every_planned_step_has_an_answerer(store):
    ingest_paths(store, [CORPUS], encode=False)
    reports = store.reports()
    for question in ("洋湖乡2023年收到多少政府信息公开申请？", "洋湖乡2023年予以公开占本年新收的比例",
                     "洋湖乡2023年法人或其他组织申请了多少件", "洋湖乡2023年存在哪些问题", "洋湖乡历年收到的申请",
                     "洋湖乡2023年主动公开了多少条政府信息", "今天天气怎么样", "上海2023年收到多少申请"):
        query = understand(question, [], reports)
        route = plan(query, store, reports)
        assert route.steps, question
        for step in route.steps:
            assert step.answerer == "refuse" and step.answer is not None or step.answerer in ANSWERERS, step


def test_choose_gives_the_first_decisive_answer_and_keeps_a_tentative_not_found():
    tentative, text = Answer("not_found", "旧表没有这一行"), Answer("answered", "正文写道…")
    ran = []

    def lazily(pairs):
        for step, answer in pairs:
            ran.append(step.answerer)
            yield step, answer

    # a not_found from a step that is not final waits; the next step's answer is given
    assert choose(lazily([(Step("table", final=False), tentative), (Step("text"), text)])) is text
    # nothing later answers: the tentative not_found is given
    assert choose([(Step("table", final=False), tentative), (Step("text"), None)]) is tentative
    # a final step ends the route: later steps are never run
    ran.clear()
    assert choose(lazily([(Step("table"), tentative), (Step("text"), text)])) is tentative
    assert ran == ["table"]
    # a final not_found after a waiting one: the waiting reason, unless the later one offers passages
    bare, suggestions = Answer("not_found", "正文中没有找到"), Answer("not_found", "以下原文可能有关", citations=[{}])
    assert choose([(Step("contact", final=False), tentative), (Step("text"), bare)]) is tentative
    assert choose([(Step("table", final=False), tentative), (Step("text"), suggestions)]) is suggestions
    # None means "no evidence of my kind": skipped
    assert choose([(Step("across_reports"), None), (Step("table"), text)]) is text


def test_the_route_end_to_end_keeps_its_citations(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("洋湖乡2023年收到多少政府信息公开申请？", store)
    assert answer.status == "answered" and answer.values[0]["raw"] == "0"
    assert answer.citations[0]["row"] and answer.citations[0]["column"]
