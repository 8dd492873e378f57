"""Contact and service facts: the report's contact block read into structured facts, each with the sentence and
paragraph it came from.

Reports print it near the top, in a handful of shapes:
    如对本报告有任何疑问，请与樟树市洋湖乡人民政府办公室联系（地址：樟树市洋湖乡横梁街道18号，电话：0795-7317084，邮编：331200）。
    联系地址：…大楼东附属楼7楼邮 编：350400电 话：0591-23162606传 真：0591-23162143电子邮箱：pzxxgkb＠163.com
    本报告的电子版可在“中国·平潭”政府门户网站（www.pingtan.gov.cn）下载。
Only the sentences that hold the block are read (one that asks readers to get in touch, or says where the
electronic version is): a 电话 elsewhere (电话咨询3200人次, 监督电话公开) is not a contact. Values are kept as
printed in the citation and normalised for the answer (spaces dropped, — and － read as -, ＠ as @).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = {"office": "联系单位", "address": "地址", "postcode": "邮编", "phone": "电话", "fax": "传真",
         "email": "电子邮箱", "website": "网站", "download": "电子版下载"}

_S = r"\s*"  # labels printed with spaces inside them: 邮 编、电 话、传 真
_NUMBER = r"(\+?[0-9０-９(（][0-9０-９\-－—–()（）\s]{5,24}[0-9０-９])"
_PATTERNS = {
    "phone": re.compile(rf"(?:联系|咨询)?电{_S}话(?:{_S}/{_S}传{_S}真)?{_S}[：:]{_S}" + _NUMBER),
    "fax": re.compile(rf"(?:电{_S}话{_S}/{_S})?传{_S}真(?:号码)?{_S}[：:]{_S}" + _NUMBER),
    "postcode": re.compile(rf"邮{_S}(?:政{_S})?编(?:{_S}码)?{_S}[：:]{_S}([0-9０-９]{{6}})"),
    "email": re.compile(rf"(?:电子)?(?:邮{_S}箱|邮件)(?:地址)?{_S}[：:]{_S}"
                        r"([A-Za-z0-9._%+\-]+\s*[@＠]\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"),
    "address": re.compile(rf"(?:联系|通讯|通信|办公)?地{_S}址{_S}[：:]{_S}(.+?)"
                          rf"(?={_S}(?:[；;，,。）)]|邮{_S}(?:政{_S})?编|电{_S}话|传{_S}真|电子邮箱|$))"),
    "office": re.compile(r"请(?:与|联系|致电)(.{2,40}?)联系"),
}
_URL = re.compile(r"(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[A-Za-z0-9_\-./?=&%#]*)?")
_SITE_NAME = re.compile(r"(?:可在|可以从|可从|在|从|通过|登录)(.{2,40}?(?:网站|门户|平台|网)[”\"」]?(?:上)?)(?=[（(]|下载|公布|查阅|$)")
_CONTACT_SENTENCE = re.compile(r"请(?:与|联系|致电).{0,60}联系|联系(?:地址|电话|方式)|电子版|年度报告.{0,30}(?:网站|网).{0,40}"
                               r"(?:公布|下载|查阅|发布)|[邮电传][\s]*[编话真]\s*[：:]")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


@dataclass
class Contact:
    kind: str  # office / address / postcode / phone / fax / email / website / download
    value: str  # normalised for the answer
    printed: str  # the words of the report that state it ("电话：0795-7317084")
    char_start: int  # the sentence holding it, as offsets into the report's text
    char_end: int
    paragraph_no: int  # 1-based
    section: str
    page: int | None


def normalise(kind: str, value: str) -> str:
    value = value.translate(str.maketrans("０１２３４５６７８９＠", "0123456789@"))
    if kind in ("phone", "fax", "postcode", "email"):
        value = re.sub(r"\s+", "", value.translate(str.maketrans("（）", "()")))
        value = re.sub(r"[—–－]+", "-", value)
    return value.strip().strip("“”\"「」")


def find_contacts(paragraphs: list[tuple[str, str, int | None]]) -> list[Contact]:
    """The contact facts of a report from its paragraphs (text, section, page), in the order printed; one of
    each kind and value."""
    found: list[Contact] = []
    seen: set[tuple[str, str]] = set()
    offset = 0
    for number, (text, section, page) in enumerate(paragraphs, 1):
        for sentence in _SENTENCE.finditer(text):
            if _CONTACT_SENTENCE.search(sentence.group(0)):
                for contact in _in_sentence(sentence.group(0), offset + sentence.start(), number, section, page):
                    if (contact.kind, contact.value) not in seen:
                        seen.add((contact.kind, contact.value))
                        found.append(contact)
        offset += len(text) + 1  # the report's text joins paragraphs with a newline
    return found


def _in_sentence(sentence: str, start: int, paragraph_no: int, section: str, page) -> list[Contact]:
    out = []

    def add(kind: str, value: str, printed: str) -> None:
        value = normalise(kind, value)
        if value:
            out.append(Contact(kind, value, printed.strip(), start, start + len(sentence), paragraph_no, section,
                               page))

    for kind, pattern in _PATTERNS.items():
        for m in pattern.finditer(sentence):
            if kind == "office" and not any(w in m.group(1) for w in ("办", "局", "政府", "委", "中心", "处", "科", "组",
                                                                   "室", "部", "厅", "院")):
                continue
            if kind in ("phone", "fax") and sum(ch.isdigit() for ch in normalise(kind, m.group(1))) < 7:
                continue
            add(kind, m.group(1), m.group(0))
    # where the report itself can be read: the site named and its address
    if re.search(r"电子版|年度报告.{0,30}(?:网站|网).{0,40}(?:公布|下载|查阅|发布)", sentence):
        url = _URL.search(sentence)
        if url:
            add("website", url.group(0).rstrip("/."), url.group(0))
        # the site's name: from 在/从/通过 up to the bracket around its address (or to 下载/公布)
        name = _SITE_NAME.search(sentence[:url.start()] if url else sentence)
        site = re.sub(r"[“”\"「」（(\s]|上$", "", name.group(1)) if name else ""
        if site or url:
            add("download", site + (f"（{url.group(0).rstrip('/.')}）" if url else ""), sentence)
    return out
