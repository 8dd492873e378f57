"""Report metadata: agency (full name and the short forms people use), administrative level and report year.

The year is the year reported on (the title's year, or the statistics period), not the publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.document import Document
from index.normalize import compact

_HAN = r"\u4e00-\u9fff"
_AGENCY = rf"[{_HAN}（）()·]{{2,40}}?"
_TITLE_AGENCY_FIRST = re.compile(
    rf"(?P<agency>{_AGENCY})(?P<year>(?:19|20)\d{{2}})年度?(?:政府|政务)?(?:信息公开|政务公开|信息)")
_TITLE_YEAR_FIRST = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年度?(?P<agency>{_AGENCY})(?:政府|政务)?信息公开(?:工作)?年度?报告")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计期|时间范围)[^。]{0,12}?((?:19|20)\d{2})年1月1日")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})年")
_FIELD = re.compile(r"^(?:标题|名称)[:：]\s*(.+)$", re.M)
_PUBLISHER = re.compile(r"发布机构[:：]\s*([^\s]{2,40})")
_JUNK_PREFIX = re.compile(r"^(正文|首页|当前位置|标题|名称)")

_UNIT_SUFFIX = "特别行政区|自治区|自治州|自治县|综合实验区|实验区|开发区|高新区|新区|省|市|州|盟|地区|县|区|旗|乡|镇|街道"
ADMIN_UNIT = re.compile(rf"[{_HAN}]{{1,8}}?(?:{_UNIT_SUFFIX})")
# a superior unit written before an agency's own name: two characters and a suffix (淮安市, 江苏省)
_PARENT_UNITS = re.compile(rf"((?:[{_HAN}]{{2}}(?:省|市|州|盟))+)$")
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
# long official words and the short forms people write
ABBREVIATIONS = (
    ("科学技术委员会", "科委"), ("发展和改革", "发改"), ("发展改革", "发改"), ("科学技术", "科技"), ("人力资源和社会保障", "人社"),
    ("住房和城乡建设", "住建"), ("自然资源和规划", "自然资源规划"), ("生态环境", "环保"), ("市场监督管理", "市场监管"),
    ("卫生健康", "卫健"), ("交通运输", "交通"), ("农业农村", "农业农村"), ("教育", "教育"),
    ("人民政府办公厅", "政府办公厅"), ("人民政府办公厅", "府办公厅"), ("人民政府办公室", "政府办"),
    ("人民政府办公室", "府办"), ("人民政府", "政府"),
    ("管理委员会", "管委会"), ("综合实验区", "实验区"), ("地方税务局", "地税局"), ("委员会", "委"),
)


@dataclass
class ReportMeta:
    agency: str
    year: int | None
    level: str = ""
    aliases: list[str] = field(default_factory=list)


def _clean_agency(name: str) -> str:
    name = _JUNK_PREFIX.sub("", name)
    return name.strip("：:，,。 ")


def find_agency_year(doc: Document, file_name: str = "") -> tuple[str, int | None]:
    """Agency and year from the title: a 标题 field, the document title, the opening lines, the file name."""
    opening = compact("".join(p.text for p in doc.paragraphs[:4]))[:80]
    fields = _FIELD.findall("\n".join(p.text for p in doc.paragraphs[:3]))
    candidates = [compact(t) for t in fields] + [compact(doc.title), opening, compact(file_name)]
    for text in candidates:
        text = _JUNK_PREFIX.sub("", text)
        for pattern in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST):
            m = pattern.match(text)
            if m and len(_clean_agency(m.group("agency"))) >= 2:
                return _clean_agency(m.group("agency")), int(m.group("year"))
    body = compact(doc.full_text()[:5000])
    year = None
    m = _PERIOD.search(body) or _ANY_YEAR.search(body)
    if m:
        year = int(m.group(1))
    publisher = _PUBLISHER.search(doc.full_text()[:2000])
    return (publisher.group(1) if publisher else ""), year


def extend_with_parent_units(agency: str, text: str) -> str:
    """洪泽区人民政府 → 淮安市洪泽区人民政府 when the report itself names it so (the full official name)."""
    best = agency
    for m in re.finditer(rf"([{_HAN}]{{2,12}}){re.escape(agency)}", text):
        tail = _PARENT_UNITS.search(m.group(1))
        if tail and len(tail.group(1)) + len(agency) > len(best):
            best = tail.group(1) + agency
    return best


def administrative_level(agency: str) -> str:
    body = agency
    department = ""
    for suffix in ("人民政府", "政府"):
        if body.endswith(suffix):
            body = body[: -len(suffix)]
            break
    else:
        units = list(re.finditer(ADMIN_UNIT, agency))
        if units and units[-1].end() < len(agency):
            department = "部门"
            body = agency[: units[-1].end()]
        elif "办公厅" in agency or "办公室" in agency:
            department = "部门"
            body = agency.split("人民政府")[0]
    if any(body.endswith(z) for z in ("实验区", "开发区", "新区", "高新区")):
        return "功能区" + department
    if body.startswith(MUNICIPALITIES) and body in MUNICIPALITIES or body.endswith(("省", "自治区")):
        return "省级" + department
    for suffixes, level in ((("乡", "镇", "街道"), "乡级"), (("县", "区", "旗", "自治县"), "县级"),
                            (("市", "州", "盟", "地区"), "市级")):
        if body.endswith(suffixes):
            return level + department
    return department


def aliases_for(agency: str) -> list[str]:
    """The short forms people use for an agency: 樟树市洋湖乡 → 洋湖乡, 洋湖; 沭阳县发展和改革局 → 沭阳发改局 …"""
    forms = {agency}
    for long, short in ABBREVIATIONS:
        for form in list(forms):
            if long in form:
                forms.add(form.replace(long, short))
    for form in list(forms):
        units = [m.group(0) for m in re.finditer(ADMIN_UNIT, form)]
        covered = "".join(units)
        rest = form[len(covered):] if form.startswith(covered) else ""
        if not units:
            continue
        own = units[-1]
        # drop superior units: 淮安市洪泽区人民政府 → 洪泽区人民政府, 洪泽区
        for i in range(1, len(units)):
            forms.add("".join(units[i:]) + rest)
        if rest in ("", "人民政府", "政府", "管委会", "管理委员会"):
            forms.add(own)
            forms.add(own + "政府")
            bare = re.sub(rf"({_UNIT_SUFFIX})$", "", own)
            if len(bare) >= 2:
                forms.add(bare)
        elif rest:
            # a department: 沭阳县发改局 → 沭阳发改局
            bare = re.sub(rf"({_UNIT_SUFFIX})$", "", own)
            if len(bare) >= 2:
                forms.add(bare + rest)
            if own[-1] in "省市县区":
                forms.add(own[-1] + rest)  # 市府办公厅, 县发改局
    # 平潭地税, 沭阳发改: a bureau's short name alone, where it is no ordinary word (教育, 交通 are)
    forms.update(f[:-1] for f in list(forms) if f.endswith("局") and f[:-1].endswith(_CLIPPED) and len(f) >= 5)
    return sorted((f for f in forms if len(f) >= 2), key=lambda f: (-len(f), f))


_CLIPPED = ("地税", "发改", "人社", "住建", "卫健")


_ZONE = re.compile(r"(综合实验区|实验区|开发区|高新区|新区)$")


def canonical_agency(agency: str) -> str:
    """One name per agency: a zone's reports are its 管委会's (平潭综合实验区 → 平潭综合实验区管委会)."""
    agency = agency.replace("管理委员会", "管委会")
    if _ZONE.search(agency):
        agency += "管委会"
    return agency


def place_names(agency: str) -> list[str]:
    """For a department (沭阳县发展和改革局): the place it belongs to (沭阳县, 沭阳). A question naming only the
    place may mean the department as well as the place's government."""
    units = [m.group(0) for m in re.finditer(ADMIN_UNIT, agency)]
    covered = "".join(units)
    if not units or not agency.startswith(covered) or agency[len(covered):] in ("", "人民政府", "政府", "管委会"):
        return []
    own = units[-1]
    bare = re.sub(rf"({_UNIT_SUFFIX})$", "", own)
    return [p for p in (covered, own, bare) if len(p) >= 2]


def read_metadata(doc: Document, file_name: str = "") -> ReportMeta:
    agency, year = find_agency_year(doc, file_name)
    if agency:
        agency = canonical_agency(extend_with_parent_units(agency, compact(doc.full_text()[:20000])))
    return ReportMeta(agency=agency, year=year, level=administrative_level(agency), aliases=aliases_for(agency))
