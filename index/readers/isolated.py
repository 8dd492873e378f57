"""Read a file in a separate worker process, bounded in time and memory.

A reader library can hang or eat all memory on a hostile file (a zip bomb named .docx, a PDF page of millions of
glyphs, deeply nested HTML); inside the ingesting process that would take the batch, or the web app, down with
it. Here the readers run in a worker process (`python -m index.readers.isolated`, started once and reused; no
model, no threads of the app); the parent watches the worker's resident memory and the clock while it reads,
kills it past either bound and starts a fresh one for the next file. Every outcome is a Document or a
ReaderError with a plain message.
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from index.document import Document, ReaderError

READ_TIMEOUT_S = float(os.environ.get("REPORTQA_READ_TIMEOUT_S", "120"))
READ_MEMORY_MB = int(os.environ.get("REPORTQA_READ_MEMORY_MB", "1536"))
_HEADER = struct.Struct("!Q")


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return 0.0


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "index.readers.isolated"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()

    def read(self, path: Path, timeout_s: float, memory_mb: int) -> Document:
        self.process.stdin.write(os.fsencode(str(path)) + b"\n")
        self.process.stdin.flush()
        out = self.process.stdout
        deadline = time.monotonic() + timeout_s
        while not select.select([out], [], [], 0.05)[0]:
            if not self.alive():
                raise ReaderError(f"the reader stopped unexpectedly (exit code {self.process.returncode})")
            if rss_mb(self.process.pid) > memory_mb:
                self.kill()
                raise ReaderError(f"reading it needed more than {memory_mb} MB of memory; refused (a damaged or "
                                  "hostile file, such as a zip bomb)")
            if time.monotonic() > deadline:
                self.kill()
                raise ReaderError(f"reading it took longer than {timeout_s:.0f} s; refused (a damaged or hostile file)")
        header = out.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise ReaderError(f"the reader stopped unexpectedly (exit code {self.process.wait()})")
        status, payload = pickle.loads(out.read(_HEADER.unpack(header)[0]))
        if status == "ok":
            return payload
        raise ReaderError(payload)


_worker: _Worker | None = None
_lock = threading.Lock()  # one file at a time through the worker (the web app ingests from several threads)


def read_file_isolated(path: str | Path, timeout_s: float = READ_TIMEOUT_S,
                       memory_mb: int = READ_MEMORY_MB) -> Document:
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            return _worker.read(Path(path).resolve(), timeout_s, memory_mb)
        except ReaderError:
            if not _worker.alive():  # killed for memory or time, or crashed: the next file gets a fresh one
                _worker.kill()
                _worker = None
            raise
        except BaseException:
            _worker.kill()  # an interrupted exchange leaves the pipe in an unknown state
            _worker = None
            raise


def _serve() -> None:
    from index.readers import read_file

    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        path = os.fsdecode(line.rstrip(b"\n"))
        try:
            reply = ("ok", read_file(path))
        except ReaderError as exc:
            reply = ("refused", str(exc))
        except Exception as exc:  # a parser library failing: a refusal naming the error
            reply = ("refused", f"cannot read this file: {type(exc).__name__}: {exc}")
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_HEADER.pack(len(data)) + data)
        out.flush()


if __name__ == "__main__":
    _serve()
