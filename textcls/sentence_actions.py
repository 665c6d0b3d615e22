"""Score every sentence of a report for every action, and find each action's evidence.

A report often states an action in one sentence ("Regulators also held talks
with 500 industry sites") among hundreds of words about something else; a
document vector dilutes that sentence. :class:`SentenceActionModel` reads
reports sentence by sentence instead. It learns from three signals:

* the report labels, as multiple-instance learning: every sentence of a report
  without an action is a negative for it, and a report with an action holds at
  least one positive sentence;
* the label scheme's action keywords, as weak sentence labels: inside a report
  labeled with an action, the sentences that match its keywords are positives;
* an optional gold set of labeled sentences, weighted above the weak labels.

After a first fit, each labeled report whose action no keyword found gives its
best-scoring sentence as a positive (one round of MI-SVM-style relabeling).
A report's score for an action is the maximum over its sentences, and the
best sentence is the evidence.

Example
-------
>>> model = SentenceActionModel(keywords={"summons": ["summoned", "held talks"]})
>>> docs = ["The office summoned Weibo. Weather was fine.", "Prices rose. Shops opened."]
>>> model.fit(docs, [["summons"], []]).actions_
['summons']
>>> sentences, scores = model.sentence_scores(["It held talks with Douban. Rain fell."])[0]
>>> sentences[int(scores[:, 0].argmax())].text
'It held talks with Douban.'
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from .sentences import Sentence, split_sentences
from .vectorizer import TfidfVectorizer

# A report longer than this many sentences is read only up to it: a 200 KB scrape
# should cost seconds, not minutes, and actions are stated early in news reports.
MAX_SENTENCES = 300
_ENDINGS = re.compile(r"(?:ing|ed|es|s|e)$")


class KeywordMatcher:
    """Which sentences mention an action's keywords, order-free and by word stem.

    A keyword matches a sentence when every one of its words starts a word of
    the sentence, in any order: ``"accounts closed"`` matches "closed 300 user
    accounts".

    Examples
    --------
    >>> KeywordMatcher({"summons": ["held talks"]}).matches("It held talks with Douban.")
    {'summons'}
    """

    def __init__(self, keywords: Mapping[str, Sequence[str]]) -> None:
        self.keywords = {action: list(words) for action, words in keywords.items()}
        self._patterns = {
            action: [
                [
                    re.compile(rf"\b{re.escape(_stem(word))}", re.IGNORECASE)
                    for word in phrase.split()
                ]
                for phrase in phrases
                if phrase.strip()
            ]
            for action, phrases in self.keywords.items()
        }

    def matches(self, sentence: str) -> set[str]:
        return {
            action
            for action, phrases in self._patterns.items()
            if any(all(p.search(sentence) for p in phrase) for phrase in phrases)
        }

    def __getstate__(self) -> dict:
        return {"keywords": self.keywords}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["keywords"])  # type: ignore[misc]  # rebuild the derived patterns


def _stem(word: str) -> str:
    word = word.lower()
    stem = _ENDINGS.sub("", word) if len(word) > 4 else word
    # "fined" must not become "fin", which starts "financial".
    return stem if len(stem) >= 4 else word


class SentenceActionModel(BaseEstimator):
    """One logistic regression per action over the sentences of reports.

    Parameters
    ----------
    keywords : dict of str to list of str, optional
        Keyword phrases per action, the weak sentence labels (the label
        scheme's action keywords).
    embedder : transformer, optional
        Adds dense sentence vectors (e.g. a static or MiniLM embedder) next to
        the sentence TF-IDF.
    C : float
        Inverse regularisation of the per-action logistic regressions.
    max_features : int
        Vocabulary size of the sentence TF-IDF (word 1-2-grams).
    char_ngrams : bool
        Add character 3-5-gram TF-IDF features.
    gold_weight : float
        Weight of a gold sentence relative to a weakly labeled one.
    relabel : bool
        Add the best sentence of each labeled report that no keyword covered
        as a positive and fit again.
    max_sentences : int
        Sentences read per report.
    random_state : int
        Seed of the solvers.

    Attributes
    ----------
    actions_ : list of str
    vectorizer_ : TfidfVectorizer
    models_ : dict of str to LogisticRegression (absent for an action without positives)
    training_counts_ : dict of str to dict
        Positives and negatives each action was trained on, by source.
    """

    def __init__(
        self,
        keywords: Mapping[str, Sequence[str]] | None = None,
        embedder=None,
        C: float = 4.0,
        max_features: int = 40000,
        char_ngrams: bool = True,
        gold_weight: float = 10.0,
        relabel: bool = True,
        max_sentences: int = MAX_SENTENCES,
        random_state: int = 0,
    ) -> None:
        self.keywords = keywords
        self.embedder = embedder
        self.C = C
        self.max_features = max_features
        self.char_ngrams = char_ngrams
        self.gold_weight = gold_weight
        self.relabel = relabel
        self.max_sentences = max_sentences
        self.random_state = random_state

    def fit(
        self,
        documents: Sequence[str],
        actions: Sequence[Sequence[str]],
        gold: Sequence[tuple[str, Sequence[str]]] = (),
        all_actions: Sequence[str] | None = None,
    ) -> SentenceActionModel:
        """Learn from report labels, keywords and optional gold sentences.

        Parameters
        ----------
        documents : sequence of str
            Cleaned reports.
        actions : sequence of sequences of str
            Each report's actions.
        gold : sequence of (sentence, actions)
            Sentences labeled by hand with the actions each states.
        all_actions : sequence of str, optional
            The action names (default: those in ``actions``, ``gold`` and ``keywords``).
        """
        names = (
            set(all_actions or ())
            | {a for acts in actions for a in acts}
            | {a for _, acts in gold for a in acts}
            | set(self.keywords or {})
        )
        self.actions_ = sorted(names)
        self.matcher_ = KeywordMatcher(self.keywords or {})
        split = [self._split(doc) for doc in documents]
        texts = [s.text for sentences in split for s in sentences]
        owner = np.repeat(np.arange(len(split)), [len(s) for s in split])
        gold_texts = [text for text, _ in gold]
        words = TfidfVectorizer(
            max_features=self.max_features, ngram_range=(1, 2), sublinear_tf=True
        )
        if self.char_ngrams:
            # Character n-grams carry stems across inflection and odd machine-translated
            # word forms ("dispose", "disposal", "disposed of").
            chars = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                sublinear_tf=True,
                max_features=self.max_features,
                min_df=2,
            )
            self.vectorizer_ = FeatureUnion([("words", words), ("chars", chars)])
        else:
            self.vectorizer_ = words
        self.vectorizer_.fit(texts + gold_texts)
        features = self._features(texts)
        gold_features = self._features(gold_texts) if gold_texts else None
        hits = [self.matcher_.matches(text) for text in texts]
        doc_labels = [set(a) for a in actions]

        self.models_, self.training_counts_ = {}, {}
        for action in self.actions_:
            has = np.array([action in doc_labels[i] for i in owner], dtype=bool)
            positive = has & np.array([action in h for h in hits], dtype=bool)
            negative = ~has
            gold_y = np.array([action in acts for _, acts in gold], dtype=bool)
            model = self._fit_one(features, positive, negative, gold_features, gold_y)
            relabeled = 0
            if model is not None and self.relabel:
                scores = model.predict_proba(features)[:, 1]
                for doc in np.flatnonzero([action in labels for labels in doc_labels]):
                    rows = np.flatnonzero(owner == doc)
                    if len(rows) and not positive[rows].any():
                        positive[rows[np.argmax(scores[rows])]] = True
                        relabeled += 1
                model = self._fit_one(features, positive, negative, gold_features, gold_y)
            if model is not None:
                self.models_[action] = model
            self.training_counts_[action] = {
                "keyword_positives": int(positive.sum()) - relabeled,
                "relabeled_positives": relabeled,
                "negatives": int(negative.sum()),
                "gold_positives": int(gold_y.sum()),
                "gold_negatives": int((~gold_y).sum()),
            }
        return self

    def _fit_one(self, features, positive, negative, gold_features, gold_y):
        rows = np.flatnonzero(positive | negative)
        blocks, labels, weights = [features[rows]], [positive[rows]], [np.ones(len(rows))]
        if gold_features is not None:
            blocks.append(gold_features)
            labels.append(gold_y)
            weights.append(np.full(len(gold_y), float(self.gold_weight)))
        y = np.concatenate(labels)
        if y.all() or not y.any():
            return None
        return LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state
        ).fit(sparse.vstack(blocks).tocsr(), y, sample_weight=np.concatenate(weights))

    def _split(self, document: str) -> list[Sentence]:
        return split_sentences(document)[: self.max_sentences]

    def _features(self, texts: Sequence[str]):
        # Keyword hits are labels, never features: as a feature they would be learned as
        # the whole rule, and no sentence phrased otherwise would ever score.
        words = self.vectorizer_.transform(texts)
        if self.embedder is None:
            return words
        dense = np.asarray(self.embedder.transform(list(texts)), dtype=np.float64)
        return sparse.hstack([words, sparse.csr_matrix(dense)]).tocsr()

    def score_sentences(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1] of loose sentences, shape ``(n, n_actions)``."""
        scores = np.zeros((len(texts), len(self.actions_)))
        if not len(texts):
            return scores
        features = self._features(texts)
        for j, action in enumerate(self.actions_):
            if action in self.models_:
                scores[:, j] = self.models_[action].predict_proba(features)[:, 1]
        return scores

    def sentence_scores(self, documents: Sequence[str]) -> list[tuple[list[Sentence], np.ndarray]]:
        """Each report's sentences with their scores, shape ``(n_sentences, n_actions)``."""
        split = [self._split(doc) for doc in documents]
        scores = self.score_sentences([s.text for sentences in split for s in sentences])
        bounds = np.cumsum([0] + [len(s) for s in split])
        return [(sentences, scores[bounds[i] : bounds[i + 1]]) for i, sentences in enumerate(split)]

    def predict_proba(self, documents: Sequence[str]) -> np.ndarray:
        """Report scores: each action's best sentence score, shape ``(n_docs, n_actions)``."""
        return aggregate(self.sentence_scores(documents), len(self.actions_))


def aggregate(scored: Sequence[tuple[list[Sentence], np.ndarray]], n_actions: int) -> np.ndarray:
    """The maximum sentence score per report and action (0 for a report without sentences)."""
    return np.array(
        [scores.max(axis=0) if len(scores) else np.zeros(n_actions) for _, scores in scored]
    ).reshape(len(scored), n_actions)
