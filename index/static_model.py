"""A static embedding model distilled from e5, for bulk ingest: every vocabulary piece gets one vector, a text's
vector is the weighted mean of its pieces' vectors. Thousands of passages a second on one core, at some cost in
retrieval quality (docs/benchmarks.md gives its recall next to e5's). Chosen with
`REPORTQA_EMBEDDING_MODEL=multilingual-e5-small-static256`; questions must then be encoded by it too (the search
index keeps one model's vectors), so it is a choice for a whole store.

The distillation is model2vec's recipe, written here because model2vec's own `distill` needs an older
transformers than this project pins (docs/model_comparison.md): each piece of the pruned vocabulary
(index.onnx_export) is encoded alone by the exported e5 model (`<s> piece </s>`, mean-pooled), the vectors are
reduced to 256 dimensions by PCA, and each is weighted by the piece's rarity (SIF: a / (a + p), p the unigram
probability the tokenizer itself holds), so that frequent pieces count less in a mean.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small-static256"
MARKER = "static.json"
STATIC_VERSION = 1
DIMS = 256
SIF_A = 1e-4


def is_complete(folder: Path) -> bool:
    from index.e5_model import marked_complete
    return marked_complete(folder, MARKER, "version", STATIC_VERSION, "embeddings.npy")


def ensure_static(models_dir: Path) -> Path:
    """The distilled folder under `models_dir`, distilled first (from the ONNX export of e5) when missing."""
    import sys

    from index.e5_model import ensure_model
    from index.onnx_export import ensure_onnx

    out = Path(models_dir) / MODEL_NAME
    if not is_complete(out):
        onnx_dir = ensure_onnx(ensure_model(models_dir))
        print("reportqa: distilling the static embedding model from e5, once (a few minutes) …", file=sys.stderr,
              flush=True)
        distill(onnx_dir, out)
    return out


def distill(onnx_dir: Path, out: Path, batch: int = 256) -> Path:
    from index.e5_model import building
    from index.onnx_encoder import OnnxEncoder

    started = time.perf_counter()
    encoder = OnnxEncoder(onnx_dir)
    vocab = json.loads((onnx_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    bos, eos = encoder.tokenizer.token_to_id("<s>"), encoder.tokenizer.token_to_id("</s>")
    vectors = np.zeros((len(vocab), encoder.dim), dtype=np.float32)
    for start in range(0, len(vocab), batch):
        ids = np.arange(start, min(start + batch, len(vocab)), dtype=np.int64)
        inputs = np.stack([np.full_like(ids, bos), ids, np.full_like(ids, eos)], axis=1)
        vectors[ids] = encoder.session.run(None, {"input_ids": inputs, "attention_mask": np.ones_like(inputs)})[0]
    mean = vectors.mean(axis=0)
    _, _, components = np.linalg.svd(vectors - mean, full_matrices=False)
    reduced = (vectors - mean) @ components[:DIMS].T
    probability = np.exp(np.array([score for _, score in vocab], dtype=np.float64))
    reduced *= (SIF_A / (SIF_A + probability))[:, None].astype(np.float32)
    with building(out, is_complete) as build:
        np.save(build / "embeddings.npy", reduced.astype(np.float16))
        shutil.copy(onnx_dir / "tokenizer.json", build / "tokenizer.json")
        info = {"version": STATIC_VERSION, "source": onnx_dir.name, "pieces": len(vocab), "dims": DIMS,
                "sif_a": SIF_A, "seconds": round(time.perf_counter() - started, 1)}
        (build / MARKER).write_text(json.dumps(info, indent=1), encoding="utf-8")
    return out


class StaticEncoder:
    """Weighted mean of the pieces' vectors (no prompts, no special tokens), L2-normalised."""

    def __init__(self, folder: Path):
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.table = np.load(folder / "embeddings.npy").astype(np.float32)
        self.dim = self.table.shape[1]
        self._special = {self.tokenizer.token_to_id(t) for t in ("<s>", "</s>", "<pad>")}

    def encode_passages(self, texts: list[str], batch_size: int = 1024) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts)):
            ids = [i for i in encoding.ids if i not in self._special]
            if ids:
                vector = self.table[ids].mean(axis=0)
                norm = np.linalg.norm(vector)
                out[row] = vector / norm if norm > 0 else vector
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_passages([text])[0]
