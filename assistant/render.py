"""Render answers and stored reports for people: the CLI and the web app both use these."""
from __future__ import annotations

import html
import json

from index.catalogue import TEMPLATE_NAMES
from index.store import Report

from assistant.evidence import Answer

STATUS_WORDS = {"answered": "已回答", "not_found": "库中没有", "ambiguous": "需要说明"}


def esc(text) -> str:
    """Report text and questions are shown as text: no tag, entity or markdown link survives as markup."""
    return html.escape(str(text), quote=True).replace("[", "&#91;").replace("]", "&#93;")


def citation_line(c: dict) -> str:
    parts = [c["report"], f"{c['agency']} {c['year']}年"]
    if c.get("section"):
        parts.append(c["section"])
    if c.get("table"):
        parts.append(f"{c['table']}（文件中第{c['table_number']}个表格）")
        parts.append(f"行“{c['row']}”")
        parts.append(f"列“{c['column']}”")
        parts.append(f"第{c['grid_row']}行第{c['grid_col']}格")
    if c.get("paragraph"):
        parts.append(f"第{c['paragraph']}段")
    if c.get("page"):
        parts.append(f"第{c['page']}页")
    if c.get("text"):
        parts.append(f"“{c['text']}”")
    return " · ".join(parts)


def answer_text(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("出处：")
        lines.extend(f"  [{i}] {citation_line(c)}" for i, c in enumerate(answer.citations, 1))
    return "\n".join(lines)


def answer_markdown(answer: Answer, with_sources: bool = True) -> str:
    """The chat rendering: the answer (cautions marked ⚠), then its sources as a numbered list (the web app shows
    them as panels instead)."""
    lines = [("⚠ " + line if line.startswith("注意：") else line) for line in answer.answer.split("\n")]
    text = "  \n".join(esc(line) for line in lines)
    if with_sources and answer.citations:
        text += "\n\n**出处**\n" + "\n".join(f"{i}. {esc(citation_line(c))}"
                                             for i, c in enumerate(answer.citations, 1))
    return text


def report_line(report: Report, n_facts: int, n_findings: int) -> str:
    pages = f", {report.n_pages}页" if report.n_pages else ""
    flags = f", {n_findings}处勾稽不符" if n_findings else ""
    return (f"#{report.id:<3} {report.agency} {report.year}年 [{report.level or '级别未知'}] "
            f"{TEMPLATE_NAMES.get(report.template, report.template)} · {report.format}{pages} · "
            f"{n_facts}个表格数值{flags} · {report.source_name}")


def grid_text(cells_json: str) -> str:
    """A stored grid as aligned text; merged positions show as ·, blank cells as ∅."""
    rows = json.loads(cells_json)
    shown = [["·" if merged else (text if text else "∅") for text, merged in row] for row in rows]
    width = [0] * max((len(r) for r in shown), default=0)
    for row in shown:
        for i, cell in enumerate(row):
            width[i] = min(max(width[i], _display_width(cell)), 24)
    out = []
    for r, row in enumerate(shown, 1):
        cells = [_pad(cell, width[i]) for i, cell in enumerate(row)]
        out.append(f"{r:>3} | " + " | ".join(cells))
    return "\n".join(out)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    while _display_width(text) > width:
        text = text[:-1]
    return text + " " * (width - _display_width(text))
