"""Step 2 of a question's route: which kinds of evidence can answer it, in the order they are tried.

A plan is the reports the question can be about and a list of steps, each naming one answerer
(`assistant.answerers`): `across_reports` (figures computed over several reports), `computed` (a share, a sum or
a group of columns within one report), `table` (a stored cell), `text` (a figure bound to the question in a
sentence of the report, else passages), `scope` (whether the question is about these reports at all), or
`contact` (the report's contact block: phone, address …), or `refuse` (an answer already known: no such
report, a follow-up with nothing to follow). The plan only decides;
it looks no value up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from index.catalogue import (COLUMN_GROUP_SYNONYMS, COLUMN_GROUPS, COLUMNS, GENERIC_TABLE_WORDS, GROUP_SYNONYMS,
                             METRICS, PROSE_TERMS, TEMPLATE_PRE2019)
from index.normalize import compact
from index.store import Report, Reports, Store
from index.tokenize import base_tokenizer

from assistant.evidence import Answer, agency_list, years_text
from assistant.prose import (AMONG, asked_kind, asked_unit, asks_for_figure, asks_for_money, parts_named,
                             set_aside_words, whole_named_before_the_part)
from assistant.query import Query, find_metrics, normalise_question, period_asked
from assistant.retrieve import get_retriever, search_text

ACROSS_REPORTS = ("change", "compare", "trend", "rank")


@dataclass
class Step:
    answerer: str
    final: bool = True  # its not_found ends the route; else a later step may still answer
    strong_only: bool = False  # text: answer only with a figure strongly bound to the question's words
    suggest_only: bool = False  # text: the passages found are suggestions only (status not_found)
    figure_only: bool = False  # text after a step that could not answer: only a figure found replaces its reason
    rate_printed: bool = False  # text, strong_only: a percentage the rules bind is enough (办结率100%)
    period: str = ""  # text: a part of the year asked (季度): only a figure printed with it answers
    answer: Answer | None = None  # refuse: the answer itself


@dataclass
class Plan:
    query: Query
    reports: list[Report] = field(default_factory=list)  # the reports the question can be about
    steps: list[Step] = field(default_factory=list)


def plan(query: Query, store: Store, reports: Reports) -> Plan:
    steps: list[Step] = []
    if not query.metrics and not query.agencies and query.year is None and not query.unknown_agency:
        if any(w in compact(query.text) for w in ("它", "其", "呢", "两家", "这个", "那个", "该")):
            return Plan(query, [], [Step("refuse", answer=Answer(
                "ambiguous", "这个问题接着前面的话题，但没有前面的问题可参照：请说明是哪个机关、哪一年、哪项数据。",
                query=query))])
        steps.append(Step("scope"))
    if query.column in COLUMN_GROUPS and query.intent not in ("lookup", "sum"):
        return Plan(query, [], steps + [Step("computed")])  # which says that it is not computed
    # 上半年 / 平均每月, a row set aside (除了予以公开以外) or denied (没有予以公开的): no cell counts it, and a figure
    # of the text would be the whole year's or the row's own: passages only
    table_cannot = query.part_of_year or query.negated or query.subset or (query.sets_aside and not query.columns) \
        or (query.set_against and not query.pair)  # 比…多几 with no two figures of a table: the text cannot subtract
    if query.metrics and query.intent in ACROSS_REPORTS and (query.rows_joined or len(query.columns) > 1) \
            and not table_cannot:
        return Plan(query, [], steps + [Step("refuse", answer=Answer(
            "ambiguous", "这个问题同时问了几项数据，又要跨年份或跨机关比较：请一次只问一项数据的比较或变化。",
            query=query))])
    if query.metrics and query.intent in ACROSS_REPORTS and not _only_in_prose(query, reports) and not table_cannot:
        steps.append(Step("across_reports"))
    if query.unknown_agency and not query.department_of and query.year is not None:
        query.department_of = _places_naming(query, store, reports)  # 区社会事业局2019年…: no place named
    if query.unknown_agency and query.department_of:
        # a unit of a held place whose own report the store does not hold (平潭区财政金融局): the place's report may
        # say in its text what the unit did; its tables count the place, never the unit
        of_place = resolve_reports(replace(query, agencies=query.department_of, unknown_agency=""), reports)
        if isinstance(of_place, Answer):
            return Plan(query, [], steps + [Step("refuse", answer=of_place)])
        return Plan(query, of_place, steps + [Step("text")])
    candidates = resolve_reports(query, reports)
    if isinstance(candidates, Answer):
        return Plan(query, [], steps + [Step("refuse", answer=candidates)])
    route = Plan(query, candidates, steps)
    unnamed = _figure_unnamed(query)
    if unnamed is not None:
        return Plan(query, candidates, steps + [Step("refuse", answer=unnamed)])
    if query.column_lacking:  # 行政许可现行有效件数: that row prints no such column, and no other figure is it
        rows = "、".join(METRICS[m].label for m in query.metrics)
        held = "、".join(dict.fromkeys(COLUMNS[c].label for m in query.metrics
                                       for cols in METRICS[m].columns.values() for c in cols))
        return Plan(query, candidates, steps + [Step("refuse", answer=Answer(
            "not_found", f"表二中“{rows}”没有“{COLUMNS[query.column_lacking].label}”这一栏（只有{held}），"
                         "报告中没有这个数字。", query=query))])
    if table_cannot:
        period = period_asked(query.text) if query.part_of_year and not (query.negated or query.subset) else ""
        # "每季度的政务公开检查一共搞了几次": a figure printed with the period itself (组织4次季度政务公开检查)
        steps.append(Step("text", suggest_only=not period, period=period))
        return route
    if query.intent in ("difference", "ratio"):  # two figures of one report set against each other
        steps.append(Step("computed"))
        return route
    if query.contact_kinds:
        # 电话、地址、邮编 …: the contact block read at ingest. A word that is also a table row's (传真) lets the
        # table answer when the report prints no such contact
        steps.append(Step("contact", final=not query.metrics))
        if not query.metrics:
            return route
    if query.asks_who:
        # a person (申请人都是谁, 主任叫什么名字): no table cell says who, and a passage is only a lead
        steps.append(Step("text", suggest_only=True))
        return route
    if query.yes_no and not query.asks_if_any and query.metrics:
        # a property (是不是都按期答复了, 是否全部办结): a count of the row does not say yes or no; the text may
        steps.append(Step("text"))
        return route
    if asked_kind(compact(query.text)) == "rate" and query.intent != "share":
        # 占了百分之几 with no two rows to divide: a rate the text states (占51.85%), never a count of the table
        steps.append(Step("text"))
        return route
    aside = set_aside_words(query.text)
    if query.metrics and aside and find_metrics("，".join(aside)) and not find_metrics(normalise_question(
            re.sub("|".join(map(re.escape, aside)), "，", query.text))):
        # the only row named is one the question sets aside ("其他文件有几件，不算规章文件任免那些"): no cell of it
        steps.append(Step("text"))
        return route
    money_rows = [m for m in query.metrics if any("amount" in cols for cols in METRICS[m].columns.values())
                  or METRICS[m].unit.endswith("元")]
    if query.metrics and not money_rows and asks_for_money(compact(query.text)):
        # 罚款多少钱: 表二 counts 行政处罚 decisions (件), not money; only a sentence stating an amount answers it
        steps.append(Step("text"))
        return route
    if asked_kind(compact(query.text)) == "duration" or parts_named(query):
        # no standard table counts time, nor a part of the agency (各乡镇): only a sentence that says so answers
        steps.append(Step("text"))
        return route
    old_rows = all(m.startswith("old.") for m in query.metrics)
    old_reports = all(r.template == TEMPLATE_PRE2019 for r in candidates)
    old_table = old_rows and old_reports  # its row words (政府网站公开数) are prose words in 2019+ reports
    if not query.metrics or (asks_about_prose(query.text) and not old_table) or (old_rows and not old_reports):
        # rows only the old statistics tables have (主动公开信息数 …): the 2019+ reports state them in prose
        steps.append(Step("text"))
        return route
    if asks_for_figure(query.text) and not about_requests(query):
        # 表三 counts requests: "干部任免的文件公开了多少份", "受理了多少起群众诉求" count something else that the
        # text may state, and the row matched by its everyday words (公开了, 受理) would be a wrong number
        steps.append(Step("text"))
        return route
    beyond = words_beyond_the_table(query, old_only=old_table, agency_names=[n for r in candidates
                                                                          for n in [r.agency] + r.aliases]) \
        if asks_for_figure(query.text) else []
    if _part_beyond_the_rows(query, beyond):
        # "收到的公开申请里，申请人自己撤回的有多少件": the row named before 里 says among what; the part counted
        # after it is no row, and the row's cell (all requests received) would be a wrong number
        steps.append(Step("text"))
        return route
    if (len(beyond) >= 2 and not query.metric_mentions and query.metrics == ["t3.new"] and not query.column_named) \
            or len(beyond) >= 5:
        # no row named, only everyday words that every question about applications uses (申请, 申请人), and more
        # words the table has no row for ("找上级复核", "摆平了多少起矛盾"), or a question with many words no row
        # accounts for ("因为要资料的事闹到打官司或找上级复核的，县里一共处理了多少起"): the table row is a guess
        steps.append(Step("text"))
        return route
    if old_table:  # an old table's row words are prose words: only content words beyond them count
        beyond = content_words(beyond)
        if beyond:  # 主动公开了多少条政府采购信息: a part of the row, which only the text can state
            steps.append(Step("text"))
            return route
    elif old_reports and content_words(beyond):
        # a 2021-template row asked of a report before 2019 stands in for an old row that counts much more
        # loosely (受理依申请公开信息总数 for "行政服务中心一共受理了多少件申请"): a figure the text binds to the
        # words beyond it is what was asked, the old row only where the text binds none
        steps.append(Step("text", final=False))
    if _row_joined_with_another_thing(query):
        # "规章和文件一共多少件": the row with something no row counts; the row's cell alone is not what was asked,
        # the text may state their total
        steps.append(Step("text"))
        return route
    # 办结率: a rate reports print by name (办结率100%) and the template has no row for; computed, it is
    # 办结 ÷ (本年新收 + 上年结转)
    handling_rate = query.intent == "share" and query.metrics[:1] == ["t3.total"]
    if beyond:
        # the question says more than its table row ("区政府办代表区政府受理…多少件", "主动公开了多少条政府信息"):
        # when the text binds a figure strongly to those words, that figure is what was asked
        steps.append(Step("text", strong_only=True, rate_printed=handling_rate))
    elif handling_rate and not query.share_of:
        steps.append(Step("text", strong_only=True, rate_printed=True))
    one_cell = query.column not in COLUMN_GROUPS and query.intent not in ("share", "sum")
    # a row this old table does not have (信函申请 where it prints 信函、传真申请), a share of a row the report does
    # not print (（六）其他处理 of 81): the text may state it
    share = query.intent == "share"
    steps.append(Step("table" if one_cell else "computed", final=not old_table and not share))
    if old_table or share:
        steps.append(Step("text", figure_only=share))
    return route


def _part_beyond_the_rows(query: Query, beyond: list[str]) -> bool:
    """Whether every row the question names stands before its 里 / 其中 / 当中 and content words no row accounts
    for stand after it: the part asked is none of the table's."""
    if query.column_named or not whole_named_before_the_part(query):
        return False  # (a column named after 里 is the part asked: "新收的申请里有几件是律师事物所提的")
    text = normalise_question(query.text)
    after = text[list(AMONG.finditer(text))[-1].end():]
    if not query.metric_mentions:
        # no row named, only 申请 before 里: "申请信息公开的里面给了全部或部分的有几件" asks a part, not all 81
        return bool(content_words(base_tokenizer().tokens(after)))
    return bool(content_words([w for w in beyond if w in after]))


_JOINED_TO = re.compile(r"(?:和|及|与|以及)(?:各类|各种|其他|其它|有关)?([\u4e00-\u9fff]{2,4}?)"
                        r"(?=一共|总共|合计|加起来|共|多少|几|的|[，,？?]|$)")


def _row_joined_with_another_thing(query: Query) -> bool:
    """Whether the one row asked is named together with a thing no row or column is (规章和文件, 规章和各类文件)."""
    if len(query.metrics) != 1:
        return False
    text = normalise_question(query.text)
    metric = METRICS[query.metrics[0]]
    for word in metric.synonyms + metric.keys:
        at = text.find(word) if len(word) >= 2 else -1
        m = _JOINED_TO.match(text, at + len(word)) if at >= 0 else None
        if m and not find_metrics(m.group(1)) and not any(m.group(1) in w or w in m.group(1) for c in COLUMNS.values()
                                                          for w in c.synonyms if len(w) >= 2):
            return True
    return False


_FUNCTION_CHARS = set("是数的了有为在和与及或等共计多少几个件条次份项人")


def content_words(words: list[str]) -> list[str]:
    """The words that name something (采购, 政策性), not a counter or a grammatical word (数是, 条)."""
    return [w for w in words if len(w) >= 2 and not set(w) <= _FUNCTION_CHARS]


_SERVICE_REQUESTS = re.compile(r"(?:办事|审批|许可|服务事项)(?:的)?申请")
_REQUEST_WORDS = ("申请", "索取", "讨要", "索要", "要求公开", "要资料", "要材料", "要信息", "要文件", "新收")
# rows that everyday words reach without naming a request: 受理 / 收到 (本年新收), 公开了 (予以公开)
_EVERYDAY_ROWS = ("t3.new", "t3.disclosed")


def about_requests(query: Query) -> bool:
    """Whether a question about 表三 rows is about requests: it says so (申请, 要资料 …), names a row by the
    table's own words (予以公开, 本年新收 …) or by words only requests have (国家机密, 没有现成的), or asks no
    表三 row at all."""
    t3 = [m for m in query.metrics if METRICS[m].table == "t3"]
    text = normalise_question(query.text)
    if _SERVICE_REQUESTS.search(text) and "信息" not in text:
        return False  # 办事申请, 审批申请: requests for a service (行政服务中心受理申请121510件), not for information
    if t3 and len(t3) == len(query.metrics) and "信息" in text and not any(w in text for w in _REQUEST_WORDS) \
            and (asked_unit(text) == "条" or (asked_unit(text) is None and re.search(r"信息的?数", text))):
        # 定为不公开的信息有多少条, 不予公开的信息数量: pieces of information (条), which 表三 does not count
        # (件 of requests)
        return False
    if t3 == ["t3.total"]:  # 办结 / 办理了多少: about requests unless the question names something else it did
        return not content_words(words_beyond_the_table(query))
    if not t3 or len(t3) < len(query.metrics) or any(m not in _EVERYDAY_ROWS for m in t3):
        return True
    if any(w in text for w in _REQUEST_WORDS):
        return True
    return any(k in text for m in t3 for k in METRICS[m].keys + GROUP_SYNONYMS.get(METRICS[m].parent or "", ()))


_NO_OBJECT = {"件", "个", "条", "项", "次", "数字", "数据", "数", "数量", "情况", "多少", "几", "有", "是", "的", "总数",
              "一共", "共", "结果"}
_COLUMN_ONLY = {"总计", "其他", "维持", "纠正", "结果维持", "结果纠正", "尚未审结", "自然人", "商业企业", "合计"}


def _figure_unnamed(query: Query) -> Answer | None:
    """A figure asked without saying of what ("洪泽区2024年有多少件", "平潭2021年总计是多少", "结果维持的有几件"):
    ambiguous, with what the reports count. None when the question names something."""
    if query.metrics or query.contact_kinds or not asks_for_figure(query.text) or not (query.agencies or query.year):
        return None
    words = base_tokenizer().tokens(search_text(compact(query.text), [query.agency_mention]))
    columns = [w for w in words if w in _COLUMN_ONLY]
    if any(w not in _NO_OBJECT and w not in _COLUMN_ONLY for w in words):
        return None
    where = f"“{'、'.join(columns)}”是表中的一列，表三、表四的许多行都有这一列" if columns else "问题没有说明要问哪一项数据"
    return Answer("ambiguous", f"{where}。请说明要问的是哪一项，例如：收到的政府信息公开申请、予以公开的申请、"
                               "主动公开的信息、行政复议、行政诉讼。", query=query,
                  choices=["本年新收政府信息公开申请", "予以公开", "行政复议", "行政诉讼"])


def _only_in_prose(query: Query, reports: list[Report]) -> bool:
    """Rows only the old statistics tables have (主动公开信息数 …) asked of years whose reports are all 2019 or
    later: those reports state them in their text, so the text answers (for each year), not the table."""
    if not all(m.startswith("old.") for m in query.metrics):
        return False
    asked = [r for r in reports if (not query.agencies or r.agency in query.agencies)
             and (not query.years or r.year in query.years)]
    return bool(asked) and all(r.template != TEMPLATE_PRE2019 for r in asked)


_UNIT_ENDING = ("局", "委", "办", "中心", "办公室", "委员会")


def _unit_words(query: Query) -> str:
    """The unit a question names after its place, without the place's level: 平潭区财政金融局 → 财政金融局 (and
    区社会事业局, named with no place, → 社会事业局)."""
    return query.unknown_agency[len(query.agency_mention):].lstrip("省市县区乡镇")


def _places_naming(query: Query, store: Store, reports: Reports) -> list[str]:
    """The agencies whose report of the year asked prints the unit a question names without its place (区社会事业局
    of 平潭's 2019 report), found by a keyword search of those reports' text; none when no report prints it."""
    unit = _unit_words(query)
    if len(unit) < 3 or not unit.endswith(_UNIT_ENDING):
        return []
    in_year = [r for r in reports if r.year == query.year]
    hits = get_retriever(store).search(unit, [r.id for r in in_year], k=20, mode="keyword") if in_year else []
    return sorted({h.report.agency for h in hits if unit in compact(h.text)})


def department_named(query: Query) -> str:
    """The unit of a held place that the question names, without the place's level (平潭区财政金融局 → 财政金融局), or
    "" when it names none."""
    return _unit_words(query) if query.unknown_agency and query.department_of else ""


def resolve_reports(query: Query, reports: Reports) -> list[Report] | Answer:
    """The reports the question can be about, or a not_found answer saying what the store holds."""
    if query.agencies:
        candidates = reports.of_agencies(query.agencies)
    elif query.unknown_agency:
        return Answer("not_found", f"库中没有“{query.unknown_agency}”的年度报告。库中现有：{agency_list(reports)}。",
                      query=query)
    else:
        candidates = reports if query.year is None else [r for r in reports if r.year == query.year]
        if not candidates:
            return Answer("not_found", f"库中没有{query.year}年的报告。库中报告的年份：{years_text(reports)}。",
                          query=query)
    if query.year is not None:
        in_year = [r for r in candidates if r.year == query.year]
        if not in_year:
            return Answer("not_found", f"库中没有{agency_list(candidates)}{query.year}年的报告；"
                                       f"库中该机关的报告年份：{years_text(candidates)}。", query=query)
        candidates = in_year
    return candidates


def asks_about_prose(text: str) -> bool:
    """Words that look like a table row but name something only the text reports (信息处理费 is not 行政事业性收费)."""
    text = compact(text)
    # a fee for what was asked for ("要材料收费了没"): the text's 信息处理费, not 表二's 行政事业性收费
    fee_for_a_request = bool(_FEE.search(text)) and any(w in text for w in _REQUEST_WORDS)
    return fee_for_a_request or any(term in text for term in PROSE_TERMS)


_FEE = re.compile(r"收费(?!通知)|收钱|交钱|要钱|收了多少钱|花了多少钱")  # not 表三's 未按收费通知缴纳费用


@lru_cache(maxsize=2)
def _table_vocabulary(old_only: bool = False) -> frozenset[str]:
    """Every word the catalogue accounts for: labels, keys and synonyms of rows and columns (with `old_only`,
    without 表二's: 采购 is a 表二 row of 2019 and later, not a row of the statistics tables before 2019)."""
    explained = set(GENERIC_TABLE_WORDS)
    for words in list(GROUP_SYNONYMS.values()) + list(COLUMN_GROUP_SYNONYMS.values()):
        explained.update(words)
    for metric in METRICS.values():
        if old_only and metric.table == "t2":  # 表二's rows (规章, 许可, 采购 …) are no rows of theirs
            continue
        explained.update(metric.synonyms + metric.keys + (compact(metric.label),))
    t2_columns = {c for m in METRICS.values() if m.table == "t2" for cols in m.columns.values() for c in cols}
    for column in COLUMNS.values():
        if not old_only or column.id not in t2_columns:
            explained.update(column.synonyms)
    return frozenset(explained)


# the columns' words that hold 其他 (法人或其他组织): 其他 inside them names a column, not a remainder
_COLUMN_WORDS_WITH_OTHER = tuple(w for w in [w for c in COLUMNS.values() for w in c.synonyms + (c.label,)]
                                 + [w for words in COLUMN_GROUP_SYNONYMS.values() for w in words]
                                 if ("其他" in w or "其它" in w) and len(w) > 2)


def _named_with_the_agency(question: str, mention: str, agency_names: list[str]) -> str:
    """The words joined to the agency's mention by 和/及/、 that begin one of its names too: "上海市政府" of
    "上海市政府和市府办公厅发布的" (the 办公厅 publishes for both); "" when there are none."""
    at = question.find(mention) if mention else -1
    joined = re.search(r"(?:和|及|与|、)$", question[:at]) if at > 0 else None
    if not joined:
        return ""
    before = question[:joined.start()]
    names = [compact(n) for n in agency_names]
    return next((before[i:] for i in range(max(0, len(before) - 12), len(before) - 1)
                 if any(n.startswith(before[i:]) for n in names)), "")


def words_beyond_the_table(query: Query, old_only: bool = False, agency_names: list[str] = ()) -> list[str]:
    """The question's content words that no catalogue word and no agency or year word accounts for (`agency_names`:
    the names and aliases of the reports asked)."""
    # 辦公廳 read as 办公厅; an everyday word (晒出来) as asked: it is no word of the table's
    question = normalise_question(query.text)
    text = search_text(question, [query.agency_mention, _named_with_the_agency(question, query.agency_mention,
                                                                              agency_names)], everyday=False)
    explained = _table_vocabulary(old_only)

    def accounted_for(token: str) -> bool:
        covered = [False] * len(token)
        for w in explained:
            if len(w) >= 2:
                at = token.find(w)
                while at >= 0:
                    covered[at:at + len(w)] = [True] * len(w)
                    at = token.find(w, at + 1)
        return all(covered) or any(token in w for w in explained if len(w) > len(token))

    beyond = [t for t in base_tokenizer().tokens(text) if t not in explained and not accounted_for(t)]
    # 其他 is a word of some rows (其他处理); of any other row asked it names a remainder the row does not count
    # ("其他应主动公开的信息" is not 主动公开信息数)
    rows_say_other = any(("其他" in w or "其它" in w) for m in query.metrics
                         for w in METRICS[m].synonyms + METRICS[m].keys + (METRICS[m].label,))
    column_says_other = any(w in text for w in _COLUMN_WORDS_WITH_OTHER)
    other = next((w for w in ("其他", "其它") if w in text), None)
    if other and query.metrics and not rows_say_other and not column_says_other and other not in beyond:
        beyond.append(other)
    return beyond
