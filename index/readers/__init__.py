"""Read a report file into a Document: one module per format, chosen by extension and by sniffing the content."""
from __future__ import annotations

import zipfile
from pathlib import Path

from index.document import Document, ReaderError

MAX_FILE_BYTES = 30 * 1024 * 1024  # real reports are well under 5 MB; a larger file is not a report
FORMATS = ("txt", "md", "html", "pdf", "docx")
_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".shtml": "html", ".pdf": "pdf", ".docx": "docx"}
_KNOWN_UNSUPPORTED = {
    ".doc": "legacy Word .doc files are not supported; save it as .docx or PDF",
    ".wps": "WPS .wps files are not supported; save it as .docx or PDF",
    ".xls": "spreadsheets are not reports", ".xlsx": "spreadsheets are not reports",
    ".zip": "archives are not read; unpack it and ingest the files inside",
    ".rar": "archives are not read; unpack it and ingest the files inside",
    ".7z": "archives are not read; unpack it and ingest the files inside",
    ".png": "images are not read (no OCR)", ".jpg": "images are not read (no OCR)",
    ".jpeg": "images are not read (no OCR)", ".gif": "images are not read (no OCR)",
    ".tif": "images are not read (no OCR)", ".tiff": "images are not read (no OCR)",
}


def sniff_format(path: Path, head: bytes) -> str:
    """The format the bytes really are, checked against the extension (a .pdf of junk is refused)."""
    ext = path.suffix.lower()
    if ext in _KNOWN_UNSUPPORTED:
        raise ReaderError(_KNOWN_UNSUPPORTED[ext])
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if ext in (".docx", ""):
            return "docx"
        raise ReaderError(f"a zip archive named {ext or 'without extension'}; only .docx archives are read")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReaderError("a legacy Office (OLE) file, such as .doc or .wps; save it as .docx or PDF")
    fmt = _EXTENSIONS.get(ext)
    if fmt in ("pdf", "docx"):
        raise ReaderError(f"named {ext} but the content is not a {fmt.upper()} file")
    if fmt is None:
        raise ReaderError(f"unsupported file type {ext or '(no extension)'}; supported: " +
                          ", ".join(sorted(set(_EXTENSIONS))))
    if fmt == "txt":
        start = head.lstrip()[:200].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return "html"
    return fmt


def read_file(path: str | Path) -> Document:
    path = Path(path)
    if not path.is_file():
        raise ReaderError("no such file")
    size = path.stat().st_size
    if size == 0:
        raise ReaderError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise ReaderError(f"the file is {size / 1024 / 1024:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB "
                          "limit for one report")
    with path.open("rb") as fh:
        head = fh.read(4096)
    fmt = sniff_format(path, head)
    try:
        if fmt == "pdf":
            from index.readers.pdf import read_pdf
            return read_pdf(path)
        if fmt == "docx":
            from index.readers.docx import read_docx
            return read_docx(path)
        data = path.read_bytes()
        if fmt == "html":
            from index.readers.html import read_html
            return read_html(data)
        if fmt == "md":
            from index.readers.markdown import read_markdown
            return read_markdown(data)
        from index.readers.text import read_text
        return read_text(data)
    except ReaderError:
        raise
    except zipfile.BadZipFile as exc:
        raise ReaderError(f"damaged .docx (not a complete zip archive: {exc})") from exc
    except Exception as exc:  # a parser library failing on a damaged file
        raise ReaderError(f"cannot read this {fmt.upper()} file: {type(exc).__name__}: {exc}") from exc
