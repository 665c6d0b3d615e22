"""The static embedder: distilled offline from the bundled MiniLM, cached, verified, fast."""

import json
import os
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pytest

from textcls.classify import EnforcementClassifier
from textcls.config import load_config
from textcls.experiment import run_experiment
from textcls.static import MANIFEST, StaticEmbedder, distilled_folder
from textcls.weights import ResolvedModel, file_sha256, resolve_model

TEXTS = [
    "Police arrested twelve people who ran an online gambling website.",
    "Officers detained suspects operating an internet casino platform.",
    "The recipe calls for two cups of flour and a pinch of salt.",
]


@pytest.fixture(scope="module")
def static():
    """The embedder over the shared cache: distilled once per machine (about a minute)."""
    return StaticEmbedder()


def test_unit_vectors_that_read_the_whole_text_and_do_not_depend_on_their_batch(static):
    vectors = static.transform(TEXTS)
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    a, b, c = vectors
    assert a @ b > a @ c + 0.2
    long = TEXTS[2] + " filler" * 600 + " gambling casino police"
    assert not np.array_equal(static.transform([long]), static.transform([long[:-24]]))
    crowd = static.transform([TEXTS[1], "Short.", TEXTS[2] * 40, TEXTS[0]] * 3)
    assert np.array_equal(crowd[3], a) and np.array_equal(crowd[11], a)


def test_empty_and_unknown_only_texts_give_zero_vectors_and_no_nan_downstream(static, small_corpus):
    vectors = static.transform(["", "🦜🦜 🦜", "   "])
    assert vectors.shape == (3, 256) and not vectors.any()
    model = EnforcementClassifier(embedder=static, thresholds="fixed", calibrate_theme=False)
    model.fit(small_corpus.documents, small_corpus.themes, small_corpus.actions)
    texts = ["", "🦜🦜", TEXTS[0]]
    themes, actions = model.predict_proba(texts), model.predict_action_scores(texts)
    assert np.isfinite(themes).all() and np.isfinite(actions).all()
    assert static.transform([]).shape == (0, 256)


def test_a_tampered_model_is_detected_and_distilled_again_to_the_same_bits(static, tmp_path):
    # Copies the shared model into a private cache, changes one byte, and checks that
    # the rebuild reproduces the original bits: detection and determinism in one go.
    shared = static.distilled_path()
    original = file_sha256(shared / "model.safetensors")
    private = tmp_path / shared.name
    shutil.copytree(shared, private)
    weights = private / "model.safetensors"
    blob = bytearray(weights.read_bytes())
    blob[-5] ^= 0x01
    weights.write_bytes(bytes(blob))
    rebuilt = StaticEmbedder(cache_dir=str(tmp_path))
    assert rebuilt.distilled_path() == private
    assert file_sha256(weights) == original
    manifest = json.loads((private / MANIFEST).read_text())
    assert manifest["sha256"]["model.safetensors"] == original
    assert np.array_equal(rebuilt.transform(TEXTS), static.transform(TEXTS))


def test_the_cache_key_holds_the_teacher_hash_and_the_settings(tmp_path):
    teacher = resolve_model()
    other_teacher = ResolvedModel(teacher.path, "0" * 64, teacher.name)
    names = {
        distilled_folder(teacher, tmp_path, 256).name,
        distilled_folder(teacher, tmp_path, 128).name,
        distilled_folder(other_teacher, tmp_path, 256).name,
    }
    assert len(names) == 3
    assert distilled_folder(teacher, tmp_path, 256) == distilled_folder(teacher, tmp_path, 256)


def test_pickled_embedder_holds_no_model(static):
    static.transform(TEXTS[:1])
    blob = pickle.dumps(static)
    assert len(blob) < 1000
    assert np.array_equal(pickle.loads(blob).transform(TEXTS[:1]), static.transform(TEXTS[:1]))


def test_static_config_runs_topics_and_training(small_config, static):
    static.distilled_path()  # the shared model, so the run does not distill
    config = load_config(
        small_config(
            embedder={"kind": "static"},
            evaluate={"plots": False},
            features={"embeddings": True, "tfidf": True},
        )
    )
    result = run_experiment(config, ("topics", "train"))
    assert result.metrics["topics"]["topics"] >= 1
    assert 0 <= result.metrics["evaluation"]["test"]["theme"]["macro_f1"] <= 1


def test_importing_the_static_embedder_switches_the_hub_libraries_offline():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_OFFLINE")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, textcls.static; print("
            "os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["1", "1"]
