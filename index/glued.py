"""Tables glued into text: web pages scraped to text lose the cell borders, so `一、本年新收政府信息公开申请数量801000081`
is a row label followed by seven cells printed without separators. This module cuts such text into the
template's rows and decides how each row's digits split into cells.

- Rows: the template's row labels, found in template order (sub-rows with their own numbering "2." so that a
  cell's last digit is never taken for the next row's number); the digits after a label, up to the next label,
  are that row's cells.
- Splittings: every way to cut the digits into the row's number of cells: "0" is a cell, no other number starts
  with 0, spaces are always cell boundaries, decimals only where the column holds an amount, a sign only where it
  holds a change (本年增/减).
- Choice: the template's arithmetic (`index.checks.equations`: row totals, (七) = (一)…(六), 一 + 二 = (七) + 四,
  表四 totals) over the whole table, solved by branch and bound: every splitting that satisfies the most relations
  survives. Figures the report states in its own text ("制发规范性文件77件") are weaker evidence, used only to
  choose among arithmetic-equal survivors, and recorded as such. When more than one value survives for a cell,
  every candidate is kept and the cell is marked uncertain; it is never presented as certain.
- Statistics tables of reports before 2019 (指标名称 / 计量单位 / 本年度 / 历年累计) are read the same way with their
  own catalogue rows (`old.*`): their rows are found in any order, the unit is kept, and 本年度 ≤ 历年累计 and each 其中 row ≤ its total are the arithmetic (not a sum: the 其中 rows list some channels only).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.catalogue import (COLUMN_GROUPS, GROUPS, METRICS, OLD_COLUMNS, T3_COLUMNS, T4_METRICS, TEMPLATE_2019,
                             TEMPLATE_2021, TEMPLATE_PRE2019)
from index.checks import equations
from index.document import Cell, Document, Table
from index.mapping import UNCERTAIN, UNIT_WORDS

MAX_NODES = 200_000  # search bound per table; beyond it, undecided cells stay uncertain with all their values
TEXT_WEIGHT = Decimal("0.25")  # a figure in the report's text counts less than one arithmetic relation

_AMOUNT_COLUMNS = {"amount"}
_SIGNED_COLUMNS = {"change"}
_RUN = re.compile(r"[\d\s.\-]*\d[\d\s.]*")


@dataclass
class RowSpec:
    metric: str
    columns: tuple[str, ...]
    pattern: re.Pattern


@dataclass
class GluedRow:
    spec: RowSpec
    label: str  # the label text as printed
    digits: str  # the row's cells as printed, glued
    splittings: list[tuple[str, ...]]  # "" stands for a cell the printed row lacks (index.repair)
    end: int = 0  # offset just past the row's digits in the text it was found in
    damage: str = "原文数字粘连"  # what makes the row ambiguous, in the words an answer shows
    unit: str = ""  # the unit printed between label and cells (statistics tables before 2019: 条 / 件 / 元)


@dataclass
class CellDecoding:
    metric: str
    column: str
    value: str | None  # the value when unique, else None
    candidates: list[str]  # every value that survived, in order of first appearance
    source: str  # the row's glued digits as printed
    reason: str  # how the value was settled, or why it was not


@dataclass
class DecodedTable:
    kind: str
    rows: list[GluedRow]
    cells: list[CellDecoding]
    nodes: int  # search nodes explored
    solutions: int  # optimal complete decodings found


def _label_pattern(metric_id: str) -> re.Pattern:
    metric = METRICS[metric_id]
    keys = sorted(metric.keys, key=len, reverse=True)
    body = "|".join(r"\s*".join(map(re.escape, key)) for key in keys)
    number = re.match(r"^(\d+)[.．、]", metric.label)
    if metric.table == "old" and metric.parent:
        # old tables number their sub-rows differently from report to report: any one digit, never two (the
        # digit before it is the previous row's last cell)
        return re.compile(r"(?:[1-9]\s*[.．、][^\d。；、]{0,6}?)?" + f"(?:{body})")
    if metric.parent and number:
        # the sub-row's own number (exactly it, so that a cell's last digit is not taken for it); required
        # where the key alone is a common word (3.其他)
        prefix = f"(?:{number.group(1)}" + r"\s*[.．、]" + (r"\s*)" if metric.exact_key else r"[^\d。；]{0,24}?)?")
        return re.compile(prefix + f"(?:{body})")
    if metric_id == "t3.total":
        return re.compile(r"(?:[（(]\s*七\s*[)）]\s*)?总\s*计")
    return re.compile(f"(?:{body})")


def row_specs(kind: str, template: str) -> list[RowSpec]:
    """The template's rows of one table with cells, in the order they are printed."""
    specs = []
    for metric in METRICS.values():
        if metric.table != kind or template not in metric.columns or metric.id in T4_METRICS:
            continue
        if template == TEMPLATE_2021 and metric.id in GROUPS:
            continue  # (六) is printed as three sub-rows in the 2021 template
        specs.append(RowSpec(metric.id, metric.columns[template], _label_pattern(metric.id)))
    return specs


def _numbers(text: str, signed: bool, decimal: bool) -> bool:
    pattern = r"-?" if signed else ""
    pattern += r"(?:0|[1-9]\d*)"
    if decimal:
        pattern += r"(?:\.\d+)?"
    return re.fullmatch(pattern, text) is not None


def splittings(digits: str, columns: tuple[str, ...], limit: int = 20_000) -> list[tuple[str, ...]]:
    """Every way to cut a row's printed digits into one number per column (spaces are boundaries)."""
    chunks = digits.split()
    out: list[tuple[str, ...]] = []

    def place(chunk_i: int, pos: int, col: int, acc: list[str]) -> None:
        if len(out) >= limit:
            return
        if chunk_i == len(chunks):
            if col == len(columns):
                out.append(tuple(acc))
            return
        chunk = chunks[chunk_i]
        if col == len(columns):
            return
        signed, decimal = columns[col] in _SIGNED_COLUMNS, columns[col] in _AMOUNT_COLUMNS
        for end in range(pos + 1, len(chunk) + 1):
            piece = chunk[pos:end]
            if not _numbers(piece, signed, decimal):
                continue
            acc.append(piece)
            if end == len(chunk):
                place(chunk_i + 1, 0, col + 1, acc)
            else:
                place(chunk_i, end, col + 1, acc)
            acc.pop()

    place(0, 0, 0, [])
    return [cut for cut in out if _countable(columns, cut)] or out


def _countable(columns: tuple[str, ...], cut: tuple[str, ...]) -> bool:
    """Whether a reading of a 表二 row (2019 template) is one its columns can mean. Not 勾稽 relations a table may
    break but what the columns are: this year's items are 上一年项目数量 + 本年增/减, never below zero, and
    对外公开总数量 counts this year's 本年新公开数量 among them. A reading against them is no reading (5-498 is
    5 | -4 | 98, never 5 | -49 | 8); where every reading is against them (a misprinted row), all are kept."""
    value = {column: Decimal(v) for column, v in zip(columns, cut) if v}
    if "prev_items" in value and "change" in value and value["prev_items"] + value["change"] < 0:
        return False
    if "published" in value and "total_published" in value and value["published"] > value["total_published"]:
        return False
    return True


def find_rows(text: str, specs: list[RowSpec], adjacent: bool = False) -> list[GluedRow]:
    """The rows of one table in `text`: each label found after the previous one, its digits up to the next.
    With `adjacent`, only digits that follow their label directly (rows printed outside a table that was
    otherwise read as a grid: "行政许可 0")."""
    found: list[tuple[RowSpec, re.Match]] = []
    pos = 0
    for spec in specs:
        match = spec.pattern.search(text, pos)
        if match is None:
            continue
        found.append((spec, match))
        pos = match.end()
    rows = []
    for i, (spec, match) in enumerate(found):
        end = found[i + 1][1].start() if i + 1 < len(found) else len(text)
        run = _RUN.search(text, match.end(), end)
        if run is None:
            continue
        between = text[match.end():run.start()]
        if re.search(r"\d", between) or (adjacent and between.strip()):
            continue
        digits = run.group().strip().rstrip(".")
        row = GluedRow(spec, (text[match.start():run.start()]).strip(), digits, splittings(digits, spec.columns),
                       run.end())
        if not row.splittings and spec.columns == T3_COLUMNS:
            row.splittings = _legal_person_blank(digits)
            row.damage = "原文此行只印有两个数（法人或其他组织五列留空），数字粘连"
        rows.append(row)
    return rows


# A cell the report leaves blank (not a lost one, ""): no relation through it is decided, as in index.checks
BLANK = "空"


def _legal_person_blank(digits: str) -> list[tuple[str, ...]]:
    """Readings of a 表三 row that printed only 自然人 and 总计, its five 法人或其他组织 columns left blank (a web
    page whose empty cells vanish when scraped): taken only when the digits cannot fill all seven cells."""
    blanks = (BLANK,) * len(COLUMN_GROUPS["legal_person"])
    return [(natural,) + blanks + (total,) for natural, total in splittings(digits, ("natural", "total"))]


# after a statistics-table label: the rest of the label ("数"), then the unit, then the cells
_UNIT_THEN_CELLS = re.compile(r"[^\d]{0,8}?(" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")?\s*(?=\d)")


def find_stat_rows(text: str, specs: list[RowSpec]) -> list[GluedRow]:
    """The rows of a statistics table before 2019 (指标名称 / 计量单位 / 本年度 / 历年累计): its rows differ
    from report to report in number and order, so every label is looked for on its own; a row's cells follow
    its label and unit directly. Where labels overlap (传真申请 inside 信函、传真申请) the longer one stands."""
    found: list[tuple[RowSpec, re.Match]] = []
    for spec in specs:
        for match in spec.pattern.finditer(text):
            found.append((spec, match))
            break
    found.sort(key=lambda sm: (sm[1].start(), -sm[1].end()))
    kept: list[tuple[RowSpec, re.Match]] = []
    for spec, match in found:
        if kept and match.start() < kept[-1][1].end():
            continue  # inside the label before it
        kept.append((spec, match))
    rows = []
    for i, (spec, match) in enumerate(kept):
        end = kept[i + 1][1].start() if i + 1 < len(kept) else len(text)
        unit = _UNIT_THEN_CELLS.match(text[match.end():end])
        if unit is None:
            continue
        run = _RUN.match(text, match.end() + unit.end(), end)
        if run is None:
            continue
        digits = run.group().strip().rstrip(".")
        cuts = splittings(digits, spec.columns)  # 本年度 ≤ 历年累计 is a relation (index.checks), not a filter
        rows.append(GluedRow(spec, text[match.start():match.end()].strip(), digits, cuts, run.end(),
                             unit=unit.group(1) or ""))
    return rows


def find_t4(text: str) -> GluedRow | None:
    """表四's 15 numbers: the digits after the header's last 总计."""
    at = text.rfind("总计")
    if at < 0:
        return None
    run = _RUN.match(text, at + 2) or _RUN.search(text, at + 2)
    if run is None or re.search(r"[^\s]", text[at + 2:run.start()]):
        return None
    digits = run.group().strip()
    columns = tuple(c for m in T4_METRICS for c in METRICS[m].columns[TEMPLATE_2021])
    spec = RowSpec("t4", columns, re.compile("总计"))
    return GluedRow(spec, "行政复议 / 行政诉讼", digits, splittings(digits, columns), run.end())


def _cells_of(row: GluedRow) -> list[tuple[str, str]]:
    if row.spec.metric == "t4":
        return [(m, c) for m in T4_METRICS for c in METRICS[m].columns[TEMPLATE_2021]]
    return [(row.spec.metric, c) for c in row.spec.columns]


def solve(rows: list[GluedRow], evidence: dict[tuple[str, str], set[str]] | None = None,
          max_nodes: int = MAX_NODES, known_broken: set[int] | None = None
          ) -> tuple[list[list[int]], int, int, set[int]]:
    """For each row, the splittings that are part of some best decoding of the whole table: the decodings that
    satisfy the most relations (plus the report's own figures, weighted less). Rows tied by relations are solved
    together by branch and bound; a row no relation touches keeps all its splittings. Returns (surviving
    splitting indices per row, search nodes explored, best decodings found, rows of tables that break under
    every reading; `known_broken`: those rows as the pass without the text found them)."""
    evidence = evidence or {}
    cells_of = [_cells_of(r) for r in rows]
    where = {cell: (i, j) for i, cells in enumerate(cells_of) for j, cell in enumerate(cells)}
    relations = [eq for eq in equations(where) if all(c in where for c in eq.cells)]
    # rows joined by a relation form one problem
    group = list(range(len(rows)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for eq in relations:
        first, *others = {where[c][0] for c in eq.cells}
        for other in others:
            group[root(other)] = root(first)
    survivors: list[list[int]] = [[] for _ in rows]
    nodes = solutions = 0
    broken: set[int] = set()  # rows of tables where some relation holds under no reading
    for component in {root(i) for i in range(len(rows))}:
        members = [i for i in range(len(rows)) if root(i) == component]
        eqs = [eq for eq in relations if where[eq.cells[0]][0] in members]
        proofs = [(cell, values) for cell, values in evidence.items() if cell in where and where[cell][0] in members]
        if not eqs and not proofs:
            for i in members:
                survivors[i] = list(range(len(rows[i].splittings)))
            continue
        found, explored, best = _branch_and_bound(rows, members, eqs, proofs, where, max_nodes)
        # (in the first pass, without the text, the best score counts relations)
        breaks = best < len(eqs) if known_broken is None else bool(known_broken & set(members))
        # a table of inequalities only (before 2019: 本年度 ≤ 历年累计, 其中 ≤ its total) can be misprinted so that
        # the one reading satisfying all of them is a wrong one (48|15 printed, 4|815 read): such a table is
        # treated as possibly broken whatever its best reading
        inequalities_only = bool(eqs) and all(eq.at_most for eq in eqs)
        if found and (breaks or inequalities_only):
            # some relation breaks under every reading (or may): the published table has an error, and the true
            # reading need not be a best one (a wrong printed cell breaks every relation through it). Keep every
            # reading within that many relations of the best; what they all agree on still stands
            through = {}
            for eq in eqs:
                for cell in eq.cells:
                    through[cell] = through.get(cell, 0) + 1
            floor = best - max(through.values())
            found, more, _ = _branch_and_bound(rows, members, eqs, proofs, where, max_nodes, floor=floor)
            explored += more
            if breaks:
                broken.update(members)
            if more >= max_nodes:  # cut before every such reading was seen: nothing of the table is settled
                found = []
            elif proofs:  # among them, the report's own figures pick those that state them
                def stated(choice: dict) -> int:
                    return sum(_states(rows[where[cell][0]].splittings[choice[where[cell][0]]][where[cell][1]], values)
                               for cell, values in proofs)
                most = max((stated(choice) for choice in found), default=0)
                found = [choice for choice in found if stated(choice) == most]
        nodes += explored
        solutions += len(found)
        for i in members:
            survivors[i] = sorted({choice[i] for choice in found})
    return survivors, nodes, solutions, broken


def _states(value: str, told: set[str]) -> bool:
    """Whether a reading of a cell agrees with the figures the report's text states for it: a lost cell ("",
    index.repair) may hold the figure, so it does not contradict it."""
    return value in told or value == ""


def _branch_and_bound(rows, members, eqs, proofs, where, max_nodes, floor: Decimal | None = None):
    """Every decoding with the best score (or, with `floor`, every decoding scoring at least that), the search
    nodes explored, and the best score."""
    # a missing cell is NaN: no relation through it holds
    # a blank cell is None: a relation through it is undecided, neither held nor broken (counted as held)
    numbers = {i: [tuple(None if v == BLANK else Decimal(v) if v else Decimal("NaN") for v in sp)
                   for sp in rows[i].splittings] for i in members}
    # each relation as (row, position) pairs, so that checking one is a few lookups
    sides = {id(eq): ([where[c] for c in eq.left], [where[c] for c in eq.right]) for eq in eqs}

    blanks = any(v is None for i in members for sp in numbers[i] for v in sp)

    def holds(eq, choice) -> bool:  # the hot loop of the search: kept to plain sums and one comparison
        left, right = sides[id(eq)]
        a = [numbers[i][choice[i]][j] for i, j in left]
        b = [numbers[i][choice[i]][j] for i, j in right]
        if blanks and (None in a or None in b):
            return True
        return eq.compare(sum(a), sum(b)) if eq.at_most else sum(a) == sum(b)

    # rows with fewer splittings first; within a row, splittings that satisfy the row's own relations first
    order = sorted(members, key=lambda i: len(rows[i].splittings))
    rank = {row: k for k, row in enumerate(order)}
    decided_at: dict[int, list] = {}
    for eq in eqs:
        decided_at.setdefault(max(rank[where[c][0]] for c in eq.cells), []).append(eq)
    told_at: dict[int, list] = {}
    for cell, values in proofs:
        told_at.setdefault(rank[where[cell][0]], []).append((cell, values))
    tries: dict[int, list[int]] = {}
    for i in members:
        own = [eq for eq in eqs if {where[c][0] for c in eq.cells} == {i}]
        choice = {}

        def own_score(s: int) -> int:
            choice[i] = s
            return sum(holds(eq, choice) for eq in own)

        tries[i] = sorted(range(len(rows[i].splittings)), key=lambda s: -own_score(s))
    remaining = [Decimal(0)] * (len(order) + 1)
    for k in range(len(order) - 1, -1, -1):
        remaining[k] = remaining[k + 1] + len(decided_at.get(k, [])) + TEXT_WEIGHT * len(told_at.get(k, []))
    best = [Decimal(-1) if floor is None else floor]
    found: list[dict] = []
    choice: dict[int, int] = {}
    nodes = [0]

    def search(k: int, score: Decimal) -> None:
        if nodes[0] >= max_nodes or score + remaining[k] < best[0]:
            return
        if k == len(order):
            if score > best[0] and floor is None:
                best[0] = score
                found.clear()
            found.append(dict(choice))
            return
        i = order[k]
        for s in tries[i]:
            nodes[0] += 1
            choice[i] = s
            gained = Decimal(sum(holds(eq, choice) for eq in decided_at.get(k, [])))
            gained += sum(TEXT_WEIGHT for cell, values in told_at.get(k, [])
                          if _states(rows[i].splittings[s][where[cell][1]], values))
            search(k + 1, score + gained)
        del choice[i]

    if all(rows[i].splittings for i in members):
        search(0, Decimal(0))
    return found, nodes[0], best[0]


def decode(kind: str, rows: list[GluedRow], evidence: dict[tuple[str, str], set[str]] | None = None,
           sentences: dict[tuple[str, str, str], str] | None = None) -> DecodedTable:
    """Decide each cell of a glued table: by arithmetic alone where that settles it, else with the report's
    own figures, else keep every surviving candidate."""
    rows = [r for r in rows if r.splittings]
    by_arithmetic, nodes, solutions, broken = solve(rows)
    with_text, more, solutions, _ = (solve(rows, evidence, known_broken=broken) if evidence
                                     else (by_arithmetic, 0, solutions, broken))
    cells: list[CellDecoding] = []
    for i, row in enumerate(rows):
        for j, (metric, column) in enumerate(_cells_of(row)):
            plain = list(dict.fromkeys(row.splittings[s][j] for s in by_arithmetic[i]))
            told = list(dict.fromkeys(row.splittings[s][j] for s in with_text[i]))
            if len(row.splittings) == 1:
                reason = "只有一种读法"
                candidates = plain
            elif len(plain) == 1 and i not in broken:
                reason = "由表格勾稽关系确定"
                candidates = plain
            elif len(plain) == 1:
                reason = ("表内有勾稽关系在任何读法下都不成立（原表有误）；在其余关系成立的各种读法中，此格都是同一个值")
                candidates = plain
            elif len(told) == 1 and (metric, column, told[0]) in (sentences or {}):
                reason = f"由报告正文“{sentences[(metric, column, told[0])]}”确定（正文证据，权重低于勾稽关系）"
                candidates = told
            elif len(told) == 1:
                reason = "由报告正文中同表其他数字连带确定（正文证据，权重低于勾稽关系）"
                candidates = told
            elif len(told) < len(plain):
                reason = (f"{row.damage}，有 {len(told)} 种读法符合勾稽关系和报告正文（正文证据排除了其余"
                          f" {len(plain) - len(told)} 种），无法确定")
                candidates = told
            else:
                reason = f"{row.damage}，有 {len(plain)} 种读法都符合勾稽关系，无法确定"
                candidates = plain
            if not candidates:  # the search was cut before any complete decoding: every value of the row stays
                candidates = list(dict.fromkeys(sp[j] for sp in row.splittings))
                reason = f"{row.damage}，搜索在 {MAX_NODES} 步内未能确定"
            cells.append(CellDecoding(metric, column, candidates[0] if len(candidates) == 1 else None,
                                      candidates, row.digits, reason))
    return DecodedTable(kind, rows, cells, nodes + more, solutions)


_FIGURE = r"(\d+(?:\.\d+)?)\s*(?:件|个|项|条|万元)"


def text_evidence(text: str, kind: str, template: str) -> tuple[dict, dict]:
    """Figures the report's prose binds to a row (and column) of the table: ({cell: {values}},
    {(metric, column, value): sentence})."""
    values: dict[tuple[str, str], set[str]] = {}
    sentences: dict[tuple[str, str, str], str] = {}
    for sentence in re.split(r"[。；;]", text):
        for metric in METRICS.values():
            if metric.table != kind or template not in metric.columns:
                continue
            columns = metric.columns[template]
            for key in metric.keys + _PROSE_KEYS.get(metric.id, ()):
                if metric.exact_key or len(key) < 2:
                    continue
                for m in re.finditer(re.escape(key) + r"[^，,。\d]{0,6}?" + _FIGURE, sentence):
                    # the clause before the figure names its column ("全年主动公开市政府规章22件、…规范性文件34件")
                    clause = re.split(r"[，,：:]", sentence[:m.start()])[-1][-40:]
                    if _PART_OF_AGENCY.search(clause):
                        continue  # "各乡镇主动公开政府信息1638条": a part of the agency, no cell of its table
                    column = _column_named(clause, columns)
                    if column is None:
                        continue
                    values.setdefault((metric.id, column), set()).add(m.group(1))
                    # the line that holds the figure (a sentence may run over a heading's line break)
                    before = sentence[:m.start()].split("\n")[-1]
                    line = ("…" + before[-30:] if len(before) > 30 else before) + sentence[m.start():].split("\n")[0]
                    sentences.setdefault((metric.id, column, m.group(1)), line.strip()[:80])
    return values, sentences


# how the prose names a row of the statistics table before 2019 where its words differ from the row label's
# ("2012年全县共收到有关政府信息公开的申请21条" is 受理依申请公开信息总数)
_PROSE_KEYS = {"old.requests": ("政府信息公开的申请", "政府信息公开申请")}
# a figure of the agency's townships or departments ("各乡镇主动公开政府信息1638条"): no cell of its own table
_PART_OF_AGENCY = re.compile(r"乡镇|街道|部门|[县区市]直|各单位|下属|所属")

_COLUMN_WORDS = {"issued": ("制发", "印发", "出台", "发布", "主动公开"), "repealed": ("废止",),
                 "in_force": ("现行有效",), "made": ("制作", "制发"), "total": ("共", "合计", "总计", "共计"),
                 "cumulative": ("累计", "历年")}


def _column_named(clause: str, columns: tuple[str, ...]) -> str | None:
    """The column whose word stands nearest before the figure; the only column when there is one."""
    at = {column: max((clause.rfind(w) for w in _COLUMN_WORDS.get(column, ())), default=-1) for column in columns}
    best = max(at, key=at.get)
    if at[best] >= 0:
        return best
    # a figure the prose states without naming a column: the only one, or this year's in an old table
    return columns[0] if len(columns) == 1 or columns == OLD_COLUMNS else None


def _grid_cell(cell: CellDecoding) -> Cell:
    return Cell("" if cell.value == BLANK else cell.value or UNCERTAIN)


def to_table(decoded: DecodedTable, section: str) -> Table:
    """The decoded table as a grid: label, then the cells (an uncertain cell shows `?`)."""
    by_cell = {(c.metric, c.column): c for c in decoded.cells}
    rows = []
    for row in decoded.rows:
        if row.spec.metric == "t4":
            for metric in T4_METRICS:
                cells = [by_cell[(metric, c)] for c in METRICS[metric].columns[TEMPLATE_2021]]
                rows.append([Cell(METRICS[metric].label)] + [_grid_cell(c) for c in cells])
            continue
        cells = [by_cell[(row.spec.metric, c)] for c in row.spec.columns]
        # the template's label: the printed one is glued to headers and numbering
        unit = [Cell(row.unit)] if row.unit else []
        rows.append([Cell(METRICS[row.spec.metric].label)] + unit + [_grid_cell(c) for c in cells])
    return Table.from_ragged(rows, section=section)


_TABLE_STARTS = {"t2": re.compile(r"第\s*二十\s*条\s*第\s*[（(]\s*一\s*[)）]"), "t3": re.compile(r"本\s*年\s*新\s*收"),
                 "t4": re.compile(r"行政复议")}


def decode_document(doc: Document, template: str, named: set[str] = frozenset()) -> list[tuple[DecodedTable, Table]]:
    """Find and decode the glued tables in the document's paragraphs; each decoded table is inserted after the
    paragraph where its text ends. `named`: the rows (metric ids) the document's grids already give; a table
    none of whose rows a grid gives is decoded whole, in the others only the missing rows printed right after
    their label are read (表二 rows a PDF conversion left as text lines)."""
    paragraphs = doc.paragraphs
    if not paragraphs or template not in (TEMPLATE_2019, TEMPLATE_2021, TEMPLATE_PRE2019):
        return []
    text = "\n".join(p.text for p in paragraphs)
    starts = []
    offset = 0
    for p in paragraphs:
        starts.append(offset)
        offset += len(p.text) + 1

    def specs(kind: str) -> tuple[list[RowSpec], bool]:
        """The rows to look for, and whether only adjacent digits count (some rows come from grids)."""
        all_specs = row_specs(kind, template)
        missing = [s for s in all_specs if s.metric not in named]
        return missing, len(missing) < len(all_specs)

    out: list[tuple[DecodedTable, int, int]] = []
    if template == TEMPLATE_PRE2019:
        start = _STAT_TABLE.search(text)
        old_specs, _ = specs("old")
        rows = find_stat_rows(text[start.end():], old_specs) if start and old_specs else []
        if rows:
            values, sentences = text_evidence(text, "old", template)
            out.append((decode("old", rows, values, sentences), start.start(), start.end() + rows[-1].end))
    t2 = _TABLE_STARTS["t2"].search(text) if template != TEMPLATE_PRE2019 else None
    t3 = _TABLE_STARTS["t3"].search(text, t2.end() if t2 else 0) if template != TEMPLATE_PRE2019 else None
    while t3 and not _RUN.match(text, _end_of_label(text, t3.end())):
        t3 = _TABLE_STARTS["t3"].search(text, t3.end())  # "本年新收" in the prose, not the table
    t3_end = None
    t2_specs, partly = specs("t2")
    if t2_specs and t2:
        after = _NEXT_SECTION.search(text, t2.end())
        region = text[t2.start():t3.start() if t3 else (after.start() if after else len(text))]
        rows = find_rows(region, t2_specs, adjacent=partly)
        if rows:
            values, sentences = text_evidence(text, "t2", template)
            out.append((decode("t2", rows, values, sentences), t2.start(), t2.start() + rows[-1].end))
    t3_specs, partly = specs("t3")
    if t3:
        rows = find_rows(text[t3.start():], row_specs("t3", template))
        if rows:
            t3_end = t3.start() + rows[-1].end
        if t3_specs and not partly and rows:
            values, sentences = text_evidence(text, "t3", template)
            out.append((decode("t3", rows, values, sentences), t3.start(), t3_end))
    if t3_end and not named & set(T4_METRICS):
        heading = re.compile(r"[五六][、.．]").search(text, t3_end)
        region = text[t3_end:heading.start() if heading else len(text)]
        row = find_t4(region)
        if row and row.splittings:
            out.append((decode("t4", [row]), t3_end, t3_end + row.end))

    def paragraph_at(offset: int) -> int:
        return max(i for i, s in enumerate(starts) if s <= max(offset, 0))

    tables = []
    # each table goes after the paragraph where its text ends, under the section where it begins
    for decoded, start, end in sorted(out, key=lambda x: x[2], reverse=True):
        table = to_table(decoded, paragraphs[paragraph_at(start)].section.split(" › ")[0])
        doc.blocks.insert(doc.blocks.index(paragraphs[paragraph_at(end - 1)]) + 1, table)
        tables.append((decoded, table))
    for i, table in enumerate(doc.tables):
        table.index = i
    return list(reversed(tables))


_STAT_TABLE = re.compile(r"指\s*标\s*名\s*称")
_NEXT_SECTION = re.compile(r"^\s*[三四五六七][、.．]", re.M)


def _end_of_label(text: str, pos: int) -> int:
    """Past the rest of a row label (its non-digit characters) to where its cells would begin."""
    while pos < len(text) and not text[pos].isdigit() and text[pos] not in "。；\n":
        pos += 1
    return pos
