"""The two-headed classifier, with real embeddings from the cache."""

import numpy as np
import pytest

from textcls.classify import EnforcementClassifier
from textcls.corpus import make_splits


@pytest.fixture(scope="module")
def parts(small_corpus):
    ids = make_splits(small_corpus, seed=1)
    return {name: small_corpus.subset(ids[name]) for name in ("train", "dev", "test")}


@pytest.fixture(scope="module")
def fitted(parts, embedder):
    train, dev = parts["train"], parts["dev"]
    return EnforcementClassifier(embedder=embedder).fit(
        train.documents, train.themes, train.actions, dev=(dev.documents, dev.themes, dev.actions)
    )


def test_fit_predict_gives_every_score(fitted, parts):
    test = parts["test"]
    predictions = fitted.predict(test.documents)
    assert len(predictions) == len(test)
    for p in predictions:
        assert set(p.theme_scores) == set(fitted.themes_)
        assert abs(sum(p.theme_scores.values()) - 1) < 1e-3
        assert p.theme == max(p.theme_scores, key=p.theme_scores.get)
        assert set(p.actions) <= set(fitted.actions_)
        assert all(0 <= s <= 1 for s in p.action_scores.values())
    accuracy = np.mean([p.theme == g for p, g in zip(predictions, test.themes)])
    assert accuracy >= 0.6  # 90 training reports; the full corpus does far better
    assert fitted.predict_proba(test.documents).shape == (len(test), 5)
    assert fitted.predict_action_scores(test.documents).shape == (len(test), len(fitted.actions_))


def test_thresholds_are_tuned_on_dev_and_not_on_test(fitted, parts):
    dev, test = parts["dev"], parts["test"]
    dev_scores = fitted.predict_action_scores(dev.documents)
    expected = fitted._tune(dev_scores, fitted.binarizer_.transform(dev.actions))
    assert fitted.thresholds_ == expected
    test_tuned = fitted._tune(
        fitted.predict_action_scores(test.documents), fitted.binarizer_.transform(test.actions)
    )
    assert test_tuned != fitted.thresholds_


def test_raw_uncleaned_text_is_cleaned_before_prediction(fitted, parts):
    document = parts["test"][0].document
    dirty = (
        document.replace(". ", '.< Br > < div class = "height" > < / div > ', 3)
        + "\nCopyright © 2020 Example Daily. All Rights Reserved.\nComments (0)"
    )
    assert fitted.predict([dirty])[0] == fitted.predict([document])[0]


def test_edge_inputs_give_valid_output(fitted):
    assert fitted.predict([]) == []
    long_text = "Police closed illegal gambling websites and arrested the operators. " * 1500
    assert len(long_text) > 100_000
    results = fitted.predict(
        [long_text, "网信办关闭了一批传播谣言的账号。", "Die Polizei hat 12 Betrüger festgenommen."]
    )
    assert len(results) == 3 and all(r.theme in fitted.themes_ for r in results)
    with pytest.raises(TypeError, match="list of texts"):
        fitted.predict("a single string")


def test_without_dev_thresholds_come_from_out_of_fold_training_scores(parts):
    train = parts["train"]
    model = EnforcementClassifier(tfidf=True).fit(train.documents, train.themes, train.actions)
    assert set(model.thresholds_) == set(model.actions_)
    assert any(t != 0.5 for t in model.thresholds_.values())


def test_linear_svm_heads_are_calibrated_to_probabilities(parts):
    from sklearn.svm import LinearSVC

    train = parts["train"]
    model = EnforcementClassifier(
        tfidf=True, theme_head=LinearSVC(), action_head=LinearSVC(), thresholds="fixed"
    ).fit(train.documents, train.themes, train.actions)
    scores = model.predict_action_scores(parts["test"].documents)
    assert scores.min() >= 0 and scores.max() <= 1
    assert set(model.thresholds_.values()) == {0.5}
