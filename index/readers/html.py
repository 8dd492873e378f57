"""HTML pages: the report body found inside site navigation, <table> with rowspan/colspan expanded into grids.

The body is the deepest element that holds both the report's opening section and its closing one; site
navigation, breadcrumbs and footers fall outside it. `&nbsp;` and empty cells stay blank, never 0.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from index.document import Document, Paragraph, ReaderError, Table, grid_from_spans
from index.normalize import clean_cell
from index.readers.text import check_is_text, decode_text

_START_MARKERS = ("总体情况", "概述", "基本情况")
_END_MARKERS = ("其他需要报告", "存在的主要问题", "问题和改进", "改进措施", "改进情况")
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote",
               "pre", "ul", "ol", "dl", "dt", "dd", "center", "form", "main", "tr", "tbody", "thead", "br"}
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "form", "select", "button")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


def _decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def _int_attr(tag: Tag, name: str) -> int:
    try:
        return max(int(str(tag.get(name, "1")).strip() or 1), 1)
    except ValueError:
        return 1


def _cell_text(td: Tag) -> str:
    return clean_cell(td.get_text(""))


def _table_grid(table: Tag) -> Table:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = [(_cell_text(td), _int_attr(td, "rowspan"), _int_attr(td, "colspan"))
                 for td in tr.find_all(["td", "th"], recursive=False)]
        rows.append(cells)
    return Table(rows=grid_from_spans(rows))


def _find_body(soup: BeautifulSoup) -> Tag:
    best = None
    for el in soup.find_all(True):
        text = el.get_text()
        if any(m in text for m in _START_MARKERS) and any(m in text for m in _END_MARKERS):
            best = el  # find_all walks in document order, so later matches are deeper
    return best or soup.body or soup


def _walk(node: Tag, blocks: list, inline: list[str]) -> None:
    def flush() -> None:
        text = clean_cell("".join(inline))
        if text:
            blocks.append(Paragraph(text))
        inline.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            inline.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "table" and not child.find("table"):
                flush()
                if child.find("tr"):
                    blocks.append(_table_grid(child))
            elif child.name in _BLOCK_TAGS or child.name == "table":
                flush()
                _walk(child, blocks, inline)
                flush()
            else:
                _walk(child, blocks, inline)
    if node.name in _BLOCK_TAGS:
        flush()


# Beyond this nesting the tree walk would exceed Python's recursion limit (and building the tree takes minutes):
# such a page is refused up front. Real pages nest a few dozen levels.
MAX_DEPTH = 800
# tags that are never closed, or whose end tag may be left out: they do not count towards the depth
_OPEN_ENDED = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param", "source",
               "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody",
               "tfoot", "colgroup", "caption", "rt", "rp"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m.group(2).lower() in _OPEN_ENDED or m.group(3):
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def read_html(data: bytes) -> Document:
    text = _decode(data)
    check_is_text(text)
    if _depth(text) > MAX_DEPTH:
        raise ReaderError(f"the page nests its elements over {MAX_DEPTH} levels deep; refused (not a report page)")
    soup = BeautifulSoup(text, "lxml")
    title = clean_cell(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    body = _find_body(soup)
    blocks: list = []
    inline: list[str] = []
    _walk(body, blocks, inline)
    if inline:
        rest = clean_cell("".join(inline))
        if rest:
            blocks.append(Paragraph(rest))
    if not blocks:
        raise ReaderError("the HTML page holds no text")
    return Document(blocks=blocks, source_format="html", title=title)
