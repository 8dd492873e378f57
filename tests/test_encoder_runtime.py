"""The encoder off the critical path (issue 17): the ONNX export of the same model gives the torch model's vectors,
its pruned vocabulary cuts text exactly as the full one, the torch runtime stays available as the fallback, a
table question loads no encoder and `--help` no answer pipeline, an `ask` prints nothing but its answer, and
jieba's dictionary read from frozen arrays cuts exactly as jieba's own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS, ROOT
from index import embedding, tokenize
from index.onnx_export import PROBES, kept_character, pruned_tokenizer

MIN_COSINE = 0.99  # per passage, ONNX int8 against the torch model (issue 17)


@pytest.fixture(scope="module")
def encoders():
    return embedding.get_encoder(runtime="onnx"), embedding.get_encoder(runtime="torch")


def test_the_onnx_runtime_is_the_default_and_agrees_with_torch_on_every_passage(encoders, corpus_store):
    from index.search_index import dense_input

    onnx, torch = encoders
    assert onnx.runtime == "onnx" and not onnx.note and torch.runtime == "torch"
    texts = [dense_input(p["section"], p["text"]) for p in corpus_store.passages()] + list(PROBES)
    a, b = onnx.encode_passages(texts), torch.encode_passages(texts)
    cosines = np.sum(a * b, axis=1)
    assert a.dtype == np.float32 and np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-4)
    assert cosines.min() >= MIN_COSINE, (cosines.min(), texts[int(cosines.argmin())][:40])
    q = "洋湖乡2023年收到多少政府信息公开申请"
    assert float(onnx.encode_query(q) @ torch.encode_query(q)) >= MIN_COSINE
    # int8 activations are quantized per batch, so a passage's vector moves a little with its batch mates: never
    # beyond the agreement asked of the runtime (a question is always encoded alone)
    alone = onnx.encode_passages(texts[:12], batch_size=1)
    assert np.sum(alone * a[:12], axis=1).min() >= MIN_COSINE


def test_the_pruned_vocabulary_cuts_chinese_and_ascii_text_as_the_full_one(model_dir):
    from tokenizers import Tokenizer

    source = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    pruned, keep = pruned_tokenizer(source)
    assert len(keep) < len(source["model"]["vocab"]) / 2
    full = Tokenizer.from_str(json.dumps(source))
    small = Tokenizer.from_str(json.dumps(pruned))
    texts = list(PROBES) + [p.read_text(encoding="utf-8")[:3000] for p in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        assert all(kept_character(c) or c in "\t\n\r" for c in text) or text in PROBES
        assert [keep[i] for i in small.encode(text).ids] == full.encode(text).ids, text[:30]
    # a character no kept piece holds is one <unk> (as the full model's unknown characters are)
    assert small.encode("政务\u0e01公开").ids.count(pruned["model"]["unk_id"]) == 1


@pytest.fixture(scope="module")
def model_dir():
    from index.e5_model import ensure_model
    return ensure_model(embedding.models_dir())


def test_without_onnx_runtime_the_torch_model_answers_and_says_so(monkeypatch):
    def no_onnx(folder):
        raise ImportError("No module named 'onnxruntime'")

    monkeypatch.setattr(embedding, "_onnx_backend", no_onnx)
    encoder = embedding.Encoder(runtime="onnx")
    assert encoder.runtime == "torch" and "onnxruntime" in encoder.note
    assert encoder.encode_query("电话").shape == (encoder.dim,)
    with pytest.raises(embedding.EncoderUnavailable, match="runtime"):
        embedding.Encoder(runtime="tensorflow")


def _run(code: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, REPORTQA_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)


_LOADED = ("import sys; from assistant.cli import main; main({argv!r}); "
           "print('LOADED', sorted(m for m in ('onnxruntime', 'torch', 'sentence_transformers', 'faiss', 'numpy') "
           "if m in sys.modules))")


def test_a_table_question_loads_no_encoder_and_help_no_pipeline(tmp_path):
    embedding.get_encoder(runtime="onnx")  # built (once per machine, with a line saying so) before the asks
    home = tmp_path / "home"
    done = _run(f"from assistant.cli import main; main(['ingest', '-q', {str(CORPUS)!r}])", home)
    assert done.returncode == 0, done.stderr
    table = _run(_LOADED.format(argv=["ask", "洋湖乡2023年收到多少政府信息公开申请"]), home)
    assert table.returncode == 0 and "LOADED" in table.stdout, table.stderr
    loaded = table.stdout.split("LOADED")[1]
    assert "onnxruntime" not in loaded and "torch" not in loaded and "sentence_transformers" not in loaded
    assert table.stderr == ""  # quiet: no progress bar, no warning
    text = _run(_LOADED.format(argv=["ask", "洋湖乡政府信息公开工作存在的主要问题是什么"]), home)
    loaded = text.stdout.split("LOADED")[1]
    assert "onnxruntime" in loaded and "torch" not in loaded and "sentence_transformers" not in loaded
    assert text.stderr == ""
    helped = _run("import sys\ntry:\n    from assistant.cli import main; main(['--help'])\nexcept SystemExit: pass\n"
                  "print('LOADED', 'numpy' in sys.modules, 'assistant.answer' in sys.modules)", home)
    assert "LOADED False False" in helped.stdout, helped.stdout + helped.stderr


def test_the_frozen_jieba_dictionary_cuts_as_jiebas_own(monkeypatch):
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts += ["平潭综合实验区2016年各乡镇主动公开了多少条政府信息", "沭阳县因本机关不掌握相关政府信息无法提供的申请"]
    monkeypatch.setattr(tokenize, "FROZEN_CHARS", 10**9)
    frozen = tokenize.Tokenizer(["樟树市洋湖乡", "洋湖乡"])
    assert isinstance(frozen._jieba.FREQ, tokenize.FrozenFreq)
    thawed = tokenize.Tokenizer(["樟树市洋湖乡", "洋湖乡"])
    thawed._thaw()
    assert isinstance(thawed._jieba.FREQ, dict)
    for text in texts:
        assert frozen.tokens(text) == thawed.tokens(text)
    # a tokenizer that goes on to cut long text (ingest) changes to jieba's own dict, words it was given kept
    monkeypatch.setattr(tokenize, "FROZEN_CHARS", 100)
    cutting = tokenize.Tokenizer(["樟树市洋湖乡"])
    cutting.tokens(texts[0][:200])
    assert isinstance(cutting._jieba.FREQ, dict) and "樟树市洋湖乡" in cutting.tokens("樟树市洋湖乡的报告")


def test_the_static_bulk_model_is_a_store_wide_choice_that_still_answers(tmp_path, monkeypatch):
    from assistant.answer import answer_question
    from index.ingest import ingest_paths
    from index.static_model import DIMS
    from index.store import Store

    monkeypatch.setenv("REPORTQA_EMBEDDING_MODEL", embedding.STATIC_MODEL)
    static = embedding.get_encoder()
    assert static.runtime == "static" and static.dim == DIMS
    vectors = static.encode_passages(["联系电话：0795-7317084", "主动公开政府信息250条", ""])
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1, atol=1e-5) and not vectors[2].any()
    store = Store(tmp_path / "reportqa.sqlite3")
    (outcome,) = ingest_paths(store, [next(CORPUS.glob("*.txt"))])
    models = {r[0] for r in store.conn.execute("SELECT DISTINCT vector_model FROM passages")}
    assert outcome.status == "ingested" and models == {embedding.STATIC_MODEL}
    answer = answer_question("洋湖乡2023年政府信息公开工作存在的主要问题是什么", store)
    assert answer.status == "answered" and any("主要问题" in (c.get("section") or "") for c in answer.citations)
    store.close()


def test_one_tokenizer_shared_by_threads_thaws_while_words_are_added(monkeypatch):
    # the app shares one tokenizer between chats, uploads and the index refresh: a thaw (iterating the words added)
    # while another thread added agency names raised "dictionary changed size during iteration" in CI
    import threading
    monkeypatch.setattr(tokenize, "FROZEN_CHARS", 50)
    text = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")[:400]
    errors: list[BaseException] = []
    for round_no in range(3):
        shared = tokenize.Tokenizer()
        start = threading.Barrier(2)

        def add() -> None:
            start.wait()
            try:
                for i in range(3000):
                    shared.add_words([f"测试机关{round_no}第{i}号"])
            except BaseException as exc:  # noqa: BLE001 - any failure in the thread fails the test
                errors.append(exc)

        def cut() -> None:
            start.wait()
            try:
                shared.tokens(text)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=add), threading.Thread(target=cut)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert isinstance(shared._jieba.FREQ, dict)
        # every word added, before or during the thaw, is known to the thawed dictionary
        assert f"测试机关{round_no}第2999号" in shared._jieba.FREQ
