"""Discover themes: BERTopic topics mapped onto the enforcement themes.

:class:`ThemeTopicModel` orchestrates BERTopic with textcls's pieces: cached
embeddings passed in (never recomputed inside BERTopic), UMAP and HDBSCAN
with a fixed seed, a CountVectorizer with English stop words and 1-2-grams
for c-TF-IDF, and outlier reduction. Each topic is then mapped to a theme:
by the majority gold theme of its documents when labels are given, otherwise
by cosine similarity between the topic's centroid and the embedded
description and keywords of each theme in the label scheme.

Guidance (BERTopic's guided topic modelling, with the label scheme's
descriptions as the seeds) pulls each document's embedding part of the way
toward the theme descriptions it resembles before UMAP runs. It uses no gold
labels, only the scheme, and makes clusters follow enforcement themes rather
than the places and agencies that dominate raw embeddings.

Example
-------
>>> model = ThemeTopicModel(scheme, embedder=SentenceEmbedder())   # doctest: +SKIP
>>> model.fit(documents, embeddings, themes=gold)                  # doctest: +SKIP
>>> model.transform(["Police shut 40 gambling sites"])             # doctest: +SKIP
TopicAssignment(topics=[3], themes=['fraud_platforms'], scores=[0.61])
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .atomic import staging_folder
from .labels import LabelScheme
from .metrics import clustering_scores

OUTLIER = -1
# Training documents kept to vote on new documents' topics (a seeded subset beyond this),
# and new documents compared with them at a time: they bound the saved model and memory.
NEIGHBOR_INDEX_SIZE = 20_000
VOTE_BLOCK = 500
# BERTopic imports these when installed (embedding backends, LLM representations,
# its plotly figures); textcls passes embeddings itself and draws with matplotlib.
_UNUSED_BY_BERTOPIC_HERE = ("torch", "transformers", "sentence_transformers", "plotly")


@dataclass
class TopicAssignment:
    """Topic id, mapped theme and similarity score of each document."""

    topics: list[int]
    themes: list[str]
    scores: list[float]


class ThemeTopicModel:
    """BERTopic with pluggable parts, and a mapping from topics to themes.

    Parameters
    ----------
    scheme : LabelScheme
        Themes to map topics onto; their descriptions drive the unlabeled mapping.
    embedder : transformer
        Embeds label descriptions and any documents given without embeddings.
    umap_model, hdbscan_model : estimators, optional
        Reducer and clusterer; defaults are a seeded, disk-cached UMAP(15, 5, cosine)
        (:class:`~textcls.reduction.CachedUMAP`) and HDBSCAN(10).
    vectorizer_model : CountVectorizer, optional
        Words for c-TF-IDF; default English stop words, 1-2-grams, min_df=2.
    top_n_words : int
        Words kept per topic.
    reduce_outliers : bool
        Reassign HDBSCAN's outliers to their nearest topic.
    outlier_strategy : str
        BERTopic's strategy for that: "embeddings", "c-tf-idf" or "distributions".
    guidance : float
        How far to pull documents toward the theme descriptions (0 disables).
    guidance_sharpness : float
        Softmax temperature of that pull: higher follows the single closest theme.
    neighbors : int
        New documents take the topic most of their ``neighbors`` nearest training
        documents hold (cosine on the embeddings as given, votes weighted by
        similarity); 0 assigns the nearest topic centroid instead.
    random_state : int
        Seed of UMAP; also picks the training documents kept for voting when there
        are more than ``NEIGHBOR_INDEX_SIZE``.

    Attributes
    ----------
    topic_model_ : bertopic.BERTopic
    topics_ : list of int
        Topic of each training document after outlier reduction.
    outliers_before_, outliers_after_ : float
        Share of training documents left as outliers before/after reduction.
    centroids_ : dict of int to ndarray
        Mean unit embedding of each topic.
    theme_of_topic_ : dict of int to str
        The mapping used (gold majority when labels were given).
    keyword_theme_of_topic_ : dict of int to str
        The mapping by label descriptions, kept for comparison.
    label_vectors_ : ndarray
        Embedded description and keywords of each theme.
    neighbor_vectors_, neighbor_topics_ : ndarray
        Unit embeddings and topics of the training documents that vote (empty when
        ``neighbors`` is 0).
    """

    def __init__(
        self,
        scheme: LabelScheme,
        embedder=None,
        umap_model=None,
        hdbscan_model=None,
        vectorizer_model=None,
        top_n_words: int = 10,
        reduce_outliers: bool = True,
        outlier_strategy: str = "embeddings",
        guidance: float = 0.7,
        guidance_sharpness: float = 20.0,
        neighbors: int = 5,
        random_state: int = 13,
    ) -> None:
        self.scheme = scheme
        self.embedder = embedder
        self.umap_model = umap_model
        self.hdbscan_model = hdbscan_model
        self.vectorizer_model = vectorizer_model
        self.top_n_words = top_n_words
        self.reduce_outliers = reduce_outliers
        self.outlier_strategy = outlier_strategy
        self.guidance = guidance
        self.guidance_sharpness = guidance_sharpness
        self.neighbors = neighbors
        self.random_state = random_state

    def fit(
        self,
        documents: Sequence[str],
        embeddings: np.ndarray | None = None,
        themes: Sequence[str] | None = None,
    ) -> ThemeTopicModel:
        """Cluster ``documents`` and map the topics to themes.

        Parameters
        ----------
        documents : sequence of str
            Cleaned report texts.
        embeddings : ndarray, optional
            One row per document; computed with ``embedder`` when missing.
        themes : sequence of str, optional
            Gold themes; when given, topics are mapped by majority vote.
        """
        BERTopic = import_bertopic().BERTopic

        documents = list(documents)
        self.label_vectors_ = normalize(
            self._embed([self.scheme.describe(t) for t in self.scheme.themes], None)
        )
        embeddings_as_given = self._embed(documents, embeddings)
        embeddings = self._guide(embeddings_as_given)

        def fit_topics(vectorizer: CountVectorizer) -> list[int]:
            self.topic_model_ = BERTopic(
                umap_model=self.umap_model
                if self.umap_model is not None
                else _default_umap(self.random_state),
                hdbscan_model=self.hdbscan_model
                if self.hdbscan_model is not None
                else _default_hdbscan(),
                vectorizer_model=vectorizer,
                top_n_words=self.top_n_words,
                calculate_probabilities=False,
            )
            return self.topic_model_.fit_transform(documents, embeddings=embeddings)[0]

        topics = self._counting_words(fit_topics)
        self.outliers_before_ = float(np.mean(np.array(topics) == OUTLIER))
        has_topics = any(t != OUTLIER for t in topics)
        if self.reduce_outliers and has_topics and OUTLIER in topics:
            topics = self.topic_model_.reduce_outliers(
                documents, topics, strategy=self.outlier_strategy, embeddings=embeddings
            )

            def update_words(vectorizer: CountVectorizer) -> None:
                with _bertopic_warnings_silenced():
                    self.topic_model_.update_topics(
                        documents,
                        topics=topics,
                        vectorizer_model=vectorizer,
                        top_n_words=self.top_n_words,
                    )

            self._counting_words(update_words)
        self.topics_ = [int(t) for t in topics]
        self.outliers_after_ = float(np.mean(np.array(self.topics_) == OUTLIER))
        unit = normalize(embeddings)
        self.centroids_ = {
            t: normalize(unit[np.array(self.topics_) == t].mean(0, keepdims=True))[0]
            for t in sorted(set(self.topics_))
            if t != OUTLIER
        }
        if not self.centroids_:  # everything was noise: one topic holds it all
            self.centroids_ = {OUTLIER: normalize(unit.mean(0, keepdims=True))[0]}
        self._keep_voters(embeddings_as_given)
        self.keyword_theme_of_topic_ = self._map_by_descriptions()
        if themes is not None:
            self.theme_of_topic_ = self._map_by_gold(list(themes))
            self.mapping_ = "gold majority"
        else:
            self.theme_of_topic_ = dict(self.keyword_theme_of_topic_)
            self.mapping_ = "label descriptions"
        return self

    def transform(
        self, documents: Sequence[str], embeddings: np.ndarray | None = None
    ) -> TopicAssignment:
        """Assign each document a topic (by its nearest training documents, or the nearest
        centroid), that topic's theme, and its similarity to the topic's centroid."""
        documents = list(documents)
        if not documents:
            return TopicAssignment([], [], [])
        given = self._embed(documents, embeddings)
        unit = self._guide(given)
        ids = list(self.centroids_)
        similarity = unit @ np.vstack([self.centroids_[t] for t in ids]).T
        best = similarity.argmax(1)
        if self.neighbors and len(getattr(self, "neighbor_topics_", ())):
            best = self._vote(normalize(given), ids, fallback=best)
        topics = [int(ids[i]) for i in best]
        return TopicAssignment(
            topics,
            [self.theme_of_topic_[t] for t in topics],
            [round(float(s), 4) for s in similarity[np.arange(len(best)), best]],
        )

    def training_assignment(self, embeddings: np.ndarray) -> TopicAssignment:
        """The fitted topics of the training documents, with themes and scores."""
        unit = self._guide(embeddings)
        scores = [
            float(unit[i] @ self.centroids_.get(t, self.centroids_[next(iter(self.centroids_))]))
            for i, t in enumerate(self.topics_)
        ]
        themes = [
            self.theme_of_topic_.get(
                t, "other" if "other" in self.scheme.themes else self.scheme.themes[-1]
            )
            for t in self.topics_
        ]
        return TopicAssignment(list(self.topics_), themes, [round(s, 4) for s in scores])

    def topic_table(self, topics: Sequence[int] | None = None) -> list[dict]:
        """One row per topic: id, size, top words, mapped themes.

        Sizes count ``topics`` (the topic of each of some documents) when given,
        otherwise the training documents.
        """
        sizes = Counter(self.topics_ if topics is None else topics)
        rows = []
        for topic in sorted(sizes):
            words = [w for w, _ in (self.topic_model_.get_topic(topic) or [])][: self.top_n_words]
            rows.append(
                {
                    "topic": topic,
                    "size": sizes[topic],
                    "top_words": " | ".join(words),
                    "theme": self.theme_of_topic_.get(topic, ""),
                    "keyword_theme": self.keyword_theme_of_topic_.get(topic, ""),
                }
            )
        return rows

    def summary(self) -> dict:
        """Number of topics (outliers not counted) and outlier shares before/after reduction."""
        return {
            "topics": len(set(self.topics_) - {OUTLIER}),
            "outliers_before_reduction": round(self.outliers_before_, 4),
            "outliers_after_reduction": round(self.outliers_after_, 4),
        }

    def score(self, gold: Sequence[str], topics: Sequence[int] | None = None) -> dict:
        """The :meth:`summary` plus agreement of topics and mapped themes with gold themes.

        ``topics`` are the topics of the documents ``gold`` labels; default: the
        training documents.
        """
        topics = self.topics_ if topics is None else topics
        assigned = [self.theme_of_topic_.get(t, "") for t in topics]
        keyword = [self.keyword_theme_of_topic_.get(t, "") for t in topics]
        return {
            **self.summary(),
            "topics_vs_gold": clustering_scores(topics, gold),
            "mapped_theme_accuracy": round(float(np.mean(np.array(assigned) == np.array(gold))), 4),
            "keyword_mapping_accuracy": round(
                float(np.mean(np.array(keyword) == np.array(gold))), 4
            ),
        }

    # ---- mapping --------------------------------------------------------
    def _map_by_gold(self, gold: list[str]) -> dict[int, str]:
        votes: dict[int, Counter] = {}
        for topic, theme in zip(self.topics_, gold):
            votes.setdefault(topic, Counter())[theme] += 1
        mapping = {t: c.most_common(1)[0][0] for t, c in votes.items()}
        for topic in self.centroids_:
            mapping.setdefault(topic, self.keyword_theme_of_topic_[topic])
        return mapping

    def _map_by_descriptions(self) -> dict[int, str]:
        themes = self.scheme.themes
        label_vectors = self.label_vectors_
        ids = list(self.centroids_)
        centroid_matrix = np.vstack([self.centroids_[t] for t in ids])
        # Topic words embedded too, so the mapping uses what c-TF-IDF found, not only the centroid.
        words = [
            " ".join(w for w, _ in (self.topic_model_.get_topic(t) or [])) or "none" for t in ids
        ]
        word_vectors = normalize(self._embed(words, None))
        similarity = centroid_matrix @ label_vectors.T + word_vectors @ label_vectors.T
        return {int(t): themes[int(i)] for t, i in zip(ids, similarity.argmax(1))}

    # ---- voting ---------------------------------------------------------
    def _keep_voters(self, embeddings: np.ndarray) -> None:
        """Keep the unit embeddings and topics of the training documents that vote."""
        rows = np.flatnonzero([self.neighbors > 0 and t in self.centroids_ for t in self.topics_])
        if len(rows) > NEIGHBOR_INDEX_SIZE:
            rng = np.random.default_rng(self.random_state)
            rows = np.sort(rng.choice(rows, NEIGHBOR_INDEX_SIZE, replace=False))
        self.neighbor_vectors_ = normalize(np.asarray(embeddings, dtype=np.float32)[rows])
        self.neighbor_topics_ = np.asarray(self.topics_, dtype=np.int64)[rows]

    def _vote(self, unit: np.ndarray, ids: list[int], fallback: np.ndarray) -> np.ndarray:
        """Index into ``ids`` of the topic the nearest training documents vote for."""
        k = min(self.neighbors, len(self.neighbor_topics_))
        column = {t: j for j, t in enumerate(ids)}
        voter_columns = np.array([column[t] for t in self.neighbor_topics_])
        best = fallback.copy()
        for start in range(0, len(unit), VOTE_BLOCK):  # bounds the similarity matrix
            similarity = unit[start : start + VOTE_BLOCK] @ self.neighbor_vectors_.T
            nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
            weights = np.clip(np.take_along_axis(similarity, nearest, 1), 1e-6, None)
            tally = np.zeros((len(similarity), len(ids)))
            np.add.at(tally, (np.arange(len(similarity))[:, None], voter_columns[nearest]), weights)
            best[start : start + VOTE_BLOCK] = tally.argmax(1)
        return best

    # ---- helpers --------------------------------------------------------
    def _guide(self, embeddings: np.ndarray) -> np.ndarray:
        unit = normalize(np.asarray(embeddings, dtype=np.float32))
        if not self.guidance:
            return unit
        similarity = unit @ self.label_vectors_.T * self.guidance_sharpness
        weights = np.exp(similarity - similarity.max(1, keepdims=True))
        weights /= weights.sum(1, keepdims=True)
        return normalize(unit + self.guidance * weights @ self.label_vectors_)

    def _embed(self, documents: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float32)
            if len(embeddings) != len(documents):
                raise ValueError(f"{len(documents)} documents but {len(embeddings)} embeddings")
            return embeddings
        if self.embedder is None:
            raise ValueError("no embeddings given and no embedder to compute them")
        return np.asarray(self.embedder.transform(documents), dtype=np.float32)

    def _vectorizer(self) -> CountVectorizer:
        if self.vectorizer_model is not None:
            from sklearn.base import clone

            return clone(self.vectorizer_model)
        return CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2)

    def _counting_words(self, step):
        """Run a BERTopic step that fits c-TF-IDF's vectorizer, and return its result.

        c-TF-IDF counts words over one document per topic, so ``min_df=2`` cannot be
        met when a small pile forms a single topic (scikit-learn then raises). One
        topic is a fair outcome there: the step runs again counting every word.
        """
        vectorizer = self._vectorizer()
        try:
            return step(vectorizer)
        except ValueError as error:
            if "min_df" not in str(error) or vectorizer.min_df == 1:
                raise
            return step(vectorizer.set_params(min_df=1))

    # ---- persistence ----------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write BERTopic's safetensors files plus textcls's mapping into ``folder``."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(folder.parent, f".{folder.name}.")
        try:
            with _bertopic_warnings_silenced():
                self.topic_model_.save(
                    str(staging / "bertopic"),
                    serialization="safetensors",
                    save_ctfidf=True,
                    save_embedding_model=False,
                )
            ids = list(self.centroids_)
            np.save(staging / "centroids.npy", np.vstack([self.centroids_[t] for t in ids]))
            np.save(staging / "label_vectors.npy", self.label_vectors_)
            np.save(staging / "neighbor_vectors.npy", self.neighbor_vectors_)
            np.save(staging / "neighbor_topics.npy", self.neighbor_topics_)
            mapping = {
                "topic_ids": ids,
                "theme_of_topic": {str(k): v for k, v in self.theme_of_topic_.items()},
                "keyword_theme_of_topic": {
                    str(k): v for k, v in self.keyword_theme_of_topic_.items()
                },
                "mapping": self.mapping_,
                "topics": self.topics_,
                "outliers_before": self.outliers_before_,
                "outliers_after": self.outliers_after_,
                "labels": self.scheme.to_dict(),
                "params": {
                    "top_n_words": self.top_n_words,
                    "random_state": self.random_state,
                    "reduce_outliers": self.reduce_outliers,
                    "outlier_strategy": self.outlier_strategy,
                    "guidance": self.guidance,
                    "guidance_sharpness": self.guidance_sharpness,
                    "neighbors": self.neighbors,
                },
            }
            (staging / "mapping.json").write_text(json.dumps(mapping, indent=2))
            if folder.exists():
                shutil.rmtree(folder)
            staging.rename(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return folder

    @classmethod
    def load(cls, folder: str | Path, embedder=None) -> ThemeTopicModel:
        """Load a model written by :meth:`save`; ``embedder`` embeds new documents."""
        BERTopic = import_bertopic().BERTopic
        from bertopic.backend import BaseEmbedder

        folder = Path(folder)
        mapping = json.loads((folder / "mapping.json").read_text())
        params = mapping["params"]
        model = cls(
            LabelScheme.from_dict(mapping["labels"], source=str(folder)),
            embedder=embedder,
            **params,
        )
        # An empty backend keeps BERTopic from fetching its default model from a hub;
        # textcls always passes embeddings itself.
        model.topic_model_ = BERTopic.load(str(folder / "bertopic"), embedding_model=BaseEmbedder())
        centroids = np.load(folder / "centroids.npy")
        model.label_vectors_ = np.load(folder / "label_vectors.npy")
        if (folder / "neighbor_vectors.npy").exists():
            model.neighbor_vectors_ = np.load(folder / "neighbor_vectors.npy")
            model.neighbor_topics_ = np.load(folder / "neighbor_topics.npy")
        else:  # saved before voting existed: the centroids assign, as they did then
            model.neighbors = 0
        model.centroids_ = {int(t): centroids[i] for i, t in enumerate(mapping["topic_ids"])}
        model.theme_of_topic_ = {int(k): v for k, v in mapping["theme_of_topic"].items()}
        model.keyword_theme_of_topic_ = {
            int(k): v for k, v in mapping["keyword_theme_of_topic"].items()
        }
        model.mapping_ = mapping["mapping"]
        model.topics_ = mapping["topics"]
        model.outliers_before_ = mapping["outliers_before"]
        model.outliers_after_ = mapping["outliers_after"]
        return model


def import_bertopic():
    """The ``bertopic`` package, imported without the optional modules textcls never uses.

    Importing BERTopic also imports torch, transformers, sentence-transformers and
    plotly when they are installed: about 6 s on 2 cores, paid even when every
    embedding comes from the cache. While it imports, those modules (unless already
    imported) are marked absent, so BERTopic runs in its lightweight mode, as if
    installed without them; they import normally afterwards. The cost: BERTopic's
    own plotly ``visualize_*`` methods are unavailable in a process where textcls
    imported BERTopic first (import ``bertopic`` yourself before to keep them).

    Example
    -------
    >>> import_bertopic().BERTopic.__name__
    'BERTopic'
    """
    if "bertopic" in sys.modules:
        return sys.modules["bertopic"]
    hidden = [name for name in _UNUSED_BY_BERTOPIC_HERE if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` now raises ModuleNotFoundError
    try:
        import bertopic
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return bertopic


def _default_umap(random_state: int):
    from .reduction import CachedUMAP

    return CachedUMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=random_state
    )


def _default_hdbscan():
    from hdbscan import HDBSCAN

    return HDBSCAN(
        min_cluster_size=10,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=True,
    )


@contextmanager
def _bertopic_warnings_silenced():
    """Mute BERTopic's warnings about steps textcls takes on purpose.

    Assigning topics after outlier reduction and saving without an embedding
    model are both by design here (embeddings come from textcls's cache), so the
    warnings would only alarm users.
    """
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
