"""Ingest: file → document → metadata, facts and checks → one transaction in the store.

A batch never stops on a bad file: each file gets its own outcome (ingested / replaced / unchanged / failed,
with the reason), and a failure leaves everything stored before untouched.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from index.checks import check_report
from index.document import ReaderError
from index.mapping import detect_template, map_tables, table_kind
from index.metadata import read_metadata
from index.readers import read_file
from index.embedding import try_encoder
from index.passages import make_passages, report_text
from index.search_index import dense_input, keyword_input
from index.sections import assign_sections
from index.store import Store
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


def ingest_file(store: Store, path: Path, encode: bool = True) -> Outcome:
    if not path.exists():
        return Outcome(str(path), "failed", "no such file or folder")
    try:
        sha = sha256_of(path)
    except OSError as exc:
        return Outcome(str(path), "failed", f"cannot open: {exc.strerror or exc}")
    existing = store.find_by_sha(sha)
    if existing:
        return Outcome(str(path), "unchanged", f"already stored as {existing.label}", existing.id)
    try:
        doc = read_file(path)
    except ReaderError as exc:
        return Outcome(str(path), "failed", str(exc))
    assign_sections(doc)
    meta = read_metadata(doc, path.name)
    if not meta.agency or meta.year is None:
        return Outcome(str(path), "failed", "not a government information-disclosure annual report "
                                            "(no agency and year found in its title)")
    template, basis = detect_template(doc, meta.year)
    facts, notes = map_tables(doc, template)
    findings = check_report(facts)
    record = dict(agency=meta.agency, aliases=meta.aliases, level=meta.level, year=meta.year, template=template,
                  template_basis=basis, source_name=path.name, source_path=str(path.resolve()), sha256=sha,
                  format=doc.source_format, title=doc.title, n_pages=doc.n_pages,
                  notes=doc.notes + [f"表{n.table_index + 1} 行{n.grid_row + 1}: {n.message}" for n in notes])
    paragraphs = [dict(ord=i, section=b.section, heading_level=b.heading_level, text=b.text, page=b.page)
                  for i, b in enumerate(doc.paragraphs)]
    grids = [dict(ord=t.index, kind=table_kind(t), section=t.section, page=t.page, page_end=t.page_end,
                  n_rows=len(t.rows), n_cols=t.n_cols,
                  cells=json.dumps([[[c.text, c.merged] for c in row] for row in t.rows], ensure_ascii=False))
             for t in doc.tables]
    fact_rows = [dict(metric=f.metric, col=f.column, raw=f.raw, number=f.number, unit=f.unit,
                      table_ord=f.table_index, row_label=f.row_label, column_label=f.column_label,
                      grid_row=f.grid_row, grid_col=f.grid_col, page=f.page, section=f.section) for f in facts]
    finding_rows = [dict(check_name=f.check, message=f.message, cells=json.dumps(f.cells), expected=f.expected,
                         printed=f.printed) for f in findings]
    passage_rows, vector_note = _passage_rows(doc, [meta.agency] + meta.aliases, encode)
    record["text"] = report_text(doc)
    report_id, replaced = store.write_report(record, paragraphs, grids, fact_rows, finding_rows, passage_rows)
    summary = f"{meta.agency} {meta.year}年, {len(facts)} 个表格数值"
    if findings:
        summary += f", {len(findings)} 处勾稽不符"
    if not facts:
        summary += " (no standard table cells read)"
    summary += f", {len(passage_rows)} 段文字" + vector_note
    if replaced:
        return Outcome(str(path), "replaced", summary + "; replaces " + ", ".join(r.source_name for r in replaced),
                       report_id)
    return Outcome(str(path), "ingested", summary, report_id)


def _passage_rows(doc, agency_words: list[str], encode: bool) -> tuple[list[dict], str]:
    """Passages with their keyword tokens and, where the embedding model is available, their vectors: all
    computed before the report's transaction so that facts, passages and vectors are stored together."""
    passages = make_passages(doc)
    tokenizer = base_tokenizer()
    tokenizer.add_words(agency_words)
    rows = [dict(ord=p.ord, section=p.section, paragraph_no=p.paragraph_no, page=p.page, char_start=p.char_start,
                 char_end=p.char_end, text=p.text, tokens=" ".join(tokenizer.tokens(keyword_input(p.section, p.text))),
                 vector=None, vector_model=None) for p in passages]
    if not encode or not rows:
        return rows, ""
    encoder, why = try_encoder()
    if encoder is None:
        return rows, f" (no vectors: {why})"
    for row, vector in zip(rows, encoder.encode_passages([dense_input(p.section, p.text) for p in passages])):
        row["vector"], row["vector_model"] = vector.tobytes(), encoder.name
    return rows, ""


def ingest_paths(store: Store, paths: Iterable[str | Path],
                 progress: Callable[[Outcome], None] | None = None, encode: bool = True) -> list[Outcome]:
    outcomes = []
    for path in expand_paths(paths):
        try:
            outcome = ingest_file(store, path, encode)
        except Exception as exc:  # a bug must not stop the batch; the file is reported as failed
            outcome = Outcome(str(path), "failed", f"internal error: {type(exc).__name__}: {exc}")
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes

