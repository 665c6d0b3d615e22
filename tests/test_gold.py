"""The gold sets: every span is where it says, and the scores computed on them."""

import json

import numpy as np
import pytest
from conftest import REPO

from textcls.errors import InputError
from textcls.gold import load_gold_figures, load_gold_sentences, sentence_scores

GOLD = REPO / "corpus" / "gold"


def test_every_gold_span_is_the_text_it_claims(corpus):
    by_id = {r.id: r for r in corpus}
    sentences = load_gold_sentences(GOLD / "sentences.jsonl")
    figures = load_gold_figures(GOLD / "figures.jsonl")
    assert len(sentences) >= 400 and len(figures) >= 150
    assert len({f.report for f in figures}) >= 50
    for item in [*sentences, *figures]:
        assert getattr(by_id[item.report], item.field)[item.start : item.end] == item.text
    assert {a for s in sentences for a in s.actions} <= set(corpus[0].actions or ()) | {
        "account_action",
        "content_removal",
        "platform_action",
        "summons",
        "criminal_enforcement",
        "campaign",
        "public_guidance",
    }


def test_the_second_labeling_covers_gold_sentences():
    first = {(s.report, s.field, s.start): s for s in load_gold_sentences(GOLD / "sentences.jsonl")}
    second = [json.loads(line) for line in (GOLD / "sentences_second.jsonl").open()]
    assert len(second) >= 100
    assert all((row["report"], row["field"], row["start"]) in first for row in second)


def test_only_the_reports_asked_for(tmp_path):
    ids = {"fin-065"}
    assert {s.report for s in load_gold_sentences(GOLD / "sentences.jsonl", ids)} <= ids
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"report": "x", "field": "body", "start": 0, "end": 1, "text": "a", "actions": []}\n'
    )
    with pytest.raises(InputError, match=r"line 1.*field"):
        load_gold_sentences(bad)


def test_sentence_scores_count_hits_per_action():
    gold = [
        s
        for s in load_gold_sentences(GOLD / "sentences.jsonl")
        if {"summons", "campaign"} & set(s.actions)
    ][:30]
    gold += [s for s in load_gold_sentences(GOLD / "sentences.jsonl") if not s.actions][:30]
    actions = ["summons", "campaign"]
    perfect = sentence_scores(
        lambda texts: np.array([[a in s.actions for a in actions] for s in gold], dtype=float),
        actions,
        gold,
    )
    assert perfect["micro_f1"] == 1.0 and perfect["count"] == 60
    none = sentence_scores(lambda texts: np.zeros((len(texts), 2)), actions, gold)
    assert none["micro_f1"] == 0.0
