"""Matplotlib figures for runs, saved as PNG.

Each function draws one figure into ``path`` (written through a temporary
file and a rename) and returns the path.

Example
-------
>>> plot_theme_sizes({"rumors": 120, "other": 60}, "sizes.png")  # doctest: +SKIP
PosixPath('sizes.png')
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # figures are files; no display is needed or assumed
import matplotlib.pyplot as plt
import numpy as np

from .atomic import write_atomic


def _save(figure, path: str | Path) -> Path:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    write_atomic(Path(path), buffer.getvalue())
    return Path(path)


def _heatmap(ax, matrix: np.ndarray, rows: Sequence[str], columns: Sequence[str]) -> None:
    image = ax.imshow(matrix, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=35, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    top = matrix.max() if matrix.size else 0
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(
            j,
            i,
            f"{value:g}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if value > top / 2 else "black",
        )
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)


def plot_confusion(
    matrix: Sequence[Sequence[int]],
    labels: Sequence[str],
    path: str | Path,
    title: str = "Theme confusion (rows: gold, columns: predicted)",
) -> Path:
    figure, ax = plt.subplots(figsize=(7, 5.5))
    _heatmap(ax, np.asarray(matrix), labels, labels)
    ax.set_title(title)
    return _save(figure, path)


def plot_action_f1(per_label: dict[str, dict], path: str | Path) -> Path:
    names = list(per_label)
    figure, ax = plt.subplots(figsize=(7, 4))
    width = 0.27
    for k, metric in enumerate(("precision", "recall", "f1")):
        ax.bar(
            np.arange(len(names)) + (k - 1) * width,
            [per_label[n][metric] for n in names],
            width,
            label=metric,
        )
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Actions: precision, recall and F1 per label (test split)")
    ax.legend(loc="lower right")
    return _save(figure, path)


def plot_document_map(
    points: np.ndarray, topics: Sequence[int], gold: Sequence[str] | None, path: str | Path
) -> Path:
    """2-D map of documents coloured by topic and, beside it, by gold theme."""
    panels = [("topic", [str(t) for t in topics])]
    if gold is not None:
        panels.append(("gold theme", list(gold)))
    figure, axes = plt.subplots(1, len(panels), figsize=(7 * len(panels), 6), squeeze=False)
    for ax, (name, values) in zip(axes[0], panels):
        categories = sorted(set(values), key=lambda v: (len(v), v))
        colours = plt.get_cmap("tab20", max(len(categories), 1))
        for i, category in enumerate(categories):
            mask = np.array([v == category for v in values])
            ax.scatter(points[mask, 0], points[mask, 1], s=9, color=colours(i), label=category)
        ax.set_title(f"Documents coloured by {name}")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(fontsize=7, markerscale=2, loc="best", ncol=2 if len(categories) > 10 else 1)
    return _save(figure, path)


def plot_topic_words(table: list[dict], path: str | Path, words: int = 8) -> Path:
    """Top c-TF-IDF words of each topic, one small panel per topic."""
    rows = [r for r in table if r["topic"] != -1] or table
    columns = 4
    lines = max(1, -(-len(rows) // columns))
    figure, axes = plt.subplots(lines, columns, figsize=(4 * columns, 2.6 * lines), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, row in zip(axes.flat, rows):
        ax.axis("on")
        terms = row["top_words"].split(" | ")[:words][::-1]
        ax.barh(range(len(terms)), range(len(terms), 0, -1)[::-1], color="tab:blue")
        ax.set_yticks(range(len(terms)), terms, fontsize=8)
        ax.set_xticks([])
        ax.set_title(f"topic {row['topic']} (n={row['size']}) -> {row['theme']}", fontsize=9)
    figure.suptitle("Top words per topic (rank order)")
    return _save(figure, path)


def plot_topic_theme_heatmap(
    topics: Sequence[int], gold: Sequence[str], themes: list[str], path: str | Path
) -> Path:
    ids = sorted(set(topics))
    matrix = np.zeros((len(ids), len(themes)), dtype=int)
    for topic, theme in zip(topics, gold):
        if theme in themes:
            matrix[ids.index(topic), themes.index(theme)] += 1
    figure, ax = plt.subplots(figsize=(7, max(3, 0.4 * len(ids) + 1)))
    _heatmap(ax, matrix, [f"topic {t}" for t in ids], themes)
    ax.set_title("Documents per topic and gold theme")
    return _save(figure, path)


def plot_theme_sizes(sizes: dict[str, dict[str, int]], path: str | Path) -> Path:
    """Bars of documents per theme, one bar group per source (e.g. gold vs topics)."""
    sources = list(sizes)
    themes = sorted({t for counts in sizes.values() for t in counts})
    figure, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / max(len(sources), 1)
    for k, source in enumerate(sources):
        ax.bar(
            np.arange(len(themes)) + k * width,
            [sizes[source].get(t, 0) for t in themes],
            width,
            label=source,
        )
    ax.set_xticks(
        np.arange(len(themes)) + width * (len(sources) - 1) / 2, themes, rotation=25, ha="right"
    )
    ax.set_ylabel("documents")
    ax.set_title("Theme sizes")
    ax.legend()
    return _save(figure, path)
