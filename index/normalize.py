"""Text folding and number parsing, shared by the index and the assistant so both see text the same way."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_SPACE = re.compile(r"\s+")  # \s covers \u3000 and \xa0 in Python 3
_NUMBER = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), so ２０２３ == 2023 and （一） == (一)."""
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    """fold() and drop all whitespace: the form labels are compared in ('自然 人' == '自然人')."""
    return _SPACE.sub("", fold(text))


_INNER_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])\(([\u4e00-\u9fff]{1,4})\)")  # 村(居)务: after fold()
_QUOTES_AND_DOTS = re.compile(r"[“”\"'‘’「」『』《》〈〉·・•]")
# 月通报 and 月度通报, 季检查 and 季度检查 are one term (季度通报3次、月通报7次: 月度通报 must not bind 季度 better)
_MONTHLY = re.compile(r"(?<![\d一二三四五六七八九十个])([月季])(?=通报|检查|督查|考核|调度|例会|点评|排名|总结|分析)")
_TERM_VARIANTS = (("村务居务", "村居务"), ("村务、居务", "村居务"), ("村社区", "村居"), ("村/居", "村居"), ("村、居", "村居"))


def term_key(text: str) -> str:
    """The form a term is matched in, the same however it is punctuated: compact(), a short bracketed insertion
    inside a word opened (村（居）务公开 → 村居务公开, 村(社区) → 村社区 → 村居), quotation marks, book-title marks
    and middle dots dropped (“两化”建设 → 两化建设, 中国·平潭 → 中国平潭), 月/季 before 通报, 检查 … as 月度/季度.
    Commas, 、 and full stops stay: they end the phrase a number belongs to."""
    text = _QUOTES_AND_DOTS.sub("", _INNER_BRACKET.sub(r"\1", compact(text)))
    for variant, key in _TERM_VARIANTS:
        text = text.replace(variant, key)
    return _MONTHLY.sub(r"\1度", text)


def clean_cell(text: str | None) -> str:
    """A cell's text as printed: inner line breaks of wrapped labels joined, outer whitespace trimmed."""
    if not text:
        return ""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    joined = ""
    for ln in lines:
        if not ln:
            continue
        # Chinese wraps join directly; keep a space only between two Latin/digit runs.
        if joined and joined[-1].isascii() and joined[-1].isalnum() and ln[0].isascii() and ln[0].isalnum():
            joined += " "
        joined += ln
    return _SPACE.sub(" ", joined).strip()


def parse_number(raw: str) -> str | None:
    """The canonical decimal form of a printed number, or None when the text is not a plain number.

    Exact: goes through Decimal, never float, so "96171.6" stays 96171.6 and "5949.088667" keeps its digits.
    Thousands separators are dropped; full-width digits are folded.
    """
    text = compact(raw).replace("−", "-")
    if not text or not _NUMBER.match(text):
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return format(value, "f")

