"""Choose which unlabeled reports a person should label next.

A trained model scores every unlabeled report: how unsure it is of the theme
(one minus the margin between the two likeliest themes) and of each action
(how close its score is to that action's threshold). Three strategies pick
from these scores:

* ``uncertainty``: the most uncertain reports;
* ``diverse``: uncertainty times distance, greedily: each pick maximises its
  uncertainty times its cosine distance, in the model's own feature space, to
  the reports already picked, so near-duplicates of a pick drop to the bottom
  (an uncertainty-weighted max-min / farthest-first selection);
* ``random``: a seeded random sample, the baseline.

Example
-------
>>> picked = suggest("experiments/default/<run>", load_corpus("new/"), n=50)  # doctest: +SKIP
>>> picked.to_jsonl("to_label.jsonl")                                        # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

import numpy as np
from scipy import sparse

from .atomic import write_atomic
from .corpus import Report
from .errors import InputError

Strategy = Literal["uncertainty", "diverse", "random"]
STRATEGIES = ("uncertainty", "diverse", "random")


def uncertainty(model, texts: list[str]) -> np.ndarray:
    """How unsure ``model`` is about each text, in [0, 1] (1 = a coin toss everywhere).

    The mean of the theme's uncertainty (one minus the margin between the two
    likeliest themes) and the actions' (mean closeness of each score to its
    threshold, 1 at the threshold, 0 at 0 or 1).

    Example
    -------
    >>> uncertainty(model, ["Police shut 40 gambling sites."])  # doctest: +SKIP
    array([0.31])
    """
    theme = model.predict_proba(texts)
    top_two = np.sort(theme, axis=1)[:, -2:] if theme.shape[1] > 1 else np.c_[theme * 0, theme]
    theme_part = 1.0 - (top_two[:, 1] - top_two[:, 0])
    actions = model.predict_action_scores(texts)
    if actions.shape[1] == 0:
        return theme_part
    limits = np.array([model.thresholds_[a] for a in model.actions_])
    room = np.where(actions < limits, limits, 1.0 - limits)
    action_part = 1.0 - np.abs(actions - limits) / np.clip(room, 1e-9, None)
    return (theme_part + action_part.mean(axis=1)) / 2


def select(
    model, texts: list[str], n: int, strategy: Strategy = "diverse", seed: int = 0
) -> list[int]:
    """Indices of the ``n`` texts to label next, in the order picked.

    Parameters
    ----------
    model : EnforcementClassifier
        A fitted model; its features are the space for ``diverse``.
    texts : list of str
        Unlabeled documents.
    n : int
        How many to pick (fewer when there are fewer texts).
    strategy : {"uncertainty", "diverse", "random"}
    seed : int
        Seed of ``random``.

    Example
    -------
    >>> select(model, documents, 10, "diverse")  # doctest: +SKIP
    [41, 7, 230, ...]
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    n = min(n, len(texts))
    if n <= 0:
        return []
    if strategy == "random":
        return [int(i) for i in np.random.default_rng(seed).permutation(len(texts))[:n]]
    scores = uncertainty(model, texts)
    if strategy == "uncertainty":
        return [int(i) for i in np.argsort(-scores, kind="stable")[:n]]
    return _farthest_first(model.transform(texts), scores, n)


def _farthest_first(features, scores: np.ndarray, n: int) -> list[int]:
    from sklearn.preprocessing import normalize

    vectors = normalize(features)  # rows of unit length: a dot product is a cosine
    nearest = np.full(len(scores), np.inf)  # cosine distance to the closest pick so far
    picked: list[int] = []
    for _ in range(n):
        weight = scores * np.minimum(nearest, 2.0)
        weight[picked] = -1.0
        choice = int(np.argmax(weight))
        picked.append(choice)
        column = vectors @ vectors[choice].T
        similarity = column.toarray().ravel() if sparse.issparse(column) else np.ravel(column)
        nearest = np.minimum(nearest, np.clip(1.0 - similarity, 0.0, 2.0))
    return picked


@dataclass
class Suggestions:
    """Reports to label next, ready to fill in, and what was left out and why."""

    rows: list[dict]
    notes: list[str] = field(default_factory=list)

    def to_jsonl(self, path: str | Path) -> Path:
        """Write one JSON object per report, ``theme`` and ``actions`` left empty."""
        data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.rows)
        write_atomic(Path(path), data.encode("utf-8"))
        return Path(path)


def suggest(
    model, reports: Iterable[Report], n: int = 50, strategy: Strategy = "diverse", seed: int = 0
) -> Suggestions:
    """Pick up to ``n`` unlabeled reports worth a person's time.

    Reports that already carry a theme are skipped, and so are exact duplicates
    (same text after cleaning, case and spacing aside) of an earlier report.

    Parameters
    ----------
    model : EnforcementClassifier, str or Path
        A fitted model, or a run folder / ``model.pkl`` to load.
    reports : iterable of Report
        E.g. a :class:`~textcls.corpus.Corpus`.
    n, strategy, seed
        As in :func:`select`.

    Returns
    -------
    Suggestions
        One row per pick: ``id``, ``title``, ``text``, empty ``theme`` and
        ``actions``, the model's ``hint_theme``, ``hint_theme_score`` and
        ``hint_actions``, and its ``uncertainty``.

    Raises
    ------
    InputError
        Nothing is left to suggest.

    Examples
    --------
    >>> picked = suggest("experiments/default/<run>", load_corpus("new/"), n=50)  # doctest: +SKIP
    >>> picked.rows[0]["hint_theme"], picked.notes                              # doctest: +SKIP
    ('rumors', ['dropped 3 duplicate reports'])
    """
    if isinstance(model, (str, Path)):
        from .persist import load_model

        model = load_model(model)
    reports = list(reports)
    notes: list[str] = []
    unlabeled = [r for r in reports if not r.labeled]
    if len(unlabeled) < len(reports):
        notes.append(f"skipped {len(reports) - len(unlabeled)} reports that already have a theme")
    distinct = _distinct(unlabeled)
    if len(distinct) < len(unlabeled):
        notes.append(f"dropped {len(unlabeled) - len(distinct)} duplicate reports")
    if not distinct:
        raise InputError(f"nothing to suggest: none of the {len(reports)} reports is unlabeled")
    if n > len(distinct):
        notes.append(
            f"asked for {n} but only {len(distinct)} distinct unlabeled reports: "
            f"suggesting all of them"
        )
    documents = [r.document for r in distinct]
    chosen = select(model, documents, n, strategy, seed)
    picked = [distinct[i] for i in chosen]
    texts = [documents[i] for i in chosen]
    predictions = model.predict(texts)
    scores = uncertainty(model, texts) if texts else np.zeros(0)
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "text": r.text,
            "theme": "",
            "actions": [],
            "hint_theme": p.theme,
            "hint_theme_score": p.theme_scores[p.theme],
            "hint_actions": p.actions,
            "uncertainty": round(float(u), 4),
        }
        for r, p, u in zip(picked, predictions, scores)
    ]
    return Suggestions(rows, notes)


def _distinct(reports: list[Report]) -> list[Report]:
    """The first of each group of reports whose cleaned texts differ only in case and spacing."""
    seen: set[str] = set()
    kept = []
    for report in reports:
        key = re.sub(r"\s+", " ", report.document).strip().lower()
        if key not in seen:
            seen.add(key)
            kept.append(report)
    return kept
