"""Label reports by theme (one label) and enforcement actions (many labels).

:class:`EnforcementClassifier` trains both heads from one ``fit`` call on the
same features: sentence embeddings, TF-IDF, or both side by side. The theme
head gives calibrated probabilities; the action head is one-vs-rest with a
decision threshold per action, tuned for F1 on a dev split (or on
out-of-fold scores of the training data when no dev split is given).

Actions can also be read sentence by sentence
(:class:`~textcls.sentence_actions.SentenceActionModel`): ``action_mode``
chooses the document head, the sentence model, or a weighted mean of both.
Every prediction carries, for each action found, its best evidence sentence
with offsets into the text as given, and the enforcement figures the text
states (:func:`~textcls.figures.extract_figures`).

Example
-------
>>> clf = EnforcementClassifier()                                 # doctest: +SKIP
>>> clf.fit(texts, themes, actions, dev=(dev_texts, dev_themes, dev_actions))  # doctest: +SKIP
>>> clf.predict(["Police shut 40 gambling sites"])[0].theme       # doctest: +SKIP
'fraud_platforms'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from .cleaning import clean_with_offsets
from .embedding import SentenceEmbedder
from .evidence import Located, best_evidence, located_figures
from .sentence_actions import SentenceActionModel, aggregate
from .vectorizer import TfidfVectorizer

_THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)


@dataclass
class Prediction:
    """The labels of one report, with a score for every label."""

    theme: str
    theme_scores: dict[str, float]
    actions: list[str]
    action_scores: dict[str, float]
    #: Per predicted action: ``{"sentence", "start", "end", "score"}``, offsets into the text given.
    evidence: dict[str, dict] = field(default_factory=dict)
    #: Figures the text states: ``{"value", "unit", "action", "start", "end", "text", ...}``.
    figures: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class EnforcementClassifier(BaseEstimator):
    """Theme and action classifier on embeddings and/or TF-IDF features.

    Parameters
    ----------
    embedder : transformer, optional
        Turns texts into dense vectors (e.g. :class:`~textcls.embedding.SentenceEmbedder`).
        ``None`` with ``tfidf=False`` uses the default SentenceEmbedder; ``None``
        with ``tfidf=True`` uses TF-IDF features alone.
    tfidf : bool
        Add word 1-2-gram TF-IDF features next to the embeddings.
    tfidf_max_features : int
        Vocabulary size of the TF-IDF features.
    tfidf_ngram_range : tuple of int
        Word n-grams of the TF-IDF features.
    theme_head : classifier, optional
        Estimator for the theme; default balanced logistic regression.
    calibrate_theme : bool
        Wrap the theme head in sigmoid calibration (3-fold).
    action_head : classifier, optional
        Binary estimator cloned per action; one without ``predict_proba`` is calibrated.
    thresholds : {"tuned", "fixed"}
        Tune one threshold per action for F1, or use ``threshold`` for all.
    threshold : float
        The fixed threshold, and the fallback for actions too rare to tune.
    clean_text : bool
        Clean texts (HTML residue, boilerplate) before featurising.
    action_mode : {"document", "sentence", "both"}
        Score actions with the document head, the sentence model, or both:
        ``max(sentence, sentence_weight * sentence + (1 - sentence_weight) * document)``.
    sentence_model : SentenceActionModel, optional
        The sentence-level action model (default: one without keywords). It is
        fitted in every mode, since it also finds the evidence.
    sentence_weight : float
        Weight of the sentence model in ``"both"`` mode.
    figures : bool
        Extract enforcement figures into each prediction.
    random_state : int
        Seed of every randomised step.

    Attributes
    ----------
    themes_ : list of str
    actions_ : list of str
    thresholds_ : dict of str to float
    sentence_model_ : SentenceActionModel

    Examples
    --------
    >>> clf = EnforcementClassifier(tfidf=True)  # TF-IDF only, no model download
    >>> texts = ["bitcoin ads removed", "crypto mining banned", "stock tips accounts closed",
    ...          "rumor about flood debunked", "fake news of quake", "man detained for rumor"]
    >>> themes = ["financial_speculation"] * 3 + ["rumors"] * 3
    >>> actions = [["content_removal"], ["platform_action"], ["account_action"],
    ...            ["public_guidance"], ["public_guidance"], ["criminal_enforcement"]]
    >>> clf.set_params(calibrate_theme=False, thresholds="fixed").fit(texts, themes, actions)
    EnforcementClassifier(calibrate_theme=False, tfidf=True, thresholds='fixed')
    >>> clf.predict(["bitcoin mining ads"])[0].theme
    'financial_speculation'
    """

    def __init__(
        self,
        embedder=None,
        tfidf: bool = False,
        tfidf_max_features: int = 30000,
        tfidf_ngram_range: tuple[int, int] = (1, 2),
        theme_head=None,
        calibrate_theme: bool = True,
        action_head=None,
        thresholds: str = "tuned",
        threshold: float = 0.5,
        clean_text: bool = True,
        action_mode: str = "document",
        sentence_model=None,
        sentence_weight: float = 0.6,
        figures: bool = True,
        random_state: int = 0,
    ) -> None:
        self.embedder = embedder
        self.tfidf = tfidf
        self.tfidf_max_features = tfidf_max_features
        self.tfidf_ngram_range = tfidf_ngram_range
        self.theme_head = theme_head
        self.calibrate_theme = calibrate_theme
        self.action_head = action_head
        self.thresholds = thresholds
        self.threshold = threshold
        self.clean_text = clean_text
        self.action_mode = action_mode
        self.sentence_model = sentence_model
        self.sentence_weight = sentence_weight
        self.figures = figures
        self.random_state = random_state

    # ---- training -------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        themes: Sequence[str],
        actions: Sequence[Sequence[str]],
        dev: tuple[Sequence[str], Sequence[str], Sequence[Sequence[str]]] | None = None,
        gold_sentences: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> EnforcementClassifier:
        """Train both heads and the sentence model; tune action thresholds on ``dev`` when given.

        Parameters
        ----------
        texts : sequence of str
            Raw or cleaned report texts.
        themes : sequence of str
            One theme per text.
        actions : sequence of sequences of str
            The actions of each text (may be empty).
        dev : (texts, themes, actions), optional
            Held-out data for the action thresholds; never used for weights.
        gold_sentences : sequence of (sentence, actions)
            Hand-labeled sentences for the sentence model.
        """
        if not (len(texts) == len(themes) == len(actions)):
            raise ValueError("texts, themes and actions must have the same length")
        if len(set(themes)) < 2:
            raise ValueError("training data needs at least two different themes")
        if self.action_mode not in ("document", "sentence", "both"):
            raise ValueError(
                f"action_mode must be document, sentence or both, not {self.action_mode!r}"
            )
        self.embedder_ = self._make_embedder()
        if self.tfidf:
            self.tfidf_ = TfidfVectorizer(
                max_features=self.tfidf_max_features,
                ngram_range=tuple(self.tfidf_ngram_range),
                sublinear_tf=True,
                stop_words="english",
                min_df=1,
            )
        documents = self._prepare(texts)
        features = self._features(documents, fit=True)

        theme_head = (
            clone(self.theme_head)
            if self.theme_head is not None
            else LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        )
        if self.calibrate_theme:
            theme_head = CalibratedClassifierCV(theme_head, method="sigmoid", cv=3)
        self.theme_model_ = theme_head.fit(features, list(themes))
        self.themes_ = [str(t) for t in self.theme_model_.classes_]

        self.binarizer_ = MultiLabelBinarizer()
        targets = self.binarizer_.fit_transform([list(a) for a in actions])
        self.actions_ = [str(a) for a in self.binarizer_.classes_]
        self.action_model_ = OneVsRestClassifier(self._action_estimator())
        self.action_model_.fit(features, targets)
        self.sentence_model_ = (
            clone(self.sentence_model)
            if self.sentence_model is not None
            else SentenceActionModel(random_state=self.random_state)
        )
        self.sentence_model_.fit(documents, actions, gold=gold_sentences, all_actions=self.actions_)

        if self.thresholds == "fixed" or (
            self.action_mode != "document" and (dev is None or not len(dev[0]))
        ):
            self.thresholds_ = {a: float(self.threshold) for a in self.actions_}
        elif dev is not None and len(dev[0]):
            dev_targets = self.binarizer_.transform([list(a) for a in dev[2]])
            self.thresholds_ = self._tune(self._analyse(dev[0]).action_scores, dev_targets)
        else:
            folds = KFold(5, shuffle=True, random_state=self.random_state)
            out_of_fold = cross_val_predict(
                OneVsRestClassifier(self._action_estimator()),
                features,
                targets,
                cv=folds,
                method="predict_proba",
            )
            self.thresholds_ = self._tune(out_of_fold, targets)
        return self

    def _make_embedder(self):
        if self.embedder is not None:
            return clone(self.embedder)
        return None if self.tfidf else SentenceEmbedder()

    def _action_estimator(self):
        head = (
            clone(self.action_head)
            if self.action_head is not None
            else LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        )
        if not hasattr(head, "predict_proba"):
            head = CalibratedClassifierCV(head, method="sigmoid", cv=3)
        return head

    def _tune(self, scores: np.ndarray, targets: np.ndarray) -> dict[str, float]:
        thresholds = {}
        for j, action in enumerate(self.actions_):
            truth = targets[:, j].astype(bool)
            if truth.sum() < 2 or (~truth).sum() < 2:
                thresholds[action] = float(self.threshold)
                continue
            f1s = [_f1(truth, scores[:, j] >= t) for t in _THRESHOLD_GRID]
            best = max(f1s)
            # Among equally good thresholds take the one nearest the fixed default.
            candidates = [t for t, f in zip(_THRESHOLD_GRID, f1s) if f >= best - 1e-9]
            thresholds[action] = float(min(candidates, key=lambda t: abs(t - self.threshold)))
        return thresholds

    # ---- features -------------------------------------------------------
    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return [self._located(t).text for t in texts]

    def _located(self, text) -> Located:
        text = str(text)
        if not self.clean_text:
            return Located(text, text, None)
        cleaned, where = clean_with_offsets(text)
        return Located(text, cleaned, where)

    def _features(self, documents: Sequence[str], fit: bool = False):
        blocks = []
        if self.embedder_ is not None:
            blocks.append(
                self.embedder_.fit_transform(documents)
                if fit
                else self.embedder_.transform(documents)
            )
        if self.tfidf:
            blocks.append(
                self.tfidf_.fit_transform(documents) if fit else self.tfidf_.transform(documents)
            )
        if len(blocks) == 1:
            return blocks[0]
        return sparse.hstack([sparse.csr_matrix(b) for b in blocks]).tocsr()

    # ---- prediction -----------------------------------------------------
    def transform(self, texts: Sequence[str]):
        """The features both heads read, one row per text (dense, or sparse with TF-IDF)."""
        return self._features(texts)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Theme probabilities, shape ``(n_texts, n_themes)``, columns in ``themes_`` order."""
        return self._analyse(texts).theme_scores

    def predict_action_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Action scores in [0, 1], shape ``(n_texts, n_actions)``, in ``actions_`` order."""
        return self._analyse(texts).action_scores

    def _analyse(self, texts: Sequence[str]) -> _Analysis:
        located = [self._located(t) for t in texts]
        if not located:
            return _Analysis(
                located, np.zeros((0, len(self.themes_))), np.zeros((0, len(self.actions_))), []
            )
        documents = [doc.text for doc in located]
        features = self._features(documents)
        themes = self.theme_model_.predict_proba(features)
        # Models pickled before sentence-level actions have neither attribute.
        sentence_model = getattr(self, "sentence_model_", None)
        mode = getattr(self, "action_mode", "document")
        scored = sentence_model.sentence_scores(documents) if sentence_model is not None else []
        if mode == "document" or sentence_model is None:
            actions = self.action_model_.predict_proba(features)
        else:
            actions = aggregate(scored, len(self.actions_))
            if mode == "both":
                # The document head may raise a sentence's verdict but never lower it: a
                # report vector dilutes an action stated in one sentence, it cannot undo it.
                weight = float(self.sentence_weight)
                document = self.action_model_.predict_proba(features)
                actions = np.maximum(actions, weight * actions + (1 - weight) * document)
        return _Analysis(located, themes, actions, scored)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One :class:`Prediction` per text: theme, actions, every label's score, each
        action's evidence sentence and the figures the text states."""
        if isinstance(texts, str):
            raise TypeError("predict takes a list of texts, not a single string")
        analysis = self._analyse(texts)
        limits = np.array([self.thresholds_[a] for a in self.actions_])
        extract = getattr(self, "figures", True)
        results = []
        for i, (theme_row, action_row) in enumerate(
            zip(analysis.theme_scores, analysis.action_scores)
        ):
            actions = [a for a, s, lim in zip(self.actions_, action_row, limits) if s >= lim]
            doc = analysis.located[i]
            results.append(
                Prediction(
                    theme=self.themes_[int(np.argmax(theme_row))],
                    theme_scores={t: round(float(s), 4) for t, s in zip(self.themes_, theme_row)},
                    actions=actions,
                    action_scores={
                        a: round(float(s), 4) for a, s in zip(self.actions_, action_row)
                    },
                    evidence=self._evidence(analysis, i, actions),
                    figures=located_figures(doc) if extract else [],
                )
            )
        return results

    def evidence_for(
        self, texts: Sequence[str], actions: Sequence[Sequence[str]]
    ) -> list[dict[str, dict]]:
        """The best evidence sentence of the given actions in each text, predicted or not
        (e.g. for an action the model missed); empty for a model without a sentence model."""
        analysis = self._analyse(texts)
        return [self._evidence(analysis, i, wanted) for i, wanted in enumerate(actions)]

    def _evidence(self, analysis: _Analysis, i: int, actions: Sequence[str]) -> dict:
        if not analysis.scored:
            return {}
        sentences, scores = analysis.scored[i]
        known = [a for a in actions if a in self.actions_]
        columns = [self.actions_.index(a) for a in known]
        return best_evidence(analysis.located[i], sentences, scores[:, columns], known)


@dataclass
class _Analysis:
    located: list[Located]
    theme_scores: np.ndarray
    action_scores: np.ndarray
    scored: list


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    # sklearn's f1_score validates its input on every call: ~0.7 s for the ~260 calls
    # of one threshold grid, against milliseconds for this.
    tp = float(np.sum(truth & predicted))
    denominator = float(truth.sum() + predicted.sum())
    return 2 * tp / denominator if denominator else 0.0
