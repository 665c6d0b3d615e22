"""The bundled MiniLM, its verification and the embedding cache, with the real model."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from textcls.cache import EmbeddingCache, text_key
from textcls.embedding import SentenceEmbedder, TfidfEmbedder
from textcls.errors import ConfigError, ModelIntegrityError
from textcls.weights import BUNDLED_SHA256, resolve_model

TEXTS = [
    "Police arrested twelve people who ran an online gambling website.",
    "Officers detained suspects operating an internet casino platform.",
    "The recipe calls for two cups of flour and a pinch of salt.",
]


def test_bundled_weights_are_verified_and_give_384_d_unit_vectors(tmp_path):
    assert resolve_model().sha256 == BUNDLED_SHA256
    vectors = SentenceEmbedder(cache_dir=str(tmp_path), progress=False).transform(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_similar_reports_score_higher_than_unrelated_text(embedder):
    a, b, c = embedder.transform(TEXTS)
    assert a @ b > 0.4 and a @ b > a @ c + 0.3


def test_cache_returns_identical_vectors_without_running_the_model(tmp_path):
    first = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    vectors = first.transform(TEXTS)
    assert first.cache_info_ == {"hits": 0, "misses": 3, "corrupt": 0}
    second = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    again = second.transform(TEXTS)
    assert second.cache_info_["hits"] == 3 and second.cache_info_["misses"] == 0
    assert getattr(second, "_model", None) is None, "the model was loaded on a warm cache"
    assert np.array_equal(vectors, again)


def test_a_vector_does_not_depend_on_the_texts_embedded_with_it(tmp_path):
    # The cache stores one vector per text, so the vector must be the same whether
    # the text was embedded alone or among longer and shorter texts.
    alone = SentenceEmbedder(cache_dir=str(tmp_path / "a"), progress=False, batch_size=8).transform(
        TEXTS[:1]
    )
    crowd = [TEXTS[0], "Short.", TEXTS[2] * 5, *TEXTS[1:]] * 3
    together = SentenceEmbedder(
        cache_dir=str(tmp_path / "b"), progress=False, batch_size=8
    ).transform(crowd)
    assert np.array_equal(alone[0], together[0]) and np.array_equal(alone[0], together[5])


def test_a_corrupt_cache_entry_is_detected_and_recomputed(tmp_path):
    embedder = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    original = embedder.transform(TEXTS[:1])
    entry = next(tmp_path.rglob(f"{text_key(TEXTS[0])}.vec"))
    blob = bytearray(entry.read_bytes())
    blob[20] ^= 0xFF
    entry.write_bytes(bytes(blob))
    fresh = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    assert np.allclose(fresh.transform(TEXTS[:1]), original, atol=1e-5)
    assert fresh.cache_info_ == {"hits": 0, "misses": 1, "corrupt": 1}
    assert EmbeddingCache(tmp_path, entry.parent.parent.name).get(text_key(TEXTS[0])) is not None


def test_truncated_cache_entry_is_not_used(tmp_path):
    cache = EmbeddingCache(tmp_path, "ns")
    cache.put("ab" * 32, np.arange(4, dtype=np.float32))
    path = next(tmp_path.rglob("*.vec"))
    path.write_bytes(path.read_bytes()[:-3])
    assert cache.get("ab" * 32) is None and cache.corrupt_entries == 1


def test_wrong_weights_hash_is_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="expected 0000"):
        SentenceEmbedder(model_sha256="0" * 64, use_cache=False).transform(["x"])
    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not really weights")
    with pytest.raises(ModelIntegrityError, match="sha256 is"):
        resolve_model(fake, expected_sha256=BUNDLED_SHA256)
    with pytest.raises(ConfigError, match="model folder not found"):
        resolve_model(tmp_path / "missing")


def test_pickled_embedder_holds_no_weights_and_works_in_a_fresh_process(tmp_path, embedder):
    embedder.transform(TEXTS[:1])  # loads the model into this instance
    blob = pickle.dumps(embedder)
    assert len(blob) < 2000
    path = tmp_path / "embedder.pkl"
    path.write_bytes(blob)
    expected = embedder.transform(TEXTS[:1])[0]
    script = (
        f"import pickle, numpy as np; e = pickle.load(open({str(path)!r}, 'rb'));"
        f"e.cache_dir = {str(tmp_path / 'fresh')!r}; "
        f"v = e.transform([{TEXTS[0]!r}])[0]; "
        f"print(e.cache_info_['misses'], ' '.join(f'{{x:.6f}}' for x in v[:5]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    ).stdout.split()
    assert out[0] == "1"  # it really ran the reloaded model
    assert np.allclose([float(x) for x in out[1:]], expected[:5], atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.transform([]).shape == (0, 384)


def test_tfidf_embedder_is_a_fast_stand_in():
    texts = [
        *TEXTS,
        "Gambling websites were shut by police.",
        "Flour, salt and water.",
        "Online casino operators were detained.",
    ]
    vectors = TfidfEmbedder(n_components=3).fit_transform(texts)
    assert vectors.shape == (6, 3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


LONG = " ".join(
    f"Report part {i}: police closed gambling sites and detained suspects." for i in range(12)
)


def test_chunk_reads_every_word_and_leaves_texts_that_fit_unchanged(tmp_path):
    truncate = SentenceEmbedder(
        cache_dir=str(tmp_path), max_seq_length=32, long_text="truncate", progress=False
    )
    chunk = SentenceEmbedder(
        cache_dir=str(tmp_path), max_seq_length=32, long_text="chunk", progress=False
    )
    tail_a, tail_b = " The recipe needs flour.", " Bitcoin trading was banned."
    assert np.array_equal(truncate.transform([LONG + tail_a]), truncate.transform([LONG + tail_b]))
    a, b = chunk.transform([LONG + tail_a, LONG + tail_b])
    assert not np.allclose(a, b, atol=1e-3) and np.isclose(np.linalg.norm(a), 1.0, atol=1e-5)
    assert np.array_equal(chunk.transform(TEXTS[:1]), truncate.transform(TEXTS[:1]))
    # Windows are cut at word starts, each within the model's window, every token used.
    pieces, counts = chunk._windows([LONG])[0]
    tokenizer = chunk._load_model().tokenizer
    assert len(pieces) > 1 and max(counts) <= 30
    assert sum(counts) == len(tokenizer(LONG, add_special_tokens=False)["input_ids"])
    assert [len(tokenizer(p, add_special_tokens=False)["input_ids"]) for p in pieces] == counts


def test_chunk_vectors_do_not_depend_on_the_texts_embedded_with_them(tmp_path):
    alone = SentenceEmbedder(
        cache_dir=str(tmp_path / "a"),
        max_seq_length=32,
        long_text="chunk",
        batch_size=4,
        progress=False,
    ).transform([LONG])
    crowd = [TEXTS[0], LONG, "Short.", LONG + " More words here.", TEXTS[2] * 5]
    together = SentenceEmbedder(
        cache_dir=str(tmp_path / "b"),
        max_seq_length=32,
        long_text="chunk",
        batch_size=4,
        progress=False,
    ).transform(crowd)
    assert np.array_equal(alone[0], together[1])


def test_chunk_embeds_a_200_kb_report_with_bounded_memory(tmp_path):
    script = f"""
import resource, sys
from textcls.embedding import SentenceEmbedder
report = "The cyberspace office closed 300 accounts that promoted bitcoin trading. " * 2800
assert len(report) > 200_000
embedder = SentenceEmbedder(cache_dir={str(tmp_path)!r}, long_text="chunk", progress=False)
embedder.transform(["warm-up"])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
vector = embedder.transform([report])
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(grown // 1024, vector.shape[0], abs(float((vector ** 2).sum()) - 1) < 1e-4)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=True
    ).stdout.split()
    assert out[1:] == ["1", "True"]
    assert int(out[0]) < 400, f"peak memory grew by {out[0]} MB"


def test_a_warm_cache_transform_imports_no_torch(tmp_path):
    SentenceEmbedder(cache_dir=str(tmp_path), progress=False).transform(TEXTS)
    script = (
        f"import sys; from textcls.embedding import SentenceEmbedder; "
        f"e = SentenceEmbedder(cache_dir={str(tmp_path)!r}, progress=False); "
        f"e.transform({TEXTS!r}); "
        f"print(e.cache_info_['hits'], sorted(m for m in ('torch', 'transformers', "
        f"'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    assert out.strip() == "3 []"
