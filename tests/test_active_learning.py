"""Suggesting what to label next: uncertainty, diversity, and the awkward piles."""

import json

import pytest
from conftest import write_config

from textcls.cli import main
from textcls.corpus import load_corpus

TFIDF = {"features": {"embeddings": False, "tfidf": True}, "topics": {"enabled": False}}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, small_corpus):
    folder = tmp_path_factory.mktemp("suggest")
    config = write_config(folder, small_corpus, name="suggest", **TFIDF)
    assert main(["train", str(config), "-q"]) == 0
    return next((folder / "experiments" / "suggest").iterdir())


@pytest.fixture()
def pile(corpus, small_corpus, write_jsonl):
    """Unlabeled reports the model did not train on: 10 stories, each in 5 near-copies."""
    seen = set(small_corpus.ids)
    stories = [r for r in corpus if r.id not in seen][:10]
    rows = [
        {"id": f"{r.id}-{k}", "title": r.title, "text": f"{r.text}\n\nUpdated edition {k}."}
        for r in stories
        for k in range(5)
    ]
    return write_jsonl(rows, "pile.jsonl")


def test_diverse_suggestions_are_not_near_duplicates(run_dir, pile, tmp_path, capsys):
    out = tmp_path / "to_label.jsonl"
    assert main(["suggest", str(run_dir), str(pile), "-n", "10", "-o", str(out)]) == 0
    assert f"wrote 10 reports to label to {out}" in capsys.readouterr().out
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len({r["id"].rsplit("-", 1)[0] for r in rows}) == 10  # one copy of each story
    assert all(r["theme"] == "" and r["actions"] == [] and r["hint_theme"] for r in rows)
    assert {"id", "title", "text", "hint_actions", "hint_theme_score"} <= set(rows[0])
    assert not load_corpus(out).labeled  # ready to fill in and load back

    assert main(["suggest", str(run_dir), str(pile), "-n", "10", "--strategy", "uncertainty"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    scores = [r["uncertainty"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert len({r["id"].rsplit("-", 1)[0] for r in rows}) < 10  # near-copies side by side


def test_more_than_the_pile_gives_a_shorter_list(run_dir, pile, capsys):
    assert main(["suggest", str(run_dir), str(pile), "-n", "80", "--strategy", "random"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 50
    assert "asked for 80 but only 50 distinct unlabeled reports" in captured.err


def test_a_pile_of_duplicates_gives_one_suggestion(run_dir, corpus, write_jsonl, capsys):
    text = corpus[0].text
    path = write_jsonl([{"id": f"d{k}", "text": text + " " * k} for k in range(6)])
    assert main(["suggest", str(run_dir), str(path)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["d0"]
    assert "dropped 5 duplicate reports" in captured.err


def test_empty_or_labeled_piles_are_clear_errors(run_dir, tmp_path, small_corpus, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["suggest", str(run_dir), str(empty)]) == 2
    assert "holds no .txt files" in capsys.readouterr().err
    labeled = write_config(tmp_path, small_corpus, name="labeled").parent / "data.jsonl"
    assert main(["suggest", str(run_dir), str(labeled)]) == 2
    assert "nothing to suggest: none of the 90 reports is unlabeled" in capsys.readouterr().err
    assert main(["suggest", str(run_dir), str(labeled), "--strategy", "smart"]) == 2
