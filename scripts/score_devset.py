"""Score the table-question dev set (tests/devset/table_questions.jsonl) against a store.

    python scripts/score_devset.py [--shared ../shared/corpus] [--out docs/devset_results.md]

Builds a fresh store in a temporary folder from corpus/ and the shared corpus, asks every question, and
compares status, report, metric, column and the value exactly as printed.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import answer_question  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.store import Store  # noqa: E402

DEVSET = ROOT / "tests" / "devset" / "table_questions.jsonl"
PARAPHRASES = ROOT / "tests" / "devset" / "table_paraphrase_questions.jsonl"


def load_devset(path: Path = DEVSET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# A problem that starts with this is a wrong number: the answer states a figure that is not the one asked (another
# cell's, another report's, or one where the right answer is "not found"). Every other problem is a miss: no
# figure, or the right figure not given. Wrong numbers are counted apart, in every dev set: they are worse.
WRONG = "WRONG NUMBER"


def is_wrong(problem: str | None) -> bool:
    return bool(problem) and problem.startswith(WRONG)


def tally(misses: list[tuple[dict, str]]) -> str:
    wrong = sum(is_wrong(p) for _, p in misses)
    return f"{len(misses) - wrong} missed, {wrong} wrong numbers"


def _numbers_given(answer) -> list[dict]:
    return [v for v in answer.values if v.get("value") is not None]


def judge(item: dict, answer) -> str | None:
    """None when the answer is right, else what is wrong (starting with WRONG for a wrong number)."""
    if answer.status != item["status"]:
        given = answer.status == "answered" and _numbers_given(answer)
        prefix = f"{WRONG}: " if given else ""
        return f"{prefix}status {answer.status}, expected {item['status']}: {answer.answer[:80]}"
    if item["status"] != "answered":
        return None
    match = [v for v in answer.values if v["metric"] == item["metric"] and v["column"] == item["column"]]
    if not match:
        got = ", ".join(f"{v['metric']}/{v['column']}={v['raw']}" for v in answer.values)
        prefix = f"{WRONG}: " if _numbers_given(answer) else ""
        return f"{prefix}cell {item['metric']}/{item['column']} not in answer ({got})"
    value = match[0]
    if value["report"] != item["file"] and not item["file"].endswith(value["report"]):
        return f"{WRONG}: report {value['report']}, expected {item['file']}"
    if value["raw"] != item["value"]:
        return f"{WRONG}: value {value['raw']!r}, expected {item['value']!r}"
    return None


def score(store: Store, items: list[dict]) -> tuple[int, list[tuple[dict, str]]]:
    misses = []
    for item in items:
        problem = judge(item, answer_question(item["q"], store))
        if problem:
            misses.append((item, problem))
    return len(items) - len(misses), misses


def emit(lines: list[str], out: str | None) -> None:
    """Print a script's result and, with --out, write it to that file too (for docs/)."""
    print("\n".join(lines))
    if out:
        Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_store(home: Path, shared: Path | None) -> Store:
    store = Store(home / "reportqa.sqlite3")
    paths = [ROOT / "corpus"] + ([shared / "real"] if shared and (shared / "real").is_dir() else [])
    ingest_paths(store, paths)
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--out", help="write a markdown summary here")
    args = parser.parse_args()
    items = load_devset()
    paraphrases = load_devset(PARAPHRASES)
    with tempfile.TemporaryDirectory() as home:
        store = build_store(Path(home), Path(args.shared))
        right, misses = score(store, items)
        p_right, p_misses = score(store, paraphrases)
        store.close()
    by_status = {}
    for item in items:
        by_status.setdefault(item["status"], [0, 0])[0] += 1
    for item, _ in misses:
        by_status[item["status"]][1] += 1
    lines = [f"dev set: {right}/{len(items)} right ({right / len(items):.1%}); {tally(misses)}"]
    for status, (n, bad) in sorted(by_status.items()):
        lines.append(f"  {status}: {n - bad}/{n}")
    for item, problem in misses:
        lines.append(f"  MISS {item['id']} {item['q']} — {problem}")
    lines.append(f"paraphrases of those questions: {p_right}/{len(paraphrases)} right "
                 f"({p_right / len(paraphrases):.1%}); {tally(p_misses)}")
    for item, problem in p_misses:
        lines.append(f"  MISS {item['id']} {item['q']} — {problem}")
    emit(lines, args.out)


if __name__ == "__main__":
    main()
