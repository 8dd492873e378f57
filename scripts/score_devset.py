"""Score the dev sets of questions against a store.

    python scripts/score_devset.py [--out docs/devset_results.md] [--citizen]

Builds a fresh store in a temporary folder from the shipped corpus/, asks every question, and
compares: for the table questions (tests/devset/table_questions.jsonl and their paraphrases) status, report,
metric, column and the value exactly as printed; for the citizen questions (tests/devset/citizen_questions.jsonl,
with --citizen) status and the figures the answer gives, reported per class of question.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import answer_question  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.normalize import compact  # noqa: E402
from index.store import Store  # noqa: E402

DEVSET = ROOT / "tests" / "devset" / "table_questions.jsonl"
PARAPHRASES = ROOT / "tests" / "devset" / "table_paraphrase_questions.jsonl"
CITIZEN = ROOT / "tests" / "devset" / "citizen_questions.jsonl"


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


_FIGURE = re.compile(r"[-+]?\d+(?:\.\d+)?%?")


def _figure_key(text: str) -> str:
    """A figure as compared: no sign (下降了百分之多少 may be answered "-56.9%" or "56.9%"), no thousands commas, no
    余/多 ("7700余" is the figure 7700), dashes alike (0527—83593059 is 0527-83593059)."""
    text = text.replace("−", "-").replace("％", "%").replace(",", "").replace("—", "-").replace("－", "-")
    return re.sub(r"(?<=\d)(余|多)$", "", text).lstrip("+-") if re.match(r"[-+]?\d", text) else text


_YES, _NO = ("是", "有", "yes"), ("否", "没有", "无", "no")


def figures_given(answer) -> set[str]:
    """Every figure an answer states as a value: cells as printed, texts' figures, contact facts, and the results
    in a computed value's formula (95 − 21 = +74；+74 ÷ 21 = +352.4%)."""
    given = set()
    for v in answer.values:
        if v.get("metric") == "contact":
            given.add(_figure_key(str(v.get("value"))))
            continue
        for field in ("raw", "value", "formula"):
            text = str(v.get(field) or "").replace("−", "-")
            given.update(_figure_key(m) for m in _FIGURE.findall(text.replace(",", " ")) if field != "formula"
                         or "=" in text)
            if field == "value" and v.get("unit") in ("%", "％") and v.get("value") is not None:
                given.add(_figure_key(str(v["value"])) + "%")
            elif field == "raw" and v.get("unit") and v.get("raw") is not None:
                given.add(_figure_key(str(v["raw"])) + v["unit"])  # a figure expected with its unit (1万元)
    opening = re.sub(r"^(（[^）]*）)+", "", answer.answer).lower()  # after any note on how it was read
    if opening.startswith(_NO):  # a yes/no question's answer word comes first (没有，0 件)
        given.add("否")
    elif opening.startswith(_YES):
        given.add("是")
    return given


def _expected_key(value: str) -> str:
    if value.lower() in _YES:
        return "是"
    if value.lower() in _NO:
        return "否"
    return _figure_key(value)


def judge_citizen(item: dict, answer) -> str | None:
    """None when the answer is right, else what is wrong (starting with WRONG for a wrong number). A question
    expected not_found or ambiguous that is answered with a figure, and an answer whose figures miss the one asked
    while stating others, are wrong numbers; a right figure with a later one missing, or no figure, is a miss."""
    given = figures_given(answer) if answer.status == "answered" else set()
    if answer.status != item["status"]:
        prefix = f"{WRONG}: " if given and item["status"] != "answered" else ""
        return f"{prefix}status {answer.status}, expected {item['status']}: {answer.answer[:90]}"
    if item["status"] != "answered":
        return None
    expected = [_expected_key(v) for v in item.get("values") or []]
    if not expected:  # a passage, or the source of an earlier answer: its evidence must be quoted
        quoted = compact(answer.answer + "".join(str(c.get("text", "")) + str(c.get("sentence", ""))
                                                for c in answer.citations))
        wanted = [compact(e) for e in item.get("evidence", []) if not e.startswith("table:")]
        return None if all(w in quoted for w in wanted) else f"evidence not quoted: {answer.answer[:90]}"
    if item["class"] == "contact":  # a contact fact counts when the stated one holds it (网址 within its site name)
        given |= {e for e in expected if any(e in g for g in given)}
    if expected[0] not in given:
        prefix = f"{WRONG}: " if given else ""
        return f"{prefix}{expected[0]} not given (gave {sorted(given)[:6]}): {answer.answer[:90]}"
    missing = [v for v in expected[1:] if v not in given]
    return f"also expected {missing}: {answer.answer[:90]}" if missing else None


def score_citizen(store: Store, items: list[dict]) -> tuple[dict, list[tuple[dict, str]]]:
    """({class: [right, asked]}, misses)."""
    by_class: dict[str, list[int]] = {}
    misses = []
    for item in items:
        problem = judge_citizen(item, answer_question(item["q"], store, item.get("history") or None))
        counts = by_class.setdefault(item["class"], [0, 0])
        counts[1] += 1
        if problem:
            misses.append((item, problem))
        else:
            counts[0] += 1
    return by_class, misses


def citizen_lines(items: list[dict], by_class: dict, misses: list) -> list[str]:
    right = sum(r for r, _ in by_class.values())
    lines = [f"citizen questions: {right}/{len(items)} right ({right / len(items):.1%}); {tally(misses)}",
             "", "| class | right | asked | wrong numbers |", "|---|---|---|---|"]
    wrong_by_class: dict[str, int] = {}
    for item, problem in misses:
        wrong_by_class[item["class"]] = wrong_by_class.get(item["class"], 0) + is_wrong(problem)
    for name, (r, n) in sorted(by_class.items()):
        lines.append(f"| {name} | {r} | {n} | {wrong_by_class.get(name, 0)} |")
    lines.append("")
    for item, problem in misses:
        lines.append(f"  MISS {item['id']} [{item['class']}] {item['q']} — {problem}")
    return lines


def emit(lines: list[str], out: str | None) -> None:
    """Print a script's result and, with --out, write it to that file too (for docs/)."""
    print("\n".join(lines))
    if out:
        Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_store(home: Path) -> Store:
    """A fresh store of the shipped corpus (corpus/: the seed and the real reports)."""
    store = Store(home / "reportqa.sqlite3")
    ingest_paths(store, [ROOT / "corpus"])
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="write a markdown summary here")
    parser.add_argument("--citizen", nargs="?", const=str(CITIZEN), help="score the citizen questions instead")
    args = parser.parse_args()
    if args.citizen:
        items = load_devset(Path(args.citizen))
        with tempfile.TemporaryDirectory() as home:
            store = build_store(Path(home))
            by_class, misses = score_citizen(store, items)
            store.close()
        emit(citizen_lines(items, by_class, misses), args.out)
        return
    items = load_devset()
    paraphrases = load_devset(PARAPHRASES)
    with tempfile.TemporaryDirectory() as home:
        store = build_store(Path(home))
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
