"""Hybrid passage retrieval: keyword (BM25 over jieba tokens) and dense (e5 vectors) fused by reciprocal rank.

The question's agency and year select the reports whose passages may compete (filter first, rank second);
the words that named them are taken out of the text that is searched for.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property

from index.embedding import try_encoder
from index.search_index import Hit, SearchIndex, open_index
from index.store import Report, Store
from index.tokenize import base_tokenizer

# Reciprocal-rank fusion, equal weights: score = Σ 1 / (RRF_K + rank). RRF_K = 10 measured a little better than
# the customary 60 on both prose dev sets (docs/retrieval.md). Keyword search wins on questions that reuse the
# report's words, dense search on paraphrased ones; over the two sets together the fusion beats each.
RRF_K = 10
WEIGHTS = {"keyword": 1.0, "dense": 1.0}
CANDIDATES = 50  # how deep each ranking is read before fusion
MODES = ("hybrid", "keyword", "dense")
_YEAR_WORDS = re.compile(r"(?:19|20)?\d{2}\s*年度?|[〇零○一二三四五六七八九]{4}年|(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass
class Result:
    passage_id: int
    report: Report
    section: str
    text: str
    page: int | None
    paragraph_no: int
    char_start: int
    char_end: int
    score: float
    ranks: dict = field(default_factory=dict)  # mode -> 1-based rank in that ranking
    store: Store | None = field(default=None, repr=False, compare=False)

    @cached_property
    def before(self) -> str:
        """For a passage that begins "其中…": the passage before it in its paragraph, what it breaks down (read from
        the store when first asked: only the figure finder needs it)."""
        if self.store is None or not self.text.startswith("其中"):
            return ""
        return self.store.passage_before(self.passage_id)

    def citation(self) -> dict:
        return {"report": self.report.source_name, "report_id": self.report.id, "agency": self.report.agency, "year": self.report.year,
                "section": self.section, "paragraph": self.paragraph_no, "page": self.page,
                "char_start": self.char_start, "char_end": self.char_end, "text": self.text,
                "score": round(self.score, 6)}


class Retriever:
    def __init__(self, store: Store):
        self.store = store
        self.encoder, self.encoder_problem = try_encoder()
        self._index: SearchIndex | None = None
        self._version = None
        self._tokenizer, self._named = None, set()  # the tokenizer, and the reports whose agency names it was given

    def index(self) -> SearchIndex:
        # moves with what searches see, whichever process wrote it (Store.change_marker)
        version = self.store.change_marker()
        if self._index is None or version != self._version:
            # questions are cut with the same dictionary as the passages were: every stored agency name (the new
            # reports' only: a national store holds 100,000)
            if base_tokenizer() is not self._tokenizer:
                self._tokenizer, self._named = base_tokenizer(), set()
            new = [r for r in self.store.reports() if r.key not in self._named]
            self._tokenizer.add_words(w for r in new for w in [r.agency] + r.aliases)
            self._named.update(r.key for r in new)
            # the old index let go before the new one is built: at 100,000 reports each holds about 10 GB, and the two
            # together ran a 24 GB machine out of memory (docs/scaling.md)
            self._index = None
            self._index = open_index(self.store, self.encoder)
            self._version = version
        return self._index

    def search(self, text: str, report_ids: list[int] | None = None, k: int = 10,
               mode: str = "hybrid") -> list[Result]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        index = self.index()
        allowed = None
        if report_ids is not None:
            allowed = self.store.passage_ids(report_ids)
            if not allowed:
                return []
        rankings: dict[str, list[Hit]] = {}
        if mode in ("hybrid", "keyword"):
            rankings["keyword"] = index.keyword(base_tokenizer().tokens(text), allowed, CANDIDATES)
        if mode in ("hybrid", "dense") and self.encoder is not None and index.vectors is not None:
            rankings["dense"] = index.dense(self.encoder.encode_query(text), allowed, CANDIDATES)
        if mode == "hybrid":
            fused: dict[int, float] = {}
            for name, hits in rankings.items():
                for rank, hit in enumerate(hits, 1):
                    fused[hit.passage_id] = fused.get(hit.passage_id, 0.0) + WEIGHTS[name] / (RRF_K + rank)
            order = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        else:
            order = [(h.passage_id, h.score) for h in rankings.get(mode, [])][:k]
        ranks = {name: {h.passage_id: i for i, h in enumerate(hits, 1)} for name, hits in rankings.items()}
        results = []
        for passage_id, score in order:
            row = self.store.passage(passage_id)
            report = self.store.report(row["report_id"]) if row is not None else None
            if report is None:
                continue  # its report was replaced or removed by another process since the index was built
            results.append(Result(passage_id, report, row["section"], row["text"], row["page"], row["paragraph_no"],
                                  row["char_start"], row["char_end"], score,
                                  {name: r[passage_id] for name, r in ranks.items() if passage_id in r}, self.store))
        return results


_RETRIEVERS: "weakref.WeakKeyDictionary[Store, Retriever]" = weakref.WeakKeyDictionary()


def get_retriever(store: Store) -> Retriever:
    """One retriever per open store: its index and encoder stay loaded between questions."""
    if store not in _RETRIEVERS:
        _RETRIEVERS[store] = Retriever(store)
    return _RETRIEVERS[store]


# Everyday words for what reports say in their own words (晒出来的政府信息 is 公开的), replaced in the search text
_EVERYDAY_WORDS = (("晒", "公开"), ("官微", "微博"), ("政府官网", "政府网站"), ("官网", "政府网站"),
                   ("打官司", "行政诉讼"), ("告上", "行政诉讼"), ("环评", "环境影响评价"), ("微信号", "微信公众号"),
                   ("一把手", "主要领导"), ("过时", "过期"), ("清掉", "清理"), ("回音", "答复"), ("写信", "信函"),
                   ("对外公开", "主动公开"))


def search_text(question: str, mentions: list[str], everyday: bool = True) -> str:
    """The question without the words that named the agency and the year (those are filters, not content), in
    the reports' own words where it uses an everyday one (unless `everyday` is False: as asked)."""
    text = question
    for mention in sorted((m for m in mentions if m), key=len, reverse=True):
        text = text.replace(mention, " ")
    text = _YEAR_WORDS.sub(" ", text).strip() or question
    for word, own in _EVERYDAY_WORDS if everyday else ():
        text = text.replace(word, own)
    return text
