"""The starter corpus meets its datasheet: size, balance, variety, no near-duplicates,
and nothing about the events of the outside seed reports."""

import json
from collections import Counter

import numpy as np
import pytest
from conftest import REPO, SEEDS
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from textcls.cleaning import junk_share
from textcls.corpus import make_splits

STYLES = {"wire", "press_release", "machine_translated", "foreign_commentary", "summary"}


def test_size_and_theme_balance(corpus):
    themes = Counter(corpus.themes)
    assert len(corpus) >= 500
    for theme in ("financial_speculation", "influencer_misconduct", "fraud_platforms", "rumors"):
        assert themes[theme] >= 100, theme
    assert themes["other"] >= 60


def test_every_action_has_60_positive_and_60_negative_reports(corpus, scheme):
    for action in scheme.actions:
        positive = sum(action in r.actions for r in corpus)
        assert positive >= 60 and len(corpus) - positive >= 60, (action, positive)


def test_records_carry_every_datasheet_field(corpus):
    raw = [json.loads(line) for line in (REPO / "corpus" / "reports.jsonl").open()]
    for row in raw:
        assert {
            "id",
            "title",
            "text",
            "theme",
            "actions",
            "date",
            "style",
            "event",
            "basis",
        } <= set(row), row["id"]
        assert row["style"] in STYLES
        assert row["date"] is None or (len(row["date"]) == 7 and row["date"][4] == "-")
        assert row["event"] and row["basis"]


def test_variety_of_styles_lengths_and_junk(corpus):
    styles = Counter(r.style for r in corpus)
    assert set(styles) == STYLES
    lengths = [len(r.text.split()) for r in corpus]
    assert min(lengths) <= 60 and max(lengths) >= 700
    with_junk = sum(junk_share(r.text) > 0.01 for r in corpus)
    assert with_junk >= 0.10 * len(corpus)


def test_no_two_reports_are_near_duplicates(corpus):
    matrix = TfidfVectorizer().fit_transform([r.text for r in corpus])
    similarity = cosine_similarity(matrix)
    np.fill_diagonal(similarity, 0)
    i, j = np.unravel_index(similarity.argmax(), similarity.shape)
    assert similarity[i, j] < 0.85, (corpus[i].id, corpus[j].id, similarity[i, j])


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")
def test_no_report_paraphrases_a_seed(corpus):
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    vectorizer = TfidfVectorizer(stop_words="english").fit(seeds + [r.text for r in corpus])
    similarity = cosine_similarity(
        vectorizer.transform([r.text for r in corpus]), vectorizer.transform(seeds)
    )
    assert similarity.max() < 0.5, corpus[int(similarity.max(1).argmax())].id
    forbidden = (
        "4207",
        "4,207",
        "Ice Blizzard",
        "coin circle pop",
        "25,000 netizens",
        "1.322 million",
        "Luo Changping",
    )
    for report in corpus:
        assert not any(f.lower() in report.text.lower() for f in forbidden), report.id


def test_shipped_splits_match_the_documented_recipe(corpus):
    shipped = json.loads((REPO / "corpus" / "splits.json").read_text())
    assert shipped == make_splits(corpus, seed=shipped["seed"])
    sizes = {n: len(shipped[n]) / len(corpus) for n in ("train", "dev", "test")}
    assert 0.62 <= sizes["train"] <= 0.78 and 0.1 <= sizes["test"] <= 0.2
