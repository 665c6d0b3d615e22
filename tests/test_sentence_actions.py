"""The sentence-level action model: weak labels, multiple-instance training, evidence."""

import numpy as np
import pytest

from textcls.sentence_actions import KeywordMatcher, SentenceActionModel


def test_keywords_match_by_stem_in_any_order():
    matcher = KeywordMatcher({"account_action": ["accounts closed"], "summons": ["held talks"]})
    assert matcher.matches("The office closed 300 user accounts.") == {"account_action"}
    assert matcher.matches("It held talks with Douban.") == {"summons"}
    assert matcher.matches("Accounts of users were reviewed.") == set()


@pytest.fixture(scope="module")
def trained(small_corpus, scheme):
    return SentenceActionModel(keywords=scheme.action_keywords()).fit(
        small_corpus.documents, small_corpus.actions, all_actions=scheme.actions
    )


def test_an_action_stated_in_passing_is_found_in_its_sentence(trained):
    filler = "The city held its annual trade fair, and visitors praised the new stalls. " * 6
    stated = "Regulators also summoned the heads of three live-streaming platforms. "
    report = filler + stated + filler
    ((sentences, scores),) = trained.sentence_scores([report])
    summons = trained.actions_.index("summons")
    best = sentences[int(np.argmax(scores[:, summons]))].text
    assert best == "Regulators also summoned the heads of three live-streaming platforms."
    # 90 training reports; the shipped corpus gives the sentence well above 0.5.
    assert (
        trained.predict_proba([report])[0, summons]
        > trained.predict_proba([filler])[0, summons] + 0.2
    )


def test_training_counts_say_where_positives_came_from(trained):
    counts = trained.training_counts_["criminal_enforcement"]
    assert counts["keyword_positives"] > 0 and counts["negatives"] > 0


def test_gold_sentences_are_learned(small_corpus, scheme):
    gold = [("The bureau put the two firms on a watch list.", ["platform_action"])] * 5
    plain = SentenceActionModel().fit(
        small_corpus.documents, small_corpus.actions, all_actions=scheme.actions
    )
    taught = SentenceActionModel(gold_weight=20).fit(
        small_corpus.documents, small_corpus.actions, gold=gold, all_actions=scheme.actions
    )
    column = taught.actions_.index("platform_action")
    sentence = ["The bureau put the two firms on a watch list."]
    assert taught.score_sentences(sentence)[0, column] > plain.score_sentences(sentence)[0, column]


def test_bad_reports_score_without_crashing(trained):
    huge = "Police closed gambling websites and arrested suspects " * 4000  # ~200 KB, no boundary
    odd = [
        "",
        "12 345 6789",
        "网信办关闭账号 300 accounts closed。",
        huge,
        "Police shut 40 sites. " * 20000,
    ]
    scores = trained.predict_proba(odd)
    assert scores.shape == (5, len(trained.actions_)) and np.isfinite(scores).all()
    assert scores[0].max() == 0  # nothing to read, nothing found
