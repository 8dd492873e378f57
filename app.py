"""The web app: a citizens' chat and a staff workspace, a thin gradio layer over `assistant/`.

    python app.py [--host 127.0.0.1] [--port 7860] [--corpus corpus] [--workers N]

Environment: GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (where to listen; loopback by default), REPORTQA_HOME (the
data directory), REPORTQA_UPLOAD_PASSWORD (enables uploads), REPORTQA_MAX_UPLOAD_MB (size limit per file).
On an empty store it ingests the shipped corpus first, printing a line per file, then serves.
"""
from __future__ import annotations

import argparse
import atexit
import html
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import gradio as gr

from assistant import workspace
from assistant.answer import answer_question
from assistant.retrieve import get_retriever
from assistant.render import answer_markdown, esc
from assistant.http_api import mount_api
from assistant.sources import source_panels
from assistant.uploads import ingest_uploads, max_upload_bytes, uploads_enabled
from index.catalogue import TABLE_NAMES
from index.ingest import ingest_paths
from index.store import Store, open_store

HERE = Path(__file__).resolve().parent
STREAM_CHARS = 24  # the answer is sent in pieces of this many characters, then its source panels

CSS = """
.rq-grid-wrap { overflow-x: auto; max-height: 28em; }
.rq-grid-wrap.rq-wide { max-height: none; }
table.rq-grid { border-collapse: collapse; font-size: 0.85em; }
table.rq-grid th, table.rq-grid td { border: 1px solid #bbb; padding: 2px 6px; }
table.rq-grid th { background: #f1f1f1; color: #555; font-weight: normal; white-space: nowrap; }
td.rq-merged { background: #f6f6f6; }
td.rq-hit { background: #ffe066; font-weight: bold; outline: 2px solid #e0a800; white-space: nowrap; }
td.rq-hit mark { background: #ffe066; font-weight: bold; }
.rq-passage mark { background: #ffe066; }
.rq-note { color: #a04000; }
.rq-where { color: #666; font-size: 0.9em; }
table.rq-template { margin-bottom: 0.6em; }
table.rq-template td { text-align: right; min-width: 2.5em; }
table.rq-template th.rq-label { text-align: left; white-space: normal; min-width: 11em; max-width: 22em; color: #222; }
table.rq-template th.rq-l1 { padding-left: 1.4em; }
table.rq-template th.rq-l2 { padding-left: 2.8em; }
table.rq-template th.rq-item { text-align: left; font-weight: bold; }
td.rq-absent { color: #aaa; text-align: center; }
.rq-formula { font-size: 1.15em; font-weight: bold; }
details.rq-file-grid summary { cursor: pointer; color: #1f5fa8; margin: 0.4em 0; }
"""


def ensure_corpus(store: Store, corpus: Path) -> None:
    if store.reports():
        return
    print(f"store is empty: ingesting {corpus}", file=sys.stderr)
    done = []

    def show(outcome) -> None:
        done.append(outcome)
        print(f"[{len(done)}] {outcome.line()}", file=sys.stderr, flush=True)

    ingest_paths(store, [corpus], progress=show)


def message_text(content) -> str:
    """The text of a chat message as gradio hands it back (a string, or a list of typed parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text") or "" if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content)
    return ""


def question_of(message: dict) -> str:
    """A user's question as typed: the chat shows it escaped (as text, never as HTML), so it is unescaped here."""
    return html.unescape(message_text(message.get("content")))


def asked_before(history: list) -> list[str]:
    return [question_of(m) for m in history if isinstance(m, dict) and m.get("role") == "user"]


def chat_reply(store: Store, question: str, history: list) -> list[dict]:
    """The assistant's messages for one question: the answer, then one collapsed panel per source."""
    answer = answer_question(question, store, asked_before(history))
    messages = [{"role": "assistant", "content": answer_markdown(answer, with_sources=False)}]
    messages += [{"role": "assistant", "content": panel.body, "metadata": {"title": panel.title, "status": "done"}}
                 for panel in source_panels(answer, store)]
    return messages


def build_app(store: Store) -> gr.Blocks:
    lock = threading.Lock()  # one SQLite connection and one loaded index, shared by gradio's worker threads
    export_dir = Path(tempfile.mkdtemp(prefix="reportqa-export-"))

    def choices():
        with lock:
            return workspace.agencies(store), [str(y) for y in workspace.years(store)], \
                workspace.report_choices(store)

    # ---- chat ------------------------------------------------------------------------------------
    def add_question(message: str, history: list):
        if not (message or "").strip():
            return "", history
        return "", history + [{"role": "user", "content": esc(message)}]

    def respond(history: list):
        if not history or history[-1].get("role") != "user":
            yield history
            return
        question = question_of(history[-1])
        with lock:
            answer, *panels = chat_reply(store, question, history[:-1])
        text = answer["content"]
        history = history + [{"role": "assistant", "content": ""}]
        for at in range(0, len(text), STREAM_CHARS):
            history[-1]["content"] = text[:at + STREAM_CHARS]
            yield history
        if panels:
            yield history + panels

    def on_like(history: list, data: gr.LikeData):
        index = data.index if isinstance(data.index, int) else data.index[0]
        start = index
        while start > 0 and history[start - 1].get("role") != "user":
            start -= 1
        question = question_of(history[start - 1]) if start > 0 else ""
        end = index + 1
        while end < len(history) and history[end].get("role") != "user":
            end += 1
        answer = "\n".join(message_text(m.get("content")) for m in history[start:end]
                           if not (m.get("metadata") or {}).get("title"))
        with lock:
            store.add_feedback(question, answer, bool(data.liked), asked_before(history[:max(start - 1, 0)]))
        gr.Info("谢谢，反馈已记录。")

    # ---- staff workspace --------------------------------------------------------------------------
    def browse(agencies, years, metrics):
        with lock:
            frame = workspace.browse(store, agencies, years, metrics)
        csv = workspace.export(frame, export_dir, "reportqa-data", "csv")
        xlsx = workspace.export(frame, export_dir, "reportqa-data", "xlsx")
        return frame, gr.DownloadButton(value=str(csv), interactive=True), \
            gr.DownloadButton(value=str(xlsx), interactive=True), f"共 {len(frame)} 格"

    def trend(metric, column, agencies, kind):
        if not metric or not agencies:
            return gr.LinePlot(visible=True), gr.BarPlot(visible=False), None, "请选择指标和机关。"
        with lock:
            frame = workspace.trend(store, metric, column, agencies)
        note = f"{len(frame)} 个数值" + ("" if frame["数值"].notna().all() else "；留空或非数字的格子不画点")
        plotted = frame.dropna(subset=["数值"])
        line = gr.LinePlot(value=plotted, x="年份", y="数值", color="机关", visible=kind == "折线图")
        bar = gr.BarPlot(value=plotted, x="年份", y="数值", color="机关", visible=kind == "柱状图")
        return line, bar, frame, note

    def columns_for(metric):
        options = workspace.column_choices(metric)
        return gr.Dropdown(choices=options, value="total" if any(c == "total" for _, c in options) else
                           (options[0][1] if options else None))

    def compare(year, agencies, table):
        if not year or not agencies:
            return None
        with lock:
            return workspace.compare(store, int(year), agencies, table)

    def findings():
        with lock:
            return workspace.findings(store)

    def show_report(report_id):
        if report_id is None:
            return "<p>请选择一份报告。</p>"
        with lock:
            return workspace.report_html(store, report_id)

    def upload(files, password, progress=gr.Progress()):
        named = [(Path(f).name, f) for f in (files or [])]

        def step(done: int, total: int, name: str) -> None:
            progress((done, total), desc=f"正在导入 {name}" if name else "完成")

        writer = store.another()  # its own connection: chat goes on while files are read
        try:
            lines = ingest_uploads(writer, named, password, step)
        finally:
            writer.close()
            for _, path in named:  # the uploaded copy is not kept where the web server could hand it out
                Path(path).unlink(missing_ok=True)
        agencies, years, reports = choices()
        return ("\n".join(lines), None, gr.Dropdown(choices=agencies), gr.Dropdown(choices=years),
                gr.Dropdown(choices=agencies), gr.Dropdown(choices=years), gr.Dropdown(choices=agencies),
                gr.Dropdown(choices=reports))

    agencies, years, reports = choices()
    covered = workspace.coverage(store)  # defaults that draw something: agencies with most years, the busiest year
    busiest = max(years, key=lambda y: sum(int(y) in ys for ys in covered.values()), default=None)
    metric_options = workspace.metric_choices()
    with gr.Blocks(title="政府信息公开年报问答") as demo:
        gr.Markdown("## 政府信息公开年报问答\n回答政府信息公开工作年度报告中的数据，每个数字都给出原表格的行、列或原文段落。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chatbot = gr.Chatbot(elem_id="chat", height=560, label="对话", buttons=["copy"])
                question = gr.Textbox(elem_id="question", placeholder="例如：洋湖乡2023年收到多少政府信息公开申请？",
                                      show_label=False, submit_btn="提问")
                examples = workspace.example_questions(store)  # drawn from what the store holds
                if examples:
                    gr.Examples(examples, inputs=question, label="示例问题")
                gr.Markdown(f"库中共 {len(reports)} 份报告，{len(agencies)} 个机关。点击回答下方的“出处”可展开原表格或原文。")
            with gr.Tab("数据浏览", id="browse"):
                with gr.Row():
                    b_agencies = gr.Dropdown(agencies, multiselect=True, label="机关（不选为全部）", elem_id="b-agencies")
                    b_years = gr.Dropdown(years, multiselect=True, label="年份（不选为全部）", elem_id="b-years")
                    b_metrics = gr.Dropdown(metric_options, multiselect=True, label="指标（不选为全部）",
                                            elem_id="b-metrics")
                b_go = gr.Button("查询", variant="primary", elem_id="b-go")
                b_count = gr.Markdown()
                b_table = gr.Dataframe(interactive=False, wrap=True, elem_id="b-table")
                with gr.Row():
                    b_csv = gr.DownloadButton("下载 CSV", interactive=False, elem_id="b-csv")
                    b_xlsx = gr.DownloadButton("下载 Excel (.xlsx)", interactive=False, elem_id="b-xlsx")
            with gr.Tab("趋势", id="trend"):
                with gr.Row():
                    t_metric = gr.Dropdown(metric_options, value="t3.new", label="指标", elem_id="t-metric")
                    t_column = gr.Dropdown(workspace.column_choices("t3.new"), value="total", label="列")
                    t_agencies = gr.Dropdown(agencies, value=list(covered)[:3], multiselect=True, label="机关",
                                             elem_id="t-agencies")
                    t_kind = gr.Radio(["折线图", "柱状图"], value="折线图", label="图")
                t_go = gr.Button("画图", variant="primary", elem_id="t-go")
                t_note = gr.Markdown()
                t_line = gr.LinePlot(x="年份", y="数值", color="机关", label="趋势")
                t_bar = gr.BarPlot(x="年份", y="数值", color="机关", label="趋势", visible=False)
                t_table = gr.Dataframe(interactive=False, elem_id="t-table")
            with gr.Tab("对比", id="compare"):
                with gr.Row():
                    c_year = gr.Dropdown(years, value=busiest, label="年份")
                    c_agencies = gr.Dropdown(agencies, value=[a for a, ys in covered.items()
                                                              if busiest and int(busiest) in ys][:4],
                                             multiselect=True, label="机关")
                    c_table = gr.Radio([(name, key) for key, name in TABLE_NAMES.items()], value="t3", label="表")
                c_go = gr.Button("对比", variant="primary", elem_id="c-go")
                c_frame = gr.Dataframe(interactive=False, wrap=True, elem_id="c-table")
            with gr.Tab("勾稽检查", id="findings"):
                gr.Markdown("表格内的算术关系（总计 = 各列之和；一 + 二 = （七）总计 + 四 等）不成立之处。报告所印数字照录，不作更正。")
                f_go = gr.Button("刷新", elem_id="f-go")
                f_table = gr.Dataframe(interactive=False, wrap=True, elem_id="f-table")
            with gr.Tab("报告查看", id="report"):
                r_pick = gr.Dropdown(reports, value=reports[0][1] if reports else None, label="报告",
                                     elem_id="r-pick")
                r_view = gr.HTML(elem_id="r-view")
            with gr.Tab("上传", id="upload"):
                if uploads_enabled():
                    gr.Markdown(f"一次可选多个文件（.docx、.pdf、.html、.txt、.md），每个不超过 "
                                f"{max_upload_bytes() // 1024 // 1024} MB。需要上传密码。")
                else:
                    gr.Markdown("**上传未开放**：服务器没有设置环境变量 REPORTQA_UPLOAD_PASSWORD。", elem_id="u-disabled")
                u_password = gr.Textbox(type="password", label="上传密码", interactive=uploads_enabled(),
                                        elem_id="u-password")
                u_files = gr.File(file_count="multiple", label="报告文件", interactive=uploads_enabled(),
                                  elem_id="u-files")
                u_go = gr.Button("导入", variant="primary", interactive=uploads_enabled(), elem_id="u-go")
                u_result = gr.Textbox(label="结果", lines=6, interactive=False, elem_id="u-result")

        question.submit(add_question, [question, chatbot], [question, chatbot], queue=False).then(
            respond, chatbot, chatbot, api_name="respond", concurrency_limit=8)
        chatbot.like(on_like, chatbot, None)
        b_go.click(browse, [b_agencies, b_years, b_metrics], [b_table, b_csv, b_xlsx, b_count])
        t_metric.change(columns_for, t_metric, t_column)
        t_go.click(trend, [t_metric, t_column, t_agencies, t_kind], [t_line, t_bar, t_table, t_note])
        c_go.click(compare, [c_year, c_agencies, c_table], c_frame)
        f_go.click(findings, None, f_table)
        demo.load(findings, None, f_table)
        r_pick.change(show_report, r_pick, r_view)
        demo.load(show_report, r_pick, r_view)
        u_go.click(upload, [u_files, u_password],
                   [u_result, u_files, b_agencies, b_years, t_agencies, c_year, c_agencies, r_pick], api_name="upload")
    return demo


def start_other_workers(args) -> None:
    """Processes 2 … N of `--workers N`, each a whole app (page and API) on its own port and its own connection to
    the store; they stop when this one does. Gradio keeps a chat's queue in the process that serves it, so the
    processes are not interchangeable mid-conversation: a load balancer in front keeps each user on one."""
    children = []
    for i in range(1, args.workers):
        port = args.port + i
        children.append(subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--host", args.host, "--port", str(port),
             "--corpus", args.corpus], env=dict(os.environ, GRADIO_SERVER_PORT=str(port))))

    def stop_children() -> None:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop_children)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` stops the children too (atexit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="reportqa web app")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    parser.add_argument("--corpus", default=str(HERE / "corpus"), help="ingested when the store is empty")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes on the one store, on ports PORT … PORT+N−1 (behind a load balancer "
                             "with sticky sessions; see README)")
    args = parser.parse_args(argv)
    store = open_store()
    ensure_corpus(store, Path(args.corpus))  # once, before any other process starts
    if args.workers > 1:
        start_other_workers(args)
    get_retriever(store).index()  # load the model and the search index before the first question
    demo = build_app(store)
    demo.launch(server_name=args.host, server_port=args.port, css=CSS, max_file_size=max_upload_bytes(),
                prevent_thread_lock=True)
    mount_api(demo.app, store)  # POST /api/ask, GET /api/reports beside the page (assistant/http_api.py)
    demo.block_thread()


if __name__ == "__main__":
    main()
