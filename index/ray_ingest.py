"""Bulk ingest on Ray: files are read, decoded, mapped and encoded on Ray workers (a local Ray instance, or a
cluster at ADDRESS); this process writes each file's result in its own transaction, in the order the files were
given, exactly as `index.ingest.ingest_paths` does.

- A file already stored with the same content is skipped before any work is sent out (its hash is taken here).
- A file travels as its bytes (at most the reader's size limit), so workers on other machines need no shared disk;
  a worker writes it under its own name into a private folder and reads it there.
- A worker killed mid-file (out of memory, a lost node) loses nothing: nothing is written until its result is
  back; Ray runs the file once more, and a second death is the file's failed outcome, with the reason.
- At most `IN_FLIGHT_PER_WORKER` files per worker are out at a time, so the object store holds a few files,
  not the batch.

Workers need this package installed (`pip install -e .` on each machine of a cluster); the REPORTQA_* settings of
this process travel with the tasks.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from index.ingest import (Outcome, Prepared, _guarded, _sha_unless_stored, add_vectors_or_say_why, commit,
                          expand_paths, prepare)
from index.store import Store

RETRIES = 1  # a file whose worker dies is run once more, then reported failed
IN_FLIGHT_PER_WORKER = 4


def prepare_on_worker(name: str, data: bytes, sha: str, encode: bool) -> Prepared | Outcome:
    """The part of ingest that needs no store: read, decode, map, cut passages and (with `encode`) embed them."""
    with tempfile.TemporaryDirectory(prefix="reportqa-ray-") as folder:
        path = Path(folder) / name  # the reader takes agency and year hints from the file name
        path.write_bytes(data)
        prepared = prepare(path, sha)
        if isinstance(prepared, Prepared) and encode:
            add_vectors_or_say_why([prepared])
        return prepared


def looks_like_address(text: str) -> bool:
    """A Ray address ("auto", "ray://host:10001", "host:6379"), as opposed to a path to ingest."""
    if text == "auto" or "://" in text:
        return True
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and not Path(text).exists()


def start_ray(address: str | None = None, workers: int | None = None) -> None:
    """Connect to the cluster at `address`, or start a local instance of `workers` CPUs; the REPORTQA_* settings
    of this process go to every worker."""
    import ray

    # each task holds one CPU: its encoder runs one thread (two threads per worker oversubscribed the cores and
    # made 2 workers slower than 1: docs/scaling.md)
    settings = {"REPORTQA_ENCODER_THREADS": "1"} | {k: v for k, v in os.environ.items() if k.startswith("REPORTQA_")}
    ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
             log_to_driver=False, logging_level="ERROR", runtime_env={"env_vars": settings})


def ingest_paths_ray(store: Store, paths: Iterable[str | Path], address: str | None = None,
                     workers: int | None = None, progress: Callable[[Outcome], None] | None = None,
                     encode: bool = True, task: Callable = prepare_on_worker) -> list[Outcome]:
    """Ingest files with their reading and encoding on Ray workers; outcomes in the order of the files.
    `workers`: CPUs of the local instance (default: all); ignored with `address`. Uses the Ray instance this
    process is connected to, if any. `task` is the worker's function (tests give one that kills its worker)."""
    import ray

    files = expand_paths(paths)
    started_here = not ray.is_initialized()
    if started_here:
        start_ray(address, workers)
    try:
        remote = ray.remote(max_retries=RETRIES, retry_exceptions=False)(task)
        window = IN_FLIGHT_PER_WORKER * max(1, int(ray.cluster_resources().get("CPU", 1)))
        return _run(store, files, remote, window, progress, encode)
    finally:
        if started_here:
            ray.shutdown()


def _run(store: Store, files: list[Path], remote, window: int, progress, encode: bool) -> list[Outcome]:
    import ray
    from ray.exceptions import RayError, RayTaskError

    results: list[object] = [None] * len(files)  # Outcome or Prepared, filled as workers answer
    out_for: dict = {}  # object ref -> file position
    outcomes: list[Outcome] = []
    queued = iter(range(len(files)))

    def send_more() -> None:
        while len(out_for) < window:
            i = next(queued, None)
            if i is None:
                return
            path = files[i]
            sha = _guarded(lambda: _sha_unless_stored(store, path), path)  # unchanged files never leave here
            if isinstance(sha, Outcome):
                results[i] = sha
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                results[i] = Outcome(str(path), "failed", f"cannot open: {exc.strerror or exc}")
                continue
            out_for[remote.remote(path.name, data, sha, encode)] = i

    def write_ready() -> None:
        """Commit, in file order, every result whose predecessors are all written."""
        while len(outcomes) < len(files) and results[len(outcomes)] is not None:
            i = len(outcomes)
            item, path = results[i], files[i]
            if isinstance(item, Prepared):
                item.path = path  # read under a worker's temporary name; stored under its own
                outcome = _guarded(lambda: commit(store, item), path)
            else:
                outcome = item
                outcome.path = str(path)
            results[i] = outcome  # the prepared document is dropped once written
            outcomes.append(outcome)
            if progress:
                progress(outcome)

    send_more()
    write_ready()
    while out_for:
        ready, _ = ray.wait(list(out_for), num_returns=1)
        for ref in ready:
            i = out_for.pop(ref)
            try:
                results[i] = ray.get(ref)
            except RayTaskError as exc:  # a bug in reading: the file's outcome, the batch goes on
                cause = exc.cause if exc.cause is not None else exc
                results[i] = Outcome(str(files[i]), "failed", f"internal error: {type(cause).__name__}: {cause}")
            except RayError as exc:  # the worker died on both tries (killed, out of memory, node lost)
                results[i] = Outcome(str(files[i]), "failed", f"the Ray worker reading it died {RETRIES + 1} times "
                                                              f"({type(exc).__name__})")
        send_more()
        write_ready()
    return outcomes
