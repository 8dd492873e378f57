"""Questions that point at an earlier answer of the conversation rather than at the reports: "上一个答案的出处",
"第一名呢" after a ranking. The conversation keeps questions only, so the pipeline answers the earlier question
again (the same store gives the same answer) and reads what it needs from that answer."""
from __future__ import annotations

import re

_SOURCE_OF_LAST = re.compile(r"(?:上一个|上个|刚才|前面|之前)的?(?:答案|回答|结果|数字|数据)?.{0,4}(?:出处|来源|依据|哪里来|从哪)"
                             r"|^(?:出处|来源|依据)(?:呢|是什么|在哪)?[?？]?$")
_ORDINAL = re.compile(r"(?:第([一二三四五六七八九十\d]+)名|排(?:名)?第([一二三四五六七八九十\d]+)|(最后一名|倒数第一))")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def asks_source_of_last(text: str) -> bool:
    return bool(_SOURCE_OF_LAST.search(text))


def ordinal_asked(text: str) -> int | None:
    """第一名 → 1, 第三名 → 3, 最后一名 → -1; None when the question names no place in a ranking."""
    m = _ORDINAL.search(text)
    if not m:
        return None
    if m.group(3):
        return -1
    n = m.group(1) or m.group(2)
    return int(n) if n.isdigit() else _CN.get(n)


def ordinal_replaced(text: str, agency: str) -> str:
    """The question with the place in the ranking replaced by the agency in it."""
    return _ORDINAL.sub(agency, text, count=1)
