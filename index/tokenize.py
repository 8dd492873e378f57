"""Tokenization for keyword search: one home for the jieba domain dictionary, stop words and text folding.

Passages and questions go through the same `Tokenizer.tokens`: NFKC folding (full-width → half-width),
traditional → simplified (zhconv), lower case, then jieba's search-mode cut (long words and their parts, so
"政府信息公开" also matches "信息公开"). The dictionary holds the template's terms, every catalogue label and
synonym, and every agency name and short form in the store.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterable

import jieba
import zhconv

from index.catalogue import COLUMNS, GROUP_SYNONYMS, METRICS
from index.normalize import fold

jieba.setLogLevel(logging.WARNING)

# Terms of the national template and of report prose that jieba's general dictionary splits badly.
DOMAIN_TERMS = (
    "政府信息公开", "政务公开", "依申请公开", "主动公开", "政务新媒体", "政府网站", "门户网站", "政策解读",
    "新闻发布会", "行政复议", "行政诉讼", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "规范性文件",
    "行政规范性文件", "三安全一稳定", "信息处理费", "年度报告", "政府信息管理", "监督保障", "政务服务",
    "意见征集", "公众参与", "回应关切", "政务公开专区", "信息公开平台", "政府公报", "依申请", "申请人",
    "答复书", "结转下年度", "上年结转", "本年新收", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
    "三审三校", "关停注销", "政务服务热线", "12345热线", "线上线下", "政府开放日", "政府常务会议",
)
STOP_WORDS = frozenset("""
的 了 和 与 及 以及 或 等 是 在 有 对 为 将 以 从 把 被 于 中 上 下 其 该 本 这 那 此 各 个 并 也 都 就 还 又 而 但
多少 几 几个 几次 几场 几件 哪些 哪个 什么 怎么 怎样 如何 吗 呢 吧 啊 呀 请问 请 一下 有没有 没有 是否 是不是
年 年度 今年 去年 我 我们 你 你们 他们 它 一共 共 总共 情况 方面 工作 进行 开展 相关 有关 通过 根据 按照
其实 所以 因为 然后 还 要 得 给 里 中间 这个 那个 一个 的话 有人 结果 后来 最后 一下子 大概 左右
""".split())
_PUNCT = re.compile(r"^[\W_]+$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def normalise(text: str) -> str:
    return zhconv.convert(fold(text), "zh-cn").lower()


def _catalogue_words() -> list[str]:
    words: list[str] = []
    for metric in METRICS.values():
        words.extend(metric.synonyms)
        words.extend(k for k in metric.keys if len(k) > 1)
    for column in COLUMNS.values():
        words.extend(column.synonyms)
    for group_words in GROUP_SYNONYMS.values():
        words.extend(group_words)
    return [w for w in words if len(w) > 1]


class Tokenizer:
    """jieba with the domain dictionary; `add_words` takes agency names and short forms as reports arrive."""

    def __init__(self, extra_words: Iterable[str] = ()):
        self._jieba = jieba.Tokenizer()
        self._known: set[str] = set()
        self.add_words(DOMAIN_TERMS)
        self.add_words(_catalogue_words())
        self.add_words(extra_words)

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            word = normalise(word).strip()
            if len(word) > 1 and word not in self._known:
                self._known.add(word)
                self._jieba.add_word(word, freq=50000)

    def tokens(self, text: str) -> list[str]:
        out = []
        for token in self._jieba.cut_for_search(normalise(text)):
            token = token.strip()
            if not token or token in STOP_WORDS or _PUNCT.match(token) or _NUMBER.match(token):
                continue
            out.append(token)
        return out


@lru_cache(maxsize=1)
def base_tokenizer() -> Tokenizer:
    """The domain tokenizer without agency names (those are added by the search index from the store)."""
    return Tokenizer()
