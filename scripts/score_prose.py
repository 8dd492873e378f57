"""Score the sets of figures from the text (issue 16 point 6): exact, wrong, no number; absent asked and answered.

    python scripts/score_prose.py [--store DIR] [--dump answers.json] SET.jsonl ...

A figure is judged as `score_retrieval.figure_scores` does (the figure the answer gives, compared as printed); an
"absent" question (the report does not print the figure) answered with a figure counts apart. A sealed set
(tests/devset/prose_sets.json says which) is scored in aggregates only: its questions, answers and ids are never printed nor
dumped, so that it stays a set the matcher was not tuned on. `--dump` writes every other question's answer
(status, values, cited sentence) for diffing two versions of the code.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant.answer import answer_question  # noqa: E402
from index.store import Store  # noqa: E402
from score_devset import build_store, load_devset  # noqa: E402
from score_retrieval import figure_scores  # noqa: E402


PROSE_SETS = json.loads((ROOT / "tests" / "devset" / "prose_sets.json").read_text(encoding="utf-8"))


def is_sealed(path: Path) -> bool:
    return path.name in PROSE_SETS["sealed"]


def absent_answered(store: Store, items: list[dict], ask=answer_question) -> list[str]:
    """The absent questions answered with a figure: wrong numbers."""
    given = []
    for item in items:
        if item["kind"] != "absent":
            continue
        answer = ask(item["q"], store)
        if answer.status == "answered" and any(v.get("value") is not None for v in answer.values):
            given.append(item["id"])
    return given


def answer_record(answer) -> dict:
    return {"status": answer.status, "values": [[v.get("metric"), v.get("raw"), v.get("unit")] for v in answer.values],
            "cited": [c.get("sentence") or c.get("text", "")[:120] for c in answer.citations][:3]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--store", type=Path, help="a store's folder (default: a fresh store of corpus/)")
    parser.add_argument("--dump", type=Path, help="write the answers of the unsealed sets here (JSON)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        store = Store(args.store / "reportqa.sqlite3") if args.store else build_store(Path(home))
        dump, totals = {}, [0, 0, 0, 0, 0]
        for path in args.sets:
            items = load_devset(path)
            answers = {}

            def ask(question: str, store: Store):  # each question asked once, however often it is judged
                if question not in answers:
                    answers[question] = answer_question(question, store)
                return answers[question]

            figures = figure_scores(store, items, ask)
            absent = [i for i in items if i["kind"] == "absent"]
            given = absent_answered(store, items, ask)
            wrong = figures["wrong"]
            line = (f"{path.name}: {figures['exact']}/{figures['figures']} exact, {len(wrong)} wrong, "
                    f"{len(figures['no_number'])} no number; absent answered {len(given)}/{len(absent)}")
            if not is_sealed(path):
                line += f"\n  wrong {wrong}\n  absent answered {given}"
                if args.dump:
                    dump.update({f"{path.stem}:{i['id']}": answer_record(ask(i["q"], store)) for i in items})
            print(line, flush=True)
            for at, n in enumerate((figures["exact"], figures["figures"], len(wrong), len(given), len(absent))):
                totals[at] += n
        print(f"all: {totals[0]}/{totals[1]} exact, {totals[2]} wrong; absent answered {totals[3]}/{totals[4]}")
        store.close()
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
