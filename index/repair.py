"""Broken tables (PDF converted to markdown): rows whose label was lost or cut, and rows with cells missing.

`index.mapping` maps every row whose label names a template row and whose cells fit it. The rows it could not
map come here whole (in its notes) and are placed by the template, never guessed:

- A row with a full set of cells but no label, or only a fragment of one ("行政机关不再处理其政府信息公"), stands
  where the template row it belongs to stands: between the mapped rows before and after it. Every order-keeping
  way to put such rows into the template rows missing there is tried (a fragment must be part of the slot's
  label), all runs of a table together, and scored by the template's arithmetic (`index.checks.equations`). A
  row is placed only when every best placement puts it in the same slot.
- A row whose label names a template row but that has fewer cells than the template (a PDF cell lost in the
  conversion, `| 规章 | 22 | 235 |` under three columns): every order-keeping placement of its printed values
  among the columns is a candidate reading (the other cells lost: their value is unknown, not blank, so no
  relation through them holds); the arithmetic and the report's own text choose among them as for glued
  tables (`index.glued.decode`), and what stays open is kept uncertain with every candidate.

Each repaired cell is recorded with how it was read (`decoded_cells` in the store), so an answer can say so.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from index.catalogue import METRICS
from index.checks import equations
from index.document import Cell
from index.glued import CellDecoding, GluedRow, decode, row_specs, text_evidence
from index.mapping import UNCERTAIN, Fact, MappingNote, fit_cells, make_fact, strip_numbering
from index.normalize import compact, parse_number

MAX_PLACEMENTS = 10_000  # joint placements of a table's unlabeled rows tried; beyond it nothing is placed


@dataclass
class Repair:
    facts: list[Fact]  # cells added to the report's facts
    decodings: list[CellDecoding]  # how each added cell was read
    notes: list[MappingNote]  # the rows that still could not be mapped


def repair_tables(facts: list[Fact], notes: list[MappingNote], template: str, text: str) -> Repair:
    added: list[Fact] = []
    decodings: list[CellDecoding] = []
    left: list[MappingNote] = []
    for kind in ("t2", "t3"):
        orphans = [n for n in notes if n.kind == kind and n.values is not None and n.metric is None]
        short = [n for n in notes if n.kind == kind and n.values is not None and n.metric is not None]
        placed, placed_decodings, unplaced = _place_orphans(kind, template, facts, orphans)
        added += placed
        decodings += placed_decodings
        left += unplaced
        filled, short_decodings, unfilled = _fill_short_rows(kind, template, facts + added, short, text)
        added += filled
        decodings += short_decodings
        left += unfilled
    left += [n for n in notes if n.kind not in ("t2", "t3") or n.values is None]
    return Repair(added, decodings, left)


def _fits_label(fragment: str, metric_id: str) -> bool:
    """A cut label must be part of the template row's label (or name it by one of its keys)."""
    bare = strip_numbering(fragment)
    if not bare:
        return True
    metric = METRICS[metric_id]
    label = compact(metric.label)
    return bare in label or any(k in bare for k in metric.keys if not metric.exact_key)


def _place_orphans(kind: str, template: str, facts: list[Fact], orphans: list[MappingNote]):
    order = [s.metric for s in row_specs(kind, template)]
    rank = {m: i for i, m in enumerate(order)}
    mapped = sorted((((f.table_index, f.grid_row), rank[f.metric]) for f in facts if f.metric in rank))
    have = {f.metric for f in facts}
    columns_of = {m: METRICS[m].columns[template] for m in order}

    # each orphan's possible slots: template rows missing between its mapped neighbours, that its cells fit
    runs: dict[tuple[int, int], list[MappingNote]] = {}
    for note in orphans:
        at = (note.table_index, note.grid_row)
        before = max((r for p, r in mapped if p < at), default=-1)
        after = min((r for p, r in mapped if p > at), default=len(order))
        runs.setdefault((before, after), []).append(note)
    options: list[list[tuple[tuple[MappingNote, str], ...]]] = []
    for (before, after), run in runs.items():
        slots = [m for m in order[before + 1:after] if m not in have]
        ways = []
        for chosen in itertools.combinations(slots, len(run)):
            if all(_fits_label(n.label, m) and fit_cells(n.values, len(columns_of[m])) for n, m in zip(run, chosen)):
                ways.append(tuple(zip(run, chosen)))
        options.append(ways or [()])
    if not orphans or math.prod(len(ways) for ways in options) > MAX_PLACEMENTS:
        return [], [], orphans

    base = {(f.metric, f.column): f.number for f in facts}
    scored: list[tuple[int, dict, int]] = []  # (relations that hold, {orphan: slot}, relations in all)
    for combo in itertools.product(*options):
        placement = {id(n): m for way in combo for n, m in way}
        values = dict(base)
        for way in combo:
            for note, metric in way:
                cells = fit_cells(note.values, len(columns_of[metric]))
                for column, (_, cell) in zip(columns_of[metric], cells):
                    values[(metric, column)] = parse_number(cell.text)
        relations = equations(values)
        scored.append((sum(eq.holds(values) for eq in relations), placement, len(relations)))
    best = max(s[0] for s in scored)
    winners = [s for s in scored if s[0] == best]
    out: list[Fact] = []
    decodings: list[CellDecoding] = []
    unplaced: list[MappingNote] = []
    for note in orphans:
        slots = {w[1].get(id(note)) for w in winners}
        if len(slots) != 1 or None in slots:
            where = "、".join(METRICS[m].label for m in sorted(slots - {None}, key=rank.get)) or "无空位"
            unplaced.append(MappingNote(note.table_index, note.grid_row, f"{note.message}; 按模板行序可能是：{where}，"
                                                                         "无法确定，未采用"))
            continue
        (metric,) = slots
        checked = winners[0][2]
        confirmed = (f"，表内 {checked} 条勾稽关系全部成立" if best == checked else
                     f"，表内 {checked} 条勾稽关系中 {best} 条成立" if checked else "，没有勾稽关系可以核对")
        how = (f"原表此行{'行名残缺（“' + note.label + '”）' if note.label else '没有行名'}，按模板行序定为"
               f"“{METRICS[metric].label}”" + confirmed)
        printed = " | ".join(c.text for _, c in note.values if c.text)
        cells = fit_cells(note.values, len(columns_of[metric]))
        for column, (c, cell) in zip(columns_of[metric], cells):
            out.append(make_fact(METRICS[metric], column, cell, note.table, note.label or METRICS[metric].label,
                                 note.grid_row, c))
            decodings.append(CellDecoding(metric, column, cell.text, [cell.text], printed, how))
    return out, decodings, unplaced


def _fill_short_rows(kind: str, template: str, facts: list[Fact], short: list[MappingNote], text: str):
    """Rows with fewer printed cells than the template's columns: candidate readings, chosen by arithmetic
    (the table's mapped rows take part with their one reading) and the report's text."""
    have = {f.metric for f in facts}
    rows: list[GluedRow] = []
    sources: list[MappingNote | None] = []
    left: list[MappingNote] = []
    specs = {s.metric: s for s in row_specs(kind, template)}
    for note in short:
        spec = specs.get(note.metric)
        printed = [(c, cell) for c, cell in note.values if not cell.blank]
        if spec is None or note.metric in have or not printed or len(printed) >= len(spec.columns):
            left.append(note)
            continue
        readings = []
        for chosen in itertools.combinations(range(len(spec.columns)), len(printed)):
            reading = [""] * len(spec.columns)
            for at, (_, cell) in zip(chosen, printed):
                reading[at] = cell.text
            readings.append(tuple(reading))
        rows.append(GluedRow(spec, note.label, " | ".join(cell.text for _, cell in printed), readings,
                             damage="原表此行印出的数字比栏目少（有格子在转换中丢失），数字属于哪一栏有多种读法"))
        sources.append(note)
        have.add(note.metric)
    if not rows:
        return [], [], left
    # the table's mapped rows take part in the arithmetic with their one reading
    for metric in {f.metric for f in facts if f.metric in specs}:
        spec = specs[metric]
        cells = {f.column: f for f in facts if f.metric == metric}
        if all(c in cells for c in spec.columns):
            rows.append(GluedRow(spec, metric, "", [tuple(cells[c].raw if cells[c].number is not None else ""
                                                         for c in spec.columns)]))
            sources.append(None)
    values, sentences = text_evidence(text, kind, template)
    decoded = decode(kind, rows, values, sentences)
    by_cell = {(c.metric, c.column): c for c in decoded.cells}
    out: list[Fact] = []
    decodings: list[CellDecoding] = []
    for row, note in zip(rows, sources):
        if note is None:
            continue
        metric = METRICS[row.spec.metric]
        for j, column in enumerate(row.spec.columns):
            cell = by_cell[(metric.id, column)]
            stated = [v for v in cell.candidates if v in values.get((metric.id, column), ())]
            if cell.value is None and len(stated) == 1 and set(cell.candidates) == {stated[0], ""}:
                # printed here, or lost here: either way the text states its value
                cell.value = stated[0]
                cell.reason = (f"由报告正文“{sentences[(metric.id, column, stated[0])]}”确定（此格或印为 {stated[0]}，"
                               "或在转换中丢失，正文都给出同一数值；正文证据，权重低于勾稽关系）")
                cell.candidates = [stated[0]]
            # the printed cell the value came from, when every surviving reading takes it from the same one
            origin = _origin(note, row, j, cell)
            shown = Cell(cell.value if cell.value is not None else UNCERTAIN)
            c = origin if origin is not None else note.values[0][0] - 1 if note.values else 0
            fact = make_fact(metric, column, shown, note.table, note.label, note.grid_row, max(c, 0))
            if cell.value == "":
                fact.raw, fact.number = "", None
            out.append(fact)
            decodings.append(cell)
    return out, decodings, left


def _origin(note: MappingNote, row: GluedRow, j: int, cell: CellDecoding) -> int | None:
    if cell.value in (None, ""):
        return None
    printed = [(c, x) for c, x in note.values if not x.blank]
    cols = set()
    for reading in row.splittings:
        if reading[j] != cell.value:
            continue
        k = sum(1 for v in reading[:j] if v)  # how many printed values come before this column
        cols.add(printed[k][0])
    return cols.pop() if len(cols) == 1 else None
