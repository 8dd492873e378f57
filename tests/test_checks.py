"""勾稽 checks: the real breaks are found, reports that balance get none, figures are never corrected."""
from __future__ import annotations

import json

from conftest import golden, needs_real
from index.checks import check_report
from index.mapping import Fact


@needs_real
def test_check_finds_real_breaks_and_no_false_ones(corpus_store):
    census = golden("breaks.json")["reports"]
    by_name = {r.source_name: r for r in corpus_store.reports()}
    assert set(census) <= set(by_name)
    for name, expected in census.items():
        found = corpus_store.findings(by_name[name].id)
        assert len(found) == len(expected["breaks"]), (name, [f["message"] for f in found])
        for want in expected["breaks"]:
            total_cell = [want.get("metric", "t3.total"), want.get("column", "total")]
            match = [f for f in found if f["check_name"] == want["check"] and json.loads(f["cells"])[0] == total_cell]
            assert match, (name, want)
            assert (match[0]["printed"], match[0]["expected"]) == (want["printed"], want["expected"])
    assert sum(len(e["breaks"]) for e in census.values()) == 2  # both directions are exercised


@needs_real
def test_printed_value_is_kept_when_it_breaks_the_arithmetic(corpus_store):
    report = next(r for r in corpus_store.reports() if r.source_name == "001_huaian-hongzequ_2023.pdf")
    assert corpus_store.fact(report.id, "t4.review", "total")["raw"] == "0"  # printed 0, arithmetic says 11


def _fact(metric, column, raw):
    from index.normalize import parse_number
    return Fact(metric, column, raw, parse_number(raw), "件", 0, "", "", 0, 0, None, "")


def test_row_total_break_and_blank_cells_are_undecided():
    cols = ["natural", "commercial", "research", "public_interest", "legal", "other_org", "total"]
    facts = [_fact("t3.new", c, v) for c, v in zip(cols, ["5", "1", "0", "0", "0", "0", "7"])]
    found = check_report(facts)
    assert [f.check for f in found] == ["row_total"] and found[0].expected == "6" and found[0].printed == "7"
    facts = [_fact("t3.new", c, v) for c, v in zip(cols, ["5", "", "", "", "", "", "7"])]
    assert check_report(facts) == []  # blank is unknown, not 0


def test_t4_group_totals_with_decimals_exact():
    cols = ["upheld", "corrected", "other", "pending", "total"]
    ok = [_fact("t4.review", c, v) for c, v in zip(cols, ["1", "2", "0", "0", "3"])]
    assert check_report(ok) == []
    bad = [_fact("t4.review", c, v) for c, v in zip(cols, ["1", "2", "0", "1", "3"])]
    assert check_report(bad)[0].expected == "4"
