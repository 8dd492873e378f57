"""A learned ranker for figures of the text: which of the numbers a retrieved passage prints is the one asked, or
none of them.

The candidates come from `assistant.prose.figure_candidates` (the hard rules: kind, counter, action, row and
column, title, magnitude). Each is described by a few signs (the encoder's cosine of the question and the number's
bound words, the question's words bound to it, the unit asked, …, see FEATURES), and a conditional-logit model
(a softmax over the candidates and a "none of them" option) gives each its probability. A figure is given only
when its probability clears the threshold the training chose so that no training question got a wrong number.

The model is a handful of weights in `figure_ranker.json`, written by `scripts/train_figure_ranker.py` from the
training sets named there (hand-written questions with hand-read answers); nothing is learned at run time.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("figure_ranker.json")
TELLING = 2.0  # a bigram this telling (inverse document frequency) names something particular (建议提案, not 信息公开)

FEATURES = (
    "cosine",            # the encoder's cosine of the question and the number's bound words
    "cosine_gap",        # that cosine less the best candidate's (0 for the best)
    "bound_share",       # the question's bigrams in the bound words, as a share of the question's bigrams
    "bound",             # the same, counted (capped at 8, scaled to 0–1)
    "telling",           # the bound bigrams weighted by how telling each is (scaled)
    "telling_gap",       # that weight less the best candidate's
    "adjacent",          # the longest run of the question's text right at the number (capped at 6, scaled)
    "run",               # the longest run of the question's text in the bound words (capped at 8, scaled)
    "unit_asked",        # printed in the counter the question asks in (多少场 → 场)
    "unit_other",        # the question asks in a counter and this is another of the same kind (几件 → 条)
    "rank",              # the passage's place in the retrieval (0, 1, 2; scaled)
    "first_number",      # the first number of its sentence
    "crowded",           # how many numbers share its sentence (scaled)
    "carried",           # what it counts is named in the clause before (已办结15042件)
    "actions_agree",     # the same action named on both sides (收到 / 办结 / 不予公开)
    "total_both",        # a total asked (一共) and printed (共/合计)
    "total_unasked",     # printed as a total, no total asked
    "percent",           # a percentage
    "object_share",      # the share of what is counted, named after the question word (几次"推进会"), in its words
    "object_missing",    # the question names what is counted after the question word, and its words print none of it
    "before_share",      # the share of the question's words before the question word in its words
    "context_cosine",    # the encoder's cosine of the question and the clause before with the bound words
    "context_gap",       # that cosine less the best candidate's
    "previous_share",    # the share of the question's bigrams in the clause before its own
    "opening_share",     # the share of the question's bigrams in its sentence's first clause
    "common_only",       # none of the question's words bound to it is telling (政务公开 alone)
    "breakdown_unasked", # a breakdown of a number before it (其中…, in brackets after it), no part asked (里面, 其中)
    "about_both",        # a round figure asked (约, 大概) and printed (约4900, 2万余)
)


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    none_score: float  # the "none of them" option's score
    threshold: float  # the least probability a figure is given with
    rival_share: float  # another value this share of the best's probability makes the answer ambiguous
    # the least probability a figure bound to the question by common words only (政务公开, 信息) is given with;
    # None: never (汇报2次 for "几次政务公开推进会" shares only 政务公开 with the question)
    common_threshold: float | None = None

    def clears(self, probability: float, names_something: bool) -> bool:
        """Whether a figure this probable is given: bound by a telling word at `threshold`, by common words only at
        `common_threshold`."""
        if names_something:
            return probability >= self.threshold
        return self.common_threshold is not None and probability >= self.common_threshold

    def probabilities(self, rows: list[list[float]]) -> tuple[list[float], float]:
        """(each candidate's probability, the probability of none of them)."""
        scores = [sum(w * x for w, x in zip(self.weights, row)) for row in rows]
        top = max(scores + [self.none_score])
        exps = [math.exp(s - top) for s in scores]
        none = math.exp(self.none_score - top)
        total = sum(exps) + none
        return [e / total for e in exps], none / total


def feature_rows(candidates, cosines: list[float], context_cosines: list[float]) -> list[list[float]]:
    """Each candidate's FEATURES, in order (the candidates of `assistant.prose.figure_candidates`), from the
    encoder's cosines of the question and each one's bound words, and of the question and its context."""
    if not candidates:
        return []
    best_cosine = max(cosines)
    best_context = max(context_cosines)
    best_telling = max(c.telling for c in candidates)
    rows = []
    for c, cosine, context in zip(candidates, cosines, context_cosines):
        s = c.signs
        values = {
            "cosine": float(cosine),
            "cosine_gap": float(cosine) - float(best_cosine),
            "bound_share": c.bound / max(s["question_grams"], 1),
            "bound": min(c.bound, 8) / 8,
            "telling": c.telling / 20,
            "telling_gap": (c.telling - best_telling) / 20,
            "adjacent": min(c.adjacent, 6) / 6,
            "run": min(s["run"], 8) / 8,
            "unit_asked": float(c.unit_asked),
            "unit_other": float(s["unit_hinted"] and not c.unit_asked),
            "rank": s["rank"] / 2,
            "first_number": float(s["first_number"]),
            "crowded": min(s["numbers"], 10) / 10,
            "carried": float(s["carried"]),
            "actions_agree": float(s["actions_agree"]),
            "total_both": float(s["total_printed"] and s["total_asked"]),
            "total_unasked": float(s["total_printed"] and not s["total_asked"]),
            "percent": float(s["percent"]),
            "object_share": s["object_share"],
            "object_missing": float(s["object_named"] and s["object_share"] == 0),
            "before_share": s["before_share"],
            "context_cosine": float(context),
            "context_gap": float(context) - float(best_context),
            "previous_share": s["previous_share"],
            "opening_share": s["opening_share"],
            "common_only": float(s["most_telling"] < TELLING),
            "breakdown_unasked": float(s["breakdown"] and not s["part_asked"]),
            "about_both": float(s["about_asked"] and s["about_printed"]),
        }
        rows.append([values[name] for name in FEATURES])
    return rows


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> Ranker | None:
    """The trained ranker, or None where its file is missing (the rules of assistant.prose then decide)."""
    if not path.exists():
        return None
    saved = json.loads(path.read_text(encoding="utf-8"))
    if tuple(saved["features"]) != FEATURES:
        return None  # written for other features: not to be used
    return Ranker(tuple(saved["weights"]), saved["none_score"], saved["threshold"], saved["rival_share"],
                  saved.get("common_threshold"))
