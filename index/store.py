"""The store: one database, the single source of truth for reports, their text, grids, facts and findings.

SQLite by default (`Store`), under the data directory: $REPORTQA_HOME, or $XDG_DATA_HOME/reportqa
(~/.local/share/reportqa); PostgreSQL when $REPORTQA_DATABASE_URL names one (`index.pg_store.PostgresStore`, the
same methods over the same tables). `open_store()` picks the backend.
Values are kept as TEXT exactly as printed plus a canonical decimal TEXT (never a float). Every write of a
report is one transaction: a report is stored whole or not at all, and replacing a report's old version
happens in the same transaction as writing the new one.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from index.document import Accounting
from index.metadata import aliases_for

SCHEMA_VERSION = 6
FORMAT_RANK = {"docx": 0, "html": 1, "pdf": 2, "md": 3, "txt": 4}  # which reading of a report to prefer

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    agency TEXT NOT NULL,
    aliases TEXT NOT NULL,            -- JSON list of short forms
    level TEXT NOT NULL,
    year INTEGER,
    template TEXT NOT NULL,
    template_basis TEXT NOT NULL,     -- tables / year / default
    source_name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    n_pages INTEGER,
    notes TEXT NOT NULL,              -- JSON list: what the reader had to guess, mapping notes
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',    -- the paragraphs joined by newlines: passage offsets point here
    accounting TEXT NOT NULL DEFAULT ''  -- JSON: what the file held against what the reader kept; '' before v5
);
CREATE INDEX IF NOT EXISTS reports_key ON reports(agency, year, format);  -- the store's order; the version replaced
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    section TEXT NOT NULL,
    heading_level INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS grids (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,             -- the table's position in the document, from 0
    kind TEXT,                        -- t2 / t3 / t4 / NULL
    section TEXT NOT NULL,
    page INTEGER,
    page_end INTEGER,
    n_rows INTEGER NOT NULL,
    n_cols INTEGER NOT NULL,
    cells TEXT NOT NULL               -- JSON rows of [text, merged]
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    col TEXT NOT NULL,
    raw TEXT NOT NULL,                -- exactly as printed; '' for a blank cell
    number TEXT,                      -- canonical decimal; NULL when blank or not a number
    unit TEXT NOT NULL,
    table_ord INTEGER NOT NULL,
    row_label TEXT NOT NULL,
    column_label TEXT NOT NULL,
    grid_row INTEGER NOT NULL,
    grid_col INTEGER NOT NULL,
    page INTEGER,
    section TEXT NOT NULL,
    UNIQUE (report_id, metric, col)
);
CREATE INDEX IF NOT EXISTS facts_lookup ON facts(metric, col);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    section TEXT NOT NULL,
    paragraph_no INTEGER NOT NULL,
    page INTEGER,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL,             -- jieba tokens for keyword search, space-separated
    vector BLOB,                      -- float32 embedding, L2-normalised; NULL when no encoder was available
    vector_model TEXT                 -- the model that made `vector`
);
CREATE INDEX IF NOT EXISTS passages_report ON passages(report_id);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    check_name TEXT NOT NULL,
    message TEXT NOT NULL,
    cells TEXT NOT NULL,              -- JSON list of [metric, col]
    expected TEXT NOT NULL,
    printed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decoded_cells (  -- cells of tables glued into text, and how each was decided
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    col TEXT NOT NULL,
    value TEXT,                       -- the value when it is certain; NULL when several candidates survive
    candidates TEXT NOT NULL,         -- JSON list of every surviving value
    source TEXT NOT NULL,             -- the row's glued digits as printed
    reason TEXT NOT NULL,
    UNIQUE (report_id, metric, col)
);
CREATE TABLE IF NOT EXISTS contacts (  -- the report's contact block: office, address, phone … (index.contacts)
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,               -- office / address / postcode / phone / fax / email / website / download
    value TEXT NOT NULL,              -- normalised (0527—83593059 → 0527-83593059)
    printed TEXT NOT NULL,            -- the words that state it, as printed
    paragraph_no INTEGER NOT NULL,
    section TEXT NOT NULL,
    page INTEGER,
    char_start INTEGER NOT NULL,      -- the sentence holding it, in the report's text
    char_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_report ON contacts(report_id);
CREATE TABLE IF NOT EXISTS feedback (    -- what people said of an answer in the web chat
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    liked INTEGER NOT NULL,           -- 1 like, 0 dislike
    history TEXT NOT NULL             -- JSON list of the conversation's earlier questions
);
"""


def open_store(path: str | Path | None = None) -> "Store":
    """The store the environment names: PostgreSQL when $REPORTQA_DATABASE_URL is set, else the SQLite database
    at `path` (default: reportqa.sqlite3 in the data directory)."""
    url = os.environ.get("REPORTQA_DATABASE_URL")
    if url:
        from index.pg_store import PostgresStore
        return PostgresStore(url)
    return Store(path)


def data_home() -> Path:
    if os.environ.get("REPORTQA_HOME"):
        return Path(os.environ["REPORTQA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "reportqa"


@dataclass
class Report:
    id: int
    agency: str
    aliases: list[str]
    level: str
    year: int | None
    template: str
    template_basis: str
    source_name: str
    source_path: str
    sha256: str
    format: str
    title: str
    n_pages: int | None
    notes: list[str]
    ingested_at: str
    accounting: Accounting | None = None  # None for a report stored before readers kept accounts

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Report":
        data = dict(row)
        data.pop("text", None)  # the report's text is read on demand (Store.report_text)
        # the short forms as stored, with those the present rules give (a store ingested before a rule was added
        # still answers to 平潭地税)
        data["aliases"] = sorted(set(json.loads(data["aliases"])) | set(aliases_for(data["agency"])),
                                 key=lambda f: (-len(f), f))
        data["notes"] = json.loads(data["notes"])
        data["accounting"] = Accounting.from_json(data.get("accounting"))
        return cls(**data)

    @property
    def label(self) -> str:
        return f"{self.agency} {self.year}年（{self.source_name}）"

    @property
    def key(self) -> tuple[int, str]:
        """What tells this report apart from any other stored before or after it."""
        return self.id, self.sha256


class Reports(list):
    """The store's reports in its order (agency, year, format), with the lookups a question needs built once
    beside them: a question then costs what its agencies hold, not what the store holds (100,000 reports in a
    national store, docs/scaling.md). The store hands out the same list until a report is added or removed, so
    nothing here goes stale; nobody changes the list in place."""

    def __init__(self, reports=()):
        super().__init__(reports)
        self._by_agency: dict[str, list[Report]] | None = None
        self._by_id: dict[int, Report] | None = None
        self._position: dict[int, int] | None = None
        self._years: set[int] | None = None

    def _agencies(self) -> dict[str, list[Report]]:
        if self._by_agency is None:
            self._by_agency = {}
            for report in self:
                self._by_agency.setdefault(report.agency, []).append(report)
        return self._by_agency

    def of_agencies(self, agencies) -> list[Report]:
        """The reports of these agencies, in the store's order."""
        index = self._agencies()
        held = [index[a] for a in set(agencies) if a in index]
        if len(held) > 1:  # each agency's reports sit together in the store's order: order the groups by their first
            if self._position is None:
                self._position = {r.id: i for i, r in enumerate(self)}
            held.sort(key=lambda group: self._position[group[0].id])
        return [r for group in held for r in group]

    def by_id(self, report_id: int) -> Report | None:
        if self._by_id is None:
            self._by_id = {r.id: r for r in self}
        return self._by_id.get(report_id)

    def years(self) -> set[int]:
        """The years the store holds reports of."""
        if self._years is None:
            self._years = {r.year for r in self if r.year}
        return self._years


# The columns of a report as `Store.reports` reads them: all but its text (read on demand, `Store.report_text`).
REPORT_COLUMNS = ("id, agency, aliases, level, year, template, template_basis, source_name, source_path, sha256, "
                  "format, title, n_pages, notes, ingested_at, accounting")

# The columns of a passage as `Store.passage` gives them (the PostgreSQL table has one more, for keyword search).
PASSAGE_COLUMNS = ("id, report_id, ord, section, paragraph_no, page, char_start, char_end, text, tokens, vector, "
                   "vector_model")


class Store:
    """The SQLite store. Its methods' SQL is shared with `index.pg_store.PostgresStore`, which overrides only the
    dialect layer below (how a statement runs, a transaction, what changed) and adds search in the database."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            path = data_home() / "reportqa.sqlite3"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        with self.conn:
            self.conn.executescript(SCHEMA)
            self._migrate()
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._reports_cache: Reports | None = None
        self._cache_version = None
        self._write_lock = threading.RLock()

    def _migrate(self) -> None:
        """Bring an older database up to this schema. Version 1 had no report text (passages are new tables),
        versions before 5 no accounting (such reports read it as None), versions before 6 no contacts (read
        now from the stored paragraphs)."""
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(reports)")}
        if "text" not in columns:
            self.conn.execute("ALTER TABLE reports ADD COLUMN text TEXT NOT NULL DEFAULT ''")
        if "accounting" not in columns:
            self.conn.execute("ALTER TABLE reports ADD COLUMN accounting TEXT NOT NULL DEFAULT ''")
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and int(row[0]) < 6:
            from index.contacts import find_contacts
            for (report_id,) in self.conn.execute("SELECT id FROM reports").fetchall():
                paragraphs = [(p["text"], p["section"], p["page"]) for p in self.paragraphs(report_id)]
                self._insert_many("contacts", report_id, contact_rows(find_contacts(paragraphs)))

    def close(self) -> None:
        self.conn.close()

    def another(self) -> "Store":
        """A second store on the same database with a connection of its own (a writer beside the readers)."""
        return Store(self.path)

    @property
    def location(self) -> str:
        """Where the store lives, as a person would name it (and a key telling two stores apart)."""
        return str(self.path)

    # ---- the dialect layer: every statement runs through these ----------------------------------------
    def _rows(self, sql: str, args=()) -> list:
        return self.conn.execute(sql, args).fetchall()

    def _row(self, sql: str, args=()):
        return self.conn.execute(sql, args).fetchone()

    def _run(self, sql: str, args=()) -> None:
        self.conn.execute(sql, args)

    def _run_many(self, sql: str, rows) -> None:
        self.conn.executemany(sql, rows)

    def _insert(self, sql: str, args) -> int:
        """Run an INSERT of one row; its new id."""
        return self.conn.execute(sql, args).lastrowid

    def _vector(self, blob: bytes | None):
        """A passage vector (float32 bytes) as the database stores it: a BLOB here."""
        return blob

    def _version(self):
        """Moves when another connection commits (this connection's own writes reset the caches themselves)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_marker(self):
        """A value that moves whenever a write (of this store or any other process) changes what searches see;
        the retriever rebuilds its index when it moves."""
        return self._version(), self.passages_state()

    def passages_fingerprint(self, model: str | None) -> tuple:
        """What identifies the passages and their vectors of `model` (the saved search index's fingerprint)."""
        return tuple(self._row("SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COALESCE(SUM(id), 0), "
                               "SUM(vector_model IS ?) FROM passages", (model,)))

    def database_index(self, encoder=None):
        """A search index that queries the database itself, where the backend has one (PostgreSQL); None here:
        index.search_index builds one in memory from the store."""
        return None

    @contextlib.contextmanager
    def _writing(self):
        """One write transaction, taking the database's write lock at its start (BEGIN IMMEDIATE): a writer
        waits its turn (up to the connection's timeout) instead of failing with "database is locked" when it
        would upgrade a read; threads sharing this connection write one at a time."""
        with self._write_lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()

    # ---- writing -------------------------------------------------------------------------------------
    def find_by_sha(self, sha256: str) -> Report | None:
        row = self._row("SELECT * FROM reports WHERE sha256 = ?", (sha256,))
        return Report.from_row(row) if row else None

    def write_report(self, record: dict, paragraphs: list[dict], grids: list[dict], facts: list[dict],
                     findings: list[dict], passages: list[dict] = (), decoded: list[dict] = (),
                     contacts: list[dict] = ()) -> tuple[int, list[Report]]:
        """Store one report whole, in one transaction; an older version (same agency, year and format) is
        replaced in the same transaction. Returns (new id, replaced reports)."""
        with self._writing():
            replaced = [Report.from_row(r) for r in self._rows(
                "SELECT * FROM reports WHERE agency = ? AND year IS ? AND format = ? AND sha256 != ?",
                (record["agency"], record["year"], record["format"], record["sha256"]))]
            for old in replaced:
                self._run("DELETE FROM reports WHERE id = ?", (old.id,))
            record = dict(record, aliases=json.dumps(record["aliases"], ensure_ascii=False),
                          notes=json.dumps(record["notes"], ensure_ascii=False),
                          ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
            columns = ", ".join(record)
            marks = ", ".join("?" for _ in record)
            report_id = self._insert(f"INSERT INTO reports ({columns}) VALUES ({marks})", tuple(record.values()))
            self._insert_many("paragraphs", report_id, paragraphs)
            self._insert_many("grids", report_id, grids)
            self._insert_many("facts", report_id, facts)
            self._insert_many("findings", report_id, findings)
            self._insert_many("passages", report_id, list(passages))
            self._insert_many("decoded_cells", report_id, list(decoded))
            self._insert_many("contacts", report_id, list(contacts))
        # this connection's own write: the list is checked again (SQLite's data_version moves only for others)
        self._cache_version = None
        return report_id, replaced

    def _insert_many(self, table: str, report_id: int, rows: list[dict]) -> None:
        if not rows:
            return
        columns = ["report_id"] + list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        self._run_many(sql, [(report_id, *(self._vector(v) if k == "vector" else v for k, v in row.items()))
                             for row in rows])

    def settle_cells(self, report_id: int, settled: list[tuple[str, str, str, float | None, str]],
                     findings: list[dict]) -> None:
        """Glued cells decided later (by another reading of the same report), each (metric, column, value, number,
        reason): their facts, grid cells and decoding records, and the report's findings, change together."""
        with self._writing():
            for metric, column, value, number, reason in settled:
                fact = self.fact(report_id, metric, column)
                self._run("UPDATE facts SET raw = ?, number = ? WHERE id = ?", (value, number, fact["id"]))
                self._run("UPDATE decoded_cells SET value = ?, reason = ? WHERE report_id = ? AND metric = ? "
                          "AND col = ?", (value, reason, report_id, metric, column))
                grid = self._row("SELECT id, cells FROM grids WHERE report_id = ? AND ord = ?",
                                 (report_id, fact["table_ord"]))
                cells = json.loads(grid["cells"])
                cells[fact["grid_row"]][fact["grid_col"]][0] = value
                self._run("UPDATE grids SET cells = ? WHERE id = ?", (json.dumps(cells, ensure_ascii=False), grid["id"]))
            self._run("DELETE FROM findings WHERE report_id = ?", (report_id,))
            self._insert_many("findings", report_id, findings)

    def set_decoding_notes(self, notes: list[tuple[int, str, str, str]]) -> None:
        """Rewrite the decoding notes of undecided cells, each (report id, metric, column, note); values unchanged."""
        with self._writing():
            self._run_many("UPDATE decoded_cells SET reason = ? WHERE report_id = ? AND metric = ? AND col = ? "
                           "AND value IS NULL", [(note, r, m, c) for r, m, c, note in notes])

    def decoded_cell(self, report_id: int, metric: str, column: str) -> sqlite3.Row | None:
        return self._row("SELECT * FROM decoded_cells WHERE report_id = ? AND metric = ? AND col = ?",
                         (report_id, metric, column))

    def decoded_cells(self, report_id: int | None = None, uncertain_only: bool = False) -> list[sqlite3.Row]:
        sql, args = "SELECT * FROM decoded_cells WHERE 1 = 1", []
        if report_id is not None:
            sql += " AND report_id = ?"
            args.append(report_id)
        if uncertain_only:
            sql += " AND value IS NULL"
        return self._rows(sql + " ORDER BY report_id, id", args)

    def add_feedback(self, question: str, answer: str, liked: bool, history: list[str] = ()) -> int:
        with self._writing():
            return self._insert(
                "INSERT INTO feedback (created_at, question, answer, liked, history) VALUES (?, ?, ?, ?, ?)",
                (datetime.now(timezone.utc).isoformat(timespec="seconds"), question, answer, int(bool(liked)),
                 json.dumps(list(history), ensure_ascii=False)))

    # ---- reading -------------------------------------------------------------------------------------
    def reports(self) -> Reports:
        """Every stored report (without its text), in the store's order. The same list comes back until a report
        is added or removed (a write of feedback, vectors or settled cells keeps it, and with it what was derived
        from it: the question parser's index of agency names); a changed list reads only the reports it did not
        hold (a national store: 100,000 reports, docs/scaling.md)."""
        version = self._version()  # moves when another connection (the CLI beside the app) commits
        if self._reports_cache is not None and version == self._cache_version:
            return self._reports_cache
        # a report is known by its id and content (SQLite may give a new report the id of the one it replaced)
        order = [tuple(row) for row in self._rows("SELECT id, sha256 FROM reports ORDER BY agency, year, format, id")]
        held = {r.key: r for r in self._reports_cache or ()}
        if self._reports_cache is None or order != [r.key for r in self._reports_cache]:
            new = [report_id for report_id, sha in order if (report_id, sha) not in held]
            for row in self._rows_of_reports(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id IN ({{ids}})", (), new):
                report = Report.from_row(row)
                held[report.key] = report
            self._reports_cache = Reports(held[key] for key in order)
        self._cache_version = version
        return self._reports_cache

    def report(self, report_id: int) -> Report | None:
        return self.reports().by_id(report_id)

    def readings_of(self, agency: str, year: int | None = None) -> list[Report]:
        """One agency's reports (of one year), in the store's order, read through the index on (agency, year,
        format): what ingest asks while it writes a file, without the list of every report (each write moves the
        store's version, and re-checking that list costs ~0.5 s at 100,000 reports)."""
        where, args = ("agency = ? AND year = ?", (agency, year)) if year is not None else ("agency = ?", (agency,))
        return [Report.from_row(row) for row in
                self._rows(f"SELECT {REPORT_COLUMNS} FROM reports WHERE {where} ORDER BY agency, year, format, id", args)]

    def facts(self, report_id: int, metric: str | None = None, column: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM facts WHERE report_id = ?"
        args: list = [report_id]
        if metric:
            sql += " AND metric = ?"
            args.append(metric)
        if column:
            sql += " AND col = ?"
            args.append(column)
        return self._rows(sql + " ORDER BY id", args)

    def fact(self, report_id: int, metric: str, column: str) -> sqlite3.Row | None:
        return self._row("SELECT * FROM facts WHERE report_id = ? AND metric = ? AND col = ?",
                         (report_id, metric, column))

    def facts_of(self, report_ids: list[int], metric: str) -> list[sqlite3.Row]:
        """One metric's facts in many reports (a ranking of every agency of a year), in id order."""
        return self._rows_of_reports("SELECT * FROM facts WHERE metric = ? AND report_id IN ({ids}) ORDER BY id",
                                     (metric,), report_ids)

    def decoded_cells_of(self, report_ids: list[int], metric: str) -> list[sqlite3.Row]:
        return self._rows_of_reports("SELECT * FROM decoded_cells WHERE metric = ? AND report_id IN ({ids}) "
                                     "ORDER BY id", (metric,), report_ids)

    def _rows_of_reports(self, sql: str, args: tuple, report_ids: list[int]) -> list:
        """The rows of `sql` for the reports, a thousand reports a statement ({ids} in it names them)."""
        rows = []
        for start in range(0, len(report_ids), 1000):
            ids = ", ".join(str(int(i)) for i in report_ids[start:start + 1000])
            rows += self._rows(sql.format(ids=ids), args)
        return rows

    def fact_count(self, report_id: int) -> int:
        return self._row("SELECT COUNT(*) FROM facts WHERE report_id = ?", (report_id,))[0]

    def findings(self, report_id: int | None = None) -> list[sqlite3.Row]:
        if report_id is None:
            return self._rows("SELECT * FROM findings ORDER BY report_id, id")
        return self._rows("SELECT * FROM findings WHERE report_id = ? ORDER BY id", (report_id,))

    def findings_for_cell(self, report_id: int, metric: str, column: str) -> list[sqlite3.Row]:
        return [f for f in self.findings(report_id) if [metric, column] in json.loads(f["cells"])]

    def grids(self, report_id: int) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM grids WHERE report_id = ? ORDER BY ord", (report_id,))

    def paragraphs(self, report_id: int) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM paragraphs WHERE report_id = ? ORDER BY ord", (report_id,))

    def passages(self, report_ids: list[int] | None = None) -> list[sqlite3.Row]:
        sql = ("SELECT id, report_id, ord, section, paragraph_no, page, char_start, char_end, text FROM passages")
        if report_ids is not None:
            sql += f" WHERE report_id IN ({', '.join(str(int(i)) for i in report_ids)})"
        return self._rows(sql + " ORDER BY id")

    def passage_ids(self, report_ids: list[int]) -> list[int]:
        """The ids of these reports' passages, ascending (what a filtered search is allowed to rank)."""
        rows = self._rows_of_reports("SELECT id FROM passages WHERE report_id IN ({ids})", (), report_ids)
        return sorted(row[0] for row in rows)

    def passage_sample(self, size: int) -> list[str]:
        """The texts of every n-th passage in id order, about `size` of them (all of a small store): read without
        reading the others (1.8 M passages in a store of 100,000 reports)."""
        ids = [row[0] for row in self._rows("SELECT id FROM passages ORDER BY id")]
        chosen = ids[::max(1, len(ids) // size)]
        texts = []
        for start in range(0, len(chosen), 1000):
            ids_sql = ", ".join(str(int(i)) for i in chosen[start:start + 1000])
            texts += [row[0] for row in self._rows(f"SELECT text FROM passages WHERE id IN ({ids_sql}) ORDER BY id")]
        return texts

    def passage(self, passage_id: int) -> sqlite3.Row | None:
        return self._row(f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE id = ?", (passage_id,))

    def passage_before(self, passage_id: int) -> str:
        """The text of the passage before this one in its paragraph ("" at a paragraph's start): what a passage
        that begins "其中…" breaks down."""
        row = self._row("SELECT b.text FROM passages a JOIN passages b ON b.report_id = a.report_id "
                        "AND b.ord = a.ord - 1 AND b.paragraph_no = a.paragraph_no WHERE a.id = ?", (passage_id,))
        return row[0] if row else ""

    def passages_state(self) -> tuple[int, int]:
        """(count, highest id) of the passages: changes with every report added, replaced or removed."""
        row = self._row("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM passages")
        return row[0], row[1]

    def passage_tokens(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self._rows("SELECT id, tokens FROM passages ORDER BY id")]

    def passage_vectors(self, model: str) -> tuple[list[int], list[bytes | None]]:
        """(ids, vectors) in id order; a vector made by another model (or none) comes back as None."""
        rows = self._rows("SELECT id, CASE WHEN vector_model = ? THEN vector END FROM passages ORDER BY id", (model,))
        return [r[0] for r in rows], [r[1] for r in rows]

    def set_passage_vectors(self, model: str, items: list[tuple[int, bytes]]) -> None:
        with self._writing():
            self._run_many("UPDATE passages SET vector = ?, vector_model = ? WHERE id = ?",
                           [(self._vector(vec), model, pid) for pid, vec in items])

    def contacts(self, report_id: int) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM contacts WHERE report_id = ? ORDER BY id", (report_id,))

    def report_text(self, report_id: int) -> str:
        row = self._row("SELECT text FROM reports WHERE id = ?", (report_id,))
        return row[0] if row else ""

    def feedback(self) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM feedback ORDER BY id")

    def counts(self) -> dict[str, int]:
        return {t: self._row(f"SELECT COUNT(*) FROM {t}")[0]
                for t in ("reports", "paragraphs", "grids", "facts", "findings", "passages", "decoded_cells")}


def contact_rows(contacts) -> list[dict]:
    """index.contacts.Contact records as rows of the contacts table."""
    return [dict(kind=c.kind, value=c.value, printed=c.printed, paragraph_no=c.paragraph_no, section=c.section,
                 page=c.page, char_start=c.char_start, char_end=c.char_end) for c in contacts]
