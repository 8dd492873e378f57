"""Map a document's table grids onto the metric catalogue, cell by cell, keeping each value exactly as printed.

Tables are recognised by content, not by their number (agencies number them 一/二/三 or not at all); a table
with no telling content takes its kind from the section it stands in. In 表二/表三 a row is identified by its
label (the last text cell) and its values are the cells after it; in 表四 the 15 values are read in template
order, whether they stand in one row or in three 5-cell tables (broken markdown). Nothing is guessed: a row
whose cell count does not fit the catalogue is reported as a mapping note, not stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.catalogue import (COLUMNS, METRICS, T4_METRICS, TEMPLATE_2019, TEMPLATE_2021, TEMPLATE_PRE2019,
                             Metric, metrics_of)
from index.document import Cell, Document, Paragraph, Table
from index.normalize import compact, parse_number

UNCERTAIN = "?"  # the grid text of a glued cell whose decoding is not unique (index.glued keeps its candidates)
DASHES = {"-", "—", "——", "–", "－", "/", "／", "\\", "无", "空", UNCERTAIN}
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+[、.]|[(][一二三四五六七八九十\d]+[)]|\d+[.、]?)+")

_MARKERS = {
    TEMPLATE_2021: ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "收费通知", "本年收费金额"),
    TEMPLATE_2019: ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购",
                    "其他对外管理服务事项"),
}
_SECTION_KIND = (("主动公开", "t2"), ("收到和处理", "t3"), ("依申请", "t3"), ("行政复议", "t4"),
                 ("行政诉讼", "t4"))


@dataclass
class Fact:
    metric: str
    column: str
    raw: str  # exactly as printed (outer whitespace trimmed); "" for a blank cell
    number: str | None  # canonical decimal, None when blank or not a number
    unit: str
    table_index: int
    row_label: str
    column_label: str
    grid_row: int
    grid_col: int
    page: int | None
    section: str

    @property
    def status(self) -> str:
        if not self.raw:
            return "blank"
        return "value" if self.number is not None else "text"


@dataclass
class MappingNote:
    table_index: int
    grid_row: int
    message: str
    # a 表二/表三 row with values that could not be mapped as it stands (no label, a cut label, too few cells):
    # kept whole so that index.repair can place it by the template's row order and arithmetic
    kind: str | None = None
    label: str = ""
    values: list[tuple[int, Cell]] | None = None
    metric: str | None = None  # the row its label names, when only its cell count did not fit
    table: Table | None = None


def is_value_like(text: str) -> bool:
    return parse_number(text) is not None or compact(text) in DASHES


def detect_template(doc: Document, year: int | None) -> tuple[str, str]:
    """(template, basis): told by the tables' own rows and columns; by the year only when no table tells, or
    when the year is before 2019 (the national templates did not exist yet)."""
    if year is not None and year < 2019:
        return TEMPLATE_PRE2019, "year"
    text = compact(doc.full_text())
    hits = {t: sum(m in text for m in markers) for t, markers in _MARKERS.items()}
    if hits[TEMPLATE_2021] or hits[TEMPLATE_2019]:
        template = TEMPLATE_2021 if hits[TEMPLATE_2021] >= hits[TEMPLATE_2019] else TEMPLATE_2019
        return template, "tables"
    if "历年累计" in text or "指标名称" in text:
        return TEMPLATE_PRE2019, "tables"
    if year is not None:
        return (TEMPLATE_2019 if year < 2021 else TEMPLATE_2021), "year"
    return TEMPLATE_2021, "default"


def table_kind(table: Table, template: str | None = None) -> str | None:
    text = compact(table.text())
    if template == TEMPLATE_PRE2019:  # the free-form statistics table, or nothing the catalogue knows
        return "old" if any(k in text for m in metrics_of("old") for k in m.keys) else None
    scores = {}
    for kind in ("t2", "t3", "t4"):
        scores[kind] = sum(1 for m in metrics_of(kind) for k in m.keys if not m.exact_key and k in text)
    if "维持" in text or "审结" in text:
        scores["t4"] += 2
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def section_kind(section: str) -> str | None:
    text = compact(section)
    for word, kind in _SECTION_KIND:
        if word in text:
            return kind
    return None


def strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", compact(label))


def match_metric(kind: str, label: str) -> Metric | None:
    full = compact(label)
    bare = strip_numbering(label)
    candidates = sorted(metrics_of(kind), key=lambda m: -max(len(k) for k in m.keys))
    for metric in candidates:
        for key in metric.keys:
            if metric.exact_key:
                if bare == key:
                    return metric
            elif key in full:
                return metric
    return None


UNIT_WORDS = ("条", "件", "元", "万元", "个", "项", "次", "人次", "份")  # a 计量单位 column (tables before 2019)


def _split_row(row: list[Cell]) -> tuple[str, list[tuple[int, Cell]], str]:
    """(label, [(grid column, cell)…], unit): the label is the last text cell that is not a unit; the values are
    the cells after it (and after its unit cell, where the table has one)."""
    cells = [(i, c) for i, c in enumerate(row) if not c.merged and not c.padding]
    label_at = unit_at = -1
    for pos, (_, cell) in enumerate(cells):
        if cell.text and not is_value_like(cell.text):
            if compact(cell.text) in UNIT_WORDS and label_at >= 0:
                unit_at = pos
            else:
                label_at, unit_at = pos, -1
    label = cells[label_at][1].text if label_at >= 0 else ""
    unit = compact(cells[unit_at][1].text) if unit_at >= 0 else ""
    return label, cells[max(label_at, unit_at) + 1:], unit


def fit_cells(values: list[tuple[int, Cell]], n: int) -> list[tuple[int, Cell]] | None:
    """Trim blank cells that only fill the grid (an empty sub-label column, padding) down to n values."""
    values = list(values)
    while len(values) > n and values[0][1].blank:
        values.pop(0)
    while len(values) > n and values[-1][1].blank:
        values.pop()
    return values if len(values) == n else None


def make_fact(metric: Metric, column: str, cell: Cell, table: Table, row_label: str, r: int, c: int,
              unit: str = "") -> Fact:
    return Fact(metric=metric.id, column=column, raw=cell.text, number=parse_number(cell.text),
                unit=unit or metric.unit_for(column), table_index=table.index, row_label=row_label,
                column_label=COLUMNS[column].label, grid_row=r, grid_col=c, page=table.page_of_row(r),
                section=table.section)


def map_tables(doc: Document, template: str) -> tuple[list[Fact], list[MappingNote]]:
    facts: list[Fact] = []
    notes: list[MappingNote] = []
    seen: set[tuple[str, str]] = set()
    t4_values: list[tuple[Table, int, int, Cell]] = []  # (table, row, col, cell) in reading order
    current_section_kind = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.heading_level == 1:
                current_section_kind = section_kind(block.text)
            continue
        table = block
        if template == TEMPLATE_PRE2019:
            kind = table_kind(table, template)
        else:
            kind = table_kind(table) or section_kind(table.section) or current_section_kind
        if kind is None:
            continue
        for r, row in enumerate(table.rows):
            label, values, unit = _split_row(row)
            if not any(parse_number(c.text) is not None or c.text == UNCERTAIN for _, c in values):
                continue  # header rows and empty rows
            metric = match_metric(kind, label) if label else None
            if kind == "t4" and (metric is None or metric.id not in T4_METRICS):
                t4_values.extend((table, r, col, cell) for col, cell in values)
                continue
            if metric is None:
                notes.append(MappingNote(table.index, r, f"row not in the catalogue: {label or '(no label)'} "
                                                         f"({len(values)} values)", kind, label, values, None, table))
                continue
            columns = metric.columns.get(template)
            fitted = fit_cells(values, len(columns)) if columns else None
            if fitted is None:
                notes.append(MappingNote(table.index, r, f"{metric.label}: {len(values)} cells, the {template} "
                                                         f"template has {len(columns or ())}",
                                         kind, label, values, metric.id if columns else None, table))
                continue
            if (metric.id, columns[0]) in seen:
                notes.append(MappingNote(table.index, r, f"{metric.label}: a second row with this label; "
                                                         "the first one is kept"))
                continue
            for column, (c, cell) in zip(columns, fitted):
                facts.append(make_fact(metric, column, cell, table, label, r, c, unit))
                seen.add((metric.id, column))
    facts.extend(_map_t4(t4_values, template, notes, seen))
    return facts, notes


def _map_t4(values: list[tuple[Table, int, int, Cell]], template: str, notes: list[MappingNote],
            seen: set[tuple[str, str]]) -> list[Fact]:
    if not values:
        return []
    # blank cells that only pad a row (after the last value of the table) are not values
    while values and values[-1][3].blank:
        values.pop()
    values = [v for i, v in enumerate(values) if not (v[3].blank and i == 0)]
    if len(values) != 15:
        table = values[0][0] if values else None
        notes.append(MappingNote(table.index if table else -1, values[0][1] if values else -1,
                                 f"表四: {len(values)} value cells, the template has 15"))
        return []
    facts = []
    for i, (table, r, c, cell) in enumerate(values):
        metric = METRICS[T4_METRICS[i // 5]]
        column = metric.columns[template][i % 5] if template in metric.columns else None
        if column is None or (metric.id, column) in seen:
            continue
        facts.append(make_fact(metric, column, cell, table, metric.label, r, c))
    return facts
