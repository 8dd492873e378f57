"""The contact answerer: the office, address, phone, fax, postcode, e-mail, website and where to download the
report, as its contact block prints them (read at ingest by `index.contacts`), each with its sentence cited.

Without a year, the newest report of the agency that prints the fact answers (a citizen wants today's number),
and the answer says which report it is; a report that prints none of what was asked says so and says what it
does print.
"""
from __future__ import annotations

from index.contacts import KINDS
from index.store import Report, Store

from assistant.evidence import Answer, agency_list, best_first
from assistant.plan import Plan, Step

_ORDER = ("office", "address", "phone", "fax", "postcode", "email", "website", "download")


def answer(route: Plan, step: Step, store: Store) -> Answer:
    query = route.query
    agencies = list(dict.fromkeys(r.agency for r in route.reports))
    if len(agencies) > 1:
        return Answer("ambiguous", f"请说明是哪个机关的联系方式：{agency_list(route.reports)}。", query=query,
                      choices=agencies)
    wanted = list(_ORDER) if "all" in query.contact_kinds else [k for k in _ORDER if k in query.contact_kinds]
    if "download" in wanted and "website" in wanted:
        wanted.remove("website")  # the download line names the site and its address
    # newest year first; within a year, the structured reading first
    readings = sorted(best_first(route.reports), key=lambda r: -(r.year or 0))
    newest = readings[0]
    for report in readings:
        rows = [c for c in store.contacts(report.id) if c["kind"] in wanted]
        if rows:
            answer = _answered(query, store, report, rows, wanted, newest)
            if query.year is None:
                _older_values(answer, store, report, readings, wanted)
            return answer
    printed = {c["kind"] for r in readings for c in store.contacts(r.id)}
    asked = "、".join(KINDS[k] for k in wanted)
    years = "、".join(str(y) for y in sorted({r.year for r in readings if r.year}))
    text = f"{newest.agency}的报告（{years}年）没有印出{asked}。"
    if printed:
        text += "报告中印有：" + "、".join(KINDS[k] for k in _ORDER if k in printed) + "，可以换个问法查询。"
    return Answer("not_found", text, query=query)


def _older_values(answer: Answer, store: Store, report: Report, readings: list[Report], wanted: list[str]) -> None:
    """Without a year, the newest report answers; where an older report printed another value (the office
    moved, the number changed), the answer says so, with that report cited too."""
    given = {(v["column"], v["value"]) for v in answer.values}
    for older in readings:
        if older.year == report.year:
            continue
        for row in store.contacts(older.id):
            if row["kind"] in wanted and any(k == row["kind"] for k, _ in given) and (row["kind"], row["value"]) \
                    not in given:
                given.add((row["kind"], row["value"]))
                extra = _answered(answer.query, store, older, [row], [row["kind"]], older)
                answer.values += extra.values
                answer.citations += extra.citations
                answer.answer += f"（{older.year}年报告印的{KINDS[row['kind']]}是 {row['value']}，以最新报告为准。）"


def _answered(query, store: Store, report: Report, rows, wanted: list[str], newest: Report) -> Answer:
    text_of_report = store.report_text(report.id)
    parts, values, citations = [], [], []
    for kind in wanted:
        for row in (r for r in rows if r["kind"] == kind):
            parts.append(f"{KINDS[kind]}：{row['value']}")
            citation = {"report": report.source_name, "report_id": report.id, "agency": report.agency,
                        "year": report.year, "section": row["section"], "paragraph": row["paragraph_no"],
                        "page": row["page"], "char_start": row["char_start"], "char_end": row["char_end"],
                        "text": text_of_report[row["char_start"]:row["char_end"]], "sentence": row["printed"]}
            values.append({"value": row["value"], "raw": row["printed"], "unit": "", "metric": "contact",
                           "column": kind, "report": report.source_name, "citation": citation})
            if all(c["char_start"] != citation["char_start"] for c in citations):
                citations.append(citation)
    label = f"{report.agency} {report.year}年报告"
    if query.year is None and report.year == newest.year:
        label += "（库中该机关最新的一份）"
    elif query.year is None:
        label += f"（库中最新的 {newest.year} 年报告没有印出这一项）"
    missing = [KINDS[k] for k in wanted if k not in {r["kind"] for r in rows}]
    text = f"{label}：" + "；".join(parts) + "。"
    office = next((c for c in store.contacts(report.id) if c["kind"] == "office"), None)
    if office is not None and "office" not in wanted:
        text += f"（联系单位：{office['value']}）"
    if missing and "all" not in query.contact_kinds:
        text += "报告中没有印出：" + "、".join(missing) + "。"
    return Answer("answered", text, values, citations, query=query)
