"""Screenshots of the web app, taken in headless Chromium, for docs/ and the README: the chat, the source panels
of a table figure from each kind of file (the seed's text export, a PDF, a web page, a glued scraped page), a
computed answer, the page on a phone, and each staff tab.

    python scripts/screenshots.py --home DATA_DIR [--out docs/screenshots]

DATA_DIR: an empty folder (the app ingests the shipped corpus into it on start) or a store already holding it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from webapp_server import ROOT, launch_chromium, serve

VIEW = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# the chat keeps its own scroll box; for a picture of one answer with its open panels, let it grow instead
UNCLIPPED = ("#chat, #chat .bubble-wrap { height: auto !important; max-height: none !important; "
             "overflow: visible !important; } #chat .rq-grid-wrap { max-height: none !important; }")

# (file name, question, panel titles to open, open the file's own grid too)
SOURCES = [
    ("source_seed_txt.png", "洋湖乡2023年收到多少政府信息公开申请？", ["出处 1"], True),
    ("source_pdf.png", "洪泽区2023年行政复议结果维持几件", ["出处 1"], False),
    ("source_html.png", "沭阳县发改局2023年收到多少政府信息公开申请", ["出处 1"], False),
    ("source_glued.png", "平潭2022年收到多少政府信息公开申请", ["出处 1"], True),
    ("source_computed.png", "洪泽区2024年比2023年新收申请多了多少？", ["计算：", "出处 1"], False),
]


def ask(page, question: str) -> None:
    before = page.locator("#chat .message-row").count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat .message-row').length > {before + 1}")
    page.wait_for_timeout(1500)  # the streamed answer and its panels


def answer_with_sources(page, path: Path, question: str, titles: list[str], file_grid: bool) -> None:
    """A fresh chat, one question, the named panels opened; a picture of that answer alone."""
    page.reload()
    page.wait_for_selector("#question textarea")
    page.add_style_tag(content=UNCLIPPED)
    ask(page, question)
    for title in titles:
        page.get_by_text(title).first.wait_for(timeout=60000)
        page.get_by_text(title).first.click()
        page.wait_for_timeout(400)
    if file_grid:
        page.get_by_text("核对原文").first.click()
        page.wait_for_timeout(400)
    page.locator("#chat").screenshot(path=path)


def pick(page, elem_id: str, text: str) -> None:
    page.click(f"#{elem_id} input")
    page.keyboard.type(text)
    page.get_by_role("option", name=text).first.click()
    page.keyboard.press("Escape")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with serve(args.home, {"REPORTQA_UPLOAD_PASSWORD": "screenshot"}) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport=VIEW)
        page.goto(url)
        ask(page, "洋湖乡2023年收到多少政府信息公开申请？")
        ask(page, "那行政复议呢？")
        ask(page, "洋湖乡政务公开存在哪些主要问题？")
        page.get_by_text("出处 1：樟树市洋湖乡").last.click()
        page.wait_for_timeout(500)
        page.screenshot(path=out / "chat.png", full_page=True)
        for name, question, titles, file_grid in SOURCES:
            answer_with_sources(page, out / name, question, titles, file_grid)

        phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        phone.goto(url)
        ask(phone, "洋湖乡2023年收到多少政府信息公开申请？")
        phone.get_by_text("出处 1：").first.click()
        phone.wait_for_timeout(600)
        phone.locator("#chat .message.bot").first.evaluate("e => e.scrollIntoView()")  # the answer, then its source
        phone.screenshot(path=out / "phone.png")
        phone.close()

        page.reload()
        page.get_by_role("tab", name="数据浏览").click()
        pick(page, "b-metrics", "表三 · 一、本年新收政府信息公开申请数量")
        page.click("#b-go")
        page.wait_for_selector("#b-csv:not([disabled])")
        page.screenshot(path=out / "browse.png", full_page=True)

        page.get_by_role("tab", name="趋势").click()
        page.click("#t-go")
        page.wait_for_timeout(3000)
        page.screenshot(path=out / "trend.png", full_page=True)

        page.get_by_role("tab", name="对比").click()
        page.click("#c-go")
        page.wait_for_timeout(2000)
        page.screenshot(path=out / "compare.png", full_page=True)

        page.get_by_role("tab", name="勾稽检查").click()
        page.wait_for_timeout(1000)
        page.screenshot(path=out / "findings.png", full_page=True)

        page.get_by_role("tab", name="报告查看").click()
        page.wait_for_selector("#r-view table")
        page.screenshot(path=out / "report.png")

        page.get_by_role("tab", name="上传").click()
        page.fill("#u-password input", "screenshot")
        page.set_input_files("#u-files input[type=file]", [str(p) for p in sorted((ROOT / "corpus" / "seed").glob("*.txt"))])
        page.wait_for_timeout(800)
        page.click("#u-go")
        page.wait_for_function("document.querySelector('#u-result textarea').value.length > 0", timeout=60000)
        page.screenshot(path=out / "upload.png", full_page=True)
        browser.close()
    for path in sorted(out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main()
