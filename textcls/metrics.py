"""Scores of classifiers and clusterings against gold labels.

Example
-------
>>> round(purity([0, 0, 1, 1], ["a", "a", "a", "b"]), 2)
0.75
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    adjusted_rand_score,
    confusion_matrix,
    f1_score,
    normalized_mutual_info_score,
    precision_recall_fscore_support,
)
from sklearn.preprocessing import MultiLabelBinarizer


def purity(clusters: Sequence, gold: Sequence) -> float:
    """Share of items whose cluster's most common gold label is their own."""
    members: dict = {}
    for cluster, label in zip(clusters, gold):
        members.setdefault(cluster, Counter())[label] += 1
    total = sum(sum(c.values()) for c in members.values())
    return sum(c.most_common(1)[0][1] for c in members.values()) / total if total else 0.0


def clustering_scores(clusters: Sequence, gold: Sequence) -> dict[str, float]:
    """NMI, ARI and purity of a clustering against gold labels.

    >>> clustering_scores([0, 0, 1, 1], ["a", "a", "b", "b"])["nmi"]
    1.0
    """
    return {
        "nmi": round(float(normalized_mutual_info_score(gold, clusters)), 4),
        "ari": round(float(adjusted_rand_score(gold, clusters)), 4),
        "purity": round(purity(clusters, gold), 4),
    }


def theme_scores(gold: Sequence[str], predicted: Sequence[str], labels: list[str]) -> dict:
    """Accuracy, macro-F1, per-class P/R/F1/support and the confusion matrix.

    Macro-F1 averages over the themes that occur in ``gold`` or ``predicted``: a theme
    absent from both says nothing about the model and would count as an F1 of 0.
    """
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    seen = [label for label in labels if label in set(gold) | set(predicted)]
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(
            float(f1_score(gold, predicted, labels=seen, average="macro", zero_division=0)), 4
        ),
        "per_class": _per_label(labels, p, r, f, s),
        "confusion": {
            "labels": labels,
            "matrix": confusion_matrix(gold, predicted, labels=labels).tolist(),
        },
    }


def action_scores(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: list[str]
) -> dict:
    """Micro- and macro-F1, exact-match ratio and per-label P/R/F1/support.

    Macro-F1 averages over the actions that occur in ``gold`` or ``predicted``.
    """
    binarizer = MultiLabelBinarizer(classes=labels)
    y_true = binarizer.fit_transform([list(g) for g in gold])
    y_pred = binarizer.transform([list(p) for p in predicted])
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    seen = (y_true.sum(0) + y_pred.sum(0)) > 0
    return {
        "micro_f1": round(float(f1_score(y_true, y_pred, average="micro", zero_division=0)), 4),
        "macro_f1": round(float(f[seen].mean()) if seen.any() else 0.0, 4),
        "exact_match": round(float(np.mean(np.all(y_true == y_pred, axis=1))), 4),
        "per_label": _per_label(labels, p, r, f, s),
    }


def _per_label(labels: list[str], precision, recall, f1, support) -> dict[str, dict]:
    return {
        label: {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i, label in enumerate(labels)
    }
