"""Saved models: verified before unpickling, usable from a fresh process."""
import json
import subprocess
import sys
import warnings

import joblib
import pytest

from textcls.classify import EnforcementClassifier
from textcls.errors import ModelIntegrityError, TextclsError
from textcls import persist
from textcls.labels import LabelScheme
from textcls.persist import load_model, save_model


def _copy(source, target, *names):
    for name in names:
        (target / name).write_bytes((source / name).read_bytes())


@pytest.fixture(scope="module")
def saved(tmp_path_factory, small_corpus, scheme, embedder):
    folder = tmp_path_factory.mktemp("model")
    model = EnforcementClassifier(embedder=embedder, thresholds="fixed").fit(
        small_corpus.documents, small_corpus.themes, small_corpus.actions)
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
    script = ("import json, sys, textcls; m = textcls.load_model(sys.argv[1]);"
              "p = m.predict([sys.argv[2]])[0]; print(json.dumps([p.theme, p.actions]))")
    out = subprocess.run([sys.executable, "-c", script, str(folder), text], capture_output=True,
                         text=True, timeout=300, check=True)
    assert json.loads(out.stdout) == [expected.theme, expected.actions]
    plain = ("import joblib, sys; m = joblib.load(sys.argv[1]);"
             "print(m.predict([sys.argv[2]])[0].theme)")
    out = subprocess.run([sys.executable, "-c", plain, str(folder / "model.pkl"), text],
                         capture_output=True, text=True, timeout=300, check=True)
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
    other = LabelScheme.from_dict({"themes": {"a": {}, "b": {}}, "actions": {"x": {}}},
                                  source="mine.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TextclsError, match=r"another label scheme .* than mine\.yaml"):
            load_model(tmp_path, scheme=other)
