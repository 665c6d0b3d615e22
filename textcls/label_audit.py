"""Find likely label errors in a labeled corpus by confident learning.

The config's classifier is trained k times on folds grouped by ``event`` (so a
paraphrase never vouches for its twin), which gives every report probabilities
for its theme and each action from a model that never saw it. cleanlab's
confident learning (``find_label_issues`` for the theme, its per-class
multi-label variant for the actions) then flags the labels those out-of-fold
probabilities contradict; the flagged labels are ranked by how sure the model
is that the given label is wrong.

Example
-------
>>> result = audit("configs/tfidf_logreg.yaml", folds=5)               # doctest: +SKIP
>>> result.issues[0]                                                   # doctest: +SKIP
LabelIssue(id='mix-031', field='theme', given='rumors', suggested='other', confidence=0.93, ...)
>>> result.to_csv("audit.csv")                                         # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from .atomic import write_csv
from .config import ExperimentConfig, load_config
from .corpus import Corpus, load_corpus
from .errors import InputError
from .labels import LabelScheme

COLUMNS = ["id", "field", "given", "suggested", "confidence", "evidence"]
# A label needs this many reports in the training part of every fold: the heads calibrate
# on 3 internal folds, and with fewer the held-out model could hardly predict the label.
MIN_TRAINING_REPORTS = 3


@dataclass(frozen=True)
class LabelIssue:
    """One label that the out-of-fold model contradicts.

    ``field`` is ``"theme"`` or an action name; for an action ``given`` and
    ``suggested`` are ``"yes"`` (the report has it) or ``"no"``. ``confidence`` is
    how sure the out-of-fold model is that the given label is wrong: one minus its
    probability of the given label (cleanlab's self-confidence ranking).
    ``evidence`` is, for an action, the report's best sentence for it by the
    out-of-fold sentence model: the sentence a reviewer should read first.
    """

    id: str
    field: str
    given: str
    suggested: str
    confidence: float
    evidence: str = ""


@dataclass
class Audit:
    """The result of :func:`audit`: flagged labels, most confident first.

    Attributes
    ----------
    issues : list of LabelIssue
    skipped : list of str
        One message per label too rare to audit.
    corpus : Corpus
        The audited reports.
    themes, actions : list of str
        Column names of ``theme_proba`` and ``action_proba``.
    theme_proba, action_proba : ndarray
        Out-of-fold probabilities, one row per report of ``corpus``.
    """

    issues: list[LabelIssue]
    skipped: list[str]
    corpus: Corpus
    themes: list[str]
    actions: list[str]
    theme_proba: np.ndarray
    action_proba: np.ndarray
    folds: int = 5

    @property
    def flagged_reports(self) -> int:
        return len({issue.id for issue in self.issues})

    def to_rows(self) -> list[dict]:
        return [asdict(issue) | {"confidence": round(issue.confidence, 4)} for issue in self.issues]

    def table(self, top: int = 20) -> str:
        """The ``top`` most likely errors as a text table, with each report's headline."""
        titles = {r.id: r.title for r in self.corpus}
        shown = self.issues[:top]
        width = max([len(i.id) for i in shown] + [2])
        lines = [
            f"{'rank':>4}  {'id':<{width}}  {'field':<20} {'given -> suggested':<45} "
            f"{'conf':>5}  title"
        ]
        for rank, issue in enumerate(shown, start=1):
            change = f"{issue.given} -> {issue.suggested}"
            lines.append(
                f"{rank:>4}  {issue.id:<{width}}  {issue.field:<20} {change:<45} "
                f"{issue.confidence:>5.2f}  {titles.get(issue.id, '')[:60]}"
            )
        return "\n".join(lines)

    def to_csv(self, path: str | Path) -> Path:
        """Write ``audit.csv`` (columns :data:`COLUMNS`) atomically."""
        write_csv(Path(path), self.to_rows(), COLUMNS)
        return Path(path)


def audit(
    config: ExperimentConfig | str | Path,
    corpus: Corpus | None = None,
    folds: int = 5,
    log: Callable[[str], None] = lambda message: None,
) -> Audit:
    """Rank the likely label errors of a labeled corpus.

    Parameters
    ----------
    config : ExperimentConfig, str or Path
        A loaded config or its YAML file. Its features and heads make the
        out-of-fold model; its ``data.corpus`` is audited unless ``corpus`` is given.
    corpus : Corpus, optional
        Labeled reports to audit instead of the config's corpus.
    folds : int
        Number of folds, grouped by ``event`` (at least 2). Fewer folds are quicker;
        more train each model on more reports.
    log : callable
        Receives one line per finished fold and per skipped label.

    Returns
    -------
    Audit

    Examples
    --------
    >>> result = audit("configs/tfidf_logreg.yaml", folds=3)               # doctest: +SKIP
    >>> [i.field for i in result.issues[:3]]                               # doctest: +SKIP
    ['theme', 'public_guidance', 'campaign']
    """
    if not isinstance(config, ExperimentConfig):
        config = load_config(config)
    scheme = LabelScheme.from_yaml(config.data.labels)
    if corpus is None:
        corpus = load_corpus(
            config.data.corpus, scheme, require_labels=True, on_error=config.data.on_error
        )
    if not corpus.labeled:
        raise InputError("the audit needs a theme on every report", corpus.path)
    splits = _group_folds(corpus, folds)
    has = np.array([[a in (r.actions or ()) for a in scheme.actions] for r in corpus], dtype=bool)
    theme_ok, action_ok, skipped = _auditable(corpus, scheme, has, splits)
    for message in skipped:
        log(message)
    # The classifier trains both heads at once, so it needs two themes and one action.
    if len(theme_ok) < 2 or not action_ok:
        raise InputError(
            f"the audit needs two themes and one action with at least "
            f"{MIN_TRAINING_REPORTS} reports in the training part of every fold",
            corpus.path,
        )
    theme_proba, action_proba, evidence = _out_of_fold(
        config, corpus, splits, scheme, theme_ok, [scheme.actions[j] for j in action_ok], log
    )
    issues = _theme_issues(corpus, scheme.themes, theme_ok, theme_proba) + [
        replace(issue, evidence=evidence.get((issue.id, issue.field), ""))
        for issue in _action_issues(corpus, scheme.actions, action_ok, has, action_proba)
    ]
    issues.sort(key=lambda issue: (-issue.confidence, issue.id, issue.field))
    return Audit(
        issues, skipped, corpus, scheme.themes, scheme.actions, theme_proba, action_proba, folds
    )


def _group_folds(corpus: Corpus, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    groups = [r.event or f"id:{r.id}" for r in corpus]
    distinct = len(set(groups))
    if folds < 2:
        raise InputError(f"folds must be at least 2 (got {folds})", corpus.path)
    if distinct < folds:
        raise InputError(
            f"only {distinct} distinct events for {folds} folds; use at most {distinct} folds",
            corpus.path,
        )
    return list(GroupKFold(n_splits=folds).split(np.zeros(len(corpus)), groups=groups))


def _auditable(
    corpus: Corpus, scheme: LabelScheme, has: np.ndarray, splits
) -> tuple[list[str], list[int], list[str]]:
    """Themes and action columns common enough to audit, and a message for each other one."""
    themes = np.array(corpus.themes)
    theme_ok, action_ok, skipped = [], [], []
    for theme in scheme.themes:
        count = int((themes == theme).sum())
        if _enough(themes == theme, splits):
            theme_ok.append(theme)
        elif count:
            skipped.append(_too_rare(f"theme '{theme}'", count, splits))
    for j, action in enumerate(scheme.actions):
        count = int(has[:, j].sum())
        if _enough(has[:, j], splits) and _enough(~has[:, j], splits):
            action_ok.append(j)
        elif count and not _enough(has[:, j], splits):
            skipped.append(_too_rare(f"action '{action}'", count, splits))
        elif count:  # on (nearly) every report: no "no" to learn from
            skipped.append(
                f"action '{action}' is on too many reports to audit "
                f"({len(corpus) - count} without it): left out, the rest is audited"
            )
    return theme_ok, action_ok, skipped


def _enough(mask: np.ndarray, splits) -> bool:
    return min(int(mask[train].sum()) for train, _ in splits) >= MIN_TRAINING_REPORTS


def _too_rare(name: str, count: int, splits) -> str:
    return (
        f"{name} is too rare to audit ({count} report{'s' * (count != 1)}; each of the "
        f"{len(splits)} folds needs {MIN_TRAINING_REPORTS} in training): left out, "
        "the rest is audited"
    )


def _out_of_fold(
    config: ExperimentConfig,
    corpus: Corpus,
    splits,
    scheme: LabelScheme,
    themes: list[str],
    actions: list[str],
    log: Callable[[str], None],
) -> tuple[np.ndarray, np.ndarray, dict[tuple[str, str], str]]:
    """Held-out probabilities of every theme and action, trained on the auditable labels only.

    Reports with a theme too rare to audit stay out of training (a head cannot learn
    a class from one or two reports) but are still scored for their actions.
    """
    from .experiment import build_classifier

    documents = corpus.documents
    evidence: dict[tuple[str, str], str] = {}
    theme_proba = np.zeros((len(corpus), len(scheme.themes)))
    action_proba = np.zeros((len(corpus), len(scheme.actions)))
    for number, (train, held_out) in enumerate(splits, start=1):
        train = [i for i in train if corpus[i].theme in themes]
        # Thresholds do not matter for probabilities; fixed ones skip their tuning.
        model = build_classifier(config, progress=False).set_params(thresholds="fixed")
        model.fit(
            [documents[i] for i in train],
            [corpus[i].theme for i in train],
            [[a for a in (corpus[i].actions or ()) if a in actions] for i in train],
        )
        texts = [documents[i] for i in held_out]
        theme_scores, action_scores = model.predict_proba(texts), model.predict_action_scores(texts)
        for k, theme in enumerate(model.themes_):
            theme_proba[held_out, scheme.themes.index(theme)] = theme_scores[:, k]
        for k, action in enumerate(model.actions_):
            action_proba[held_out, scheme.actions.index(action)] = action_scores[:, k]
        found = model.evidence_for(texts, [actions] * len(texts))
        for i, sentences in zip(held_out, found):
            evidence.update({(corpus[i].id, a): item["sentence"] for a, item in sentences.items()})
        log(f"fold {number}/{len(splits)}: trained on {len(train)}, scored {len(held_out)}")
    return theme_proba, action_proba, evidence


def _theme_issues(
    corpus: Corpus, themes: list[str], auditable: list[str], proba: np.ndarray
) -> list[LabelIssue]:
    from cleanlab.filter import find_label_issues

    if len(auditable) < 2:
        return []
    columns = [themes.index(t) for t in auditable]
    rows = [i for i, r in enumerate(corpus) if r.theme in auditable]
    sub = proba[np.ix_(rows, columns)]
    sub = sub / np.clip(sub.sum(axis=1, keepdims=True), 1e-12, None)
    labels = np.array([auditable.index(str(corpus[i].theme)) for i in rows])
    flagged = find_label_issues(labels, sub)
    issues = []
    for k in np.flatnonzero(flagged):
        others = sub[k].copy()
        others[labels[k]] = -1.0
        best = int(np.argmax(others))
        issues.append(
            LabelIssue(
                corpus[rows[k]].id,
                "theme",
                auditable[labels[k]],
                auditable[best],
                float(1 - sub[k, labels[k]]),
            )
        )
    return issues


def _action_issues(
    corpus: Corpus, actions: list[str], auditable: list[int], has: np.ndarray, proba: np.ndarray
) -> list[LabelIssue]:
    from cleanlab.multilabel_classification.filter import find_multilabel_issues_per_class

    if not auditable:
        return []
    sub = proba[:, auditable]
    labels = [list(np.flatnonzero(row)) for row in has[:, auditable]]
    flagged = np.asarray(find_multilabel_issues_per_class(labels, sub))
    issues = []
    for i, k in zip(*np.nonzero(flagged)):
        given = bool(has[i, auditable[k]])
        issues.append(
            LabelIssue(
                corpus[i].id,
                actions[auditable[k]],
                "yes" if given else "no",
                "no" if given else "yes",
                float(1 - sub[i, k] if given else sub[i, k]),
            )
        )
    return issues
