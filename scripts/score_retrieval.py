"""Score passage retrieval and prose figures on tests/devset/prose_questions.jsonl.

    python scripts/score_retrieval.py [--out docs/retrieval_results.md]

For keyword-only, dense-only and hybrid retrieval: recall@1/@3/@10 (a question counts when a passage holding
its evidence text is among the first k) and MRR. For `figure` questions: how often `reportqa ask` gives the
exact value, and how often it gives a wrong one (it may also give none and quote passages).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant.answer import answer_question  # noqa: E402
from assistant.answerers.text import find_passages  # noqa: E402
from assistant.evidence import Answer  # noqa: E402
from index.normalize import compact  # noqa: E402
from score_devset import build_store, emit, load_devset  # noqa: E402

DEVSETS = {"literal": ROOT / "tests" / "devset" / "prose_questions.jsonl",
           "paraphrased": ROOT / "tests" / "devset" / "prose_paraphrase_questions.jsonl"}
MODES = ("keyword", "dense", "hybrid")


def load(path: Path = DEVSETS["literal"]) -> list[dict]:
    return load_devset(path)


def first_hit(item: dict, results) -> int | None:
    """1-based rank of the first passage holding all the evidence, or None."""
    evidence = [compact(e) for e in item["evidence"]]
    for rank, result in enumerate(results, 1):
        text = compact(result.text)
        if all(e in text for e in evidence):
            return rank
    return None


def retrieval_scores(store, items: list[dict], k: int = 10) -> dict:
    scores = {}
    for mode in MODES:
        ranks = []
        for item in items:
            results = find_passages(item["q"], store, k=k, mode=mode)
            ranks.append(None if isinstance(results, Answer) else first_hit(item, results))
        n = len(items)
        scores[mode] = {f"recall@{c}": sum(1 for r in ranks if r and r <= c) / n for c in (1, 3, 10)}
        scores[mode]["mrr"] = sum(1 / r for r in ranks if r) / n
        scores[mode]["misses"] = [item["id"] for item, r in zip(items, ranks) if not r or r > 3]
    return scores


def _stated_in_contact(value: dict, expected: str) -> bool:
    """A contact fact given whole ("邮编：223100", "商务营运中心7号楼14层") states the figure asked of it."""
    return value.get("metric") == "contact" and bool(
        re.search(rf"(?<![\d.]){re.escape(expected)}(?![\d.])", str(value.get("raw") or "")))


def figure_scores(store, items: list[dict], ask=answer_question) -> dict:
    figures = [i for i in items if i["kind"] == "figure"]
    exact, wrong, none = [], [], []
    for item in figures:
        answer = ask(item["q"], store)
        # the figure the answer gives: a figure from the text, else a computed one (a sum, a share: not its first
        # operand), else any other (a table cell) stated as the answer, which is a wrong number unless it is the
        # one asked
        stated = [v for v in answer.values if answer.status == "answered" and v.get("value") is not None]
        values = [v for v in answer.values if v.get("metric") == "prose"] or \
            [v for v in stated if v.get("metric") == "computed"] or stated
        if not values:
            none.append(item["id"])
        elif values[0]["raw"] == item["value"] or _stated_in_contact(values[0], item["value"]):
            exact.append(item["id"])
        else:
            wrong.append((item["id"], values[0]["raw"], item["value"]))
    return {"figures": len(figures), "exact": len(exact), "wrong": wrong, "no_number": none}


def report(name: str, items: list[dict], retrieval: dict, figures: dict) -> list[str]:
    lines = [f"### {name}: {len(items)} questions ({figures['figures']} figures)", "",
             "| mode | recall@1 | recall@3 | recall@10 | MRR |", "|---|---|---|---|---|"]
    for mode, s in retrieval.items():
        lines.append(f"| {mode} | {s['recall@1']:.1%} | {s['recall@3']:.1%} | {s['recall@10']:.1%} | {s['mrr']:.3f} |")
    lines += ["", f"figures exact: {figures['exact']}/{figures['figures']}; wrong number: {len(figures['wrong'])} "
              f"{figures['wrong']}; no number given: {len(figures['no_number'])} {figures['no_number']}",
              "", "hybrid misses (not in top 3): " + ", ".join(retrieval["hybrid"]["misses"]), ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as home:
        store = build_store(Path(home))
        for name, path in DEVSETS.items():
            items = load(path)
            lines += report(name, items, retrieval_scores(store, items), figure_scores(store, items))
        store.close()
    emit(lines, args.out)


if __name__ == "__main__":
    main()
