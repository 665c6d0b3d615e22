"""Evidence and figures in predictions, with offsets into the text as given."""

import pickle

import pytest

from textcls.classify import EnforcementClassifier
from textcls.sentence_actions import SentenceActionModel

RAW = (
    "Copyright 2025 Daily Wire. < Br > Police arrested 69 people at a scam compound.< Br > "
    '< div class = "height" > < / div > The cyberspace office also summoned Douban '
    "and closed 12,000 accounts."
)


@pytest.fixture(scope="module")
def model(small_corpus, scheme):
    return EnforcementClassifier(
        tfidf=True,
        calibrate_theme=False,
        thresholds="fixed",
        action_mode="both",
        sentence_model=SentenceActionModel(keywords=scheme.action_keywords()),
    ).fit(small_corpus.documents, small_corpus.themes, small_corpus.actions)


def test_every_predicted_action_has_evidence_located_in_the_raw_text(model):
    prediction = model.predict([RAW])[0]
    assert "criminal_enforcement" in prediction.actions
    assert set(prediction.evidence) == set(prediction.actions)
    for item in prediction.evidence.values():
        assert RAW[item["start"] : item["end"]] == item["sentence"]
        assert 0 <= item["score"] <= 1
    assert (
        prediction.evidence["criminal_enforcement"]["sentence"]
        == "Police arrested 69 people at a scam compound."
    )


def test_figures_are_located_in_the_raw_text(model):
    figures = model.predict([RAW])[0].figures
    assert [(f["value"], f["unit"]) for f in figures] == [(69, "people"), (12000, "accounts")]
    for figure in figures:
        assert RAW[figure["start"] : figure["end"]] == figure["text"]


def test_modes_change_the_action_scores(model, small_corpus):
    docs = small_corpus.documents[:20]
    both = model.predict_action_scores(docs)
    model.set_params(action_mode="sentence")
    try:
        sentence = model.predict_action_scores(docs)
    finally:
        model.set_params(action_mode="both")
    assert (both != sentence).any()
    with pytest.raises(ValueError, match="action_mode"):
        EnforcementClassifier(tfidf=True, action_mode="words").fit(
            small_corpus.documents, small_corpus.themes, small_corpus.actions
        )


def test_evidence_for_an_action_that_was_not_predicted(model):
    found = model.evidence_for([RAW], [["summons", "campaign"]])[0]
    assert set(found) == {"summons", "campaign"}


def test_a_model_pickled_before_sentence_actions_still_predicts(model):
    old = pickle.loads(pickle.dumps(model))
    for name in ("sentence_model_", "sentence_model", "action_mode", "sentence_weight", "figures"):
        old.__dict__.pop(name, None)  # what a pickle of the first release holds
    prediction = pickle.loads(pickle.dumps(old)).predict([RAW])[0]
    assert prediction.evidence == {} and prediction.theme in model.themes_
    assert prediction.figures  # figures need no training
