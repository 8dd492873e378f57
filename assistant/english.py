"""Questions in English, read into the Chinese question they ask: "How many information disclosure requests did
Yanghu township receive in 2023?" → "洋湖乡2023年收到多少政府信息公开申请". Agency names are matched by the pinyin of
the names the store holds (Yanghu township → 洋湖乡, Shuyang county → 沭阳县); the rest by a glossary of the words
people use for the template's rows. The answer stays in Chinese, with the question as read and the row asked
named in English too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.store import Report

_LATIN = re.compile(r"[A-Za-z]")
_SUFFIX = {"乡": ("township", "xiang"), "镇": ("town", "zhen"), "县": ("county", "xian"), "区": ("district", "qu"),
           "市": ("city", "shi"), "街道": ("subdistrict", "jiedao")}
# longest phrases first; each English phrase → the Chinese words a question would use
_GLOSSARY = (
    (r"(?:government )?information disclosure (?:requests?|applications?)|disclosure (?:requests?|applications?)|"
     r"requests? for (?:government )?information|information requests?|foi requests?|requests|applications", "政府信息公开申请"),
    (r"administrative reconsiderations?|reconsiderations?|appeals?", "行政复议"),
    (r"administrative (?:lawsuits?|litigations?)|lawsuits?|litigations?|court cases?|sued", "行政诉讼"),
    (r"proactively (?:disclosed|published|released)|proactive(?:ly)? disclos\w*|published proactively", "主动公开"),
    # "carry over to the next year" is 结转下年度, before "carry over" (上年结转) takes its first words
    (r"carr(?:y|ied) (?:over|forward) (?:in)?to (?:the )?(?:next|following) year|carried forward|carry forward|"
     r"to (?:the )?next year|pending", "结转下年度"),
    (r"carried over (?:from (?:the )?(?:last|previous) year)?|carry-?overs?", "上年结转"),
    # "disclosed in full or in part": both rows, joined
    (r"disclosed (?:in full|fully) or (?:in part|partly|partially)|(?:fully|wholly) or partly disclosed",
     "予以公开和部分公开"),
    (r"(?:fully )?disclosed in full|granted in full|fully disclos\w*", "予以公开"),
    (r"partly disclos\w*|partially disclos\w*|partly granted|partially granted|disclosed in part", "部分公开"),
    (r"could not be provided|cannot be provided|unable to provide|not (?:be )?provided", "无法提供"),
    (r"what (?:share|percentage|proportion)|what per ?cent|share of|percentage of|proportion of", "占比例"),
    (r"administrative (?:penalty|penalties)(?: decisions?)?|penalty decisions?|penalties", "行政处罚"),
    (r"administrative licen[cs]\w*(?: decisions?)?|licen[cs]ing decisions?|permits?", "行政许可"),
    (r"administrative (?:coercion|enforcement)(?: decisions?)?", "行政强制"),
    (r"phone number|telephone number|telephone|phone|contact number", "联系电话"),
    (r"postal code|postcode|zip code", "邮编"),
    (r"e-?mail(?: address)?", "电子邮箱"),
    (r"(?:office )?address", "地址"),
    (r"how many|number of|how much", "多少"),
    (r"receive[ds]?|receiving|got|get", "收到"),
    (r"compared? (?:with|to)|versus|vs\.?|more than", "比较"),
    (r"\band\b", "和"),
)
METRIC_ENGLISH = {
    "t3.new": "new requests received this year", "t3.carried_over": "requests carried over from last year",
    "t3.total": "requests handled (total of the results)", "t3.carry_forward": "requests carried forward",
    "t3.disclosed": "requests granted in full", "t3.partial": "requests partly granted",
    "t4.review": "administrative reconsiderations", "t4.litigation_direct": "lawsuits filed directly",
    "t4.litigation_after_review": "lawsuits after reconsideration",
}


def is_english(question: str) -> bool:
    letters = len(_LATIN.findall(question))
    return letters >= 8 and letters > 0.5 * len(question.replace(" ", ""))


@lru_cache(maxsize=64)
def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin
    return "".join(lazy_pinyin(text)).lower()


def _agency_words(reports: list[Report]) -> list[tuple[str, str]]:
    """(English form, Chinese name) for every stored name and short form: "yanghu township" and "yanghuxiang" for
    洋湖乡, longest first."""
    forms = []
    names = {n for r in reports for n in [r.agency] + r.aliases if n}
    # the places a name begins with (沭阳县 in 沭阳县发展和改革局, 樟树市 in 樟树市洋湖乡) are names too
    names |= {n[:i + 1] for n in list(names) for i in range(2, len(n) - 1) if n[i] in "乡镇县区市"}
    for name in names:
        suffix = next((s for s in sorted(_SUFFIX, key=len, reverse=True) if name.endswith(s)), "")
        core = name[:-len(suffix)] if suffix else name
        if len(core) < 2:
            continue
        forms.append((_pinyin(name), name))
        if suffix:
            english, sound = _SUFFIX[suffix]
            forms.append((f"{_pinyin(core)} {english}", name))
            forms.append((f"{_pinyin(core)} {sound}", name))
        forms.append((_pinyin(core), core))  # the bare place name: the Chinese parser resolves it as it would 平潭
    return sorted(forms, key=lambda f: -len(f[0]))


def to_chinese(question: str, reports: list[Report]) -> str:
    """The Chinese question an English one asks (words not understood are dropped)."""
    text = " " + question.lower().replace("?", " ").replace(",", " ") + " "
    for english, name in _agency_words(reports):
        text = re.sub(rf"(?<![a-z]){re.escape(english)}(?![a-z])", f" {name} ", text)
    text = re.sub(r"(?<!\d)((?:19|20)\d{2})(?!\d)", r" \1年 ", text)
    for pattern, chinese in _GLOSSARY:
        text = re.sub(rf"(?<![a-z])(?:{pattern})(?![a-z])", f" {chinese} ", text)
    kept = re.sub(r"\s+", "", re.sub(r"[a-z'\-.]+", " ", text))  # what the glossary did not read
    if _ASKS_IF_ANY.match(question) and "多少" not in kept:
        kept = "有没有" + kept  # "Did Pingtan get any …?": a yes/no question whether there were any
    return kept


_ASKS_IF_ANY = re.compile(r"\s*(?:did|does|do|has|have|had|was|were|is|are)\b.*\b(?:any|ever)\b", re.I)
