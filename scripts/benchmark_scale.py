"""Benchmarks past one machine (issue 19; results in docs/scaling.md): bulk ingest on Ray with 1 and 2 workers
against the serial ingest, on report files made from the shipped corpus's real reports under synthetic agencies.

    python scripts/benchmark_scale.py ingest [--files 200] [--rounds 1] [--into DIR --sizes 10000 [--postgresql URL]]
    python scripts/benchmark_scale.py stores --sizes 10000 100000 [--postgresql URL] [--questions 50] [--keep DIR]
    python scripts/benchmark_scale.py writes [--files 60] [--postgresql URL]
    python scripts/benchmark_scale.py hnsw --sizes 50000 200000 --postgresql URL
    python scripts/benchmark_scale.py after --keep DIR --sizes 10000 [--postgresql URL]

Each synthetic file is a real report of the shipped corpus (its text formats: .txt, .md, .html) with its place
name (平潭, 洪泽 …) replaced by a made-up one, so that every file is a new report of a new agency: read, decoded,
checked, encoded and stored like any other. PDFs are left out (their text cannot be rewritten in place).

`stores`: stores of 10k and 100k reports made by replicating the shipped corpus's 20 stored reports inside the
database (every row of every table copied under a made-up agency name, ids shifted; vectors and keyword terms
copied too: what ingest would write for the same reports under those names), on SQLite and on PostgreSQL; then
the size per report, and the latency of a table lookup and of hybrid search (one agency's reports, and the whole
store), each question in-process on a warm store, medians and p95.

`ingest --into DIR`: the same ingests into the stores that `stores --keep DIR` made (10k, 100k reports): whether
writing a report costs more when the store is large. Each configuration ingests its own new agencies' files.
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.ingest import expand_paths, ingest_paths  # noqa: E402
from index.store import Store  # noqa: E402

PLACES = ("平潭", "洪泽", "洋湖", "沐阳", "沭阳", "上海")  # the place names of the shipped corpus's agencies
# Made-up place names: two characters no real place of the corpus uses, 60 × 59 of them, then three
NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土东南西北青赤黄白黑龙凤麟鹤松柏梅兰竹菊春夏秋冬晨曦岭峰"
TEXT_FORMATS = (".txt", ".md", ".html")


def synthetic_names():
    for size in (2, 3):
        for chars in itertools.permutations(NAME_CHARS, size):
            yield "".join(chars)


def decoded(path: Path) -> str:
    from index.readers.text import decode_text

    return decode_text(path.read_bytes())[0]


def make_files(n: int, folder: Path, skip: int = 0) -> list[Path]:
    """n report files: the shipped text-format reports in turn, each under a made-up place name (the names after the
    first `skip`, so that files made for another run are other agencies)."""
    sources = [p for p in expand_paths([ROOT / "corpus"]) if p.suffix.lower() in TEXT_FORMATS]
    texts = [(p, decoded(p)) for p in sources]
    out = []
    for i, name in zip(range(n), itertools.islice(synthetic_names(), skip, None)):
        source, text = texts[i % len(texts)]
        for place in PLACES:
            text = text.replace(place, name)
        path = folder / f"{i:06d}_{name}_{source.name}"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def bench_ingest(files: list[Path], how: str, workers: int | None, into=None) -> dict:
    """Ingests `files` into an empty SQLite store, or into the store `into()` opens (one already holding reports)."""
    with tempfile.TemporaryDirectory() as home:
        store = into() if into else Store(Path(home) / "reportqa.sqlite3")
        before = store.counts()["passages"]
        start = time.perf_counter()
        if how == "serial":
            outcomes = ingest_paths(store, files)
        else:
            from index.ray_ingest import ingest_paths_ray
            outcomes = ingest_paths_ray(store, files, workers=workers)
        seconds = time.perf_counter() - start
        passages = store.counts()["passages"] - before
        store.close()
    ok = sum(o.status == "ingested" for o in outcomes)
    return {"files": len(files), "ingested": ok, "seconds": seconds, "reports_per_s": ok / seconds,
            "passages_per_s": passages / seconds, "passages": passages}


# ---- stores of many reports -----------------------------------------------------------------------------------
CHILD_TABLES = ("paragraphs", "grids", "facts", "findings", "decoded_cells", "contacts")
DIGITS = "甲乙丙丁戊己庚辛壬癸"  # copy k is the agency of a made-up place named by k's digits in these characters


def place_sql(k: str) -> str:
    """SQL naming copy k's made-up place: its digits as DIGITS, then 区 (no digit in a name: years are digits)."""
    expr = f"CAST({k} AS TEXT)"
    for digit, char in enumerate(DIGITS):
        expr = f"replace({expr}, '{digit}', '{char}')"
    return f"({expr} || '区')"


def place(k: int) -> str:
    return "".join(DIGITS[int(d)] for d in str(k)) + "区"


class Database:
    """A raw connection to a store's database, with the few differences of the two backends."""

    def __init__(self, store):
        self.store = store
        self.pg = hasattr(store, "url")
        if self.pg:
            import psycopg
            self.conn = psycopg.connect(store.url, autocommit=True)
        else:
            self.conn = store.conn

    def run(self, sql: str) -> None:
        self.conn.execute(sql)
        if not self.pg:
            self.conn.commit()

    def value(self, sql: str):
        return self.conn.execute(sql).fetchone()[0]

    def columns(self, table: str) -> list[str]:
        if self.pg:
            return [r[0] for r in self.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                (table,))]
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def size_bytes(self) -> int:
        if self.pg:
            return self.value("SELECT pg_database_size(current_database())")
        return Path(self.store.path).stat().st_size


def copies(first: int, last: int) -> str:
    return (f"WITH RECURSIVE g(k) AS (SELECT {first} UNION ALL SELECT k + 1 FROM g WHERE k < {last}) ")


def replicate(store, total_reports: int, batch: int = 500) -> None:
    """Copies of the store's reports (as ingested from the shipped corpus) until it holds `total_reports`."""
    db = Database(store)
    n = db.value("SELECT COUNT(*) FROM reports")
    stride = {t: db.value(f"SELECT COALESCE(MAX(id), 0) FROM {t}") + 1
              for t in ("reports", "passages") + CHILD_TABLES}
    wanted = -(-total_reports // n) - 1  # copies beyond the originals
    for first in range(1, wanted + 1, batch):
        last = min(first + batch - 1, wanted)
        with_g = copies(first, last)
        name = place_sql("g.k")
        cols = db.columns("reports")
        shifted = {"id": f"r.id + g.k * {stride['reports']}", "agency": f"{name} || r.agency",
                   "aliases": f"replace(replace(r.aliases, '[\"', '[\"' || {name}), '\", \"', '\", \"' || {name})",
                   "sha256": "r.sha256 || '-' || CAST(g.k AS TEXT)", "source_name": f"{name} || r.source_name",
                   "title": f"{name} || r.title"}
        db.run(f"INSERT INTO reports ({', '.join(cols)}) {with_g} SELECT "
               + ", ".join(shifted.get(c, f"r.{c}") for c in cols) + f" FROM reports r, g WHERE r.id < {stride['reports']}")
        for table in CHILD_TABLES + ("passages",):
            cols = db.columns(table)
            shifted = {"id": f"t.id + g.k * {stride[table]}", "report_id": f"t.report_id + g.k * {stride['reports']}"}
            db.run(f"INSERT INTO {table} ({', '.join(cols)}) {with_g} SELECT "
                   + ", ".join(shifted.get(c, f"t.{c}") for c in cols)
                   + f" FROM {table} t, g WHERE t.report_id < {stride['reports']}")
        if db.pg:
            db.run(f"INSERT INTO passage_terms (passage_id, term, tf) {with_g} SELECT t.passage_id + g.k * "
                   f"{stride['passages']}, t.term, t.tf FROM passage_terms t, g WHERE t.passage_id < {stride['passages']}")
        print(f"  {min((last + 1) * n, total_reports)} reports", file=sys.stderr, flush=True)
    if db.pg:
        db.run("UPDATE store_state SET version = version + 1")
        db.run("ANALYZE")
        for sequence_table in ("reports", "passages") + CHILD_TABLES:  # later inserts continue after the copies
            db.run(f"SELECT setval(pg_get_serial_sequence('{sequence_table}', 'id'), "
                   f"(SELECT MAX(id) FROM {sequence_table}))")


def timed(calls) -> dict:
    times = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    ordered = sorted(times)
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000}


def bench_store(store, size: int, questions: int) -> dict:
    import random

    from assistant.answer import answer_question
    from assistant.retrieve import get_retriever

    from index.embedding import DEFAULT_MODEL
    from index.pg_store import HNSW_INDEXES, _hnsw_index

    db = Database(store)
    t0 = time.perf_counter()
    kept = db.value("SELECT COUNT(*) FROM reports") >= size  # made by an earlier run with --keep
    if db.pg and not kept:  # bulk load as a national ingest would: without the HNSW index, built once at the end
        db.run(f"DROP INDEX IF EXISTS {HNSW_INDEXES[DEFAULT_MODEL]}")
    if not kept:
        replicate(store, size)
    made = None if kept else time.perf_counter() - t0
    hnsw_build = None
    if db.pg and not kept:
        t0 = time.perf_counter()
        db.run("SET maintenance_work_mem = '4GB'")
        db.run(_hnsw_index(DEFAULT_MODEL))
        hnsw_build = time.perf_counter() - t0
    reports = db.value("SELECT COUNT(*) FROM reports")
    passages = db.value("SELECT COUNT(*) FROM passages")
    t0 = time.perf_counter()
    retriever = get_retriever(store)
    retriever.index()
    store.reports()
    warm = time.perf_counter() - t0
    rng = random.Random(0)
    copies_made = reports // 20 - 1
    ks = [rng.randint(1, copies_made) for _ in range(questions)]
    table = timed(lambda k=k: answer_question(f"{place(k)}洋湖乡2023年收到多少政府信息公开申请？", store) for k in ks)
    one_agency = timed(lambda k=k: retriever.search(f"{place(k)}洋湖乡政务公开存在哪些主要问题",
                                                    [r.id for r in store.reports().of_agencies([place(k) + "樟树市洋湖乡"])])
                       for k in ks)
    whole = timed(lambda q=q: retriever.search(q) for q in
                  ["政务公开存在哪些主要问题", "政务新媒体关停注销", "依申请公开办理时限", "政府信息公开工作机构人员"] *
                  max(1, questions // 4))
    # whole answers: a text question of one agency, and a ranking of every agency of a year (few: slow by nature)
    text_answer = timed(lambda k=k: answer_question(f"{place(k)}洋湖乡2023年政务公开存在哪些主要问题", store) for k in ks)
    ranking = timed(lambda: answer_question("2023年哪个单位收到的政府信息公开申请最多", store) for _ in range(3))
    check = answer_question(f"{place(ks[0])}洋湖乡2023年收到多少政府信息公开申请？", store)
    return {"reports": reports, "passages": passages, "made_s": made, "hnsw_s": hnsw_build, "first_question_s": warm,
            "bytes_per_report": db.size_bytes() / reports, "table": table, "hybrid_one_agency": one_agency,
            "hybrid_whole_store": whole, "text_answer": text_answer, "ranking": ranking,
            "check": check.status + " " + check.answer[:60]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("ingest", help="serial vs Ray with 1 and 2 workers")
    p.add_argument("--files", type=int, default=200)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--into", metavar="DIR", help="ingest into the stores kept by `stores --keep DIR` (SQLite; and "
                   "PostgreSQL with --postgresql) of --sizes reports, instead of an empty store")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    p.add_argument("--postgresql")
    p.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one backend")
    p = sub.add_parser("stores", help="latency and size at 10k and 100k reports, SQLite and PostgreSQL")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--postgresql", help="a PostgreSQL server to make the databases on (else SQLite only)")
    p.add_argument("--questions", type=int, default=40)
    p.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one backend")
    p.add_argument("--keep", metavar="DIR", help="keep the stores made (SQLite in DIR, PostgreSQL databases on the "
                   "server) and measure the ones kept there by an earlier run")
    p = sub.add_parser("writes", help="the writer alone: commit per file, SQLite and PostgreSQL")
    p.add_argument("--files", type=int, default=60)
    p.add_argument("--postgresql")
    p.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one backend")
    p = sub.add_parser("after", help="a running process's first answers after another writer adds a report")
    p.add_argument("--keep", metavar="DIR", required=True, help="the stores kept by `stores --keep DIR`")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    p.add_argument("--postgresql")
    p.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one backend")
    p = sub.add_parser("hnsw", help="pgvector HNSW build time, size and recall at sizes")
    p.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    p.add_argument("--postgresql", required=True)
    args = parser.parse_args()
    if args.what == "hnsw":
        return hnsw(args)
    if args.what == "stores":
        return stores(args)
    if args.what == "writes":
        return writes(args)
    if args.what == "after":
        return after_ingest(args)
    if args.into:
        return ingest_into(args)
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(args.files, Path(folder))
        runs = {"serial": [], "ray, 1 worker": [], "ray, 2 workers": []}
        for _ in range(args.rounds):
            runs["serial"].append(bench_ingest(files, "serial", None))
            runs["ray, 1 worker"].append(bench_ingest(files, "ray", 1))
            runs["ray, 2 workers"].append(bench_ingest(files, "ray", 2))
    print(f"| how | files | ingested | reports/s (median of {args.rounds}) | passages/s | seconds |")
    print("|---|---|---|---|---|---|")
    for how, results in runs.items():
        med = lambda key: statistics.median(r[key] for r in results)  # noqa: E731
        print(f"| {how} | {results[0]['files']} | {results[0]['ingested']} | {med('reports_per_s'):.2f} | "
              f"{med('passages_per_s'):.0f} | {med('seconds'):.1f} |")


def ingest_into(args) -> None:
    """Serial and Ray ingests into stores already holding 10k or 100k reports (kept by `stores --keep`)."""
    print("| backend | reports before | how | files | ingested | reports/s | passages/s | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        for backend in _backends(args):
            home = Path(args.into) / f"home_{size}"
            os.environ["REPORTQA_HOME"] = str(home)
            into = (lambda home=home: Store(home / "reportqa.sqlite3")) if backend == "sqlite" else \
                (lambda size=size: _pg_store(args.postgresql, f"scale_{size}", keep=True))
            for how, workers in (("serial", None), ("ray, 1 worker", 1), ("ray, 2 workers", 2)):
                probe = into()
                before = probe.counts()["reports"]
                probe.close()
                with tempfile.TemporaryDirectory() as folder:
                    # names past the store's count of reports: no earlier run into this store used them
                    files = make_files(args.files, Path(folder), skip=before)
                    r = bench_ingest(files, "serial" if workers is None else "ray", workers, into)
                print(f"| {backend} | {before:,} | {how} | {r['files']} | {r['ingested']} | {r['reports_per_s']:.2f} "
                      f"| {r['passages_per_s']:.0f} | {r['seconds']:.1f} |", flush=True)


def writes(args) -> None:
    """The writer's share of ingest: files read and encoded once, then only `commit` (checks, one transaction per
    file) timed into each backend: what one ingest driver can write per second, whatever its workers read."""
    from index.ingest import _sha_unless_stored, add_vectors, commit, prepare

    with tempfile.TemporaryDirectory() as folder:
        files = make_files(args.files, Path(folder))
        with tempfile.TemporaryDirectory() as scratch:
            probe = Store(Path(scratch) / "probe.sqlite3")
            prepared = [prepare(f, _sha_unless_stored(probe, f)) for f in files]
        add_vectors(prepared)
        print("| backend | files | commit per file p50 / p95 | files/s, one writer |")
        print("|---|---|---|---|")
        for backend in _backends(args):
            with tempfile.TemporaryDirectory() as home:
                store = Store(Path(home) / "reportqa.sqlite3") if backend == "sqlite" else _pg_store(args.postgresql,
                                                                                                   "scale_writes")
                times = []
                for item in prepared:
                    t0 = time.perf_counter()
                    outcome = commit(store, item)
                    times.append(time.perf_counter() - t0)
                    assert outcome.status == "ingested", outcome.line()
                store.close()
            ordered = sorted(times)
            print(f"| {backend} | {len(times)} | {statistics.median(ordered) * 1000:.0f} / "
                  f"{ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms | {len(times) / sum(times):.1f} |",
                  flush=True)


def hnsw(args) -> None:
    """pgvector's HNSW index (the store's: inner product, default m 16 / ef_construction 64) over n distinct
    vectors made from the shipped corpus's real passage vectors as benchmark_retrieval.py's "mixed" corpus makes
    them (each a random blend of two real ones plus a little noise: no exact duplicates, which pgvector folds into
    one element and would flatter the index; uniform random vectors, tried first, have no neighbourhoods at all
    and no ANN index finds them); queries are the real passages with a little noise. Build time, size per vector,
    recall@10 against the exact scan and latency at ef_search 40 and 200."""
    import numpy as np
    import psycopg
    from psycopg.conninfo import make_conninfo

    print("| vectors | build | index size per vector | recall@10, ef_search 40 / 200 | latency p50, ef 40 / 200 |")
    print("|---|---|---|---|---|")
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as home:
        corpus = Store(Path(home) / "reportqa.sqlite3")
        ingest_paths(corpus, [ROOT / "corpus"])
        real = np.vstack([np.frombuffer(b, dtype=np.float32) for b in corpus.passage_vectors(
            corpus.conn.execute("SELECT vector_model FROM passages LIMIT 1").fetchone()[0])[1]])
        corpus.close()
    with psycopg.connect(args.postgresql, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS scale_hnsw WITH (FORCE)")
        admin.execute("CREATE DATABASE scale_hnsw")
    with psycopg.connect(make_conninfo(args.postgresql, dbname="scale_hnsw"), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        for n in args.sizes:
            conn.execute("DROP TABLE IF EXISTS v")
            conn.execute("CREATE TABLE v (id BIGINT PRIMARY KEY, e vector(384))")
            i, j = rng.integers(0, len(real), n), rng.integers(0, len(real), n)
            w = rng.uniform(0, 0.5, (n, 1))
            vectors = ((1 - w) * real[i] + w * real[j] + rng.normal(0, 0.01, (n, real.shape[1]))).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            with conn.cursor().copy("COPY v (id, e) FROM STDIN") as copy:
                for i, vec in enumerate(vectors):
                    copy.write_row((i, "[" + ",".join(f"{x:.6f}" for x in vec) + "]"))
            conn.execute("SET maintenance_work_mem = '2GB'")
            t0 = time.perf_counter()
            conn.execute("CREATE INDEX v_hnsw ON v USING hnsw (e vector_ip_ops)")
            built = time.perf_counter() - t0
            size = conn.execute("SELECT pg_relation_size('v_hnsw')").fetchone()[0] / n
            queries = (real[rng.integers(0, len(real), 20)] + rng.normal(0, 0.02, (20, real.shape[1]))).astype(np.float32)
            queries /= np.linalg.norm(queries, axis=1, keepdims=True)
            recall, latency = {}, {}
            for ef in (40, 200):
                conn.execute(f"SET hnsw.ef_search = {ef}")
                hits, times = 0, []
                for q in queries:
                    literal = "[" + ",".join(f"{x:.6f}" for x in q) + "]"
                    t0 = time.perf_counter()
                    got = [r[0] for r in conn.execute("SELECT id FROM v ORDER BY e <#> %s::vector LIMIT 10",
                                                      (literal,))]
                    times.append(time.perf_counter() - t0)
                    exact = set(np.argsort(-(vectors @ q))[:10].tolist())
                    hits += len(exact & set(got))
                recall[ef], latency[ef] = hits / (10 * len(queries)), statistics.median(times) * 1000
            print(f"| {n:,} | {built:.0f} s | {size:,.0f} bytes | {recall[40]:.3f} / {recall[200]:.3f} | "
                  f"{latency[40]:.1f} / {latency[200]:.1f} ms |", flush=True)


def _backends(args) -> list[str]:
    """The backends a run measures: SQLite, PostgreSQL where a server is given, or the one --only names."""
    return [b for b in ["sqlite"] + (["postgresql"] if args.postgresql else []) if args.only in (None, b)]


def _pg_store(server: str, name: str, keep: bool = False):
    """A PostgresStore on database `name` of the server: a fresh one, or the one there when `keep`."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    from index.pg_store import PostgresStore
    with psycopg.connect(server, autocommit=True) as conn:
        there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if there and not keep:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
        if not there or not keep:
            conn.execute(f"CREATE DATABASE {name}")
    return PostgresStore(make_conninfo(server, dbname=name))


def stores(args) -> None:
    from index.ingest import ingest_paths as ingest

    print("| backend | reports | passages | made in | first question | size per report | table lookup p50 / p95 "
          "| hybrid, one agency p50 / p95 | hybrid, whole store p50 / p95 | text answer, one agency p50 / p95 "
          "| ranking of a year p50 | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        for backend in _backends(args):
            with tempfile.TemporaryDirectory() as scratch:
                home = Path(args.keep) / f"home_{size}" if args.keep else Path(scratch)
                home.mkdir(parents=True, exist_ok=True)
                os.environ["REPORTQA_HOME"] = str(home)
                store = Store(home / "reportqa.sqlite3") if backend == "sqlite" else \
                    _pg_store(args.postgresql, f"scale_{size}", keep=bool(args.keep))
                if not store.reports():
                    ingest(store, [ROOT / "corpus"])
                r = bench_store(store, size, args.questions)
                ms = lambda d: f"{d['median_ms']:.1f} / {d['p95_ms']:.1f} ms"  # noqa: E731
                made = "kept" if r["made_s"] is None else f"{r['made_s']:.0f} s"
                made += f" + HNSW {r['hnsw_s']:.0f} s" if r["hnsw_s"] is not None else ""
                print(f"| {backend} | {r['reports']:,} | {r['passages']:,} | {made} | "
                      f"{r['first_question_s']:.1f} s | {r['bytes_per_report'] / 1024:.0f} KB | {ms(r['table'])} | "
                      f"{ms(r['hybrid_one_agency'])} | {ms(r['hybrid_whole_store'])} | {ms(r['text_answer'])} | "
                      f"{r['ranking']['median_ms']:.0f} ms | {r['check']} |", flush=True)
                store.close()



def after_ingest(args) -> None:
    """A running app process's answers before and right after another writer adds one report to a kept store
    (`stores --keep DIR`): what a portal's users wait for once a report lands (the search index catching up)."""
    from assistant.answer import answer_question

    print("| backend | reports | table question, warm | text question, warm | one report ingested in "
          "| first table question after | first text question after | the new report's table question |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        for backend in _backends(args):
            home = Path(args.keep) / f"home_{size}"
            os.environ["REPORTQA_HOME"] = str(home)
            opened = (lambda: Store(home / "reportqa.sqlite3")) if backend == "sqlite" else \
                (lambda: _pg_store(args.postgresql, f"scale_{size}", keep=True))
            store, writer = opened(), opened()  # the app's, and another process's writer
            table_q = f"{place(1)}洋湖乡2023年收到多少政府信息公开申请？"
            text_q = f"{place(1)}洋湖乡2023年政务公开存在哪些主要问题"
            answer_question(table_q, store), answer_question(text_q, store)  # warm
            warm = [timed([lambda q=q: answer_question(q, store)] * 3)["median_ms"] for q in (table_q, text_q)]
            reports = store.counts()["reports"]
            with tempfile.TemporaryDirectory() as folder:
                files = make_files(1, Path(folder), skip=reports)
                t0 = time.perf_counter()
                outcome, = ingest_paths(writer, files)
                ingest_s = time.perf_counter() - t0
            assert outcome.status == "ingested", outcome.line()
            after = []
            for q in (table_q, text_q):
                t0 = time.perf_counter()
                answer_question(q, store)
                after.append(time.perf_counter() - t0)
            new = writer.report(outcome.report_id)
            t0 = time.perf_counter()
            check = answer_question(f"{new.agency}{new.year}年收到多少政府信息公开申请？", store)
            new_s = time.perf_counter() - t0
            print(f"| {backend} | {reports:,} | {warm[0]:.1f} ms | {warm[1]:.1f} ms | {ingest_s:.1f} s | "
                  f"{after[0] * 1000:.0f} ms | {after[1]:.1f} s | {new_s * 1000:.0f} ms: {check.status} "
                  f"{check.answer[:40]} |",
                  flush=True)
            writer.close(), store.close()

if __name__ == "__main__":
    main()
