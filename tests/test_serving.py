"""Several app processes on one store (`app.py --workers 2`), over real HTTP: the same answers from each, and a
report ingested beside them (the CLI, another process) answered by every one at once; on SQLite and on
PostgreSQL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from conftest import CORPUS, REAL, ROOT, needs_real

sys.path.insert(0, str(ROOT / "scripts"))
from webapp_server import serve_processes  # noqa: E402

QUESTIONS = ["洋湖乡2023年收到多少政府信息公开申请？", "洋湖乡政务公开存在哪些主要问题？", "洪泽区2024年行政复议多少件"]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=60) as reply:
        return json.loads(reply.read())


def _ask(url: str, question: str) -> dict:
    request = urllib.request.Request(f"{url}api/ask", data=json.dumps({"question": question}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read())


@needs_real
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_processes_answer_alike_and_see_a_new_report_at_once(backend, tmp_path, request):
    home = tmp_path / "home"
    env = {}
    if backend == "postgresql":
        env["REPORTQA_DATABASE_URL"] = request.getfixturevalue("pg_url")
    with serve_processes(home, 2, env, args=["--corpus", str(CORPUS)]) as urls:
        assert len({u for u in urls}) == 2
        before = [_ask(u, q) for u in urls for q in QUESTIONS]
        assert before[:3] == before[3:]  # each process, the same answers
        assert before[0]["status"] == "answered" and before[2]["status"] == "not_found"  # 洪泽区 not stored yet
        assert [len(_get(f"{u}api/reports")) for u in urls] == [1, 1]
        added = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "-q",
                                str(next(REAL.glob("002_*")))], cwd=ROOT, capture_output=True, text=True,
                               env=dict(os.environ, REPORTQA_HOME=str(home), **env))
        assert added.returncode == 0, added.stdout + added.stderr
        after = [_ask(u, QUESTIONS[2]) for u in urls]
        assert after[0] == after[1] and after[0]["status"] == "answered", after
        assert after[0]["citations"][0]["report"].startswith("002_")
        assert [len(_get(f"{u}api/reports")) for u in urls] == [2, 2]
