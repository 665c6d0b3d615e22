"""Shared fixtures. The real MiniLM model is used throughout; embeddings are
shared through the textcls disk cache, so each text is embedded once per machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textcls.corpus import load_corpus
from textcls.labels import LabelScheme

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
CORPUS = REPO / "corpus" / "reports.jsonl"
LABELS = REPO / "configs" / "labels.yaml"


@pytest.fixture(scope="session")
def scheme() -> LabelScheme:
    return LabelScheme.from_yaml(LABELS)


@pytest.fixture(scope="session")
def corpus(scheme):
    return load_corpus(CORPUS, scheme, require_labels=True)


@pytest.fixture(scope="session")
def small_corpus(corpus):
    """18 reports per theme, taken in file order: small but every label present."""
    picked, per_theme = [], {}
    for report in corpus:
        if per_theme.get(report.theme, 0) < 18:
            per_theme[report.theme] = per_theme.get(report.theme, 0) + 1
            picked.append(report.id)
    return corpus.subset(picked)


@pytest.fixture(scope="session")
def embedder():
    from textcls.embedding import SentenceEmbedder

    return SentenceEmbedder(progress=False)


@pytest.fixture()
def write_jsonl(tmp_path):
    def write(rows, name="reports.jsonl"):
        path = tmp_path / name
        path.write_text(
            "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
            encoding="utf-8",
        )
        return path

    return write


def write_config(folder: Path, corpus, **overrides) -> Path:
    """Write ``corpus`` as JSONL and a config over it into ``folder``; return the config path.

    Overrides are merged one level deep into the defaults (``topics={"enabled": False}``).
    """
    import yaml

    data = folder / "data.jsonl"
    data.write_text(
        "".join(
            json.dumps(
                {
                    "id": r.id,
                    "title": r.title,
                    "text": r.text,
                    "theme": r.theme,
                    "actions": list(r.actions),
                    "event": r.event,
                }
            )
            + "\n"
            for r in corpus
        ),
        encoding="utf-8",
    )
    config = {
        "name": "small",
        "seed": 3,
        "output_dir": str(folder / "experiments"),
        "data": {"corpus": str(data), "splits": None, "labels": str(LABELS)},
        "topics": {"umap": {"n_neighbors": 8}, "hdbscan": {"min_cluster_size": 5}},
    }
    for key, value in overrides.items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    path = folder / f"{config['name']}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture()
def small_config(tmp_path, small_corpus):
    """A writer of configs over ``small_corpus`` with their own output folder."""
    return lambda **overrides: write_config(tmp_path, small_corpus, **overrides)


@pytest.fixture(scope="session")
def tfidf_run(tmp_path_factory, small_corpus, scheme) -> Path:
    """A saved TF-IDF-only model (it never embeds): fast to fit and to predict with."""
    from textcls.classify import EnforcementClassifier
    from textcls.persist import save_model

    folder = tmp_path_factory.mktemp("tfidf_run")
    model = EnforcementClassifier(
        tfidf=True, tfidf_max_features=5000, calibrate_theme=False, thresholds="fixed"
    )
    model.fit(small_corpus.documents, small_corpus.themes, small_corpus.actions)
    save_model(model, folder, scheme)
    return folder
