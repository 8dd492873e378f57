"""The web chat: a thin gradio layer over the same answer function the CLI uses.

    python app.py [--host 127.0.0.1] [--port 7860] [--corpus corpus]

On an empty store it ingests the shipped corpus first, so a fresh install answers at once.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import gradio as gr

from assistant.answer import answer_question
from assistant.render import answer_markdown
from assistant.retrieve import get_retriever
from index.ingest import ingest_paths
from index.store import Store

HERE = Path(__file__).resolve().parent
EXAMPLES = ["洋湖乡2023年收到多少政府信息公开申请？", "洋湖乡2023年行政复议结果维持几件？",
            "洋湖乡2023年主动公开了多少条政府信息？", "洋湖乡政务公开存在哪些主要问题？"]


def ensure_corpus(store: Store, corpus: Path) -> None:
    if store.reports():
        return
    print(f"store is empty: ingesting {corpus}", file=sys.stderr)
    for outcome in ingest_paths(store, [corpus]):
        print(outcome.line(), file=sys.stderr)


def build_app(store: Store) -> gr.ChatInterface:
    def respond(message: str, history: list) -> str:
        # the chat's earlier questions make follow-ups ("那2023年呢？") answerable
        asked = [m["content"] for m in history if isinstance(m, dict) and m.get("role") == "user"
                 and isinstance(m.get("content"), str)]
        return answer_markdown(answer_question(message, store, asked))

    held = "、".join(sorted({f"{r.agency}{r.year}年" for r in store.reports()})) or "（暂无）"
    return gr.ChatInterface(
        fn=respond,
        title="政府信息公开年报问答",
        description=f"回答政府信息公开工作年度报告中的数据，给出原表格的行、列和出处。库中报告：{held}",
        examples=EXAMPLES,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="reportqa web chat")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    parser.add_argument("--corpus", default=str(HERE / "corpus"), help="ingested when the store is empty")
    args = parser.parse_args(argv)
    store = Store()
    ensure_corpus(store, Path(args.corpus))
    get_retriever(store).index()  # load the model and the search index before the first question
    build_app(store).launch(server_name=args.host, server_port=args.port)


if __name__ == "__main__":
    main()
