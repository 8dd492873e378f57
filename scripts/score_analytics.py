"""Score the analytic dev set (tests/devset/analytic_questions.jsonl): computed answers and follow-ups.

    python scripts/score_analytics.py [--out FILE]

A question is right when the status matches, every expected operand cell is among the answer's values with the
value as printed, and the computed result (change, compare, trend, rank, share, sum) is exactly the expected one.
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
from score_devset import WRONG, build_store, emit, load_devset, tally  # noqa: E402

DEVSET = ROOT / "tests" / "devset" / "analytic_questions.jsonl"


def load(path: Path = DEVSET) -> list[dict]:
    return load_devset(path)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d+(?:\.\d+)?%?", text or ""))


def judge(item: dict, answer) -> str | None:
    """None when right; a wrong number (WRONG …) when a stated operand or a computed figure of the asked kind
    differs from the hand-verified one, or a figure is given where none should be; else a miss."""
    if answer.status != item["status"]:
        given = answer.status == "answered" and any(v.get("value") is not None for v in answer.values)
        return f"{WRONG + ': ' if given else ''}status {answer.status}, expected {item['status']}: {answer.answer[:90]}"
    if item["status"] != "answered":
        return None
    cells = {(v["report"], v["metric"], v["column"]): v["raw"] for v in answer.values if v["metric"] != "computed"}
    for op in item.get("operands", []):
        got = cells.get((op["file"], op["metric"], op["column"]))
        if got != op["value"]:
            wrong = f"{WRONG}: " if got is not None else ""
            return f"{wrong}operand {op['metric']}/{op['column']} of {op['file']}: {got!r}, expected {op['value']!r}"
    if "result" in item:
        computed = [v["raw"] for v in answer.values if v["metric"] == "computed"]
        if not computed or computed[-1] != item["result"]:
            # a figure of the asked kind that differs is wrong; a ranking given for a difference is a miss
            wrong = f"{WRONG}: " if computed and _numeric(computed[-1]) == _numeric(item["result"]) else ""
            return (f"{wrong}result {computed[-1] if computed else None!r}, expected {item['result']!r}: "
                    f"{answer.answer[:90]}")
    return None


def score(store, items: list[dict]) -> tuple[int, list[tuple[dict, str]]]:
    misses = []
    for item in items:
        problem = judge(item, answer_question(item["q"], store, item.get("history", [])))
        if problem:
            misses.append((item, problem))
    return len(items) - len(misses), misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    args = parser.parse_args()
    items = load()
    with tempfile.TemporaryDirectory() as home:
        store = build_store(Path(home))
        right, misses = score(store, items)
        store.close()
    by_intent: dict[str, list[int]] = {}
    for item in items:
        by_intent.setdefault(item["intent"], [0, 0])[0] += 1
    for item, _ in misses:
        by_intent[item["intent"]][1] += 1
    lines = [f"analytic dev set: {right}/{len(items)} right ({right / len(items):.1%}); {tally(misses)}"]
    lines += [f"  {intent}: {n - bad}/{n}" for intent, (n, bad) in sorted(by_intent.items())]
    lines += [f"  MISS {i['id']} {' / '.join(i.get('history', []) + [i['q']])} — {p}" for i, p in misses]
    emit(lines, args.out)


if __name__ == "__main__":
    main()
