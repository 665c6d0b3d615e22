"""Topics for a user's own reports, guided by a labeled corpus and a trained classifier.

Unguided clustering of a pile of reports follows places and agencies more than
enforcement themes. :class:`GuidedTopics` lets the labeled corpus decide the
first cut: each report goes to the theme the classifier (trained on that
corpus) gives it, and topics are sub-clusters of the reports of one theme in
TF-IDF space, so every theme present in the pile has a topic of its own.
Reports that fit no theme well (the classifier is unsure *and* the report is
far from the corpus centroid of every theme) are set aside and clustered into
"emerging" topics: what an analyst most wants to notice.

Everything is scikit-learn on TF-IDF, so no transformer runs: it takes seconds
for 10,000 reports.

Example
-------
>>> docs = ["bitcoin ads removed", "crypto mining banned", "rumor about flood debunked",
...         "fake quake rumor", "bitcoin exchange closed", "flood rumor spreader fined"]
>>> themes = ["financial_speculation", "financial_speculation", "rumors", "rumors",
...           "financial_speculation", "rumors"]
>>> scores = np.eye(2)[[0, 0, 1, 1, 0, 1]]
>>> model = GuidedTopics(min_reports=2, n_components=3).fit(
...     docs, scores, ["financial_speculation", "rumors"], docs, themes)
>>> sorted(set(model.theme_of_topic_.values()))
['financial_speculation', 'rumors']
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

EMERGING = "emerging"


class GuidedTopics(BaseEstimator):
    """Theme-first topics with an "emerging" remainder.

    Parameters
    ----------
    n_components : int
        Dimensions of the TF-IDF reduction (truncated SVD) the clusters live in.
    reports_per_topic : int
        About how many reports one topic of a theme holds; sets the number of
        sub-clusters per theme.
    max_topics_per_theme : int
        Upper bound on the sub-clusters of one theme.
    confidence : float
        A report whose best theme probability is below this is "unsure".
    far_quantile : float
        A report is "far from every theme" when its similarity to the nearest
        theme centroid of the guide corpus is below this quantile of the guide
        reports' similarity to their own theme's centroid.
    min_reports : int
        Fewer reports than this get no topics at all.
    top_words : int
        Words listed per topic.
    random_state : int
        Seed of the SVD and k-means.

    Attributes
    ----------
    topics_ : list of int
        Topic of each report (-1 when there were too few reports).
    theme_of_topic_ : dict of int to str
        The theme each topic belongs to, or ``"emerging"``.
    words_ : dict of int to list of str
        Top words of each topic (highest mean TF-IDF over the topic minus over all reports).
    emerging_ : ndarray of bool
        Which reports fit no theme well.
    similarity_ : ndarray
        Each report's cosine similarity to its nearest theme centroid.
    points_ : ndarray, shape (n_reports, 2)
        A 2-D projection (PCA of the reduced TF-IDF) for a document map.
    """

    def __init__(
        self,
        n_components: int = 100,
        reports_per_topic: int = 40,
        max_topics_per_theme: int = 8,
        confidence: float = 0.5,
        far_quantile: float = 0.1,
        min_reports: int = 10,
        top_words: int = 8,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.reports_per_topic = reports_per_topic
        self.max_topics_per_theme = max_topics_per_theme
        self.confidence = confidence
        self.far_quantile = far_quantile
        self.min_reports = min_reports
        self.top_words = top_words
        self.random_state = random_state

    def fit(
        self,
        documents: Sequence[str],
        theme_scores: np.ndarray,
        themes: Sequence[str],
        guide_documents: Sequence[str],
        guide_themes: Sequence[str],
    ) -> GuidedTopics:
        """Cluster ``documents`` (cleaned texts of the user's reports).

        Parameters
        ----------
        documents : sequence of str
            The user's reports.
        theme_scores : ndarray, shape (n_documents, n_themes)
            The classifier's theme probabilities, columns in ``themes`` order.
        themes : sequence of str
            The theme names of those columns.
        guide_documents, guide_themes : sequences of str
            The labeled corpus: texts and their themes.
        """
        documents = list(documents)
        n = len(documents)
        scores = np.asarray(theme_scores, dtype=float).reshape(n, len(themes))
        self.topics_ = [-1] * n
        self.theme_of_topic_: dict[int, str] = {}
        self.words_: dict[int, list[str]] = {}
        self.emerging_ = np.zeros(n, dtype=bool)
        self.similarity_ = np.zeros(n)
        self.points_ = np.zeros((n, 2))
        self.centroids_: dict[int, np.ndarray] = {}
        if n < self.min_reports:
            return self
        guide = list(guide_documents)
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, stop_words="english", min_df=2, max_df=0.5, max_features=20000
        )
        counts = vectorizer.fit_transform(documents + guide)
        components = max(2, min(self.n_components, counts.shape[1] - 1, counts.shape[0] - 1))
        reduced = normalize(
            TruncatedSVD(components, random_state=self.random_state).fit_transform(counts)
        )
        mine, theirs = reduced[:n], reduced[n:]
        self._find_emerging(mine, theirs, list(guide_themes), scores, list(themes))

        predicted = np.asarray(themes)[scores.argmax(1)]
        groups = [(str(t), np.flatnonzero((predicted == t) & ~self.emerging_)) for t in themes]
        groups.append((EMERGING, np.flatnonzero(self.emerging_)))
        topics = np.full(n, -1)
        for theme, members in groups:
            if not len(members):
                continue
            k = min(self.max_topics_per_theme, max(1, round(len(members) / self.reports_per_topic)))
            if theme == EMERGING:  # small groups of like reports, each worth a look
                k = min(len(members), max(1, math.ceil(len(members) / 15)))
            labels = (
                np.zeros(len(members), dtype=int)
                if k == 1
                else KMeans(k, n_init=3, random_state=self.random_state).fit_predict(mine[members])
            )
            for label in range(k):
                topic = len(self.theme_of_topic_)
                topics[members[labels == label]] = topic
                self.theme_of_topic_[topic] = theme
        self.topics_ = [int(t) for t in topics]
        self.words_ = self._top_words(counts[:n], topics, vectorizer.get_feature_names_out())
        self.centroids_ = {
            t: normalize(mine[topics == t].mean(0, keepdims=True))[0] for t in self.theme_of_topic_
        }
        self.points_ = (
            PCA(2, random_state=self.random_state).fit_transform(mine)
            if n > 2
            else np.zeros((n, 2))
        )
        self.features_ = mine
        return self

    def _find_emerging(
        self,
        mine: np.ndarray,
        theirs: np.ndarray,
        guide_themes: list[str],
        scores: np.ndarray,
        themes: list[str],
    ) -> None:
        known = [t for t in themes if t in set(guide_themes)]
        if not known:
            return
        labels = np.asarray(guide_themes)
        centroids = normalize(np.vstack([theirs[labels == t].mean(0) for t in known]))
        own = np.einsum("ij,ij->i", theirs, centroids[[known.index(t) for t in guide_themes]])
        far = float(np.quantile(own, self.far_quantile))
        self.similarity_ = (mine @ centroids.T).max(1)
        self.emerging_ = (scores.max(1) < self.confidence) & (self.similarity_ < far)

    def _top_words(self, counts, topics: np.ndarray, vocabulary) -> dict[int, list[str]]:
        ids = sorted(self.theme_of_topic_)
        membership = sparse.csr_matrix(
            (np.ones(len(topics)), (topics, np.arange(len(topics)))), shape=(len(ids), len(topics))
        )
        sizes = np.asarray(membership.sum(1)).ravel()
        means = np.asarray((membership @ counts).todense()) / sizes[:, None]
        lift = means - np.asarray(counts.mean(0)).ravel()
        return {
            t: [str(vocabulary[j]) for j in np.argsort(-lift[t])[: self.top_words]] for t in ids
        }

    def examples(self, titles: Sequence[str], count: int = 3) -> dict[int, list[str]]:
        """The ``count`` titles nearest each topic's centroid."""
        topics = np.asarray(self.topics_)
        found = {}
        for topic, centroid in self.centroids_.items():
            members = np.flatnonzero(topics == topic)
            nearest = members[np.argsort(-(self.features_[members] @ centroid))[:count]]
            found[topic] = [titles[i] for i in nearest]
        return found
