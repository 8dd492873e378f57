"""Read a question into a structured query: agencies, year, metrics, column.

The vocabulary is the metric catalogue's (`index.catalogue`); agency names and short forms are the store's.
Built to grow (follow-ups, comparisons, trends come later): parsing only says what the question names and
never looks values up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.catalogue import (COLUMN_GROUP_SYNONYMS, COLUMN_GROUPS, COLUMNS, GENERIC_REQUEST_WORDS, GROUP_SYNONYMS,
                             GROUPS, METRICS, OLD_EQUIVALENTS, in_group, rows_of)
from index.metadata import place_names
from index.normalize import compact
from index.store import Report

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_SHORT = re.compile(r"(?<!\d)(\d{2})\s*年")
_YEAR_CN = re.compile(r"([〇零○一二三四五六七八九]{4})年")
# an agency-looking name in a question (for saying "not in the store" rather than guessing another agency)
_AGENCY_WORD = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|乡|镇|街道|局|委员会|委|厅|办公室|办|政府|管委会)")
_NOT_AGENCY = ("收到", "申请", "公开", "行政", "复议", "诉讼", "处理", "办理", "结转", "多少", "几", "哪",
               "我区", "本区", "我县", "本县", "我乡", "本乡", "我市", "本市", "我镇", "本镇", "该区", "该县", "该单位",
               "本单位", "本机关", "它", "其")

@dataclass
class Query:
    text: str
    year: int | None = None
    agencies: list[str] = field(default_factory=list)  # agency names as stored
    agency_mention: str = ""  # the words of the question that named it
    fuzzy_agency: bool = False  # matched with one character different (沭阳 ~ 沐阳)
    unknown_agency: str = ""  # an agency-looking name that matches nothing stored
    department_of: list[str] = field(default_factory=list)  # the held place of that unit (平潭区财政金融局: 平潭's)
    metrics: list[str] = field(default_factory=list)
    column: str | None = None
    column_named: bool = False
    years: list[int] = field(default_factory=list)  # every year named, in order (a range expanded)
    relative_year: int | None = None  # 去年 = -1, 前年 = -2, 今年 = 0: relative to the agency's newest report
    recent_years: int | None = None  # 近三年 = 3; 历年 / 近几年 = 0 (all stored years)
    since_year: int | None = None  # 2019年以来 = 2019: every stored year from it on
    agency_groups: list[list[str]] = field(default_factory=list)  # each agency named, in order
    intent: str = "lookup"  # lookup / compare / change / trend / rank / share / sum / difference / ratio
    group_named: bool = False  # the question named a group of rows (不予公开, 无法提供 …)
    metric_mentions: list[tuple[int, str]] = field(default_factory=list)  # (position, metric) of each row named
    share_of: tuple[str, str] | None = None  # (part row, whole row) named around 占: "予以公开占办理结果总计"
    reading_note: str = ""  # how the question was read, said before the answer (a relative year resolved)
    contact_kinds: list[str] = field(default_factory=list)  # contact facts asked (phone, address …: index.contacts)
    yes_no: bool = False  # 有没有 / 是否 / …吗: answered 有 or 没有 before the figure
    asks_if_any: bool = False  # a yes/no question whether there were any (有没有被起诉过), not about a property
    asks_who: bool = False  # 是谁 / 叫什么名字: a person, which no figure answers
    english: bool = False  # asked in English (assistant.english): the row is named in English too
    rows_joined: bool = False  # rows named together (予以公开和部分公开): each answered, or their sum when asked
    columns: list[str] = field(default_factory=list)  # columns named together (自然人和商业企业), `column` the first
    sets_aside: bool = False  # 除了…以外 / 不包括: the columns set aside are left out (`columns`: the rest)
    part_of_year: bool = False  # 上半年, 第一季度, 12月, 平均每月: a part of the year no annual table counts
    column_lacking: str | None = None  # a 表二 column the row asked does not have (行政许可的现行有效件数)
    negated: bool = False  # 没有予以公开的, 不是自然人的: a row or column denied
    subset: bool = False  # 已审结的, 前三项, 超过5件的: a part of a row that no cell counts
    set_against: bool = False  # 比…多几件 / 几倍 / 差额 asked of one report (`pair`: the two figures, when named)
    pair: tuple[str, str, str] | None = None  # ("rows" | "columns", a, b): two things of one report set against
    # each other (予以公开比部分公开多几件, 自然人是商业企业的几倍): intent "difference" or "ratio"


def simplified(text: str) -> str:
    """Traditional characters made simplified (淮安市洪澤區 → 淮安市洪泽区), the text otherwise as it is."""
    import zhconv
    return zhconv.convert(text, "zh-cn")


def normalise_question(text: str) -> str:
    """Full-width folded, spaces dropped, traditional characters made simplified."""
    return simplified(compact(text))


_MOVED_TO = re.compile(r"(拖到|转到|转入|结转至|结转到|留到|延到|挪到|推到|放到|顺延至|顺延到|带到)$")
_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:[-—–~～至到]|－)\s*((?:19|20)?\d{2})\s*年")
_RELATIVE = (("前年", -2), ("去年", -1), ("上一年", -1), ("今年", 0))
_RECENT = re.compile(r"近([两二三四五六七八九十2-9])年|近几年|历年|每年|逐年|这几年|各年")
CUMULATIVE = "历年累计"  # the old tables' column: its 历年 does not ask for a trend
_CN_NUMBER = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
INTENT_WORDS = {
    "share": ("占比", "比例", "比重", "百分之", "占了", "占", "维持率", "纠错率", "纠正率", "公开率", "率"),
    "rank": ("哪个单位", "哪个机关", "哪家", "哪个部门", "哪些单位", "各单位", "谁最", "最多", "最少", "最高", "最低",
             "排名", "排行", "排序", "排个序"),
    "trend": ("趋势", "变化情况", "历年", "逐年", "每年", "近几年", "这几年", "各年"),
    "change": ("增加", "减少", "增长", "下降", "多了", "少了", "变化", "同比", "增减", "涨了", "降了", "比上年",
               "比去年", "差多少", "差了", "倍"),
    "compare": ("对比", "相比", "比较", "谁多", "谁少", "哪个多", "哪个少", "差多少", "和", "跟", "与"),
    "sum": ("一共", "合计", "总共", "加起来", "之和", "总数", "共计"),
}


def parse_years(text: str) -> list[int]:
    """Every year the question names, in order: 2023, 23年, 二〇二三年, and ranges 2022—2024年 expanded."""
    found: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        start, end = int(m.group(1)), int(m.group(2))
        if end < 100:
            end += 2000
        if start <= end <= start + 30:
            found.extend((m.start(), y) for y in range(start, end + 1))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for m in _YEAR_CN.finditer(text):
        found.append((m.start(), int("".join(_CN_DIGITS[ch] for ch in m.group(1)))))
    for m in _YEAR_FULL.finditer(text):
        found.append((m.start(), int(m.group(1))))
    for m in _YEAR_SHORT.finditer(text):
        if not _YEAR_FULL.match(text, max(0, m.start() - 2)):
            found.append((m.start(), 2000 + int(m.group(1))))
    # "拖到26年去办", "结转至2026年": the year something moves to, not a year asked about
    found = [(at, y) for at, y in found if not _MOVED_TO.search(text[max(0, at - 3):at])]
    years: list[int] = []
    for _, year in sorted(found):
        if year not in years:
            years.append(year)
    return years


def parse_relative(text: str) -> tuple[int | None, int | None]:
    """(relative year, recent years): 去年 → (-1, None); 近三年 → (None, 3); 历年 → (None, 0)."""
    relative = next((offset for word, offset in _RELATIVE if word in text), None)
    m = _RECENT.search(text.replace(CUMULATIVE, ""))
    recent = None
    if m:
        n = m.group(1)
        recent = (int(n) if n.isdigit() else _CN_NUMBER[n]) if n else 0
    return relative, recent


_SINCE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:以来|至今|到现在|到今天|起至今|之后|以后)")
_WHICH_YEAR = ("哪年", "哪一年", "哪个年", "谁多", "谁少", "哪个多", "哪个少", "多还是少")


def parse_since(text: str) -> int | None:
    m = _SINCE.search(text)
    return int(m.group(1)) if m else None


def compares_two_years(query: "Query") -> bool:
    """"2018年比2017年增加了多少", "2023年和2024年哪年多": two years of one figure set side by side."""
    text = normalise_question(query.text).replace(CUMULATIVE, "累计")
    return len(query.years) == 2 and (any(w in text for w in INTENT_WORDS["change"] + _WHICH_YEAR) or "比" in text)


_TWO_QUESTIONS = re.compile(r"(?:多少|几)[^，,；;]*[，,；;]")
_TWO_YEARS_JOINED = re.compile(r"(?<!\d)(?:19|20)?\d{2}年?(?:和|与|及|以及|、|跟|还有|或)(?:19|20)?\d{2}年")


# "村（居）务公开这一类占了多少条": a count of the part, not its share
COUNT_OF_A_PART = re.compile(r"占了?(?:多少|几)(?:个(?!百分点)|件|条|项|次|场|篇|名|人|家|份)")


def detect_intent(text: str, query: "Query") -> str:
    if not query.metrics:
        return "lookup"
    if query.since_year is not None:
        return "trend"
    if len(query.years) == 2 and any(w in text for w in _WHICH_YEAR) and len(query.agency_groups) <= 1:
        return "change"  # "2023年和2025年哪年多": the two years compared
    text = text.replace(CUMULATIVE, "累计")  # a column of the old tables, not "over the years"
    changing = any(w in text for w in INTENT_WORDS["change"]) or "比" in text
    two_years = len(query.years) == 2 or query.relative_year is not None
    if two_years and any(w in text for w in INTENT_WORDS["change"]) and "占" not in text:
        return "change"  # "比2021年增长了百分之几": a rate of change between two years, not a share
    if any(w in text for w in INTENT_WORDS["share"]) and not COUNT_OF_A_PART.search(text):
        return "share"
    if any(w in text for w in INTENT_WORDS["rank"]) and len(query.agency_groups) != 1:
        return "rank"
    if query.recent_years is not None or len(query.years) >= 3 or any(w in text for w in INTENT_WORDS["trend"]):
        return "trend"
    if len(query.agency_groups) >= 2:
        return "compare"
    if changing and two_years:
        return "change"
    if query.group_named and (len(query.metrics) > 1 or query.metrics[0] in GROUPS) \
            and any(w in text for w in INTENT_WORDS["sum"]):
        return "sum"
    if len(query.years) == 2 and len(query.agency_groups) <= 1 and _TWO_YEARS_JOINED.search(text):
        return "trend"  # 2023年和2024年各收到多少: each year's figure, each cited
    if len(query.columns) > 1 and (query.sets_aside or any(w in text for w in INTENT_WORDS["sum"])):
        return "sum"  # 商业企业和科研机构一共, 除了自然人以外的: the columns added up
    # "予以公开及部分公开的有多少件": one figure of the rows together (each row cited in its formula); "各多少" and
    # two questions ("收到多少，予以公开多少") ask for each
    one_figure = any(w in text for w in INTENT_WORDS["sum"]) or not (
        any(w in text for w in ("各", "分别")) or _TWO_QUESTIONS.search(text))
    if query.rows_joined and one_figure \
            and len({METRICS[m].table for m in query.metrics}) == 1 \
            and (query.column_named or all("total" in columns for m in query.metrics
                                           for columns in METRICS[m].columns.values())):
        # 本年新收和上年结转一共多少: rows of one table, each row's 总计 or the column named, added up (表二's rows,
        # with no 总计 and no column named, are listed column by column)
        return "sum"
    return "lookup"


def parse_year(text: str) -> int | None:
    """The year asked (written out first, then in full, then short), not one something moves to (挪到2026年)."""
    def asked(pattern: re.Pattern) -> re.Match | None:
        return next((m for m in pattern.finditer(text) if not _MOVED_TO.search(text[max(0, m.start() - 3):m.start()])),
                    None)
    m = asked(_YEAR_CN)
    if m:
        return int("".join(_CN_DIGITS[ch] for ch in m.group(1)))
    m = asked(_YEAR_FULL)
    if m:
        return int(m.group(1))
    m = asked(_YEAR_SHORT)
    if m:
        return 2000 + int(m.group(1))
    return None


class _AgencyNames:
    """Every name the stored reports give their agencies (aliases, and the places departments belong to), indexed
    so that finding the ones a question names costs what the question's length costs, not what the store's size
    costs: a national store holds 100,000 agencies (docs/scaling.md: 1 s a question when each alias was tried).

    Made from the index of the store's previous list of reports where there is one (`earlier`): each report's
    names are read once, and the names one character off are indexed only for the names that came or went, so
    that a report ingested into a store of 100,000 does not cost every app process a rebuild of seconds. What is
    made is what a fresh build makes (tests/test_question_forms.py checks)."""

    def __init__(self, reports: list[Report], earlier: "_AgencyNames | None" = None):
        known = earlier.names_of if earlier is not None else {}
        # each report's names: its aliases (compacted) and the places it belongs to
        self.names_of: dict[tuple, tuple[list[str], list[str]]] = {
            r.key: known.get(r.key) or ([compact(a) for a in [r.agency] + r.aliases], place_names(r.agency))
            for r in reports}
        self.aliases: dict[str, set[str]] = {}
        self.places: dict[str, set[str]] = {}
        for report in reports:
            aliases, places = self.names_of[report.key]
            for alias in aliases:
                self.aliases.setdefault(alias, set()).add(report.agency)
            for place in places:
                self.places.setdefault(place, set()).add(report.agency)
        self.order = {alias: i for i, alias in enumerate(self.aliases)}  # the order the store lists them
        # the order names are tried in: the longest first, ties in the order the store lists them
        self.rank = {alias: i for i, alias in enumerate(sorted(self.aliases, key=len, reverse=True))}
        self.lengths = sorted({len(a) for a in self.aliases}, reverse=True)
        self.place_order = {p: i for i, p in enumerate(self.places)}
        self.place_rank = {p: i for i, p in enumerate(sorted(self.places, key=len, reverse=True))}
        self.place_lengths = sorted({len(p) for p in self.places}, reverse=True)
        # one character of a name masked: the names one character off a piece of the question (OCR or typing
        # slips), looked up instead of compared one by one
        if earlier is None:
            self.masked: dict[str, list[str]] = {}
            came, went = self.aliases.keys(), ()
        else:  # the earlier lists stay as they were (another thread may be reading them): changed ones are new
            self.masked = dict(earlier.masked)
            came, went = self.aliases.keys() - earlier.aliases.keys(), earlier.aliases.keys() - self.aliases.keys()
        for alias in went:
            if _slips_indexed(alias):
                for key in _masked(alias):
                    rest = [a for a in self.masked[key] if a != alias]
                    if rest:
                        self.masked[key] = rest
                    else:
                        del self.masked[key]
        for alias in came:
            if _slips_indexed(alias):
                for key in _masked(alias):
                    self.masked[key] = self.masked.get(key, []) + [alias]
        self._prefixes: dict[int, dict[str, list]] = {}

    def present(self, names: dict, lengths: list[int], text: str) -> list[str]:
        """The names that occur in the text."""
        return list({text[i:i + n] for n in lengths for i in range(len(text) - n + 1) if text[i:i + n] in names})

    def one_off(self, text: str) -> list[tuple[int, int, str, str]]:
        """(alias rank, position, window, alias) for each piece of the text one character different from an alias."""
        found = []
        for n in self.lengths:
            for i in range(len(text) - n + 1):
                window = text[i:i + n]
                for key in _masked(window):
                    for alias in self.masked.get(key, ()):
                        if alias != window:
                            found.append((self.rank[alias], i, window, alias))
        return sorted(found)

    def slipped(self, place: str) -> set[str]:
        """The agencies with a name that begins one character off the place (沭阳 ~ 沐阳县人民政府)."""
        n = len(place)
        if n not in self._prefixes:
            index: dict[str, list] = {}
            for alias, agencies in self.aliases.items():
                if len(alias) >= n:
                    for key in _masked(alias[:n]):
                        index.setdefault(key, []).append((alias[:n], agencies))
            self._prefixes[n] = index
        out: set[str] = set()
        for key in _masked(place):
            for prefix, agencies in self._prefixes[n].get(key, ()):
                if prefix != place:
                    out |= agencies
        return out


def _slips_indexed(alias: str) -> bool:
    """Whether a name is looked for one character off (民政府办公厅 is no slip of 市政府办公厅)."""
    return len(alias) >= 2 and not alias.startswith(_PLACELESS)


def _masked(name: str):
    """The name with each of its characters masked in turn: two names one character apart share one of these."""
    return (name[:i] + "\0" + name[i + 1:] for i in range(len(name)))


_NAMES: list[tuple[list[Report], _AgencyNames]] = []  # the last few report lists seen (the store's, mostly)


def _agency_names(reports: list[Report]) -> _AgencyNames:
    for held, names in _NAMES:
        if held is reports:  # the store hands out the same list until what it holds changes
            return names
    names = _AgencyNames(reports, _NAMES[0][1] if _NAMES else None)  # the store's list before this one, mostly
    _NAMES.insert(0, (reports, names))
    del _NAMES[4:]
    return names


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def find_agency_groups(text: str, reports: list[Report]) -> list[tuple[list[str], str]]:
    """Every agency the question names, in order, as (agencies, mention): the longest aliases first, without
    overlaps ("2025年沭阳县和上海市政府办公厅谁多" → two groups)."""
    names = _agency_names(reports)
    index = names.aliases
    taken = [False] * len(text)
    found = []
    for alias in sorted(names.present(index, names.lengths, text), key=names.rank.__getitem__):
        start = text.find(alias)
        while start >= 0:
            if not any(taken[start:start + len(alias)]):
                for i in range(start, start + len(alias)):
                    taken[i] = True
                found.append((start, sorted(index[alias]), alias))
            start = text.find(alias, start + 1)
    # what no exact alias covers may still name an agency by its place (上海 → 上海市人民政府办公厅) or with an
    # OCR slip (沭阳 ~ 沐阳): each such mention is a group of its own
    rest = "".join(" " if t else ch for ch, t in zip(text, taken))
    for place in sorted(names.present(names.places, names.place_lengths, rest), key=names.place_rank.__getitem__):
        at = rest.find(place)
        if at >= 0:  # not taken by a longer place before it
            # the place's own government may be stored under a slipped name (沭阳县 ~ 沐阳县人民政府)
            found.append((at, sorted(names.places[place] | names.slipped(place)), place))
            rest = rest[:at] + " " * len(place) + rest[at + len(place):]
    agencies, mention, fuzzy = find_agencies(rest, reports) if rest.strip() else ([], "", False)
    if agencies and mention and fuzzy:
        found.append((rest.find(mention), agencies, mention))
    groups: list[tuple[list[str], str]] = []
    for _, agencies, alias in sorted(found):
        if all(agencies != g for g, _ in groups):
            groups.append((agencies, alias))
    return groups


_PLACELESS = ("市", "县", "区", "乡", "镇")  # an alias without its place (市政府办公厅, 县发改局)
_BEFORE_AN_AGENCY = set("年的和跟与及同、，,比对在是：: ")


def _stands_alone(alias: str, text: str) -> bool:
    """Whether an alias that starts without its place (市人民政府办公厅) is the agency the question names, not the
    tail of another place's agency (北京市人民政府办公厅): nothing but a year, a conjunction or punctuation before
    it."""
    if not alias.startswith(_PLACELESS):
        return True
    at = text.find(alias)
    while at >= 0:
        if at == 0 or text[at - 1] in _BEFORE_AN_AGENCY or text[at - 1].isdigit():
            return True
        at = text.find(alias, at + 1)
    return False


def _same_sound(a: str, b: str) -> bool:
    """One character different, the two read alike (平谭 / 平潭, 平滩 / 平潭): a typing slip of a pinyin keyboard."""
    if not _one_off(a, b):
        return False
    from pypinyin import lazy_pinyin
    x, y = next((x, y) for x, y in zip(a, b) if x != y)
    return lazy_pinyin(x) == lazy_pinyin(y)


def find_agencies(text: str, reports: list[Report]) -> tuple[list[str], str, bool]:
    """(agencies, mention, fuzzy). The longest alias found wins. When none is found, the question may name only
    the place a department belongs to (沭阳 → 沭阳县发展和改革局) or name an agency with one character
    different (OCR slips such as 沐阳 for 沭阳, where the last character must agree; or a character that reads
    the same, 平谭 for 平潭): all such agencies are returned, for the year to settle or the answer to list."""
    names = _agency_names(reports)
    index = names.aliases
    found = sorted((alias for alias in names.present(index, names.lengths, text) if _stands_alone(alias, text)),
                   key=names.order.__getitem__)  # ties of length go to the name the store lists first
    if found:
        best = max(found, key=len)
        return sorted(index[best]), best, False
    agencies: set[str] = set()
    present = sorted(names.present(names.places, names.place_lengths, text), key=names.place_order.__getitem__)
    for place in present:
        agencies |= names.places[place]
    mention, fuzzy = (present[0] if present else ""), False
    for _, _, window, alias in names.one_off(text):  # the longest names first, each at its first place
        if window[-1] == alias[-1] or _same_sound(window, alias):  # an OCR slip keeps the last character
            agencies |= index[alias]
            mention, fuzzy = mention or window, True
            break
    return sorted(agencies), mention, fuzzy


_NO_UNIT_CHARS = set("的在找向给跟对让被把是有要")  # a unit's name holds none of these; a clause does
_UNIT_WORD = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:人民政府|政府|委员会|局|委|(?<![大展餐客])厅|办公室)")
_CLAUSE_START = ("通过", "依托", "利用", "借助", "按照", "根据", "围绕", "依照", "分管")  # 沭阳通过县政府网站: no unit


def narrowed_by_unit(text: str, agencies: list[str], mention: str, reports: list[Report]) -> tuple[list[str], str]:
    """(agencies, unknown agency): the unit named right after a place narrows it. 沭阳县政府 is the county's
    government, not its 发改局; 沭阳县公安局 is an agency the store does not hold, not the county's government."""
    at = text.find(mention) if mention else -1
    if not agencies or at < 0 or mention.endswith(("政府", "局", "委", "厅", "办公室", "管委会", "办")):
        return agencies, ""  # the mention names its unit itself (洪泽区政府办代表区政府…)
    after = text[at + len(mention):]
    m = _UNIT_WORD.match(after)
    if not m or after.startswith(("政府信息",) + _CLAUSE_START) or any(n in m.group(0) for n in _NOT_AGENCY) \
            or set(m.group(0)) & _NO_UNIT_CHARS or after[m.end():].startswith("信息"):
        return agencies, ""  # 洋湖乡晒出来的政府信息, 洪泽在政府网站, 洪泽区老百姓找政府: no unit of the place
    word = m.group(0)
    if word.startswith(("人民政府", "政府")):
        governments = [a for a in agencies if a.endswith(("政府", "管委会"))]
        return governments or agencies, ""

    def key(name: str) -> str:
        return name.replace("和", "").replace("与", "")
    aliases = {a: [key(alias) for r in reports if r.agency == a for alias in [r.agency] + r.aliases] for a in agencies}
    named = [a for a in agencies if any(key(word) in alias for alias in aliases[a])]
    return (named, "") if named else ([], mention + word)


def short_year_after(text: str, mention: str) -> int | None:
    """"洪泽24许可": two digits right after the agency's name are its year (not a count: no unit follows)."""
    at = text.find(mention) if mention else -1
    if at < 0:
        return None
    m = re.match(r"(\d{2})(?![\d.%％])(?!\s*[件条个次项人份场期篇家名起万])", text[at + len(mention):])
    return 2000 + int(m.group(1)) if m else None


def agencies_ending_with(word: str, reports: list[Report]) -> list[str]:
    """The stored agencies a unit named without its place stands for (发改局 → 沭阳县发展和改革局)."""
    if len(word) < 3:
        return []
    return sorted({r.agency for r in reports for alias in [r.agency] + r.aliases if compact(alias).endswith(word)})


def _longest_match(text: str, words) -> int:
    return max((len(w) for w in words if w and w in text), default=0)


def _words(metric) -> tuple[str, ...]:
    """The words that name a row in a question. Rows of the old (before 2019) tables are named by their
    synonyms only: their table labels (行政复议数 …) are 2021-template words, which reach them through
    OLD_EQUIVALENTS."""
    if metric.table == "old":
        return metric.synonyms
    return metric.synonyms + tuple(k for k in metric.keys if not metric.exact_key)


def _last_named(text: str, named: str) -> int:
    """Where the text last names a row or group (-1 when it does not)."""
    words = _words(METRICS[named]) if named in METRICS else GROUP_SYNONYMS.get(named, ())
    return max((text.rfind(w) for w in words if w), default=-1)


_NOT_SLIPS = ("部门", "单位", "乡镇", "街道")  # words one character off a metric's word that are words themselves


_ETC = re.compile(r"(?:相关)?(?:政府)?(?:信息)?等")


def _named_among_others(text: str, rows: list[str]) -> bool:
    """Whether a row is named as one of several things, closed by 等 ("本机关不掌握等原因")."""
    return any(named in rows and _ETC.match(text, end) for _, end, named in _spans(text, _row_words()))


def find_metrics(text: str) -> list[str]:
    scored: list[tuple[int, str]] = []
    for metric in METRICS.values():
        words = _words(metric)
        if metric.id == "t3.new":
            strong = tuple(w for w in words if w not in GENERIC_REQUEST_WORDS)
            score = _longest_match(text, strong) or (_longest_match(text, GENERIC_REQUEST_WORDS) and 1)
        else:
            score = _longest_match(text, words)
        if score:
            scored.append((score, metric.id))
    for group, words in GROUP_SYNONYMS.items():
        score = _longest_match(text, words)
        if score:
            scored.append((score, group))
    if not scored:  # a typing slip in a long word: 行政复以, 行政处发, 规范性文建 (not 部门公开: 部门 is a word)
        for metric in METRICS.values():
            for word in metric.synonyms + metric.keys:
                if len(word) >= 4 and any(_one_off(text[i:i + len(word)], word)
                                          and not any(w in text[i:i + len(word)] for w in _NOT_SLIPS)
                                          for i in range(len(text) - len(word) + 1)):
                    scored.append((len(word), metric.id))
    if not scored:
        return []
    best_score = max(s for s, _ in scored)
    best = [m for s, m in scored if s == best_score]
    if len(best) > 1:  # "行政处罚693957件中行政强制多少件": of words as long, the last named is the one asked
        best.sort(key=lambda m: -_last_named(text, m))
    # a generic "申请" question is about 本年新收 only when nothing more specific is named
    if len(best) > 1 and "t3.new" in best:
        best.remove("t3.new")
    return rows_of(best[0])  # a row (t3.other is a row and a group: the row is asked first, its sub-rows below)


@lru_cache(maxsize=1)
def _row_words() -> tuple[tuple[str, str], ...]:
    """(word, row) for the words that name a row in a question (the catalogue's: built once)."""
    return tuple((w, metric.id) for metric in METRICS.values() for w in _words(metric)
                 if len(w) >= 2 and w not in GENERIC_REQUEST_WORDS)


@lru_cache(maxsize=1)
def _row_and_group_words() -> tuple[tuple[str, str], ...]:
    """_row_words and (word, group) for the words that name a group of rows (不予公开, 行政诉讼)."""
    return _row_words() + tuple((w, group) for group, ws in GROUP_SYNONYMS.items() for w in ws if len(w) >= 2)


def _spans(text: str, words) -> list[tuple[int, int, str]]:
    """(start, end, id) of each word found, longest words first and without overlaps, in the order of the text."""
    taken = [False] * len(text)
    found = []
    for word, named in sorted(words, key=lambda wm: -len(wm[0])):
        start = text.find(word)
        while start >= 0:
            if not any(taken[start:start + len(word)]):
                taken[start:start + len(word)] = [True] * len(word)
                found.append((start, start + len(word), named))
            start = text.find(word, start + 1)
    return sorted(found)


def find_metric_mentions(text: str) -> list[tuple[int, str]]:
    """Every catalogue row the text names, as (position, metric id), longest words first and without overlaps:
    "予以公开占办理结果总计的比例" → [(0, t3.disclosed), (5, t3.total)]."""
    return [(start, metric_id) for start, _, metric_id in _spans(text, _row_words())]


# what joins rows named together: 予以公开和部分公开, 行政复议、行政诉讼, 本年新收加上年结转, 规章及规范性文件
_JOINED_BY = re.compile(r"(?:件数|数量|数)?的?(?:申请)?(?:和|与|及|以及|或|或者|、|跟|加|加上|还有|同|[（(]?(?:含|包括|包含))"
                        r"(?:的|结果|本年)?"  # 同意公开（含部分公开）: both
                        r"|(?:的?(?:有|是|共|一共)?(?:多少|几)[件个条次]?)?[，,；;](?:那?么?|还有)?")  # 收到多少，予以公开多少


def _written_together(before: tuple[int, int, str], after: tuple[int, int, str]) -> bool:
    """Whether two of 表四's groups are written as one word, no joiner between ("复议诉讼案件": 行政复议 and 行政诉讼)."""
    return before[1] == after[0] and before[2] != after[2] and all(_a_whole_of_table_four(named)
                                                                    for _, _, named in (before, after))


def _a_whole_of_table_four(named: str) -> bool:
    """行政诉讼 (a group of 表四) or 行政复议 (a row of 表四 with no parent)."""
    if named in GROUP_SYNONYMS:
        return named.startswith("t4.")
    return named in METRICS and METRICS[named].table == "t4" and METRICS[named].parent is None


def joined_rows(text: str) -> list[str]:
    """The rows a question names together ("予以公开和部分公开的申请一共多少件", "行政复议和行政诉讼各多少件"),
    a group (不予公开, 行政诉讼) as its rows, in the order named; [] unless two or more rows or groups are named and
    each joined to the next by 和 / 或 / 及 / 、 … (rows named before them, not so joined, are the context)"""
    words = _row_and_group_words() + tuple((w, "t3.new") for w in GENERIC_REQUEST_WORDS if len(w) >= 3)  # 信息公开
    spans: list[tuple[int, int, str]] = []  # 申请和予以公开的: 本年新收 too
    for start, end, named in _spans(text, words):
        if spans and spans[-1][2] == named and text[spans[-1][1]:start] in ("", "的"):
            spans[-1] = (spans[-1][0], end, named)  # 收到的信息公开申请: one row named twice
        else:
            spans.append((start, end, named))
    # the rows named last, joined one to the next; rows before them set the context ("办结的申请中，予以公开及部分
    # 公开的有多少件": of 办结, the two rows)
    first = len(spans) - 1
    while first > 0 and (_JOINED_BY.fullmatch(text[spans[first - 1][1]:spans[first][0]])
                         or _written_together(spans[first - 1], spans[first])):
        first -= 1
    spans = spans[first:]
    if len({named for _, _, named in spans}) < 2:
        return []
    groups = {named for _, _, named in spans if named in GROUP_SYNONYMS}
    if any(in_group(named, g) for _, _, named in spans for g in groups):
        return []  # 本机关没有这个信息、没法提供的: a sub-row and the group it belongs to name the sub-row
    rows: list[str] = []
    for _, _, named in spans:
        rows.extend(m for m in rows_of(named) if m not in rows)
    return rows


def find_column(text: str, metrics: list[str]) -> tuple[str | None, bool]:
    allowed = _allowed_columns(metrics)
    best, best_len = None, 0
    for column in allowed:
        n = _longest_match(text, COLUMNS[column].synonyms)
        if n > best_len:
            best, best_len = column, n
    for group, members in COLUMN_GROUPS.items():  # 法人或其他组织: five columns, named longer than any one of them
        n = _longest_match(text, COLUMN_GROUP_SYNONYMS[group])
        if n > best_len and all(c in allowed for c in members):
            best, best_len = group, n
    # 自然人 and 法人或其他组织 named together ("老百姓和企业一共…"): every applicant, the row's 总计
    natural = _longest_match(text, COLUMNS["natural"].synonyms) if "natural" in allowed else 0
    others = max([_longest_match(text, COLUMN_GROUP_SYNONYMS[g]) for g in COLUMN_GROUPS] +
                 [_longest_match(text, COLUMNS[c].synonyms) for c in allowed if c not in ("natural", "total")],
                 default=0)
    if natural and others and "total" in allowed:
        return "total", True
    if best:
        return best, True
    return None, False


def _allowed_columns(metrics: list[str]) -> list[str]:
    """The columns of the rows asked (an old table's row standing in for a 2021-template row included)."""
    allowed: list[str] = []
    for metric_id in metrics:
        stand_in = OLD_EQUIVALENTS.get(metric_id) or OLD_EQUIVALENTS.get(METRICS[metric_id].parent or "")
        for m in (metric_id, stand_in) if stand_in else (metric_id,):
            for cols in METRICS[m].columns.values():
                allowed.extend(c for c in cols if c not in allowed)
    return allowed


def _column_words(metrics: list[str]) -> list[tuple[str, str]]:
    """(word, column) for each column of the rows asked, and (word, group) for each group of columns they all have
    (法人或其他组织); 总计 left out (一共 asks a sum, not a column)."""
    allowed = _allowed_columns(metrics)
    return [(w, c) for c in allowed if c != "total" for w in COLUMNS[c].synonyms if len(w) >= 2] + \
        [(w, g) for g, members in COLUMN_GROUPS.items() if all(c in allowed for c in members)
         for w in COLUMN_GROUP_SYNONYMS[g] if len(w) >= 2]


def joined_columns(text: str, metrics: list[str]) -> list[str]:
    """The columns a question names together ("自然人和商业企业各多少", "结果维持和结果纠正"), a group of columns
    (法人或其他组织) as its columns, in the order named; [] unless two or more are named, each joined to the next
    by 和 / 或 / 及 / 、 …"""
    words = _column_words(metrics)
    spans = _spans(text, words)
    if len({named for _, _, named in spans}) < 2 or \
            not all(_JOINED_BY.fullmatch(text[end:start]) for (_, end, _), (start, _, _) in zip(spans, spans[1:])):
        return []
    columns: list[str] = []
    for _, _, named in spans:
        columns.extend(c for c in COLUMN_GROUPS.get(named, (named,)) if c not in columns)
    return columns if len(columns) >= 2 else []


_DIFFERENCE = re.compile(r"(?<![相对占])比(?![例重率较]).{0,24}?(?:多|少)|多几|少几|多多少|少多少|差额|相差|差多少|差几"
                         r"|减去|减掉|之差")
_RATIO = re.compile(r"几倍|多少倍|倍数|是.{1,24}?的.{0,4}倍")
_A_YEAR_SAID = re.compile(r"\d{2}\s*年|(?:去年|上年|前年|今年|上一年)(?!结转|转来)")  # 上年结转 is a row


def pair_named(text: str, metrics: list[str]) -> tuple[str, str, str] | None:
    """The two rows (or groups of rows), else the two columns, a question names, in order; None unless exactly two."""
    rows = list(dict.fromkeys(named for _, _, named in _spans(text, _row_and_group_words())))
    # a group named beside its own rows ("行政诉讼中复议后起诉和直接起诉") is their context, not a third figure
    rows = [r for r in rows if not any(in_group(o, r) for o in rows)]
    if len(rows) == 2:
        return ("rows", rows[0], rows[1])
    if len(rows) > 2 or not metrics:
        return None
    words = _column_words(metrics)
    columns = list(dict.fromkeys(named for _, _, named in _spans(text, words)))
    return ("columns", columns[0], columns[1]) if len(columns) == 2 else None


_CONTACT_ASKED = (
    ("all", re.compile(r"联系方式|怎么联系|如何联系|怎样联系|联系他们|联系信息")),
    ("phone", re.compile(r"电话|手机号|联系号码|打给谁")),
    ("fax", re.compile(r"传真(?!申请)")),
    ("address", re.compile(r"地址|办公地点|在哪里?办公|在哪儿办公|在什么地方办公|(?:办公室|政府|机关|单位|局)在哪")),
    ("postcode", re.compile(r"邮编|邮政编码")),
    ("email", re.compile(r"邮箱|电子邮件地址|email|e-mail", re.I)),
    ("website", re.compile(r"网址|官网|网站地址|网站是(?:什么|哪个)|哪个网站")),
    ("download", re.compile(r"电子版|下载(?!量|次数|人次|了?多少|了?几)|(?:在哪|哪里|去哪)(?:里|儿)?(?:能|可以)?(?:看|查|找|读)(?:到)?(?:这份|本|该)?(?:年度)?报告")),
    ("office", re.compile(r"联系(?:谁|哪个部门|哪个单位|部门|单位)|哪个(?:部门|单位|科室)负责")),
)
# a count of contacts made ("电话咨询多少人次", "热线电话11通") is a figure, not a contact
_CONTACT_COUNT = re.compile(r"(?:咨询|热线|来电|接听|受理).{0,6}(?:多少|几)|(?:多少|几)(?:人次|人|次|通|件|条|个|份)"
                            r"|访问量|点击|浏览")


# a part of the year (上半年, 第一季度, 12月, 每月) or a rate (人均, 平均每月): no annual count answers it
_PART_OF_YEAR = re.compile(r"上半年|下半年|第[一二三四1-4]季度|每个?季度|(?<![0-9])(?:1[0-2]|[1-9])月(?!底|末|\d{1,2}[日号])|[一二三四五六七八九十]{1,2}月份"
                           r"|每个?月|每周|每天|每日|月均|日均|人均|每人|户均|平均每")


def period_asked(text: str) -> str:
    """The part of the year a question asks of, as a report would print it: 每季度 → 季度, 上半年, 12月, 月均;
    "" for an average with no period word (平均每件)."""
    m = _PART_OF_YEAR.search(normalise_question(text))
    if not m:
        return ""
    word = re.sub(r"^每个?|^平均每", "", m.group(0))
    return word if word not in ("", "人", "户") else ""


# a part of a row no cell counts: 已审结 (总计 less 尚未审结), 前三项, 超过5件的, 没给 (several rows' part)
_SUBSET = re.compile(r"已经?审结|审结了|(?<!有)没有?给|前[一二三四五六七八九十两\d]+项|后[一二三四五六七八九十两\d]+项|(?:超过|多于|少于|不到|不足)\d"
                     r"|\d+\s*[件条个次]?以上的|\d+\s*[件条个次]?以下的")
# what the question sets aside: "除了自然人以外", "不包括律师", "自然人以外的"
_EXCLUDED = re.compile(r"除了?(.{1,12}?)(?:以外|之外|外)|不包括(.{1,12}?)(?:的|在内|$)|不含(.{1,12}?)(?:的|在内|$)"
                       r"|(.{1,8}?)以外(?:的|还有|还剩)|(?:除去|去掉|扣除|刨去|去除)(.{1,12}?)(?:以外|之外|外|的|后|还|剩|$)")


_NOT_COUNTED = re.compile(r"不(?:算|计)(.{1,12}?)(?:的|在内|$)")


# 表二's columns by the words that can only mean them: 行政许可 has no 现行有效, 规章 no 处理决定
_T2_COLUMN_WORDS = {"issued": ("本年制发", "制发"), "repealed": ("本年废止", "废止", "作废", "废除"),
                    "in_force": ("现行有效",), "decisions": ("处理决定",), "amount": ("收费金额", "金额")}


def _t2_column_lacking(text: str, metrics: list[str]) -> str | None:
    """A 表二 column the question names that none of its 表二 rows has, or None."""
    rows = [METRICS[m] for m in metrics if METRICS[m].table == "t2"]
    if not rows or len(rows) != len(metrics):
        return None
    held = {c for m in rows for cols in m.columns.values() for c in cols}
    return next((c for c, words in _T2_COLUMN_WORDS.items() if c not in held and any(w in text for w in words)),
                None)


_ALSO_ASKED = re.compile(r"(?:以外|之外|外)[,，]?(?:还|另外|另)(?!有多少|有几|剩)")  # 还有多少 asks the rest


def excluded_columns(text: str, metrics: list[str]) -> list[str] | None:
    """The columns a question sets aside ("除了自然人以外的申请"), or None when it sets nothing aside."""
    found = [next(g for g in m.groups() if g) for m in _EXCLUDED.finditer(text)]
    words = _column_words(metrics)
    # "不算个人的": an applicant not counted (a row or a thing not counted is the text's: 不算乡镇, 不算通气会)
    not_counted = [n for m in _NOT_COUNTED.finditer(text) for _, _, n in _spans(m.group(1), words)]
    if not found and not not_counted:
        return None
    named = [n for part in found for _, _, n in _spans(part, words)] + not_counted
    return [c for n in named for c in COLUMN_GROUPS.get(n, (n,))]


_YES_NO = re.compile(r"有没有|有无|是否|是不是|有过吗|过吗|吗[?？]?$")
_ASKS_IF_ANY = re.compile(r"有没有|有无|是否有|有.{0,14}吗|过.{0,14}吗|是否.{0,12}过")
_ASKS_WHO = re.compile(r"是谁|谁是|都是谁|叫什么|名字|姓名|哪些人")


def find_contact_kinds(text: str) -> list[str]:
    """The contact facts a question asks for (index.contacts kinds; "all" for the whole block)."""
    if _CONTACT_COUNT.search(text):
        return []
    return [kind for kind, pattern in _CONTACT_ASKED if pattern.search(text)]


_WHOLE_BEFORE_SHARE = re.compile(r"在([^在占，,。？?]{1,12}?)(?:里面|里|当中|之中|中)?占")


def parse(question: str, reports: list[Report]) -> Query:
    text = normalise_question(question)
    query = Query(text=simplified(question))  # 開了幾場新聞發布會 searched as the reports print it
    query.year = parse_year(text)
    query.agencies, query.agency_mention, query.fuzzy_agency = find_agencies(text, reports)
    place = query.agencies
    query.agencies, query.unknown_agency = narrowed_by_unit(text, query.agencies, query.agency_mention, reports)
    if query.unknown_agency and place:
        query.department_of = place  # its own report is not held; the place's report may speak of it
    short_year = short_year_after(text, query.agency_mention) if query.year is None else None
    query.year = query.year or short_year
    query.metrics = find_metrics(text)
    query.group_named = any(w in text for words in GROUP_SYNONYMS.values() for w in words)
    query.column, query.column_named = find_column(text, query.metrics) if query.metrics else (None, False)
    query.metric_mentions = find_metric_mentions(text)
    joined = joined_rows(text)
    if joined:  # 予以公开和部分公开: every row named, not the first of two words as long
        query.metrics, query.rows_joined = joined, True
        query.column, query.column_named = find_column(text, query.metrics)
    named_rows = list(dict.fromkeys(m for _, m in query.metric_mentions if m in query.metrics))
    if len(query.metrics) > 1 and 0 < len(named_rows) < len(query.metrics) and not query.rows_joined \
            and not _named_among_others(text, named_rows):
        # a sub-row named inside its group ("因本机关不掌握…无法提供的申请"): the sub-row is what is asked (but
        # "因本机关不掌握等原因无法提供的": one reason of several, 等, names the group)
        query.metrics = named_rows
        query.column, query.column_named = find_column(text, query.metrics)
    at = text.find("占")
    before = [m for pos, m in query.metric_mentions if at >= 0 and pos < at]
    after = [m for pos, m in query.metric_mentions if at >= 0 and pos > at]
    if before and after and before[-1] != after[0]:
        query.share_of = (before[-1], after[0])
        query.metrics = [before[-1]] + [m for m in query.metrics if m != before[-1]]
        joined_before = joined_rows(text[:at])
        if joined_before and after[0] not in joined_before:  # 予以公开和部分公开占办理结果总计: the rows together
            query.share_of, query.rows_joined = (joined_before[0], after[0]), True
            query.metrics = joined_before + [after[0]]
    inside = _WHOLE_BEFORE_SHARE.search(text) if query.share_of is None else None
    if inside:  # "予以公开和部分公开的合计在办结总量里占多少": the whole named after 在, the parts before it
        whole = [m for pos, m in query.metric_mentions if inside.start(1) <= pos < inside.end(1)]
        parts = joined_rows(text[:inside.start()]) or [m for pos, m in query.metric_mentions if pos < inside.start()][-1:]
        if whole and parts and whole[0] not in parts:
            query.share_of, query.rows_joined = (parts[0], whole[0]), len(parts) > 1
            query.metrics = parts + [whole[0]]
    columns = joined_columns(text, query.metrics) if query.metrics else []
    # "老百姓和企业一共", "自然人和法人或其他组织一共": every applicant, the printed 总计 (find_column); "自然人和商业企业
    # 一共", each column named by its own label: those columns added up
    every_applicant = query.column == "total" and any(w in text for w in INTENT_WORDS["sum"]) and (
        set(columns) >= set(_allowed_columns(query.metrics)) - {"total"}
        or any(COLUMNS[c].label not in text for c in columns))
    if columns and not every_applicant:  # 自然人和商业企业各多少: each column
        query.columns, query.column, query.column_named = columns, columns[0], True
    # "除了…以外，还…": another thing asked, not the rest of a total
    set_aside = None if _ALSO_ASKED.search(text) else excluded_columns(text, query.metrics) if query.metrics else (
        [] if _EXCLUDED.search(text) else None)
    if set_aside is not None:
        query.sets_aside = True
        if set_aside:  # 除了自然人以外的申请: the other columns, added up
            own = dict.fromkeys(c for m in query.metrics for cols in METRICS[m].columns.values() for c in cols)
            rest = [c for c in own if c != "total" and c not in set_aside]
            query.columns, query.column, query.column_named = rest, rest[0] if rest else None, True
    query.column_lacking = _t2_column_lacking(text, query.metrics)
    query.part_of_year = bool(_PART_OF_YEAR.search(text))
    query.subset = bool(_SUBSET.search(text))
    # "没有予以公开的申请", "不是自然人的": a row or column denied, which no cell counts
    denied = _row_words() + tuple((w, c) for c in COLUMNS.values() for w in c.synonyms if len(w) >= 2)
    query.negated = any((text[max(0, start - 2):start] in ("没有", "不是") or text[start - 1:start] in ("非", "未"))
                        and not text[max(0, start - 3):start].startswith(("有没", "是不"))  # 有没有 asks yes or no
                        for start, _, _ in _spans(text, denied) if start > 0)
    query.years = parse_years(text) or ([short_year] if short_year else [])
    query.relative_year, query.recent_years = parse_relative(text)
    query.since_year = parse_since(text)
    query.agency_groups = [g for g, _ in find_agency_groups(text, reports)] or (
        [query.agencies] if query.agencies else [])
    if len(query.agency_groups) == 1:  # one agency named: as narrowed by the unit after it (沭阳县政府)
        query.agency_groups = [query.agencies] if query.agencies else []
    query.intent = detect_intent(text, query)
    said = _RATIO.search(text) or _DIFFERENCE.search(text)
    against = None if not said or _A_YEAR_SAID.search(said.group(0)) else \
        "ratio" if _RATIO.search(text) else "difference"  # 跟2022年比少了多少: a change between years
    if against and len(query.years) <= 1 and query.relative_year is None and len(query.agency_groups) <= 1:
        query.set_against = True
        query.pair = pair_named(text, query.metrics) if query.metrics else None
        if query.pair:  # 予以公开比部分公开多几件: the two figures set against each other, not the first alone
            query.intent = against
    query.contact_kinds = find_contact_kinds(text)
    query.yes_no = bool(_YES_NO.search(text)) and not any(w in text for w in ("多少", "几"))
    query.asks_if_any = query.yes_no and bool(_ASKS_IF_ANY.search(text))
    query.asks_who = bool(_ASKS_WHO.search(text))
    if not query.agencies and not query.unknown_agency:
        for m in _AGENCY_WORD.finditer(_YEAR_FULL.sub(" ", text)):
            word = m.group(0)
            if len(word) >= 2 and not any(n in word for n in _NOT_AGENCY):
                query.unknown_agency = word
                break
        ending = agencies_ending_with(query.unknown_agency, reports)
        if ending:  # 发改局 with no place: the store's only 发改局, read so (the answer says how)
            query.agencies, query.agency_mention, query.fuzzy_agency = ending, query.unknown_agency, True
            query.agency_groups, query.unknown_agency = [ending], ""
    return query


_FOLLOW_UP = re.compile(r"呢[?？]?$|^(那|那么|它|它的|其|该|和|跟|与|同|换成|改成|再看看?|如果是)")
_COMPARE_WITH = re.compile(r"^(和|跟|与|同)|(比呢|相比呢|对比呢|比较呢)")


def is_follow_up(query: Query) -> bool:
    """A question that leaves out its agency, its year or its figure and reads like a follow-up."""
    text = normalise_question(query.text)
    incomplete = not query.agencies or not (query.years or query.relative_year is not None
                                            or query.recent_years is not None) or not query.metrics
    return incomplete and (bool(_FOLLOW_UP.search(text)) or "呢" in text or len(text) <= 12)


def merge_context(query: Query, context: Query | None) -> Query:
    """Fill what a follow-up leaves out from the conversation so far: "那2023年呢？" keeps the agency and the
    figure, "商业企业呢？" the agency, year and row, "和上海比呢？" compares with the agency before, "它的行政复议呢？"
    keeps the agency. A full question of its own is left as it is."""
    if context is None or not is_follow_up(query):
        return query
    text = normalise_question(query.text)
    own_intent = query.intent != "lookup"
    if _COMPARE_WITH.search(text) and query.agency_groups and context.agency_groups:
        query.agency_groups = context.agency_groups[:1] + [g for g in query.agency_groups
                                                           if g != context.agency_groups[0]]
        query.agencies = query.agency_groups[0]
        own_intent = True
    elif not query.agencies and not query.unknown_agency:
        query.agencies, query.agency_mention = context.agencies, context.agency_mention
        query.agency_groups, query.fuzzy_agency = context.agency_groups, context.fuzzy_agency
    if not query.years and query.relative_year is None and query.recent_years is None:
        query.years, query.year = context.years, context.year
        query.relative_year, query.recent_years = context.relative_year, context.recent_years
        query.since_year = context.since_year
    elif (len(query.years) == 1 and len(context.years) == 1 and query.years != context.years
          and any(w in text for w in INTENT_WORDS["change"] + ("多了几", "少了几"))):
        query.years = context.years + query.years  # "24年呢，少了几件？" after a 2023 question
        own_intent, query.intent = True, "change"
    if not query.metrics:
        # an earlier question the text answered ("上海2025年开了几场新闻发布会"): the follow-up is that question with
        # what it changes ("新闻通气会呢", "那2020年呢"), for the text to be searched again
        query.text = _follow_up_text(query, context)
        query.metrics, query.metric_mentions = context.metrics, context.metric_mentions
        query.share_of, query.pair = context.share_of, context.pair
        query.columns, query.rows_joined = context.columns, context.rows_joined
        query.group_named = context.group_named
        query.column, query.column_named = find_column(text, query.metrics)
        if not query.column_named:
            query.column, query.column_named = context.column, context.column_named
    elif not query.column_named and context.column_named and context.column in _allowed_columns(query.metrics):
        # "上海2025年新收申请中商业企业多少" → "上年结转的呢？": the same column of the new row, not its 总计
        query.column, query.column_named = context.column, True
    if own_intent:
        query.intent = detect_intent(text, query) if query.intent in ("lookup",) else query.intent
        if _COMPARE_WITH.search(text) and len(query.agency_groups) >= 2:
            query.intent = "compare"
    else:
        query.intent = context.intent if context.intent != "lookup" else detect_intent(text, query)
    if query.intent in ("change", "compare", "trend", "rank"):  # across reports: not two figures of one report
        query.set_against, query.pair = False, None
    return query


_LEADING = re.compile(r"^(那么|那|和|跟|与|同|换成|改成|再看看?|如果是)")
_TRAILING = re.compile(r"(的呢|呢)[?？]?$")
_YEAR_IN_TEXT = re.compile(r"(?:19|20)?\d{2}\s*年度?|(?<!\d)(?:19|20)\d{2}(?!\d)")


def _follow_up_text(query: Query, context: Query) -> str:
    """The earlier question rewritten with what the follow-up changes: its year, its agency, or the thing
    counted (the earlier word closest to the new one is replaced: 新闻发布会 → 新闻通气会)."""
    text = normalise_question(query.text)
    earlier = normalise_question(context.text)
    if query.years and query.years != context.years:
        earlier = _YEAR_IN_TEXT.sub(f"{query.years[0]}年", earlier, count=1)
    if query.agency_mention and context.agency_mention and query.agency_mention != context.agency_mention:
        earlier = earlier.replace(context.agency_mention, query.agency_mention)
    rest = _TRAILING.sub("", _LEADING.sub("", text))
    rest = _YEAR_IN_TEXT.sub("", rest).replace(query.agency_mention or "\0", "").strip("的，,")
    if len(rest) < 2:
        return earlier
    from index.tokenize import base_tokenizer  # jieba only for a follow-up that needs it

    def shared(word: str) -> int:
        return len({word[i:i + 2] for i in range(len(word) - 1)} & {rest[i:i + 2] for i in range(len(rest) - 1)})
    tokens = [t for t in base_tokenizer().tokens(earlier) if len(t) >= 2]
    best = max(tokens, key=shared, default=None)
    if best and shared(best):
        return earlier.replace(best, rest, 1)
    return earlier + rest


def parse_conversation(question: str, history: list[str], reports: list[Report]) -> Query:
    """The query of the last question of a conversation, with what earlier questions established."""
    context = None
    for earlier in history:
        context = merge_context(parse(earlier, reports), context)
    return merge_context(parse(question, reports), context)
