"""HTML pages: the report body found inside site navigation, <table> with rowspan/colspan expanded into grids.

The body is found by the page's structure: the smallest element holding all the report's section headings
(一、… 六、), so its tables too (they sit in sections 二 to 四); site navigation, breadcrumbs and footers fall
outside it. Never by one sentence's words: the template's opening sentence ("全文包括总体情况、…其他需要报告的
事项") names every section and may stand in a <p> of its own. `&nbsp;` and empty cells stay blank, never 0.

The accounting measures the whole page (less scripts, styles and navigation) against what was kept, so a body
found too small, or a table the walk missed, shows as lost content instead of vanishing.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from index.document import Document, Paragraph, ReaderError, Table, account, grid_from_spans, nonspace
from index.normalize import clean_cell, parse_number
from index.readers.text import check_is_text, decode_text

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]")
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote",
               "pre", "ul", "ol", "dl", "dt", "dd", "center", "form", "main", "tr", "tbody", "thead", "br"}
# never report content, also for the accounting: code, navigation, form controls (option lists of site links)
_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "select", "button")
_DROP_TAGS = _CHROME_TAGS + ("iframe",)  # the reader also leaves these out (a <form> may wrap a whole page)
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


def _common_ancestor(nodes: list) -> Tag:
    common = [nodes[0], *nodes[0].parents][::-1]  # from the root down to the first node
    for node in nodes[1:]:
        line = {id(n) for n in (node, *node.parents)}
        while id(common[-1]) not in line:
            common.pop()
    return common[-1]


def _find_body(soup: BeautifulSoup) -> Tag:
    """The smallest element holding the report's section headings (text starting 一、二、…, outside tables,
    whose cells have such labels too); the whole page body when the page has fewer than two of them."""
    headings = [s for s in soup.find_all(string=_HEADING) if s.find_parent("table") is None]
    page = soup.body or soup
    if len({_HEADING.match(s).group(1) for s in headings}) < 2:
        return page
    body = _common_ancestor(headings)
    return body if isinstance(body, Tag) else page


def _walk(node: Tag, blocks: list, inline: list[str], read: list[Tag]) -> None:
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
                    read.append(child)
            elif child.name in _BLOCK_TAGS or child.name == "table":
                flush()
                _walk(child, blocks, inline, read)
                flush()
            else:
                _walk(child, blocks, inline, read)
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


def _data_tables(page: Tag) -> list[Tag]:
    """The page's tables of figures: innermost tables with at least two numeric cells. Layout tables (holding
    tables) and page-information tables (索引号, 发布机构, 公开日期) are not report tables."""
    return [t for t in page.find_all("table") if not t.find("table")
            and sum(1 for td in t.find_all(["td", "th"]) if parse_number(_cell_text(td)) is not None) >= 2]


def _page_chars(page: Tag) -> int:
    """The page's text less its links' text: menus, breadcrumbs and link lists are site navigation however they
    are tagged (a report's own text is not links, bar an attachment's name)."""
    links = sum(nonspace(a.get_text()) for a in page.find_all("a") if a.find_parent("a") is None)
    return nonspace(page.get_text()) - links


def _filled_cells(table: Tag) -> int:
    return sum(1 for td in table.find_all(["td", "th"]) if _cell_text(td))


def read_html(data: bytes) -> Document:
    text = _decode(data)
    check_is_text(text)
    if _depth(text) > MAX_DEPTH:
        raise ReaderError(f"the page nests its elements over {MAX_DEPTH} levels deep; refused (not a report page)")
    soup = BeautifulSoup(text, "lxml")
    title = clean_cell(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    page = soup.body or soup
    held_chars, held_tables = _page_chars(page), _data_tables(page)  # the page, before the reader chooses
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    body = _find_body(soup)
    blocks: list = []
    inline: list[str] = []
    read: list[Tag] = []  # the <table> elements read as grids, in block order
    _walk(body, blocks, inline, read)
    if inline:
        rest = clean_cell("".join(inline))
        if rest:
            blocks.append(Paragraph(rest))
    if not blocks:
        raise ReaderError("the HTML page holds no text")
    held_ids = {id(t) for t in held_tables}
    grids = [b for b in blocks if isinstance(b, Table)]
    kept = [grid for grid, tag in zip(grids, read) if id(tag) in held_ids]
    notes = [] if body is page else [f"report body: <{body.name}> holding the section headings; the rest of the "
                                      "page (site navigation, page information) left out"]
    accounting = account(blocks, len(held_tables), sum(_filled_cells(t) for t in held_tables), held_chars,
                         notes, tables=kept)
    return Document(blocks=blocks, source_format="html", title=title, accounting=accounting)
