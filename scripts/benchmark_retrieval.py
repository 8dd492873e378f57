"""Retrieval benchmarks (not timed tests): encoding throughput, query latency at 1k/10k/100k passages, index
memory, and where an inverted-file index (IVFFlat) starts to beat an exact inner-product scan.

    python scripts/benchmark_retrieval.py [--sizes 1000 10000 100000] [--out docs/retrieval_benchmarks.md]

The real passages of the shipped corpus/ are stored once; larger sets replicate them under synthetic
agency names (each replica a report of its own, vectors jittered so that replicas are not exact duplicates).
Query latency is measured in-process over the literal prose dev questions, filtered to one report (how `ask`
searches) and unfiltered (how `reportqa search` without --agency/--year searches); hybrid includes encoding
the question.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant.retrieve import RRF_K, WEIGHTS  # noqa: E402
from index.embedding import get_encoder  # noqa: E402
from index.search_index import IVF_LISTS_PER_SQRT, IVF_NPROBE, SearchIndex, build_dense_index  # noqa: E402
from index.tokenize import base_tokenizer  # noqa: E402
from score_devset import build_store, emit  # noqa: E402
from score_retrieval import load  # noqa: E402
from benchmark import percentile  # noqa: E402


def replicate(tokens: list[str], vectors: np.ndarray, size: int, rng) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """size passages: the real ones repeated, each replica its own report (report id = replica number)."""
    n = len(tokens)
    reps = -(-size // n)
    all_tokens = [t.split() or [""] for _ in range(reps) for t in tokens][:size]
    vecs = np.tile(vectors, (reps, 1))[:size] + rng.normal(0, 0.01, (reps * n, vectors.shape[1]))[:size]
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    report_of = np.repeat(np.arange(reps), n)[:size]
    return all_tokens, vecs, report_of


def build_index(tokens, vectors) -> tuple[SearchIndex, float]:
    import bm25s

    t0 = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    index = SearchIndex(np.arange(len(tokens), dtype=np.int64), bm25, vectors, "bench", "bench")
    index._dense_index()
    return index, time.perf_counter() - t0


def rrf(rankings) -> list[int]:
    fused: dict[int, float] = {}
    for name, hits in rankings.items():
        for rank, hit in enumerate(hits, 1):
            fused[hit.passage_id] = fused.get(hit.passage_id, 0.0) + WEIGHTS[name] / (RRF_K + rank)
    return sorted(fused, key=fused.get, reverse=True)[:10]


def time_queries(index: SearchIndex, encoder, questions: list[str], allowed_of) -> dict:
    tk = base_tokenizer()
    out = {"keyword": [], "dense": [], "hybrid": []}
    for i, q in enumerate(questions):
        allowed = allowed_of(i)
        t0 = time.perf_counter()
        index.keyword(tk.tokens(q), allowed, 50)
        out["keyword"].append((time.perf_counter() - t0) * 1000)
        vec = encoder.encode_query(q)
        t0 = time.perf_counter()
        index.dense(vec, allowed, 50)
        out["dense"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        rrf({"keyword": index.keyword(tk.tokens(q), allowed, 50),
             "dense": index.dense(encoder.encode_query(q), allowed, 50)})
        out["hybrid"].append((time.perf_counter() - t0) * 1000)
    return {k: (percentile(v, 0.5), percentile(v, 0.95)) for k, v in out.items()}


def index_memory(index: SearchIndex) -> dict:
    import faiss

    bm25_bytes = sum(a.nbytes for a in (index.bm25.scores["data"], index.bm25.scores["indices"],
                                        index.bm25.scores["indptr"]))
    return {"vectors_mb": index.vectors.nbytes / 2**20, "bm25_mb": bm25_bytes / 2**20,
            "faiss_mb": len(faiss.serialize_index(index._dense_index())) / 2**20}


def crossover(vectors: np.ndarray, queries: np.ndarray, sizes: list[int], rng) -> list[tuple]:
    """(corpus, n, exact ms/query, IVF ms/query, IVF build s, IVF recall@10 vs exact) for unfiltered top-10, on two
    corpora: "replicated" (the real passages repeated with a little noise: clusters of near-duplicates, as
    templated reports make) and "mixed" (each vector a random blend of two real ones: no clusters)."""
    import faiss

    faiss.omp_set_num_threads(1)
    rows = []
    for n, corpus in [(n, c) for n in sizes for c in ("replicated", "mixed")]:
        if corpus == "replicated":
            reps = -(-n // len(vectors))
            data = np.tile(vectors, (reps, 1))[:n] + rng.normal(0, 0.01, (reps * len(vectors), vectors.shape[1]))[:n]
        else:
            i, j = rng.integers(0, len(vectors), n), rng.integers(0, len(vectors), n)
            w = rng.uniform(0, 0.5, (n, 1))
            data = (1 - w) * vectors[i] + w * vectors[j] + rng.normal(0, 0.01, (n, vectors.shape[1]))
        data = (data / np.linalg.norm(data, axis=1, keepdims=True)).astype(np.float32)
        flat = faiss.IndexFlatIP(data.shape[1])
        flat.add(data)
        t0 = time.perf_counter()
        faiss.omp_set_num_threads(2)  # building uses the machine; a question is one thread
        ann = build_dense_index(data, exact_below=0)  # the index the store builds, at every size
        build = time.perf_counter() - t0
        faiss.omp_set_num_threads(1)
        times = {}
        results = {}
        for name, index in (("exact", flat), ("ann", ann)):
            laps = []
            for q in queries:
                t0 = time.perf_counter()
                _, found = index.search(q.reshape(1, -1), 10)
                laps.append((time.perf_counter() - t0) * 1000)
                results.setdefault(name, []).append(set(found[0]))
            times[name] = statistics.median(laps)
        # replicas carry their own noise, so every vector is distinct: recall@10 is the share of the exact
        # scan's ten that the IVF index returns
        recall = statistics.mean(len(a & b) / len(a) for a, b in zip(results["exact"], results["ann"]))
        rows.append((corpus, n, times["exact"], times["ann"], build, recall))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--out")
    parser.add_argument("--million", action="store_true", help="also the exact-vs-IVF comparison at 1M passages "
                        "(minutes, about 2 GB of memory)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    encoder = get_encoder()
    lines = []
    with tempfile.TemporaryDirectory() as home:
        store = build_store(Path(home))
        rows = store.conn.execute("SELECT tokens, vector, text FROM passages ORDER BY id").fetchall()
        store.close()
    tokens = [r[0] for r in rows]
    vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
    texts = [r[2] for r in rows]

    sample = texts[: min(256, len(texts))]
    encoder.encode_passages(sample[:8])
    t0 = time.perf_counter()
    encoder.encode_passages(sample)
    rate = len(sample) / (time.perf_counter() - t0)
    mean_len = statistics.mean(len(t) for t in sample)
    lines.append(f"encoding: {rate:.1f} passages/s ({len(sample)} real passages, mean {mean_len:.0f} characters, "
                 f"batch 32, model {encoder.name})")
    t0 = time.perf_counter()
    for t in texts[:50]:
        encoder.encode_query(t[:30])
    lines.append(f"question encoding: {(time.perf_counter() - t0) / 50 * 1000:.1f} ms per question")

    questions = [q["q"] for q in load()]
    lines += ["", "| passages | build s | filter | keyword p50/p95 ms | dense p50/p95 ms | hybrid p50/p95 ms "
                  "(incl. encoding) | vectors MB | bm25 MB | faiss MB | dense index |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for size in args.sizes:
        rep_tokens, rep_vectors, report_of = replicate(tokens, vectors, size, rng)
        index, build = build_index(rep_tokens, rep_vectors)
        memory = index_memory(index)
        by_report = {}
        for pid, rep in enumerate(report_of):
            by_report.setdefault(int(rep), []).append(pid)
        reports = list(by_report.values())
        # filtered: one report's passages (a real report holds 10–50); unfiltered: everything
        for label, allowed_of in (("one report", lambda i: reports[i % len(reports)][:40]),
                                  ("none", lambda i: None)):
            t = time_queries(index, encoder, questions, allowed_of)
            kind = type(index._dense_index()).__name__
            lines.append(f"| {size:,} | {build:.1f} | {label} | {t['keyword'][0]:.2f} / {t['keyword'][1]:.2f} | "
                         f"{t['dense'][0]:.2f} / {t['dense'][1]:.2f} | {t['hybrid'][0]:.2f} / {t['hybrid'][1]:.2f} | "
                         f"{memory['vectors_mb']:.1f} | {memory['bm25_mb']:.1f} | {memory['faiss_mb']:.1f} | {kind} |")
        print("\n".join(lines[-2:]), flush=True)

    query_vectors = np.vstack([encoder.encode_query(q) for q in questions[:40]])
    lines += ["", f"exact scan vs IVFFlat ({IVF_LISTS_PER_SQRT}·√n lists, {IVF_NPROBE} searched), unfiltered top-10, "
                  "median ms/query:",
              "", "| corpus | passages | exact ms | IVF ms | IVF build s | IVF recall@10 of the exact scan's ten |",
              "|---|---|---|---|---|---|"]
    sizes = [1000, 5000, 10000, 25000, 50000, 100000] + ([1_000_000] if args.million else [])
    for corpus, n, exact, ann, build, recall in crossover(vectors, query_vectors, sizes, rng):
        lines.append(f"| {corpus} | {n:,} | {exact:.3f} | {ann:.3f} | {build:.1f} | {recall:.3f} |")
    emit(lines, args.out)


if __name__ == "__main__":
    main()
