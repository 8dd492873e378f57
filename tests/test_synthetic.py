"""Property tests on synthetic reports (scripts/synth_reports.py): the national template filled with random values
that satisfy every 勾稽 relation (or break one on purpose), in every layout met in the wild, read back through the
whole ingest. Every cell must come back exact, or uncertain with the true value among its candidates; a deliberate
break must be found; no break may be reported where none exists; and questions built from the same values must be
answered with the true number, or not answered (not_found / ambiguous), never with another number.

Bugs found with this test bed are pinned by the named tests at the end. One limit is by nature, not a bug: a
break printed inside a glued row of a pre-2019 table can be hidden by a reading that keeps every relation; those
cells are left uncertain (never wrong), but the break itself cannot be seen.
"""
from __future__ import annotations

import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import ROOT, needs_template
from index.catalogue import T3_COLUMNS
from index.ingest import ingest_paths
from index.store import Store

sys.path.insert(0, str(ROOT / "scripts"))
import synth_reports as synth  # noqa: E402
from score_synthetic import score_report  # noqa: E402

LAYOUTS_HERE = [pytest.param(layout, marks=needs_template) if layout == "docx" else layout
                for layout in synth.LAYOUTS]
SETTINGS = settings(max_examples=4, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: an example costs an ingest


def _ingest(reports: list[tuple[synth.SynthReport, str]], folder: Path) -> tuple[Store, list[int]]:
    paths = [synth.write_report(r, layout, folder, i) for i, (r, layout) in enumerate(reports)]
    store = Store(folder / "reportqa.sqlite3")
    outcomes = ingest_paths(store, paths, encode=False)
    assert all(o.status == "ingested" for o in outcomes), [o.line() for o in outcomes]
    return store, [o.report_id for o in outcomes]


def _read_back(report: synth.SynthReport, layout: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store, (rid,) = _ingest([(report, layout)], Path(tmp))
        try:
            return score_report(store, rid, report.truth(f"x.{layout}", layout))
        finally:
            store.close()


def _assert_read_back(result: dict, report: synth.SynthReport, break_may_hide: bool = False) -> None:
    bad = [d for d in result["details"] if d[1] != "uncertain_with"]
    assert result["meta_ok"], "agency, year or template not recognised"
    assert not bad, f"{len(bad)} cells (cell, kind, stored, truth): {bad[:8]}"
    assert not result["extra"], f"cells stored that the report does not have: {result['extra'][:8]}"
    if report.breaks and not break_may_hide:
        assert result["break_found"], f"deliberate break not reported: {report.breaks}"
    assert not result["false_breaks"], result["false_breaks"]


# ---- conditions the pinned cases below are drawn from --------------------------------------------------------
def _cumulative_break(report: synth.SynthReport) -> bool:
    return bool(report.breaks) and report.breaks["check"] == "cumulative_below_this_year"


def _md_last_row_label_lost(report: synth.SynthReport, layout: str) -> bool:
    return layout == "md" and report.template != "pre2019" and "\n四、结转下年度继续办理\n|" in synth.render_md(report)


def _glued_old_break(report: synth.SynthReport, layout: str) -> bool:
    # a break inside a glued row of a pre-2019 table can be hidden by a reading that keeps every relation
    # (23 | 4 printed, "234" read as 2 | 34): the cells then stay uncertain, never wrong, but no break is seen
    return layout == "glued" and report.template == "pre2019" and bool(report.breaks)


@pytest.mark.parametrize("layout", LAYOUTS_HERE)
@SETTINGS
@given(seed=st.integers(0, 10 ** 9), template=st.sampled_from(synth.TEMPLATES), broken=st.booleans())
def test_every_cell_reads_back(layout, seed, template, broken):
    report = synth.make_report(seed, template, broken=broken)
    _assert_read_back(_read_back(report, layout), report, break_may_hide=_glued_old_break(report, layout))


# ---- questions from the same values, end to end ----------------------------------------------------------
def _headline(answer) -> Decimal | None:
    """The number an answer gives: its computed value, else its one cell's value."""
    computed = [v for v in answer.values if v["metric"] == "computed"]
    values = computed or answer.values
    if len(values) != 1 or values[0]["value"] is None:
        return None
    return Decimal(values[0]["value"])


def _check_answer(question: str, store: Store, expected: Decimal | None) -> str:
    from assistant.answer import answer_question
    answer = answer_question(question, store)
    if answer.status in ("not_found", "ambiguous"):
        return answer.status
    got = _headline(answer)
    if expected is None:  # the truth is blank somewhere: any figure is a wrong number
        assert got is None, f"WRONG NUMBER for {question!r}: {got}, truth blank — {answer.answer}"
    else:
        assert got == expected, f"WRONG NUMBER for {question!r}: {got} ≠ {expected} — {answer.answer}"
        assert re.search(rf"(?<![\d.]){re.escape(str(abs(expected)))}(?![\d.])", answer.answer), answer.answer
    return "answered"


def _num(report: synth.SynthReport, metric: str, column: str) -> Decimal | None:
    raw = report.v(metric, column)
    return None if raw == "" else Decimal(raw)


def _sum(values):
    return None if any(v is None for v in values) else sum(values, Decimal(0))


CELL_QUESTIONS = [("本年新收政府信息公开申请多少件", "t3.new", "total"), ("予以公开多少件", "t3.disclosed", "total"),
                  ("行政复议总计多少件", "t4.review", "total"), ("行政许可处理决定数量", "t2.licensing", "decisions"),
                  ("属于三类内部事务信息不予公开多少件", "t3.withheld.internal", "total"),
                  ("行政复议尚未审结几件", "t4.review", "pending")]


@pytest.mark.parametrize("layout", LAYOUTS_HERE)
@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=st.integers(0, 10 ** 9), which=st.integers(0, len(CELL_QUESTIONS) - 1),
       group=st.sampled_from(["不予公开", "无法提供", "不予处理"]))
def test_questions_give_the_true_number_or_none(layout, seed, which, group):
    first = synth.make_report(seed, "2021", broken=False)
    second = synth.make_report(seed + 1, "2021", agency=first.agency, year=first.year + 1 if first.year < 2025
                               else first.year - 1, broken=False)
    a, y = first.agency, first.year
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = _ingest([(first, layout), (second, layout)], Path(tmp))
        try:
            text, metric, column = CELL_QUESTIONS[which]
            statuses = [_check_answer(f"{a}{y}年{text}", store, _num(first, metric, column))]
            legal = _sum([_num(first, "t3.new", c) for c in T3_COLUMNS[1:-1]])
            statuses.append(_check_answer(f"{a}{y}年新收申请中法人或其他组织多少件", store, legal))
            expected = ["answered", "answered" if legal is not None else "not_found", "answered", "answered"]
            parent = {"不予公开": "t3.withheld", "无法提供": "t3.unable", "不予处理": "t3.rejected"}[group]
            rows = [m for m in synth.t3_rows("2021") if synth.METRICS[m].parent == parent]
            statuses.append(_check_answer(f"{a}{y}年{group}的一共多少件", store,
                                          _sum([_num(first, m, "total") for m in rows])))
            y2 = second.year
            later, earlier = (second, first) if y2 > y else (first, second)
            change = _num(later, "t3.new", "total") - _num(earlier, "t3.new", "total")
            statuses.append(_check_answer(f"{a}{later.year}年比{earlier.year}年新收申请多了多少？", store, change))
        finally:
            store.close()
    # structured layouts hold every cell for certain: their questions must be answered, not only not wrong
    if layout in ("docx", "html", "txt", "pdf"):
        assert statuses == expected, statuses


# ---- cases found with the test bed, pinned -------------------------------------------------------------------
def _find(template: str, layout: str, condition, broken=None) -> synth.SynthReport:
    for seed in range(5000):
        report = synth.make_report(seed, template, broken=broken)
        if condition(report):
            return report
    raise AssertionError("no seed gives the case")


def test_glued_report_with_blank_legal_columns():
    # a scraped page whose five 法人或其他组织 columns were empty prints two numbers a row: read as blank, not lost
    report = _find("2021", "glued", lambda r: r.style["legal_blank"], broken=False)
    result = _read_back(report, "glued")
    assert result["cells"]["missing"] == 0, result["details"][:5]


@pytest.mark.parametrize("layout", ["html", "txt", "md"])
def test_pre2019_cumulative_below_this_year_is_found(layout):
    # 本年度 ≤ 历年累计 is a relation of index.checks (old_cumulative): a row that breaks it is reported
    report = _find("pre2019", layout, _cumulative_break, broken=True)
    assert _read_back(report, layout)["break_found"]


def test_glued_pre2019_break_is_not_decoded_into_wrong_values():
    # 2.政府公报公开数 printed 23 | 4 (累计 below 本年度), glued as "234": 2 | 34 keeps every relation, so a table of
    # inequalities only is decided only where every reading within one misprinted cell agrees
    report = synth.make_report(1000036, "pre2019")
    assert report.breaks["cell"] == "old.proactive.gazette|cumulative" and report.style["glue_spaces"] == "none"
    result = _read_back(report, "glued")
    assert result["cells"]["wrong"] == 0, [d for d in result["details"] if d[1] == "wrong"]
    assert result["cells"]["uncertain_without"] == 0, [d for d in result["details"] if d[1] == "uncertain_without"]
    assert result["cells"]["uncertain_with"] > 0  # the gazette row, at least, is left open


def test_question_about_a_jiedao_agency_is_answered():
    from assistant.answer import answer_question
    report = synth.make_report(0, "2021", agency="昌杨市义凤街道", year=2021, broken=False)
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = _ingest([(report, "html")], Path(tmp))
        try:
            answer = answer_question("昌杨市义凤街道2021年本年新收政府信息公开申请多少件", store)
        finally:
            store.close()
    assert answer.status == "answered" and _headline(answer) == Decimal(report.v("t3.new", "total")), answer.answer



def test_md_last_row_with_its_label_lost_is_placed():
    # the label line '四、结转下年度继续办理' above its cells is a table row, not section 四 (index.sections)
    report = synth.make_report(3000634, "2021")
    assert _md_last_row_label_lost(report, "md")
    result = _read_back(report, "md")
    assert result["cells"]["missing"] == 0, result["details"][:7]
