"""Answers from report text: a figure bound to the asked phrase in a retrieved sentence, or the passages quoted.

A number is only given when a sentence binds it to what was asked ("召开新闻发布会12场" for "开了多少场新闻发布
会"): the clause must hold the asked words and the number with a unit. Otherwise the best passages are quoted
exactly, each with its citation, and no number is made up.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from dataclasses import dataclass, field, replace
from typing import Callable

from index.catalogue import COLUMN_GROUP_SYNONYMS, COLUMN_GROUPS, COLUMNS, METRICS, OLD_EQUIVALENTS, T3_COLUMNS
from index.passages import split_sentences
from index.tokenize import base_tokenizer
from index.normalize import compact, term_key

from assistant.figure_ranker import TELLING, Ranker, feature_rows, load_ranker
from assistant.query import COUNT_OF_A_PART, find_metric_mentions, normalise_question
from assistant.retrieve import Result

UNITS = ("人次", "万人", "万元", "亿元", "万", "元", "场", "条", "个工作日", "工作日", "个", "件", "次", "期", "篇", "家", "项",
         "人", "份", "批", "名", "所", "处", "套", "起", "天", "日", "小时", "分钟", "%", "％", "本", "册", "轮", "类", "种",
         "大类", "大项", "小项", "级", "通")
# What a figure measures, by its unit: a count is no answer to a duration, a rate or an amount of money.
_UNIT_KINDS = {"duration": ("个工作日", "工作日", "天", "日", "小时", "分钟"), "rate": ("%", "％"),
               "money": ("万元", "亿元", "元")}
# Counters that count different kinds of things: 多少本 is not answered by 50条, 几场 not by 7人. Counters of one
# kind stand in for each other (条/件/个/项 are used loosely for the same things).
_COUNTERS = ({"个", "件", "条", "项", "份", "篇", "家", "处", "批", "所", "起"}, {"次", "场", "期", "轮"},
             {"人", "人次", "名", "万人"}, {"本", "册"}, {"套"},  # 几套模板 counts sets, not 17件 requests
             {"类", "种", "大类"},  # 多少类电子证照 counts kinds, not 452149份 certificates
             {"大项"}, {"小项"}, {"级"}, {"通"})  # "8大类348项", "229大项539小项": each counts its own; 11通 calls
# Loosely alike, but not for 条: items of information (多少条) are not the bodies or places that publish them
_NOT_FOR_ITEMS = {"家", "所", "处"}
_KIND_WORDS = {"duration": ("多久", "多长时间", "时长", "用时", "耗时", "平均时间", "答复时间", "办理时间", "回复时间",
                            "办结时间", "天数", "工作日", "时限", "期限"),
               "rate": ("比例", "比率", "百分之", "百分比", "占比", "率", "满意度"),
               "money": ("多少钱", "金额", "费用", "经费", "资金", "税额", "税款")}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUMBER_WITH_UNIT = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:余|多)?\s*({_UNIT}|(?=[，,。；;）)]|$))")


# small counts written in Chinese numerals, with a counter ("明确两人", "一名政策解读专员", "执行三级审核制度"); not
# an ordinal (第一次), a word ending in 一 (统一名称, 唯一), nor a set phrase (一次性, 一条龙, 一件事, 三个一)
_CHINESE_COUNT = re.compile(r"(?<![第统唯同逐单之万专初每某一二两三四五六七八九十])"
                            r"(十[一二三四五六七八九]?|[一二两三四五六七八九]十?[一二三四五六七八九]?)"
                            r"\s*(?:余|多)?\s*(名|人|级|次|个|期|场|项|家|条|件|篇)(?![性龙事一二两三四五六七八九十])")
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def figure_number(value: str) -> Decimal:
    """A printed figure as a number: "1,234" → 1234, "两" → 2, "十二" → 12."""
    if not value or not (value[0] in CHINESE_DIGITS or value[0] == "十"):
        return Decimal(value.replace(",", ""))
    if "十" not in value:
        return Decimal(CHINESE_DIGITS[value])
    tens, _, ones = value.partition("十")
    return Decimal(CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(ones, 0))


def numbers_with_units(text: str) -> list[re.Match]:
    """The numbers of a text printed with a unit (250条, 38.27%, 两人), and the counts printed without one right
    after 数 ("不予公开信息数1402，…"); a bare number elsewhere (a year, a code) is none."""
    found = [m for m in _NUMBER_WITH_UNIT.finditer(text)
             if m.group(2) or re.search(r"数为?$", text[:m.start()].rstrip())]
    return sorted(found + list(_CHINESE_COUNT.finditer(text)), key=lambda m: m.start())
_ASKED_UNIT = re.compile(rf"(?<!好)(?:多少|几)\s*({_UNIT})?")  # 好几个部门 is "several", not asked
_RATE_ASKED = re.compile(r"百分之(?:多少|几)|(?:占比|比例|比重|百分比)(?:是|为|有)?(?:多少|几|多大)|多大(?:的)?(?:比例|比重|占比)")
_SIZED_COUNTER = re.compile(r"(?:多少|几)个?(大项|小项|大类)|按(大项|小项|大类)算")
_FIGURE_WORDS = ("多少", "几", "数量", "数目", "总数", "金额", "总量")
# a count named by its counter, the way staff type a look-up ("政务公开月度通报次数", "专栏访问人次"): what it is
# counted in; the spoken counters 回/遍/趟 count times ("催办发了多少回")
_TERSE_COUNT = re.compile(r"(次|条|件|人|个|项|篇|份|家|期|场|级)数(?=$|[（(？?，,。！!]|是|为|有)"
                          r"|(人次|场次)(?=$|[（(？?，,。！!]|是|为|有)")
# a volume named by what is done ("网络问政受理量", "网站访问量"): a count asked without a question word
_VOLUME_ASKED = re.compile(r"(?:受理|访问|浏览|点击|阅读|下载|办件|发文|来件|来信|来电|来访|咨询|发布|申请|诉求|留言|回复"
                           r"|答复|办理|办结|转发|播放|关注|接听|接待)量(?=$|[（(？?，,。！!]|是|为|有)")
# a figure asked without a question word: "区直部门公开占比", "乡镇公开的信息占了多大比例", "微信公众号粉丝数（2025年报）"
_TERSE_FIGURE = re.compile(r"(?:[\u4e00-\u9fff]数|占比|比例|比重|[\u4e00-\u9fff]率)(?=$|[（(？?，,。！!])")
_SPOKEN_TIMES = re.compile(r"(?<!好)(?:多少|几)\s*(?:回|遍|趟)")
_WHICH_MORE = re.compile(r"(哪一?年|谁|哪个|哪家).{0,20}(多|少|高|低)")  # 哪年主动公开的政府信息多
_AMOUNT_OF = re.compile(r"(访问|浏览|点击|阅读|播放|关注|粉丝|发布|申请|办件)量")  # 政府网站的访问量


@dataclass
class Figure:
    value: str  # exactly as printed
    unit: str
    sentence: str
    result: Result
    clause: str = ""  # the words bound to it, with it
    rivals: list["Figure"] = field(default_factory=list)  # other figures of the text bound almost as well


# two things asked together and added up: "公示公告和政策文件共几条" (the words before and after 和)
_SUM_OF_THINGS = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{1,12}?)(?:和|及|与|、|跟|加上?)"
                            # the things end at 这些/等 ("教育、养老这些重点领域的…任务一共": 养老, then their kind)
                            r"((?:(?!这些|等)[\u4e00-\u9fffA-Za-z0-9（）()]){1,16}?)"
                            r"(?:的|(?:这些|等)[\u4e00-\u9fff]{0,14}?)?(?:一共|(?<!公)共(?![享同建])|合计|总共|加起来|之和|总计)"
                            # "关停了几个政府网站和政务新媒体": one count of both
                            r"|(?:多少|几)[个条件项家次篇场处]?([\u4e00-\u9fffA-Za-z0-9（）()]{1,12}?)(?:和|及|与|、)"
                            r"([\u4e00-\u9fffA-Za-z0-9（）()]{1,16})[?？]?$")
_TOTAL_SAID = re.compile(r"共|合计|总计|总数|累计|总量")
_A_COUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?\s*[条件个次篇场项家人处万亿元%％]")
_SHARE_ASKED = re.compile(r"占.{0,8}?(?:多少|几)|占比|百分之|比例|比重|百分比")


def _named_in(part: str, other: str, clause: str) -> bool:
    """Whether the clause names a part of the question: a third of its own bigrams (those the other part lacks)."""
    own = _bigrams(part[-6:]) - _bigrams(other)
    return bool(own) and 3 * len(own & _bigrams(clause)) >= len(own)


_MONEY_ASKED = re.compile(r"多少钱|多少元|多少万元|金额|税额|罚了多少|罚款多少|罚没")


def asks_for_money(question: str) -> bool:
    """An amount of money asked ("罚款多少钱"), not a count of things about money ("缴纳费用的申请有几件")."""
    return bool(_MONEY_ASKED.search(question))


def figure_fits(question: str, figure: Figure) -> bool:
    """Whether a figure bound to the question is of the shape asked: several things added up ("新闻发布会和新闻通气会
    一共多少场") only by a figure the text states as their total (共/合计) or of a category naming both ("行政公文和
    政策解读信息9条"), never by one of the parts (新闻通气会 19 场); a share ("重点领域信息占多少") only by a
    percentage, never by a count."""
    things = _SUM_OF_THINGS.search(re.sub(r"(?:19|20)?\d{2}\s*年度?", "，", question))  # a year is no part
    if things:
        own = re.search(rf"(?<![\d.]){re.escape(figure.value)}(?![\d.])", figure.sentence)
        # the words since the figure or the comma before it ("新闻发布会 42 场、新闻通气会 19 场": 新闻通气会 for 19)
        clause = re.split(r"[，,；;。]", _A_COUNT.split(figure.sentence[:own.start()])[-1])[-1] if own else figure.clause
        first, second = things.group(1) or things.group(3), things.group(2) or things.group(4)
        named = _named_in(first, second, clause), _named_in(second, first, clause)
        # both named (a category of the two), or a total naming neither; one part named is that part's figure,
        # though the sentence say 累计 before it ("累计整改不规范描述22处、失效链接43处")
        if not (all(named) or (_TOTAL_SAID.search(clause) and not any(named))):
            return False
    if _SHARE_ASKED.search(question) and not COUNT_OF_A_PART.search(question) and figure.unit not in ("%", "％", "成"):
        return False
    if asks_for_money(question) and unit_kind(figure.unit) != "money":  # 罚款多少钱 is no count of 件
        return False
    return True


def asks_for_figure(question: str) -> bool:
    return any(w in question for w in _FIGURE_WORDS) or bool(_WHICH_MORE.search(question) or _AMOUNT_OF.search(question)
                                                             or _TERSE_COUNT.search(question)
                                                             or _VOLUME_ASKED.search(question))


def asks_tersely(question: str) -> bool:
    """A figure asked without a question word the table routes know: a share ("区直部门公开占比", "占了多大比例"), a
    rate or a count named by its noun ("办理满意率", "粉丝数"). Only the text answerer reads it so: a share of
    table rows stays the table's, computed."""
    return bool(_RATE_ASKED.search(question) or _TERSE_FIGURE.search(question))


def unit_kind(unit: str) -> str:
    return next((kind for kind, units in _UNIT_KINDS.items() if unit in units), "count")


def asked_kind(question: str) -> str | None:
    """What the question asks to measure (duration / rate / money / count), or None when it does not say."""
    unit = asked_unit(question)
    if unit and unit_kind(unit) == "count":
        return "count"  # a counter asked wins over the words around it: 三公经费的信息有几条, 超过15个工作日的有几件
    if _RATE_ASKED.search(question):
        return "rate"  # 有百分之多少的事项办结时长缩短到30分钟以内: a rate, whatever it is a rate of
    for kind, words in _KIND_WORDS.items():
        if any(w in question for w in words):
            return kind
    return unit_kind(unit) if unit else None


# 几个政务信息员 / 几个人: a person counted (the noun ends there: 几个无人维护的新媒体 counts media)
_PERSON_AFTER = re.compile(r"[^\W的]{0,6}?(?:员(?!会)|干部|领导|负责人|工作者|志愿者|律师|代表"
                           r"|人员?(?=$|[^\u4e00-\u9fff]|[呢吗啊呀了在负是]))")


def asked_unit(question: str) -> str | None:
    size = _SIZED_COUNTER.search(question)
    if size:  # "多少个小项", "按大项算是多少项": the counter named beside the question word
        return size.group(1) or size.group(2)
    m = _ASKED_UNIT.search(question)
    if m and (m.group(1) or "个") == "个" and (_PERSON_AFTER.match(question, m.end())
                                               or (m.group(1) and re.match(r"人(?!民)", question[m.end():]))):
        return "人"  # 几个政务信息员, 多少临时借调人员 count people: 两名, 3人
    if m and m.group(1) and "费" not in question[m.end():m.end() + 2]:  # 多少处理费 asks money, not 多少处
        return m.group(1)
    if _SPOKEN_TIMES.search(question):
        return "次"
    terse = _TERSE_COUNT.search(question) if not m else None
    if terse:
        return {"场次": "场"}.get(terse.group(2), terse.group(1) or terse.group(2))
    if any(w in question for w in ("钱", "金额", "费", "税额", "税款")):  # 费用, 经费, 处理费
        return "元"  # 元, 万元 and 亿元 all answer it
    return None


_SEGMENT_END = re.compile(r"[，,。；;！？!?、：:（）()“”\"]")
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:（）()]")
# words in brackets, no number in them, words after them
_BRACKETED_REMARK = re.compile(r"[（(][^\d（）()%％]{2,20}[）)](?=[\u4e00-\u9fff])")
STRONG_BINDING = 4  # shared question bigrams that let a text figure win over a table cell


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def bound_phrase(text: str, start: int, end: int) -> tuple[str, str]:
    """The words a number counts: the phrase that leads up to it ("其中自然人申请" 741 件) and the phrase right
    after its unit (12场 "新闻发布会"), each running to the nearest punctuation."""
    before = text[:start]
    cut = max((m.end() for m in _SEGMENT_END.finditer(before)), default=0)
    after = text[end:]
    # a remark in brackets right after the counter is passed over: "明确两人（实行AB岗责任制）负责线上平台信息发布"
    remark = _BRACKETED_REMARK.match(after)
    if remark:
        after = after[remark.end():]
    # the object of 对 runs through its 、-list to its verb: "对29项涉及群众切身利益、重大公共利益、需广泛知晓的
    # 重要政策文件进行解读"
    stop = (_CLAUSE_END if before.endswith("对") else _SEGMENT_END).search(after)
    return before[cut:], after[:stop.start() if stop else len(after)]


def carried_object(text: str, start: int) -> str:
    """The thing counted, carried over from the clause before when this one leaves it out: "共收到15564件咨询投诉件，
    已办结15042件" — 15042 counts 咨询投诉件 too. Only the words after the earlier clause's own number (a list such
    as "概况信息17条、公示公告8条" carries nothing: each item names its own)."""
    before = text[:start]
    cuts = [m for m in _SEGMENT_END.finditer(before)]
    if not cuts or cuts[-1].group(0) not in "，,":
        return ""
    previous = before[(cuts[-2].end() if len(cuts) > 1 else 0):cuts[-1].start()]
    numbers = numbers_with_units(previous)
    return previous[numbers[-1].end():] if numbers else ""


# a count with no words of its own: "全年共发布133条", "全年共发布信息68条"
_BARE_LEAD = re.compile(r"^(?:全年|今年|本年度?|当年)?(?:共|累计|合计)?(?:发布|公开|公布|推送)?(?:了)?(?:各类)?(?:政府)?(?:信息)?(?:共|累计)?$")
_HEADING = re.compile(r"[（(][\d一二三四五六七八九十]+[）)]|(?<![\d.])\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]是")


def topic_of(previous: list[str], before: str) -> str:
    """What a bare count of a paragraph is about: its own sentence up to it ("一是积极推进教育领域信息公开，…全年共发布
    133条"); where that says nothing ("全年共发布信息68条。"), the last numbered heading of its passage before it,
    or the passage's opening clause. (A heading may name several topics, each with its own count: "（1）推进重大建设
    项目和政府与社会资本合作（PPP）项目信息公开" heads 166条 and 13条.)"""
    if len(before) >= 6:
        return term_key(before)
    earlier = "".join(previous)
    headings = list(_HEADING.finditer(earlier))
    opening = earlier[headings[-1].start():] if headings else earlier
    return term_key(re.split(r"[，,；;。]", opening, maxsplit=1)[0] + "，" + before)


_SHARE_LEAD = re.compile(r"^(?:约|共|合计)?(?:占比?|比例|比重)(?:为|达|约)?$")


def shared_whole(text: str, start: int, lead: str) -> str:
    """What a percentage with no words of its own is a share of: the clause before it ("各乡镇主动公开政府信息477条，
    占23.1%" — 23.1 % is a share of 各乡镇's 477 条). "" where the percentage names its own thing."""
    if lead and not _SHARE_LEAD.match(lead):
        return ""
    before = text[:start - len(lead)].rstrip("，,（( ")
    cut = max((m.end() for m in _SEGMENT_END.finditer(before)), default=0)
    return before[cut:]


def bigram_weights(texts: list[str]) -> dict[str, float]:
    """How telling each character bigram is (inverse document frequency over the texts): 概况 names one thing,
    公开 and 信息 are in every report. Ranks the numbers a question's words bind (never decides alone)."""
    df: dict[str, int] = {}
    for text in texts:
        for gram in _bigrams(term_key(text)):
            df[gram] = df.get(gram, 0) + 1
    n = max(len(texts), 1)
    return {gram: math.log((n + 1) / (count + 0.5)) for gram, count in df.items()}


def weighted_binding(question_bigrams: set[str], phrase_bigrams: set[str], weights: dict[str, float]) -> float:
    """The question's bigrams in a number's bound words, each weighted by how telling it is."""
    rare = math.log(len(weights) + 1)  # a bigram no text has: as telling as the rarest
    return sum(weights.get(g, rare) for g in phrase_bigrams & question_bigrams)


def binding(question_bigrams: set[str], text: str, start: int, end: int) -> int:
    """How strongly a number is bound to the question: the question's character bigrams in its bound phrase."""
    lead, tail = bound_phrase(text, start, end)
    return len(_bigrams(lead) & question_bigrams) + len(_bigrams(tail) & question_bigrams)


_APPLICANT_COLUMNS = T3_COLUMNS[:-1]


def _columns_named(phrase: str) -> set[str]:
    named = {c for c in _APPLICANT_COLUMNS if any(w in phrase for w in COLUMNS[c].synonyms)}
    groups = {g for g, words in COLUMN_GROUP_SYNONYMS.items() if any(w in phrase for w in words)}
    if groups:  # 法人或其他组织 names the group, not its 其他 column
        named -= set(COLUMN_GROUPS["legal_person"])
    return named | groups


# Words that narrow a question to part of the agency (its townships, departments, villages): the standard tables
# count the agency as a whole, so only a sentence that names the same part answers such a question.
_PART_WORDS = ("乡镇", "街道", "各部门", "部门", "各单位", "下属", "所属", "县直", "区直", "市直", "各村", "村级", "社区",
               "村居", "村务")  # in term_key form: 村（居）、村(社区) read as 村居


# 部门 as a part of the agency (各部门, 19年部门的预决算, 多部门), not a kind of department named by the words before
# it ("审批服务部门开了多少个窗口", "环保部门答了几通") nor one a sentence speaks of ("为了不让部门超期")
_DEPARTMENTS_AS_PART = re.compile(r"(?:^|[^\u4e00-\u9fff]|[各直属的和及与多年中])部门")
# "…有多少个？我们社区想挑几个转发": what follows the question's question mark is the asker's own remark
_REMARK = re.compile(r"(?<=[？?])[^？?]*(?:我|咱|社区|街坊|邻居|老人|有人问|想了解|关心|以前|单位).*$")


def parts_named(query) -> list[str]:
    """The narrowing words of a question ("各乡镇主动公开了多少条" → ["乡镇"]), outside the agency's own name
    (义凤街道 is an agency, not a part of one) and the asker's remark after the question (我们社区想挑几个)."""
    text = term_key(_REMARK.sub("", query.text))
    for name in sorted([query.agency_mention] + list(query.agencies), key=len, reverse=True):
        if name:
            text = text.replace(term_key(name), " ")
    set_aside = set_aside_words(query.text)
    found = [w for w in _PART_WORDS if w in text and not any(w in a for a in set_aside)
             and (w != "部门" or _DEPARTMENTS_AS_PART.search(text))]
    return [w for w in found if not any(w != other and w in other for other in found)]


# "区直各部门（不算乡镇）", "不包括乡镇在内": a part the question leaves out, to its bracket or comma
_LEFT_OUT = re.compile(r"(?:不算|不含|不包括|不包含|不计|除去|刨去|刨除|(?<=[（(\s，,])不是)([\u4e00-\u9fff、和及]{2,10}?)"
                       r"(?=的?[）)]|[，,？?]|在内|以外|之外|$)")  # …（不是部门的）: inside brackets only


def set_aside_words(question: str) -> list[str]:
    """The things a question leaves out in so many words (不算乡镇, 不含乡镇, 不包括…在内), as printed."""
    # what is left out is a noun: it ends at 的 ("不包括律师的申请一共多少件" leaves out 律师)
    return [term_key(w) for m in _LEFT_OUT.finditer(question) for w in re.split(r"[、和及]", m.group(1).split("的")[0])
            if len(w) >= 2]


def whole_named_before_the_part(query) -> bool:
    """Whether every row the question names stands before its last 里 / 其中 / 当中 (or none is named and 本年新收 is
    guessed from 申请 alone): what follows asks a part of that whole ("收到的公开申请里，申请人自己撤回的",
    "申请信息公开的里面给了全部或部分的")."""
    among = list(AMONG.finditer(normalise_question(query.text)))  # (where the mentions' places are counted)
    if not among:
        return False
    if not query.metric_mentions:
        return query.metrics == ["t3.new"]
    return all(at < among[-1].start() for at, _ in query.metric_mentions)


def _rows_are_the_whole(query) -> bool:
    """Whether the rows asked are the whole named before the part (`whole_named_before_the_part`), each of them named
    there: 予以公开及部分公开42件 is then that part, not another row."""
    return whole_named_before_the_part(query) and (
        not query.metric_mentions or set(query.metrics) <= {m for _, m in query.metric_mentions})


def fits_the_question(phrase: str, query, since: str = "") -> bool:
    """Whether the words bound to a number name what a table-worded question asks: the same row (a sub-row asked,
    the sub-row named) and the same applicant column ("自然人申请 741 件" answers no question about 本机关不掌握,
    nor one about all applicants). The part a question names (各乡镇) may be named since the number before it in
    its sentence (`since`: "对24个单位部门进行问政，曝光了" for 16个问题 of 各单位)."""
    if not all(w in phrase + since or w.lstrip("各") in phrase + since for w in parts_named(query)):
        return False  # the question asks about a part (各乡镇); the number counts something else
    if not query.metrics:
        return True  # a question only the text can answer: the binding decides
    if asked_unit(query.text) == "条" and "申请" not in query.text and all(m.startswith("t3.") for m in query.metrics):
        return True  # "对外公开了多少条信息" counts information made public, not applications (件) of 表三's rows
    named_rows = {m for _, m in find_metric_mentions(phrase)}
    # the rows asked, old and new (同意公开答复数 counts 予以公开), and any kind of information the question names
    # (主动公开…政策、规范性文件类 of a pre-2019 list: 82条)
    asked_rows = set(query.metrics) | {OLD_EQUIVALENTS[m] for m in query.metrics if m in OLD_EQUIVALENTS} \
        | {m for m, new in OLD_EQUIVALENTS.items() if new in query.metrics} \
        | {m for _, m in query.metric_mentions if m.startswith("t2.")}
    # a sub-row the question names in so many words (本机关不掌握…) must be named by the phrase too; a row matched
    # by everyday words ("公开了几期常务会议") may be the question's own wording, not the table's row
    sub_rows = {m for _, m in query.metric_mentions if m in asked_rows and METRICS[m].parent}
    if sub_rows and not named_rows & sub_rows:
        return False
    if named_rows and not named_rows & asked_rows and not _rows_are_the_whole(query):
        return False  # the phrase counts another row
    named_columns = _columns_named(phrase)
    asked_column = query.column if query.column_named and query.column in _APPLICANT_COLUMNS + tuple(COLUMN_GROUPS) \
        else None
    if asked_column:
        return asked_column in named_columns
    return not named_columns  # one kind of applicant is no answer about all of them


_FILLER = set("了共计达为约近有是余多")


def adjacency(question: str, text: str, start: int, end: int) -> int:
    """The longest run of the question's text standing right before the number (a filler such as 了/共/达 may
    sit between) or right after its unit: 月通报7次 → 3 for "开展了几次月通报", 季度通报3次 → 2."""
    best = 0
    for skip in range(0, 3):
        stop = start - skip
        if stop < 0 or (skip and not set(text[stop:start]) <= _FILLER):
            break
        k = 0
        while k < stop and text[stop - k - 1:stop] in question:
            k += 1
        best = max(best, k)
    k = 0
    while end + k < len(text) and text[end:end + k + 1] in question:
        k += 1
    return max(best, k)


_TITLE = re.compile(r"《[^》]+》")
# What was done to the things counted: a question about requests finished (办完) is not answered by the number
# received (收到), nor one about refusals by the number finished.
_ACTIONS = {"receive": ("收到", "受理", "接收", "接到"), "finish": ("办结", "办完", "结案", "办理完", "处理完", "答复完"),
            "refuse": ("拒绝", "不予公开", "不公开"), "resolve": ("解决", "化解"),
            "close": ("关停", "注销", "撤销", "关闭", "下线", "关掉", "停掉", "停用", "关了", "废止", "废除", "废掉",
                      "废了"),
            "exist": ("现存", "现有"),  # what exists is no count of what was closed or opened
            "open": ("新开设", "新开", "新增", "新建", "新加")}  # newly opened: a part of what exists
# a number of things refused or closed counts the opposite of what a question without those words asks about
# ("先后关停…政务新媒体2个" is no answer to "一共有多少个政务新媒体"), and of things newly opened only a part of it
# ("新开设1个政务新媒体" for "现有多少个")
_INVERTING = {"refuse", "close", "open"}
# What a question measures other than a count of things (粉丝, 播放量): the number's words must name it, else it
# counts something else ("发布信息672条" for "公众号有多少粉丝", "短视频近300个" for "总播放量")
_MEASURES = {"粉丝": ("粉丝", "关注", "订阅", "用户"), "播放": ("播放", "观看"), "浏览": ("浏览", "访问", "点击"),
             "访问": ("访问", "浏览", "点击"), "点击": ("点击", "访问", "浏览"), "阅读": ("阅读", "浏览"),
             "下载": ("下载",)}
_MEASURE_ASKED = re.compile(r"(粉丝)|(播放|浏览|访问|点击|阅读|下载)(?:量|了?(?:多少|几)次)")
AMONG = re.compile(r"里面|当中|之中|其中|中间|[里中](?=[，,])|(?:(?<=信息|资金|经费|申请|事项|文件)|(?<=类))[里中](?!心)")
_MAGNITUDES = re.compile(r"百万|千万|亿|十万|万")
_OTHER_WORDS = ("其他", "其它", "别的", "其余", "剩下", "除了")
# a change asked ("比上年涨了多少", "增长了百分之几") is answered by a number printed as a change (同比增长82%),
# never by the year's own total (总浏览量为536万)
_CHANGE_ASKED = re.compile(r"(?<!占)(?:比|较|同比|环比)(?![例重率])[^，,。？?]{0,12}?(?:多(?!少)|(?<!多)少|涨|增|降|减|提高|上升)"
                           r"|(?:增长|增加|减少|下降|提高|上升|涨|降)了?(?:多少|几|百分之)")
_CHANGE_PRINTED = re.compile(r"增|减|降|提高|提升|上升|翻|多|少|涨")
_EXCEPT = re.compile(r"除了?(.+?)(?:(?:以外|之外|外)[,，]?|[,，]?(?=还|其余|其他|别的|剩下))")


def _excluded(asked_text: str) -> list[str]:
    """The things a question sets aside ("除了规章、规范性文件和任免文件，还…"): a figure bound to them is not asked."""
    m = _EXCEPT.search(asked_text)
    if not m:
        return []
    return [w for w in re.split(r"[、,，和及与]", m.group(1)) if len(w) >= 2]


RIVAL_MARGIN = 0.2  # a second figure this close to the best (in the ranking score) makes the text ambiguous


def counters_differ(asked: str | None, printed: str) -> bool:
    """Whether the counter a question asks in (多少本) counts another kind of thing than the printed one (50条)."""
    if not asked:
        return False
    if asked == "条" and printed in _NOT_FOR_ITEMS:
        return True
    kinds = [i for i, group in enumerate(_COUNTERS) for u in (asked, printed) if u in group]
    return len(kinds) == 2 and kinds[0] != kinds[1]


def _longest_run(a: str, b: str) -> str:
    """The longest stretch of text the two share (建议提案 in 建议提案信息6条 and 建议、提案这块)."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


_RARE_COUNTERS = _COUNTERS[1] | _COUNTERS[2] | _COUNTERS[3]  # 期, 场, 人次, 本 …: not the everyday 条/件/个


def _has_telling(grams: set[str], weights: dict[str, float] | None) -> bool:
    """Whether any of the bigrams names something particular (a bigram no text has counts as telling)."""
    return weights is not None and any(weights.get(g, TELLING) >= TELLING for g in grams)


def _telling_run(asked_text: str, clause: str, weights: dict[str, float] | None) -> bool:
    run = _longest_run(asked_text, clause)
    return len(run) >= 4 and _has_telling(_bigrams(run), weights)


def _actions(text: str) -> set[str]:
    return {action for action, words in _ACTIONS.items() if any(w in text for w in words)}


@dataclass
class _Candidate:
    figure: Figure  # with its clause: the words bound to the number, with it ("其中直接办事服务19项")
    bound: int
    adjacent: int
    unit_asked: bool  # in the unit the question asks in (多少场 → 场)
    telling: float  # the bound words, weighted by how telling each is
    order: tuple  # passage rank and position, for ties
    signs: dict = field(default_factory=dict)  # what else the ranker weighs (assistant.figure_ranker.FEATURES)


def _is_accepted(c: _Candidate, asked: set[str], asked_text: str, weights: dict[str, float] | None) -> bool:
    """The rule that binds a number to the question without a learned ranker. Measured on the prose dev sets
    (docs/retrieval.md): every wrong number had a weak binding and no asked words right at the number. Also bound: a
    telling stretch of four characters of the question printed in the bound words (建议提案), or three shared
    words and the uncommon unit the question asks in (政府常务会…几期 → 7 期)."""
    return c.bound >= STRONG_BINDING or (c.bound >= 2 and c.adjacent >= 2) \
        or (c.bound >= 3 and ((c.unit_asked and c.figure.unit in _RARE_COUNTERS
                               and _has_telling(_bigrams(c.figure.clause) & asked, weights))
                              or _telling_run(asked_text, c.figure.clause, weights)))


_ABOUT = re.compile(r"约|大约|大概|左右|近|上下")


def _in_brackets(sentence: str, value: str) -> bool:
    """Whether the number is printed inside brackets that follow another number ("197条（政府预决算32条、…165条）")."""
    for m in re.finditer(r"\d\s*[^\d（(]{0,3}[（(]([^）)]*)[）)]", sentence):
        if re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])", m.group(1)):
            return True
    return False


_QUESTION_WORD = re.compile(r"多少|几")
_COUNTER_FIRST = re.compile(rf"^(?:{_UNIT})")
_PARTICLES = re.compile(r"[呢啊吗呀哦嘛了的]+$")


# the last words of a thing counted that name no particular thing (几个政务微博账号: printed 微博29个)
_GENERIC_HEADS = ("账号", "节目", "信息", "事项", "内容", "情况", "方面", "东西", "数量", "总数", "次数", "工作", "活动",
                  "项目", "文件", "单位", "部门", "人员", "比例", "比重", "占比", "单子", "请求", "事情")


def head_noun(counted: str) -> str:
    """The last two characters of the thing a question counts after its question word ("发现了多少个问题" → "问题"),
    "" where they name nothing particular or are no noun."""
    counted = re.split(r"[?？]", counted)[0].split("的")[-1]  # 找政府要材料的请求: 请求
    head = counted[-2:]
    return head if len(head) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", head) and head not in _GENERIC_HEADS else ""


@dataclass(frozen=True)
class AskedObject:
    """What a question counts, read around its last question word: named after it (`counted`) and the words before
    it, to the comma (`before`). "召开了几次政务公开推进会" → ("政务公开推进会", "召开了"); "新闻发布会开了多少场" →
    ("", "新闻发布会开了"). Its heads, each for its own test, are named below."""
    counted: str
    before: str

    @classmethod
    def of(cls, asked_text: str) -> "AskedObject":
        found = list(_QUESTION_WORD.finditer(asked_text))
        if not found:
            return cls("", asked_text)
        m = found[-1]
        after = _PARTICLES.sub("", _COUNTER_FIRST.sub("", re.split(r"[，,。？?！!；;]", asked_text[m.end():])[0]))
        return cls(after, re.split(r"[，,。？?！!；;]", asked_text[:m.start()])[-1])

    @property
    def head(self) -> str:
        """The last noun of the whole phrase (找政府要材料的请求 → 请求)."""
        return head_noun(self.counted)

    @property
    def owner(self) -> str:
        """The phrase up to its first 的: 几个部门的业务系统 counts 部门."""
        return self.counted.split("的")[0]

    @property
    def noun_head(self) -> str:
        """The head of the noun right after the question word, before what is done with it ("几个单位把自己的网站…":
        单位, which names nothing particular: "")."""
        return head_noun(_PARTICLES.sub("", _LEAVES_THE_NOUN.split(self.counted)[0]))


def bigram_share(part: str, clause: str) -> float:
    """The share of a part's bigrams that the clause prints."""
    grams = _bigrams(part)
    return len(grams & _bigrams(clause)) / len(grams) if grams else 0.0


_ABOUT_REQUESTS = ("申请", "受理", "办结", "答复", "办理")
_NAMING_NUMBER = re.compile(rf"(?<![\d.])\d{{3,}}(?![\d.]|\s*(?:年|{_UNIT}))")  # 12345热线, not 250条 nor 2023年
_TO_ASKED = re.compile(r"[到至](?:了)?(?:多少|几)|(?:缩短|压缩|减少|降低|下降|缩|降|减)(?:到|至|为)")
_FROM_ASKED = re.compile(r"[由从](?:多少|几)|原来|之前|以前|原先|改革前")
_TOTAL_ASKED = re.compile(r"一共|总共|共|合计|总计|总数|累计|全年|加起来")


@dataclass
class CountedWords:
    """The words a number counts and how many of the question's bigrams they share (`bound`): the phrase leading up
    to it and the one after its unit (`lead`, `tail`), the object carried over from the clause before or the whole a
    share is of (`carried`, then also the tail), a bare count's paragraph topic (`topic`), the item of a list it is
    printed after (`listed_item`) and the bound words as printed (`printed`, before anything carried over)."""
    bound: int
    lead: str
    tail: str
    topic: str
    carried: str
    listed_item: str
    printed: set[str]


def counted_words(folded: str, m: re.Match, previous: list[str], asked: set[str],
                  weights: dict[str, float] | None) -> CountedWords:
    """What the number `m` of the folded sentence counts; `previous`: the passage's sentences before it."""
    bound = binding(asked, folded, m.start(), m.end())
    lead, tail = bound_phrase(folded, m.start(), m.end())
    listed_item = printed_item(folded, m.start(), _LISTED_ITEM_START)
    if "等" in lead and folded[:m.start() - len(lead)].endswith("、") and bound <= 1:
        # "…有关项目清单、落地项目、PPP项目、法律法规、政策文件等信息共13条": a list closed by 等 is what the number
        # counts, all of it (where its last item does not name the question's thing itself, and no noun after the
        # number says it counts something else: 市场监管等16个部门)
        lead = listed_item or lead
        bound = len(_bigrams(lead) & asked) + len(_bigrams(tail) & asked)
    printed = _bigrams(lead) | _bigrams(tail)
    # only a lead that is a bare verb (已办结) leaves its object to the clause before
    carried = carried_object(folded, m.start()) if not tail and len(lead.lstrip("已共计达为约")) <= 3 else ""
    topic = ""
    if carried:  # 已办结15042件: the thing counted is named in the clause before
        bound += len(_bigrams(carried) & asked)
        tail = carried
    elif m.group(2) in ("%", "％"):
        whole = shared_whole(folded, m.start(), lead) if not tail else ""
        if whole:  # 占23.1%: a share of what the clause before counts
            bound += len(_bigrams(whole) & asked)
            carried = tail = whole
    elif tail in ("", "信息", "政府信息") and _BARE_LEAD.match(lead):
        # 全年共发布133条: bound by its paragraph's topic, in its telling words only (信息公开 is in every one)
        topic = topic_of(previous, folded[:m.start() - len(lead)])
        bound += sum(weights.get(g, TELLING) >= TELLING for g in _bigrams(topic) & asked) if weights \
            else len(_bigrams(topic) & asked)
    return CountedWords(bound, lead, tail, topic, carried, listed_item, printed)


def figure_candidates(query, search_text: str, results: list[Result], depth: int = 3,
                      weights: dict[str, float] | None = None) -> tuple[list[_Candidate], set[str], str]:
    """(candidates, the question's bigrams, the question folded): every number with a unit in the first `depth`
    passages that is of the kind and counter asked (a duration, a rate, money, a count; 多少本 is not 50条), about
    the same action (收到 / 办结 / 不予公开), for a table-worded question counting the asked row and column, with
    the 《title》, the magnitude and the words after 里面/其中 asked, and not a thing the question sets aside. Each
    with the signs its ranking weighs. Binding to the question's words is not required here: see find_figure."""
    question = query.text
    asked_text = term_key(search_text)  # both sides punctuated alike: 村（居）务公开 == 村居务公开
    asked = _bigrams(asked_text) - {"多少", "几个", "有多", "少条", "少个", "少件", "少次", "少场"}
    unit_hint = asked_unit(question)
    kind = asked_kind(compact(question))
    raw_titles = _TITLE.findall(question)  # 《问政平潭》 is not 《问政平潭之有事你说》
    titles = [term_key(t) for t in raw_titles]
    asked_actions = _actions(asked_text)
    # "申请信息公开的里面给了全部或部分的有几件": what is counted follows 里面 / 其中; the words before it only say
    # among what, so the number must be bound to some word after it
    divided = AMONG.split(asked_text)
    head = _bigrams(divided[-1]) & asked if len(divided) > 1 else set()
    # a thing set aside in so many words is set aside under its head noun too: 不算正式发布会 sets aside 新闻发布会
    excluded = _excluded(asked_text) + [w[-3:] if len(w) >= 5 else w for w in set_aside_words(question)]
    total_asked = bool(_TOTAL_ASKED.search(asked_text))
    # (of two years named, the change is computed from each year's own figure, not printed)
    change_asked = bool(_CHANGE_ASKED.search(asked_text)) and len(query.years or []) < 2
    # (其他 before 里 names the whole a part is asked of: "其他处理一类里…主动撤回的")
    other_asked = "其他" in divided[-1] or "其它" in divided[-1]
    measured = _MEASURE_ASKED.search(asked_text)
    measure_words = _MEASURES[measured.group(1) or measured.group(2)] if measured else ()
    asked_thing = AskedObject.of(asked_text)
    requests_asked = "申请" in question and unit_hint in (None, "件")
    # a number the question names a thing by (12345热线): the figure's passage must speak of that thing
    named_by_number = _NAMING_NUMBER.findall(asked_text)
    magnitude_asked = re.search(r"(?:多少|几)(亿|万)", asked_text)  # an amount in 亿 (多少亿): printed in 亿
    candidates: list[_Candidate] = []
    for rank, result in enumerate(results[:depth]):
        if not all(n in result.text for n in named_by_number):
            continue  # 收到群众诉求348件 of a TV programme is no count of the 12345 hotline's
        sentences = split_sentences(result.text)
        for at, sentence in enumerate(sentences):
            folded = term_key(sentence)
            if not all(t in compact(sentence) for t in raw_titles):
                continue  # the title as printed, brackets and all
            if not all(n in sentence for n in named_by_number):
                continue  # "同时，将网民留言…已100%…办结" after a sentence on the 12345 platform is not the platform's
            numbers = numbers_with_units(folded)
            for place, m in enumerate(numbers):
                words = counted_words(folded, m, sentences[:at], asked, weights)
                bound, lead, tail, topic, carried = words.bound, words.lead, words.tail, words.topic, words.carried
                listed_item, printed = words.listed_item, words.printed
                if (kind is not None and unit_kind(m.group(2)) != kind) or counters_differ(unit_hint, m.group(2)):
                    continue
                phrase = lead + tail + topic
                since = folded[numbers[place - 1].end() if place else 0:m.start()]
                if not place and folded.startswith("其中"):  # a breakdown: of what its sentence before counts
                    since = term_key(sentences[at - 1] if at else result.before) + since
                if not fits_the_question(phrase, query, since) \
                        or not all(t in phrase or t == title_in_force(sentence, folded, m.start()) for t in titles):
                    continue
                if requests_asked and unit_kind(m.group(2)) == "count" and m.group(2) != "件" and "信息" in phrase \
                        and not any(w in phrase for w in _ABOUT_REQUESTS):
                    continue  # "主动公开…政府信息2645条" counts information, not the requests asked (办结了几件)
                if head and not (_bigrams(lead) | _bigrams(tail)) & head:
                    continue
                if _MAGNITUDES.findall(phrase) and _MAGNITUDES.findall(asked_text) \
                        and not set(_MAGNITUDES.findall(phrase)) & set(_MAGNITUDES.findall(asked_text)):
                    continue  # 破亿 is not 过百万
                if magnitude_asked and magnitude_asked.group(1) not in m.group(2) + folded[m.end(1):m.end(1) + 2]:
                    continue  # 总投资多少亿 is no count of 13条
                if measure_words and not any(w in phrase or w in folded[:m.start()] for w in measure_words):
                    continue  # 发布信息672条 is no count of 粉丝
                if change_asked and not _CHANGE_PRINTED.search(phrase + folded[max(0, m.start() - 4):m.start()]):
                    continue  # 总浏览量为536万 is no answer to "比上年涨了多少"
                if excluded and any(w in phrase for w in excluded):
                    continue  # 除了规章、规范性文件和任免文件: those are not what is asked
                if lead.startswith("其他") and not any(w in asked_text for w in _OTHER_WORDS):
                    continue  # 其他应主动公开政府信息856条 is the remainder, never what a question without 其他 asks
                if other_asked and not any(w in phrase or w in folded[max(0, m.start() - 12):m.start()]
                                           for w in ("其他", "其它", "其余")):
                    continue  # and a question about the rest (按"其他方式"处理的) is not answered by a named part
                actions = _actions(lead + tail)  # its own words' (a topic's 新增意大利语网站 is not what 13528条 did)
                # a list shares its clause's verb: "关停…的政府网站1个、政务新媒体2个" — 2 政务新媒体 closed
                listed_under = _actions(re.split(r"[，,。；;：:]", folded[:m.start()])[-1])
                if (asked_actions and actions and not actions & asked_actions) \
                        or ((actions | listed_under) & _INVERTING) - asked_actions:
                    continue
                if asked_thing.head and asked_thing.head not in folded \
                        and _counts_another_noun(folded[m.end():], asked_thing.counted):
                    continue  # "发现了多少个问题": 70个新媒体, in a sentence that speaks of no 问题, counts media
                if m.group(2) in _COUNTERS[1] and _counts_another_kind(folded[m.end():], asked_text):
                    continue  # 4次政务公开季度检查通报 counts 检查通报, not the 政务公开工作部署会 asked
                unit = m.group(2)
                # "…依申请公开信息数46条，不予公开信息数1402。": a bare count (信息数N) in a list of counts is in the
                # counter of the list's number before it
                counted_in = unit or (next((n.group(2) for n in reversed(numbers[:place]) if n.group(2)), "")
                                      if lead.endswith("数") else "")
                clause = (topic + "，" if topic else "") + lead + m.group(0) + tail  # 教育领域…，全年共发布133条
                # the sentence up to the number's own words: what the number belongs to when its clause does not
                # say it ("不予公开5件，占6.17%", "行政执法公示专栏……全年公布631条")
                context = folded[:m.start() - len(lead)]
                previous = re.split(r"[，,；;：:]", context.rstrip("，,；;：: "))[-1] if context else ""
                signs = {"rank": rank, "first_number": place == 0, "numbers": len(numbers),
                         "carried": bool(carried), "run": len(_longest_run(asked_text, clause)),
                         "actions_agree": bool(asked_actions & actions),
                         "total_printed": bool(_TOTAL_SAID.search(lead)), "total_asked": total_asked,
                         "unit_hinted": unit_hint is not None, "question_grams": len(asked),
                         "percent": unit in ("%", "％"),
                         "object_named": bool(asked_thing.counted),
                         "object_share": bigram_share(asked_thing.counted, clause),
                         "before_share": bigram_share(asked_thing.before, clause),
                         # a breakdown of a number before it: 其中…, or inside brackets after one (197条（…165条）)
                         "breakdown": lead.startswith("其中") or (unit not in ("%", "％")
                                                                  and _in_brackets(sentence, m.group(1))),
                         "part_asked": bool(AMONG.search(asked_text)),
                         "about_asked": bool(_ABOUT.search(asked_text)),
                         "about_printed": bool(_ABOUT.search(folded[max(0, m.start() - 2):m.start()])
                                               or folded[m.end(1):m.end(1) + 1] in ("余", "多")),
                         "context": previous + clause, "topic": bool(topic), "item": printed_item(folded, m.start()),
                         "listed_item": listed_item,
                         "from_to": {"由": "from", "从": "from", "至": "to", "到": "to"}.get(
                             folded[:m.start()].rstrip()[-1:], ""),  # 由42分钟缩至19分钟
                         "previous_share": bigram_share(asked_text, previous),
                         "opening_share": bigram_share(asked_text, re.split(r"[，,；;：:]", context)[0] if context else ""),
                         # the most telling of the question's words bound to it (0: only words every report uses)
                         "most_telling": max((weights.get(g, TELLING) for g in (printed | _bigrams(carried)) & asked),
                                             default=0.0) if weights else 0.0}
                candidates.append(_Candidate(
                    Figure(m.group(1), unit, sentence.strip(), result, clause), bound,
                    adjacency(asked_text, folded, m.start(), m.end()),
                    unit_hint is not None and bool(counted_in) and (counted_in == unit_hint or unit_hint in counted_in),
                    (weighted_binding(asked, printed, weights) + weighted_binding(head, printed, weights))
                    if weights else float(bound),
                    (-rank, -m.start()), signs))
    return candidates, asked, asked_text


def find_figure(query, search_text: str, results: list[Result], depth: int = 3,
                weights: dict[str, float] | None = None,
                similarity: Callable[[list[str]], list[float]] | None = None,
                ranker: Ranker | None | bool = True) -> tuple[Figure | None, int]:
    """(figure, binding): the number a retrieved sentence binds to the asked phrase, among the candidates of
    `figure_candidates`. (None, 0) when no sentence binds one.

    A number is given when its own words bind it to the question (shared words, or asked words right at the
    number); among those, the best by the question's meaning (`similarity`: the encoder's cosine of the question
    and the bound words), the telling words shared and the unit asked. When another number of the text is bound
    almost as well, the figure comes back with it as a rival: the caller asks which one is meant.
    Where no number is bound so, the learned ranker (`assistant.figure_ranker`; True: the trained one, None: no
    ranker) may still give one, with a probability above its threshold (a paraphrase shares few words)."""
    everything, asked, asked_text = figure_candidates(query, search_text, results, depth, weights)
    candidates = [c for c in everything if c.bound >= 1]
    asked_words = _words(asked_text)
    asked_thing = AskedObject.of(asked_text)
    # a number bound by words every report uses only (政府信息公开), where the thing counted is printed nowhere near
    # it, is no answer; nor is any number where the noun named right before the question word is printed nowhere
    # near it ("发布政策解读多少篇": 发布政策文件20件)
    named_before = "" if asked_thing.counted or _SHARE_ASKED.search(asked_text) \
        else _named_before_the_question(asked_thing.before, weights)
    accepted = [c for c in candidates if _is_accepted(c, asked, asked_text, weights)
                and (names_something(c) or not _head_unprinted(c, asked_thing.noun_head))
                and not _head_unprinted(c, named_before)]
    # the very noun counted, printed right at a number in the counter asked, binds it on its own ("开设窗口26个" for
    # "开了多少个办事窗口": one word shared, but the thing counted)
    counted = asked_thing.owner
    head = head_noun(counted)
    at_its_noun = {id(c) for c in candidates if head and c.unit_asked and c.adjacent >= 2
                   and (_counted_before(c.figure, head) or _counted_after(c.figure).startswith(head))}
    accepted += [c for c in candidates if id(c) in at_its_noun and all(c is not a for a in accepted)]
    # in one sentence, the number in the counter asked is the one asked: "微信公众号41个，共发布信息3404条" for
    # "发布信息多少条" (条 and 个 are used loosely, but not side by side)
    exact = {c.figure.sentence for c in accepted if c.unit_asked}
    # the bound words may sit with the other number of the sentence ("微信公众号41个，共发布信息3404条" for
    # "微信公众号发了多少条信息"): the one in the counter asked stands in for it
    candidates, standing_in = _stand_in(candidates, accepted,
                                        holds=lambda c: not c.unit_asked and c.figure.sentence not in exact,
                                        stands=lambda c: c.unit_asked)
    accepted += standing_in
    exact |= {c.figure.sentence for c in standing_in}
    # and the number whose own noun is the thing counted: "16个部门25个业务系统" for "多少个业务系统"
    naming = {id(c) for c in candidates if counted and (bigram_share(counted, _counted_after(c.figure)) >= 0.5
                                                        or _counted_before(c.figure, counted))}
    named_in = {c.figure.sentence for c in accepted if id(c) in naming}
    # and, as with the counter, it stands in for the other number of its sentence that the bound words sit with,
    # unless that number names the thing itself before it ("全年公开政策文件4件，对3件主动公开政策性文件…")
    candidates, standing_in = _stand_in(
        candidates, accepted, holds=lambda c: id(c) not in naming and c.figure.sentence not in named_in
        and bigram_share(counted, c.signs["item"]) < 0.5, stands=lambda c: id(c) in naming)
    naming |= {id(c) for c in standing_in}
    accepted += standing_in
    named_in |= {c.figure.sentence for c in standing_in}
    # in a list, the number whose own item the question names: "季度通报3次、月通报7次" for "几次月通报"; of
    # items named, the one named after 中 (对依申请公开的答复中，同意公开的) is the part asked, not the whole
    named_at = {id(c): at for c in candidates if (at := item_named(c, asked_text)) is not None}
    among = AMONG.search(asked_text)
    if among and any(at >= among.end() for at in named_at.values()):
        named_at = {key: at for key, at in named_at.items() if at >= among.end()}
    named_items = set(named_at)
    # (an item named is not outdone by its sentence's count of the noun asked: "共发布467条信息，其中…环境违法曝光台43条")
    outdone = {id(c) for c in candidates if (c.figure.sentence in exact and not c.unit_asked)
               or (c.figure.sentence in named_in and id(c) not in naming and id(c) not in named_items)}
    candidates = [c for c in candidates if id(c) not in outdone]
    listing = {c.figure.sentence for c in candidates if id(c) in named_items}
    outdone |= {id(c) for c in candidates if c.figure.sentence in listing and id(c) not in named_items}
    # and elsewhere, a number bound no more and by less telling words than the item named ("其中概况信息17条" for
    # 概况类信息, not the year's 主动公开政府信息250条)
    named = [c for c in candidates if id(c) in named_items]
    outdone |= {id(c) for c in candidates if id(c) not in named_items
                and any(c.bound <= n.bound and c.telling < n.telling for n in named)}
    candidates = [c for c in candidates if id(c) not in outdone]
    # "由42分钟缩至19分钟": what it came down to (缩短到几分钟) is the number after 至, what it was the one after 由
    if _TO_ASKED.search(asked_text) and not _FROM_ASKED.search(asked_text):
        arriving = {c.figure.sentence for c in candidates if c.signs["from_to"] == "to"}
        outdone |= {id(c) for c in candidates if c.signs["from_to"] == "from" and c.figure.sentence in arriving}
        candidates = [c for c in candidates if id(c) not in outdone]
        # and the number a change arrived at, in the unit asked, is bound by the change itself: "排队等的时间缩到了
        # 多少分钟" for "群众等候时间由42分钟缩至19分钟" (two words shared, none right at the number)
        accepted += [c for c in candidates if c.signs["from_to"] == "to" and c.unit_asked and c.bound >= 2
                     and all(c is not a for a in accepted)]
    # of the shape asked: a total of the things named together, a percentage for a share (规章和文件 → 243, not 22)
    accepted = [c for c in accepted if id(c) not in outdone and figure_fits(asked_text, c.figure)]
    if not accepted:
        return _ranked(everything, similarity, load_ranker() if ranker is True else ranker)
    if similarity is not None:
        cosines = dict(zip((id(c) for c in candidates), similarity([c.figure.clause for c in candidates])))

        def score(c: _Candidate) -> float:
            return 10 * float(cosines[id(c)]) + 0.05 * c.telling + 0.3 * c.unit_asked
        margin = RIVAL_MARGIN
    else:  # keyword-only search (no encoder): the telling words shared decide
        def score(c: _Candidate) -> float:
            return c.telling + 0.3 * c.unit_asked
        margin = 1.0
    best = max(accepted, key=lambda c: (score(c), c.bound, c.adjacent, c.order))
    # the best by meaning gives way to a number close to it that is printed with more of the question's words
    # ("微信公众号41个，共发布信息3404条" over "其中微博29个，共发布信息1992条" for 微信公众号)
    best = next((c for c in sorted(accepted, key=score, reverse=True) if c is not best
                 and score(c) >= score(best) - margin and _named_less(best, c, asked_words, weights)), best)
    # a count does not rival the percentage asked for a share ("予以公开及部分公开42件，占51.85%")
    share = best.figure.unit in ("%", "％") and _SHARE_ASKED.search(asked_text)
    # nor does a number in another counter rival the one printed at the very noun counted (图文1775条, not 图文及
    # 视频类产品共17篇, for "推了多少条图文")
    rivals = {}
    for c in sorted(candidates, key=score, reverse=True):
        if c.figure.value != best.figure.value and c.bound >= max(1, best.bound - 1) \
                and score(c) >= score(best) - margin and c.figure.value not in rivals \
                and not (share and c.figure.unit not in ("%", "％")) and not _named_less(c, best, asked_words, weights) \
                and not (id(best) in at_its_noun and id(c) not in at_its_noun and not c.unit_asked):
            rivals[c.figure.value] = c.figure
    best.figure.rivals = list(rivals.values())
    return best.figure, best.bound


def _words(text: str) -> set[str]:
    """jieba's words of two characters or more."""
    return {w for w in base_tokenizer().tokens(text) if len(w) >= 2}


def _named_less(rival: _Candidate, best: _Candidate, asked_words: set[str], weights: dict[str, float] | None) -> bool:
    """Whether the question's words printed with a rival (its clause and the words before it to the comma) are some
    of those printed with the best, which has a telling one more: "微信公众号41个，共发布信息3404条" against
    "其中微博29个，共发布信息1992条" for "微信公众号发布了多少条信息"."""
    if rival.signs["breakdown"] and rival.figure.sentence == best.figure.sentence:
        return False  # a part of the total given (其中…, in brackets after it) may be the thing asked, in other words
    if best.signs["topic"] and "、" in best.signs["context"]:
        return False  # a paragraph's list of contents (教育事业、…、政策解读等内容) names more than its count singles out
    own = _words(best.signs["context"]) & asked_words
    theirs = _words(rival.signs["context"]) & asked_words
    return theirs < own and any(_has_telling(_bigrams(w), weights) for w in own - theirs)


_ITEM_START = re.compile(r"[，,。；;：:、（(“”\"—\s]")  # where the item a number is printed after begins
_LISTED_ITEM_START = re.compile(r"[，,。；;：:（(“”\"—\s]")
# what a list's items end in beside what they name: "同意公开答复数17条", "促进就业类信息52条"
_ITEM_SUFFIX = re.compile(r"(?:类信息|类|信息数|答复数|信息|件数|数量|数)$")
_NOUN_AFTER = re.compile(r"[\d，,。；;、：:（）()“”\"]")  # where the words after a number's counter end


def _counts_another_kind(after: str, asked_text: str) -> bool:
    """Whether the event printed right after a count of times ("4次政务公开季度检查通报") begins like the question's
    words (政务公开) but ends in another kind of event than any the question names (季度检查通报, not 部署会). (After
    other counters the words that follow are often what the things did: "33个政务新媒体加强信息更新".)"""
    counted = _NOUN_AFTER.split(after)[0]
    shared = _longest_run(asked_text, counted)
    if len(counted) < 4 or len(shared) < 2 or not counted.startswith(shared):
        return False
    rest = counted[len(shared):]
    return len(rest) >= 3 and not _bigrams(rest) & _bigrams(asked_text)


def _counts_another_noun(after: str, counted: str) -> bool:
    """Whether the noun printed right after a number's counter ("70个新媒体") shares no word with the thing the
    question counts."""
    noun = _NOUN_AFTER.split(after)[0]
    # (one character of the two nouns' heads is enough: 7项新举措 counts the 新措施 asked, in other words)
    return len(noun) >= 2 and not _bigrams(noun) & _bigrams(counted) and not set(noun[-2:]) & set(counted[-2:])


def printed_item(folded: str, start: int, starts: re.Pattern = _ITEM_START) -> str:
    """The item a number of a list is printed after: "网上竞价" of "…189条，网上竞价423条", "月通报" of "季度通报3次、
    月通报7次" — from the punctuation before it to the number; none when another number stands there ("16个部门25个
    业务系统": 部门 is what 16 counts, not 25's item). With `starts` _LISTED_ITEM_START, an item whose own words are
    a list ("扶贫、教育、医疗、社会保障、促进就业类信息52条")."""
    before = folded[:start]
    item = before[max((m.end() for m in starts.finditer(before)), default=0):]
    if re.search(r"\d", item):
        return ""
    return re.sub(r"^其中", "", item).rstrip("".join(_FILLER))


def title_in_force(sentence: str, folded: str, start: int) -> str:
    """The last 《title》 printed before a number in its sentence (folded), the longest where two start alike: the
    programme the counts after it are of ("6期《问政平潭》，…曝光了16个问题；19期《问政平潭之有事你说》，…现场解决
    162件")."""
    best = (-1, 0, "")
    for title in {term_key(t) for t in _TITLE.findall(sentence)}:
        at = folded.rfind(title, 0, start)
        if at >= 0 and (at, len(title)) > best[:2]:
            best = (at, len(title), title)
    return best[2]


_COMMON_KINDS = {"政府", "公开", "主动公开", "其他", "其它", "相关", "各类", "全部", "全年"}


def item_named(c: _Candidate, asked_text: str) -> int | None:
    """Where the question names the list item a number is printed after (its own words, or its words without
    the list's suffix: 同意公开 of 同意公开答复数, the whole 扶贫、教育、…、促进就业 of …促进就业类信息); None if not."""
    kind = _ITEM_SUFFIX.sub("", c.signs["item"])
    for item, least in ((c.signs["item"], 2), (kind, 4), (_ITEM_SUFFIX.sub("", c.signs["listed_item"]), 6)):
        if len(item) >= least and item in asked_text:
            return asked_text.index(item)
    # a short kind asked as a kind: 概况 of 概况信息 for "概况类信息" (not 政府 of 政府信息)
    asked_as_kind = re.search(rf"{re.escape(kind)}(?:类|方面|信息)", asked_text) if len(kind) >= 2 else None
    return asked_as_kind.start() if asked_as_kind and kind not in _COMMON_KINDS else None


def _stand_in(candidates: list[_Candidate], accepted: list[_Candidate], holds, stands) -> tuple[list, list]:
    """(candidates, the stand-ins): in each sentence where an accepted number `holds` the words bound to the question,
    the numbers that `stands` (in the counter asked, counting the noun asked) take its binding in its place."""
    holding: dict[str, tuple[int, float]] = {}
    for c in accepted:
        if holds(c) and c.bound > holding.get(c.figure.sentence, (0, 0.0))[0]:
            holding[c.figure.sentence] = (c.bound, c.telling)
    standing_in = [replace(c, bound=holding[c.figure.sentence][0], telling=holding[c.figure.sentence][1])
                   for c in candidates if stands(c) and c.figure.sentence in holding]
    return [c for c in candidates if not (stands(c) and c.figure.sentence in holding)] + standing_in, standing_in


def _counted_after(figure: Figure) -> str:
    """The words right after a number and its counter, to the next number or punctuation: what it counts."""
    m = re.search(rf"{re.escape(figure.value)}\s*(?:余|多)?\s*{re.escape(figure.unit)}", figure.clause)
    return re.split(r"[\d，,。；;、（）()]", figure.clause[m.end():])[0] if m else ""


def _counted_before(figure: Figure, counted: str) -> bool:
    """Whether the thing counted is named right before the number ("开设窗口26个" for "开了多少个窗口")."""
    at = re.search(rf"(?<![\d.]){re.escape(figure.value)}", figure.clause)
    before = figure.clause[:at.start()].rstrip("了共计达为约近有是") if at else ""
    # (not "16个部门25个业务系统": 部门 there is what 16 counts)
    return len(counted) >= 2 and before.endswith(counted) and not re.search(r"\d\D?$", before[:-len(counted)])


# where the words after a question word leave the thing counted for what is done with it ("几个单位把自己的网站…")
_LEAVES_THE_NOUN = re.compile(r"[把被来去在给向对从将让是有]")


def _named_before_the_question(before_it: str, weights: dict[str, float] | None) -> str:
    """The particular thing a question names right before its question word, by its head ("发布政策解读多少篇":
    解读): a word the reports print whose bigrams tell something; "" where the words there end in a particle, say
    what was done to it (被浏览了), or name nothing particular (总共, 达到)."""
    if not weights or re.search(r"[了的过着]$|被", before_it):
        return ""
    tokens = base_tokenizer().tokens(before_it)
    last = tokens[-1] if tokens else ""
    grams = _bigrams(last)
    if len(last) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", last) or last in _GENERIC_HEADS \
            or last in _NAMING_NOTHING or not grams or not all(g in weights for g in grams):
        return ""
    return head_noun(last) if max(weights[g] for g in grams) >= TELLING else ""  # (规范文件 names no particular 文件)


# words right before a question word that name no particular thing, however rarely the reports print them
_NAMING_NOTHING = {"总共", "一共", "共计", "合计", "累计", "大概", "大约", "达到", "超过", "突破", "百分之", "百分比",
                   "比例", "占比", "比重", "全年", "一年", "今年", "总量", "总数", "数量"}


def _head_unprinted(c: _Candidate, head: str) -> bool:
    """Whether the thing asked, by its head noun, is printed neither in the number's sentence nor in its passage
    before it (培训 of "政府信息公开培训多少人次" against "政府信息公开专栏访问量达24745人次")."""
    return bool(head) and head not in term_key(c.figure.sentence) + c.signs["context"]


def names_something(candidate: _Candidate) -> bool:
    """Whether the question's words bound to a candidate include a telling one: 政务公开 alone (汇报2次 for
    "几次政务公开推进会") names nothing in particular, so the ranker gives it only at its stricter threshold."""
    return candidate.signs["most_telling"] >= TELLING


def candidate_rows(candidates: list[_Candidate], similarity) -> list[list[float]]:
    """Each candidate's ranker features (assistant.figure_ranker.FEATURES), with the encoder's cosines of the
    question and its bound words, and of the question and its context, in one call of `similarity`."""
    clauses = [c.figure.clause for c in candidates]
    cosines = [float(x) for x in similarity(clauses + [c.signs["context"] for c in candidates])]
    return feature_rows(candidates, cosines[:len(clauses)], cosines[len(clauses):])


def _ranked(candidates: list[_Candidate], similarity, ranker: Ranker | None) -> tuple[Figure | None, int]:
    """The ranker's figure: the most probable candidate when it clears the threshold, with the other values nearly
    as probable as rivals. (None, 0) without an encoder or a ranker."""
    if not candidates or similarity is None or ranker is None:
        return None, 0
    probabilities, _ = ranker.probabilities(candidate_rows(candidates, similarity))
    best = max(range(len(candidates)), key=lambda i: (probabilities[i], candidates[i].order))
    if not ranker.clears(probabilities[best], names_something(candidates[best])):
        return None, 0
    figure = candidates[best].figure
    rivals = {}
    for c, p in sorted(zip(candidates, probabilities), key=lambda pair: -pair[1]):
        if c.figure.value != figure.value and p >= ranker.rival_share * probabilities[best] \
                and c.figure.value not in rivals:
            rivals[c.figure.value] = c.figure
    figure.rivals = list(rivals.values())
    return figure, candidates[best].bound
