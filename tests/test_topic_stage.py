"""Topics for large piles: `textcls topics --sample N` fits on a sample and assigns the rest."""

import csv
import json
import shutil
from collections import Counter

import numpy as np
import pytest
import yaml
from conftest import REPO, write_config

from textcls.cli import main
from textcls.config import load_config
from textcls.corpus import Report
from textcls.errors import InputError
from textcls.experiment import run_experiment, with_corpus
from textcls.static import StaticEmbedder
from textcls.synthetic import write_recombined
from textcls.topic_stage import Reservoir
from textcls.topics import ThemeTopicModel

PILE, SAMPLE = 20_000, 5_000


def test_a_reservoir_sample_is_uniform_ordered_and_repeatable():
    counts: Counter = Counter()
    for seed in range(3000):
        reservoir = Reservoir(3, seed=seed)
        for letter in "abcdefghij":
            reservoir.add(letter)
        picked = reservoir.items()
        assert [p for p, _ in picked] == sorted(p for p, _ in picked)
        counts.update(letter for _, letter in picked)
    assert all(abs(counts[letter] / 3000 - 0.3) < 0.04 for letter in "abcdefghij")
    again = Reservoir(3, seed=5)
    for letter in "abcdefghij":
        again.add(letter)
    first = Reservoir(3, seed=5)
    assert list(first.feed("abcdefghij")) == list("abcdefghij")
    assert first.items() == again.items()
    short = Reservoir(5)
    short.add("x")
    assert short.items() == [(0, "x")]


@pytest.fixture(scope="module")
def sampled_run(tmp_path_factory, corpus):
    """`textcls topics` with the fast config on 20,000 reports recombined within themes."""
    folder = tmp_path_factory.mktemp("sampled")
    pile = write_recombined(folder / "pile.jsonl", corpus, PILE, seed=7, keep_theme=True)
    settings = yaml.safe_load((REPO / "configs" / "fast.yaml").read_text())
    settings["output_dir"] = str(folder)
    settings["data"] = {"corpus": str(REPO / "corpus" / "reports.jsonl"), "splits": None}
    settings["data"]["labels"] = str(REPO / "configs" / "labels.yaml")
    config = folder / "fast.yaml"
    config.write_text(yaml.safe_dump(settings))
    StaticEmbedder().distilled_path()  # the shared distilled model: the run does not distill
    assert main(["topics", str(config), "--data", str(pile), "--sample", str(SAMPLE), "-q"]) == 0
    (run,) = (folder / "fast").iterdir()
    return pile, run


def test_every_report_of_the_pile_gets_a_topic_and_a_theme_in_input_order(sampled_run):
    pile, run = sampled_run
    rows = list(csv.DictReader((run / "assignments.csv").open()))
    ids = [json.loads(line)["id"] for line in pile.open()]
    assert [r["id"] for r in rows] == ids
    assert all(r["topic"] and r["theme"] and r["gold_theme"] for r in rows)
    assert Counter(r["fitted"] for r in rows) == {"1": SAMPLE, "0": PILE - SAMPLE}
    topics = list(csv.DictReader((run / "topics.csv").open()))
    assert sum(int(t["size"]) for t in topics) == PILE
    for figure in ("topics_map.png", "topics_words.png", "topics_by_theme.png", "theme_sizes.png"):
        assert (run / figure).stat().st_size > 0


def test_the_rest_is_assigned_as_well_as_the_sample_was_clustered(sampled_run):
    _, run = sampled_run
    metrics = json.loads((run / "metrics.json").read_text())
    topics = metrics["topics"]
    assert topics["sample"]["reports"] == SAMPLE and topics["sample"]["of"] == PILE
    assert metrics["data"]["reports"] == PILE
    everything, sample = topics["topics_vs_gold"]["nmi"], topics["sample"]["topics_vs_gold"]["nmi"]
    assert everything > 0.6 and everything > sample - 0.05
    saved = yaml.safe_load((run / "config.yaml").read_text())
    assert saved["topics"]["sample"] == SAMPLE and saved["data"]["corpus"].endswith("pile.jsonl")


def test_the_stored_topic_model_assigns_new_reports_as_the_run_did(sampled_run):
    pile, run = sampled_run
    rows = list(csv.DictReader((run / "assignments.csv").open()))
    reports = [json.loads(line) for line in pile.open()]
    rest = [i for i, row in enumerate(rows) if row["fitted"] == "0"][:300]
    model = ThemeTopicModel.load(run / "topic_model", embedder=StaticEmbedder())
    documents = [Report(**reports[i]).document for i in rest]
    assigned = model.transform(documents)
    assert assigned.topics == [int(rows[i]["topic"]) for i in rest]


def test_the_corpus_and_the_sample_count_in_the_run_hash(small_config, tmp_path):
    config = load_config(small_config())
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "a", "text": "Police closed a gambling site."}\n')
    assert with_corpus(config, other).digest() != config.digest()
    assert with_corpus(config, other).data.corpus == other.resolve()
    sampled = load_config(small_config(topics={"sample": 50}))
    assert sampled.digest() != config.digest()


def test_a_sample_larger_than_the_pile_fits_everything(small_config, small_corpus):
    config = load_config(small_config(topics={"sample": 10_000}, evaluate={"plots": False}))
    metrics = run_experiment(config, ("topics",)).metrics
    assert metrics["topics"]["sample"]["reports"] == len(small_corpus)
    assert metrics["topics"]["sample"]["assigned"] == 0
    assert metrics["data"]["reports"] == len(small_corpus)


def test_bad_rows_stop_the_sampled_stage_or_are_listed(tmp_path, small_corpus):
    path = write_config(tmp_path, small_corpus, topics={"sample": 40}, evaluate={"plots": False})
    data = tmp_path / "data.jsonl"
    with data.open("a") as out:
        out.write('{"id": "bad", "title": "no text"}\n')
    with pytest.raises(InputError) as error:
        run_experiment(load_config(path), ("topics",))
    assert f"{data}, line {len(small_corpus) + 1}, field 'text'" in str(error.value)
    skipping = load_config(path, {"data": {"on_error": "skip"}})
    metrics = run_experiment(skipping, ("topics",)).metrics
    assert metrics["data"]["reports"] == len(small_corpus) and len(metrics["data"]["skipped"]) == 1


def test_topics_on_a_handful_of_reports_of_one_theme(small_config, small_corpus, tmp_path, capsys):
    config = small_config(evaluate={"plots": False})
    few = tmp_path / "few.jsonl"
    few.write_text(
        "".join(
            json.dumps({"id": r.id, "text": r.text}) + "\n"
            for r in small_corpus
            if r.theme == small_corpus[0].theme
        )
    )
    assert main(["topics", str(config), "--data", str(few), "-q"]) == 0
    assert "topics:" in capsys.readouterr().out


def test_a_topic_model_saved_before_voting_assigns_by_centroid(sampled_run, tmp_path):
    _, run = sampled_run
    old = tmp_path / "old_model"
    shutil.copytree(run / "topic_model", old)
    for name in ("neighbor_vectors.npy", "neighbor_topics.npy"):
        (old / name).unlink()
    model = ThemeTopicModel.load(old, embedder=StaticEmbedder())
    assert model.neighbors == 0
    vectors = np.random.default_rng(0).random((3, 256)).astype(np.float32)
    assert len(model.transform(["a", "b", "c"], vectors).topics) == 3
