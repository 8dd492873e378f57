"""Every number bound to its evidence: a text figure only where the words bound to it name what was asked, a
computed figure only from operands that differ in what the question varies, a group of columns as their sum.

The questions of issue 15 were checked by hand against the files in ../shared/corpus/real."""
from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import needs_real

from assistant.answer import answer_question
from assistant.prose import (_excluded, asked_kind, asked_unit, asks_for_figure, asks_tersely, figure_number, fits_the_question, numbers_with_units,
                             parts_named, set_aside_words, unit_kind)
from assistant.query import Query, find_metric_mentions


def _query(text: str, metrics: list[str], column: str | None = None) -> Query:
    return Query(text=text, metrics=metrics, column=column, column_named=column is not None,
                 metric_mentions=find_metric_mentions(text))


def test_a_number_bound_to_another_row_or_column_does_not_answer():
    not_held = _query("因本机关不掌握相关政府信息无法提供的申请中自然人申请有多少件", ["t3.unable.not_held"], "natural")
    assert not fits_the_question("其中自然人申请", not_held)  # 741 counts every application of natural persons
    assert fits_the_question("本机关不掌握相关政府信息的自然人申请", not_held)
    everyone = _query("收到多少政府信息公开申请", ["t3.new"])
    assert not fits_the_question("其中自然人申请", everyone)  # one kind of applicant is not all of them
    assert fits_the_question("全县全年共受理政府信息公开申请", everyone)
    legal = _query("法人或其他组织申请了多少件", ["t3.new"], "legal_person")
    assert fits_the_question("法人或其他组织申请", legal) and not fits_the_question("自然人申请", legal)
    township = _query("各乡镇主动公开了多少条政府信息", ["old.proactive"])
    assert parts_named(township) == ["乡镇"]
    street = Query(text="义凤街道2021年本年新收政府信息公开申请多少件", agencies=["昌杨市义凤街道"],
                   agency_mention="义凤街道")
    assert parts_named(street) == []  # a 街道 that is the agency asked about narrows nothing
    assert not fits_the_question("其中主动公开政府信息", township)
    assert fits_the_question("各乡镇主动公开政府信息", township)


def test_a_count_is_no_answer_to_a_duration_a_rate_or_money():
    assert asked_kind("依申请公开的平均答复时间是多少个工作日") == "duration"
    assert asked_kind("予以公开的比例是多少") == "rate"
    assert asked_kind("收取信息处理费多少元") == "money"
    assert asked_kind("召开了多少场新闻发布会") == "count"
    assert asked_kind("存在哪些问题") is None
    assert [unit_kind(u) for u in ("件", "个工作日", "％", "万元")] == ["count", "duration", "rate", "money"]
    # a counter asked wins over the words around it; 多少处理费 asks money, not 多少处
    assert asked_kind("平潭19年三公经费的信息挂了几条") == "count"
    assert asked_kind("办理时间超过15个工作日的有几件") == "count"
    assert asked_kind("老百姓查信息被收了多少处理费") == "money" and asked_unit("被收了多少处理费") == "元"
    assert asked_unit("受理了多少起群众诉求") == "起"
    assert asked_kind("个人卖自住房减免的税额是多少") == "money"  # not the 7 件 of the same sentence
    # a count named by its counter, as staff type a look-up, and the spoken counters of times
    assert [asked_unit(q) for q in ("政务公开月度通报次数", "专栏访问人次", "重大建设项目信息条数（2020年）",
                                    "催办发了多少回", "审核制度级数", "新闻发布会场次")] == ["次", "人次", "条", "次", "级", "场"]
    assert asks_tersely("区直部门公开占比") and asks_tersely("乡镇公开的信息占了多大比例") and not asks_tersely("主要问题")
    assert asks_for_figure("电子证照入库总量") and asks_for_figure("行政权力事项数") and not asks_for_figure("主要做法有哪些")
    assert asked_unit("收到多少件申请") == "件" and asked_unit("最近一次是什么时候") is None


def test_a_part_left_out_is_not_asked():
    assert set_aside_words("平潭16年区里各部门（不算乡镇）主动公开的信息有多少条？") == ["乡镇"]
    assert set_aside_words("不包括乡镇在内一共多少条") == ["乡镇"]
    assert set_aside_words("各乡镇主动公开了多少条") == []
    departments = Query(text="平潭2016年区直各部门（不含乡镇）主动公开了多少条信息", metrics=[])
    assert parts_named(departments) == ["各部门", "区直"]
    assert fits_the_question("区管委会及区直各部门主动公开政府信息", departments)
    # "除了…以外，其余…": the things named are set aside, with or without 还 after them
    assert _excluded("除了规章、规范性文件和人事任免以外，其余文件公开了几件") == ["规章", "规范性文件", "人事任免"]
    assert _excluded("除了规章，还公开了几件") == ["规章"]


# (a question, a figure it must never be answered with, and a question that rightly gets that figure), each read by
# hand from the file named
NOT_THE_SAME_THING = [
    # 002 洪泽 2024 表二: 行政事业性收费 7545 万元 — the agency's fees, not what an applicant pays for information
    ("洪泽区2024年申请查信息收费一共收了多少？", "7545", "洪泽区2024年行政事业性收费多少万元"),
    # 008 平潭 2025: "关停运营不规范、运维不及时的政府网站1个、政务新媒体2个" — 2 closed, not how many there are
    ("平潭2025年全区目前一共有多少个政务新媒体账号？", "2", "平潭2025年关停了几个政务新媒体"),
    # 002 洪泽 2024: "区政府办代表区政府受理政府信息公开申请17件" (beside 表三's 95) — no count of 答复书模板 (sets)
    ("洪泽区2024年编了几套依申请公开的答复书模板？", "17", "洪泽区2024年受理了多少件政府信息公开申请"),
    # 020 平潭县 2012: the old table's 不予公开答复数 2 (replies to requests); the text's 不予公开信息数1854条 counts
    # information the county withholds
    ("平潭县2012年定为不公开的信息有多少条", "2", "平潭县2012年不予公开的申请有多少件"),
]


@needs_real
@pytest.mark.parametrize("question, never, rightly", NOT_THE_SAME_THING)
def test_a_figure_of_another_thing_is_never_the_answer(corpus_store, question, never, rightly):
    a = answer_question(question, corpus_store)
    assert never not in [v.get("raw") for v in a.values], a.answer
    assert never in [v["raw"] for v in answer_question(rightly, corpus_store).values]


@needs_real
def test_the_wrong_numbers_of_issue_15_are_gone(corpus_store):
    # 004 表三 (四)1 本机关不掌握相关政府信息, 自然人 = 111; the text's 741 counts all natural persons' applications
    a = answer_question('2025年沭阳县因"本机关不掌握相关政府信息"无法提供的申请中，自然人申请有多少件？', corpus_store)
    assert a.status == "answered" and [(v["metric"], v["column"], v["raw"]) for v in a.values] == \
        [("t3.unable.not_held", "natural", "111")]
    # 007 states no duration: 81 件 is a count
    a = answer_question("平潭综合实验区2023年依申请公开的平均答复时间是多少个工作日？", corpus_store)
    assert a.status == "not_found" and not a.values and "81 件" not in a.answer
    assert a.citations  # the closest passages, offered as suggestions
    # 012 总计 74, 011 总计 70: a change between two years, never a share of itself
    a = answer_question("平潭综合实验区2022年收到的申请比2021年增长了百分之几？", corpus_store)
    assert a.status == "answered" and "+5.7%" in a.answer and "100.0%" not in a.answer
    assert {v["citation"]["year"] for v in a.values if v["citation"]} == {2021, 2022}
    a = answer_question("平潭综合实验区2022年本年新收占比多少", corpus_store)
    assert a.status == "not_found" and "100.0%" not in a.answer
    # 法人或其他组织: five columns, 3 + 0 + 0 + 5 + 0 = 8 (004), 36 (006), each cited, never one of them
    for question, total in (("沭阳县2025年新收的政府信息公开申请中，法人或其他组织申请了多少件？", "8"),
                            ("上海市政府办公厅2025年法人或其他组织申请多少件", "36")):
        a = answer_question(question, corpus_store)
        cells = [v for v in a.values if v["metric"] == "t3.new"]
        assert a.status == "answered" and [v["value"] for v in a.values if v["metric"] == "computed"] == [total]
        assert [v["column"] for v in cells] == ["commercial", "research", "public_interest", "legal", "other_org"]
        assert sum(Decimal(v["value"]) for v in cells) == Decimal(total)
    # 020 prints "各乡镇主动公开政府信息1503条" (checked in the file): that, not the county's 2026
    a = answer_question("平潭2012年各乡镇主动公开了多少条政府信息？", corpus_store)
    assert a.status in ("answered", "not_found") and "2026" not in a.answer.split("——")[-1]
    assert a.status == "not_found" or [v["raw"] for v in a.values] == ["1503"]


@needs_real
def test_figures_of_the_text_in_counters_and_kinds_once_missed(corpus_store):
    # each read by hand from the file: 016 平潭 2016 "区管委会及区直各部门主动公开政府信息1822条…各乡镇主动公开政府信息
    # 1638条"; 009 平潭 2019 "“三公”经费27条", "受理各类群众诉求259起"; 001 洪泽 2023 "信息处理费0元"
    for question, value in (("平潭2016年区直各部门（不含乡镇）主动公开了多少条信息", "1822"),
                            ("平潭2016年各乡镇主动公开了多少条信息", "1638"),
                            ("平潭2019年“三公”经费信息公开了几条", "27"),
                            ("平潭2019年社会事业局受理群众诉求多少起", "259"),
                            ("洪泽区2023年收了多少信息处理费", "0")):
        a = answer_question(question, corpus_store)
        assert a.status == "answered" and [v["raw"] for v in a.values] == [value], (question, a.answer)


@needs_real
def test_a_share_belongs_to_the_clause_before_and_information_is_counted_in_tiao(corpus_store):
    # 014 平潭 2018: "各乡镇主动公开政府信息477条，占23.1%"; 018 平潭 2016: "2016年全区主动公开政府信息3460条"
    a = answer_question("平潭2018年各乡镇主动公开的信息占全区的百分之多少", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["23.1"]
    a = answer_question("平潭2016年全区一共对外公开了多少条政府信息", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["3460"]
    # applications are still 表三's rows: 007 平潭 2023 本年新收 81, 予以公开 22
    a = answer_question("平潭2023年收到多少条申请", corpus_store)
    assert [v["raw"] for v in a.values] == ["81"]


@needs_real
def test_a_group_of_columns_is_not_compared_as_one_cell(corpus_store):
    a = answer_question("沭阳县和上海市政府办公厅2025年法人或其他组织申请谁多", corpus_store)
    assert a.status == "not_found" and not a.values


@needs_real
def test_figures_of_the_fourth_to_seventh_training_sets_once_wrong(corpus_store):
    """Classes of wrong figures found in prose_train4–7 (2026-12-07), each read by hand from the file."""
    cases = (
        # 007 平潭 2023: "注销2个无人维护或重复建设的政务新媒体，新开设1个政务新媒体" — 关掉 is 注销, 新开设 another act
        ("23年平潭关掉了多少个没人维护的政务新媒体账号", "answered", ["2"]),
        ("平潭2023年现有政务新媒体账号总共有多少个？", "not_found", []),  # 1 was newly opened: no stock is printed
        # 010 平潭 2020: "完成360类电子证照梳理，累计入库电子证照452149份" — 多少类 counts kinds
        ("2020年平潭梳理了多少类电子证照？", "answered", ["360"]),
        # 009 平潭 2019: "…92%公共服务事项办结时长缩短至30分钟以内" — 百分之多少 asks the rate, not the 30 minutes
        ("平潭2019年有百分之多少的公共服务事项办结时长缩短到30分钟以内？", "answered", ["92"]),
        # 015 平潭地税 2013 ("平潭地税" names it): "今年我局共受理审批事项117件，办结171件，办结率100%"
        ("2013年平潭地税的审批事项办结了多少件？", "answered", ["171"]),
        ("平潭地税局2013年审批事项办结率咋样", "answered", ["100"]),
        # 019 平潭 2014: "…开设窗口26个，共受理申请121510件" — the service centre's applications, not 表 受理依申请公开
        ("2014年平潭行政服务中心一共受理了多少件申请？", "answered", ["121510"]),
        # 018 平潭 2016: "其他应主动公开的信息1796条" — a remainder, not the old table's 主动公开文件数 3460
        ("平潭2016年其他应主动公开的信息有多少条", "answered", ["1796"]),
        # 020 平潭县 2012: "不予公开信息数1854条" — pieces of information, not the table's 不予公开答复数 2
        ("平潭县2012年不予公开的信息数量是多少", "answered", ["1854"]),
    )
    for question, status, values in cases:
        a = answer_question(question, corpus_store)
        assert a.status == status and [v["raw"] for v in a.values][:len(values) or None] == values, (question, a.answer)


@needs_real
def test_a_measure_or_a_change_asked_is_not_answered_by_a_count_or_a_total(corpus_store):
    # 006 上海 2025: "…总浏览量为 536 万，同比显著增长82%，其中 47%来自海外" — a change asked: never the total 536
    a = answer_question("上海国际服务门户2025年浏览量比上年涨了多少", corpus_store)
    assert not any(v.get("raw") == "536" for v in a.values)
    a = answer_question("2025年上海国际服务门户的浏览量里来自海外的占多少比例？", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "47"
    # 008 平潭 2025: "通过“平潭发布”公众号发布信息672条" — posts, not followers, which the report never counts
    a = answer_question("“平潭发布”公众号2025年粉丝有多少？", corpus_store)
    assert a.status != "answered" and not any(v.get("raw") == "672" for v in a.values)
    # 014 平潭 2018: "微信公众号41个，共发布信息3404条" — 多少条 is not the 41 accounts beside it
    a = answer_question("2018年平潭微信公众号发布信息多少条？", corpus_store)
    assert not any(v.get("raw") == "41" for v in a.values)


@needs_real
def test_a_share_the_table_cannot_compute_and_the_rate_of_handling(corpus_store):
    # 007 平潭 2023 prints (六)其他处理 as its three sub-rows (1 + 0 + 1) and states "其他处理2件，占2.47%"
    a = answer_question("平潭2023年依申请公开其他处理几件", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "2" and "1 + 0 + 1 = 2" in a.answer
    a = answer_question("平潭2023年“其他处理”的申请占多大比例", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "2.47"
    # 012 平潭 2022: 本年新收 74, 上年结转 1, (七)总计 75; the text: "办结率100%" — never 75 ÷ 74 = 101.4 %
    a = answer_question("2022年平潭依申请公开的办结率是多少", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "100"
    a = answer_question("平潭2023年办结率", corpus_store)  # no rate printed: 81 ÷ (81 + 0)
    assert "81 ÷ (81 + 0) = 100.0%" in a.answer
    # "答复公开（含部分公开）" is 予以公开 and 部分公开 together: (22 + 20) ÷ 81, the text's 51.85 % beside it
    a = answer_question("平潭23年信息公开申请答复公开（含部分公开）的比例", corpus_store)
    assert "(22 + 20) ÷ 81" in a.answer and "51.85" in [v["raw"] for v in a.values]


@needs_real
def test_figures_of_the_eighth_to_eleventh_training_sets_once_wrong(corpus_store):
    """More classes, from prose_train8–11 (2026-12-07), each read by hand from the file."""
    cases = (
        # 010 平潭 2020: "完成对接不动产、医社保、市场监管等16个部门25个业务系统" — each number counts its own noun
        ("平潭20年大数据那块对接了多少个业务系统", "answered", ["25"]),
        # 009 平潭 2019: "将8大类348项公共服务事项实现“一窗通办”" — 几大类
        ("平潭2019年一窗通办把几大类公共服务事项放进去了", "answered", ["8"]),
        # 021 平潭 2017: "财政资金信息今年共发布348条信息，其中…债券发行1条" — 里 after 信息: a part is asked
        ("平潭2017年财政资金信息里发债券的有几条", "answered", ["1"]),
        # 010 平潭 2020: "已宣布废止规范性文件5件，拟适时修改3件" — 废掉 is 废止; 拟修改 is not
        ("平潭20年清理完废掉了几件规范性文件", "answered", ["5"]),
        # 012 平潭 2022: "…进行关停，对全区现存的33个政务新媒体加强…" — 33 exist; none is said to be closed
        ("平潭2022年关停了几个政府新媒体号", "not_found", []),
    )
    for question, status, values in cases:
        a = answer_question(question, corpus_store)
        assert a.status == status and [v["raw"] for v in a.values][:len(values) or None] == values, (question, a.answer)
    # 006 上海 2025: 不予公开 20 of 1191 (the text: "不予公开 20 件（1.68%）") — 不给公开 is no 给公开 (予以公开)
    a = answer_question("2025年上海市政府不给公开的申请占比多少", corpus_store)
    assert "1.68" in [v["raw"] for v in a.values] and "17.3%" not in [v["raw"] for v in a.values]
    # 007 平潭 2023: "予以公开及部分公开42件，占51.85%" — the whole named after 在: (22 + 20) ÷ 81
    a = answer_question("平潭2023年予以公开和部分公开的申请在办结件中占多大比例？", corpus_store)
    assert "(22 + 20) ÷ 81" in a.answer
    # 001 洪泽 2023: 表二 行政事业性收费 7730.28 万元 is no fee for asking for information
    a = answer_question("洪泽区2023年要材料收费了没 收了多少钱", corpus_store)
    assert not any(v.get("raw") == "7730.28" for v in a.values)
    # 006 上海 2025: 规章 22 件 is the row the question sets aside
    a = answer_question("上海25年公开的其他文件有几件 不算规章文件任免那些", corpus_store)
    assert not any(v.get("raw") == "22" for v in a.values)


@needs_real
def test_figures_of_the_twelfth_to_fourteenth_training_sets_once_wrong(corpus_store):
    # 010 平潭 2020: "…等16个部门25个业务系统" — 几个部门的业务系统 counts 部门
    a = answer_question("平潭2020年打通数据，对接了几个部门的业务系统", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "16"
    # 009 平潭 2019: "…92%公共服务事项办结时长缩短至30分钟以内" — 多大比例 asks the rate
    a = answer_question("平潭2019年 多大比例公共服务事项办结时长压到30分钟内", corpus_store)
    assert a.status == "answered" and a.values[0]["raw"] == "92"
    # 004 沭阳 2025: "法人或其他组织申请 8 件" (表三: 3 + 0 + 0 + 5 + 0) — 公司、组织 are 法人或其他组织
    a = answer_question("沭阳县2025年，以公司、社会组织这类单位名义来讨要政府材料的有几件？", corpus_store)
    assert "8" in [v["raw"] for v in a.values] and "64" not in [v["raw"] for v in a.values]
    # 006 上海 2025: 规章 22 件 is not "规章和文件" (the 公报 printed 243 of them together)
    a = answer_question("2025年上海市政府公报一年刊登了多少件规章和文件？", corpus_store)
    assert not any(v.get("raw") == "22" for v in a.values)


def test_small_counts_in_chinese_numerals_are_figures():
    found = [(m.group(1), m.group(2)) for m in numbers_with_units("明确两人（实行AB岗），一名政策解读专员，执行三级审核制度")]
    assert found == [("两", "人"), ("一", "名"), ("三", "级")]
    # an ordinal, a word ending in 一 and the set phrases are no counts
    assert numbers_with_units("统一名称，一次性告知，一条龙服务，第一次会议") == []
    assert [(m.group(1), m.group(2)) for m in numbers_with_units("共十二名，二十三人")] == [("十二", "名"), ("二十三", "人")]
    assert [figure_number(v) for v in ("两", "十", "十二", "二十三", "1,234", "3.5")] == \
        [2, 10, 12, 23, 1234, Decimal("3.5")]


@needs_real
def test_figures_of_the_fifteenth_and_sixteenth_training_sets_once_wrong_or_missed(corpus_store):
    # each read by hand from the file: 014 平潭 2018 "微信公众号41个，共发布信息3404条" (the counter asked stands in for
    # the number the bound words sit with); 018 平潭 2016 "…政府采购项目信息189条，网上竞价423条" and 007 平潭 2023
    # "全年开展季度通报3次、月通报7次" (the list item the question names); seed "…村（居）务公开104条" (占了多少条
    # asks a count, not a share); seed "一名政策解读专员、两名政务信息员"; 023 沭阳发改局 "执行三级审核制度"
    for question, value in (("平潭2018微信公众号发了多少条信息", "3404"),
                            ("平潭2016年在平潭政府采购信息网上的网上竞价信息有多少条？", "423"),
                            ("平潭2023年监督保障工作中全年开展了多少次月通报？", "7"),
                            ("樟树市洋湖乡2023年主动公开的250条政府信息里，其中村（居）务公开这一类占了多少条？", "104"),
                            ("洋湖乡2023年乡级有几名政务信息员？", "两"),
                            ("沭阳发改局2023年发布信息执行的是几级审核制度？", "三")):
        a = answer_question(question, corpus_store)
        assert a.status == "answered" and [v["raw"] for v in a.values] == [value], (question, a.answer)
    a = answer_question("平潭2018微信公众号有多少个", corpus_store)
    assert [v["raw"] for v in a.values] == ["41"]


@needs_real
def test_a_count_of_another_kind_or_of_information_is_no_answer(corpus_store):
    # 012 平潭 2022: "全年共组织4次政务公开季度检查通报" counts 检查通报, not 部署会 (the report gives no count of those)
    a = answer_question("平潭2022年开了几次政务公开工作部署会", corpus_store)
    assert "4" not in [v.get("raw") for v in a.values], a.answer
    a = answer_question("平潭22年季度检查通报搞了几次", corpus_store)
    assert [v["raw"] for v in a.values] == ["4"]
    # 011 平潭 2021: "全年主动公开…政府信息2645条" counts information; "及时依法依规办结69件" the requests asked
    a = answer_question("平潭2021年信息公开申请按时办结了几件", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["69"]
    # 014 平潭 2018 "建设项目环境影响评价16件" (环评 is its short name); 006 上海 "微信公众号粉丝达 1360 万" (微信号)
    a = answer_question("平潭2018年在“环境保护”栏目发布的建设项目环评信息有多少件？", corpus_store)
    assert [v["raw"] for v in a.values] == ["16"]
    a = answer_question("上海市政府办公厅2025年“上海发布”微信号粉丝有多少万？", corpus_store)
    assert [v["raw"] for v in a.values] == ["1360"]


@needs_real
def test_what_a_figure_came_down_to_and_the_noun_a_number_counts(corpus_store):
    # 009 平潭 2019: "群众等候时间由42分钟缩至19分钟" — 缩短到几分钟 asks what it came down to
    a = answer_question("平潭2019年搞“一窗通办”以后，群众等候时间缩短到了几分钟", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["19"], a.answer
    # 010 平潭 2020: "市场监管等16个部门25个业务系统" — 16 counts the 部门 asked, though the words bound sit with 25
    a = answer_question("平潭2020年推进大数据集中汇聚，一共对接了多少个部门？", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values] == ["16"], a.answer
    # a count does not rival the percentage asked for a share (007: "予以公开及部分公开42件，占51.85%")
    a = answer_question("平潭23年依申请予以公开和部分公开的占多少", corpus_store)
    assert a.status == "answered" and "51.85" in [v["raw"] for v in a.values], a.answer


def _answers_first(store, cases) -> None:
    """Each question is answered, its first figure the one given (as printed)."""
    for question, value in cases:
        a = answer_question(question, store)
        assert a.status == "answered" and [v["raw"] for v in a.values][:1] == [value], (question, a.answer[:200])


def _never_gives(store, cases) -> None:
    """No answer to each question states the figure given (a wrong number: another thing's)."""
    for question, never in cases:
        a = answer_question(question, store)
        assert never not in [v["raw"] for v in a.values], (question, a.answer[:200])


@needs_real
def test_lists_of_counts_and_the_bare_count_of_a_paragraph(corpus_store):
    """Classes of prose_train2–17 (2026-12-07, eighth session), each read by hand from the file."""
    cases = [
        # 016 平潭县 2011: "…作为依申请公开信息数46条，不予公开信息数1402。" — a bare count in a list of counts (not the
        # 425条 of another sentence, which was given)
        ("平潭县2011年制作、获取的政府信息中，不予公开的有多少条？", "1402"),
        # 020 平潭县 2012: "对依申请公开的答复总数21条，其中同意公开答复数17条" — the part named after 中, not the whole
        ("平潭县2012年对依申请公开的答复中，同意公开的有多少条？", "17"),
        # 014 平潭 2018: "扶贫、教育、医疗、社会保障、促进就业类信息52条" — an item whose own words are a list (not 32条
        # of 民政扶贫救灾社会保障就业类信息); "政策、规范性文件类信息82条" — a kind the question names (not 政策性文件90份)
        ("2018年平潭扶贫、教育、医疗、社会保障、促进就业这一类信息有几条", "52"),
        ("平潭2018年主动公开信息分类里，政策、规范性文件类有多少条？", "82"),
        # 021 平潭 2017: "共发布467条信息，其中环境监管信息公开54条…环境违法曝光台43条" — the item named
        ("平潭2017年\"环境违法曝光台\"一共发布了几条信息", "43"),
        # 021 平潭 2017: "二是深化医疗卫生领域信息公开，…全年共发布12条信息" — a bare count of its paragraph's topic
        ("平潭17年医疗卫生领域信息发布了几条", "12"),
    ]
    _answers_first(corpus_store, cases)
    # 009 平潭 2019: "我区政府信息公开单位共公布政府信息2599条" is the year's total, no answer about 教育领域 (its
    # paragraph says "全年共发布133条"): never 2599
    a = answer_question("2019年平潭教育领域的信息公开了多少条？", corpus_store)
    assert "2599" not in [v["raw"] for v in a.values] and (a.status != "answered" or a.values[0]["raw"] == "133")
    # 021 平潭 2017: "（1）推进重大建设项目和政府与社会资本合作（PPP）项目信息公开。…全年共发布信息166条。不断推进社会资本
    # 合作项目信息公开，…等信息共13条": a heading naming two topics binds neither count
    a = answer_question("平潭2017 PPP项目相关信息公开多少条", corpus_store)
    assert "166" not in [v["raw"] for v in a.values], a.answer[:200]


@needs_real
def test_counters_of_calls_and_people_remarks_after_the_question_and_the_programme_a_count_is_of(corpus_store):
    """More classes of prose_train2–17 (eighth session), each read by hand from the file."""
    cases = [
        # 009 平潭 2019: "其中热线电话11通" — 通 counts calls
        ("2019年平潭环保方面通过热线电话给群众解答了几通？", "11"),
        # seed: "…两名政务信息员" — 几个 before a person counts people (两名); not 几个无人维护的新媒体 (007: 2个)
        ("23年洋湖乡配了几个政务信息员", "两"),
        ("平潭2023年注销了几个无人维护或重复建设的政务新媒体", "2"),
        # 004 沭阳 2025: "推送系列原创短视频1113个" — 社区 in the asker's remark after the question is no part asked
        ("沭阳县2025年推送的原创短视频有多少个？我们社区想挑几个转发", "1113"),
        # 006 上海 2025: "扎实推进教育、养老服务、…等重点领域 125 项信息公开任务" — the things end at 这些
        ("2025年上海推进教育、养老这些重点领域的信息公开任务一共多少项", "125"),
        # 010 平潭 2020: "6期《问政平潭》，…对24个单位部门进行问政，曝光了16个问题；…19期《问政平潭之有事你说》，…
        # 现场解决162件": the counts after a title are that programme's, and 各单位 is named since the number before
        ("2020年《问政平潭》对各单位进行问政，一共曝光了多少个问题？", "16"),
        # a list closed by 等 is what its number counts: 021 平潭 2017 "…（PPP）有关项目清单、落地项目、PPP项目、法律法规、
        # 政策文件等信息共13条"
        ("平潭2017 PPP项目相关信息公开多少条", "13"),
        # seed: "其中概况信息17条" — a short kind asked as a kind (概况类信息) wins over the year's 250条 of 主动公开政府信息;
        # "乡级明确一名分管领导" — 几个分管领导 counts people
        ("2023年洋湖乡公开的乡里概况类信息有多少条", "17"),
        ("2023年洋湖乡乡级配了几个分管领导抓政务公开", "一"),
        # 018 平潭 2016: "区管委会及区直各部门主动公开政府信息1822条，占53%" — 部门公开 is no slip for 部分公开
        ("平潭2016年区直部门公开量占比多少", "53"),
        # 006 上海 2025: "“上海国际服务门户”新增意大利语网站，…共发布各类信息 13528 条" — the topic's 新增 is not what
        # the count did
        ("上海国际服务门户2025年发布了多少条信息？", "13528"),
        # 014 平潭 2018: "环保、公共卫生、安全生产、食品药品、产品质量类信息281条" — the 共 of 公共卫生 is no 共 of a sum asked
        ("2018年平潭环保、公共卫生、安全生产、食品药品、产品质量类信息一共多少条", "281"),
    ]
    _answers_first(corpus_store, cases)
    # 162 is 《问政平潭之有事你说》's; and a 等-list is not counted whole where its last item names the thing asked,
    # nor where the number counts another noun: 006 上海 2025 "…市政府部门行政规范性文件等 243 件" beside "市政府及
    # 市政府办公厅行政规范性文件 34 件"; 010 平潭 2020 "市场监管等16个部门25个业务系统"
    _never_gives(corpus_store, [("平潭2020年《问政平潭》现场解决了多少件", "162"),
                                ("上海市府和市府办公厅25年对外发布的那种有约束力的规范文件一共多少件？", "243"),
                                ("2025年上海市政府和市府办公厅主动公开的行政规范性文件有多少件？", "243"),
                                ("2020年平潭对接的业务系统一共几个？", "16")])


@needs_real
def test_terse_counts_spoken_counters_parts_after_among_and_the_noun_counted(corpus_store):
    """Classes of sealed v4–v6, opened 2026-12-08 (ninth session); each figure read by hand from the file."""
    cases = [
        # 004 沭阳 2025: "…全年发出催办提示 84 次" — a look-up typed as "…次数", and 多少回 (回 counts times): not
        # 表三's 713 nor the 380元 of another sentence
        ("沭阳县2025年依申请办理超期预警催办次数", "84"),
        ("沭阳县2025年信息公开申请快超期的时候，系统提醒催办发了多少回？", "84"),
        # 014 平潭 2018: "信息公开专栏访问量达108932人次"
        ("平潭综合实验区2018年信息公开专栏访问人次", "108932"),
        # a share or a count named by its noun, typed without a question word: 019 平潭 2014 "区管委会及区直各部门主动公开
        # 政府信息1687条，占66%"; 006 上海 2025 "微信公众号粉丝达 1360 万"
        ("平潭14年区直部门公开占比", "66"),
        ("上海发布微信公众号粉丝数（2025年报）", "1360"),
        # everyday words for the report's own: seed "主要领导共听取政务公开工作汇报2次" (一把手, 几回); 004 沭阳 2025
        # "累计清理过期信息697条" (过时, 清掉)
        ("洋湖乡2023年，乡里一把手专门听了几回政务公开的情况报告", "2"),
        ("2025年沭阳县把过时的政府信息清掉了多少条", "697"),
        # 006 上海 2025: "其他处理319件（含申请人主动撤回157件）" — the part asked after 里 is no row of 表三: not the
        # 本年新收 1295 of the requests named before it
        ("2025年上海市政府办公厅收到的公开申请里，申请人自己撤回的有多少件？", "157"),
        # 019 平潭 2014: "区县已入驻审批服务部门和单位13个，开设窗口26个" — 窗口 is what is counted, 审批服务部门 no
        # part of the agency
        ("平潭2014年区县入驻的审批服务部门一共开了多少个窗口？", "26"),
        # 014 平潭 2018: "我区各部门共开设新媒体数量70个。" then, in the next passage, "其中微博29个" — the part word
        # 各部门 is named in the sentence the 其中 breaks down
        ("平潭2018年各部门开的政务微博一共多少个？", "29"),
    ]
    _answers_first(corpus_store, cases)
    # 006 上海 2025: "无法提供 564 件（47.36%）" — "本机关不掌握等原因" is one reason of several: the group, not the
    # sub-row's 513 ÷ 1191 = 43.1%
    a = answer_question("2025年上海市政府办公厅办结的公开申请里，因本机关不掌握等原因无法提供的占了多大比例？", corpus_store)
    raws = [v["raw"] for v in a.values]
    assert "47.36" in raws and "43.1%" not in raws, a.answer[:200]
    # of two numbers bound alike, the one printed with a telling word more of the question is meant, not "which one?":
    # 015 平潭地税 2013 "其中现场咨询1600人次，占32.65%；电话咨询3200人次，占65.31%"
    _answers_first(corpus_store, [("平潭地税局13年打电话来咨询的有多少人次", "3200"),
                                  # and the best by meaning gives way to it: 014 平潭 2018 "其中微博29个，共发布信息
                                  # 1992条；微信公众号41个，共发布信息3404条"; 015 平潭地税 2013 "…减免金额21470.27元" /
                                  # "其中办理下岗失业人员减免税共计91件，共计减免金额219062.78元"
                                  ("平潭2018年微信公众号一共发布了多少条信息？", "3404"),
                                  ("平潭地税局2013年下岗失业人员税收减免金额（元）", "219062.78"),
                                  # 007 平潭 2023 "全年开展季度通报3次、月通报7次": 月度通报 is 月通报
                                  ("平潭综合实验区2023年一年搞了几次月度通报", "7"),
                                  # 009 平潭 2019 "群众等候时间由42分钟缩至19分钟": what it came down to, bound by
                                  # the change itself
                                  ("平潭2019年去办事排队等的时间缩到了多少分钟", "19"),
                                  # 011 平潭 2021 "对29项涉及群众切身利益、重大公共利益、需广泛知晓的重要政策文件进行
                                  # 解读": the object of 对 runs through its 、-list to its verb
                                  ("平潭2021年对多少项重要政策文件做了解读？", "29")])
    # a total is not chosen over its own breakdown (010 平潭 2020 "共公布政府信息2602条(其中…土地出让类信息39条…)" for
    # 卖地); a number whose own noun is another thing, in a sentence that speaks of no thing asked, is no answer (014 平潭
    # 2018 "目前，70个新媒体运行情况良好" for 问题; 009 平潭 2019 "将8大类348项公共服务事项实现“一窗通办”" for 窗口);
    # a thing set aside is set aside under its head noun (006 上海 2025 "召开市政府新闻发布会 42 场、新闻通气会 19 场")
    _never_gives(corpus_store, [("平潭20年网上公布了多少条卖地方面的信息？", "2602"),
                                ("平潭2018年7月13日那次新媒体检查发现了多少个问题", "70"),
                                ("2019年平潭“一窗通办”一共设了几个窗口", "348"),
                                ("上海市政府2025年跟记者小范围吹风的那种会（不算正式发布会）一共开了几场", "42")])


@needs_real
def test_a_question_in_everyday_words_only_still_reaches_the_text(corpus_store):
    # "一共对外公开了多少条信息": 对外 and 公开了 are no content words the passages must hold (seed: "2023年度主动公开
    # 政府信息250条"); the text is searched and its figure offered, never "no related text"
    a = answer_question("洋湖乡2023年一共对外公开了多少条信息？", corpus_store)
    assert a.status in ("answered", "ambiguous") and "250" in a.answer, a.answer[:200]
    # 官网 / 政府官网 is how citizens say 政府网站 ("我区在政府网站平台主动发布各类政府信息2428条")
    _answers_first(corpus_store, [("洪泽2024年在官网发布了多少条政府信息", "2428"), ("平潭2025年政府官网上发了几条信息", "7700")])
    # 对外公开 is the reports' 主动公开 (not 依申请公开's answers): "全区主动公开政府信息2122条"
    _answers_first(corpus_store, [("平潭2017年全区一共对外公开多少条信息", "2122")])


@needs_real
def test_volumes_measures_in_other_words_people_and_the_sentence_of_a_numbered_thing(corpus_store):
    _answers_first(corpus_store, [
        # "…受理量" asks a count without a question word; 网络问政 is no 表三 request (26 would be its 本年新收)
        ("沭阳发改局23年网络问政的受理量是？", "182"),
        # "7项新举措" after a 、-list closed by 等: the 新措施 asked, in other words (not 审批服务部门和单位13个)
        ("平潭2014年行政审批服务上推出了几项新措施？", "7"),
    ])
    _never_gives(corpus_store, [
        # 多少…人员 counts people: 公布政府信息2599条 is no answer
        ("平潭2019年的信息公开工作靠多少借调人员兼职来做", "2599"),
        # the sentence after the one on the 12345 platform speaks of 网民留言: its 100% is not the platform's rate
        ("平潭2018年12345便民服务平台咨询投诉的办结率", "100"),
        # 348项公共服务事项 counts 事项, not 窗口
        ("2019年平潭一窗通办设了几个窗口", "348"),
    ])


@needs_real
def test_the_very_noun_counted_at_a_number_people_counted_by_ge_and_a_remark_in_brackets(corpus_store):
    _answers_first(corpus_store, [
        # "开设窗口26个": one word shared, but the noun counted, right at a number in the counter asked
        ("平潭2014年区县行政服务中心开设了几个窗口", "26"),
        # 几个人 counts people (兼职人员1人), not items
        ("平潭地税局2013年几个人兼职搞政府信息公开", "1"),
        # "明确两人（实行AB岗责任制）负责线上平台信息发布与维护": the words after the bracketed remark are the two's
        ("洋湖乡2023年网站平台信息发布和维护由几个人负责", "两"),
        # 图文1775条, not rivalled by "其中图文及视频类产品共17篇" in another counter
        ("沭阳县2025年政务新媒体推送图文多少条", "1775"),
    ])


@needs_real
def test_a_number_bound_by_common_words_only_is_no_answer_where_the_thing_counted_is_printed_nowhere_near(corpus_store):
    _never_gives(corpus_store, [
        # 洪泽 2024 prints no count of 答复书模板; "区政府办代表区政府受理…17件" shares only 依申请公开 with it
        ("洪泽区2024年编了几份依申请公开答复书模板", "17"),
    ])
    # a part asked after 里 of a whole named with 其他 (其他处理一类里): "其他处理319件中含申请人主动撤回157件"
    _answers_first(corpus_store, [("上海市政府办公厅2025年其他处理这类里申请人自己撤回的有几件", "157")])
    # a part asked after 里 of requests, no row named (平潭 2023: "予以公开及部分公开42件"; never all 81 received)
    _answers_first(corpus_store, [("平潭2023年公开申请里面全部或者部分给了的有几件", "42")])
    _never_gives(corpus_store, [("平潭23年的申请里面，给了全部或部分信息的有几件", "81")])


@needs_real
def test_an_agency_named_with_its_general_office_is_no_content_word(corpus_store):
    # "上海市政府和市府办公厅": the 办公厅's report counts the documents of both; 上海市政府 is no word beyond 表二's
    # row, so the row answers (34), not a sentence of the gazette ("…规范性文件等 243 件")
    _answers_first(corpus_store, [("上海市政府和市府办公厅2025年发了多少件规范性文件", "34")])


@needs_real
def test_a_period_asked_is_answered_by_a_figure_printed_with_it(corpus_store):
    # 每季度 / 每月: no annual cell counts them, but a sentence printing the period with its number does
    _answers_first(corpus_store, [("平潭2021年每个季度的政务公开检查组织了几次", "4"),  # 组织4次季度政务公开检查
                                  ("洋湖乡2023年分管领导每月调度几次网站信息公开", "一")])  # 每月调度一次
    a = answer_question("平潭2023年平均每月收到多少申请", corpus_store)  # the year's 81 is not a month's
    assert not a.values, a.answer[:200]
    # the noun named right before the question word (政策解读多少篇), printed nowhere near "发布政策文件20件"
    _never_gives(corpus_store, [("平潭2022年一共发布政策解读多少篇", "20")])
    # 税款 asks an amount: "办理下岗失业人员减免税共计91件，共计减免金额219062.78元"
    _answers_first(corpus_store, [("平潭地税局2013年为下岗失业人员减免了多少税款", "219062.78")])
