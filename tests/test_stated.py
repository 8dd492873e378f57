"""Table and text side by side (issue 16 point 5): a figure the text states for the same row as a table cell is
given beside it, each cited, with how they relate where the table's arithmetic shows it (受理 749 = 本年新收 713 +
上年结转 36); where they cannot both be true it is a finding that `reportqa check` lists with the sentence."""
from __future__ import annotations

from decimal import Decimal

from conftest import CORPUS, needs_real
from assistant.answer import answer_question
from assistant.cli import main
from index.checks import check_stated
from index.ingest import ingest_paths
from index.mapping import Fact
from index.stated import find_stated, relation
from index.store import Store

CELLS = {("t3.new", "total"): Decimal(713), ("t3.carried_over", "total"): Decimal(36),
         ("t3.total", "total"): Decimal(718), ("t3.carry_forward", "total"): Decimal(31)}


def test_headline_figures_of_the_text():
    text = "全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，结转下一年 31 件。"
    stated = find_stated(text)
    # 自然人 741 is its column's figure of the same row, not the row's total
    assert [(s.metric, s.column, s.value) for s in stated] == [
        ("t3.new", "total", "749"), ("t3.new", "natural", "741"), ("t3.total", "total", "718"),
        ("t3.carry_forward", "total", "31")]
    assert relation(stated[0], CELLS) == ("explained", ["t3.new", "t3.carried_over", "+"])
    assert relation(stated[1], CELLS) is None  # no 自然人 cell in this table: nothing to relate it to
    assert relation(stated[2], CELLS)[0] == "same" and relation(stated[3], CELLS)[0] == "same"
    assert text[stated[0].char_start:stated[0].char_end].startswith("全县全年共受理")


def test_a_part_of_the_agency_and_other_business_are_not_contradictions():
    (part,) = find_stated("2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。")
    assert relation(part, {("t3.new", "total"): Decimal(95)})[0] == "scope"
    assert find_stated("区县已入驻审批服务部门和单位13个，开设窗口26个，共受理申请121510件。") == []


def _fact(metric: str, number: str) -> Fact:
    return Fact(metric=metric, column="total", raw=number, number=number, unit="件", table_index=1, row_label="",
                column_label="总计", grid_row=1, grid_col=7, page=None, section="")


def test_a_figure_the_table_contradicts_is_a_finding():
    facts = [_fact("t3.new", "0"), _fact("t3.carried_over", "0")]
    (finding,) = check_stated(facts, "2023年度我乡共收到政府信息公开申请5件，均已按时答复。")
    assert finding.check == "prose_table" and finding.printed == "5" and finding.expected == "0"
    assert "收到政府信息公开申请5件" in finding.message
    assert check_stated(facts, "2023年度我乡未收到政府信息公开申请。") == []


def test_check_lists_the_contradiction_with_its_sentence(tmp_path, capsys):
    seed = next(CORPUS.glob("*.txt"))
    text = seed.read_text(encoding="utf-8").replace("2023年度我乡未收到政府信息公开申请，无记录。",
                                                     "2023年度我乡共收到政府信息公开申请5件。")
    path = tmp_path / "樟树市洋湖乡2023年政府信息公开工作年度报告.txt"
    path.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    store = Store(home / "reportqa.sqlite3")
    ingest_paths(store, [path], encode=False)
    store.close()
    capsys.readouterr()
    main(["--home", str(home), "check"])
    out = capsys.readouterr().out
    assert "收到政府信息公开申请5件" in out and "一、本年新收政府信息公开申请数量" in out


def test_the_seed_reads_no_contradiction(store):
    (outcome,) = ingest_paths(store, [CORPUS], encode=False)
    assert not [f for f in store.findings(outcome.report_id) if f["check_name"] == "prose_table"]


@needs_real
def test_shuyang_received_749_beside_713(corpus_store):
    answer = answer_question("沐阳县2025年一共受理了多少件政府信息公开申请", corpus_store)
    assert answer.status == "answered"
    given = {(v["metric"], v["raw"]) for v in answer.values}
    assert {("t3.new", "713"), ("prose", "749"), ("t3.carried_over", "36")} <= given
    assert "749" in answer.answer and "713" in answer.answer and "36" in answer.answer
    sentence = next(c for c in answer.citations if c.get("sentence"))
    assert "全年共受理政府信息公开申请" in sentence["sentence"]
    # no contradiction in any shared report: where text and table differ, the arithmetic or the scope explains it
    assert not [f for r in corpus_store.reports() for f in corpus_store.findings(r.id) if f["check_name"] == "prose_table"]


def test_a_groups_figure_is_held_against_its_rows_sum():
    # "因本机关不掌握等原因无法提供564件": (四)无法提供 prints no total of its own, only its three sub-rows
    (stated,) = find_stated("因本机关不掌握等原因无法提供 564 件（47.36%）。")
    rows = {("t3.unable.not_held", "total"): Decimal(513), ("t3.unable.need_create", "total"): Decimal(48),
            ("t3.unable.unclear", "total"): Decimal(3)}
    assert stated.metric == "t3.unable" and relation(stated, rows)[0] == "same"
    assert relation(stated, {**rows, ("t3.unable.unclear", "total"): Decimal(4)})[0] == "differs"
    del rows[("t3.unable.unclear", "total")]
    assert relation(stated, rows) is None  # a row unread: nothing to hold it against, never a finding


@needs_real
def test_a_share_the_text_prints_is_given_beside_the_computed_one(corpus_store):
    # 007 平潭 2023: "…无法提供31件，占38.27%…" — 31 ÷ 81 = 38.3 % computed, 38.27 % printed
    a = answer_question("平潭23年依申请里面没法提供信息的占了百分之多少？", corpus_store)
    assert a.status == "answered"
    computed = [v for v in a.values if v["metric"] == "computed"]
    printed = [v for v in a.values if v["metric"] == "prose"]
    assert [v["raw"] for v in computed] == ["38.3%"] and [v["raw"] for v in printed] == ["38.27"]
    assert "占38.27%" in printed[0]["citation"]["sentence"].replace(" ", "")
    # 006 上海 2025: "不予公开 20 件（1.68%）" of 办结 1191: given beside 20 ÷ 1191 = 1.7 %
    a = answer_question("2025年上海市政府办公厅的申请里，被拒绝公开的比例是多少？", corpus_store)
    assert [v["raw"] for v in a.values if v["metric"] == "prose"] == ["1.68"]
    # a share of another whole (本年新收 1295) is not the printed 1.68 %
    a = answer_question("上海市政府办公厅2025年不予公开占本年新收申请的比例是多少", corpus_store)
    assert a.status == "answered" and not [v for v in a.values if v["metric"] == "prose"]


@needs_real
def test_colloquial_words_for_disclosed_in_full_or_in_part(corpus_store):
    # 007 平潭 2023 表三: 予以公开 22, 部分公开 20 (the text: "予以公开及部分公开42件")
    a = answer_question("平潭综合实验区2023年申请里全给或给了一部分的有几件？", corpus_store)
    assert a.status == "answered" and [v["raw"] for v in a.values if v["metric"] == "computed"] == ["42"]
