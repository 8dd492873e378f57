"""Run `app.py` as a real server process on loopback, for the browser tests, the screenshots and the load test.

    with serve(home) as url:   # starts python app.py on a free port, waits until it answers, stops it after
        ...

    predict_in_turn(client, *args, api_name=...)   # a gradio_client call that waits out the client's last stream
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port(count: int = 1) -> int:
    """A port where `count` consecutive ports are free (app.py --workers N listens on N of them)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base + 1, base + count):
                    stack.enter_context(socket.socket()).bind(("127.0.0.1", port))
            return base
        except OSError:
            continue


@contextlib.contextmanager
def serve(home: str | Path, env: dict | None = None, timeout: float = 240.0, log: Path | None = None):
    """Start the app with REPORTQA_HOME=home (it ingests the shipped corpus if the store is empty)."""
    with serve_processes(home, 1, env, timeout, log) as urls:
        yield urls[0]


@contextlib.contextmanager
def serve_processes(home: str | Path, workers: int, env: dict | None = None, timeout: float = 240.0,
                    log: Path | None = None, args: list[str] = ()):
    """`app.py --workers N [args]`: N server processes on one store, on consecutive ports; yields their URLs."""
    port = free_port(workers)
    environment = dict(os.environ, REPORTQA_HOME=str(home), GRADIO_SERVER_NAME="127.0.0.1",
                       GRADIO_SERVER_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False", **(env or {}))
    log = Path(log or Path(home) / "app.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(ROOT / "app.py"), *args] + (["--workers", str(workers)] if workers > 1 else [])
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    urls = [f"http://127.0.0.1:{port + i}/" for i in range(workers)]
    try:
        deadline = time.monotonic() + timeout
        for url in urls:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"app.py exited with {process.returncode}:\n"
                                       f"{log.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"app.py did not answer at {url} within {timeout:.0f} s:\n"
                                       f"{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
        yield urls
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def predict_in_turn(client, *args, api_name: str, wait: float = 5.0):
    """`client.predict`, after the client's stream for its previous call has closed.

    gradio_client 2.7.2 races: after a result the server sends `close_stream`; a call submitted before the
    client's reader thread has handled that message is attached to the closing stream and fails with an empty
    `CancelledError` (the server does answer it, into a stream no one reads). A person never asks within those
    milliseconds, but simulated users with no pause do: 1 in 14,970 questions of the first soak. Reproduced by
    delaying the reader (tests/test_reliability.py); waiting for the stream to close removes it."""
    deadline = time.monotonic() + wait
    while getattr(client, "stream_open", False) and time.monotonic() < deadline:
        time.sleep(0.002)
    return client.predict(*args, api_name=api_name)


def launch_chromium(playwright):
    """Debian's chromium (Playwright's own browser download is not used)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
