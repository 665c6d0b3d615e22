"""Whole runs on a small config: the run folder, its files, and its atomicity."""

import json
import threading

import pytest
from conftest import write_config

import textcls.experiment as experiment
from textcls.config import load_config
from textcls.experiment import run_experiment

RUN_FILES = {
    "config.yaml",
    "metrics.json",
    "predictions.csv",
    "confusion_theme.png",
    "action_f1.png",
    "model.pkl",
    "model.pkl.sha256",
    "model.json",
}
TOPIC_FILES = {
    "topics.csv",
    "assignments.csv",
    "topics_map.png",
    "topics_words.png",
    "topics_by_theme.png",
    "theme_sizes.png",
    "topic_model",
}


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, small_corpus):
    # One complete run (topics + training) shared by the tests below.
    path = write_config(tmp_path_factory.mktemp("run"), small_corpus)
    return run_experiment(load_config(path), ("topics", "train"))


def test_run_folder_holds_every_output(full_run):
    names = {p.name for p in full_run.path.iterdir()}
    assert names >= RUN_FILES | TOPIC_FILES
    assert full_run.path.parent.name == "small"
    name = full_run.path.name
    assert len(name.split("-")) == 3 and name.endswith(full_run.metrics["config_hash"])


def test_metrics_and_resolved_config_reproduce_the_run(full_run):
    metrics = json.loads((full_run.path / "metrics.json").read_text())
    test = metrics["evaluation"]["test"]
    assert {"accuracy", "macro_f1", "per_class", "confusion"} <= set(test["theme"])
    assert {"micro_f1", "macro_f1", "per_label"} <= set(test["actions"])
    assert test["count"] == metrics["data"]["test"]
    assert {"embed", "topics", "train", "evaluate"} <= set(metrics["timings_s"])
    assert {"nmi", "ari", "purity"} == set(metrics["topics"]["topics_vs_gold"])
    assert metrics["cleaning"]["characters_removed"] > 0
    environment = metrics["environment"]
    assert environment["torch"]["cpu_capability"] and environment["numba"]["cpu"]
    assert environment["libraries"]["umap-learn"] != "not installed" and environment["blas"]
    assert metrics["cleaning"]["reports_over_half"] == []
    resolved = load_config(full_run.path / "config.yaml")
    assert resolved.digest() == metrics["config_hash"]
    model_info = json.loads((full_run.path / "model.json").read_text())
    assert model_info["config_hash"] == metrics["config_hash"]
    assert len(model_info["training_data_sha256"]) == 64
    assert model_info["metrics"]["test"]["theme_macro_f1"] == test["theme"]["macro_f1"]


def test_predictions_csv_has_one_row_per_test_report(full_run):
    lines = (full_run.path / "predictions.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header[:6] == [
        "id",
        "gold_theme",
        "predicted_theme",
        "theme_score",
        "correct_theme",
        "gold_actions",
    ]
    assert len(lines) - 1 == full_run.metrics["data"]["test"]


def test_a_failing_stage_leaves_no_finished_looking_folder(small_config, monkeypatch):
    config = load_config(small_config(topics={"enabled": False}, evaluate={"plots": False}))
    earlier = run_experiment(config, ("train",)).path
    before = sorted(earlier.parent.iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(experiment, "evaluate", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_experiment(config, ("train",))
    assert sorted(earlier.parent.iterdir()) == before
    assert (earlier / "model.pkl").exists()


def test_two_runs_of_one_config_at_once_do_not_clobber(small_config):
    config = load_config(
        small_config(
            topics={"enabled": False},
            evaluate={"plots": False},
            features={"embeddings": False, "tfidf": True},
        )
    )
    results, errors = [], []

    def go():
        try:
            results.append(run_experiment(config, ("train",)).path)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 2
    for path in results:
        assert (path / "metrics.json").exists() and (path / "model.pkl").exists()
