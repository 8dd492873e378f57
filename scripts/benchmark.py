"""Benchmarks (not timed tests): ingest throughput and in-process `ask` latency for table lookups.

    python scripts/benchmark.py [--rounds 5] [--out docs/benchmarks.md]

Ingest: a fresh store per round, every file of the shipped corpus/; reports/s per round, median.
Ask: one warm store; every answered dev-set question asked `--repeat` times in-process (interpreter start-up and
store opening not counted); p50/p95 over all calls.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant.answer import answer_question  # noqa: E402
from index.ingest import expand_paths, ingest_paths  # noqa: E402
from index.store import Store  # noqa: E402
from score_devset import emit, load_devset  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bench_ingest(paths: list[Path], rounds: int) -> dict:
    per_round, per_format = [], {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as home:
            store = Store(Path(home) / "reportqa.sqlite3")
            start = time.perf_counter()
            for path in paths:
                t0 = time.perf_counter()
                ingest_paths(store, [path])
                per_format.setdefault(path.suffix.lower(), []).append(time.perf_counter() - t0)
            per_round.append(len(paths) / (time.perf_counter() - start))
            store.close()
    return {"reports_per_s": statistics.median(per_round), "rounds": per_round,
            "per_format_ms": {k: statistics.median(v) * 1000 for k, v in sorted(per_format.items())}}


def bench_ask(paths: list[Path], repeat: int, questions: list | None = None) -> dict:
    questions = questions or [i["q"] for i in load_devset() if i["status"] == "answered"]
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "reportqa.sqlite3")
        ingest_paths(store, paths)
        for q in questions:  # warm-up
            answer_question(q[0], store, q[1]) if isinstance(q, tuple) else answer_question(q, store)
        times = []
        for _ in range(repeat):
            for q in questions:
                t0 = time.perf_counter()
                if isinstance(q, tuple):  # (question, history)
                    answer_question(q[0], store, q[1])
                else:
                    answer_question(q, store)
                times.append((time.perf_counter() - t0) * 1000)
        store.close()
    return {"questions": len(questions), "calls": len(times), "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args()
    sources = [ROOT / "corpus"]  # the shipped corpus: the seed and the real reports
    paths = expand_paths(sources)
    ingest = bench_ingest(paths, args.rounds)
    ask = bench_ask(paths, args.repeat)
    from score_analytics import load as load_analytic
    computed = [(i["q"], i.get("history", [])) for i in load_analytic()
                if i["intent"] in ("change", "compare", "trend", "rank", "share", "sum") and i["status"] == "answered"]
    analytic = bench_ask(paths, args.repeat, computed)
    lines = [
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        f"ingest: {len(paths)} reports, median {ingest['reports_per_s']:.1f} reports/s over {args.rounds} rounds "
        f"(rounds: {', '.join(f'{r:.1f}' for r in ingest['rounds'])})",
        "ingest median per file by format (ms): " +
        ", ".join(f"{k} {v:.1f}" for k, v in ingest["per_format_ms"].items()),
        f"ask (table lookups, warm store, in-process): {ask['questions']} questions x {args.repeat} = {ask['calls']} "
        f"calls, p50 {ask['p50_ms']:.2f} ms, p95 {ask['p95_ms']:.2f} ms",
        f"computed answers (change/compare/trend/rank/share/sum, parsing included): {analytic['questions']} "
        f"questions x {args.repeat} = {analytic['calls']} calls, p50 {analytic['p50_ms']:.2f} ms, "
        f"p95 {analytic['p95_ms']:.2f} ms",
    ]
    emit(lines, args.out)


if __name__ == "__main__":
    main()
