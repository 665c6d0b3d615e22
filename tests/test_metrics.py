import pytest

from textcls.metrics import action_scores, clustering_scores, purity, theme_scores


def test_clustering_scores_on_a_hand_made_case():
    clusters = [0, 0, 0, 1, 1, 2]
    gold = ["a", "a", "b", "b", "b", "c"]
    assert purity(clusters, gold) == pytest.approx(5 / 6)
    scores = clustering_scores(clusters, gold)
    assert scores["purity"] == pytest.approx(0.8333, abs=1e-4)
    assert 0 < scores["nmi"] < 1 and scores["ari"] < 1
    assert clustering_scores([5, 5, 7], ["x", "x", "y"]) == {"nmi": 1.0, "ari": 1.0, "purity": 1.0}


def test_theme_and_action_scores():
    themes = theme_scores(["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    assert themes["accuracy"] == pytest.approx(0.6667, abs=1e-4)
    assert themes["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert themes["confusion"]["matrix"] == [[1, 1], [0, 1]]
    # a theme that neither gold nor predictions contain does not drag macro-F1 down
    assert theme_scores(["a", "b"], ["a", "b"], ["a", "b", "c"])["macro_f1"] == 1.0
    assert action_scores([["x"]], [["x"]], ["x", "y"])["macro_f1"] == 1.0
    actions = action_scores([["x"], ["x", "y"], []], [["x"], ["x"], ["y"]], ["x", "y"])
    assert actions["micro_f1"] == pytest.approx(2 * 2 / (3 + 3), abs=1e-4)
    assert actions["per_label"]["y"]["f1"] == 0.0 and actions["exact_match"] == pytest.approx(
        1 / 3, abs=1e-4
    )
