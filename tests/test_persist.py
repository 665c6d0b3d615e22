"""Saved models: verified before unpickling, usable from a fresh process."""

import json
import subprocess
import sys
import warnings

import joblib
import pytest

from textcls import persist
from textcls.classify import EnforcementClassifier
from textcls.errors import ModelIntegrityError, TextclsError
from textcls.labels import LabelScheme
from textcls.persist import load_model, save_model


def _copy(source, target, *names):
    for name in names:
        (target / name).write_bytes((source / name).read_bytes())


@pytest.fixture(scope="module")
def saved(tmp_path_factory, small_corpus, scheme, embedder):
    folder = tmp_path_factory.mktemp("model")
    model = EnforcementClassifier(embedder=embedder, thresholds="fixed").fit(
        small_corpus.documents, small_corpus.themes, small_corpus.actions
    )
    save_model(model, folder, scheme, {"note": "test"})
    return folder, model


def test_files_and_metadata(saved, scheme):
    folder, _ = saved
    info = json.loads((folder / "model.json").read_text())
    assert info["label_fingerprint"] == scheme.fingerprint()
    assert info["libraries"]["scikit-learn"] and info["note"] == "test"
    digest = (folder / "model.pkl.sha256").read_text().split()[0]
    assert digest == info["model_sha256"]
    # no transformer weights inside: MiniLM alone is ~90 MB
    assert (folder / "model.pkl").stat().st_size < 2_000_000


def test_load_model_round_trip_in_a_fresh_process(saved, small_corpus):
    folder, model = saved
    text = small_corpus[3].document
    expected = model.predict([text])[0]
    script = (
        "import json, sys, textcls; m = textcls.load_model(sys.argv[1]);"
        "p = m.predict([sys.argv[2]])[0]; print(json.dumps([p.theme, p.actions]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(folder), text],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(out.stdout) == [expected.theme, expected.actions]
    plain = (
        "import joblib, sys; m = joblib.load(sys.argv[1]);print(m.predict([sys.argv[2]])[0].theme)"
    )
    out = subprocess.run(
        [sys.executable, "-c", plain, str(folder / "model.pkl"), text],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert out.stdout.strip() == expected.theme


def test_a_changed_pickle_is_refused_before_unpickling(saved, tmp_path, monkeypatch):
    folder, _ = saved
    _copy(folder, tmp_path, "model.pkl", "model.pkl.sha256", "model.json")
    blob = bytearray((tmp_path / "model.pkl").read_bytes())
    blob[len(blob) // 2] ^= 0x01
    (tmp_path / "model.pkl").write_bytes(bytes(blob))
    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("unpickled anyway"))
    with pytest.raises(ModelIntegrityError, match=r"does not match model\.pkl\.sha256"):
        load_model(tmp_path)
    (tmp_path / "model.pkl.sha256").unlink()
    with pytest.raises(ModelIntegrityError, match="missing; refusing to unpickle"):
        load_model(tmp_path / "model.pkl")


def test_the_checked_bytes_are_the_ones_unpickled(saved, tmp_path, monkeypatch):
    # A file swapped between the hash check and unpickling must not be loaded.
    folder, model = saved
    _copy(folder, tmp_path, "model.pkl", "model.pkl.sha256", "model.json")
    read_info = persist.read_model_info

    def swap_then_read(path):
        joblib.dump({"not": "the checked model"}, tmp_path / "model.pkl")
        return read_info(path)

    monkeypatch.setattr(persist, "read_model_info", swap_then_read)
    loaded = load_model(tmp_path)
    assert isinstance(loaded, EnforcementClassifier) and loaded.themes_ == model.themes_


def test_other_library_versions_warn_and_other_label_scheme_errors(saved, tmp_path, scheme):
    folder, _ = saved
    _copy(folder, tmp_path, "model.pkl", "model.pkl.sha256")
    info = json.loads((folder / "model.json").read_text())
    info["libraries"]["scikit-learn"] = "0.1.0"
    (tmp_path / "model.json").write_text(json.dumps(info))
    with pytest.warns(UserWarning, match=r"scikit-learn 0.1.0 -> "):
        load_model(tmp_path)
    other = LabelScheme.from_dict(
        {"themes": {"a": {}, "b": {}}, "actions": {"x": {}}}, source="mine.yaml"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TextclsError, match=r"another label scheme .* than mine\.yaml"):
            load_model(tmp_path, scheme=other)


# ---- the shareable format -----------------------------------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory, small_corpus, scheme, embedder):
    """A model with every kind of part (embedder, TF-IDF, calibrated heads), exported."""
    from sklearn.svm import LinearSVC

    from textcls.persist import export_model

    folder = tmp_path_factory.mktemp("export")
    model = EnforcementClassifier(
        embedder=embedder, tfidf=True, action_head=LinearSVC(), thresholds="fixed"
    ).fit(small_corpus.documents, small_corpus.themes, small_corpus.actions)
    save_model(model, folder, scheme, {"note": "exported"})
    return export_model(folder, folder / "shared" / "model.skops"), model


def test_a_skops_model_loads_without_unpickling_and_predicts_the_same(
    exported, small_corpus, monkeypatch, scheme
):
    import pickle

    path, model = exported
    for module, name in ((pickle, "loads"), (pickle, "load"), (joblib, "load")):
        monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail("unpickled"))
    loaded = load_model(path, scheme=scheme)
    texts = small_corpus.documents[:5]
    assert loaded.predict(texts) == model.predict(texts)
    assert loaded.tfidf_.vocabulary_ == model.tfidf_.vocabulary_
    _, info = persist.load_model_and_info(path)
    assert info["note"] == "exported" and info["label_fingerprint"] == scheme.fingerprint()


def test_a_tfidf_embedder_model_exports_too(tmp_path, small_corpus, scheme):
    from textcls.embedding import TfidfEmbedder
    from textcls.persist import export_model

    model = EnforcementClassifier(
        embedder=TfidfEmbedder(n_components=20), calibrate_theme=False, thresholds="fixed"
    ).fit(small_corpus.documents, small_corpus.themes, small_corpus.actions)
    save_model(model, tmp_path, scheme)
    loaded = load_model(export_model(tmp_path / "model.pkl", tmp_path / "m.skops"))
    assert loaded.predict(["Police shut 30 gambling sites."]) == model.predict(
        ["Police shut 30 gambling sites."]
    )


def test_pickling_does_not_change_the_live_model(exported):
    import pickle

    _, model = exported
    vocabulary = dict(model.tfidf_.vocabulary_)
    again = pickle.loads(pickle.dumps(model))
    assert model.tfidf_.vocabulary_ == vocabulary == again.tfidf_.vocabulary_
    assert "packed_vocabulary_" not in vars(model.tfidf_)
    assert "packed_vocabulary_" not in vars(again.tfidf_)


def _rewrite_schema(source, target, change):
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as crafted:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "schema.json":
                data = change(data.decode()).encode()
            crafted.writestr(item, data)
    return target


def test_crafted_skops_files_are_refused_with_one_line(exported, tmp_path):
    import os

    import skops.io

    path, _ = exported
    evil = tmp_path / "evil.skops"
    skops.io.dump({"format": persist.SKOPS_FORMAT, "info": {}, "model": os.system}, evil)
    with pytest.raises(ModelIntegrityError, match=r"refusing to load: .*system") as caught:
        load_model(evil)
    assert "\n" not in str(caught.value)
    # A real export whose schema was edited to build another class instead.
    swapped = _rewrite_schema(
        path,
        tmp_path / "swapped.skops",
        lambda schema: schema.replace(
            '"__module__": "textcls.classify"', '"__module__": "subprocess"'
        ).replace('"__class__": "EnforcementClassifier"', '"__class__": "Popen"'),
    )
    with pytest.raises(ModelIntegrityError, match=r"refusing to load: .*subprocess.Popen"):
        load_model(swapped)
    (tmp_path / "junk.skops").write_bytes(b"not a zip at all")
    with pytest.raises(ModelIntegrityError, match=r"not a valid textcls \.skops model"):
        load_model(tmp_path / "junk.skops")
    skops.io.dump({"just": "a dict"}, tmp_path / "other.skops")
    with pytest.raises(ModelIntegrityError, match=r"not a textcls \.skops model"):
        load_model(tmp_path / "other.skops")


def test_export_names_a_type_missing_from_the_trusted_list(exported, tmp_path, monkeypatch):
    from textcls.persist import export_model

    path, _ = exported
    monkeypatch.setattr(persist, "SAFE_TYPES", persist.SAFE_TYPES[1:])
    with pytest.raises(
        TextclsError,
        match=r"not trusted \(textcls.classify.Enforcement"
        r"Classifier\); add them to textcls.persist",
    ):
        export_model(path.parent.parent, tmp_path / "m.skops")
    with pytest.raises(TextclsError, match=r"must end in \.skops"):
        export_model(path.parent.parent, tmp_path / "m.zip")
