"""Benchmarks past one machine (issue 19; results in docs/scaling.md): bulk ingest on Ray with 1 and 2 workers
against the serial ingest, on report files made from the shipped corpus's real reports under synthetic agencies.

    python scripts/benchmark_scale.py ingest [--files 200] [--rounds 1]

Each synthetic file is a real report of the shipped corpus (its text formats: .txt, .md, .html) with its place
name (平潭, 洪泽 …) replaced by a made-up one, so that every file is a new report of a new agency: read, decoded,
checked, encoded and stored like any other. PDFs are left out (their text cannot be rewritten in place).
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.ingest import expand_paths, ingest_paths  # noqa: E402
from index.store import Store  # noqa: E402

PLACES = ("平潭", "洪泽", "洋湖", "沐阳", "沭阳", "上海")  # the place names of the shipped corpus's agencies
# Made-up place names: two characters no real place of the corpus uses, 60 × 59 of them, then three
NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土东南西北青赤黄白黑龙凤麟鹤松柏梅兰竹菊春夏秋冬晨曦岭峰"
TEXT_FORMATS = (".txt", ".md", ".html")


def synthetic_names():
    for size in (2, 3):
        for chars in itertools.permutations(NAME_CHARS, size):
            yield "".join(chars)


def decoded(path: Path) -> str:
    from index.readers.text import decode_text

    return decode_text(path.read_bytes())[0]


def make_files(n: int, folder: Path) -> list[Path]:
    """n report files: the shipped text-format reports in turn, each under a made-up place name."""
    sources = [p for p in expand_paths([ROOT / "corpus"]) if p.suffix.lower() in TEXT_FORMATS]
    texts = [(p, decoded(p)) for p in sources]
    out = []
    for i, name in zip(range(n), synthetic_names()):
        source, text = texts[i % len(texts)]
        for place in PLACES:
            text = text.replace(place, name)
        path = folder / f"{i:06d}_{name}_{source.name}"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def bench_ingest(files: list[Path], how: str, workers: int | None) -> dict:
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "reportqa.sqlite3")
        start = time.perf_counter()
        if how == "serial":
            outcomes = ingest_paths(store, files)
        else:
            from index.ray_ingest import ingest_paths_ray
            outcomes = ingest_paths_ray(store, files, workers=workers)
        seconds = time.perf_counter() - start
        passages = store.counts()["passages"]
        store.close()
    ok = sum(o.status == "ingested" for o in outcomes)
    return {"files": len(files), "ingested": ok, "seconds": seconds, "reports_per_s": ok / seconds,
            "passages_per_s": passages / seconds, "passages": passages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("ingest", help="serial vs Ray with 1 and 2 workers")
    p.add_argument("--files", type=int, default=200)
    p.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(args.files, Path(folder))
        runs = {"serial": [], "ray, 1 worker": [], "ray, 2 workers": []}
        for _ in range(args.rounds):
            runs["serial"].append(bench_ingest(files, "serial", None))
            runs["ray, 1 worker"].append(bench_ingest(files, "ray", 1))
            runs["ray, 2 workers"].append(bench_ingest(files, "ray", 2))
    print(f"| how | files | ingested | reports/s (median of {args.rounds}) | passages/s | seconds |")
    print("|---|---|---|---|---|---|")
    for how, results in runs.items():
        med = lambda key: statistics.median(r[key] for r in results)  # noqa: E731
        print(f"| {how} | {results[0]['files']} | {results[0]['ingested']} | {med('reports_per_s'):.2f} | "
              f"{med('passages_per_s'):.0f} | {med('seconds'):.1f} |")


if __name__ == "__main__":
    main()
