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

