"""Staff uploads from the browser: a password from the environment gates them, file names are made safe, each
file is copied under the data directory and ingested with one result line per file.

    REPORTQA_UPLOAD_PASSWORD   the password; unset or empty: uploading is disabled
    REPORTQA_MAX_UPLOAD_MB     the size limit per file (default: the readers' limit, 30 MB)

The uploaded files are kept only as ingest input: nothing here hands them back to a browser.
"""
from __future__ import annotations

import hmac
import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

from index.ingest import Outcome, ingest_file, sha256_of
from index.readers import MAX_FILE_BYTES
from index.store import Store, data_home

STATUS_WORDS = {"ingested": "已入库", "replaced": "已替换旧版本", "unchanged": "库中已有，未变", "failed": "未能入库"}


def upload_password() -> str:
    return os.environ.get("REPORTQA_UPLOAD_PASSWORD", "")


def uploads_enabled() -> bool:
    return bool(upload_password())


def max_upload_bytes() -> int:
    try:
        return int(float(os.environ["REPORTQA_MAX_UPLOAD_MB"]) * 1024 * 1024)
    except (KeyError, ValueError):
        return MAX_FILE_BYTES


def password_ok(given: str | None) -> bool:
    expected = upload_password()
    return bool(expected) and hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


def safe_name(name: str) -> str:
    """A file name that stays inside the folder it is written to: the last path part only, no control
    characters, no leading dots, at most 120 characters; the extension is kept (the readers go by it)."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[<>:\"|?*]", "_", name).strip().lstrip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    stem = stem[:110] or "upload"
    return f"{stem}.{ext}" if ext else stem


def upload_dir() -> Path:
    return data_home() / "uploads"


def ingest_uploads(store: Store, files: Iterable[tuple[str, str | Path]], password: str | None,
                   progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Ingest uploaded files given as (name the browser sent, temporary path). One line per file; a refused
    password refuses the whole batch before anything is read."""
    files = list(files)
    if not uploads_enabled():
        return ["上传未开放：服务器没有设置 REPORTQA_UPLOAD_PASSWORD。"]
    if not password_ok(password):
        return ["密码不对，没有导入任何文件。"]
    if not files:
        return ["没有选择文件。"]
    lines = []
    for i, (name, temp) in enumerate(files, 1):
        shown = safe_name(name)
        if progress:
            progress(i - 1, len(files), shown)
        lines.append(f"{shown}：{_ingest_one(store, shown, Path(temp))}")
    if progress:
        progress(len(files), len(files), "")
    return lines


def _ingest_one(store: Store, name: str, temp: Path) -> str:
    try:
        size = temp.stat().st_size
    except OSError:
        return "未能入库——上传的文件读不到"
    limit = max_upload_bytes()
    if size > limit:
        return f"未能入库——文件 {size / 1024 / 1024:.1f} MB，超过 {limit / 1024 / 1024:.0f} MB 的上限"
    if size == 0:
        return "未能入库——文件是空的"
    # kept under the data directory, in a folder named by content, so the stored source name is the file's own
    folder = upload_dir() / sha256_of(temp)[:16]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if folder.resolve() not in target.resolve().parents:
        return "未能入库——文件名不可用"
    shutil.copyfile(temp, target)
    try:
        outcome = ingest_file(store, target)
    except Exception as exc:  # one bad file never stops the batch
        outcome = Outcome(str(target), "failed", f"internal error: {type(exc).__name__}: {exc}")
    if outcome.status == "failed":
        shutil.rmtree(folder, ignore_errors=True)
    return STATUS_WORDS.get(outcome.status, outcome.status) + (f"——{outcome.message}" if outcome.message else "")
