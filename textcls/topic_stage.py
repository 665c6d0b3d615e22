"""The topic stage of a run: build the topic model from the config, fit it, write
``topics.csv``, ``assignments.csv``, the figures and the model.

:func:`topics_stage` clusters a corpus held in memory. :func:`sampled_topics_stage`
is for piles too large to cluster whole, as BERTopic's authors advise for millions
of documents: fit on a uniform sample, then assign the rest with the fitted model.
It reads the input twice. The first pass draws the sample by reservoir sampling,
so only the sample is held. The second pass embeds the other reports in chunks
and gives each the topic most of its nearest sample reports hold
(:meth:`~textcls.topics.ThemeTopicModel.transform`, which is also how the stored
topic model labels new reports). Memory is the sample plus one chunk, however
long the input.

Example
-------
>>> model = build_topic_model(config, scheme, embedder)                  # doctest: +SKIP
>>> sampled_topics_stage(config, model, "pile.jsonl", embedder, folder)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path
from typing import Generic, Iterable, Iterator, Sequence, TypeVar, cast

import numpy as np

from .atomic import open_atomic, write_csv
from .config import ExperimentConfig
from .corpus import Corpus, Report, cleaning_summary, iter_reports
from .errors import InputError
from .labels import LabelScheme
from .reduction import CachedUMAP
from .topics import ThemeTopicModel

T = TypeVar("T")
CHUNK = 1000  # reports embedded and assigned at a time in the second pass
# The 2-D map is a picture: UMAP's epochs for large inputs are enough for it at any size
# (below 10,000 points UMAP would run 500, the map's main cost on a 5,000-report sample).
MAP_EPOCHS = 200
ASSIGNMENT_COLUMNS = ["id", "topic", "theme", "score", "gold_theme", "fitted"]
TOPIC_COLUMNS = ["topic", "size", "top_words", "theme", "keyword_theme"]


def build_topic_model(config: ExperimentConfig, scheme: LabelScheme, embedder) -> ThemeTopicModel:
    """The config's :class:`~textcls.topics.ThemeTopicModel`, not yet fitted."""
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    spec = config.topics
    return ThemeTopicModel(
        scheme,
        embedder=embedder,
        umap_model=CachedUMAP(
            n_neighbors=spec.umap.n_neighbors,
            n_components=spec.umap.n_components,
            min_dist=spec.umap.min_dist,
            metric=spec.umap.metric,
            random_state=config.seed,
        ),
        hdbscan_model=HDBSCAN(
            min_cluster_size=spec.hdbscan.min_cluster_size,
            min_samples=spec.hdbscan.min_samples,
            cluster_selection_method=spec.hdbscan.cluster_selection_method,
            prediction_data=True,
        ),
        vectorizer_model=CountVectorizer(
            stop_words="english", ngram_range=spec.ngram_range, min_df=spec.min_df
        ),
        top_n_words=spec.top_n_words,
        reduce_outliers=spec.reduce_outliers,
        outlier_strategy=spec.outlier_strategy,
        guidance=spec.guidance,
        guidance_sharpness=spec.guidance_sharpness,
        neighbors=spec.neighbors,
        random_state=config.seed,
    )


def topics_stage(
    config: ExperimentConfig,
    model: ThemeTopicModel,
    corpus: Corpus,
    embeddings: np.ndarray,
    folder: Path,
) -> dict:
    """Fit ``model`` on the whole of ``corpus``, write its outputs; return its metrics."""
    gold = cast("list[str]", corpus.themes) if corpus.labeled else None
    model.fit(corpus.documents, embeddings, themes=gold)
    assignment = model.training_assignment(embeddings)
    write_csv(
        folder / "assignments.csv",
        [
            _assignment_row(report, topic, theme, score)
            for report, topic, theme, score in zip(
                corpus, assignment.topics, assignment.themes, assignment.scores
            )
        ],
        ASSIGNMENT_COLUMNS,
    )
    topics = assignment.topics
    return _finish(config, model, folder, topics, assignment.themes, gold, embeddings, topics, gold)


def sampled_topics_stage(
    config: ExperimentConfig,
    model: ThemeTopicModel,
    path: str | Path,
    embedder,
    folder: Path,
    chunk_size: int = CHUNK,
) -> tuple[dict, dict]:
    """Fit ``model`` on a sample of ``config.topics.sample`` reports of ``path`` and
    assign the others in chunks; write the outputs.

    Returns the topic metrics and what was read: ``{"data": ..., "cleaning": ...}``.
    Bad rows stop the stage or are skipped and listed, as ``config.data.on_error`` says.
    """
    reservoir: Reservoir[Report] = Reservoir(cast(int, config.topics.sample), config.seed)
    skipped: list[InputError] = []
    first_pass = _Counted(_good_reports(path, model.scheme, config.data.on_error, skipped))
    cleaning = cleaning_summary(reservoir.feed(first_pass))  # one read: tally and sample
    if not first_pass.count:
        raise InputError("contains no valid reports" if skipped else "contains no reports", path)
    positions, sample = zip(*reservoir.items())
    sampled = set(positions)
    labeled = first_pass.labeled
    documents = [r.document for r in sample]
    embeddings = embedder.fit_transform(documents)
    sample_gold = [cast(str, r.theme) for r in sample] if labeled else None
    model.fit(documents, embeddings, themes=sample_gold)
    fitted = model.training_assignment(embeddings)
    by_position = {p: i for i, p in enumerate(positions)}

    topics: list[int] = []
    themes: list[str] = []
    gold: list[str] = []
    rest = _good_reports(path, model.scheme, config.data.on_error, [])
    with open_atomic(folder / "assignments.csv", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=ASSIGNMENT_COLUMNS)
        writer.writeheader()
        for start, chunk in _chunks(rest, chunk_size):
            new = [r for i, r in enumerate(chunk, start) if i not in sampled]
            assigned = model.transform([r.document for r in new])
            found = iter(zip(assigned.topics, assigned.themes, assigned.scores))
            for i, report in enumerate(chunk, start):
                if i in sampled:
                    k = by_position[i]
                    topic, theme, score = fitted.topics[k], fitted.themes[k], fitted.scores[k]
                else:
                    topic, theme, score = next(found)
                writer.writerow(_assignment_row(report, topic, theme, score, i in sampled))
                topics.append(topic)
                themes.append(theme)
                if labeled:
                    gold.append(cast(str, report.theme))
    metrics = _finish(
        config, model, folder, topics, themes, gold or None, embeddings, fitted.topics, sample_gold
    )
    metrics["sample"] = {
        "reports": len(sample),
        "of": first_pass.count,
        "assigned": first_pass.count - len(sample),
        "seed": config.seed,
        **({"topics_vs_gold": model.score(sample_gold)["topics_vs_gold"]} if sample_gold else {}),
    }
    read = {
        "corpus": str(path),
        "reports": first_pass.count,
        "skipped": [str(p) for p in skipped],
    }
    return metrics, {"data": read, "cleaning": cleaning}


class Reservoir(Generic[T]):
    """A uniform sample of ``size`` items of a stream read once (Algorithm R).

    Only the sample is held; the same seed and stream give the same sample.

    Example
    -------
    >>> reservoir = Reservoir(3, seed=1)
    >>> for letter in "abcdefgh":
    ...     reservoir.add(letter)
    >>> reservoir.items()
    [(1, 'b'), (4, 'e'), (5, 'f')]
    """

    def __init__(self, size: int, seed: int = 0) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        self.seed = seed
        self._rng = random.Random(seed)
        self._kept: list[tuple[int, T]] = []
        self._seen = 0

    def add(self, item: T) -> None:
        position, self._seen = self._seen, self._seen + 1
        if position < self.size:
            self._kept.append((position, item))
        else:
            slot = self._rng.randint(0, position)
            if slot < self.size:
                self._kept[slot] = (position, item)

    def feed(self, items: Iterable[T]) -> Iterator[T]:
        """Pass ``items`` through, adding each: sample while another consumer reads."""
        for item in items:
            self.add(item)
            yield item

    def items(self) -> list[tuple[int, T]]:
        """The sample so far with each item's position in the stream, in stream order
        (every item while fewer than ``size`` were seen)."""
        return sorted(self._kept, key=lambda pair: pair[0])


# ---- helpers ---------------------------------------------------------------------
class _Counted:
    """A stream of reports that counts what passes and whether every one is labeled."""

    def __init__(self, reports: Iterator[Report]) -> None:
        self.reports = reports
        self.count = 0
        self.labeled = True

    def __iter__(self) -> Iterator[Report]:
        for report in self.reports:
            self.count += 1
            self.labeled = self.labeled and report.labeled
            yield report


def _good_reports(
    path: str | Path, scheme: LabelScheme, on_error: str, skipped: list[InputError]
) -> Iterator[Report]:
    for item in iter_reports(path, scheme):
        if isinstance(item, Report):
            yield item
        elif on_error == "raise":
            raise item
        else:
            skipped.append(item)


def _chunks(reports: Iterable[Report], size: int) -> Iterator[tuple[int, list[Report]]]:
    """Lists of ``size`` reports, each with the position of its first report."""
    chunk: list[Report] = []
    start = 0
    for report in reports:
        chunk.append(report)
        if len(chunk) == size:
            yield start, chunk
            start, chunk = start + size, []
    if chunk:
        yield start, chunk


def _assignment_row(
    report: Report, topic: int, theme: str, score: float, fitted: bool = True
) -> dict:
    return {
        "id": report.id,
        "topic": topic,
        "theme": theme,
        "score": score,
        "gold_theme": report.theme or "",
        "fitted": int(fitted),  # 1: clustered by the fit; 0: assigned by the fitted model
    }


def _finish(
    config: ExperimentConfig,
    model: ThemeTopicModel,
    folder: Path,
    topics: Sequence[int],
    themes: Sequence[str],
    gold: Sequence[str] | None,
    fitted_embeddings: np.ndarray,
    fitted_topics: Sequence[int],
    fitted_gold: Sequence[str] | None,
) -> dict:
    """Write topics.csv, the model and the figures; return the metrics over ``topics``.

    The map of documents shows those the model was fitted on (``fitted_*``); the rest
    counts every document.
    """
    table = model.topic_table(topics)
    write_csv(folder / "topics.csv", table, TOPIC_COLUMNS)
    model.save(folder / "topic_model")
    metrics = {"mapping": model.mapping_, **model.summary(), "theme_sizes": _count(themes)}
    if gold is not None:
        metrics.update(model.score(gold, topics))
        metrics["gold_theme_sizes"] = _count(gold)
    if config.evaluate.plots:
        from . import plots

        points = CachedUMAP(
            n_neighbors=config.topics.umap.n_neighbors,
            n_components=2,
            min_dist=0.1,
            metric=config.topics.umap.metric,
            random_state=config.seed,
            n_epochs=MAP_EPOCHS,
        ).fit_transform(fitted_embeddings)
        plots.plot_document_map(points, fitted_topics, fitted_gold, folder / "topics_map.png")
        plots.plot_topic_words(table, folder / "topics_words.png")
        plots.plot_topic_theme_heatmap(
            topics, gold or themes, model.scheme.themes, folder / "topics_by_theme.png"
        )
        sizes = {"topics (mapped)": _count(themes)}
        if gold is not None:
            sizes = {"gold": _count(gold), **sizes}
        plots.plot_theme_sizes(sizes, folder / "theme_sizes.png")
    return metrics


def _count(values: Sequence[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())
