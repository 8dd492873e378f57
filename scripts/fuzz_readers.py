"""Fuzz the readers and the whole ingest pipeline with mutated real files (hypothesis).

    python scripts/fuzz_readers.py --examples 300 [--seed 1] [--out docs/fuzz.txt]

Each example takes a real report (the seed .txt, 004 .md, 022 .html, 002 .pdf, the template .docx), applies up to
four byte mutations (flip, insert, delete, NUL, truncate, duplicate a span) and ingests it through
`index.ingest.ingest_paths`, exactly as `reportqa ingest` would (the file is read in the bounded reader worker).
The property: every file ends as ingested or refused with a plain reason — never an internal error, never a
hang (each ingest is timed), never a crash of the process. Tests run a few dozen examples per format
(tests/test_reliability.py); this script runs the long version and writes what it saw.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

from score_devset import emit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def base_files() -> dict[str, Path]:
    """One real file per reader format (the blank template .docx only where ../shared is present)."""
    files = {"txt": next((ROOT / "corpus" / "seed").glob("*.txt"))}
    candidates = {"md": ROOT / "corpus" / "real" / "004_suqian-shuyangxian_2025.md",
                  "html": ROOT / "corpus" / "real" / "022_fujian-pingtan_2023.html",
                  "pdf": ROOT / "corpus" / "real" / "002_huaian-hongzequ_2024.pdf",
                  "docx": SHARED / "template" / "政务公开年报模版.docx"}
    files.update({k: p for k, p in candidates.items() if p.is_file()})
    return files


def mutate(data: bytes, ops: list[tuple[str, float, int]]) -> bytes:
    """Apply (kind, position as a fraction of the length, a byte or a length) mutations in order."""
    out = bytearray(data)
    for kind, where, arg in ops:
        if not out:
            break
        at = min(int(where * len(out)), len(out) - 1)
        if kind == "flip":
            out[at] ^= (arg % 255) + 1
        elif kind == "insert":
            out[at:at] = bytes([arg % 256]) * (1 + arg % 7)
        elif kind == "delete":
            del out[at:at + 1 + arg % 64]
        elif kind == "nul":
            out[at:at] = b"\x00" * (1 + arg % 16)
        elif kind == "truncate":
            del out[at:]
        elif kind == "duplicate":
            span = bytes(out[at:at + 1 + arg % 512])
            out[at:at] = span
    return bytes(out)


# weights: mostly small damage, sometimes a cut-off file
MUTATIONS = ("flip",) * 8 + ("insert",) * 4 + ("delete",) * 3 + ("nul",) * 2 + ("duplicate",) * 2 + ("truncate",)


def ingest_mutant(store, data: bytes, suffix: str, folder: Path) -> tuple[str, str, float]:
    from index.ingest import ingest_paths

    path = folder / f"mutant{suffix}"
    path.write_bytes(data)
    start = time.monotonic()
    (outcome,) = ingest_paths(store, [path], encode=False)
    return outcome.status, outcome.message, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="per format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    from index.store import Store

    rng = random.Random(args.seed)
    lines, bad = [], 0
    with tempfile.TemporaryDirectory(prefix="reportqa-fuzz-") as tmp:
        folder = Path(tmp)
        store = Store(folder / "reportqa.sqlite3")
        for fmt, path in base_files().items():
            data = path.read_bytes()
            statuses: collections.Counter = collections.Counter()
            reasons: collections.Counter = collections.Counter()
            slowest = 0.0
            started = time.monotonic()
            for _ in range(args.examples):
                ops = [(rng.choice(MUTATIONS), rng.random(), rng.randrange(1 << 16)) for _ in range(rng.randint(1, 4))]
                status, message, elapsed = ingest_mutant(store, mutate(data, ops), path.suffix, folder)
                slowest = max(slowest, elapsed)
                statuses[status] += 1
                if status == "failed":
                    reasons[message.split(":")[0][:60]] += 1
                if message.startswith("internal error"):
                    bad += 1
                    lines.append(f"  INTERNAL ERROR {fmt}: {message} (ops {ops})")
            lines.append(f"{fmt} ({path.name}): {args.examples} mutants in {time.monotonic() - started:.0f} s, "
                         f"slowest {slowest:.1f} s; " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
            lines += [f"    refused: {reason} ×{n}" for reason, n in reasons.most_common(6)]
        store.close()
    lines.append(f"internal errors: {bad}")
    emit(lines, args.out)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
