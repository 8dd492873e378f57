"""The computed answerers: figures computed from stored cells, across reports (change, compare, trend, rank) and
within one report (share, sum, a group of columns such as 法人或其他组织, two figures set against each other).

Every result shows its formula and cites every operand's cell; arithmetic is Decimal, so results are exact.
A blank, non-numeric or missing operand is named in the answer instead of being taken as 0, and an operand
involved in a 勾稽 break says so.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from index.catalogue import (COLUMN_GROUP_LABELS, COLUMN_GROUPS, COLUMNS, GROUP_MEMBERS, GROUPS, METRICS,
                             OLD_EQUIVALENTS, TEMPLATE_PRE2019, children, group_label, rows_of, whole_group)
from index.mapping import strip_numbering
from index.store import Report, Store

from assistant.arithmetic import change_formula, fmt, percent, signed
from assistant.evidence import (Answer, Cell, best_first, computed_value, find_cell, find_cells, old_equivalent,
                                several_reports, text_citation)
from assistant.plan import Plan, Step
from assistant.query import INTENT_WORDS, Query

INTENT_CHANGE_WORDS = INTENT_WORDS["change"] + ("变化", "增减")
RANK_LISTED = 10  # a ranking of more agencies lists its first ten places and the last one
RANK_GAP = ">…>"  # where a ranking's result skips the places not listed


def _label(metric_id: str, column: str | None) -> str:
    metric = METRICS[metric_id]
    cols = next(iter(metric.columns.values()))
    col = column if column in cols else ("total" if "total" in cols else cols[0])
    return f"{metric.label}（{COLUMNS[col].label}）"


def _group_total_label(group: str, column: str | None) -> str:
    """A group's figure each year: the sum of its rows (行政诉讼 of both kinds)."""
    return f"{group_label(group)}（{COLUMNS[column or 'total'].label}，各项合计）"


def _reports(store: Store, agencies: list[str], year: int | None = None) -> list[Report]:
    return [r for r in store.reports().of_agencies(agencies) if year is None or r.year == year]


def _operand_problem(cell: Cell | None, what: str) -> str | None:
    if cell is None:
        return f"{what}：报告中没有读到这一格"
    if cell.uncertain:
        shown = "、".join(cell.candidates()[:6])
        return f"{what}：原文数字粘连（“{cell.decoded['source']}”），此格无法确定（可读作 {shown}）"
    if cell.fact["raw"] == "":
        return f"{what}：报告此格留空"
    if cell.number is None:
        return f"{what}：报告此格印为“{cell.fact['raw']}”，不是数字"
    return None


def _answer(text: str, cells: list[Cell], store: Store, query: Query, result: str | None = None,
            formula: str = "", unit: str = "", said: list[str] = ()) -> Answer:
    """The answer citing every operand; `said`: words of the text drawn from the store but from no one cell
    (the years a trend lacks), accounted for the number guard."""
    values = [c.value() for c in cells]
    if result is not None:
        values.append(computed_value(result, unit, formula, [v["citation"] for v in values]))
    warnings = [w for c in cells for w in c.warnings(store)]
    if warnings:
        text += "\n" + "\n".join(dict.fromkeys(warnings))
    return Answer("answered", text, values, [c.value()["citation"] for c in cells], query=query,
                  accounted=warnings + list(said))


def _single_agency(query: Query, store: Store, year: int | None, holds=None) -> list[str] | Answer:
    """The one agency meant; a short name shared by several is narrowed to those with a report of the year (or,
    with `holds`, a report it accepts), else asked about."""
    if not query.agencies:
        return Answer("ambiguous", "请说明是哪个机关的报告。", query=query)
    agencies = query.agencies
    if len(agencies) > 1 and year is not None:
        agencies = [a for a in agencies if _reports(store, [a], year)] or agencies
    if len(agencies) > 1 and holds is not None:
        agencies = [a for a in agencies if any(holds(r) for r in _reports(store, [a]))] or agencies
    if len(agencies) > 1:
        return Answer("ambiguous", "“" + query.agency_mention + "”可能指：" + "；".join(agencies) + "。请说明是哪一个。",
                      query=query, choices=agencies)
    return agencies


def answer_change(query: Query, store: Store) -> Answer | None:
    years = list(query.years)
    if len(years) == 1 and query.relative_year is not None:
        years = [years[0] - 1, years[0]]
    if len(years) != 2:
        return None
    earlier, later = sorted(years)
    agencies = _single_agency(query, store, later)
    if isinstance(agencies, Answer):
        return agencies
    metric = query.metrics[0]
    group = whole_group(query.metrics)  # 行政诉讼 of both kinds: each year's figure is their sum
    members = [metric] if group is None else list(query.metrics)
    cells: dict[int, list[Cell]] = {}
    for year in (earlier, later):
        readings = _reports(store, agencies, year)
        if not readings:
            held = "、".join(str(r.year) for r in _reports(store, agencies))
            return Answer("not_found", f"库中没有{agencies[0]}{year}年的报告（库中年份：{held}），无法比较。", query=query)
        cells[year] = [find_cell(store, readings, m, query.column) for m in members]
    problems = [p for y in (earlier, later) for c in cells[y] if (p := _operand_problem(c, f"{y}年"))]
    what = _label(metric, query.column) if group is None else _group_total_label(group, query.column)
    if problems:
        return Answer("not_found", f"{agencies[0]} {what}无法计算变化：" + "；".join(problems) + "。", query=query)
    a, b = (sum((c.number for c in cells[y]), Decimal(0)) for y in (earlier, later))
    said = [" + ".join(fmt(c.number) for c in cells[y]) + f" = {fmt(t)}" for y, t in ((earlier, a), (later, b))
            if len(cells[y]) > 1]  # each year's sum of the group's rows
    operands = cells[earlier] + cells[later]
    diff = b - a
    unit = operands[-1].fact["unit"]
    formula = change_formula(a, b)
    change = "持平" if diff == 0 else (f"多 {fmt(diff)} {unit}" if diff > 0 else f"少 {fmt(-diff)} {unit}")
    rate = f"，变化 {'+' if diff > 0 else ''}{percent(diff, a)}" if a != 0 else "（上一期为 0，不计算百分比）"
    text = (f"{agencies[0]} {what}：{later}年 {fmt(b)} {unit}，{earlier}年 {fmt(a)} {unit}；"
            f"{later}年比{earlier}年{change}（{formula}{rate}）。")
    if "倍" in query.text and a != 0:  # "2024年是2023年的几倍": the ratio is the answer
        times = (b / a).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        ratio = f"{fmt(b)} ÷ {fmt(a)} = {fmt(times)}"
        text += f"{later}年是{earlier}年的 {fmt(times)} 倍（{ratio}，四舍五入到 0.1）。"
        return _answer(text, operands, store, query, fmt(times), ratio, "倍", [formula + rate] + said)
    return _answer(text, operands, store, query, signed(diff), formula, unit, said)


def answer_compare(query: Query, store: Store) -> Answer | None:
    """The same figure of every agency named, in one year (the newest all of them hold when none is named):
    two are compared by their difference, more are listed from most to least."""
    groups = query.agency_groups
    if len(groups) < 2:
        return None
    year = query.years[0] if query.years else None
    if year is None and any(len(g) > 1 for g in groups):
        names = "；".join(a for g in groups if len(g) > 1 for a in g)
        return Answer("ambiguous", f"请说明是哪一年、哪个机关（可能指：{names}）。", query=query)
    if year is None:  # the newest year all have, said in the answer; none in common: ask
        common = set.intersection(*[{r.year for r in store.reports().of_agencies(g)} for g in groups])
        if not common:
            held = "；".join(f"{'、'.join(g)}：" + "、".join(sorted({str(r.year) for r in store.reports().of_agencies(g)}))
                            for g in groups)
            return Answer("ambiguous", f"这些机关没有同一年的报告，请说明比较哪一年（{held}）。", query=query)
        year = max(common)
    metric = query.metrics[0]
    what = _label(metric, query.column)
    cells, names = [], []
    for group in groups:
        readings = [r for r in store.reports().of_agencies(group) if r.year == year]
        agencies = sorted({r.agency for r in readings})
        if len(agencies) != 1:
            if not agencies:
                return Answer("not_found", f"库中没有{'、'.join(group)}{year}年的报告，无法比较。", query=query)
            return Answer("ambiguous", "可能指：" + "；".join(agencies) + "。请说明是哪一个。", query=query,
                          choices=agencies)
        cell = find_cell(store, readings, metric, query.column)
        problem = _operand_problem(cell, agencies[0])
        if problem:
            return Answer("not_found", f"{what}无法比较：{problem}。", query=query)
        if any(c.report.agency == cell.report.agency for c in cells):  # two mentions of one agency
            return Answer("not_found", f"问题中有两个机关在库中是同一个（{cell.report.agency}），无法比较；请说明"
                                       "要比较的另一个机关。", query=query)
        cells.append(cell)
        names.append(f"{agencies[0]} {cell.report.year}年")
    unit = cells[0].fact["unit"]
    if len(cells) == 2:
        a, b = cells[0].number, cells[1].number
        diff = a - b
        formula = f"{fmt(a)} − {fmt(b)} = {signed(diff)}"
        more = "两者相同" if diff == 0 else (f"{names[0]}多 {fmt(abs(diff))} {unit}" if diff > 0
                                           else f"{names[1]}多 {fmt(abs(diff))} {unit}")
        text = f"{what}：{names[0]} {fmt(a)} {unit}，{names[1]} {fmt(b)} {unit}；{more}（{formula}）。"
        return _answer(text, cells, store, query, signed(diff), formula, unit)
    ranked = _ranked(cells)
    text = (f"{year}年 {what}，{len(cells)} 个机关从多到少：{_listed(ranked, unit)}。最多的是{ranked[0].report.agency}，"
            f"最少的是{ranked[-1].report.agency}。")
    # cited in ranked order, as a ranking is: "第一名呢" reads the first
    return _answer(text, ranked, store, query, ">".join(c.report.agency for c in ranked), "排序", unit)


def _ranked(cells: list[Cell], lowest: bool = False) -> list[Cell]:
    """Most first (least first with `lowest`); agencies with the same figure by name."""
    return sorted(cells, key=lambda c: (c.number, c.report.agency) if lowest else (-c.number, c.report.agency))


def _listed(ranked: list[Cell], unit: str) -> str:
    return "，".join(f"{i}. {c.report.agency} {fmt(c.number)} {unit}" for i, c in enumerate(ranked, 1))


def answer_trend(query: Query, store: Store) -> Answer | None:
    """Each year's figure of one agency, each cited: 历年 / 近三年 / 2019年以来 / a range of years; the years the
    store lacks said; which year is highest or lowest when asked, and the change from the first year to the last."""
    wanted = set(query.years) if query.years and query.since_year is None else set()
    newest = max((r.year or 0 for r in _reports(store, query.agencies)), default=0)
    agencies = _single_agency(query, store, None, lambda r: (not wanted or r.year in wanted) and
                              (query.since_year is None or (r.year or 0) >= query.since_year) and
                              (not query.recent_years or (r.year or 0) > newest - query.recent_years))
    if isinstance(agencies, Answer):
        return agencies
    held = sorted({r.year for r in _reports(store, agencies) if r.year})
    years = [y for y in held if (not wanted or y in wanted) and (query.since_year is None or y >= query.since_year)]
    if query.recent_years:
        years = years[-query.recent_years:]
    metric = query.metrics[0]
    group = whole_group(query.metrics)  # 行政诉讼 of both kinds: each year's figure is their sum
    members = [metric] if group is None else list(query.metrics)
    what = _label(metric, query.column) if group is None else _group_total_label(group, query.column)
    if not years:
        return Answer("not_found", f"库中没有{agencies[0]}这些年份的报告（库中年份：{'、'.join(map(str, held))}）。",
                      query=query)
    yearly: list[tuple[int, Decimal, list[Cell]]] = []
    parts, gaps, stand_ins = [], [], []
    for year in years:
        readings = _reports(store, agencies, year)
        old = old_equivalent(metric) if group is None else OLD_EQUIVALENTS.get(group)
        if old and all(r.template == TEMPLATE_PRE2019 for r in readings):
            # a year before 2019: its statistics table's row that counts the same thing, said once
            found = [find_cell(store, readings, old, "this_year")]
            if found[0] is not None and not stand_ins:
                stand_ins.append(f"2019年以前的报告没有这一项，按其统计表的“{strip_numbering(METRICS[old].label)}”"
                                 "（本年度）列出，二者统计的是同一数量。")
        else:
            found = [find_cell(store, readings, m, query.column) for m in members]
        problem = next((p for c in found if (p := _operand_problem(c, f"{year}年"))), None)
        if problem:
            gaps.append(problem)
            continue
        total = sum((c.number for c in found), Decimal(0))
        yearly.append((year, total, found))
        parts.append(f"{year}年 {fmt(total)}" + (f"（{' + '.join(fmt(c.number) for c in found)}）"
                                                   if len(found) > 1 else ""))
    if not yearly:
        return Answer("not_found", f"{agencies[0]} {what}：没有可用的年份。" + "；".join(gaps), query=query)
    cells = [c for _, _, found in yearly for c in found]
    unit = cells[-1].fact["unit"]  # the newest report's (a table before 2019 counts 条)
    text = f"{agencies[0]} {what}（{unit}）：" + "，".join(parts) + "。"
    narrowed = wanted or query.since_year or query.recent_years
    span = range(min(years), max(years) + 1) if narrowed else range(min(held), max(held) + 1)
    missing_years = [str(y) for y in span if y not in held]
    if len(yearly) >= 2 and any(w in query.text for w in ("最多", "最少", "最高", "最低", "哪年", "哪一年")):
        top = max(yearly, key=lambda y: y[1])
        low = min(yearly, key=lambda y: y[1])
        text += f"最多的是{top[0]}年（{fmt(top[1])} {unit}），最少的是{low[0]}年（{fmt(low[1])} {unit}）。"
    if len(yearly) >= 2 and any(w in query.text for w in INTENT_CHANGE_WORDS):
        (first_year, first, _), (last_year, last, _) = yearly[0], yearly[-1]
        diff = last - first
        text += (f"{last_year}年比{first_year}年" + ("持平" if diff == 0 else
                 f"{'多' if diff > 0 else '少'} {fmt(abs(diff))} {unit}") + f"（{fmt(last)} − {fmt(first)} = {signed(diff)}）。")
    text += "".join(stand_ins)
    if gaps:
        text += "缺少：" + "；".join(gaps) + "。"
    if missing_years:
        text += "库中没有这些年份的报告：" + "、".join(missing_years) + "。"
    series = ",".join(fmt(total) for _, total, _ in yearly)
    return _answer(text, cells, store, query, series, "按年份排列", unit, said=missing_years + gaps)


def answer_rank(query: Query, store: Store) -> Answer | None:
    year = query.years[0] if query.years else None
    if year is None:
        return Answer("ambiguous", "请说明是哪一年的排名（库中年份：" +
                      "、".join(sorted({str(r.year) for r in store.reports()})) + "）。", query=query)
    metric = query.metrics[0]
    what = _label(metric, query.column)
    by_agency: dict[str, list[Report]] = {}
    for r in store.reports():
        if r.year == year:
            by_agency.setdefault(r.agency, []).append(r)
    ranked, gaps = [], []
    for agency, cell in find_cells(store, by_agency, metric, query.column).items():
        problem = _operand_problem(cell, agency)
        if problem:
            gaps.append(problem)
        else:
            ranked.append(cell)
    if not ranked:
        return Answer("not_found", f"{year}年没有报告读出{what}。", query=query)
    lowest = any(w in query.text for w in ("最少", "最低"))
    ranked = _ranked(ranked, lowest)
    unit = ranked[0].fact["unit"]
    order = "从少到多" if lowest else "从多到少"
    counted = []  # the count of agencies ranked: said by the answer, from no one cell (the number guard knows it)
    if len(ranked) > RANK_LISTED + 1:  # a province's or the nation's agencies: the first places and the last
        shown, last = ranked[:RANK_LISTED] + ranked[-1:], ranked[-1]
        counted = [f"共 {len(ranked)} 个机关，列出前 {RANK_LISTED} 名"]
        text = (f"{year}年 {what}{order}（{counted[0]}和最后一名）："
                f"{_listed(ranked[:RANK_LISTED], unit)}，……，{len(ranked)}. {last.report.agency} {fmt(last.number)} "
                f"{unit}。")
        result = ">".join(c.report.agency for c in ranked[:RANK_LISTED]) + RANK_GAP + last.report.agency
    else:
        shown, result = ranked, ">".join(c.report.agency for c in ranked)
        text = f"{year}年 {what}{order}：{_listed(ranked, unit)}。"
    if gaps:
        if len(gaps) > RANK_LISTED:
            gaps = gaps[:RANK_LISTED] + [f"等 {len(gaps)} 个机关"]
            counted.append(gaps[-1])
        text += "未计入：" + "；".join(gaps) + "。"
    return _answer(text, shown, store, query, result, "排序", unit, said=counted)


def _share_parts(query: Query) -> tuple[tuple[str, str], tuple[str, str]]:
    """(part, whole): the rows named before and after 占 ("予以公开占办理结果总计"); else the same row's 总计 for a
    named applicant column, (七)总计 for a result row, 本年新收 otherwise."""
    metric = query.metrics[0]
    column = query.column or "total"
    if query.share_of:
        return (query.share_of[0], column), (query.share_of[1], column)
    if query.column_named and column != "total" and "total" in next(iter(METRICS[metric].columns.values())):
        return (metric, column), (metric, "total")
    if metric.startswith("t3.") and metric not in ("t3.new", "t3.carried_over", "t3.total", "t3.carry_forward"):
        return (metric, column), ("t3.total", column)
    return (metric, column), ("t3.new", column)


_SENTENCE_END = re.compile(r"[。；;！？\n]")


def _share_the_text_prints(store: Store, report: Report, part: Decimal, whole: Decimal) -> tuple[str, dict] | None:
    """(what to say, its value) where the report's text prints the share just computed, more precisely: the part's
    count followed by a percentage that the computation gives to the printed precision ("无法提供31件，占38.27%" for
    31 ÷ 81). Only then is it the same figure; a percentage of another whole is not said here."""
    text = store.report_text(report.id)
    exact = part * 100 / whole
    pattern = re.compile(rf"(?<![\d.]){re.escape(fmt(part))}\s*件[^，,。；;（(%％]{{0,6}}?[，,（(]\s*"
                         r"(?:占比?(?:为|达)?)?\s*(\d+(?:\.\d+)?)\s*[%％]")
    for m in pattern.finditer(text):
        printed = m.group(1)
        decimals = len(printed.partition(".")[2])
        if abs(Decimal(printed) - exact) > Decimal(5) / Decimal(10) ** (decimals + 1):
            continue
        start = max((e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
        end_match = _SENTENCE_END.search(text, m.end())
        end = end_match.end() if end_match else len(text)
        sentence = text[start:end].strip()
        citation = text_citation(store, report, start, end, sentence)
        return (f"报告正文写明：“{sentence}”——即 {printed}%，与上面的计算一致。",
                {"value": printed, "raw": printed, "unit": "%", "metric": "prose", "column": None,
                 "report": report.source_name, "citation": citation})
    return None


def _with_the_text_share(answer: Answer, store: Store, report: Report, part: Decimal, whole: Decimal) -> Answer:
    """The computed share, and beside it the share the text prints where it prints the same one."""
    printed = _share_the_text_prints(store, report, part, whole)
    if printed is None:
        return answer
    said, value = printed
    answer.answer += "\n" + said
    answer.values.append(value)
    answer.citations.append(value["citation"])
    return answer


def answer_share(query: Query, store: Store, readings: list[Report]) -> Answer:
    (m1, c1), (m2, c2) = _share_parts(query)
    parts = [m for m in query.metrics if m != m2]
    if len(parts) > 1 and (not query.share_of or query.rows_joined):
        # 予以公开或者部分公开的占…, 不予公开的占… (a group), 予以公开和部分公开占办理结果总计…: their sum
        return _share_of_several(query, store, readings, parts, c1, (m2, c2))
    if m1 == "t3.total" and m2 == "t3.new" and not query.share_of:
        return _handled_share(query, store, readings, c1)
    part, whole = find_cell(store, readings, m1, c1), find_cell(store, readings, m2, c2)
    if part is not None and whole is not None and part.fact["id"] == whole.fact["id"]:
        # one cell as its own whole (a column the row does not have falls back to 总计): 100 % says nothing
        return Answer("not_found", f"问题中没有读出“{_label(m1, c1)}”占的是哪一项的比例，请说明占什么的比例"
                                   "（例如：予以公开占办理结果总计的比例）。", query=query)
    label = f"{readings[0].agency} {readings[0].year}年"
    problems = [p for p in (_operand_problem(part, _label(m1, c1)), _operand_problem(whole, _label(m2, c2))) if p]
    if problems:
        return Answer("not_found", f"{label}：无法计算占比——" + "；".join(problems) + "。", query=query)
    if whole.number == 0:
        return Answer("answered", f"{label}：{_label(m2, c2)}为 {whole.fact['raw']}，占比无从计算。",
                      [part.value(), whole.value()], [part.value()["citation"], whole.value()["citation"]], query=query)
    share = percent(part.number, whole.number)
    formula = f"{fmt(part.number)} ÷ {fmt(whole.number)} = {share}"
    text = (f"{label}：{_label(m1, c1)} {fmt(part.number)} 件，占{_label(m2, c2)} {fmt(whole.number)} 件的 "
            f"{share}（{formula}，四舍五入到 0.1%）。")
    return _with_the_text_share(_answer(text, [part, whole], store, query, share, formula), store, part.report,
                                part.number, whole.number)


def _handled_share(query: Query, store: Store, readings: list[Report], column: str) -> Answer:
    """办结率: what was handled, (七)总计, of all there was to handle that year — 本年新收 and 上年结转 (75 ÷ (74 + 1),
    never 75 ÷ 74 = 101.4 %)."""
    label = f"{readings[0].agency} {readings[0].year}年"
    handled = find_cell(store, readings, "t3.total", column)
    wholes = [find_cell(store, readings, m, column) for m in ("t3.new", "t3.carried_over")]
    problems = [p for m, c in zip(("t3.total", "t3.new", "t3.carried_over"), [handled] + wholes)
                if (p := _operand_problem(c, _label(m, column)))]
    if problems:
        return Answer("not_found", f"{label}：无法计算办结率——" + "；".join(problems) + "。", query=query)
    whole = sum((c.number for c in wholes), Decimal(0))
    if whole == 0:
        return Answer("answered", f"{label}：本年新收和上年结转的申请都为 0，办结率无从计算。",
                      [c.value() for c in [handled] + wholes], [c.value()["citation"] for c in [handled] + wholes],
                      query=query)
    share = percent(handled.number, whole)
    formula = f"{fmt(handled.number)} ÷ ({' + '.join(fmt(c.number) for c in wholes)}) = {share}"
    text = (f"{label}：{_label('t3.total', column)} {fmt(handled.number)} 件，占本年新收与上年结转的申请共 {fmt(whole)} "
            f"件的 {share}（{formula}，四舍五入到 0.1%）。")
    return _answer(text, [handled] + wholes, store, query, share, formula)


def _share_of_several(query: Query, store: Store, readings: list[Report], parts: list[str], column: str,
                      whole_asked: tuple[str, str]) -> Answer:
    """The share of several rows together (a group's sub-rows, or rows named with 或者/和), each cited."""
    label = f"{readings[0].agency} {readings[0].year}年"
    cells = [find_cell(store, readings, m, column) for m in parts]
    whole = find_cell(store, readings, *whole_asked)
    problems = [p for m, c in zip(parts, cells) if (p := _operand_problem(c, _label(m, column)))]
    problems += [p for p in [_operand_problem(whole, _label(*whole_asked))] if p]
    if problems:
        return Answer("not_found", f"{label}：无法计算占比——" + "；".join(problems) + "。", query=query)
    total = sum((c.number for c in cells), Decimal(0))
    what = GROUPS.get(whole_group(parts) or "") or "、".join(METRICS[m].label for m in parts)
    if whole.number == 0:
        return Answer("answered", f"{label}：{_label(*whole_asked)}为 {whole.fact['raw']}，占比无从计算。",
                      [c.value() for c in cells + [whole]], [c.value()["citation"] for c in cells + [whole]],
                      query=query)
    share = percent(total, whole.number)
    formula = f"({' + '.join(fmt(c.number) for c in cells)}) ÷ {fmt(whole.number)} = {share}"
    text = (f"{label}：{what}共 {fmt(total)} 件，占{_label(*whole_asked)} {fmt(whole.number)} 件的 {share}"
            f"（{formula}，四舍五入到 0.1%）。")
    added = " + ".join(fmt(c.number) for c in cells) + f" = {fmt(total)}"  # the parts' sum the text names
    return _with_the_text_share(_answer(text, cells + [whole], store, query, share, formula, said=[added]), store,
                                whole.report, total, whole.number)


def answer_sum(query: Query, store: Store, readings: list[Report]) -> Answer:
    label = f"{readings[0].agency} {readings[0].year}年"
    cells, problems = [], []
    metrics = list(query.metrics)
    if len(metrics) == 1 and metrics[0] in GROUPS and find_cell(store, readings, metrics[0], query.column) is None:
        metrics = [m.id for m in children(metrics[0])]  # (六) printed as its sub-rows
    for metric in metrics:
        cell = find_cell(store, readings, metric, query.column)
        problem = _operand_problem(cell, METRICS[metric].label)
        if problem:
            problems.append(problem)
        else:
            cells.append(cell)
    group = next((g for g in GROUPS if [m.id for m in children(g)] == metrics), None)
    what = GROUPS[group] if group else "、".join(METRICS[m].label for m in metrics)
    if problems:
        return Answer("not_found", f"{label}：{what}无法求和——" + "；".join(problems) + "。", query=query)
    total = sum((c.number for c in cells), Decimal(0))
    unit = cells[0].fact["unit"]
    formula = " + ".join(fmt(c.number) for c in cells) + f" = {fmt(total)}"
    column = COLUMNS[cells[0].fact["col"]].label
    text = f"{label}：{what}（{column}）合计 {fmt(total)} {unit}（{formula}）。"
    return _answer(text, cells, store, query, fmt(total), formula, unit)


def _side(query: Query, named: str) -> list[tuple[str, str | None]]:
    """The cells (row, column) one side of a pair stands for: a row, a group's rows, a column, a group's columns."""
    if query.pair[0] == "rows":
        return [(m, query.column if query.column not in COLUMN_GROUPS else None) for m in rows_of(named)]
    return [(query.metrics[0], c) for c in COLUMN_GROUPS.get(named, (named,))]


def _side_label(query: Query, named: str) -> str:
    if query.pair[0] == "rows":
        return group_label(named) if named in GROUPS or named in GROUP_MEMBERS else \
            _label(named, query.column if query.column not in COLUMN_GROUPS else None)
    return f"{METRICS[query.metrics[0]].label}（{COLUMN_GROUP_LABELS.get(named) or COLUMNS[named].label}）"


def answer_against(query: Query, store: Store, readings: list[Report]) -> Answer:
    """Two figures of one report set against each other: "予以公开比部分公开多几件" (their difference), "自然人的申请
    是商业企业的几倍" (their ratio, to 0.1), each side's cells cited; a side of several cells is their sum."""
    kind, first, second = query.pair
    if kind == "columns" and len(query.metrics) != 1:
        return Answer("not_found", "问题中有几行数据，又要比较两列，请一次只问一行。", query=query)
    label = f"{readings[0].agency} {readings[0].year}年"
    sides, cells, problems, said = [], [], [], []
    for named in (first, second):
        found = []
        for metric, column in _side(query, named):
            cell = find_cell(store, readings, metric, column)
            if kind == "columns" and cell is not None and cell.fact["col"] != column:
                cell = None  # a column the row does not print: never its 总计 instead
            problem = _operand_problem(cell, _label(metric, column))
            if problem:
                problems.append(problem)
            else:
                found.append(cell)
        sides.append(sum((c.number for c in found), Decimal(0)))
        cells.extend(found)
        if len(found) > 1:  # a side of several cells: its sum, which the text names
            said.append(" + ".join(fmt(c.number) for c in found) + f" = {fmt(sides[-1])}")
    if problems:
        return Answer("not_found", f"{label}：无法计算——" + "；".join(problems) + "。", query=query)
    (a, b), (name_a, name_b) = sides, (_side_label(query, first), _side_label(query, second))
    unit = cells[0].fact["unit"]
    if query.intent == "ratio":
        if b == 0:
            return Answer("answered", f"{label}：{name_a} {fmt(a)} {unit}，{name_b} {fmt(b)} {unit}；后者为 0，倍数无从"
                                      "计算。", [c.value() for c in cells], [c.value()["citation"] for c in cells],
                          query=query)
        times = (a / b).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        formula = f"{fmt(a)} ÷ {fmt(b)} = {fmt(times)}"
        text = (f"{label}：{name_a} {fmt(a)} {unit}，{name_b} {fmt(b)} {unit}；前者是后者的 {fmt(times)} 倍"
                f"（{formula}，四舍五入到 0.1）。")
        return _answer(text, cells, store, query, fmt(times), formula, "倍", said)
    diff = a - b
    formula = f"{fmt(a)} − {fmt(b)} = {signed(diff)}"
    more = "两者相同" if diff == 0 else f"前者比后者{'多' if diff > 0 else '少'} {fmt(abs(diff))} {unit}"
    text = f"{label}：{name_a} {fmt(a)} {unit}，{name_b} {fmt(b)} {unit}；{more}（{formula}）。"
    return _answer(text, cells, store, query, fmt(abs(diff)), formula, unit, said)


def column_group_not_computed(query: Query) -> Answer:
    """A group of columns asked across reports or rows: not computed yet, and never answered from one column."""
    group = query.column
    return Answer("not_found", f"“{COLUMN_GROUP_LABELS[group]}”是表中{len(COLUMN_GROUPS[group])}列之和；"
                               "按这一组列的比较、变化、趋势、占比和多行合计还不能计算，请就其中一列或一行提问。",
                  query=query)


def answer_column_group(query: Query, store: Store, readings: list[Report]) -> Answer:
    """A group of columns asked of one row ("法人或其他组织申请了多少件"), or columns named together and added up
    ("商业企业和科研机构一共"): the sum of its columns, each cited; never one of them, and never the row's 总计."""
    group = query.column if query.column in COLUMN_GROUPS else None
    if len(query.metrics) != 1:
        return column_group_not_computed(query) if group else Answer(
            "not_found", "几行、几列同时相加还不能计算，请就其中一行的几列，或一列的几行提问。", query=query)
    label = f"{readings[0].agency} {readings[0].year}年"
    columns = COLUMN_GROUPS[group] if group else query.columns
    named = COLUMN_GROUP_LABELS[group] if group else "、".join(COLUMNS[c].label for c in columns)
    what = f"{METRICS[query.metrics[0]].label}（{named}）"
    cells, problems = [], []
    for column in columns:
        cell = find_cell(store, readings, query.metrics[0], column)
        if cell is None or cell.fact["col"] != column:
            cell = None
        problem = _operand_problem(cell, COLUMNS[column].label)
        if problem:
            problems.append(problem)
        else:
            cells.append(cell)
    if problems:
        return Answer("not_found", f"{label}：{what}无法求和——" + "；".join(problems) + "。", query=query)
    total = sum((c.number for c in cells), Decimal(0))
    unit = cells[0].fact["unit"]
    formula = " + ".join(fmt(c.number) for c in cells) + f" = {fmt(total)}"
    parts = "、".join(f"{COLUMNS[c.fact['col']].label} {fmt(c.number)}" for c in cells)
    text = f"{label}：{what}共 {fmt(total)} {unit}，即{parts}之和（{formula}）。"
    return _answer(text, cells, store, query, fmt(total), formula, unit)


def across(route: Plan, step: Step, store: Store) -> Answer | None:
    """Intents that span reports (change, compare, trend, rank); None when the question names too little for
    one (a change with one year): the next step answers."""
    query = route.query
    if query.intent in ("compare", "rank") and len(query.metrics) > 1:
        # 行政诉讼 is two rows (直接起诉, 复议后起诉): the first alone is not it; their sums are computed by year only
        group = whole_group(query.metrics)
        what = group_label(group) if group else "、".join(METRICS[m].label for m in query.metrics)
        return Answer("not_found", f"“{what}”由{len(query.metrics)}行组成，按机关或年份比较它们的合计还不能计算；"
                                   "请就其中一行提问（例如：" + METRICS[query.metrics[0]].label + "），或问一个机关的逐年变化。",
                      query=query)
    handler = {"change": answer_change, "compare": answer_compare, "trend": answer_trend,
               "rank": answer_rank}.get(query.intent)
    return handler(route.query, store) if handler else None


def within(route: Plan, step: Step, store: Store) -> Answer:
    """A share, a sum or a group of columns of one report."""
    query = route.query
    if query.column in COLUMN_GROUPS and query.intent not in ("lookup", "sum"):
        return column_group_not_computed(query)
    unclear = several_reports(query, route.reports)
    if unclear:
        return unclear
    readings = best_first(route.reports)
    if query.intent in ("difference", "ratio"):
        return answer_against(query, store, readings)
    if query.column in COLUMN_GROUPS or len(query.columns) > 1 and query.intent == "sum":
        return answer_column_group(query, store, readings)
    return (answer_share if query.intent == "share" else answer_sum)(query, store, readings)
