"""The search indexes over passages: keyword (bm25s over jieba tokens) and dense (FAISS over passage vectors).

Both are derived from the store, which holds every passage's tokens and vector: they are saved beside the
database (`<home>/index/`), and rebuilt from the store whenever they are missing or no longer match it (a report
added or replaced, another embedding model). Searches take the set of passages allowed by the question's
filters (agency, year) and rank only those: filter first, rank second. A PostgreSQL store searches itself instead
(index.pg_store.DatabaseIndex: the same searches and rankings, in SQL); `open_index` hands that out for it.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.store import Store

FORMAT_VERSION = 3  # 3: an inverted-file index above ANN_MIN_PASSAGES (a saved HNSW graph is rebuilt)
# Below this many passages an exact inner-product scan is fast enough (measured: docs/benchmarks.md).
ANN_MIN_PASSAGES = 50_000
# Above it, an inverted-file index over the exact vectors (faiss IVFFlat): 4·√n lists, 128 of them searched.
# Chosen for recall@10 ≥ 0.98 against the exact scan at 100k and 1M passages on both benchmark corpora
# (docs/benchmarks.md): 0.992–1.000, 1–5 ms a question, built in 47 s at 1M. HNSW (M 48, efConstruction 200,
# efSearch 512) reached 0.99 at 100k but 0.89 at 1M on the replicated corpus, whose near-duplicates crowd its
# graph, and took 400 s to build.
IVF_LISTS_PER_SQRT = 4
IVF_NPROBE = 128
# A filtered search over at most this many passages is an exact numpy scan of just those vectors.
EXACT_SUBSET_MAX = 20_000


@dataclass
class Hit:
    passage_id: int
    score: float


# Another process may add passages while an index is built from the store: the build reads again, this many times.
BUILD_TRIES = 5


def store_fingerprint(store: Store, model: str | None, row: tuple | None = None) -> str:
    row = store.passages_fingerprint(model) if row is None else row
    return hashlib.sha256(json.dumps([FORMAT_VERSION, model, *row]).encode()).hexdigest()[:16]


def _saved_fingerprint(folder: Path) -> str | None:
    """The fingerprint in a saved index's manifest; None where there is none (or it cannot be read)."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None


class SearchIndex:
    def __init__(self, ids: np.ndarray, bm25, vectors: np.ndarray | None, model: str | None, fingerprint: str):
        self.ids = ids  # passage ids, ascending; row i of every structure is passage ids[i]
        self.bm25 = bm25
        self.vectors = vectors  # (n, d) float32, L2-normalised, or None (keyword only)
        self.model = model
        self.fingerprint = fingerprint
        self._faiss = None
        self._faiss_file: Path | None = None  # read at the first search that needs faiss (most never do)

    # ---- building ----------------------------------------------------------------------------------------
    @classmethod
    def build(cls, store: Store, encoder=None) -> "SearchIndex":
        """The index of the passages the store holds. Another process may write while it is read (the CLI
        ingesting beside the web app): tokens, vectors and fingerprint are read again until they describe the same
        passages, so an index never mixes two states, nor is saved under a fingerprint newer than its content."""
        for _ in range(BUILD_TRIES):
            index = cls._build_once(store, encoder)
            if index is not None:
                return index
        raise RuntimeError(f"the passages changed {BUILD_TRIES} times while the search index was built; try again")

    @classmethod
    def _build_once(cls, store: Store, encoder=None) -> "SearchIndex | None":
        import bm25s

        model = encoder.name if encoder else None
        pairs = store.passage_tokens()
        ids = np.array([pid for pid, _ in pairs], dtype=np.int64)
        vectors = None
        if encoder is not None and len(ids):
            vectors = cls._vectors(store, encoder, ids)
            if vectors is None:
                return None
        row = tuple(store.passages_fingerprint(model))
        held = (len(ids), int(ids.min()) if len(ids) else 0, int(ids.max()) if len(ids) else 0, int(ids.sum()))
        if tuple(int(v or 0) for v in row[:4]) != held:
            return None  # passages came or went after they were read
        bm25 = bm25s.BM25()
        if len(ids):
            bm25.index([tokens.split() or [""] for _, tokens in pairs], show_progress=False)
        return cls(ids, bm25, vectors, model, store_fingerprint(store, model, row))

    @staticmethod
    def _vectors(store: Store, encoder, ids: np.ndarray) -> np.ndarray | None:
        """Stored vectors of this model; passages without one are encoded now and written back. None when the
        passages are no longer those of `ids` (written meanwhile)."""
        got_ids, blobs = store.passage_vectors(encoder.name)
        if list(ids) != got_ids:
            return None
        missing = [i for i, blob in enumerate(blobs) if blob is None]
        if missing:
            rows = {r["id"]: r for r in store.passages()}
            texts = [dense_input(rows[int(ids[i])]["section"], rows[int(ids[i])]["text"]) for i in missing]
            fresh = encoder.encode_passages(texts)
            store.set_passage_vectors(encoder.name, [(int(ids[i]), fresh[j].tobytes()) for j, i in enumerate(missing)])
            for j, i in enumerate(missing):
                blobs[i] = fresh[j].tobytes()
        return np.vstack([np.frombuffer(b, dtype=np.float32) for b in blobs]).astype(np.float32)

    def _dense_index(self):
        if self._faiss is None and self.vectors is not None:
            import faiss

            faiss.omp_set_num_threads(1)  # one question at a time: threads only add overhead (measured)
            saved = self._saved_faiss() if self._faiss_file is not None else None
            self._faiss = saved if saved is not None else build_dense_index(self.vectors)
        return self._faiss

    def _saved_faiss(self):
        """The faiss index saved with this one (no rebuild), or None when another process has replaced the folder
        since this index was loaded: its file would hold other passages at other positions."""
        import faiss

        folder = self._faiss_file.parent
        if _saved_fingerprint(folder) != self.fingerprint:
            return None
        try:
            index = faiss.read_index(str(self._faiss_file))
        except RuntimeError:  # gone, or half replaced
            return None
        if _saved_fingerprint(folder) != self.fingerprint or index.ntotal != len(self.ids):
            return None
        return index

    # ---- saving and loading ------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import faiss

        # names of this save's own (two processes may save at once: neither writes into the other's folder)
        own = f"{os.getpid()}-{threading.get_ident()}"
        tmp = folder.with_name(f"{folder.name}.tmp-{own}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        np.save(tmp / "ids.npy", self.ids)
        if len(self.ids):
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", self.vectors)
            faiss.write_index(self._dense_index(), str(tmp / "dense.faiss"))
        (tmp / "manifest.json").write_text(json.dumps({"fingerprint": self.fingerprint, "model": self.model,
                                                       "passages": int(len(self.ids))}), encoding="utf-8")
        old = folder.with_name(f"{folder.name}.old-{own}")
        shutil.rmtree(old, ignore_errors=True)
        try:
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)  # fails (OSError) where another save put its folder there first: that one stays
        finally:
            shutil.rmtree(old, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> "SearchIndex":
        import bm25s

        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        ids = np.load(folder / "ids.npy")
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if len(ids) else bm25s.BM25()
        vectors = np.load(folder / "vectors.npy") if (folder / "vectors.npy").exists() else None
        # another process's save swaps the folder whole: files read across a swap belong to two indexes
        if _saved_fingerprint(folder) != manifest["fingerprint"] or len(ids) != manifest.get("passages", len(ids)) \
                or (vectors is not None and len(vectors) != len(ids)):
            raise ValueError(f"the search index in {folder} was replaced while it was read")
        index = cls(ids, bm25, vectors, manifest["model"], manifest["fingerprint"])
        if vectors is not None:
            index._faiss_file = folder / "dense.faiss"
        return index

    # ---- searching ---------------------------------------------------------------------------------------
    def positions(self, allowed_ids) -> np.ndarray | None:
        if allowed_ids is None:
            return None
        wanted = np.asarray(sorted(allowed_ids), dtype=np.int64)
        pos = np.searchsorted(self.ids, wanted)
        pos = pos[pos < len(self.ids)]
        return pos[self.ids[pos] == wanted[: len(pos)]] if len(pos) else pos

    def keyword(self, tokens: list[str], allowed_ids=None, k: int = 10) -> list[Hit]:
        if not len(self.ids) or not tokens:
            return []
        pos = self.positions(allowed_ids)
        if pos is None:
            pos, scores = np.arange(len(self.ids)), self.bm25.get_scores(tokens)
        else:
            scores = self._scores_at(tokens, pos)
        # only passages holding a question word can rank; positions ascending, so ties keep passage order
        held = np.flatnonzero(scores > 0)
        return [Hit(int(self.ids[pos[i]]), float(scores[i])) for i in held[_top_k(scores[held], k)]]

    def _scores_at(self, tokens: list[str], pos: np.ndarray) -> np.ndarray:
        """bm25s's scores (`BM25.get_scores`) of the passages at positions `pos` (ascending) only, bit for bit:
        each question word's postings (sorted by passage) are met with the allowed passages, and the matches are
        added in bm25s's order and precision. The cost is what the allowed passages and the words' postings
        cost, not the whole store's (bm25s has no filtered scoring: it scores every passage, 0.2 s at 1.8 M)."""
        bm25 = self.bm25
        data, indices, indptr = bm25.scores["data"], bm25.scores["indices"], bm25.scores["indptr"]
        word_ids = bm25.get_tokens_ids(tokens)
        scores = np.zeros(len(pos), dtype=np.dtype(bm25.dtype))
        for word in word_ids:
            start, end = int(indptr[word]), int(indptr[word + 1])
            postings = indices[start:end]
            if not len(postings) or not len(pos):
                continue
            if 16 * len(pos) < len(postings):  # few allowed passages: look each up in the word's postings
                at = np.minimum(np.searchsorted(postings, pos), len(postings) - 1)
                found = postings[at] == pos
                scores[found] += data[start + at[found]]
            else:  # look each posting up among the allowed passages
                at = np.minimum(np.searchsorted(pos, postings), len(pos) - 1)
                found = pos[at] == postings
                scores[at[found]] += data[start:end][found]
        if bm25.nonoccurrence_array is not None:  # the BM25 variants that score absent words too
            scores += bm25.nonoccurrence_array[np.asarray(word_ids, dtype=int)].sum()
        return scores

    def known_words(self, words: list[str]) -> set[str]:
        """The words some passage holds (a keyword term of the index)."""
        return {w for w in words if w in self.bm25.vocab_dict} if len(self.ids) else set()

    def dense(self, vector: np.ndarray, allowed_ids=None, k: int = 10) -> list[Hit]:
        if self.vectors is None or not len(self.ids):
            return []
        pos = self.positions(allowed_ids)
        if pos is not None and len(pos) <= EXACT_SUBSET_MAX:
            if not len(pos):
                return []
            scores = self.vectors[pos] @ vector
            order = np.argsort(-scores, kind="stable")[:k]
            return [Hit(int(self.ids[pos[i]]), float(scores[i])) for i in order]
        import faiss

        index = self._dense_index()
        params = None
        if pos is not None:
            selector = faiss.IDSelectorBatch(pos.astype(np.int64))
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=IVF_NPROBE)
                      if isinstance(index, faiss.IndexIVF) else faiss.SearchParameters(sel=selector))
        scores, rows = index.search(vector.reshape(1, -1).astype(np.float32), k, params=params)
        return [Hit(int(self.ids[r]), float(s)) for s, r in zip(scores[0], rows[0]) if r >= 0]


def build_dense_index(vectors: np.ndarray, exact_below: int | None = None):
    """The faiss index of the passage vectors: exact below `exact_below` passages (ANN_MIN_PASSAGES unless told),
    else IVFFlat (k-means lists trained on a fixed sample, so the same vectors give the same index)."""
    import faiss

    n, d = vectors.shape
    if n < (ANN_MIN_PASSAGES if exact_below is None else exact_below):
        index = faiss.IndexFlatIP(d)
    else:
        lists = int(IVF_LISTS_PER_SQRT * math.sqrt(n))
        index = faiss.index_factory(d, f"IVF{lists},Flat", faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(n, min(n, 64 * lists), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = IVF_NPROBE
    index.add(vectors)
    return index


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k highest scores, highest first, ties in position order: the first k of a stable
    descending sort, without sorting a million scores (a partition finds the k-th, then only those at or above
    it are sorted)."""
    if len(scores) <= 4 * k:
        return np.argsort(-scores, kind="stable")[:k]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    candidates = np.flatnonzero(scores >= kth)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:k]


def keyword_input(section: str, text: str) -> str:
    """What is tokenized for keyword search: the passage's whole section path, then its text."""
    return f"{section}：{text}" if section else text


def dense_input(section: str, text: str) -> str:
    """What is embedded: the innermost section heading, then the text (measured better than the whole path:
    docs/retrieval.md)."""
    last = section.rsplit(" › ", 1)[-1] if section else ""
    return f"{last}：{text}" if last else text


def index_folder(store: Store) -> Path:
    return store.path.parent / "index"


def open_index(store: Store, encoder=None) -> SearchIndex:
    """The saved index when it matches the store, else a fresh one built from the store (and saved). A store
    that searches itself (PostgreSQL: index.pg_store.DatabaseIndex) gives its own, with the same searches."""
    in_database = store.database_index(encoder)
    if in_database is not None:
        return in_database
    folder = index_folder(store)
    model = encoder.name if encoder else None
    fingerprint = store_fingerprint(store, model)
    if _saved_fingerprint(folder) == fingerprint:
        try:
            return SearchIndex.load(folder)
        except (OSError, ValueError, KeyError, RuntimeError):
            pass  # a damaged index (or one replaced while read) is rebuilt
    index = SearchIndex.build(store, encoder)
    try:
        index.save(folder)
    except OSError:
        pass  # a read-only data directory still answers, from memory
    return index
