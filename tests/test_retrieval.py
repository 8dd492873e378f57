"""Passages, tokenization, the search indexes and answers from report text (issue 3)."""
from __future__ import annotations

import shutil

import pytest

from conftest import CORPUS, REAL, SEED, fail_writes_to, needs_real
from assistant.answer import answer_question
from assistant.answerers.text import find_passages
from assistant.retrieve import get_retriever
from index.ingest import ingest_paths
from index.passages import looks_like_table, make_passages, report_text
from index.readers import read_file
from index.search_index import index_folder, open_index
from index.sections import assign_sections
from index.tokenize import Tokenizer


def _passages(path):
    doc = read_file(path)
    assign_sections(doc)
    return doc, make_passages(doc)


def test_passages_cite_exact_offsets_and_keep_to_their_section():
    doc, passages = _passages(SEED)
    text = report_text(doc)
    assert passages and all(text[p.char_start:p.char_end] == p.text for p in passages)
    sections = {p.section.split(" › ")[0] for p in passages}
    assert "五、政府信息公开工作存在的主要问题及改进情况" in sections
    problems = next(p for p in passages if "存在主要问题" in p.text)
    assert problems.section.startswith("五、") and problems.paragraph_no > 1
    assert not any("本年新收政府信息公开申请数量" in p.text for p in passages)  # tables are facts, not passages
    assert max(len(p.text) for p in passages) <= 400


@needs_real
def test_the_passage_before_is_the_one_before_in_its_paragraph_on_both_backends(any_store):
    # a passage that begins "其中…" breaks down a number of the passage before it (平潭 2018: "我区各部门共开设新媒体
    # 数量70个。" | "其中微博29个…"): the store gives that passage, and nothing at a paragraph's start
    ingest_paths(any_store, [SEED], encode=False)
    rows = any_store._rows("SELECT id, report_id, ord, paragraph_no, text FROM passages ORDER BY report_id, ord")
    pairs = [(a, b) for a, b in zip(rows, rows[1:]) if a[1] == b[1] and b[2] == a[2] + 1]
    split = [(a, b) for a, b in pairs if a[3] == b[3]]
    assert split, "the seed has a paragraph longer than one passage"
    for a, b in split:
        assert any_store.passage_before(b[0]) == a[4]
    for a, b in pairs:
        if a[3] != b[3]:
            assert any_store.passage_before(b[0]) == ""
    assert any_store.passage_before(rows[0][0]) == ""


def test_glued_tables_and_crawler_headers_are_not_passages():
    doc, passages = _passages(REAL / "007_fujian-pingtan_2023.txt")
    assert not any(looks_like_table(p.text) for p in passages)
    assert not any(p.text.startswith(("标题:", "原文链接", "发布时间")) for p in passages)
    assert not any("801000081" in p.text for p in passages)
    assert any("注销2个无人维护或重复建设的政务新媒体" in p.text for p in passages)
    assert looks_like_table("一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000三、")
    assert not looks_like_table("全年累计整改不规范描述22处、失效链接43处、各类错误信息83处")


@needs_real
def test_prose_with_unusual_counters_and_a_statement_after_its_subheading_are_passages():
    # 009 平潭 2019: one sentence holds "229大项539小项" and "已入驻中介机构868家", another "其中热线电话11通": prose
    _, passages = _passages(REAL / "009_fujian-pingtan_2019.txt")
    assert any("已入驻中介机构868家" in p.text for p in passages)
    assert any("其中热线电话11通" in p.text for p in passages)
    assert any("成立 70 周年" in p.text for p in passages)
    # 015 平潭地税 2013: "（一）工作人员情况 我局没有…兼职人员1人。" is a short sub-heading that states something
    _, passages = _passages(REAL / "015_fujian-pingtan-dishuiju_2013.txt")
    assert any("兼职人员1人" in p.text for p in passages)
    assert not any(p.text.strip() == "（一）工作人员情况" for p in passages)


def test_tokenizer_folds_width_and_script_and_knows_the_domain():
    tk = Tokenizer(["洋湖乡"])
    assert "政务新媒体" in tk.tokens("关停注销政务新媒体２个")
    assert tk.tokens("有沒有收取信息處理費") == tk.tokens("有没有收取信息处理费")
    assert "信息处理费" in tk.tokens("信息處理費") and "洋湖乡" in tk.tokens("洋湖乡政务公开")
    assert "的" not in tk.tokens("存在的主要问题") and "多少" not in tk.tokens("开了多少场")


def test_open_question_quotes_the_passage_with_its_citation(store):
    ingest_paths(store, [CORPUS])
    a = answer_question("洋湖乡2023年政务公开存在哪些主要问题？", store)
    assert a.status == "answered" and not a.values
    first = a.citations[0]
    assert "政策解读形式不够多元化" in first["text"] and first["section"].startswith("五、")
    text = store.report_text(store.reports()[0].id)
    assert text[first["char_start"]:first["char_end"]] == first["text"]


def test_figure_from_text_is_bound_to_the_asked_phrase(store):
    ingest_paths(store, [CORPUS])
    a = answer_question("洋湖乡2023年主动公开了多少条政府信息？", store)
    assert a.status == "answered" and a.values[0]["value"] == "250" and a.values[0]["unit"] == "条"
    assert a.values[0]["metric"] == "prose" and "250条" in a.values[0]["citation"]["sentence"]
    a = answer_question("洋湖乡2023年主要领导听取了几次政务公开工作汇报", store)
    assert a.values and a.values[0]["value"] == "2" and a.values[0]["unit"] == "次"


def test_no_number_is_made_up_when_no_sentence_binds_one(store):
    ingest_paths(store, [CORPUS])
    a = answer_question("洋湖乡2023年开了多少场新闻发布会？", store)
    assert not a.values  # the report states no such figure
    assert a.status in ("answered", "not_found")


def test_agency_or_year_not_in_store_is_not_answered_from_another_report(store):
    ingest_paths(store, [CORPUS])
    a = answer_question("淮安市2024年开了多少场新闻发布会？", store)
    assert a.status == "not_found" and not a.values and not a.citations
    a = answer_question("洋湖乡2021年存在哪些问题", store)
    assert a.status == "not_found" and "2023" in a.answer
    assert isinstance(find_passages("洋湖乡2021年存在哪些问题", store), type(a))


def test_unrelated_question_finds_nothing(store):
    ingest_paths(store, [CORPUS])
    assert answer_question("今天天气怎么样", store).status == "not_found"


@needs_real
def test_examples_from_the_issue(corpus_store):
    a = answer_question("平潭23年关停注销了几个政务新媒体？", corpus_store)
    assert a.values[0]["value"] == "2" and a.values[0]["report"] == "022_fujian-pingtan_2023.html"
    a = answer_question("有没有收取信息处理费？", corpus_store)
    assert a.status == "answered" and any("信息处理费" in c["text"] for c in a.citations)
    a = answer_question("洪泽区2024年区政府办代表区政府受理了多少件政府信息公开申请？", corpus_store)
    assert a.values[0]["value"] == "17" and a.values[0]["metric"] == "prose"  # the text's own figure
    a = answer_question("洪泽区2024年新收政府信息公开申请多少件", corpus_store)
    assert a.values[0]["value"] == "95" and a.values[0]["metric"] == "t3.new"  # the table cell


@needs_real
def test_the_filter_keeps_other_reports_out(corpus_store):
    results = find_passages("平潭2019年政府信息公开存在什么问题", corpus_store, k=10)
    assert results and {r.report.year for r in results} == {2019}
    assert {r.report.agency for r in results} == {"平潭综合实验区管委会"}


def test_index_is_rebuilt_when_missing_or_stale(store, tmp_path):
    ingest_paths(store, [CORPUS])
    retriever = get_retriever(store)
    first = retriever.index()
    assert (index_folder(store) / "manifest.json").exists()
    shutil.rmtree(index_folder(store))
    rebuilt = open_index(store, retriever.encoder)
    assert list(rebuilt.ids) == list(first.ids)
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("樟树市洋湖乡", "樟树市某某镇"), encoding="utf-8")
    ingest_paths(store, [other])
    grown = retriever.index()  # the store changed: the index follows
    assert len(grown.ids) == 2 * len(first.ids) and grown.fingerprint != first.fingerprint


def test_an_index_built_while_another_process_ingests_holds_one_state_of_the_store(store, tmp_path, monkeypatch):
    """The CLI ingesting beside the web app: a report lands between the index's read of the passages' tokens and
    of their vectors. The build reads again; the index and its saved fingerprint describe the same passages."""
    from index.search_index import SearchIndex, store_fingerprint
    from index.store import Store

    ingest_paths(store, [SEED])
    encoder = get_retriever(store).encoder
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("樟树市洋湖乡", "樟树市某某镇"), encoding="utf-8")
    tokens_of = type(store).passage_tokens
    landed = []

    def tokens_then_another_process_writes(self):
        pairs = tokens_of(self)
        if not landed:
            writer = Store(store.path)
            landed.append(ingest_paths(writer, [other])[0].status)
            writer.close()
        return pairs

    monkeypatch.setattr(type(store), "passage_tokens", tokens_then_another_process_writes)
    index = SearchIndex.build(store, encoder)
    assert landed == ["ingested"]
    assert list(index.ids) == [pid for pid, _ in tokens_of(store)]  # the later state, whole
    assert len(index.vectors) == len(index.ids)
    assert index.fingerprint == store_fingerprint(store, encoder.name if encoder else None)


def test_a_saved_index_replaced_by_another_process_is_never_read_in_halves(store, tmp_path):
    """Another process saves a newer index over the folder after this one was loaded (its faiss file is read at
    the first dense search) or while it is read: the files of two indexes are never mixed."""
    import numpy as np

    from index.search_index import SearchIndex

    ingest_paths(store, [SEED])
    retriever = get_retriever(store)
    retriever.index()  # built and saved
    folder = index_folder(store)
    loaded = SearchIndex.load(folder)
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("樟树市洋湖乡", "樟树市某某镇"), encoding="utf-8")
    ingest_paths(store, [other])
    newer = retriever.index()  # rebuilt and saved over the folder
    assert len(newer.ids) > len(loaded.ids)
    if loaded.vectors is not None:
        hits = loaded.dense(loaded.vectors[0], k=5)  # faiss built from its own vectors, not the newer file
        assert hits and {h.passage_id for h in hits} <= set(int(i) for i in loaded.ids)
    np.save(folder / "ids.npy", loaded.ids)  # as if the swap came between two of load's reads
    with pytest.raises(ValueError, match="replaced while it was read"):
        SearchIndex.load(folder)
    assert list(open_index(store, retriever.encoder).ids) == list(newer.ids)  # rebuilt from the store


def test_report_passages_vectors_and_facts_are_stored_together_or_not_at_all(store, monkeypatch):
    restore = fail_writes_to(store, "passages", monkeypatch)
    outcome = ingest_paths(store, [SEED])[0]
    assert outcome.status == "failed"
    assert store.counts() == {"reports": 0, "paragraphs": 0, "grids": 0, "facts": 0, "findings": 0, "passages": 0,
                              "decoded_cells": 0}
    restore()
    ingest_paths(store, [SEED])
    rows = store.conn.execute("SELECT COUNT(*), COUNT(vector), COUNT(DISTINCT vector_model) FROM passages").fetchone()
    assert rows[0] > 0 and rows[0] == rows[1] and rows[2] == 1  # every passage has its vector, one model


def test_keyword_search_still_answers_without_the_embedding_model(store, monkeypatch):
    import index.embedding as embedding

    monkeypatch.setenv("REPORTQA_EMBEDDING_MODEL", "no-such-model")
    embedding._encoder.cache_clear()
    try:
        outcome = ingest_paths(store, [CORPUS])[0]
        assert outcome.status == "ingested" and "no vectors" in outcome.message
        a = answer_question("洋湖乡2023年政务公开存在哪些主要问题？", store)
        assert a.status == "answered" and "政策解读形式不够多元化" in a.citations[0]["text"]
    finally:
        embedding._encoder.cache_clear()


@pytest.mark.parametrize("mode", ["keyword", "dense", "hybrid"])
def test_search_modes_rank_the_right_passage_first(store, mode):
    ingest_paths(store, [CORPUS])
    results = find_passages("洋湖乡2023年政务公开存在哪些主要问题", store, k=3, mode=mode)
    assert any("政策解读形式不够多元化" in r.text for r in results[:3])
    assert all(r.ranks.get(mode) or mode == "hybrid" for r in results)


def test_questions_are_cut_with_the_stored_agency_names(store):
    import index.tokenize as tokenize

    ingest_paths(store, [CORPUS])
    tokenize.base_tokenizer.cache_clear()  # as in a fresh process (the app started after the ingest)
    assert "洋湖乡" not in tokenize.base_tokenizer().tokens("洋湖乡的问题")
    get_retriever(store)._index = None
    get_retriever(store).index()
    assert "洋湖乡" in tokenize.base_tokenizer().tokens("洋湖乡的问题")


def test_keyword_top_k_is_the_stable_sort_without_sorting_everything():
    import numpy as np

    from index.search_index import _top_k

    rng = np.random.default_rng(7)
    for n in (3, 40, 41, 5000):
        for _ in range(30):
            scores = rng.integers(0, 4, n).astype(float)  # many ties, as BM25 gives for short questions
            assert list(_top_k(scores, 10)) == list(np.argsort(-scores, kind="stable")[:10])


def test_above_the_exact_scan_size_an_ivf_index_finds_the_exact_scans_passages(tmp_path, monkeypatch):
    import numpy as np

    from index import search_index
    from index.search_index import SearchIndex

    monkeypatch.setattr(search_index, "ANN_MIN_PASSAGES", 2_000)
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(6_000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = SearchIndex(np.arange(10, 6_010, dtype=np.int64), None, vectors, "test", "fp")
    assert type(index._dense_index()).__name__ == "IndexIVFFlat"
    queries = rng.normal(size=(20, 32)).astype(np.float32)
    recall = []
    for q in queries:
        exact = {int(i) + 10 for i in np.argsort(-(vectors @ q))[:10]}
        recall.append(len(exact & {h.passage_id for h in index.dense(q, k=10)}) / 10)
    # random isotropic vectors are an inverted file's worst case; on real vectors the benchmark measures ≥ 0.98
    assert np.mean(recall) >= 0.9
    allowed = list(range(10, 30_000, 2))[:25_000]  # more than the exact subset scan takes: the index, filtered
    monkeypatch.setattr(search_index, "EXACT_SUBSET_MAX", 100)
    hits = index.dense(queries[0], allowed_ids=allowed, k=10)
    assert len(hits) == 10 and all(h.passage_id % 2 == 0 for h in hits)


def test_filtered_keyword_scores_are_bm25s_scores_bit_for_bit():
    """A filtered keyword search scores only the allowed passages (what a one-agency question costs must not grow
    with the store): the scores must be bm25s's own, to the bit, whichever way the postings are met."""
    import bm25s
    import numpy as np

    from index.search_index import SearchIndex

    rng = np.random.default_rng(11)
    vocabulary = [f"w{i}" for i in range(300)]
    weights = 1 / np.arange(1, 301)  # Zipf: a few words in most passages, most in a few
    corpus = [list(rng.choice(vocabulary, size=rng.integers(1, 40), p=weights / weights.sum())) for _ in range(4000)]
    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    index = SearchIndex(np.arange(100, 4100, dtype=np.int64), bm25, None, None, "fp")
    for question in (["w0", "w5", "w5", "w290"], ["w1"], ["w250", "nowhere"], ["nowhere"]):
        everything = bm25.get_scores(question)
        for size in (1, 3, 50, 900, 4000):  # below and above the switch between the two ways of meeting postings
            pos = np.sort(rng.choice(4000, size=size, replace=False))
            assert np.array_equal(index._scores_at(question, pos), everything[pos])
            allowed = set(index.ids[pos].tolist())
            held = pos[everything[pos] > 0]
            order = held[np.argsort(-everything[held], kind="stable")][:10]
            assert [(h.passage_id, h.score) for h in index.keyword(question, allowed, k=10)] == \
                [(int(index.ids[i]), float(everything[i])) for i in order]


def test_past_the_text_scope_a_question_without_an_agency_is_asked_to_name_one(corpus_store, monkeypatch):
    """A national store holds 100,000 reports a year: a text question naming no agency is asked to name one (its
    passages would be a few out of millions, found in seconds), and whether a question is about the reports at
    all is read from the store's words, not from a search of all of them."""
    from assistant.answerers import text
    from assistant.retrieve import Retriever

    question = "2023年政务新媒体关停注销的情况"
    assert answer_question(question, corpus_store).status == "answered"  # below the limit: searched
    monkeypatch.setattr(text, "TEXT_SCOPE_MAX", 3)
    searched = []
    real_search = Retriever.search
    monkeypatch.setattr(Retriever, "search", lambda self, *a, **k: searched.append(a) or real_search(self, *a, **k))
    wide = answer_question(question, corpus_store)
    years_2023 = len({r.agency for r in corpus_store.reports() if r.year == 2023})
    assert wide.status == "ambiguous" and f"库中 {years_2023} 份2023年的报告" in wide.answer and not searched
    assert answer_question("政务新媒体关停注销的情况", corpus_store).status == "ambiguous"
    off_topic = answer_question("今天天气怎么样", corpus_store)
    assert off_topic.status == "not_found" and "不在政府信息公开工作年度报告的范围内" in off_topic.answer
    assert not searched  # neither question searched the store's text
    named = answer_question("洋湖乡2023年政务公开存在哪些主要问题", corpus_store)  # one agency: searched as ever
    assert named.status == "answered" and searched
