"""Train the ranker of text figures (assistant/figure_ranker.py) and write assistant/figure_ranker.json.

    python scripts/train_figure_ranker.py [--store DIR] [--check]

For every question of the training sets (hand-written, each answer read by hand from the report): the candidates
`assistant.prose.figure_candidates` finds in the passages the text answerer retrieves, each labelled right when
its value is the expected one in the sentence that holds the expected evidence. A conditional logit (softmax over
the candidates and a "none of them" option, L2-regularised) is fitted. Its two thresholds (for a figure bound to
the question by a telling word, and a stricter one for a figure bound by common words only) are the least
probabilities at which no question of the training sets gets a wrong figure in 5-fold cross-validation
(out-of-fold predictions), repeated with three shufflings of the folds, so that they are not chosen on the
predictions the model was fitted to, nor by one split. `--check` only reports the cross-validation.
The sealed sets (tests/devset/prose_sets.json) are never read here; only its training sets are.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant.answerers.text import _similarity, _weights, asked_without_agency, retrieved  # noqa: E402
from assistant.evidence import Answer  # noqa: E402
from assistant.figure_ranker import FEATURES, MODEL_PATH, Ranker  # noqa: E402
from assistant.prose import candidate_rows, figure_candidates, figure_fits, find_figure, names_something  # noqa: E402
from index.normalize import compact  # noqa: E402
from index.store import Store  # noqa: E402
from score_devset import build_store, load_devset  # noqa: E402

TRAINING_SETS = tuple(json.loads((ROOT / "tests" / "devset" / "prose_sets.json").read_text(encoding="utf-8"))["training"])
L2 = 0.05
FOLDS = 5
REPEATS = 3  # cross-validations with differently shuffled folds; the thresholds hold in all of them
RIVAL_SHARE = 0.5


def question_rows(store: Store, question: str) -> tuple[list, np.ndarray, str | None, list[bool]]:
    """(candidates, their feature rows, what the rules give: a value, "ambiguous" or None, whether each candidate is
    of the shape asked: the text answerer gives no figure that is not) as the text answerer would see them."""
    found = retrieved(question, store, k=5)
    if isinstance(found, Answer):
        return [], np.zeros((0, len(FEATURES))), None, []
    query, text, results = found
    similarity = _similarity(text)
    ruled, _ = find_figure(query, text, results, weights=_weights(store), similarity=similarity, ranker=None)
    by_rules = None if ruled is None else "ambiguous" if ruled.rivals else ruled.value
    candidates, _, _ = figure_candidates(query, text, results, weights=_weights(store))
    if not candidates:
        return [], np.zeros((0, len(FEATURES))), by_rules, []
    rows = candidate_rows(candidates, similarity or (lambda phrases: [0.0] * len(phrases)))  # no encoder: cosines 0
    asked = asked_without_agency(query)
    return candidates, np.array(rows, dtype=float), by_rules, [figure_fits(asked, c.figure) for c in candidates]


def labels(item: dict, candidates) -> np.ndarray:
    """1 for a candidate that is the expected figure: its value, in the sentence holding the evidence (else its
    value anywhere); all 0 for a question whose figure the report does not state."""
    if item["kind"] != "figure":
        return np.zeros(len(candidates))
    evidence = [compact(e) for e in item["evidence"]]
    at_evidence = np.array([c.figure.value == item["value"] and any(e in compact(c.figure.sentence) for e in evidence)
                            for c in candidates], dtype=float)
    if at_evidence.any():
        return at_evidence
    return np.array([c.figure.value == item["value"] for c in candidates], dtype=float)


def collect(store: Store, names: list[str]) -> list[dict]:
    examples = []
    for name in names:
        path = ROOT / "tests" / "devset" / name
        if not path.exists():
            print(f"skipped (missing): {name}", file=sys.stderr)
            continue
        for item in load_devset(path):
            if item["kind"] not in ("figure", "absent"):
                continue
            candidates, rows, by_rules, fits = question_rows(store, item["q"])
            examples.append({"set": name, "id": item["id"], "item": item, "values": [c.figure.value for c in candidates],
                             "rows": rows, "labels": labels(item, candidates), "rules": by_rules, "fits": fits,
                             "names_something": [names_something(c) for c in candidates]})
    return examples


def fit(examples: list[dict], l2: float = L2) -> tuple[np.ndarray, float]:
    """(weights, none score) of the conditional logit over each question's candidates and "none"."""
    width = len(FEATURES)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, none = params[:width], params[width]
        total, grad = l2 * float(w @ w), np.concatenate([2 * l2 * w, [0.0]])
        for ex in examples:
            rows, y = ex["rows"], ex["labels"]
            scores = np.append(rows @ w, none) if len(rows) else np.array([none])
            top = scores.max()
            p = np.exp(scores - top)
            p /= p.sum()
            target = np.append(y, 0.0) if y.any() else np.append(np.zeros(len(rows)), 1.0)
            mass = float(p @ target)
            total -= np.log(max(mass, 1e-12))
            # d(-log sum_{t} p_t)/d score_j = p_j - p_j * target_j / mass
            d = p - p * target / max(mass, 1e-12)
            if len(rows):
                grad[:width] += rows.T @ d[:-1]
            grad[width] += d[-1]
        return total, grad

    result = minimize(loss, np.zeros(width + 1), jac=True, method="L-BFGS-B")
    return result.x[:width], float(result.x[width])


def decide(ranker: Ranker, ex: dict) -> tuple[str | None, float, bool]:
    """(the value given or None, the best candidate's probability, whether it is bound by a telling word);
    "ambiguous" when another value rivals it."""
    if not len(ex["rows"]):
        return None, 0.0, True
    probs, _ = ranker.probabilities(ex["rows"].tolist())
    best = int(np.argmax(probs))
    if not ex["fits"][best]:  # a part of the sum asked, a count for a share: the text answerer gives none
        return None, probs[best], bool(ex["names_something"][best])
    rivals = [p for p, v in zip(probs, ex["values"]) if v != ex["values"][best] and p >= ranker.rival_share * probs[best]]
    return ("ambiguous" if rivals else ex["values"][best]), probs[best], bool(ex["names_something"][best])


def outcome(ex: dict, given: str | None) -> str:
    if given is None or given == "ambiguous":
        return "none"
    if ex["item"]["kind"] != "figure":
        return "wrong"  # a figure for a question the report does not answer
    return "exact" if given == ex["item"]["value"] else "wrong"


def cross_validate(examples: list[dict], seed: int = 0) -> list[tuple[str | None, float, bool]]:
    """Out-of-fold `decide` for every example (folds by question, shuffled by `seed`)."""
    order = np.random.default_rng(seed).permutation(len(examples))
    out: list = [None] * len(examples)
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS].tolist())
        w, none = fit([ex for i, ex in enumerate(examples) if i not in held])
        ranker = Ranker(tuple(w), none, 0.0, RIVAL_SHARE)
        for i in held:
            out[i] = decide(ranker, examples[i])
    return out


def combined(ex: dict, ranked: tuple[str | None, float, bool], thresholds: tuple | None) -> str | None:
    """What find_figure gives: the rules' figure (or their "ambiguous") where they bind one, else the ranker's
    where its probability clears the threshold of its kind (None: the ranker unused)."""
    if ex["rules"] is not None or thresholds is None:
        return ex["rules"]
    given, p, named = ranked
    ranker = Ranker((), 0.0, thresholds[0], RIVAL_SHARE, thresholds[1])
    return given if ranker.clears(p, named) else None


def least_safe_thresholds(examples: list[dict], repeats: list[list]) -> tuple[float, float | None]:
    """(threshold, common_threshold): the least probabilities at which the ranker adds no wrong figure, out of fold,
    where the rules give none — for figures bound by a telling word, and for those bound by common words only —
    in every repeat of the cross-validation (so that no one split of the questions sets them). The common one is
    never below the other (None where it would exceed 1)."""
    def least(named: bool) -> float:
        wrong = [p for decided in repeats for ex, (given, p, bound) in zip(examples, decided)
                 if ex["rules"] is None and bound == named and outcome(ex, given) == "wrong"]
        return float(max(wrong) + 1e-6) if wrong else 0.0
    threshold = least(True)
    common = max(least(False), threshold)
    return threshold, (common if common <= 1.0 else None)


def summary(examples: list[dict], decided: list, thresholds: tuple | None) -> dict:
    table: dict[str, dict[str, int]] = {}
    for ex, ranked in zip(examples, decided):
        row = table.setdefault(ex["set"], {"exact": 0, "wrong": 0, "none": 0, "figures": 0, "absent": 0})
        row["figures" if ex["item"]["kind"] == "figure" else "absent"] += 1
        row[outcome(ex, combined(ex, ranked, thresholds))] += 1
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="an existing store of the shipped corpus (else one is built)")
    parser.add_argument("--check", action="store_true", help="report the cross-validation only; write nothing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(args.store) / "reportqa.sqlite3") if args.store else build_store(Path(home))
        examples = collect(store, list(TRAINING_SETS))
    repeats = [cross_validate(examples, seed) for seed in range(REPEATS)]
    threshold, common = least_safe_thresholds(examples, repeats)
    decided = repeats[0]
    table = summary(examples, decided, (threshold, common))
    rules_only = summary(examples, decided, None)
    print(f"threshold {threshold:.3f}, bound by common words only {common} (cross-validated {REPEATS} times: the ranker "
          "adds no wrong figure)")
    for name, row in table.items():
        print(f"  {name}: rules {rules_only[name]}  rules + ranker {row}")
    reachable = sum(1 for ex in examples if ex["labels"].any())
    print(f"  questions whose figure is among the candidates: {reachable}/{sum(1 for ex in examples if ex['item']['kind'] == 'figure')}")
    if args.check:
        return
    w, none = fit(examples)
    MODEL_PATH.write_text(json.dumps({
        "features": list(FEATURES), "weights": [round(float(x), 6) for x in w], "none_score": round(none, 6),
        "threshold": round(threshold, 6), "common_threshold": None if common is None else round(common, 6),
        "rival_share": RIVAL_SHARE, "l2": L2,
        "trained_on": [n for n in TRAINING_SETS if (ROOT / "tests" / "devset" / n).exists()],
        "cross_validation": {"rules": rules_only, "rules_and_ranker": table}}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
