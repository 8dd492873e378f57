"""Bulk ingest on Ray (`index.ray_ingest`, `reportqa ingest --ray`): the same store as the serial ingest, files
skipped when stored, one bad file failing alone, and a worker killed mid-file: the file is run once more, and a
second death is its failed outcome; nothing half-written either way."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from conftest import SEED, SHIPPED
from index.ingest import expand_paths
from index.store import Store

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[scale]')")
from index.ray_ingest import ingest_paths_ray, looks_like_address, prepare_on_worker, start_ray  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    start_ray(workers=2)
    yield
    ray.shutdown()


def _cells(store: Store) -> dict:
    return {r.sha256: sorted((f["metric"], f["col"], f["raw"]) for f in store.facts(r.id)) for r in store.reports()}


def _passages(store: Store) -> dict:
    return {r.sha256: [(p["section"], p["text"]) for p in store.passages([r.id])] for r in store.reports()}


def test_the_shipped_corpus_on_ray_gives_the_serial_store(local_ray, corpus_store, tmp_path):
    store = Store(tmp_path / "reportqa.sqlite3")
    seen = []
    outcomes = ingest_paths_ray(store, [SHIPPED], progress=seen.append)
    files = expand_paths([SHIPPED])
    assert [o.path for o in outcomes] == [str(f) for f in files] and seen == outcomes  # in the order given
    assert all(o.status == "ingested" for o in outcomes), [o.line() for o in outcomes]
    assert _cells(store) == _cells(corpus_store)
    assert _passages(store) == _passages(corpus_store)
    assert {r.source_path for r in store.reports()} == {str(f.resolve()) for f in files}  # not a worker's temp path
    ids, vectors = store.passage_vectors(_model(corpus_store))
    assert ids and all(v is not None for v in vectors)  # encoded on the workers, stored with the report
    again = ingest_paths_ray(store, [SHIPPED])
    assert [o.status for o in again] == ["unchanged"] * len(files)


def _model(store: Store) -> str:
    return store.conn.execute("SELECT vector_model FROM passages WHERE vector_model IS NOT NULL LIMIT 1").fetchone()[0]


def test_a_bad_file_fails_alone(local_ray, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.docx").write_bytes(b"")
    (folder / "b_broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    store = Store(tmp_path / "reportqa.sqlite3")
    outcomes = ingest_paths_ray(store, [folder, tmp_path / "missing.txt"])
    assert [o.status for o in outcomes] == ["failed", "failed", "ingested", "failed"], [o.line() for o in outcomes]
    assert all(o.message for o in outcomes)
    assert outcomes[0].path == str(folder / "a_empty.docx")  # named as given, not by the worker's copy
    assert "no such file" in outcomes[3].message
    assert [r.source_name for r in store.reports()] == [SEED.name]


def _dying_task(markers: Path, deaths: int):
    """A worker function that kills its own worker the first `deaths` times it is given a file, then reads it."""
    def task(name, data, sha, encode):
        tries = markers / f"{name}.tries"
        done = int(tries.read_text()) if tries.exists() else 0
        tries.write_text(str(done + 1))
        if done < deaths:
            os.kill(os.getpid(), signal.SIGKILL)
        return prepare_on_worker(name, data, sha, encode)
    return task


def test_a_killed_worker_loses_nothing_and_its_file_is_retried_once(local_ray, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    store = Store(tmp_path / "reportqa.sqlite3")
    outcomes = ingest_paths_ray(store, [SEED], task=_dying_task(markers, deaths=1), encode=False)
    assert [o.status for o in outcomes] == ["ingested"], [o.line() for o in outcomes]
    assert (markers / f"{SEED.name}.tries").read_text() == "2"
    assert store.fact_count(store.reports()[0].id) == 200

    other = tmp_path / "twice"
    other.mkdir()
    store = Store(tmp_path / "other.sqlite3")
    outcomes = ingest_paths_ray(store, [SEED], task=_dying_task(other, deaths=2), encode=False)
    assert [o.status for o in outcomes] == ["failed"]
    assert "died 2 times" in outcomes[0].message and (other / f"{SEED.name}.tries").read_text() == "2"
    assert store.reports() == [] and store.counts()["facts"] == 0


def test_ray_address_or_path():
    assert looks_like_address("auto") and looks_like_address("ray://10.0.0.5:10001")
    assert looks_like_address("10.0.0.5:6379")
    assert not looks_like_address("corpus") and not looks_like_address(str(SEED))


def test_the_command_line_takes_a_path_after_ray(local_ray, tmp_path, capsys):
    from assistant.cli import main

    home = tmp_path / "home"
    assert main(["--home", str(home), "ingest", "-q", "--ray", str(SEED.parent)]) == 0
    out = capsys.readouterr().out
    assert f"ingested  {SEED}" in out and out.strip().endswith("ingested 1; replaced 0; unchanged 0; failed 0")
    assert main(["--home", str(home), "ingest", "-q", "--ray"]) == 2  # no path at all
