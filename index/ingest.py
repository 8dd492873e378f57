"""Ingest: file → document → metadata, facts and checks → one transaction in the store.

A batch never stops on a bad file: each file gets its own outcome (ingested / replaced / unchanged / failed,
with the reason), and a failure leaves everything stored before untouched.
"""
from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from index import chain
from index.catalogue import TEMPLATE_PRE2019
from index.checks import check_prose, check_report, check_stated, check_undecided
from index.contacts import find_contacts
from index.document import ReaderError
from index.glued import decode_document
from index.mapping import UNCERTAIN, Fact, detect_template, map_tables, table_kind
from index.repair import repair_tables
from index.normalize import parse_number
from index.metadata import read_metadata
from index.readers.isolated import read_file_isolated
from index.embedding import try_encoder
from index.passages import make_passages, report_text
from index.search_index import dense_input, keyword_input
from index.sections import assign_sections
from index.store import Store, contact_rows
from index.tokenize import base_tokenizer


@dataclass
class Outcome:
    path: str
    status: str  # ingested / replaced / unchanged / failed
    message: str = ""
    report_id: int | None = None

    def line(self) -> str:
        return f"{self.status:<9} {self.path}" + (f"  — {self.message}" if self.message else "")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders walked recursively (hidden files and SOURCES-style tables skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                              and f.suffix.lower() not in (".tsv", ".json", ".csv")
                              and f.name.lower() not in ("readme.md",)))
        else:
            out.append(p)
    return out


@dataclass
class Prepared:
    """A file read and mapped, before anything of it is stored: what `commit` writes in one transaction."""
    path: Path
    sha: str
    doc: object
    meta: object
    template: str
    basis: str
    facts: list
    notes: list
    text: str
    decoded_rows: list
    passage_rows: list
    contacts: list
    vector_note: str = ""


def ingest_file(store: Store, path: Path, encode: bool = True) -> Outcome:
    sha = _sha_unless_stored(store, path)
    if isinstance(sha, Outcome):
        return sha
    prepared = prepare(path, sha)
    if isinstance(prepared, Outcome):
        return prepared
    if encode:
        add_vectors([prepared])
    return commit(store, prepared)


def _sha_unless_stored(store: Store, path: Path) -> str | Outcome:
    """The file's content hash when it is to be read; else its outcome: missing, unreadable, or stored with the
    same content."""
    if not path.exists():
        return Outcome(str(path), "failed", "no such file or folder")
    try:
        sha = sha256_of(path)
    except OSError as exc:
        return Outcome(str(path), "failed", f"cannot open: {exc.strerror or exc}")
    existing = store.find_by_sha(sha)
    if existing:
        if existing.format in STRUCTURED_FORMATS:  # finish settling glued readings if a crash cut it short
            _settle_glued_readings(store, existing.agency, existing.year)
        return _unchanged(path, existing)
    return sha


def _unchanged(path: Path, existing) -> Outcome:
    return Outcome(str(path), "unchanged", f"already stored as {existing.label}", existing.id)


def prepare(path: Path, sha: str) -> Prepared | Outcome:
    """Read, decode and map one file (its content hash `sha` already taken), and cut its passages: no store is
    touched (so the next files can be prepared while earlier ones are encoded and written)."""
    try:
        doc = read_file_isolated(path)  # a child process, bounded in time and memory (hostile files)
    except ReaderError as exc:
        return Outcome(str(path), "failed", str(exc))
    assign_sections(doc)
    meta = read_metadata(doc, path.name)
    if not meta.agency or meta.year is None:
        return Outcome(str(path), "failed", "not a government information-disclosure annual report "
                                            "(no agency and year found in its title)")
    template, basis = detect_template(doc, meta.year)
    decoded = decode_glued_tables(doc, template)
    facts, notes = map_tables(doc, template)
    text = report_text(doc)
    repair = repair_tables(facts, notes, template, text)
    facts, notes = facts + repair.facts, repair.notes
    decoded_rows = _decoded_rows(decoded, facts) + [_decoding_row(c) for c in repair.decodings]
    contacts = contact_rows(find_contacts([(b.text, b.section, b.page) for b in doc.paragraphs]))
    return Prepared(path, sha, doc, meta, template, basis, facts, notes, text, decoded_rows,
                    _passage_rows(doc, [meta.agency] + meta.aliases), contacts)


def add_vectors(batch: list[Prepared]) -> None:
    """Encode the passages of several files in one call (the encoder sorts them by length into batches), so
    that small files fill batches together; files stay apart in what is stored."""
    rows = [row for prepared in batch for row in prepared.passage_rows]
    if not rows:
        return
    encoder, why = try_encoder()
    if encoder is None:
        for prepared in batch:
            prepared.vector_note = f" (no vectors: {why})"
        return
    vectors = encoder.encode_passages([dense_input(row["section"], row["text"]) for row in rows])
    for row, vector in zip(rows, vectors):
        row["vector"], row["vector_model"] = vector.tobytes(), encoder.name


def add_vectors_or_say_why(batch: list[Prepared]) -> None:
    """add_vectors; where the encoder fails, the files are stored without vectors (as with no encoder), and their
    ingest lines say why."""
    try:
        add_vectors(batch)
    except Exception as exc:
        for prepared in batch:
            prepared.vector_note = f" (no vectors: {type(exc).__name__}: {exc})"


def commit(store: Store, prepared: Prepared) -> Outcome:
    """Settle what other readings of the same report decide, check, and write the file in one transaction."""
    path, doc, meta, template = prepared.path, prepared.doc, prepared.meta, prepared.template
    existing = store.find_by_sha(prepared.sha)  # the same content earlier in this batch
    if existing:
        return _unchanged(path, existing)
    facts, notes, decoded_rows, text = prepared.facts, prepared.notes, prepared.decoded_rows, prepared.text
    _settle_from_other_readings(store, meta.agency, meta.year, doc, facts, decoded_rows)
    findings = _findings(facts, decoded_rows, text)
    record = dict(agency=meta.agency, aliases=meta.aliases, level=meta.level, year=meta.year, template=template,
                  template_basis=prepared.basis, source_name=path.name, source_path=str(path.resolve()),
                  sha256=prepared.sha, format=doc.source_format, title=doc.title, n_pages=doc.n_pages,
                  notes=doc.notes + [f"表{n.table_index + 1} 行{n.grid_row + 1}: {n.message}" for n in notes])
    paragraphs = [dict(ord=i, section=b.section, heading_level=b.heading_level, text=b.text, page=b.page)
                  for i, b in enumerate(doc.paragraphs)]
    grids = [dict(ord=t.index, kind=table_kind(t, template), section=t.section, page=t.page, page_end=t.page_end,
                  n_rows=len(t.rows), n_cols=t.n_cols,
                  cells=json.dumps([[[c.text, c.merged] for c in row] for row in t.rows], ensure_ascii=False))
             for t in doc.tables]
    fact_rows = [dict(metric=f.metric, col=f.column, raw=f.raw, number=f.number, unit=f.unit,
                      table_ord=f.table_index, row_label=f.row_label, column_label=f.column_label,
                      grid_row=f.grid_row, grid_col=f.grid_col, page=f.page, section=f.section) for f in facts]
    finding_rows = [_finding_row(f) for f in findings]
    passage_rows = prepared.passage_rows
    record["text"] = text
    record["accounting"] = doc.accounting.to_json()
    report_id, replaced = store.write_report(record, paragraphs, grids, fact_rows, finding_rows, passage_rows,
                                             decoded_rows, prepared.contacts)
    if doc.source_format in STRUCTURED_FORMATS:
        _settle_glued_readings(store, meta.agency, meta.year)
    if template == TEMPLATE_PRE2019:
        chain.annotate(store, meta.agency)  # a neighbouring year's 历年累计 as a pointer, never a decision
    summary = f"{meta.agency} {meta.year}年, {len(facts)} 个表格数值"
    if findings:
        summary += f", {len(findings)} 处勾稽不符"
    if not facts:
        summary += " (no standard table cells read)"
    if decoded_rows:
        uncertain = sum(1 for r in decoded_rows if r["value"] is None)
        summary += f", {len(decoded_rows)} 格由粘连或残缺的表格解读" + (f"（{uncertain} 格有多种读法）" if uncertain else "")
    summary += f", {len(passage_rows)} 段文字" + prepared.vector_note
    losses = doc.accounting.losses()
    if losses:  # the reading lost content the file holds: said on the line, never silently
        summary += "; " + "; ".join(losses)
    if replaced:
        return Outcome(str(path), "replaced", summary + "; replaces " + ", ".join(r.source_name for r in replaced),
                       report_id)
    return Outcome(str(path), "ingested", summary, report_id)


STRUCTURED_FORMATS = ("docx", "html", "pdf")  # readings whose tables keep their cell borders


TEXT_FORMATS = ("txt", "md")  # readings where tables may reach us glued into text


def decode_glued_tables(doc, template: str) -> list:
    """Tables glued into text (scraped pages; 表二 rows a PDF conversion left as text lines): the rows no grid
    gives are decoded and added to the document as grids, so that they are mapped like any other table."""
    if doc.source_format not in TEXT_FORMATS:
        return []
    facts, notes = map_tables(doc, template)
    named = {f.metric for f in facts} | {n.metric for n in notes if n.metric}
    return decode_document(doc, template, named)


def _decoding_row(cell) -> dict:
    return dict(metric=cell.metric, col=cell.column, value=cell.value, candidates=json.dumps(cell.candidates),
                source=cell.source, reason=cell.reason)


def _decoded_rows(decoded: list, facts: list) -> list[dict]:
    """A record per decoded cell that became a fact: its value (or None), candidates, source string, reason."""
    by_cell = {(c.metric, c.column): c for d, _ in decoded for c in d.cells}
    tables = {t.index for _, t in decoded}
    return [_decoding_row(by_cell[(f.metric, f.column)])
            for f in facts if f.table_index in tables and (f.metric, f.column) in by_cell]


def _settled_by(store: Store, agency: str, year: int, metric: str, column: str, candidates: list[str]):
    """(value, reason) when a structured reading of the same report holds this cell as one of the candidates."""
    for reading in store.readings_of(agency, year):
        if reading.format in STRUCTURED_FORMATS:
            fact = store.fact(reading.id, metric, column)
            if fact is not None and fact["number"] is not None:
                for value in candidates:
                    if parse_number(value) == fact["number"]:
                        return value, (f"由同一报告的 {reading.format.upper()} 版本（{reading.source_name}，"
                                       f"第{fact['table_ord'] + 1}个表格）确定")
    return None


def _settle_from_other_readings(store: Store, agency: str, year: int, doc, facts: list, decoded_rows: list[dict]):
    by_cell = {(f.metric, f.column): f for f in facts}
    for row in decoded_rows:
        if row["value"] is not None:
            continue
        settled = _settled_by(store, agency, year, row["metric"], row["col"], json.loads(row["candidates"]))
        if settled:
            fact = by_cell[(row["metric"], row["col"])]
            row["value"], row["reason"] = settled
            fact.raw, fact.number = row["value"], parse_number(row["value"])
            grid_cell = doc.tables[fact.table_index].rows[fact.grid_row][fact.grid_col]
            if grid_cell.text == UNCERTAIN:  # a decoded grid's `?`; a printed cell is never overwritten
                grid_cell.text = row["value"]


def _settle_glued_readings(store: Store, agency: str, year: int) -> None:
    """A structured reading just stored settles the uncertain cells of glued readings of the same report (all
    of a reading's cells and its recomputed findings in one transaction)."""
    for reading in store.readings_of(agency, year):
        if reading.format in STRUCTURED_FORMATS:
            continue
        undecided, settled = [], []
        for cell in store.decoded_cells(reading.id, uncertain_only=True):
            decision = _settled_by(store, agency, year, cell["metric"], cell["col"], json.loads(cell["candidates"]))
            if decision:
                value, reason = decision
                settled.append((cell["metric"], cell["col"], value, parse_number(value), reason))
            else:
                undecided.append(dict(cell))
        if not settled:
            continue
        facts = [_stored_fact(f) for f in store.facts(reading.id)]
        by_cell = {(metric, col): (value, number) for metric, col, value, number, _ in settled}
        for f in facts:
            if (f.metric, f.column) in by_cell:
                f.raw, f.number = by_cell[(f.metric, f.column)]
        findings = _findings(facts, undecided, store.report_text(reading.id))
        store.settle_cells(reading.id, settled, [_finding_row(f) for f in findings])


def _findings(facts: list, decoded_rows: list[dict], text: str) -> list:
    """The report's findings: its tables' 勾稽 relations (also through cells left undecided), its prose."""
    undecided = {(r["metric"], r["col"]): json.loads(r["candidates"]) for r in decoded_rows if r["value"] is None}
    return check_report(facts) + check_undecided(facts, undecided) + check_prose(text) + check_stated(facts, text)


def _stored_fact(row) -> Fact:
    return Fact(metric=row["metric"], column=row["col"], raw=row["raw"], number=row["number"], unit=row["unit"],
                table_index=row["table_ord"], row_label=row["row_label"], column_label=row["column_label"],
                grid_row=row["grid_row"], grid_col=row["grid_col"], page=row["page"], section=row["section"])


def _finding_row(f) -> dict:
    return dict(check_name=f.check, message=f.message, cells=json.dumps(f.cells), expected=f.expected,
                printed=f.printed)


def _passage_rows(doc, agency_words: list[str]) -> list[dict]:
    """Passages with their keyword tokens; their vectors are added by `add_vectors` before the report's
    transaction, so that facts, passages and vectors are stored together."""
    passages = make_passages(doc)
    tokenizer = base_tokenizer()
    tokenizer.add_words(agency_words)
    return [dict(ord=p.ord, section=p.section, paragraph_no=p.paragraph_no, page=p.page, char_start=p.char_start,
                 char_end=p.char_end, text=p.text, tokens=" ".join(tokenizer.tokens(keyword_input(p.section, p.text))),
                 vector=None, vector_model=None) for p in passages]


# How many passages are encoded together: enough to fill the encoder's length-sorted batches across small files
ENCODE_GROUP = 128
PREPARE_AHEAD = 4  # files read and mapped ahead of the one being encoded and written


def ingest_paths(store: Store, paths: Iterable[str | Path],
                 progress: Callable[[Outcome], None] | None = None, encode: bool = True) -> list[Outcome]:
    """Ingest files in order, each in its own transaction. The next files are read and mapped in a thread (their
    reading runs in the reader's child process) while earlier ones are encoded and written, and the passages of
    several files are encoded together. A failure of one file is its outcome; the batch goes on."""
    from concurrent.futures import ThreadPoolExecutor

    files = expand_paths(paths)
    outcomes: list[Outcome] = []
    waiting: list[Prepared] = []  # prepared, not yet encoded and written

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    def flush() -> None:
        if encode and waiting:
            add_vectors_or_say_why(waiting)
        for prepared in waiting:
            done(_guarded(lambda: commit(store, prepared), prepared.path))
        waiting.clear()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportqa-prepare") as pool:
        ahead: deque = deque()  # (path, outcome known without reading, or the future of its preparation)
        queued = iter(files)

        def look_ahead() -> None:
            while len(ahead) < PREPARE_AHEAD:
                path = next(queued, None)
                if path is None:
                    return
                sha = _guarded(lambda: _sha_unless_stored(store, path), path)  # unchanged files are never read
                ahead.append((path, sha if isinstance(sha, Outcome) else pool.submit(prepare, path, sha)))

        look_ahead()
        while ahead:
            path, item = ahead.popleft()
            look_ahead()
            prepared = item if isinstance(item, Outcome) else _guarded(item.result, path)
            if isinstance(prepared, Outcome):
                flush()  # the files before it are written first: outcomes stay in order
                done(prepared)
                continue
            waiting.append(prepared)
            if sum(len(p.passage_rows) for p in waiting) >= ENCODE_GROUP:
                flush()
        flush()
    return outcomes


def _guarded(step: Callable, path: Path):
    """A step's result, or the file's failed outcome: a bug must not stop the batch."""
    try:
        return step()
    except Exception as exc:
        return Outcome(str(path), "failed", f"internal error: {type(exc).__name__}: {exc}")
