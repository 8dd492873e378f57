"""Hints from neighbouring years for glued statistics tables before 2019 (本年度 | 历年累计 glued: `17953304`).

One would expect a year's 历年累计 to continue the previous year's (累计(y-1) + 本年度(y) = 累计(y)), and at least
never to fall. The hand-verified reports show that neither holds: 平潭 2016 prints 历年累计 85376 and 2017 prints
10037 (tests/test_relations_verified.py). So the chain decides nothing and prunes nothing here (issue 15: only
relations verified on the golden reports decide); where exactly one reading of an undecided row continues a
neighbouring year, the cell's decoding note says so, as a pointer for whoever checks the report by hand.
"""
from __future__ import annotations

import json

from index.catalogue import TEMPLATE_PRE2019

HINT = "；年际衔接提示："  # what follows it in a decoding note is this module's (recomputed, never stacked)


def _readings(store, report_id: int) -> dict[str, list[tuple[str, str]]]:
    """Per statistics-table row (old.* metric): its (本年度, 历年累计) readings, one where the row is settled."""
    cells: dict[str, dict[str, object]] = {}
    for fact in store.facts(report_id):
        if fact["metric"].startswith("old.") and fact["col"] in ("this_year", "cumulative"):
            cells.setdefault(fact["metric"], {})[fact["col"]] = fact["raw"]
    for cell in store.decoded_cells(report_id, uncertain_only=True):
        if cell["metric"] in cells:
            cells[cell["metric"]][cell["col"]] = (cell["source"], json.loads(cell["candidates"]))
    rows = {}
    for metric, row in cells.items():
        this, cumulative = row.get("this_year"), row.get("cumulative")
        if isinstance(this, str) and isinstance(cumulative, str):
            rows[metric] = [(this, cumulative)]
        elif isinstance(cumulative, tuple):  # undecided: pair the candidates that make up the printed digits
            source, candidates = cumulative
            these = this[1] if isinstance(this, tuple) else [this]
            rows[metric] = [(t, c) for c in candidates for t in these if t + c == source]
    return rows


def _continues(earlier: tuple[str, str], later: tuple[str, str]) -> bool:
    try:
        return int(earlier[1]) + int(later[0]) == int(later[1])
    except ValueError:
        return False


def chain_hints(store, agency: str) -> list[tuple[int, str, str, str]]:
    """(report id, metric, column, note) for each undecided cell of the agency's pre-2019 reports that exactly one
    reading of its row continues from or into a neighbouring year's report (consecutive years only)."""
    reports = sorted((r for r in store.readings_of(agency) if r.template == TEMPLATE_PRE2019 and r.year is not None),
                     key=lambda r: r.year)
    readings = {r.id: _readings(store, r.id) for r in reports}
    hints = []
    for i, report in enumerate(reports):
        undecided = {(c["metric"], c["col"]) for c in store.decoded_cells(report.id, uncertain_only=True)}
        for metric in sorted({m for m, _ in undecided}):
            own = readings[report.id].get(metric, [])
            for other, earlier in ((reports[i - 1] if i else None, True),
                                   (reports[i + 1] if i + 1 < len(reports) else None, False)):
                if other is None or abs(other.year - report.year) != 1 or metric not in readings[other.id]:
                    continue
                theirs = readings[other.id][metric]
                fits = [(mine, t) for mine in own for t in theirs
                        if (_continues(t, mine) if earlier else _continues(mine, t))]
                if len({mine for mine, _ in fits}) != 1 or len({t for _, t in fits}) != 1:
                    continue
                (this, cumulative), (their_this, their_cumulative) = fits[0]
                if earlier:
                    how = f"{other.year}年报告的历年累计 {their_cumulative} + 本年度 {this} = {cumulative}"
                else:
                    how = f"历年累计 {cumulative} + {other.year}年报告的本年度 {their_this} = {their_cumulative}"
                for column, value in (("this_year", this), ("cumulative", cumulative)):
                    if (metric, column) in undecided:
                        hints.append((report.id, metric, column,
                                      f"只有读作 {this} | {cumulative} 时与{other.year}年报告衔接（{how}）；但历年累计的"
                                      f"年际衔接在已核实的报告中并不总成立（平潭 2016 年印 85376，2017 年印 10037），"
                                      f"所以仅供核对，不据此确定"))
                break  # one neighbour's hint is enough
    return hints


def annotate(store, agency: str) -> None:
    """Recompute the agency's chain hints and write them into the decoding notes (replacing earlier hints)."""
    hints = {(report_id, metric, column): note for report_id, metric, column, note in chain_hints(store, agency)}
    reports = [r for r in store.readings_of(agency) if r.template == TEMPLATE_PRE2019]
    notes = []
    for report in reports:
        for cell in store.decoded_cells(report.id, uncertain_only=True):
            base = cell["reason"].split(HINT)[0]
            note = hints.get((report.id, cell["metric"], cell["col"]))
            reason = base + HINT + note if note else base
            if reason != cell["reason"]:
                notes.append((report.id, cell["metric"], cell["col"], reason))
    if notes:
        store.set_decoding_notes(notes)
