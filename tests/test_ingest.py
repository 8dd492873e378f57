"""Ingest: formats, bad input, idempotence, replacement and atomicity. One bad file never stops a batch."""
from __future__ import annotations

import shutil

import docx
import pytest

from conftest import SEED, TEMPLATE_DOCX, fail_writes_to, needs_template
from index.ingest import ingest_paths
from index.readers import read_file
from index.document import ReaderError


def _snapshot(store):
    return store.counts(), [(r.id, r.sha256) for r in store.reports()]


def test_same_file_twice_changes_nothing(any_store):
    store = any_store  # on SQLite and on PostgreSQL
    first = ingest_paths(store, [SEED])
    before = _snapshot(store)
    second = ingest_paths(store, [SEED])
    assert [o.status for o in first] == ["ingested"] and [o.status for o in second] == ["unchanged"]
    assert _snapshot(store) == before


def test_new_version_replaces_old_in_one_step(any_store, tmp_path):
    store = any_store
    ingest_paths(store, [SEED])
    text = SEED.read_text(encoding="utf-8")
    changed = text.replace("\t一、本年新收政府信息公开申请数量\n\t0", "\t一、本年新收政府信息公开申请数量\n\t3", 1)
    assert changed != text
    newer = tmp_path / SEED.name
    newer.write_text(changed, encoding="utf-8")
    outcome = ingest_paths(store, [newer])[0]
    assert outcome.status == "replaced"
    (report,) = store.reports()
    assert store.fact(report.id, "t3.new", "natural")["raw"] == "3"
    # the row total no longer adds up: the report is kept as printed and the break is recorded
    assert any(f["check_name"] == "row_total" for f in store.findings(report.id))


def test_gbk_text_reads_the_same(store, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").replace("\u3000", " ").replace("\xa0", " ").encode("gbk"))
    outcome = ingest_paths(store, [gbk])[0]
    assert outcome.status == "ingested", outcome.line()
    report = store.reports()[0]
    assert report.agency == "樟树市洋湖乡" and report.year == 2023 and store.fact_count(report.id) == 200
    assert "decoded as gb18030" in report.notes


def test_utf8_bom_is_read(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    assert read_file(bom).tables


def _bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 40)
    truncated = tmp_path / "truncated.docx"
    full = TEMPLATE_DOCX.read_bytes() if TEMPLATE_DOCX.exists() else _make_docx_bytes(tmp_path)
    truncated.write_bytes(full[: len(full) // 2])
    not_report = tmp_path / "notes.txt"
    not_report.write_text("今天开会讨论了食堂的菜单，下周继续。\n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    binary_txt = tmp_path / "binary.txt"
    binary_txt.write_bytes(b"\x00\x01\x02" * 1000)
    return {empty: "empty", junk: "not a PDF", truncated: "docx", not_report: "not a government",
            huge: "50.0 MB", legacy: ".doc", binary_txt: "binary"}


def _make_docx_bytes(tmp_path):
    path = tmp_path / "made.docx"
    d = docx.Document()
    d.add_paragraph("测试")
    d.save(path)
    return path.read_bytes()


def test_bad_files_get_clear_messages_and_the_batch_goes_on(store, tmp_path):
    ingest_paths(store, [SEED])
    before = _snapshot(store)
    bad = _bad_files(tmp_path)
    good_copy = tmp_path / "zz_second.txt"
    shutil.copy(SEED, good_copy)  # same content: 'unchanged', after all the failures
    outcomes = ingest_paths(store, list(bad) + [good_copy])
    by_path = {o.path: o for o in outcomes}
    for path, words in bad.items():
        outcome = by_path[str(path)]
        assert outcome.status == "failed", outcome.line()
        assert words in outcome.message, outcome.line()
    assert by_path[str(good_copy)].status == "unchanged"
    assert _snapshot(store) == before


def test_a_failure_while_writing_leaves_the_store_as_it_was(any_store, tmp_path, monkeypatch):
    store = any_store
    ingest_paths(store, [SEED])
    before = _snapshot(store)
    changed = tmp_path / SEED.name
    changed.write_text(SEED.read_text(encoding="utf-8").replace("2023年度主动公开", "2023年度共主动公开"),
                       encoding="utf-8")
    fail_writes_to(store, "facts", monkeypatch)
    outcome = ingest_paths(store, [changed])[0]
    assert outcome.status == "failed" and "disk full" in outcome.message
    assert _snapshot(store) == before  # the old version is still there, whole


def _fill_template(path):
    """The blank national template filled with distinct numbers; returns {row label: [values…]}."""
    d = docx.Document(str(TEMPLATE_DOCX))
    for p in d.paragraphs:
        if "年度报告格式模板" in p.text:
            for run in p.runs[1:]:
                run.text = ""
            p.runs[0].text = "测试县人民政府2024年政府信息公开工作年度报告"
            break
    counter = 1
    written = {}
    for table in d.tables:
        for row in table.rows:
            seen = []
            label = ""
            values = []
            for cell in row.cells:
                if any(cell._tc is s for s in seen):
                    continue
                seen.append(cell._tc)
                if cell.text.strip():
                    label = cell.text.strip()
                    continue
                cell.text = str(counter)
                values.append(str(counter))
                counter += 1
            if values:
                written[label] = values
    d.save(str(path))
    return written


@needs_template
def test_docx_from_the_national_template(store, tmp_path):
    path = tmp_path / "测试县2024.docx"
    written = _fill_template(path)
    outcome = ingest_paths(store, [path])[0]
    assert outcome.status == "ingested", outcome.line()
    report = store.reports()[0]
    assert (report.agency, report.year, report.format, report.template) == ("测试县人民政府", 2024, "docx", "2021")
    new_row = next(v for k, v in written.items() if "本年新收" in k)
    assert [store.fact(report.id, "t3.new", c)["raw"] for c in
            ("natural", "commercial", "research", "public_interest", "legal", "other_org", "total")] == new_row
    t4_row = next(v for v in written.values() if len(v) == 15)
    assert store.fact(report.id, "t4.review", "upheld")["raw"] == t4_row[0]
    assert store.fact(report.id, "t4.litigation_after_review", "total")["raw"] == t4_row[14]
    assert store.fact(report.id, "t2.fees", "amount")["raw"] == written["行政事业性收费"][0]
    # 表三 of the 2021 template has 25 rows of 7 and 表四 15 cells; 表二 has 3 + 3 + 1 + 1 + 1 + 1
    assert store.fact_count(report.id) == 25 * 7 + 15 + 10


def test_values_are_exact_decimals(store, tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("\t本年收费金额（单位：万元）\n\n\t行政事业性收费\n\t0",
                                                    "\t本年收费金额（单位：万元）\n\n\t行政事业性收费\n\t5949.088667")
    path = tmp_path / SEED.name
    path.write_text(text, encoding="utf-8")
    ingest_paths(store, [path])
    fact = store.fact(store.reports()[0].id, "t2.fees", "amount")
    assert (fact["raw"], fact["number"], fact["unit"]) == ("5949.088667", "5949.088667", "万元")


def test_unsupported_and_missing_files_are_named():
    with pytest.raises(ReaderError, match="no such file"):
        read_file("/nonexistent/report.pdf")


def test_a_batch_prepares_ahead_encodes_files_together_and_reads_no_unchanged_file(store, tmp_path, monkeypatch):
    from index import ingest

    copies = []
    for i in range(3):  # three versions of the seed under three agency names: three reports
        text = SEED.read_text(encoding="utf-8").replace("洋湖乡", ["甲湖乡", "乙湖乡", "丙湖乡"][i])
        path = tmp_path / f"r{i}.txt"
        path.write_text(text, encoding="utf-8")
        copies.append(path)
    twin = tmp_path / "r0-copy.txt"  # the same content as r0, in the same batch
    shutil.copy(copies[0], twin)
    prepared, encoded = [], []
    real_prepare, real_vectors = ingest.prepare, ingest.add_vectors
    monkeypatch.setattr(ingest, "prepare", lambda path, sha: prepared.append(path.name) or real_prepare(path, sha))
    monkeypatch.setattr(ingest, "add_vectors", lambda batch: encoded.append(len(batch)) or real_vectors(batch))
    monkeypatch.setattr(ingest, "ENCODE_GROUP", 10_000)
    outcomes = ingest_paths(store, copies + [twin])
    assert [o.status for o in outcomes] == ["ingested"] * 3 + ["unchanged"]
    assert [o.path for o in outcomes] == [str(p) for p in copies + [twin]]  # in the order given
    assert encoded == [4]  # every prepared file's passages in one call (the twin's too, before it was found out)
    assert len(store.reports()) == 3 and all(store.passages([o.report_id]) for o in outcomes[:3])
    assert store.conn.execute("SELECT COUNT(*) FROM passages WHERE vector IS NULL").fetchone()[0] == 0
    prepared.clear()
    again = ingest_paths(store, copies)
    assert [o.status for o in again] == ["unchanged"] * 3 and prepared == []  # nothing read again
