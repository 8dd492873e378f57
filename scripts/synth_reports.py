"""Synthetic annual reports: the national template filled with random values that satisfy every 勾稽 relation
(or break one on purpose), rendered in every layout met in the wild. A test bed for the readers and the decoder.

    python3 scripts/synth_reports.py --out DIR --n N --seed S [--layouts docx html ...] [--templates 2021 2019 pre2019]

writes N reports per layout × template and DIR/truth.jsonl, one line per file:
    {"file", "layout", "template", "agency", "year", "cells": {"metric|column": value as printed ("" = blank)},
     "break": null or {"check", "cell": "metric|column", "printed", "consistent"}, "failing": [relations that do
     not hold in the truth, each {"check", "cells"}]}

Python API (tests): `make_report(seed, template, ...)` → SynthReport; `write_report(report, layout, folder)` →
path; `generate(out, n, seed, layouts, templates)` → list of truth records.

Layouts (each modelled on real files of ../shared/corpus/real):
- docx: the real template .docx (../shared/corpus/template/政务公开年报模版.docx) filled with python-docx; its
  merged cells kept (the 2019 template's 表二 and single （六）其他处理 row, and the statistics table before 2019,
  are built inside the same document with python-docx merges);
- html: a site page (navigation, 当前位置, footer) around the body; tables with colspan/rowspan, every cell's text
  in <p>, <br> or two <p> inside header cells; the template's opening sentence in its own <p>;
- txt: the cell-per-line export of a .docx (the seed corpus/*.txt): a tab before every cell, a blank line between
  rows, a vertically merged cell as an empty tabbed line, wrapped header labels on a line of their own;
- glued: text scraped from a web page (平潭 007/009/014): a header block, then one line with every table cell
  glued to the next (sometimes a space between numbers; a page break repeating 三、本年度办理结果);
- md: a broken PDF→markdown conversion (004/006): generic 数据1… headers, one table per row group, 表四 as three
  5-cell tables, or split tables under repeated "## 表三：" headings, labels lost from rows into the text,
  group cells shifting a row, trailing empty cells, 表二 rows as plain text lines;
- pdf: reportlab with its built-in CJK font (STSong-Light), tables drawn with grid lines, page footers, tables
  running over page breaks.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.catalogue import METRICS, T3_COLUMNS, T4_COLUMNS, T4_METRICS  # noqa: E402
from index.checks import equations  # noqa: E402

TEMPLATE_DOCX = ROOT.parent / "shared" / "corpus" / "template" / "政务公开年报模版.docx"
LAYOUTS = ("docx", "html", "txt", "glued", "md", "pdf")
TEMPLATES = ("2021", "2019", "pre2019")
EXTENSION = {"docx": ".docx", "html": ".html", "txt": ".txt", "glued": ".txt", "md": ".md", "pdf": ".pdf"}
YEARS = {"2021": range(2021, 2026), "2019": range(2019, 2021), "pre2019": range(2009, 2019)}
OPENING = ("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
           "政府信息公开工作存在的主要问题及改进情况、其他需要报告的事项")

# ---- names -----------------------------------------------------------------------------------------------
# characters that are no administrative suffix and no catalogue word, so a name is read as the agency it is
_NAME_CHARS = "青石柳溪松林桃源云山白沙金竹龙泉凤岭清水安福田兴隆长乐永和同宁远芦花梅坪杨梨茶湾双河桥塘黄岗马鞍丰谷" \
              "湖仁义礼文昌盛荷枫银峰玉环岩樟栗枣碧"
_COUNTY_SUFFIX = ("县", "县", "县", "市", "区")
_TOWN_SUFFIX = ("乡", "乡", "镇", "镇", "街道")


def agency_name(rng: random.Random) -> str:
    """某某县某某乡: a county-level unit and a township under it (never one of the real corpus's names)."""
    county = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(_COUNTY_SUFFIX)
    town = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(_TOWN_SUFFIX)
    return county + town


# ---- the report model ---------------------------------------------------------------------------------------
@dataclass
class SynthReport:
    agency: str
    year: int
    template: str
    values: dict[tuple[str, str], str]  # (metric, column) -> value as printed; "" = blank
    breaks: dict | None = None  # the deliberate break: {"check", "cell", "printed", "consistent"}
    style: dict = field(default_factory=dict)  # rendering choices drawn with the values (pre-2019 row wording …)
    seed: int = 0

    def numbers(self) -> dict[tuple[str, str], str | None]:
        out = {}
        for key, raw in self.values.items():
            out[key] = None if raw == "" else format(Decimal(raw), "f")
        return out

    def failing(self) -> list[dict]:
        """The relations of checks.equations that do not hold in the truth (a blank cell decides nothing)."""
        numbers = self.numbers()
        out = []
        for eq in equations(numbers):
            if any(numbers[c] is None for c in eq.cells):
                continue
            if not eq.holds(numbers):
                out.append({"check": eq.check, "cells": [f"{m}|{c}" for m, c in eq.cells]})
        return out

    def truth(self, file: str, layout: str) -> dict:
        return {"file": file, "layout": layout, "template": self.template, "agency": self.agency, "year": self.year,
                "seed": self.seed, "cells": {f"{m}|{c}": v for (m, c), v in self.values.items()},
                "break": self.breaks, "failing": self.failing()}

    def v(self, metric: str, column: str) -> str:
        return self.values[(metric, column)]


def _count(rng: random.Random, p_zero: float, scale: float) -> int:
    """Mostly small counts, many zeros, a long tail."""
    if rng.random() < p_zero:
        return 0
    return max(1, int(rng.lognormvariate(0, 1.2) * scale))


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    out = [0] * len(weights)
    for _ in range(total):
        out[rng.choices(range(len(weights)), weights)[0]] += 1
    return out


_T3_PARTS_2021 = ["t3.disclosed", "t3.partial"] + [m.id for m in METRICS.values() if m.parent == "t3.withheld"] + \
                 [m.id for m in METRICS.values() if m.parent == "t3.unable"] + \
                 [m.id for m in METRICS.values() if m.parent == "t3.rejected"] + \
                 ["t3.other.no_correction", "t3.other.no_fee", "t3.other.other"]
_T3_PARTS_2019 = [m for m in _T3_PARTS_2021 if not m.startswith("t3.other.")] + ["t3.other"]
_PART_WEIGHTS = {"t3.disclosed": 30, "t3.partial": 8, "t3.unable.not_held": 25, "t3.unable.need_create": 3,
                 "t3.unable.unclear": 3, "t3.other.no_correction": 4, "t3.other.no_fee": 0.3, "t3.other.other": 6,
                 "t3.other": 8, "t3.rejected.petition": 3, "t3.rejected.repeat": 3}
_COLUMN_ACTIVITY = {"natural": (0.0, 1.0), "commercial": (0.55, 0.3), "research": (0.95, 0.05),
                    "public_interest": (0.95, 0.05), "legal": (0.85, 0.1), "other_org": (0.85, 0.1)}


def t3_rows(template: str) -> list[str]:
    parts = _T3_PARTS_2021 if template == "2021" else _T3_PARTS_2019
    return ["t3.new", "t3.carried_over"] + parts + ["t3.total", "t3.carry_forward"]


def _fill_t2(rng, template, values):
    def put(metric, cols):
        for c, v in cols.items():
            values[(metric, c)] = v
    county = rng.random() < 0.5
    if template == "2021":
        rules = ["0", "0", "0"] if county or rng.random() < 0.8 else [str(_count(rng, .5, 2)) for _ in range(3)]
        put("t2.rules", dict(zip(("issued", "repealed", "in_force"), rules)))
        issued, repealed = _count(rng, .4, 3), _count(rng, .7, 2)
        put("t2.normative", {"issued": str(issued), "repealed": str(repealed),
                             "in_force": str(issued + _count(rng, .2, 15))})
        put("t2.licensing", {"decisions": str(_count(rng, .3, 200))})
        put("t2.penalty", {"decisions": str(_count(rng, .3, 60))})
        put("t2.coercion", {"decisions": str(_count(rng, .6, 5))})
        fee = _count(rng, .6, 30)
        put("t2.fees", {"amount": "0" if fee == 0 else
                        rng.choice([str(fee), f"{fee}.{rng.randint(0, 99):02d}", f"{fee}.{rng.randint(1, 9)}"])})
    else:
        made = _count(rng, .5, 3)
        put("t2.rules", {"made": "0", "published": "0", "total_published": "0"} if county or rng.random() < .8 else
            {"made": str(made), "published": str(made), "total_published": str(made + _count(rng, .3, 5))})
        made = _count(rng, .4, 3)
        put("t2.normative", {"made": str(made), "published": str(made), "total_published": str(made + _count(rng, .2, 10))})
        for metric in ("t2.licensing", "t2.other_services", "t2.penalty", "t2.coercion"):
            items = _count(rng, .4, 20)
            change = 0 if rng.random() < .6 else rng.randint(-min(items, 5), 6)
            put(metric, {"prev_items": str(items), "change": str(change), "decisions": str(_count(rng, .35, 50))})
        items = _count(rng, .5, 5)
        put("t2.fees", {"prev_items": str(items), "change": str(0 if rng.random() < .7 else rng.randint(-min(items, 2), 2))})
        amount = _count(rng, .5, 80)
        put("t2.procurement", {"items": str(_count(rng, .5, 8)),
                               "amount": "0" if amount == 0 else f"{amount}.{rng.randint(0, 99):02d}"})


def _fill_t3(rng, template, values, style):
    parts = _T3_PARTS_2021 if template == "2021" else _T3_PARTS_2019
    quiet = rng.random() < 0.3  # many townships receive no request at all
    volume = 0 if quiet else max(1, int(rng.lognormvariate(1.2, 1.3)))
    legal_blank = rng.random() < 0.04  # the five 法人或其他组织 columns left empty (023's page)
    style["legal_blank"] = legal_blank
    weights = [_PART_WEIGHTS.get(p, 0.7) for p in parts]
    by_col: dict[str, dict[str, int]] = {}
    for col in T3_COLUMNS[:-1]:
        p_idle, share = _COLUMN_ACTIVITY[col]
        n = 0 if volume == 0 or (legal_blank and col != "natural") or rng.random() < p_idle else \
            max(1, int(volume * share * rng.uniform(0.3, 1.5)))
        counts = dict(zip(parts, _split(rng, n, weights)))
        total = sum(counts.values())
        forward = 0 if rng.random() < .75 else rng.randint(0, max(1, total // 4))
        carried = 0 if rng.random() < .75 else rng.randint(0, total + forward)
        counts.update({"t3.total": total, "t3.carry_forward": forward, "t3.carried_over": carried,
                       "t3.new": total + forward - carried})
        by_col[col] = counts
    for metric in t3_rows(template):
        for col in T3_COLUMNS[:-1]:
            values[(metric, col)] = "" if legal_blank and col != "natural" else str(by_col[col][metric])
        values[(metric, "total")] = str(sum(by_col[c][metric] for c in T3_COLUMNS[:-1]))


def _fill_t4(rng, values):
    for metric in T4_METRICS:
        busy = rng.random() < 0.3
        parts = [_count(rng, .6, 2) if busy else 0 for _ in range(4)]
        for col, v in zip(T4_COLUMNS, parts + [sum(parts)]):
            values[(metric, col)] = str(v)


# rows of the statistics table before 2019, in two wordings (016/020 of 2011-2012; 014/018/019/021 of 2013 on)
OLD_ROWS_EARLY = [("old.proactive", "主动公开信息数", "条"), ("old.proactive.website", "1.网站公开", "条"),
                  ("old.proactive.gazette", "2.政府公报公开", "条"), ("old.requests", "受理依申请公开信息总数", "条"),
                  ("old.requests.in_person", "1.当面申请数", "条"), ("old.requests.fax", "2.传真申请数", "条"),
                  ("old.requests.email", "3.电子邮件申请数", "条"), ("old.requests.online", "4.网上申请数", "条"),
                  ("old.requests.mail", "5.信函申请数", "条"), ("old.requests.other", "6.其它形式申请数", "条"),
                  ("old.replies", "对申请的答复数", "条"), ("old.replies.granted", "1.同意公开答复数", "条"),
                  ("old.replies.partial", "2.同意部分公开答复数", "条"), ("old.replies.refused", "3.否决公开答复数", "条"),
                  ("old.review", "行政复议数", "条"), ("old.litigation", "行政诉讼数", "条"),
                  ("old.appeal", "行政申诉数", "条")]
OLD_ROWS_LATE = [("old.proactive", "主动公开文件数", "条"), ("old.proactive.website", "1.政府网站公开数", "条"),
                 ("old.proactive.gazette", "2.政府公报公开数", "条"), ("old.requests", "受理依申请公开信息总数", "条"),
                 ("old.requests.in_person", "1.当面申请数", "条"), ("old.requests.online", "2.网上申请数", "条"),
                 ("old.requests.mail_fax", "3.信函、传真申请数", "条"), ("old.replies", "对申请的答复总数", "条"),
                 ("old.replies.granted", "1.同意公开答复数", "条"), ("old.replies.partial", "2.同意部分公开答复数", "条"),
                 ("old.replies.refused", "3.不予公开答复数", "条"), ("old.replies.other", "4.其他类型答复数", "条"),
                 ("old.fee_waiver", "政府信息公开收费减免金额", "元"), ("old.complaints", "接受行政诉讼、举报数", "件"),
                 ("old.review", "行政复议数", "件"), ("old.litigation", "行政诉讼数", "件")]


def old_rows(report: SynthReport) -> list[tuple[str, str, str]]:
    rows = OLD_ROWS_EARLY if report.style.get("old_wording") == "early" else OLD_ROWS_LATE
    if report.style.get("old_numbering") == "、":
        rows = [(m, label.replace(".", "、", 1), unit) for m, label, unit in rows]
    return rows


def _fill_old(rng, values, style, year):
    style["old_wording"] = "early" if year <= 2012 and rng.random() < .8 else "late"
    style["old_numbering"] = rng.choice([".", "、"])
    rows = OLD_ROWS_EARLY if style["old_wording"] == "early" else OLD_ROWS_LATE
    present = [m for m, _, _ in rows]
    years_before = year - 2008

    def pair(this: int, p_prior_zero=.3, scale=1.0) -> tuple[int, int]:
        prior = 0 if rng.random() < p_prior_zero else int(this * rng.uniform(0.5, years_before) * scale) + \
            rng.randint(0, 30)
        return this, this + prior

    unsummed = []
    for parent in ("old.proactive", "old.requests", "old.replies"):
        subs = [m for m in present if METRICS[m].parent == parent]
        if parent == "old.proactive":
            total = _count(rng, .02, 600)
        else:
            total = _count(rng, .55, 6)
        if parent == "old.proactive":
            weights = [0.95, 0.05] + [0.0] * (len(subs) - 2)
        else:
            weights = [1.0] * len(subs)
        parts = _split(rng, total, weights)
        this_total = total
        sums = rng.random() > 0.2  # 其中 rows need not add up (a channel left out of the list)
        if not sums and total > 0:
            cut = rng.randrange(len(parts))
            parts[cut] = 0
            unsummed.append(parent)
        cum_parts = []
        for m, p in zip(subs, parts):
            _, cum = pair(p)
            cum_parts.append(cum)
            values[(m, "this_year")], values[(m, "cumulative")] = str(p), str(cum)
        cum_total = sum(cum_parts) if sums else max([this_total] + cum_parts) + rng.randint(0, 20)
        cum_total = max(cum_total, this_total, *cum_parts)
        values[(parent, "this_year")], values[(parent, "cumulative")] = str(this_total), str(cum_total)
    for m in present:
        if METRICS[m].parent is None and (m, "this_year") not in values:
            this = _count(rng, .85, 1)
            values[(m, "this_year")] = str(this)
            values[(m, "cumulative")] = str(this + (0 if rng.random() < .7 else rng.randint(0, 5)))
    style["unsummed"] = unsummed


def _break(rng, report: SynthReport) -> dict | None:
    """Change one cell so that a relation no longer holds; returns what was done."""
    numbers = report.numbers()
    if report.template == "pre2019":
        rows = [m for m, _, _ in old_rows(report)]
        kind = rng.choice(["cumulative_below_this_year", "part_above_total"])
        if kind == "part_above_total":
            subs = [m for m in rows if METRICS[m].parent]
            m = rng.choice(subs)
            parent = METRICS[m].parent
            col = "this_year"
            new = int(numbers[(parent, col)]) + rng.randint(1, 5)
            old = report.values[(m, col)]
            report.values[(m, col)] = str(new)
            if int(report.values[(m, "cumulative")]) < new:  # keep 累计 ≥ 本年度 so only one relation breaks
                report.values[(m, "cumulative")] = str(new)
            return {"check": kind, "cell": f"{m}|{col}", "printed": str(new), "consistent": old}
        candidates = [m for m in rows if int(numbers[(m, "this_year")]) > 0]
        if not candidates:
            m = rows[0]
            report.values[(m, "this_year")] = str(int(report.values[(m, "cumulative")]) + rng.randint(1, 9))
            return {"check": kind, "cell": f"{m}|this_year", "printed": report.values[(m, "this_year")],
                    "consistent": numbers[(m, "this_year")]}
        m = rng.choice(candidates)
        old = report.values[(m, "cumulative")]
        report.values[(m, "cumulative")] = str(rng.randint(0, int(numbers[(m, "this_year")]) - 1))
        return {"check": kind, "cell": f"{m}|cumulative", "printed": report.values[(m, "cumulative")],
                "consistent": old}
    decidable = [eq for eq in equations(numbers) if all(numbers[c] is not None for c in eq.cells)]
    eq = rng.choice(decidable)
    # change the cell on the total side: a t4 total, a row's 总计, (七)总计 of a column, or 结转下年度
    cell = rng.choice(eq.left if eq.check != "balance" else eq.right)
    old = int(numbers[cell])
    delta = rng.choice([1, 2, 3, 10]) * (1 if old < 2 or rng.random() < .6 else -1)
    if old + delta < 0:  # a count is never printed negative
        delta = -delta
    report.values[cell] = str(old + delta)
    return {"check": eq.check, "cell": f"{cell[0]}|{cell[1]}", "printed": str(old + delta), "consistent": str(old)}


def make_report(seed: int, template: str, agency: str | None = None, year: int | None = None,
                broken: bool | None = None) -> SynthReport:
    """One report, all drawn from `seed`: values that satisfy every relation, and with `broken` (by default one
    report in four) one relation broken on purpose."""
    rng = random.Random(f"{seed}-{template}")
    agency = agency or agency_name(rng)
    year = year or rng.choice(list(YEARS[template]))
    values: dict[tuple[str, str], str] = {}
    style: dict = {}
    if template == "pre2019":
        _fill_old(rng, values, style, year)
    else:
        _fill_t2(rng, template, values)
        _fill_t3(rng, template, values, style)
        _fill_t4(rng, values)
    report = SynthReport(agency, year, template, values, None, style, seed)
    if broken is None:
        broken = rng.random() < 0.25
    if broken:
        report.breaks = _break(rng, report)
    # rendering choices drawn once per report
    style.update(glue_spaces=rng.choices(["none", "some", "all"], [6, 3, 1])[0],
                 page_break_repeat=rng.random() < 0.3, md_style=rng.choice(["A", "B"]),
                 html_br=rng.choice(["br", "p"]), pad=rng.random() < 0.3, rng_state=rng.randrange(1 << 30))
    return report


# ---- table grids (the template's layout with merged cells) ---------------------------------------------------
@dataclass
class C:
    text: str
    cs: int = 1
    rs: int = 1
    header: bool = False
    key: tuple[str, str] | None = None  # the (metric, column) of a value cell


def _vals(report, metric, cols):
    return [C(report.v(metric, c), key=(metric, c)) for c in cols]


def grid_t2(report: SynthReport) -> list[list[C]]:
    H = lambda t, cs=1: C(t, cs, header=True)  # noqa: E731
    if report.template == "2021":
        rows = [[H("第二十条第（一）项", 4)], [H("信息内容"), H("本年制发件数"), H("本年废止件数"), H("现行有效件数")]]
        for m, label in (("t2.rules", "规章"), ("t2.normative", "行政规范性文件")):
            rows.append([H(label)] + _vals(report, m, ("issued", "repealed", "in_force")))
        for item, metrics in (("（五）", [("t2.licensing", "行政许可")]),
                              ("（六）", [("t2.penalty", "行政处罚"), ("t2.coercion", "行政强制")])):
            rows += [[H(f"第二十条第{item}项", 4)], [H("信息内容"), H("本年处理决定数量", 3)]]
            for m, label in metrics:
                rows.append([H(label), C(report.v(m, "decisions"), 3, key=(m, "decisions"))])
        rows += [[H("第二十条第（八）项", 4)], [H("信息内容"), H("本年收费金额（单位：万元）", 3)],
                 [H("行政事业性收费"), C(report.v("t2.fees", "amount"), 3, key=("t2.fees", "amount"))]]
        return rows
    rows = [[H("第二十条第（一）项", 4)], [H("信息内容"), H("本年新制作数量"), H("本年新公开数量"), H("对外公开总数量")]]
    for m, label in (("t2.rules", "规章"), ("t2.normative", "规范性文件")):
        rows.append([H(label)] + _vals(report, m, ("made", "published", "total_published")))
    for item, metrics in (("（五）", [("t2.licensing", "行政许可"), ("t2.other_services", "其他对外管理服务事项")]),
                          ("（六）", [("t2.penalty", "行政处罚"), ("t2.coercion", "行政强制")])):
        rows += [[H(f"第二十条第{item}项", 4)], [H("信息内容"), H("上一年项目数量"), H("本年增/减"), H("处理决定数量")]]
        for m, label in metrics:
            rows.append([H(label)] + _vals(report, m, ("prev_items", "change", "decisions")))
    rows += [[H("第二十条第（八）项", 4)], [H("信息内容"), H("上一年项目数量"), H("本年增/减", 2)],
             [H("行政事业性收费"), C(report.v("t2.fees", "prev_items"), key=("t2.fees", "prev_items")),
              C(report.v("t2.fees", "change"), 2, key=("t2.fees", "change"))],
             [H("第二十条第（九）项", 4)], [H("信息内容"), H("采购项目数量"), H("采购总金额", 2)],
             [H("政府集中采购"), C(report.v("t2.procurement", "items"), key=("t2.procurement", "items")),
              C(report.v("t2.procurement", "amount"), 2, key=("t2.procurement", "amount"))]]
    return rows


T3_LABELS = {"t3.new": "一、本年新收政府信息公开申请数量", "t3.carried_over": "二、上年结转政府信息公开申请数量",
             "t3.disclosed": "（一）予以公开", "t3.partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
             "t3.other": "（六）其他处理", "t3.total": "（七）总计", "t3.carry_forward": "四、结转下年度继续办理"}
GROUP_LABELS = {"t3.withheld": "（三）不予公开", "t3.unable": "（四）无法提供", "t3.rejected": "（五）不予处理",
                "t3.other": "（六）其他处理"}
T3_HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def row_label(metric: str) -> str:
    return T3_LABELS.get(metric) or METRICS[metric].label


def grid_t3(report: SynthReport) -> list[list[C]]:
    H = lambda t, cs=1, rs=1: C(t, cs, rs, header=True)  # noqa: E731
    rows = [[H(T3_HEAD, 3, 3), H("申请人情况", 7)],
            [H("自然人", 1, 2), H("法人或其他组织", 5), H("总计", 1, 2)],
            [H("商业\n企业"), H("科研\n机构"), H("社会公益组织"), H("法律服务机构"), H("其他")]]
    metrics = t3_rows(report.template)
    results = metrics[2:-2]
    for m in metrics:
        cells = _vals(report, m, T3_COLUMNS)
        parent = METRICS[m].parent
        if m in ("t3.new", "t3.carried_over", "t3.carry_forward"):
            rows.append([H(row_label(m), 3)] + cells)
            continue
        lead = [H("三、本年度办理结果", 1, len(results) + 1)] if m == results[0] else []
        if parent:
            siblings = [x for x in results if METRICS[x].parent == parent]
            group = [H(GROUP_LABELS[parent], 1, len(siblings))] if m == siblings[0] else []
            rows.append(lead + group + [H(row_label(m))] + cells)
        else:
            rows.append(lead + [H(row_label(m), 2)] + cells)
    return rows


def grid_t4(report: SynthReport) -> list[list[C]]:
    H = lambda t, cs=1, rs=1: C(t, cs, rs, header=True)  # noqa: E731
    heads = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    rows = [[H("行政复议", 5), H("行政诉讼", 10)],
            [H(h.replace("\n", "") if i == 0 else h, 1, 2) for i, h in enumerate(heads)] +
            [H("未经复议直接起诉", 5), H("复议后起诉", 5)],
            [H(h) for h in heads] * 2]
    rows.append([c for m in T4_METRICS for c in _vals(report, m, T4_COLUMNS)])
    return rows


def grid_old(report: SynthReport) -> list[list[C]]:
    H = lambda t, cs=1: C(t, cs, header=True)  # noqa: E731
    rows = [[H("指标名称"), H("计量单位"), H(f"{report.year}年度"), H("历年累计")]]
    first_sub = set()
    for m, label, unit in old_rows(report):
        parent = METRICS[m].parent
        if parent and parent not in first_sub:
            first_sub.add(parent)
            label = "其中：" + label
        rows.append([H(label), H(unit)] + _vals(report, m, ("this_year", "cumulative")))
    return rows


def tables_of(report: SynthReport) -> list[tuple[str, list[list[C]]]]:
    """(heading, grid) of each table in report order."""
    if report.template == "pre2019":
        return [("六、政府信息公开情况统计表", grid_old(report))]
    return [("二、主动公开政府信息情况", grid_t2(report)), ("三、收到和处理政府信息公开申请情况", grid_t3(report)),
            ("四、政府信息公开行政复议、行政诉讼情况", grid_t4(report))]


def occupancy(grid: list[list[C]]) -> list[list[tuple[C, bool, bool]]]:
    """The grid expanded to its columns: (cell, is_origin, is_vertical_continuation) at every position."""
    width = sum(c.cs for c in grid[0])
    out: list[list] = [[None] * width for _ in grid]
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while out[r][col] is not None:
                col += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    out[r + dr][col + dc] = (cell, dr == 0 and dc == 0, dr > 0)
            col += cell.cs
    return out


def logical_rows(grid: list[list[C]]) -> list[list[tuple[C, bool]]]:
    """Per row, the distinct cells in order as a .docx row holds them: (cell, vertical continuation)."""
    out = []
    for row in occupancy(grid):
        cells, last = [], None
        for cell, origin, cont in row:
            if cell is last:
                continue
            last = cell
            cells.append((cell, cont))
        out.append(cells)
    return out


# ---- prose -------------------------------------------------------------------------------------------------
def prose(report: SynthReport) -> list[tuple[str, str]]:
    """(kind, text) blocks: title lines, paragraphs, headings; tables marked ("table", index)."""
    rng = random.Random(report.seed * 7 + 1)
    a, y = report.agency, report.year
    short = "我" + ("乡" if a.endswith("乡") else "镇" if a.endswith("镇") else "街道" if a.endswith("街道") else "单位")
    if report.template == "pre2019":
        basis = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求"
        opening = (f"{basis}，特向社会公布{y}年度本单位政府信息公开年度报告。全文包括概述、主动公开政府信息情况、"
                   f"依申请公开政府信息情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议、提起行政诉讼的情况、"
                   f"政府信息公开工作存在的主要问题及改进措施等。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。")
        blocks = [("title", f"{a}{y}年政府信息公开工作年度报告"), ("p", opening), ("h", "一、概述"),
                  ("p", f"{y}年，{short}认真贯彻落实《条例》，进一步完善工作机制，拓宽公开渠道，规范操作流程。"),
                  ("h", "二、主动公开政府信息情况"), ("p", _old_proactive_prose(report, rng)),
                  ("h", "三、依申请公开政府信息情况"), ("p", _old_requests_prose(report, rng)),
                  ("h", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"), ("p", "本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"),
                  ("h", "五、主要问题和改进措施"), ("p", "信息公开的及时性和全面性有待提高，下一步将加强队伍建设，提升业务素质。"),
                  ("table", 0)]
        return blocks
    doc_no = "国办公开办函〔2021〕30号" if report.template == "2021" else "国办公开办函〔2019〕60号"
    new = report.v("t3.new", "total")
    blocks = [("title", f"{a}{y}年政府信息公开工作年度报告"),
              ("p", f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
                    f"（{doc_no}）要求编制。"),
              ("p", OPENING + "。"),
              ("p", f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"),
              ("h", "一、总体情况"),
              ("p", f"{y}年，{short}坚持以人民为中心，认真贯彻落实《条例》，扎实推进政务公开标准化规范化建设。"),
              ("h2", "（一）主动公开"),
              ("p", rng.choice(["严格落实“三审三校”审核制度，及时更新公开栏目内容。", "持续做好重点领域信息公开，回应社会关切。"])
                    + _normative_prose(report, rng)),
              ("h2", "（二）依申请公开"),
              ("p", f"全年新收政府信息公开申请{new}件，均在法定期限内答复。" if new not in ("0", "") else
                    "本年度未收到政府信息公开申请。"),
              ("h2", "（三）政府信息管理"), ("p", "规范信息发布流程，落实保密审查机制。"),
              ("h2", "（四）政府信息公开平台建设"), ("p", "加强政府网站信息公开专栏的日常维护。"),
              ("h2", "（五）监督保障"), ("p", "将政务公开工作纳入年度考核，定期开展业务培训。"),
              ("h", "二、主动公开政府信息情况"), ("table", 0),
              ("h", "三、收到和处理政府信息公开申请情况"), ("table", 1),
              ("h", "四、政府信息公开行政复议、行政诉讼情况"), ("table", 2),
              ("h", "五、政府信息公开工作存在的主要问题及改进情况"),
              ("p", "存在的主要问题：政策解读形式不够多样。改进措施：丰富图文解读、视频解读等形式。"),
              ("h", "六、其他需要报告的事项"), ("p", "本年度未收取信息处理费。")]
    return blocks


# The prose of the statistics-table reports, in the forms the six real ones use (../shared/corpus/real 015, 016,
# 018, 019, 020, 021): every one states the year's 主动公开 total ("2014年主动公开政府信息 2543条"), most split it
# by who published it (区直各部门 / 各乡镇: no row of the table, a figure that must not be taken for one); the
# requests and replies are stated with their 其中 breakdown in one (020), as a bare count in others.
def _old_proactive_prose(report: SynthReport, rng: random.Random) -> str:
    total = report.v("old.proactive", "this_year")
    text = f"{report.year}年主动公开政府信息{total}条。"
    if rng.random() < 0.6 and int(total) > 1:
        part = rng.randint(1, int(total) - 1)
        text += f"其中，各部门主动公开政府信息{part}条，各乡镇主动公开政府信息{int(total) - part}条。"
    return text + "主要通过政府门户网站、公开栏、便民服务中心等形式公开政府信息。"


def _old_requests_prose(report: SynthReport, rng: random.Random) -> str:
    rows = dict((m, label) for m, label, _ in old_rows(report))
    requests = report.v("old.requests", "this_year")
    if rng.random() < 0.5:
        return f"全年受理政府信息公开申请{requests}件。"
    text = f"{report.year}年共收到有关政府信息公开的申请{requests}条"
    if rng.random() < 0.5:
        parts = [f"{rows[m][2:]}{report.v(m, 'this_year')}条" for m in rows
                 if METRICS[m].parent == "old.requests" and report.v(m, "this_year") not in ("0", "")]
        text += "，其中" + "，".join(parts) if parts else ""
    text += "。"
    if rng.random() < 0.5:
        replies = report.v("old.replies", "this_year")
        text += f"对依申请公开的答复总数{replies}条"
        parts = [f"{rows[m][2:]}{report.v(m, 'this_year')}条" for m in rows
                 if METRICS[m].parent == "old.replies" and report.v(m, "this_year") not in ("0", "")]
        text += ("，其中" + "，".join(parts) if parts else "") + "。"
    return text


# 规范性文件 in the prose of a report on the national template, as four of the eleven real ones state them
# (007, 010, 012: "设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件";
# "已宣布废止规范性文件5件"; 006 "主动公开…行政规范性文件 34 件"); the rest say nothing of them
def _normative_prose(report: SynthReport, rng: random.Random) -> str:
    if rng.random() >= 0.35:
        return ""
    if report.template == "2019":
        made = report.v("t2.normative", "made")
        return f"本年度制发规范性文件{made}件。" if made != "0" else ""
    said = []
    if report.v("t2.normative", "in_force") != "0" and rng.random() < 0.7:
        said.append(f"集中公开现行有效行政规范性文件{report.v('t2.normative', 'in_force')}件")
    if report.v("t2.normative", "issued") != "0":
        said.append(f"动态更新本年度制发的规范性文件{report.v('t2.normative', 'issued')}件")
    if report.v("t2.normative", "repealed") != "0" and rng.random() < 0.5:
        said.append(f"已宣布废止规范性文件{report.v('t2.normative', 'repealed')}件")
    return "设立规范性文件库，" + "，".join(said) + "。" if said else ""


def _pad(rng: random.Random, text: str, style: dict) -> str:
    """The fill characters a filled-in template leaves behind a value (0\\u3000, 0\\xa0)."""
    if style.get("pad") and text and rng.random() < 0.15:
        return text + rng.choice(["\u3000", "\xa0", " "])
    return text


# ---- layouts -----------------------------------------------------------------------------------------------
def render_txt(report: SynthReport) -> str:
    """Cell-per-line export of a .docx, as corpus/*.txt."""
    rng = random.Random(report.style["rng_state"])
    tables = tables_of(report)
    out: list[str] = []
    for kind, text in prose(report):
        if kind == "title":
            cut = text.index("年度报告")
            out += [text[:cut], text[cut:]]
        elif kind == "table":
            for row in logical_rows(tables[text][1]):
                for cell, cont in row:
                    value = "" if cont else _pad(rng, cell.text, report.style)
                    out.append("\t" + value)  # a wrapped header label goes on with a line of its own
                out.append("")
            out.append("")
        else:
            out.append(text)
    return "\n".join(out) + "\n"


def _glue_row(rng, row: list[C], spaces: str) -> str:
    texts = [c.text.replace("\n", "") for c in row]
    out = ""
    for i, t in enumerate(texts):
        if i and spaces != "none" and row[i].key and (spaces == "all" or rng.random() < 0.3):
            out += " "
        elif i and spaces == "all":
            out += " "
        out += t
    return out


def render_glued(report: SynthReport) -> str:
    """A scraped web page's text: header block, then the body on one line with the tables glued in."""
    rng = random.Random(report.style["rng_state"] + 1)
    spaces = report.style["glue_spaces"]
    tables = tables_of(report)
    title = f"{report.agency}{report.year}年度政府信息公开工作年度报告"
    header = [f"标题: {title}", f"发布时间: {report.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} 15:34", "文号: ",
              f"发布机构: {report.agency}人民政府" if not report.agency.endswith("街道") else f"发布机构: {report.agency}办事处",
              "栏目: 政府信息公开年报", f"原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/{report.year + 1}01/t_{rng.randint(10000, 99999)}.htm",
              f"本地目录: zwgk/zfxxgknb/{report.year + 1}01/{rng.randint(10000, 99999)}_{title}",
              "页面链接与图片详见 links.tsv(同目录)", "==================== 正文 ===================="]
    body = []
    for kind, text in prose(report):
        if kind == "title":
            if rng.random() < 0.5:
                body.append(text.replace("年政府", "年政府") + " ")
        elif kind == "table":
            grid = tables[text][1]
            parts = []
            for r, row in enumerate(grid):
                cells = [c for c in row]
                line = _glue_row(rng, cells, spaces)
                if report.style["page_break_repeat"] and cells and cells[0].key is None and \
                        row_label_text(row).startswith("（四）无法提供"):
                    line = "三、本年度办理结果" + line
                parts.append(line)
            body.append(("" if spaces == "none" else " ").join(parts) + (" " if rng.random() < 0.5 else ""))
        elif kind == "h":
            body.append(text if rng.random() < 0.7 else f" {text} ")
        else:
            body.append(text)
    return "\n".join(header) + "\n" + "".join(body) + "\n"


def row_label_text(row: list[C]) -> str:
    return "".join(c.text for c in row if c.key is None)


def _html_cell(cell: C, style: str) -> str:
    attrs = (f' colspan="{cell.cs}"' if cell.cs > 1 else "") + (f' rowspan="{cell.rs}"' if cell.rs > 1 else "")
    text = cell.text
    if "\n" in text:
        a, b = text.split("\n", 1)
        inner = f"<p>{a}<br/>{b}</p>" if style == "br" else f"<p>{a}</p><p>{b}</p>"
    elif text == "":
        inner = "<p>&nbsp;</p>" if style == "br" else ""
    else:
        inner = f"<p>{text}</p>"
    return f'<td{attrs} valign="center" style="border:1px solid windowtext;padding:5px">{inner}</td>'


def render_html(report: SynthReport) -> str:
    tables = tables_of(report)
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    nav = ("<div class=\"header\"><div class=\"top\"><a href=\"/\">首页</a> | <a href=\"/zwgk\">政务公开</a> | "
           "<a href=\"/bsfw\">办事服务</a> | <a href=\"/hdjl\">互动交流</a> | <a href=\"/wzdt\">网站地图</a></div>"
           f"<div class=\"logo\"><h2>{report.agency}人民政府</h2></div></div>"
           "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a> &gt; "
           "政府信息公开年报</div>")
    body = []
    for kind, text in prose(report):
        if kind == "title":
            continue
        if kind == "table":
            rows = "".join("<tr>" + "".join(_html_cell(c, report.style["html_br"]) for c in row) + "</tr>"
                           for row in tables[text][1])
            body.append(f'<table cellspacing="0" align="center" border="1" style="border-collapse:collapse">'
                        f"<tbody>{rows}</tbody></table>")
        elif kind in ("h", "h2"):
            body.append(f'<p style="text-indent: 2em;"><strong>{text}</strong></p>')
        else:
            body.append(f'<p style="text-indent: 2em;">{text}</p>')
    footer = ("<div class=\"footer\"><p>主办单位：" + report.agency + "人民政府　 网站标识码：3600000000</p>"
              "<p><a href=\"/wzdt\">网站地图</a> | <a href=\"/lxwm\">联系我们</a></p></div>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>"
            f"<meta name=\"ArticleTitle\" content=\"{title}\"/><title>{title}_政府信息公开年报_{report.agency}人民政府"
            f"</title></head><body>{nav}<div class=\"article\"><h1 class=\"article-title\">{title}</h1>"
            f"<div class=\"info\">发布时间：{report.year + 1}-01-20　来源：{report.agency}</div>"
            f"<div class=\"TRS_Editor\">{''.join(body)}</div></div>{footer}</body></html>\n")


# markdown: broken PDF conversions
def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render_md(report: SynthReport) -> str:
    rng = random.Random(report.style["rng_state"] + 2)
    style = report.style["md_style"]
    tables = tables_of(report)
    lines: list[str] = []
    for kind, text in prose(report):
        if kind == "title":
            lines += [f"# {text}" if style == "A" else text, ""]
        elif kind == "h":
            lines += [f"## {text}" if style == "A" else text, ""]
        elif kind == "h2":
            lines += [f"### {text}" if style == "A" else text, ""]
        elif kind == "p":
            lines += [text, ""]
        else:
            heading, grid = tables[text]
            lines += (_md_style_a if style == "A" else _md_style_b)(report, heading, grid, rng) + [""]
    return "\n".join(lines) + "\n"


def _md_style_a(report, heading, grid, rng) -> list[str]:
    """004: a table per 表二 item, a table per 表三 row group with generic 数据1… headers, 表四 as three tables."""
    out: list[str] = []
    if report.template == "pre2019":
        body = [[c.text.replace("\n", "") for c in row] for row in grid[1:]]
        return _md_table([c.text for c in grid[0]], body)
    if heading.startswith("二"):
        section = None
        for row in grid:
            if len(row) == 1:
                section = row[0].text
                out += ["", f"### {section}"]
            elif row[0].text == "信息内容":
                header = [c.text for c in row for _ in range(1 if c.cs == 1 or report.template == "2021" else c.cs)]
                header = [c.text for c in row]
                out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            else:
                out.append("| " + " | ".join(c.text for c in row) + " |")
        return out
    if heading.startswith("四"):
        vals = [c.text for c in grid[3]]
        for i, name in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
            out += ["", f"### {name}"] + _md_table(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                                                   [vals[5 * i:5 * i + 5]])
        return out
    out += ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "",
            "### 申请人情况 (自然人)"] + _md_table(["(数据项目)", "数量"], [["-", "-"]])
    out += ["", "### 申请人情况 (法人或其他组织)"] + _md_table(["商业企业", "科研机构", "社会公益", "法律服务机构", "其他"],
                                                      [["-"] * 5])
    generic = ["类别"] + [f"数据{i}" for i in range(1, 7)] + ["总计"]
    groups: list[tuple[str, list[str]]] = []
    for m in t3_rows(report.template):
        parent = METRICS[m].parent
        title = GROUP_LABELS[parent] if parent else row_label(m)
        if groups and groups[-1][0] == title:
            groups[-1][1].append(m)
        else:
            groups.append((title, [m]))
    for title, metrics in groups:
        out += ["", f"### {title}"]
        rows = [[row_label(m).lstrip("一二四、").replace("（七）", "（七）")] + [report.v(m, c) for c in T3_COLUMNS]
                for m in metrics]
        if len(metrics) == 3 and rng.random() < 0.3:  # the table cut by a page: a junk header over the rest
            out += _md_table(generic, rows[:1]) + [""]
            out += _md_table(["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"], rows[1:])
        else:
            out += _md_table(generic, rows)
    return out


def _md_style_b(report, heading, grid, rng) -> list[str]:
    """006: 表二 rows as text lines, tables split under repeated ## 表三 headings, a group cell pushing a row one
    cell right, a label lost into the text above its values, trailing empty cells."""
    out: list[str] = []
    if report.template == "pre2019":
        body = [[c.text.replace("\n", "") for c in row] for row in grid[1:]]
        return ["## 政府信息公开情况统计表"] + _md_table([c.text for c in grid[0]], body)
    if heading.startswith("二"):
        for row in grid:
            if len(row) == 1:
                out.append(row[0].text)
            elif row[0].text == "信息内容":
                out.append("".join(c.text for c in row))
            else:
                out.append(f"{row[0].text} " + " ".join(c.text for c in row[1:]))
        return out
    if heading.startswith("四"):
        out += ["行政复议行政诉讼", "未经复议直接起诉复议后起诉", "结果结果其他尚未", "总计结果结果其他尚未结果结果其他尚未",
                "维持纠正结果审结维持纠正结果审结"]
        out += _md_table(["维持", "纠正", "结果", "审结", "总计", "总计"], [[c.text for c in grid[3]]])
        return out
    out += ["申请人情况", "法人或其他组织", "（本列数据的勾稽关系为：第一项加第二项之和，", "社会法律", "公益服务其他", "企业机构",
            "组织机构", "## 表三：收到和处理政府信息公开申请情况",
            "| 等于第三项加第四项之和） | 自然人 | 商业 | 科研 | 总计 |", "|---|---|---|---|---|"]
    in_table = False
    for m in t3_rows(report.template):
        vals = [report.v(m, c) for c in T3_COLUMNS]
        label = row_label(m)
        parent = METRICS[m].parent
        r = rng.random()
        if r < 0.06 and m not in ("t3.new", "t3.total"):
            # the label falls out of the table into the text (a wrapped cell), the values stay as a row
            out += ["", label[:14], label[14:]] if len(label) > 14 else ["", label]
            out += ["| " + " | ".join(vals) + " |", "|" + "---|" * len(vals)]
            in_table = True
            continue
        if r < 0.12 and parent:
            # the group's merged cell printed into this row, pushing it one cell right
            group = GROUP_LABELS[parent]
            out.append(f"| {group[:4]} | {label} | " + " | ".join(vals) + " |")
            in_table = True
            continue
        if r < 0.18 and not in_table:
            out += ["## 表三：收到和处理政府信息公开申请情况"]
        if not in_table or r < 0.18:
            out += ["| " + label + " | " + " | ".join(vals) + " |", "|" + "---|" * 8]
            in_table = True
            continue
        tail = " |  |" if rng.random() < 0.15 else " |"
        out.append(f"| {label} | " + " | ".join(vals) + tail)
    return out


def render_docx(report: SynthReport, path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    rng = random.Random(report.style["rng_state"] + 3)
    document = docx.Document(str(TEMPLATE_DOCX))
    body = document.element.body
    paragraphs = document.paragraphs
    tables = document.tables
    # title
    title_par = next(p for p in paragraphs if "格式模板" in p.text)
    _set_par(title_par, f"{report.agency}{report.year}年政府信息公开工作年度报告")
    # drop the template's own text and tables; rebuild the body in report order, keeping the template's tables
    # (their merged cells) for the 2021 template
    keep = {id(title_par._p)}
    template_tables = [t._tbl for t in tables]
    for child in list(body):
        if child.tag == qn("w:sectPr") or id(child) in keep:
            continue
        body.remove(child)
    sect = body.find(qn("w:sectPr"))
    grids = tables_of(report)
    for kind, text in prose(report):
        if kind == "title":
            continue
        if kind == "table":
            heading, grid = grids[text]
            if report.template == "2021":
                tbl = template_tables[text]
                _fill_template_table(report, tbl, grid, rng)
                sect.addprevious(tbl)
            else:
                table = document.add_table(rows=len(grid), cols=sum(c.cs for c in grid[0]))
                table.style = "Table Grid" if "Table Grid" in [s.name for s in document.styles] else None
                _fill_new_table(report, table, grid, rng)
                sect.addprevious(table._tbl)
            sect.addprevious(document.add_paragraph("")._p)
        else:
            par = document.add_paragraph(text)
            sect.addprevious(par._p)
    document.core_properties.title = ""
    document.save(str(path))


def _set_par(par, text: str) -> None:
    runs = par.runs
    if runs:
        runs[0].text = text
        for r in runs[1:]:
            r.text = ""
    else:
        par.add_run(text)


def _set_cell(cell, text: str) -> None:
    pars = cell.paragraphs
    lines = text.split("\n")
    _set_par(pars[0], lines[0])
    for extra in pars[1:]:
        extra._p.getparent().remove(extra._p)
    for line in lines[1:]:
        cell.add_paragraph(line)


def _fill_template_table(report, tbl, grid, rng) -> None:
    """Write the values into the template table's value cells (their positions from our grid model)."""
    from docx.table import Table
    table = Table(tbl, None)
    width = len(table.columns)
    cells = table._cells  # computed once: Table.cell() recomputes the whole grid at every call
    for r, row in enumerate(occupancy(grid)):
        for c, (cell, origin, cont) in enumerate(row):
            if cell.key and origin:
                _set_cell(cells[r * width + c], _pad(rng, cell.text, report.style))


def _fill_new_table(report, table, grid, rng) -> None:
    occ = occupancy(grid)
    for r, row in enumerate(occ):
        for c, (cell, origin, cont) in enumerate(row):
            if origin and (cell.cs > 1 or cell.rs > 1):
                table.cell(r, c).merge(table.cell(r + cell.rs - 1, c + cell.cs - 1))
    width = len(occ[0])
    cells = table._cells
    for r, row in enumerate(occ):
        for c, (cell, origin, cont) in enumerate(row):
            if origin:
                _set_cell(cells[r * width + c], _pad(rng, cell.text, report.style) if cell.key else cell.text)


_PDF_FONT = "STSong-Light"


def render_pdf(report: SynthReport, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    body = ParagraphStyle("body", fontName=_PDF_FONT, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, fontSize=12)
    title = ParagraphStyle("title", parent=body, firstLineIndent=0, fontSize=16, leading=24, alignment=1)
    cell_style = ParagraphStyle("cell", fontName=_PDF_FONT, fontSize=7.5, leading=9.5, wordWrap="CJK", alignment=1)
    story = []
    grids = tables_of(report)
    width = A4[0] - 40 * mm
    for kind, text in prose(report):
        if kind == "title":
            story += [Paragraph(text, title), Spacer(1, 6)]
        elif kind in ("h", "h2"):
            story.append(Paragraph(text, head))
        elif kind == "p":
            story.append(Paragraph(text, body))
        else:
            heading, grid = grids[text]
            occ = occupancy(grid)
            n = len(occ[0])
            data, spans = [], []
            for r, row in enumerate(occ):
                line = []
                for c, (cell, origin, cont) in enumerate(row):
                    if not origin:
                        line.append("")
                        continue
                    line.append(cell.text if cell.key else Paragraph(cell.text.replace("\n", "<br/>"), cell_style))
                    if cell.cs > 1 or cell.rs > 1:
                        spans.append(("SPAN", (c, r), (c + cell.cs - 1, r + cell.rs - 1)))
                data.append(line)
            if n == 10:
                widths = [14 * mm, 16 * mm, 46 * mm] + [(width - 76 * mm) / 7] * 7
            elif n == 4 and report.template == "pre2019":
                widths = [70 * mm, 20 * mm, 30 * mm, 30 * mm]
            else:
                widths = [width / n] * n
            t = Table(data, colWidths=widths, repeatRows=0)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), _PDF_FONT), ("FONTSIZE", (0, 0), (-1, -1), 8),
                                   ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
                                  + spans))
            story += [t, Spacer(1, 8)]

    def footer(canvas, doc):
        canvas.setFont(_PDF_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
                      bottomMargin=22 * mm, title="").build(story, onFirstPage=footer, onLaterPages=footer)


def file_name(report: SynthReport, layout: str, index: int) -> str:
    """No agency in the name: a report must be recognised from its own title, as real files are."""
    return f"{index:05d}_{layout}_{report.template}{EXTENSION[layout]}"


def write_report(report: SynthReport, layout: str, folder: Path, index: int = 0) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(report, layout, index)
    if layout == "docx":
        render_docx(report, path)
    elif layout == "pdf":
        render_pdf(report, path)
    else:
        text = {"html": render_html, "txt": render_txt, "glued": render_glued, "md": render_md}[layout](report)
        path.write_text(text, encoding="utf-8")
    return path


def generate(out: Path, n: int, seed: int, layouts=LAYOUTS, templates=TEMPLATES, progress=None) -> list[dict]:
    """n reports per layout × template, each agency distinct; writes the files and truth.jsonl; returns the
    truth records."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records, names = [], set()
    index = 0
    for layout in layouts:
        for template in templates:
            for k in range(n):
                s = seed * 1_000_003 + index
                report = make_report(s, template)
                bump = 0
                while report.agency in names:  # distinct agencies within one run
                    bump += 1
                    report = make_report(s + bump * 7919, template)
                names.add(report.agency)
                path = write_report(report, layout, out, index)
                records.append(report.truth(path.name, layout))
                index += 1
                if progress:
                    progress(index)
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--n", type=int, default=5, help="reports per layout × template")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS), choices=LAYOUTS)
    parser.add_argument("--templates", nargs="+", default=list(TEMPLATES), choices=TEMPLATES)
    args = parser.parse_args()
    if "docx" in args.layouts and not TEMPLATE_DOCX.exists():
        parser.error(f"the template .docx is absent: {TEMPLATE_DOCX}")
    records = generate(Path(args.out), args.n, args.seed, args.layouts, args.templates)
    print(f"{len(records)} reports and truth.jsonl written to {args.out}")


if __name__ == "__main__":
    main()
