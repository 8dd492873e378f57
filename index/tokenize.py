"""Tokenization for keyword search: one home for the jieba domain dictionary, stop words and text folding.

Passages and questions go through the same `Tokenizer.tokens`: NFKC folding (full-width → half-width),
traditional → simplified (zhconv), lower case, then jieba's search-mode cut (long words and their parts, so
"政府信息公开" also matches "信息公开"). The dictionary holds the template's terms, every catalogue label and
synonym, and every agency name and short form in the store.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba
import numpy as np
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


# ---- jieba's dictionary without the wait ------------------------------------------------------------------
# jieba keeps its dictionary as one dict of about 500k words and prefixes, unmarshalled from a cache at first use:
# 0.57 s on this machine, most of a cold `reportqa ask`. A question needs a few hundred look-ups, so it reads the
# same dictionary from sorted arrays (one binary search each, ~12 µs) that load in milliseconds; a tokenizer
# that goes on to cut long text (ingest) switches to jieba's own dict after FROZEN_CHARS characters. The arrays
# are jieba's dict exactly (built from it, once, keyed by jieba's version), so every cut is the same.
FROZEN_CHARS = 4000


def _frozen_folder() -> Path:
    from index.embedding import models_dir  # built once per machine, beside the embedding model
    return models_dir() / f"jieba-{jieba.__version__}-frozen"


class FrozenFreq:
    """jieba's word → frequency table read from sorted UTF-8 arrays, with the words added later in a dict (the
    part of the `dict` interface jieba's cutting and `add_word` use)."""

    def __init__(self, folder: Path):
        self._offsets = np.load(folder / "offsets.npy")
        self._freqs = np.load(folder / "freqs.npy")
        self._blob = (folder / "words.bin").read_bytes()
        self.total = int(json.loads((folder / "total.json").read_text())["total"])
        self._added: dict[str, int] = {}

    @classmethod
    def build(cls, folder: Path) -> None:
        full = jieba.Tokenizer()
        full.initialize()
        words = sorted((w.encode("utf-8"), f) for w, f in full.FREQ.items())
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(w) for w, _ in words])
        np.save(tmp / "offsets.npy", offsets)
        np.save(tmp / "freqs.npy", np.array([f for _, f in words], dtype=np.int64))
        (tmp / "words.bin").write_bytes(b"".join(w for w, _ in words))
        (tmp / "total.json").write_text(json.dumps({"total": full.total}))  # written last
        try:
            tmp.rename(folder)
        except OSError:  # built at the same time by another process
            shutil.rmtree(tmp, ignore_errors=True)

    def _find(self, word: str) -> int | None:
        key, blob, offsets = word.encode("utf-8"), self._blob, self._offsets
        lo, hi = 0, len(self._freqs)
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid]:offsets[mid + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._freqs) and blob[offsets[lo]:offsets[lo + 1]] == key:
            return int(self._freqs[lo])
        return None

    def get(self, word: str, default=None):
        if word in self._added:
            return self._added[word]
        found = self._find(word)
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return word in self._added or self._find(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __setitem__(self, word: str, freq: int) -> None:
        self._added[word] = freq


def _frozen_freq() -> FrozenFreq | None:
    folder = _frozen_folder()
    try:
        if not (folder / "total.json").exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            FrozenFreq.build(folder)
        return FrozenFreq(folder)
    except (OSError, ValueError):
        return None  # an unwritable data directory: jieba's own dict, as before


class Tokenizer:
    """jieba with the domain dictionary; `add_words` takes agency names and short forms as reports arrive.

    One tokenizer serves every thread of the app (chats, uploads and the search index's refresh): adding words and
    the thaw hold a lock, and a thaw builds the new dict whole before it is swapped in, so a cut in another thread
    meets either the old dictionary or the new one, never one half built."""

    def __init__(self, extra_words: Iterable[str] = ()):
        self._lock = threading.Lock()
        self._jieba = jieba.Tokenizer()
        self._frozen = _frozen_freq()
        if self._frozen is not None:
            self._jieba.FREQ, self._jieba.total, self._jieba.initialized = self._frozen, self._frozen.total, True
        self._cut_chars = 0
        self._known: dict[str, None] = {}  # the words added, in order (a thaw adds them again)
        self.add_words(DOMAIN_TERMS)
        self.add_words(_catalogue_words())
        self.add_words(extra_words)

    def add_words(self, words: Iterable[str]) -> None:
        words = [normalise(word).strip() for word in words]
        with self._lock:
            for word in words:
                if len(word) > 1 and word not in self._known:
                    self._known[word] = None
                    self._jieba.add_word(word, freq=50000)

    def _thaw(self) -> None:
        """From the frozen arrays to jieba's own dict (faster per look-up), the added words added again. The
        caller holds the lock."""
        thawed = jieba.Tokenizer()
        for word in self._known:
            thawed.add_word(word, freq=50000)
        self._jieba, self._frozen = thawed, None

    def tokens(self, text: str) -> list[str]:
        if self._frozen is not None:
            with self._lock:
                self._cut_chars += len(text)
                if self._frozen is not None and self._cut_chars > FROZEN_CHARS:
                    self._thaw()
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
