"""The catalogue of failure cases (issue 6): each bad input gets a clear answer.

For the command line: exit code 2 and one line naming the file, line and key.
For the API: a specific exception type with that message. Nothing already
written is lost.
"""

import json
import os
import threading

import pytest
from conftest import LABELS, write_config

import textcls.experiment as experiment
from textcls.cli import main
from textcls.config import load_config
from textcls.corpus import load_corpus
from textcls.errors import ConfigError, InputError, ModelIntegrityError
from textcls.labels import LabelScheme
from textcls.persist import load_model

GOOD = {
    "id": "r1",
    "text": "Police shut 30 gambling sites.",
    "theme": "fraud_platforms",
    "actions": ["platform_action"],
}


def cli_error(capsys, argv) -> str:
    """Run the CLI, expect exit 2 and exactly one line on stderr; return that line."""
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1, err
    return err[0]


def corpus_case(tmp_path, content: bytes, name="reports.jsonl"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "content, expected",
    [
        # 1. empty corpus file
        (b"", "reports.jsonl: contains no reports"),
        # 2. a JSONL line that is not JSON
        (json.dumps(GOOD).encode() + b"\n{'id': 2}\n", "reports.jsonl, line 2: not valid JSON"),
        # 3. empty or whitespace-only text
        (json.dumps({**GOOD, "text": " \t "}).encode(), "line 1, field 'text': text is empty"),
        # 4. invalid UTF-8 bytes
        (b'{"id": "r1", "text": "\xff\xfe"}\n', "line 1: not valid UTF-8"),
        # 5. unknown theme or action
        (
            json.dumps({**GOOD, "theme": "Fraud"}).encode(),
            "line 1, field 'theme': unknown theme 'Fraud'; expected one of",
        ),
        (
            json.dumps({**GOOD, "actions": ["ban"]}).encode(),
            "field 'actions': unknown action 'ban'",
        ),
        # 6. a missing required field
        (
            json.dumps({"id": "r1", "theme": "rumors"}).encode(),
            "line 1, field 'text': required field is missing",
        ),
        # 7. duplicate ids
        (
            (json.dumps(GOOD) + "\n" + json.dumps(GOOD)).encode(),
            "line 2, field 'id': duplicate id 'r1' (first seen on line 1)",
        ),
    ],
)
def test_bad_corpus_files(tmp_path, capsys, content, expected):
    path = corpus_case(tmp_path, content)
    line = cli_error(capsys, ["corpus", "validate", str(path)])
    assert line.startswith(f"error: {path}") and expected in line
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_corpus(path, LabelScheme.from_yaml(LABELS))


def test_8_csv_with_the_wrong_columns(tmp_path, capsys):
    path = corpus_case(tmp_path, b"headline,body\nx,y\n", "r.csv")
    line = cli_error(capsys, ["corpus", "stats", str(path)])
    assert f"{path}, line 1, field 'id': missing column(s) id, text" in line


def write_yaml(tmp_path, text: str):
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, expected",
    [
        # 9. malformed YAML
        ("seed: 3\ndata: {corpus: [\n", "not valid YAML (line 3, column 1"),
        # 10. an unknown key (typo) and a wrong type
        (
            "theme_head: {C: 1.0, calibrat: true}",
            "theme_head.calibrat: unknown key; expected one of model, C, class_weight, calibrate",
        ),
        ("action_head: {threshold: high}", "action_head.threshold: input should be a valid number"),
        # 11. a config pointing to a missing file
        ("data: {corpus: missing.jsonl}", "data.corpus: file not found:"),
    ],
)
def test_bad_configs(tmp_path, capsys, text, expected):
    path = write_yaml(tmp_path, text)
    line = cli_error(capsys, ["train", str(path), "-q"])
    assert line.startswith(f"error: {path}: ") and expected in line
    with pytest.raises(ConfigError):
        load_config(path)


def test_12_model_folder_whose_weights_hash_does_not_match(tmp_path, capsys, small_config):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"tampered weights")
    config = small_config(
        embedder={"model_path": str(folder), "model_sha256": "a" * 64}, topics={"enabled": False}
    )
    line = cli_error(capsys, ["train", str(config), "-q"])
    assert f"{folder}/model.safetensors: sha256 is" in line and "expected aaaa" in line
    assert not list((tmp_path / "experiments").rglob("model.pkl"))


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, small_corpus):
    config = write_config(
        tmp_path_factory.mktemp("failures"),
        small_corpus,
        name="f",
        topics={"enabled": False},
        evaluate={"plots": False},
    )
    return experiment.run_experiment(load_config(config), ("train",)).path


def copy_model(source, target):
    target.mkdir()
    for name in ("model.pkl", "model.pkl.sha256", "model.json"):
        (target / name).write_bytes((source / name).read_bytes())
    return target


def test_13_changed_model_pickle_is_refused_before_unpickling(run_dir, tmp_path, capsys):
    copied = copy_model(run_dir, tmp_path / "m")
    blob = bytearray((copied / "model.pkl").read_bytes())
    blob[-10] ^= 0x20
    (copied / "model.pkl").write_bytes(bytes(blob))
    reports = tmp_path / "in.jsonl"
    reports.write_text(json.dumps(GOOD) + "\n")
    line = cli_error(capsys, ["predict", str(copied), str(reports)])
    assert "model.pkl: sha256" in line and "Refusing to unpickle" in line
    with pytest.raises(ModelIntegrityError):
        load_model(copied)


def test_14_other_library_versions_warn_and_other_labels_are_an_input_error(
    run_dir, tmp_path, capsys
):
    copied = copy_model(run_dir, tmp_path / "m")
    info = json.loads((copied / "model.json").read_text())
    info["libraries"]["numpy"] = "1.0.0"
    (copied / "model.json").write_text(json.dumps(info))
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({**GOOD, "theme": "spam"}) + "\n")
    with pytest.warns(UserWarning, match="numpy 1.0.0 ->"):
        line = cli_error(capsys, ["eval", str(copied), "--data", str(data)])
    assert "field 'theme': unknown theme 'spam'" in line


def test_15_an_interrupted_run_leaves_no_finished_folder(run_dir, capsys, monkeypatch):
    config = run_dir / "config.yaml"
    before = sorted(run_dir.parent.iterdir())

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(experiment, "train_stage", interrupted)
    assert main(["train", str(config), "-q"]) == 130
    assert sorted(run_dir.parent.iterdir()) == before
    assert not [p for p in run_dir.parent.iterdir() if p.name.startswith(".incomplete")]


def test_16_predict_on_empty_huge_and_non_english_input(run_dir, capsys, tmp_path):
    model = load_model(run_dir)
    assert model.predict([]) == []
    results = model.predict(["x" * 100_000, "警方破获一个电信诈骗团伙。", "Слухи опровергнуты."])
    assert [r.theme in model.themes_ for r in results] == [True] * 3
    reports = tmp_path / "in.jsonl"
    reports.write_text(json.dumps({"id": "big", "text": "Police said " * 10_000}) + "\n")
    assert main(["predict", str(run_dir), str(reports)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "big"


def test_17_corrupt_cache_entry_is_recomputed(tmp_path):
    from textcls.embedding import SentenceEmbedder

    embedder = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    first = embedder.transform(["A rumor about a dam was false."])
    for entry in tmp_path.rglob("*.vec"):
        entry.write_bytes(b"garbage")
    again = SentenceEmbedder(cache_dir=str(tmp_path), progress=False)
    assert (again.transform(["A rumor about a dam was false."]) - first).max() < 1e-5
    assert again.cache_info_["corrupt"] == 1


def test_18_two_runs_started_at_once_keep_both_results(run_dir):
    config = load_config(run_dir / "config.yaml")
    paths = []
    threads = [
        threading.Thread(
            target=lambda: paths.append(experiment.run_experiment(config, ("train",)).path)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 2 and all((p / "model.pkl").exists() for p in paths)
    assert (run_dir / "model.pkl").exists()


def test_unexpected_errors_exit_1_with_a_pointer_to_the_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("textcls.corpus.corpus_stats", lambda c: 1 / 0)
    path = corpus_case(tmp_path, json.dumps(GOOD).encode())
    assert main(["corpus", "stats", str(path)]) == 1
    assert "unexpected error: ZeroDivisionError" in capsys.readouterr().err
    os.environ.pop("TEXTCLS_DEBUG", None)


def test_19_a_skops_model_works_everywhere_and_a_crafted_one_is_refused(run_dir, tmp_path, capsys):
    import skops.io

    shared = tmp_path / "model.skops"
    assert main(["export", str(run_dir), "--format", "skops", "-o", str(shared)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {shared}")
    reports = tmp_path / "in.jsonl"
    reports.write_text(json.dumps(GOOD) + "\n")
    assert main(["predict", str(shared), str(reports)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "r1"
    assert main(["eval", str(shared), "--data", str(reports), "--no-show"]) == 0
    assert "theme_accuracy=" in capsys.readouterr().out
    evil = tmp_path / "evil.skops"
    skops.io.dump({"format": "textcls-skops-1", "info": {}, "model": os.system}, evil)
    line = cli_error(capsys, ["predict", str(evil), str(reports)])
    assert (
        line == f"error: {evil}: refusing to load: it names types that textcls does not "
        "trust (posix.system)"
    )
