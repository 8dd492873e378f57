"""How well the tables of every report in ../shared/corpus/real are read: cells read from real grids, cells
decoded from glued text (uniquely, or left uncertain with their candidates), 勾稽 breaks; and the decoder's cost
on each glued table (time, search nodes).

    python scripts/decoding_report.py [--shared ../shared/corpus] [--out docs/decoding.md]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from index.catalogue import METRICS, TEMPLATE_NAMES
from index.glued import decode_document
from index.ingest import ingest_paths
from index.mapping import detect_template, table_kind
from index.metadata import read_metadata
from index.readers import read_file
from index.sections import assign_sections
from index.store import Store

from score_devset import ROOT, emit


def decoder_cost(path: Path, repeat: int = 5) -> list[tuple[str, float, int, int]]:
    """(table kind, median ms, search nodes, best decodings) for each glued table of one file."""
    timings: dict[str, list[float]] = {}
    info = {}
    for _ in range(repeat):
        doc = read_file(path)
        assign_sections(doc)
        template, _ = detect_template(doc, read_metadata(doc, path.name).year)
        missing = {"t2", "t3", "t4"} - {table_kind(t) for t in doc.tables}
        start = time.perf_counter()
        decoded = decode_document(doc, template, missing)
        elapsed = (time.perf_counter() - start) * 1000
        for d, _ in decoded:
            timings.setdefault(d.kind, []).append(elapsed / max(len(decoded), 1))
            info[d.kind] = (d.nodes, d.solutions)
    return [(k, statistics.median(v), *info[k]) for k, v in sorted(timings.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--out")
    args = parser.parse_args()
    real = Path(args.shared) / "real"
    store = Store(Path(tempfile.mkdtemp()) / "reportqa.sqlite3")
    ingest_paths(store, [real])
    lines = ["# Reading the tables of every report in ../shared/corpus/real",
             "",
             "Produced by `python scripts/decoding_report.py --out docs/decoding.md` (all 19 reports ingested into one",
             "store, so 007's text is settled by its web page 022 where arithmetic cannot). *from grids*: cells read from",
             "real table grids (PDF, HTML, markdown); *decoded uniquely*: cells of tables glued into scraped text whose",
             "splitting is unique (one splitting, the 勾稽 relations, the report's own figures, or the same report's",
             "structured reading); *uncertain*: more than one value survives — every candidate is stored, answers show",
             "them and `reportqa check` lists them. Pre-2019 free-form tables are not read yet (0 cells).",
             "",
             "| file | template | cells | from grids | decoded uniquely | uncertain | 勾稽 breaks |",
             "|---|---|---|---|---|---|---|"]
    totals = [0, 0, 0, 0, 0]
    for report in sorted(store.reports(), key=lambda r: r.source_name):
        facts = store.facts(report.id)
        decoded = store.decoded_cells(report.id)
        uncertain = sum(1 for d in decoded if d["value"] is None)
        row = [len(facts), len(facts) - len(decoded), len(decoded) - uncertain, uncertain,
               len(store.findings(report.id))]
        totals = [a + b for a, b in zip(totals, row)]
        lines.append(f"| {report.source_name} | {TEMPLATE_NAMES[report.template]} | " + " | ".join(map(str, row)) + " |")
    lines.append("| **all** | | " + " | ".join(f"**{t}**" for t in totals) + " |")
    lines += ["", "Uncertain cells (every candidate is stored; answers show them):", ""]
    for report in sorted(store.reports(), key=lambda r: r.source_name):
        for d in store.decoded_cells(report.id, uncertain_only=True):
            lines.append(f"- {report.source_name} {METRICS[d['metric']].label}·{d['col']}: “{d['source']}” → "
                         f"{len(__import__('json').loads(d['candidates']))} candidates")
    lines += ["", "Decoder cost per glued table (median of 5 runs, this machine):", "",
              "| file | table | ms per table (document's decode time ÷ its tables) | search nodes | best decodings "
              "(0: no relation ties its rows, nothing to search) |", "|---|---|---|---|---|"]
    for path in sorted(real.glob("*.txt")):
        for kind, ms, nodes, solutions in decoder_cost(path):
            lines.append(f"| {path.name} | {kind} | {ms:.1f} | {nodes} | {solutions} |")
    emit(lines, args.out)


if __name__ == "__main__":
    main()
