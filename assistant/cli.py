"""The `reportqa` command: a thin layer over `index.ingest`, `assistant.answer` and the store.

    reportqa ingest PATH...        files or folders; one line per file; a bad file never stops the batch
    reportqa ingest --ray [ADDRESS] PATH...   the same, read and encoded on Ray workers (local, or a cluster)
    reportqa ask [--json] QUESTION the answer with its citations
    reportqa chat [--json]         a conversation (follow-ups keep the agency, year and figure)
    reportqa search QUERY [--agency A] [--year Y] [-k N]   ranked passages with scores
    reportqa reports               what is stored
    reportqa show REPORT           a report's tables as grids (REPORT: id, file name, or "洪泽区 2024")
    reportqa check [REPORT]        勾稽 breaks, each with the cells involved
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from index.store import Report, Store, open_store

# Each command imports what it needs when it runs: `reportqa --help` and `reportqa reports` load no answer
# pipeline, a table question no encoder (docs/benchmarks.md, cold start).


def resolve_report(store: Store, ref: str) -> list[Report]:
    from assistant.query import find_agencies, parse_year
    from index.normalize import compact

    reports = store.reports()
    if ref.isdigit():
        return [r for r in reports if r.id == int(ref)]
    exact = [r for r in reports if r.source_name == ref or os.path.basename(ref) == r.source_name]
    if exact:
        return exact
    partial = [r for r in reports if ref in r.source_name]
    if partial:
        return partial
    text = compact(ref)
    agencies, _, _ = find_agencies(text, reports)
    year = parse_year(text)
    return [r for r in reports if r.agency in agencies and (year is None or r.year == year)]


RAY_LOCAL = ""  # `--ray` without an address (no path or address is empty)


def cmd_ingest(store: Store, args) -> int:
    from tqdm import tqdm

    from index.ingest import expand_paths, ingest_paths

    paths, address = list(args.paths), None
    if args.ray is not None:
        from index.ray_ingest import looks_like_address

        if args.ray != RAY_LOCAL and not looks_like_address(args.ray):
            paths.insert(0, args.ray)  # "--ray corpus/": a path, not an address
        elif args.ray != RAY_LOCAL:
            address = args.ray
        try:
            import ray  # noqa: F401
        except ImportError:
            print("--ray needs Ray: pip install -e '.[scale]'", file=sys.stderr)
            return 2
    if not paths:
        print("reportqa ingest: give at least one file or folder", file=sys.stderr)
        return 2
    files = expand_paths(paths)
    with tqdm(total=len(files), unit="file", file=sys.stderr, disable=True if (args.quiet or not files) else None,
              leave=False) as bar:
        def progress(outcome) -> None:
            bar.write(outcome.line(), file=sys.stdout)
            bar.update()

        if args.ray is None:
            outcomes = ingest_paths(store, files, progress=progress)
        else:
            from index.ray_ingest import ingest_paths_ray

            outcomes = ingest_paths_ray(store, files, address=address, workers=args.workers, progress=progress)
    if any(o.status in ("ingested", "replaced") for o in outcomes):
        from assistant.retrieve import get_retriever
        get_retriever(store).index()  # bring the search index up to date now, not at the first question
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ingested", "replaced", "unchanged", "failed")}
    print("; ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if counts["failed"] else 0


def cmd_ask(store: Store, args) -> int:
    from assistant.answer import answer_question
    from assistant.evidence import answer_json
    from assistant.render import answer_text

    answer = answer_question(" ".join(args.question), store)
    if args.json:
        print(answer_json(answer))
    else:
        print(answer_text(answer))
    return 0


def cmd_chat(store: Store, args) -> int:
    """An interactive conversation: follow-ups ("那2023年呢？", "商业企业呢？") keep what was said before."""
    from assistant.answer import answer_question
    from assistant.evidence import answer_json
    from assistant.render import answer_text

    history: list[str] = []
    interactive = sys.stdin.isatty()
    if interactive:
        print("政府信息公开年报问答。输入问题，回车提问；空行或 Ctrl-D 结束；“重新开始”清空上下文。")
    while True:
        try:
            question = input("问：" if interactive else "")
        except EOFError:
            break
        question = question.strip()
        if not question:
            if interactive:
                break
            continue
        if question in ("重新开始", "清空", "reset"):
            history.clear()
            print("（已清空上下文）")
            continue
        answer = answer_question(question, store, history)
        print(answer_json(answer) if args.json else answer_text(answer))
        print()
        history.append(question)
    return 0


def cmd_search(store: Store, args) -> int:
    from assistant.query import find_agencies
    from assistant.retrieve import get_retriever, search_text
    from index.normalize import compact

    reports = store.reports()
    text = compact(" ".join(args.query))
    agencies, mention, _ = find_agencies(compact(args.agency), reports) if args.agency else ([], "", False)
    if args.agency and not agencies:
        print(f"库中没有“{args.agency}”的报告。", file=sys.stderr)
        return 1
    chosen = [r for r in reports if (not args.agency or r.agency in agencies) and (args.year is None or r.year == args.year)]
    if not chosen:
        print("没有符合条件的报告。", file=sys.stderr)
        return 1
    retriever = get_retriever(store)
    if retriever.encoder is None and args.mode != "keyword":
        print(f"（只用关键词检索：{retriever.encoder_problem}）", file=sys.stderr)
    results = retriever.search(search_text(text, [mention]), [r.id for r in chosen], k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps([dict(r.citation(), ranks=r.ranks) for r in results], ensure_ascii=False, indent=2))
        return 0
    if not results:
        print("没有找到相关段落。")
    for i, r in enumerate(results, 1):
        ranks = " ".join(f"{k}#{v}" for k, v in r.ranks.items())
        page = f" 第{r.page}页" if r.page else ""
        print(f"[{i}] {r.score:.4f} ({ranks}) {r.report.agency} {r.report.year}年 · {r.section or '正文'} · "
              f"第{r.paragraph_no}段{page} · {r.report.source_name}")
        print(f"    {r.text}")
    return 0


def cmd_reports(store: Store, args) -> int:
    from assistant.render import report_line

    reports = store.reports()
    if args.json:
        print(json.dumps([dict(id=r.id, agency=r.agency, aliases=r.aliases, level=r.level, year=r.year,
                               template=r.template, format=r.format, source=r.source_name, sha256=r.sha256,
                               facts=store.fact_count(r.id), findings=len(store.findings(r.id)))
                          for r in reports], ensure_ascii=False, indent=2))
        return 0
    if not reports:
        print("库中还没有报告。用 reportqa ingest PATH 导入。")
    for r in reports:
        print(report_line(r, store.fact_count(r.id), len(store.findings(r.id))))
    return 0


def cmd_show(store: Store, args) -> int:
    from assistant.render import grid_text, report_line
    from index.catalogue import TABLE_NAMES

    found = resolve_report(store, args.report)
    if not found:
        print(f"没有找到报告：{args.report}（用 reportqa reports 查看库中报告）", file=sys.stderr)
        return 1
    for report in found:
        print(report_line(report, store.fact_count(report.id), len(store.findings(report.id))))
        print(f"  别称：{'、'.join(report.aliases)}")
        for note in report.notes:
            print(f"  注：{note}")
        for grid in store.grids(report.id):
            kind = TABLE_NAMES.get(grid["kind"], "其他表格")
            page = f"，第{grid['page']}页" + (f"至第{grid['page_end']}页" if grid["page_end"] != grid["page"] else "") \
                if grid["page"] else ""
            print(f"\n表格 {grid['ord'] + 1}：{kind}（{grid['section'] or '无章节'}{page}）")
            print(grid_text(grid["cells"]))
        print()
    return 0


def cmd_check(store: Store, args) -> int:
    from assistant.evidence import candidate_text
    from index.catalogue import COLUMNS, METRICS
    from index.checks import cross_report_findings, describe_cells

    reports = resolve_report(store, args.report) if args.report else store.reports()
    if args.report and not reports:
        print(f"没有找到报告：{args.report}", file=sys.stderr)
        return 1
    total = undecided = 0
    for report in reports:
        findings = store.findings(report.id)
        n_facts = store.fact_count(report.id)
        uncertain = store.decoded_cells(report.id, uncertain_only=True)
        undecided += len(uncertain)
        losses = report.accounting.losses() if report.accounting else []
        if losses:  # the reader kept less than the file holds (index.document.Accounting)
            print(f"{report.label}：读取时丢失了文件中的内容：{'；'.join(losses)}")
        if uncertain:
            print(f"{report.label}：{len(uncertain)} 格原文粘连或残缺、无法确定（不参与勾稽检查）")
            for d in uncertain:
                candidates = [candidate_text(c) for c in json.loads(d["candidates"])]
                print(f"  - {METRICS[d['metric']].label}·{COLUMNS[d['col']].label}：原文“{d['source']}”，"
                      f"可读作 {'、'.join(candidates[:10])}{'等' if len(candidates) > 10 else ''}"
                      f"（{len(candidates)} 种）")
        if not findings:
            status = "勾稽关系全部相符" if n_facts else "没有读出表格数值，未检查"
            print(f"{report.label}：{status}")
            continue
        total += len(findings)
        print(f"{report.label}：{len(findings)} 处勾稽不符")
        for f in findings:
            cells = [tuple(c) for c in json.loads(f["cells"])]
            print(f"  - {f['message']}")
            details = []
            for metric, column in cells:
                fact = store.fact(report.id, metric, column)
                if fact is not None:
                    details.append(f"{METRICS[metric].label}·{COLUMNS[column].label}={fact['raw'] or '（空）'}"
                                   f"[表{fact['table_ord'] + 1} 第{fact['grid_row'] + 1}行第{fact['grid_col'] + 1}格]")
            print(f"    涉及：{'；'.join(details) if details else describe_cells(cells)}")
    cross = cross_report_findings(reports, store.facts)
    if cross:
        print(f"跨报告核对：{len(cross)} 处不符")
        for c in cross:
            print(f"  - {c.agency} {c.years[0]}→{c.years[1]}年（{c.reports[0]} / {c.reports[1]}）：{c.message}")
    elif len(reports) > 1:
        print("跨报告核对（历年累计、上年结转、同一报告的不同版本）：全部相符")
    print(f"共 {total + len(cross)} 处不符（报告数值按原文照录，不作更正）" +
          (f"；{undecided} 格原文粘连或残缺、无法确定。" if undecided else "。"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportqa", description="政府信息公开工作年度报告问答：精确数值，注明出处。")
    parser.add_argument("--home", help="data directory (default: $REPORTQA_HOME or ~/.local/share/reportqa)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="ingest report files or folders")
    p.add_argument("paths", nargs="*")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--ray", nargs="?", const=RAY_LOCAL, metavar="ADDRESS",
                   help="read and encode the files on Ray workers: a local Ray instance, or the cluster at ADDRESS")
    p.add_argument("--workers", type=int, help="with --ray and no ADDRESS: CPUs of the local instance (default all)")
    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("question", nargs="+")
    p = sub.add_parser("chat", help="a conversation: questions from standard input, follow-ups keep the context")
    p.add_argument("--json", action="store_true", help="print each answer as one JSON object")
    p = sub.add_parser("search", help="ranked passages of report text")
    p.add_argument("query", nargs="+")
    p.add_argument("--agency", help="only this agency's reports (full name or short form)")
    p.add_argument("--year", type=int, help="only reports of this year")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    p.add_argument("--mode", choices=("hybrid", "keyword", "dense"), default="hybrid")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("reports", help="list stored reports")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("show", help="show a report's tables as grids")
    p.add_argument("report")
    p = sub.add_parser("check", help="list 勾稽 breaks")
    p.add_argument("report", nargs="?")
    return parser


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "chat": cmd_chat, "search": cmd_search, "reports": cmd_reports, "show": cmd_show, "check": cmd_check}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.home:
        os.environ["REPORTQA_HOME"] = args.home
    store = open_store()
    try:
        return COMMANDS[args.command](store, args)
    except BrokenPipeError:  # output piped into head and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
