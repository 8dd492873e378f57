"""Contact and service facts (issue 16 point 2): the contact block read at ingest into structured facts with
their sentence, and answered directly with the citation."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import CORPUS, REAL, needs_real
from assistant.answer import answer_question
from index.contacts import find_contacts
from index.ingest import ingest_paths
from index.store import Store


def _found(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in find_contacts([(text, "", None)]):
        out.setdefault(c.kind, []).append(c.value)
    return out


def test_the_seed_contact_block():
    text = ("本年度报告的电子版可以从樟树市人民政府网站（http://www.zhangshu.gov.cn）下载。如对本报告有任何疑问，请与樟树市"
            "洋湖乡人民政府办公室联系（地址：樟树市洋湖乡横梁街道18号，电话：0795-7317084，邮编：331200）。")
    found = _found(text)
    assert found["phone"] == ["0795-7317084"] and found["postcode"] == ["331200"]
    assert found["address"] == ["樟树市洋湖乡横梁街道18号"] and found["office"] == ["樟树市洋湖乡人民政府办公室"]
    assert found["website"] == ["http://www.zhangshu.gov.cn"]
    assert found["download"] == ["樟树市人民政府网站（http://www.zhangshu.gov.cn）"]


def test_labels_with_spaces_shared_labels_and_full_width_signs():
    # 平潭 2017: no separators between the fields, spaces inside the labels, ＠ for @
    found = _found("如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。联系地址：平潭综合实验区北厝镇金井湾"
                   "片区管委会大楼东附属楼7楼邮 编：350400电 话：0591-23162606传 真：0591-23162143电子邮箱：pzxxgkb＠163.com")
    assert found["address"] == ["平潭综合实验区北厝镇金井湾片区管委会大楼东附属楼7楼"]
    assert found["postcode"] == ["350400"] and found["phone"] == ["0591-23162606"]
    assert found["fax"] == ["0591-23162143"] and found["email"] == ["pzxxgkb@163.com"]
    # one number for both, and a long dash between area code and number
    both = _found("请与某某局办公室联系（电话/传真：0591-23165370；电子邮箱：a@b.cn）。")
    assert both["phone"] == both["fax"] == ["0591-23165370"]
    assert _found("请与沭阳县发展和改革局联系（地址：沭阳县沭城街道苏州东路42号，邮编：223600，电话：0527—83593059）。")[
        "phone"] == ["0527-83593059"]


def test_a_phone_outside_the_contact_block_is_not_a_contact():
    assert _found("其中现场咨询1600人次；电话咨询3200人次，网上咨询100人次。") == {}
    assert _found("被征收人的权利和义务以及征收部门的工作纪律公开以及监督电话公开等。") == {}
    assert _found("热线电话11通，网络诉求3件。") == {}


def test_contacts_are_answered_with_their_sentence(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("洋湖乡政府办公室的联系电话是多少", store)
    assert answer.status == "answered" and "0795-7317084" in answer.answer
    (citation,) = answer.citations
    assert citation["sentence"] == "电话：0795-7317084" and "请与樟树市洋湖乡人民政府办公室联系" in citation["text"]
    text = store.report_text(citation["report_id"])
    assert text[citation["char_start"]:citation["char_end"]] == citation["text"]  # the panel can highlight it
    # a follow-up keeps the agency; a question about the whole block gets every fact the report prints
    follow = answer_question("那地址呢", store, history=["洋湖乡政府办公室的联系电话是多少"])
    assert follow.status == "answered" and "樟树市洋湖乡横梁街道18号" in follow.answer
    block = answer_question("洋湖乡政府信息公开的联系方式", store)
    assert all(v in block.answer for v in ("0795-7317084", "331200", "横梁街道18号", "zhangshu.gov.cn"))
    # what the report does not print is said, with what it does print
    missing = answer_question("洋湖乡政府的传真号码", store)
    assert missing.status == "not_found" and "传真" in missing.answer and "电话" in missing.answer


def test_a_count_of_calls_is_not_a_contact_question(store):
    ingest_paths(store, [CORPUS], encode=False)
    answer = answer_question("洋湖乡2023年电话咨询多少人次", store)
    assert not any(v["metric"] == "contact" for v in answer.values)
    # nor a count of downloads one about where the report can be downloaded
    answer = answer_question("洋湖乡2023年政务APP下载量有多少", store)
    assert not any(v["metric"] == "contact" for v in answer.values)
    assert any(v["metric"] == "contact" for v in answer_question("洋湖乡2023年的年报在哪里下载", store).values)


def test_a_store_from_before_contacts_reads_them_from_its_paragraphs(tmp_path):
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    ingest_paths(store, [CORPUS], encode=False)
    store.close()
    conn = sqlite3.connect(path)  # as a version-5 store left it: no contact rows
    with conn:
        conn.execute("DELETE FROM contacts")
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.close()
    store = Store(path)
    try:
        (report,) = store.reports()
        assert {c["kind"]: c["value"] for c in store.contacts(report.id)}["phone"] == "0795-7317084"
    finally:
        store.close()


# phones as the shared reports print them (read by hand from each file's opening paragraphs)
PHONES = {"001_huaian-hongzequ_2023.pdf": "0517-87222589", "007_fujian-pingtan_2023.txt": "0591-23165385",
          "014_fujian-pingtan_2018.txt": "0591-23165255", "016_fujian-pingtanxian_2011.txt": "24336240",
          "020_fujian-pingtanxian_2012.txt": "24336243", "021_fujian-pingtan_2017.txt": "0591-23162606",
          "022_fujian-pingtan_2023.html": "0591-23165385", "023_suqian-shuyang-fagaiju_2023.html": "0527-83593059"}


@needs_real
@pytest.mark.parametrize("name", sorted(PHONES))
def test_every_shared_report_with_a_contact_block(store, name):
    (outcome,) = ingest_paths(store, [REAL / name], encode=False)
    contacts = store.contacts(outcome.report_id)
    assert [c["value"] for c in contacts if c["kind"] == "phone"] == [PHONES[name]]
    assert {"office", "address", "postcode"} <= {c["kind"] for c in contacts}
