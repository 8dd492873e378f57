"""What every answerer returns and cites: the Answer, the stored table Cell it rests on, and the citations.

Shared by the answerers (`assistant.answerers`), the pipeline (`assistant.answer`) and the views (`render`,
`sources`, `workspace`); it imports nothing of `assistant` but the query type, so nothing imports back into it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from index.catalogue import COLUMN_GROUPS, COLUMNS, METRICS, OLD_EQUIVALENTS, TABLE_NAMES
from index.glued import BLANK
from index.store import FORMAT_RANK, Report, Store

from assistant.query import Query


@dataclass
class Answer:
    status: str  # answered / not_found / ambiguous
    answer: str
    values: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    query: Query | None = None
    choices: list[str] = field(default_factory=list)  # for ambiguous: what the user can pick
    accounted: list[str] = field(default_factory=list)  # stored records quoted in the text (勾稽 findings)

    def to_dict(self) -> dict:
        values = [dict(v, operands=operand_numbers(self, v)) if "operands" in v else v for v in self.values]
        return {"status": self.status, "answer": self.answer, "values": values, "citations": self.citations}


def computed_value(result: str, unit: str, formula: str, operands: list[dict]) -> dict:
    """A figure computed from cited figures: its formula and its operands' citations (given in JSON as their
    numbers in the answer's citations, 1-based)."""
    return {"value": result.rstrip("%"), "raw": result, "unit": "%" if result.endswith("%") else unit,
            "metric": "computed", "column": None, "report": None, "formula": formula, "citation": None,
            "operands": list(operands)}


def operand_numbers(answer: Answer, value: dict) -> list[int]:
    """The numbers ([1], [2] …) of a computed value's operands among the answer's citations."""
    return [answer.citations.index(c) + 1 for c in value.get("operands", ()) if c in answer.citations]


def answer_json(answer: Answer) -> str:
    return json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)


def cell_citation(report: Report, fact, decoded=None) -> dict:
    """Where a cell stands; for a cell decoded from glued text, also the glued digits it came from, how it was
    decided, and (when undecided) every candidate."""
    metric = METRICS[fact["metric"]]
    extra = {}
    if decoded is not None:
        extra = {"source": decoded["source"], "decoding": decoded["reason"],
                 "candidates": json.loads(decoded["candidates"]) if decoded["value"] is None else []}
    return extra | {
        "report": report.source_name,
        "report_id": report.id,
        "agency": report.agency,
        "year": report.year,
        "section": fact["section"],
        "table": TABLE_NAMES[metric.table],
        "table_number": fact["table_ord"] + 1,  # the n-th table in the file
        "row": fact["row_label"],
        "column": fact["column_label"],
        "grid_row": fact["grid_row"] + 1,
        "grid_col": fact["grid_col"] + 1,
        "page": fact["page"],
        "printed": fact["raw"],
        "metric": fact["metric"],
        "col": fact["col"],
    }


LOST_CELL = "（缺失的一格，数值未知）"


def candidate_text(value: str) -> str:
    """A candidate reading as shown: "" is a cell the printed row lost (index.repair), not a blank cell."""
    return "留空" if value == BLANK else value or LOST_CELL


@dataclass
class Cell:
    """A stored table cell with the reading it came from: the operand of every table answer."""
    report: Report
    fact: object  # sqlite3.Row of the facts table
    decoded: object = None  # sqlite3.Row of decoded_cells, for a cell read from glued text

    @property
    def uncertain(self) -> bool:
        return self.decoded is not None and self.decoded["value"] is None

    @property
    def metric(self) -> str:
        return self.fact["metric"]

    @property
    def number(self) -> Decimal | None:
        return None if self.fact["number"] is None else Decimal(self.fact["number"])

    def value(self) -> dict:
        citation = cell_citation(self.report, self.fact, self.decoded)
        return {"value": self.fact["number"], "raw": self.fact["raw"], "unit": self.fact["unit"],
                "metric": self.metric, "column": self.fact["col"], "report": self.report.source_name,
                "citation": citation}

    def warnings(self, store: Store) -> list[str]:
        return [f"注意：此格涉及一处勾稽不符——{f['message']}（按原文照录，未作更正）"
                for f in store.findings_for_cell(self.report.id, self.metric, self.fact["col"])]

    def candidates(self) -> list[str]:
        """The readings an undecided glued cell still has, as shown (留空, a lost cell said so)."""
        return [candidate_text(c) for c in json.loads(self.decoded["candidates"])] if self.uncertain else []

    def sentence(self) -> str:
        """The cell said in words, with how it was read when it came from glued text."""
        fact, decoded = self.fact, self.decoded
        where = f"{METRICS[fact['metric']].label}（{COLUMNS[fact['col']].label}）"
        if self.uncertain:
            candidates = self.candidates()
            shown = "、".join(candidates[:8]) + ("等" if len(candidates) > 8 else "")
            return (f"{where}一格无法确定：报告原文此处印为“{decoded['source']}”，"
                    f"可读作 {shown}（共 {len(candidates)} 种）；{decoded['reason']}")
        if decoded is not None and decoded["value"] == BLANK:
            return (f"{where}一格在报告中留空，没有填写数字（留空不等于零；原文此行印为“{decoded['source']}”，"
                    f"{decoded['reason']}）")
        if decoded is not None and fact["raw"] == "":
            return f"{where}一格在原文中缺失，数值未知（原文此行印为“{decoded['source']}”，{decoded['reason']}）"
        if decoded is not None:
            return f"{where}为 {fact['raw']} {fact['unit']}（原文此处印为“{decoded['source']}”，{decoded['reason']}）"
        if fact["raw"] == "":
            return f"{where}一格在报告中留空，没有填写数字（留空不等于零）"
        if fact["number"] is None:
            return f"{where}一格报告印为“{fact['raw']}”，不是数字"
        return f"{where}为 {fact['raw']} {fact['unit']}"


def text_citation(store: Store, report: Report, start: int, end: int, sentence: str = "") -> dict:
    """A span of the report's stored text cited as a passage is: its paragraph, section and page, the span's text
    (which the source panel highlights) and the sentence quoted."""
    text = store.report_text(report.id)
    paragraph_no = text.count("\n", 0, start) + 1
    paragraphs = store.paragraphs(report.id)
    paragraph = paragraphs[paragraph_no - 1] if paragraph_no <= len(paragraphs) else None
    return {"report": report.source_name, "report_id": report.id, "agency": report.agency, "year": report.year,
            "section": paragraph["section"] if paragraph else "", "paragraph": paragraph_no,
            "page": paragraph["page"] if paragraph else None, "char_start": start, "char_end": end,
            "text": text[start:end], "sentence": sentence or text[start:end]}


def best_first(readings: list[Report]) -> list[Report]:
    """Readings of one report best first: the structured formats before scraped text."""
    return sorted(readings, key=lambda r: (FORMAT_RANK.get(r.format, 9), r.id))


def one_reading_each(candidates: list[Report]) -> dict[tuple, Report]:
    """One reading per agency-year: the structured one (the scraped text of the same report repeats it)."""
    readings: dict[tuple, Report] = {}
    for r in best_first(candidates):
        readings.setdefault((r.agency, r.year), r)
    return readings


def find_cell(store: Store, readings: list[Report], metric_id: str, column: str | None) -> Cell | None:
    """The cell of one agency-year from its best reading that holds it. An unnamed or inapplicable column means
    the row's 总计 (or its only column)."""
    return _pick_cell(readings, metric_id, column, lambda r, c: store.fact(r.id, metric_id, c),
                      lambda r, c: store.decoded_cell(r.id, metric_id, c))


def find_cells(store: Store, readings_of: dict[str, list[Report]], metric_id: str,
               column: str | None) -> dict[str, Cell | None]:
    """find_cell for each agency's readings, the cells read in one query each for facts and decoded cells (a
    ranking of every agency of a year: 5,000 of them in a national store)."""
    ids = [r.id for readings in readings_of.values() for r in readings]
    facts: dict[tuple, object] = {}
    for row in store.facts_of(ids, metric_id):
        facts.setdefault((row["report_id"], row["col"]), row)  # the first, as store.fact gives it
    decoded: dict[tuple, object] = {}
    for row in store.decoded_cells_of(ids, metric_id):
        decoded.setdefault((row["report_id"], row["col"]), row)
    return {agency: _pick_cell(readings, metric_id, column, lambda r, c: facts.get((r.id, c)),
                               lambda r, c: decoded.get((r.id, c)))
            for agency, readings in readings_of.items()}


def _pick_cell(readings: list[Report], metric_id: str, column: str | None, fact_of, decoded_of) -> Cell | None:
    metric = METRICS[metric_id]
    if column in COLUMN_GROUPS:
        return None  # several columns: answered as their sum (answerers.computed), never as one cell
    for reading in best_first(readings):
        columns = metric.columns.get(reading.template, ())
        chosen = column if column in columns else ("total" if "total" in columns else (columns[0] if columns else None))
        if chosen is None:
            continue
        fact = fact_of(reading, chosen)
        if fact is not None:
            return Cell(reading, fact, decoded_of(reading, chosen))
    return None


def old_equivalent(metric_id: str) -> str | None:
    """The row of the statistics tables before 2019 that counts the same thing as a 2021-template row (本年新收 →
    受理依申请公开信息总数), or None."""
    if metric_id.startswith("old."):
        return None
    new = metric_id if metric_id in OLD_EQUIVALENTS else METRICS[metric_id].parent
    return OLD_EQUIVALENTS.get(new or "")


def years_text(reports: list[Report]) -> str:
    return "、".join(str(y) for y in sorted({r.year for r in reports if r.year}))


def agency_list(reports: list[Report]) -> str:
    return "、".join(dict.fromkeys(r.agency for r in reports))


def report_label(query: Query, report: Report) -> str:
    label = f"{report.agency} {report.year}年"
    if query.fuzzy_agency:
        label += f"（问题中的“{query.agency_mention}”按库中名称“{report.agency}”理解）"
    return label


def several_reports(query: Query, candidates: list[Report]) -> Answer | None:
    """The ambiguous answer when the candidates are more than one agency-year, listing them; else None."""
    agencies = {r.agency for r in candidates}
    years = {r.year for r in candidates}
    if len(agencies) == 1 and len(years) == 1:
        return None
    choices = sorted({f"{r.agency} {r.year}年" for r in candidates})
    hint = "请说明是哪个机关、哪一年" if len(agencies) > 1 else "请说明是哪一年"
    return Answer("ambiguous", f"这个问题可能指以下几份报告，{hint}：" + "；".join(choices) + "。",
                  query=query, choices=choices)
