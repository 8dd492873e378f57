"""Score the readers and the decoder on synthetic reports (scripts/synth_reports.py): N seeded reports per
layout × template are ingested into a temporary store and every stored cell is compared with the truth.

    python3 scripts/score_synthetic.py --n 20 --seed 1 [--layouts ...] [--templates ...] [--out docs/synthetic.md]

Per cell: exact (the stored value is the printed one) / uncertain with the truth among its candidates /
uncertain without it / WRONG (a definite value that differs) / missing (no fact stored). Per report: whether the
deliberate break is found (a finding naming the changed cell) and findings on relations that hold in the truth
(false breaks). Extra facts (a cell the truth does not have) and files not ingested are counted too.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from index.ingest import ingest_paths  # noqa: E402
from index.normalize import parse_number  # noqa: E402
from index.store import Store  # noqa: E402
from score_devset import emit  # noqa: E402
import synth_reports as synth  # noqa: E402

KINDS = ("exact", "uncertain_with", "uncertain_without", "wrong", "missing")


def _same(stored: str | None, truth: str) -> bool:
    if stored is None:
        return False
    if truth == "":
        return stored.strip() == ""
    return parse_number(stored) is not None and parse_number(stored) == parse_number(truth)


def score_report(store: Store, report_id: int | None, truth: dict) -> dict:
    """The comparison of one stored report with its truth record."""
    result = {"cells": Counter(), "details": [], "break_found": None, "false_breaks": [], "extra": [],
              "unsummed_flagged": 0, "meta_ok": True}
    cells = truth["cells"]
    if report_id is None:
        result["cells"]["missing"] += len(cells)
        result["details"] = [(k, "missing", None, v) for k, v in cells.items()]
        return result
    rep = store.report(report_id)
    result["meta_ok"] = (rep.agency, rep.year, rep.template) == (truth["agency"], truth["year"], truth["template"])
    stored = {(f["metric"], f["col"]): f for f in store.facts(report_id)}
    for key, value in cells.items():
        metric, column = key.split("|")
        fact = stored.get((metric, column))
        decoded = store.decoded_cell(report_id, metric, column)
        if fact is None:
            kind, got = "missing", None
        elif decoded is not None and decoded["value"] is None:
            candidates = json.loads(decoded["candidates"])
            got = candidates
            kind = "uncertain_with" if any(_same(c, value) for c in candidates) else "uncertain_without"
        else:
            got = fact["raw"]
            kind = "exact" if _same(fact["raw"], value) else "wrong"
        result["cells"][kind] += 1
        if kind != "exact":
            result["details"].append((key, kind, got, value))
    result["extra"] = [f"{m}|{c}={f['raw']}" for (m, c), f in stored.items() if f"{m}|{c}" not in cells]
    # findings against the truth
    failing = {frozenset(tuple(c.split("|")) for c in f["cells"]) for f in truth["failing"]}
    brk = truth.get("break")
    found = False
    for finding in store.findings(report_id):
        if finding["check_name"].startswith("prose"):
            continue
        fcells = frozenset(tuple(c) for c in json.loads(finding["cells"]))
        if brk and tuple(brk["cell"].split("|")) in fcells:
            found = True
            continue
        if fcells in failing:
            if truth["template"] == "pre2019" and finding["check_name"] == "old_total":
                result["unsummed_flagged"] += 1  # 其中 rows that need not add up, flagged as a break
            continue
        result["false_breaks"].append(f"{finding['check_name']}: {finding['message']}")
    if brk:
        result["break_found"] = found
    return result


def run(n: int, seed: int, layouts, templates, work: Path, progress=None) -> dict:
    """Generate, ingest (no embeddings) and score; returns per (layout, template) aggregates and examples."""
    records = synth.generate(work / "files", n, seed, layouts, templates)
    store = Store(work / "reportqa.sqlite3")
    outcomes = ingest_paths(store, [work / "files" / r["file"] for r in records], progress=progress, encode=False)
    by_path = {Path(o.path).name: o for o in outcomes}
    table: dict = defaultdict(lambda: {"reports": 0, "failed": 0, "meta_wrong": 0, "cells": Counter(),
                                       "breaks": 0, "found": 0, "false": 0, "extra": 0, "unsummed_flagged": 0,
                                       "examples": defaultdict(list)})
    for truth in records:
        outcome = by_path[truth["file"]]
        row = table[(truth["layout"], truth["template"])]
        row["reports"] += 1
        rid = outcome.report_id if outcome.status in ("ingested", "replaced", "unchanged") else None
        if rid is None:
            row["failed"] += 1
            row["examples"]["failed"].append((truth["file"], outcome.message))
        res = score_report(store, rid, truth)
        row["meta_wrong"] += 0 if res["meta_ok"] else 1
        row["cells"].update(res["cells"])
        row["extra"] += len(res["extra"])
        row["unsummed_flagged"] += res["unsummed_flagged"]
        if res["extra"]:
            row["examples"]["extra"].append((truth["file"], res["extra"][:5]))
        for key, kind, got, value in res["details"]:
            row["examples"][kind].append((truth["file"], key, got, value))
        if res["break_found"] is not None:
            row["breaks"] += 1
            row["found"] += int(res["break_found"])
            if not res["break_found"]:
                row["examples"]["break_missed"].append((truth["file"], truth["break"]))
        if res["false_breaks"]:
            row["false"] += 1
            row["examples"]["false_break"].append((truth["file"], res["false_breaks"][:3]))
    store.close()
    return {k: dict(v, examples=dict(v["examples"])) for k, v in table.items()}


def run_parallel(n: int, seed: int, layouts, templates, work: Path, jobs: int) -> dict:
    """run() over groups of layouts in `jobs` processes (each with its own folder and store)."""
    if jobs <= 1:
        return run(n, seed, layouts, templates, work)
    from concurrent.futures import ProcessPoolExecutor
    groups = [list(layouts[i::jobs]) for i in range(jobs) if layouts[i::jobs]]
    table: dict = {}
    with ProcessPoolExecutor(len(groups)) as pool:
        futures = [pool.submit(run, n, seed + 7 * i, g, templates, work / f"part{i}") for i, g in enumerate(groups)]
        for f in futures:
            table.update(f.result())
    return table


def render(table: dict, n: int, seed: int, examples: int = 3) -> list[str]:
    lines = ["# Synthetic reports: readers and decoder against the truth", "",
             f"`python3 scripts/score_synthetic.py --n {n} --seed {seed}`: {n} reports per layout × template, made by "
             "`scripts/synth_reports.py` (values satisfying every 勾稽 relation; one report in four with one relation "
             "broken on purpose), ingested into a temporary store without embeddings.", "",
             "Cells: exact / uncertain with the truth among the candidates / uncertain without it / WRONG (a definite "
             "value that differs) / missing. Breaks: deliberate breaks found / made; false: reports with a finding on a "
             "relation that holds in the truth. pre-2019 其中 flagged: old_total findings where the 其中 rows do not "
             "add up by design (the template does not require it).", "",
             "| layout | template | reports | failed | meta wrong | cells | exact | exact % | unc. with | unc. without "
             "| WRONG | missing | extra | breaks found | false breaks | pre-2019 其中 flagged |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    total = Counter()
    for (layout, template), row in sorted(table.items(), key=lambda kv: (synth.LAYOUTS.index(kv[0][0]),
                                                                       synth.TEMPLATES.index(kv[0][1]))):
        c = row["cells"]
        cells = sum(c.values())
        pct = 100 * c["exact"] / cells if cells else 0
        lines.append(f"| {layout} | {template} | {row['reports']} | {row['failed']} | {row['meta_wrong']} | {cells} "
                     f"| {c['exact']} | {pct:.2f} | {c['uncertain_with']} | {c['uncertain_without']} | {c['wrong']} "
                     f"| {c['missing']} | {row['extra']} | {row['found']}/{row['breaks']} | {row['false']} "
                     f"| {row['unsummed_flagged']} |")
        total.update(c)
        total.update({k: row[k] for k in ("reports", "failed", "breaks", "found", "false", "extra")})
    cells = sum(total[k] for k in KINDS)
    lines.append(f"| **all** | | {total['reports']} | {total['failed']} | | {cells} | {total['exact']} | "
                 f"{100 * total['exact'] / max(cells, 1):.2f} | {total['uncertain_with']} | {total['uncertain_without']} "
                 f"| {total['wrong']} | {total['missing']} | {total['extra']} | {total['found']}/{total['breaks']} "
                 f"| {total['false']} | |")
    lines += ["", "## Examples of each failure", ""]
    for (layout, template), row in sorted(table.items()):
        for kind in ("failed", "wrong", "uncertain_without", "missing", "extra", "break_missed", "false_break"):
            items = row["examples"].get(kind) or []
            if items:
                lines.append(f"- {layout}/{template} {kind} ({len(items)}): " +
                             "; ".join(str(x) for x in items[:examples]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10, help="reports per layout × template")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layouts", nargs="+", default=list(synth.LAYOUTS), choices=synth.LAYOUTS)
    parser.add_argument("--templates", nargs="+", default=list(synth.TEMPLATES), choices=synth.TEMPLATES)
    parser.add_argument("--work", help="keep the generated files and the store here (default: a temporary folder)")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="processes (layouts are shared out among them)")
    parser.add_argument("--out", help="also write the table to this file (docs/synthetic.md)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        table = run_parallel(args.n, args.seed, args.layouts, args.templates, work, args.jobs)
    emit(render(table, args.n, args.seed, args.examples), args.out)


if __name__ == "__main__":
    main()
