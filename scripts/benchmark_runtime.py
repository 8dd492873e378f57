"""Benchmarks of issue 17, each side by side in one run: cold `reportqa ask` and ingest with embeddings on the ONNX
runtime against the torch one (the previous runtime), and the whole pipeline against a plain jieba + BM25
500-character-chunk pipeline (what general RAG stacks do by default) on the same questions.

    python3 scripts/benchmark_runtime.py [--cold 5] [--rounds 3] [--out FILE]

- cold ask: `reportqa ask` in a fresh process (interpreter start-up included), median of --cold runs, with its peak
  resident memory; a table question and a text question, on a store of the shipped corpus/.
- ingest: the text-format files (txt, md, html) of the shipped corpus/ into a fresh store per round
  with embeddings, the encoder and tokenizer warmed first (a long ingest pays their loading once); reports/s and
  passages/s, median of --rounds.
- baseline: every report's text cut into 500-character chunks, plain jieba (its own dictionary, search-mode cut)
  and bm25s over the whole corpus, no filter by agency or year: the top chunk is what such a stack hands to a
  reader. Counted generously: a question is "covered" when its expected figure stands in the top chunk (top 3
  also given), an upper bound on what any reader of that chunk could answer; questions the corpus does not answer
  always get a chunk. Ours is counted by the citizen set's own judge (tests/devset/citizen_questions.jsonl):
  right, wrong number, or no figure.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from score_devset import emit, is_wrong  # noqa: E402

TABLE_QUESTION = "洋湖乡2023年收到多少政府信息公开申请"
TEXT_QUESTION = "平潭2016年各乡镇主动公开了多少条政府信息"
TEXT_FORMATS = (".txt", ".md", ".html")
CHUNK = 500

# peak resident memory from /proc (VmHWM starts again at exec; ru_maxrss keeps the forking parent's)
_COLD = ("import sys\nfrom assistant.cli import main\nmain(['ask', {question!r}])\n"
         "peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
         "print('COLD', peak, file=sys.stderr)\n")


def cold_ask(home: Path, question: str, runtime: str, runs: int) -> dict:
    from index.embedding import models_dir
    env = dict(os.environ, REPORTQA_HOME=str(home), REPORTQA_MODELS=str(models_dir()),  # models built once
               REPORTQA_ENCODER_RUNTIME=runtime, PYTHONPATH=str(ROOT))
    walls, rss = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _COLD.format(question=question)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        walls.append(time.perf_counter() - t0)
        line = [x for x in done.stderr.splitlines() if x.startswith("COLD")]
        if done.returncode or not line:
            raise RuntimeError(done.stderr[-2000:])
        rss.append(int(line[-1].split()[1]) / 1024)
        noise = [x for x in done.stderr.splitlines() if not x.startswith("COLD")]
        if noise:
            raise RuntimeError(f"ask printed to stderr: {noise[:3]}")
    return {"median_s": statistics.median(walls), "runs": walls, "rss_mb": statistics.median(rss)}


def ingest_rounds(paths: list[Path], runtime: str, rounds: int, model: str | None = None) -> dict:
    from index import embedding
    from index.ingest import ingest_paths
    from index.store import Store
    from index.tokenize import base_tokenizer

    os.environ["REPORTQA_ENCODER_RUNTIME"] = runtime
    os.environ["REPORTQA_EMBEDDING_MODEL"] = model or embedding.DEFAULT_MODEL
    embedding.get_encoder().encode_passages(["预热"] * 4)  # loaded once, as in a long ingest
    base_tokenizer()._thaw()
    per_round, passages = [], 0
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as home:
            store = Store(Path(home) / "reportqa.sqlite3")
            t0 = time.perf_counter()
            outcomes = ingest_paths(store, paths)
            seconds = time.perf_counter() - t0
            assert all(o.status == "ingested" for o in outcomes), [o.line() for o in outcomes]
            passages = store.conn.execute("SELECT COUNT(*) FROM passages WHERE vector IS NOT NULL").fetchone()[0]
            per_round.append(seconds)
            store.close()
    seconds = statistics.median(per_round)
    return {"reports_s": len(paths) / seconds, "passages_s": passages / seconds, "passages": passages,
            "rounds_s": per_round}


def _passages(paths: list[Path]) -> list[dict]:
    from index.ingest import ingest_paths
    from index.store import Store

    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "reportqa.sqlite3")
        ingest_paths(store, paths, encode=False)
        rows = [dict(r) for r in store.passages()]
        store.close()
    return rows


def _has_figure(text: str, value: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])", text) is not None


def chunk_baseline(store, items: list[dict]) -> dict:
    """Plain jieba + bm25s over 500-character chunks of every report's text, no filters."""
    import bm25s
    import jieba

    t0 = time.perf_counter()
    chunks = []
    for report in store.reports():
        text = store.report_text(report.id)
        chunks += [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
    cut = jieba.Tokenizer()
    bm25 = bm25s.BM25()
    bm25.index([cut.lcut_for_search(c) for c in chunks], show_progress=False)
    build = time.perf_counter() - t0
    covered1 = covered3 = absent_given = 0
    laps = []
    for item in items:
        t0 = time.perf_counter()
        found, _ = bm25.retrieve([cut.lcut_for_search(item["q"])], k=3, show_progress=False)
        laps.append((time.perf_counter() - t0) * 1000)
        top = [chunks[int(i)] for i in found[0]]
        values = item.get("values") or []
        if item["status"] != "answered":
            absent_given += 1
        elif values and all(_has_figure(top[0], v) for v in values):
            covered1 += 1
            covered3 += 1
        elif values and all(any(_has_figure(c, v) for c in top) for v in values):
            covered3 += 1
    return {"chunks": len(chunks), "build_s": build, "covered1": covered1, "covered3": covered3,
            "absent_given": absent_given, "p50_ms": statistics.median(laps),
            "p95_ms": statistics.quantiles(laps, n=20)[-1]}


def our_pipeline(store, items: list[dict]) -> dict:
    from assistant.answer import answer_question
    from score_devset import judge_citizen

    right = wrong = 0
    laps = []
    for item in items:
        t0 = time.perf_counter()
        answer = answer_question(item["q"], store, item.get("history") or None)
        laps.append((time.perf_counter() - t0) * 1000)
        problem = judge_citizen(item, answer)
        right += problem is None
        wrong += bool(problem) and is_wrong(problem)
    return {"right": right, "wrong": wrong, "p50_ms": statistics.median(laps),
            "p95_ms": statistics.quantiles(laps, n=20)[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    from index.embedding import models_dir
    os.environ.setdefault("REPORTQA_MODELS", str(models_dir()))  # temporary stores, the machine's built models
    from index.ingest import expand_paths, ingest_paths
    from index.store import Store

    sources = [ROOT / "corpus"]  # the shipped corpus: the seed and the real reports
    paths = expand_paths(sources)
    lines = ["| what | ONNX Runtime (int8, pruned vocabulary) | torch (sentence-transformers) |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "reportqa.sqlite3")
        ingest_paths(store, paths)
        store.close()
        for name, question in (("table question", TABLE_QUESTION), ("text question", TEXT_QUESTION)):
            onnx, torch = (cold_ask(Path(home), question, r, args.cold) for r in ("onnx", "torch"))
            lines.append(f"| cold `reportqa ask`, {name} (median of {args.cold} processes) | {onnx['median_s']:.2f} s, "
                         f"{onnx['rss_mb']:.0f} MB | {torch['median_s']:.2f} s, {torch['rss_mb']:.0f} MB |")
    text_paths = [p for p in paths if p.suffix.lower() in TEXT_FORMATS]
    onnx, torch = (ingest_rounds(text_paths, r, args.rounds) for r in ("onnx", "torch"))
    lines.append(f"| ingest with embeddings, {len(text_paths)} text-format reports ({onnx['passages']} passages), "
                 f"median of {args.rounds} | {onnx['reports_s']:.1f} reports/s, {onnx['passages_s']:.0f} passages/s | "
                 f"{torch['reports_s']:.1f} reports/s, {torch['passages_s']:.0f} passages/s |")
    from index.embedding import DEFAULT_MODEL, STATIC_MODEL, get_encoder
    static = ingest_rounds(text_paths, "onnx", args.rounds, STATIC_MODEL)
    texts = [p["text"] for p in _passages(paths)]
    t0 = time.perf_counter()
    get_encoder(STATIC_MODEL).encode_passages(texts)
    encode_only = len(texts) / (time.perf_counter() - t0)
    lines += ["", f"The static bulk-ingest model (`REPORTQA_EMBEDDING_MODEL={STATIC_MODEL}`), the same ingest: "
                  f"{static['reports_s']:.1f} reports/s, {static['passages_s']:.0f} passages/s end to end; encoding "
                  f"alone {encode_only:,.0f} passages/s."]
    os.environ["REPORTQA_EMBEDDING_MODEL"] = DEFAULT_MODEL
    os.environ["REPORTQA_ENCODER_RUNTIME"] = "onnx"
    items = [json.loads(line) for line in (ROOT / "tests" / "devset" / "citizen_questions.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "reportqa.sqlite3")
        ingest_paths(store, paths)
        ours, base = our_pipeline(store, items), chunk_baseline(store, items)
        store.close()
    answered = sum(i["status"] == "answered" for i in items)
    absent = len(items) - answered
    lines += ["", f"Citizen questions ({len(items)}: {answered} the reports answer, {absent} they do not or that are "
                  "ambiguous), the same store:", "",
              "| pipeline | right | wrong numbers | figure in the top chunk (top 3) | questions without an answer "
              "given a passage anyway | p50 / p95 ms per question |", "|---|---|---|---|---|---|",
              f"| reportqa (`answer_question`) | {ours['right']}/{len(items)} | {ours['wrong']} | — | — | "
              f"{ours['p50_ms']:.1f} / {ours['p95_ms']:.1f} |",
              f"| jieba + BM25, {CHUNK}-character chunks ({base['chunks']} chunks) | — | — | {base['covered1']}/{answered} "
              f"({base['covered3']}/{answered}) | {base['absent_given']}/{absent} | {base['p50_ms']:.1f} / "
              f"{base['p95_ms']:.1f} |"]
    emit(lines, args.out)


if __name__ == "__main__":
    main()
