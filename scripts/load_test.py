"""Load test of the web chat: N simulated users ask questions through gradio's client, all at once, on loopback.

    python scripts/load_test.py [--users 50] [--seconds 60] [--home DATA_DIR] [--processes N] [--out FILE]

Starts `app.py` as a server (bounded: the server and the users stop after --seconds), asks each question once at
rest, then lets every user ask questions in turn (some as follow-ups) until the time is up. Reports errors,
latency median / p95 / max per question, throughput, the server's memory, and whether every answer under load
was identical to its answer at rest. With --processes N, `app.py --workers N` serves from N processes on one
store (PostgreSQL where REPORTQA_DATABASE_URL is set); each user keeps to one process, as behind a load balancer
with sticky sessions, and every process must give the same answers at rest.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from gradio_client import Client

from index.readers.isolated import rss_mb
from score_devset import emit
from webapp_server import predict_in_turn, serve_processes

# (earlier question or None, question): follow-ups carry their conversation
QUESTIONS = [
    (None, "洋湖乡2023年收到多少政府信息公开申请？"),
    (None, "洋湖乡2023年行政复议结果维持几件？"),
    (None, "洋湖乡2023年主动公开了多少条政府信息？"),
    (None, "洋湖乡政务公开存在哪些主要问题？"),
    ("洋湖乡2023年新收申请多少件", "自然人呢？"),
    (None, "洋湖乡2023年不予公开的有多少"),
    (None, "南京市2023年收到多少申请"),
    (None, "今天天气怎么样"),
]


def message(role: str, text: str) -> dict:
    return {"role": role, "content": [{"type": "text", "text": text}]}  # gradio's wire format for a message


def history_for(earlier: str | None, question: str) -> list[dict]:
    history = []
    if earlier:
        history += [message("user", earlier), message("assistant", "…")]
    return history + [message("user", question)]


def answer_of(result) -> str:
    """The assistant's messages after the question, as one text (answer and source panels)."""
    messages = result[-1] if isinstance(result, tuple) else result
    last_user = max(i for i, m in enumerate(messages) if m.get("role") == "user")
    texts = []
    for m in messages[last_user + 1:]:
        content = m.get("content")
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
        texts.append(f"{m.get('role')}:{content}")
    return "\n".join(texts)


def ask(client: Client, pair) -> str:
    return answer_of(predict_in_turn(client, history_for(*pair), api_name="/respond"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(port: str) -> int | None:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
                env = (proc / "environ").read_bytes()
            except OSError:
                continue
            if any(c.endswith(b"app.py") for c in cmd) and f"GRADIO_SERVER_PORT={port}".encode() in env:
                return int(proc.name)
    return None


def _earlier_answers(path: str | None, at_rest: dict) -> int | None:
    """How many answers at rest equal those another run wrote to `path`; None when there was none (this run's
    are written there)."""
    if not path:
        return None
    mine = {q: a for (_, q), a in at_rest.items()}
    if not Path(path).exists():
        Path(path).write_text(json.dumps(mine, ensure_ascii=False, indent=1), encoding="utf-8")
        return None
    theirs = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(theirs.get(q) == a for q, a in mine.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--home", help="data directory (default: a fresh one with the shipped corpus)")
    parser.add_argument("--processes", type=int, default=1, help="app.py --workers N: server processes")
    parser.add_argument("--answers", help="a JSON file: the answers at rest are compared with the ones it holds "
                                          "(another run's: one process against two), else written to it")
    parser.add_argument("--out")
    args = parser.parse_args()
    home = Path(args.home or tempfile.mkdtemp(prefix="reportqa-load-"))
    with serve_processes(home, args.processes) as urls:
        pids = [p for p in (server_pid(u.rsplit(":", 1)[1].strip("/")) for u in urls) if p]
        answers_by_process = []
        for url in urls:
            rest_client = Client(url, verbose=False)
            answers_by_process.append({pair: ask(rest_client, pair) for pair in QUESTIONS})
        at_rest = answers_by_process[0]
        assert all("assistant:" in a for a in at_rest.values()), "no answer came back at rest"
        same_everywhere = sum(all(a[pair] == at_rest[pair] for a in answers_by_process) for pair in QUESTIONS)
        earlier = _earlier_answers(args.answers, at_rest)
        memory = [(0.0, sum(rss_mb(p) for p in pids))] if pids else []
        latencies: list[float] = []
        errors: list[str] = []
        differing: list[str] = []
        lock = threading.Lock()
        cpu_before = sum(cpu_seconds(p) for p in pids)
        start = time.monotonic()
        deadline = start + args.seconds

        def user(n: int) -> None:
            try:
                client = Client(urls[n % len(urls)], verbose=False)  # a user keeps to one process
            except Exception as exc:  # counted, never hidden
                with lock:
                    errors.append(f"user {n} could not connect: {type(exc).__name__}: {exc}")
                return
            i = n
            while time.monotonic() < deadline:
                pair = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                t0 = time.perf_counter()
                try:
                    answer = ask(client, pair)
                except Exception as exc:
                    with lock:
                        errors.append(f"{pair[1]}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if answer != at_rest[pair]:
                        differing.append(pair[1])

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            if pids and time.monotonic() - start >= memory[-1][0] + 5:
                memory.append((time.monotonic() - start, sum(rss_mb(p) for p in pids)))
        for t in threads:
            t.join()
        wall = time.monotonic() - start
        server_cpu = sum(cpu_seconds(p) for p in pids) - cpu_before if pids else float("nan")

    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    lines = [
        f"load test: {args.users} users, {args.seconds:.0f} s, {len(QUESTIONS)} questions in turn, loopback, "
        f"{len(urls)} server process{'es' if len(urls) > 1 else ''} ({len(pids)} found)"
        + (", store: PostgreSQL" if os.environ.get("REPORTQA_DATABASE_URL") else ", store: SQLite"),
        f"answers: {len(latencies)} in {wall:.1f} s ({len(latencies) / wall:.1f}/s); errors: {len(errors)}",
        f"latency per question: median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms" if ordered else "latency: no answers",
        f"server CPU: {server_cpu:.0f} s in {wall:.0f} s ({server_cpu / wall:.2f} cores; the simulated users share "
        f"the same {os.cpu_count()} cores), {server_cpu / max(len(latencies), 1) * 1000:.0f} ms per answer",
        f"answers identical to their answers at rest: {len(latencies) - len(differing)}/{len(latencies)}",
        f"questions answered alike by every process at rest: {same_everywhere}/{len(QUESTIONS)}",
    ] + ([f"answers at rest identical to the run in {args.answers}: {earlier}/{len(QUESTIONS)}"]
         if earlier is not None else []) + [
    ]
    if memory:
        lines.append("server memory (RSS, all processes): " + ", ".join(f"{t:.0f}s {mb:.0f} MB" for t, mb in memory[::max(1, len(memory) // 8)]))
    lines += [f"error: {e}" for e in errors[:10]]
    lines += [f"differs under load: {q}" for q in sorted(set(differing))[:10]]
    emit(lines, args.out)
    if errors or differing or same_everywhere != len(QUESTIONS) or earlier not in (None, len(QUESTIONS)):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
