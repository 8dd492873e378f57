"""The metric catalogue: every row and column of the standard tables 表二, 表三 and 表四, in both templates.

This is the one home for the vocabulary of the standard tables. Readers never name metrics; the table mapper
(`index.mapping`) matches a table row's label against `Metric.keys`, and the question parser
(`assistant.query`) matches question words against `Metric.synonyms` and `Column.synonyms`.

Ids are stable: they are stored in the database and used by golden tests. Do not rename one; add a new one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATE_2019 = "2019"  # 国办公开办函〔2019〕60号
TEMPLATE_2021 = "2021"  # 国办公开办函〔2021〕30号
TEMPLATE_PRE2019 = "pre2019"  # free-form statistics tables under the 2008 regulations
TEMPLATE_NAMES = {
    TEMPLATE_2019: "2019年模板（国办公开办函〔2019〕60号）",
    TEMPLATE_2021: "2021年模板（国办公开办函〔2021〕30号）",
    TEMPLATE_PRE2019: "2019年以前的自由格式",
}

TABLE_NAMES = {
    "old": "政府信息公开情况统计表（2019年以前）",
    "t2": "表二 主动公开政府信息情况",
    "t3": "表三 收到和处理政府信息公开申请情况",
    "t4": "表四 政府信息公开行政复议、行政诉讼情况",
}


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    id: str
    table: str  # t2 / t3 / t4
    label: str  # the official row label (2021 template wording)
    keys: tuple[str, ...]  # substrings of a normalised row label that identify the row
    columns: dict[str, tuple[str, ...]]  # template -> column ids, in the table's column order
    unit: str = "件"
    synonyms: tuple[str, ...] = ()  # words people use in questions
    parent: str | None = None  # the group a sub-row belongs to ((三)不予公开 …)
    exact_key: bool = False  # keys must equal the label, not just occur in it ("其他")
    units: dict[str, str] = field(default_factory=dict)  # per-column unit where it differs from `unit`

    def unit_for(self, column: str) -> str:
        return self.units.get(column, self.unit)


COLUMNS: dict[str, Column] = {c.id: c for c in [
    # 表二, 2021 template
    Column("issued", "本年制发件数", ("制发", "发布", "新制发", "出台", "印发")),
    Column("repealed", "本年废止件数", ("废止", "作废", "废掉", "废除")),
    Column("in_force", "现行有效件数", ("现行有效", "有效", "生效")),
    Column("decisions", "本年处理决定数量", ("处理决定", "决定", "办理", "作出")),
    Column("amount", "本年收费金额（单位：万元）", ("金额", "收费金额", "收了多少钱", "多少钱", "万元")),
    # 表二, 2019 template
    Column("made", "本年新制作数量", ("新制作", "制作")),
    Column("published", "本年新公开数量", ("新公开",)),
    Column("total_published", "对外公开总数量", ("对外公开总数", "公开总数")),
    Column("prev_items", "上一年项目数量", ("上一年项目",)),
    Column("change", "本年增/减", ("增减", "增/减", "增加", "减少")),
    Column("items", "采购项目数量", ("采购项目",)),
    # 表三 applicant columns
    Column("natural", "自然人", ("自然人", "个人", "群众", "老百姓", "公民", "市民", "个人身份", "个人名义")),
    Column("commercial", "商业企业", ("商业企业", "企业", "公司")),
    Column("research", "科研机构", ("科研机构", "科研")),
    Column("public_interest", "社会公益组织", ("社会公益组织", "公益组织", "社会公益", "公益")),
    Column("legal", "法律服务机构", ("法律服务机构", "法律服务", "律所", "律师事务所", "律师")),
    Column("other_org", "其他", ("其他组织", "其他法人", "其他类", "类型为其他", "(其他)", "其他申请人")),
    Column("total", "总计", ("总计", "合计", "总数", "一共", "共计", "总共")),
    # 表四 result columns
    # 胜诉 / 败诉 are the agency's: a case it won was upheld (维持), one it lost corrected (纠正)
    Column("upheld", "结果维持", ("维持", "胜诉", "赢了", "打赢", "赢的")),
    Column("corrected", "结果纠正", ("纠正", "撤销", "纠错", "改判", "败诉", "输了", "输掉", "打输", "输的")),
    Column("other", "其他结果", ("其他结果",)),
    Column("pending", "尚未审结", ("尚未审结", "未审结", "没审完", "还没审", "没审结", "在审")),
    # the statistics tables of reports before 2019
    Column("this_year", "本年度", ("本年度", "当年", "本年", "全年")),
    Column("cumulative", "历年累计", ("历年累计", "累计", "历年", "总共累计")),
]}

# Words that name 本年新收 only when a question names no more specific row ("予以公开的申请有多少").
GENERIC_REQUEST_WORDS = ("信息公开申请", "申请数量", "申请量", "多少申请", "几件申请", "依申请公开申请", "申请")

# Words every table question may carry without naming anything beyond its cell.
GENERIC_TABLE_WORDS = ("政府", "信息", "公开", "申请", "政府信息", "信息公开", "政府信息公开", "数量", "数据", "件",
                       "情况", "多少", "总数", "报告", "年报", "本年", "一共")

T3_COLUMNS = ("natural", "commercial", "research", "public_interest", "legal", "other_org", "total")

# Columns of 表三 that make up one applicant group: asked as a group, the answer is the sum of its columns, each
# cited (the template prints 法人或其他组织 as a header over five columns, never as a column of its own).
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {"legal_person": T3_COLUMNS[1:6]}
COLUMN_GROUP_LABELS = {"legal_person": "法人或其他组织"}
COLUMN_GROUP_SYNONYMS = {"legal_person": ("法人或其他组织", "法人或者其他组织", "法人和其他组织", "法人及其他组织",
                                          "法人或其它组织", "法人", "企业和其他组织", "企业及其他组织",
                                          "企业或其他组织", "企业和组织", "单位和组织", "公司、组织", "公司和组织",
                                          "公司、社会组织", "公司和社会组织", "单位名义")}
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
_BOTH = (TEMPLATE_2019, TEMPLATE_2021)


def _t3(id, label, keys, synonyms=(), parent=None, exact_key=False, templates=_BOTH):
    return Metric(id, "t3", label, keys, {t: T3_COLUMNS for t in templates}, "件", synonyms, parent, exact_key)


OLD_COLUMNS = ("this_year", "cumulative")


def _old(id, label, keys, synonyms=(), parent=None, unit="条"):
    return Metric(id, "old", label, keys, {TEMPLATE_PRE2019: OLD_COLUMNS}, unit, synonyms, parent)


def _t4(id, label, keys, synonyms):
    return Metric(id, "t4", label, keys, {t: T4_COLUMNS for t in _BOTH}, "件", synonyms)


METRICS: dict[str, Metric] = {m.id: m for m in [
    # ---- 表二 主动公开 ----
    Metric("t2.rules", "t2", "规章", ("规章",),
           {TEMPLATE_2021: ("issued", "repealed", "in_force"),
            TEMPLATE_2019: ("made", "published", "total_published")},
           synonyms=("规章",)),
    Metric("t2.normative", "t2", "行政规范性文件", ("规范性文件",),
           {TEMPLATE_2021: ("issued", "repealed", "in_force"),
            TEMPLATE_2019: ("made", "published", "total_published")},
           synonyms=("行政规范性文件", "规范性文件", "规范文件")),
    Metric("t2.licensing", "t2", "行政许可", ("行政许可",),
           {TEMPLATE_2021: ("decisions",), TEMPLATE_2019: ("prev_items", "change", "decisions")},
           synonyms=("行政许可", "许可")),
    Metric("t2.other_services", "t2", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务"),
           {TEMPLATE_2019: ("prev_items", "change", "decisions")},
           synonyms=("其他对外管理服务事项", "对外管理服务")),
    Metric("t2.penalty", "t2", "行政处罚", ("行政处罚",),
           {TEMPLATE_2021: ("decisions",), TEMPLATE_2019: ("prev_items", "change", "decisions")},
           synonyms=("行政处罚", "处罚", "罚款")),
    Metric("t2.coercion", "t2", "行政强制", ("行政强制",),
           {TEMPLATE_2021: ("decisions",), TEMPLATE_2019: ("prev_items", "change", "decisions")},
           synonyms=("行政强制", "强制措施", "强制")),
    Metric("t2.fees", "t2", "行政事业性收费", ("行政事业性收费", "事业性收费"),
           {TEMPLATE_2021: ("amount",), TEMPLATE_2019: ("prev_items", "change")},
           units={"amount": "万元", "prev_items": "项", "change": "项"},
           synonyms=("行政事业性收费", "事业性收费", "收费金额", "收费")),
    Metric("t2.procurement", "t2", "政府集中采购", ("政府集中采购", "集中采购"),
           {TEMPLATE_2019: ("items", "amount")}, unit="项", units={"amount": "万元"},
           synonyms=("政府集中采购", "集中采购", "采购")),

    # ---- 表三 收到和处理政府信息公开申请 ----
    _t3("t3.new", "一、本年新收政府信息公开申请数量", ("本年新收",),
        ("新收", "收到", "受理", "接到", "新申请", "新递交", "递交", "提交", "讨要", "索要") + GENERIC_REQUEST_WORDS),
    _t3("t3.carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",),
        ("上年结转", "去年结转", "上年转来", "结转过来")),
    _t3("t3.disclosed", "（一）予以公开", ("予以公开",), ("予以公开", "同意公开", "答复公开", "全部公开", "公开了", "给公开", "全给",
                                                       "全部给")),
    _t3("t3.partial", "（二）部分公开", ("部分公开",), ("部分公开", "区分处理", "公开了一部分", "公开一部分", "只公开了一部分",
                                                      "给了一部分", "给一部分", "给了部分")),
    _t3("t3.withheld.state_secret", "1.属于国家秘密", ("国家秘密",), ("国家秘密", "国家机密", "涉密"), "t3.withheld"),
    _t3("t3.withheld.prohibited", "2.其他法律行政法规禁止公开", ("其他法律行政", "禁止公开"),
        ("法律行政法规禁止公开", "禁止公开"), "t3.withheld"),
    _t3("t3.withheld.three_safety", "3.危及“三安全一稳定”", ("三安全一稳定",),
        ("三安全一稳定", "危及安全"), "t3.withheld"),
    _t3("t3.withheld.third_party", "4.保护第三方合法权益", ("第三方合法权益", "保护第三方"),
        ("第三方合法权益", "第三方权益", "保护第三方"), "t3.withheld"),
    _t3("t3.withheld.internal", "5.属于三类内部事务信息", ("内部事务",), ("内部事务",), "t3.withheld"),
    _t3("t3.withheld.process", "6.属于四类过程性信息", ("过程性信息",), ("过程性信息", "过程性"), "t3.withheld"),
    _t3("t3.withheld.enforcement", "7.属于行政执法案卷", ("行政执法案卷", "执法案卷"),
        ("行政执法案卷", "执法案卷"), "t3.withheld"),
    _t3("t3.withheld.query", "8.属于行政查询事项", ("行政查询事项", "查询事项"),
        ("行政查询事项", "查询事项"), "t3.withheld"),
    _t3("t3.unable.not_held", "1.本机关不掌握相关政府信息", ("不掌握",),
        ("不掌握", "信息不存在", "没有这个信息", "手上没有", "手里没有", "没有相关信息"), "t3.unable"),
    _t3("t3.unable.need_create", "2.没有现成信息需要另行制作", ("另行制作", "没有现成信息"),
        ("另行制作", "没有现成信息", "没有现成", "重新做", "重新制作"), "t3.unable"),
    _t3("t3.unable.unclear", "3.补正后申请内容仍不明确", ("仍不明确", "补正后申请内容"),
        ("补正后申请内容仍不明确", "仍不明确", "内容不明确"), "t3.unable"),
    _t3("t3.rejected.petition", "1.信访举报投诉类申请", ("信访举报投诉", "信访举报"),
        ("信访举报投诉", "信访", "举报投诉"), "t3.rejected"),
    _t3("t3.rejected.repeat", "2.重复申请", ("重复申请",), ("重复申请",), "t3.rejected"),
    _t3("t3.rejected.publication", "3.要求提供公开出版物", ("公开出版物",), ("公开出版物", "出版物"), "t3.rejected"),
    _t3("t3.rejected.mass", "4.无正当理由大量反复申请", ("大量反复",), ("大量反复申请", "大量反复"), "t3.rejected"),
    _t3("t3.rejected.confirm", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或重新"),
        ("重新出具", "确认或重新出具"), "t3.rejected"),
    # (六) is a single row in the 2019 template and in some 2021-template reports that merge its sub-rows.
    _t3("t3.other", "（六）其他处理", ("其他处理",), ("其他处理",)),
    _t3("t3.other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("逾期不补正",), ("逾期不补正", "不补正"), "t3.other", templates=(TEMPLATE_2021,)),
    _t3("t3.other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("收费通知", "缴纳费用"), ("逾期未缴费", "未缴纳费用", "未按收费通知", "没按通知交费", "没交费", "交费", "缴费"), "t3.other",
        templates=(TEMPLATE_2021,)),
    _t3("t3.other.other", "3.其他", ("其他",), (), "t3.other", exact_key=True, templates=(TEMPLATE_2021,)),
    _t3("t3.total", "（七）总计", ("总计",), ("办理结果总计", "办结", "处理了多少", "答复了多少", "办理了多少", "办完了", "办完",
                                           "办理完", "处理完", "答复完"),
        exact_key=True),
    _t3("t3.carry_forward", "四、结转下年度继续办理", ("结转下年度", "结转下一年", "下年度继续办理"),
        ("结转下年度", "结转下年", "转入下年", "继续办理", "结转到下年", "没办完", "继续办", "接着办", "拖到", "留到下",
         "结转到下一年", "结转至下一年", "结转至下年", "结转到", "结转至", "转到下一年", "转入下一年")),

    # ---- 表四 行政复议、行政诉讼 ----
    _t4("t4.review", "行政复议", ("行政复议",), ("行政复议", "复议", "不服申请复议")),
    _t4("t4.litigation_direct", "行政诉讼（未经复议直接起诉）", ("未经复议直接起诉", "直接起诉"),
        ("未经复议直接起诉", "直接起诉", "没经过复议", "没复议", "直接告", "直接被人告", "直接被告")),
    _t4("t4.litigation_after_review", "行政诉讼（复议后起诉）", ("复议后起诉",),
        ("复议后起诉", "复议完又", "复议完了又", "复议以后又", "复议后又", "复议之后又", "先复议然后")),
]}

METRICS.update({m.id: m for m in [
    # ---- 政府信息公开情况统计表 of reports before 2019 (指标名称 / 计量单位 / 本年度 / 历年累计). Their own
    # rows: a question in 2021-template words reaches them through OLD_EQUIVALENTS, so synonyms here are only
    # the words no 2021-template row uses.
    _old("old.proactive", "主动公开文件数", ("主动公开文件数", "主动公开信息数", "主动公开政府信息"),
         ("主动公开文件", "主动公开信息", "主动公开政府信息", "主动公开了多少", "主动公开多少", "主动公开数")),
    _old("old.proactive.website", "1.政府网站公开数", ("政府网站公开", "网站公开"),
         ("政府网站公开", "网站公开", "网上公开"), "old.proactive"),
    _old("old.proactive.gazette", "2.政府公报公开数", ("政府公报公开", "公报公开"),
         ("政府公报公开", "公报公开", "公报上公开"), "old.proactive"),
    _old("old.requests", "受理依申请公开信息总数", ("依申请公开信息总数", "依申请公开总数")),
    _old("old.requests.in_person", "1.当面申请数", ("当面申请",), ("当面申请", "当面"), "old.requests"),
    _old("old.requests.mail_fax", "3.信函、传真申请数", ("信函、传真申请", "信函传真申请"), ("信函、传真申请",),
         "old.requests"),
    _old("old.requests.fax", "2.传真申请数", ("传真申请",), ("传真申请", "传真"), "old.requests"),
    _old("old.requests.email", "3.电子邮件申请数", ("电子邮件申请",), ("电子邮件申请", "电子邮件", "邮件申请"),
         "old.requests"),
    _old("old.requests.online", "4.网上申请数", ("网上申请",), ("网上申请", "网上提交"), "old.requests"),
    _old("old.requests.mail", "5.信函申请数", ("信函申请",), ("信函申请", "信函", "写信"), "old.requests"),
    _old("old.requests.other", "6.其它形式申请数", ("其它形式申请", "其他形式申请"), ("其它形式申请", "其他形式申请"),
         "old.requests"),
    _old("old.replies", "对申请的答复总数", ("答复总数", "对申请的答复数")),
    _old("old.replies.granted", "1.同意公开答复数", ("同意公开答复",), ("同意公开答复",), "old.replies"),
    _old("old.replies.partial", "2.同意部分公开答复数", ("部分公开答复",), ("同意部分公开答复", "部分公开答复"),
         "old.replies"),
    _old("old.replies.refused", "3.不予公开答复数", ("不予公开答复", "否决公开答复"), ("否决公开", "不予公开答复"),
         "old.replies"),
    _old("old.replies.other", "4.其他类型答复数", ("其他类型答复",), ("其他类型答复",), "old.replies"),
    _old("old.fee_waiver", "政府信息公开收费减免金额", ("收费减免",), ("收费减免", "减免金额"), unit="元"),
    _old("old.complaints", "接受行政诉讼、举报数", ("接受行政诉讼、举报", "举报数"), ("举报",), unit="件"),
    _old("old.review", "行政复议数", ("行政复议数",), unit="件"),
    _old("old.litigation", "行政诉讼数", ("行政诉讼数",), unit="件"),
    _old("old.appeal", "行政申诉数", ("行政申诉数",), ("行政申诉", "申诉"), unit="件"),
]})

# A 2021-template row asked of a report before 2019: the old row that counts the same thing, and how to say so.
# Rows not here have no counterpart in the old tables (they are answered not_found, with the reason).
OLD_EQUIVALENTS: dict[str, str] = {
    "t3.new": "old.requests",  # 本年新收 — 受理依申请公开信息总数
    "t3.total": "old.replies",  # （七）总计 — 对申请的答复总数
    "t3.disclosed": "old.replies.granted",  # 予以公开 — 同意公开答复数
    "t3.partial": "old.replies.partial",  # 部分公开 — 同意部分公开答复数
    "t3.withheld": "old.replies.refused",  # （三）不予公开 — 不予公开（否决公开）答复数
    "t4.review": "old.review",  # 行政复议 — 行政复议数
    "t4.litigation": "old.litigation",  # 行政诉讼（两类合计）— 行政诉讼数
}
# Rows whose nearest old row counts something else: said in the not_found answer.
OLD_NOT_THE_SAME: dict[str, str] = {
    "t4.litigation_direct": "old.litigation",
    "t4.litigation_after_review": "old.litigation",
}

# Groups whose sub-rows make up one result category of 表三 (used by the arithmetic checks).
GROUPS: dict[str, str] = {
    "t3.withheld": "（三）不予公开",
    "t3.unable": "（四）无法提供",
    "t3.rejected": "（五）不予处理",
    "t3.other": "（六）其他处理",
}

# Things reports state only in their text, whose words overlap the tables' (收费, 申请, 复议 …): a question
# naming one of these is answered from the text, never from a table cell.
PROSE_TERMS = ("信息处理费", "处理费", "信息收费", "申请收费", "公开收费", "新闻发布会", "发布会", "政务新媒体", "新媒体", "政策解读", "解读", "培训",
               "意见征集", "存在的问题", "主要问题", "改进", "整改", "问题", "措施", "怎么", "如何",
               "为什么", "政府网站", "门户网站", "平台", "监督保障", "会议")

# Question words for a group of rows: answered with every row of the group.
GROUP_SYNONYMS = {
    "t3.withheld": ("不予公开", "不公开", "拒绝公开", "拒绝", "不给公开", "没给公开", "没有给公开"),
    "t3.unable": ("无法提供", "没法提供", "给不了", "提供不了", "没法给"),
    "t3.rejected": ("不予处理", "不用处理", "无需处理"),
    "t3.other": ("其他处理",),
    "t4.litigation": ("行政诉讼", "诉讼", "起诉", "被告", "打官司", "官司", "告上法院", "告到法院"),
}
GROUP_MEMBERS = {"t4.litigation": ("t4.litigation_direct", "t4.litigation_after_review")}

# How the template lays the standard tables out, for drawing them (assistant.table_view): the article item each
# 表二 row falls under, the heading over 表三's result rows, and a column whose label differs in one row.
T2_ITEMS = {
    "t2.rules": "第二十条第（一）项", "t2.normative": "第二十条第（一）项",
    "t2.licensing": "第二十条第（五）项", "t2.other_services": "第二十条第（五）项",
    "t2.penalty": "第二十条第（六）项", "t2.coercion": "第二十条第（六）项",
    "t2.fees": "第二十条第（八）项", "t2.procurement": "第二十条第（九）项",
}
T3_RESULTS_HEADING = "三、本年度办理结果"
LAYOUT_COLUMN_LABELS = {("t2.procurement", "amount"): "采购总金额（单位：万元）"}

# The result categories (一)–(六) whose sum is (七)总计.
T3_RESULT_PARTS = ("t3.disclosed", "t3.partial", "t3.withheld", "t3.unable", "t3.rejected", "t3.other")

T4_METRICS = ("t4.review", "t4.litigation_direct", "t4.litigation_after_review")


def metrics_of(table: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.table == table]


def children(group: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.parent == group]


def rows_of(named: str) -> list[str]:
    """The rows a name of the catalogue stands for: 行政诉讼 its two kinds, a group that is no row of its own
    ((三)不予公开) its sub-rows, a row itself (t3.other is a row and a group: the row)."""
    if named in GROUP_MEMBERS:
        return list(GROUP_MEMBERS[named])
    if named in GROUPS and named not in METRICS:
        return [m.id for m in children(named)]
    return [named]


def in_group(row: str, group: str) -> bool:
    """Whether a row is one of the group's: a sub-row of (三)不予公开, a kind of 行政诉讼."""
    return row in METRICS and (METRICS[row].parent == group or row in GROUP_MEMBERS.get(group, ()))


def group_label(group: str) -> str:
    """How a group is named in an answer: its 表三 label, or 行政诉讼 (two rows of 表四 with no label of their own)."""
    return GROUPS.get(group) or {"t4.litigation": "行政诉讼"}[group]


def whole_group(metrics) -> str | None:
    """The group the rows make up as a whole, in any order: the sub-rows of a group that prints no total of its
    own ((四)无法提供's three), or the members of 行政诉讼 (its two kinds); None for anything less or else."""
    asked = set(metrics)
    if len(asked) < 2:
        return None
    return next((g for g in GROUPS if asked == {m.id for m in children(g)}), None) or \
        next((g for g, members in GROUP_MEMBERS.items() if asked == set(members)), None)


def column_label(column_id: str) -> str:
    return COLUMNS[column_id].label
