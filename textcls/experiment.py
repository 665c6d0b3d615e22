"""Run an experiment from its config: topics, training, evaluation.

Every run writes ``<output_dir>/<name>/<timestamp>-<config hash>/``. The folder
is built under a hidden ``.incomplete-*`` name and renamed only when every
stage has finished, so a crashed or interrupted run never looks finished
and earlier runs are never touched.

Example
-------
>>> result = run_experiment(load_config("configs/default.yaml"))   # doctest: +SKIP
>>> result.path.name                                               # doctest: +SKIP
'20261123-101500-ab12cd34'
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Sequence, cast

from .atomic import staging_folder, write_atomic, write_csv
from .classify import EnforcementClassifier
from .cleaning import clean
from .config import ExperimentConfig
from .corpus import Corpus, cleaning_summary, load_corpus, load_splits, make_splits
from .embedding import SentenceEmbedder, TfidfEmbedder
from .environment import run_environment
from .gold import load_gold_sentences
from .labels import LabelScheme
from .metrics import action_scores, theme_scores
from .persist import library_versions, save_model
from .sentence_actions import SentenceActionModel
from .static import StaticEmbedder
from .topic_stage import build_topic_model, sampled_topics_stage, topics_stage

Log = Callable[[str], None]


@dataclass
class RunResult:
    path: Path
    metrics: dict = field(default_factory=dict)


# ---- building parts from config -------------------------------------------------
def build_embedder(config: ExperimentConfig, progress: bool | None = None):
    spec = config.embedder
    model_path = str(spec.model_path) if spec.model_path else None
    if spec.kind == "tfidf_svd":
        return TfidfEmbedder(n_components=spec.n_components, random_state=config.seed)
    if spec.kind == "static":
        return StaticEmbedder(
            model_path=model_path,
            model_sha256=spec.model_sha256,
            dimensions=spec.n_components,
            normalize=spec.normalize,
        )
    return SentenceEmbedder(
        model_path=model_path,
        model_sha256=spec.model_sha256,
        batch_size=spec.batch_size,
        max_seq_length=spec.max_seq_length,
        long_text=spec.long_text,
        normalize=spec.normalize,
        progress=progress,
    )


def _head(spec, seed: int):
    if spec.model == "linear_svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(C=spec.C, class_weight=spec.class_weight, random_state=seed)
    from sklearn.linear_model import LogisticRegression

    # newton-cg reaches the same optimum as lbfgs in a tenth of the time on 30,000
    # TF-IDF columns (scipy's L-BFGS-B step dominates there).
    return LogisticRegression(
        C=spec.C,
        class_weight=spec.class_weight,
        max_iter=3000,
        solver="newton-cg",
        random_state=seed,
    )


def build_classifier(
    config: ExperimentConfig, progress: bool | None = None, scheme: LabelScheme | None = None
) -> EnforcementClassifier:
    features = config.features
    if not (features.embeddings or features.tfidf):
        from .errors import ConfigError

        raise ConfigError("features: enable embeddings, tfidf or both")
    scheme = scheme or LabelScheme.from_yaml(config.data.labels)
    actions = config.action_head
    return EnforcementClassifier(
        embedder=build_embedder(config, progress) if features.embeddings else None,
        tfidf=features.tfidf,
        tfidf_max_features=features.tfidf_max_features,
        tfidf_ngram_range=features.tfidf_ngram_range,
        theme_head=_head(config.theme_head, config.seed),
        calibrate_theme=config.theme_head.calibrate,
        action_head=_head(config.action_head, config.seed),
        thresholds=actions.thresholds,
        threshold=actions.threshold,
        action_mode=actions.mode,
        sentence_weight=actions.sentence_weight,
        sentence_model=SentenceActionModel(
            keywords=scheme.action_keywords(), C=actions.sentence_C, random_state=config.seed
        ),
        random_state=config.seed,
    )


# ---- run folder -----------------------------------------------------------------
@contextmanager
def run_directory(config: ExperimentConfig, prefix: str = "") -> Iterator[tuple[Path, list]]:
    """Yield a staging folder and a one-item list that receives the final path."""
    parent = Path(config.output_dir) / (config.name or "run")
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{prefix}{stamp}-{config.digest()}"
    staging = staging_folder(parent, f".incomplete-{name}-")
    final: list[Path] = []
    try:
        yield staging, final
        final.append(_publish(staging, parent, name))
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, parent: Path, name: str) -> Path:
    # Two runs of one config in the same second get distinct names instead of clobbering.
    for attempt in range(1000):
        target = parent / (name if attempt == 0 else f"{name}-{attempt + 1}")
        if target.exists():
            continue
        try:
            os.rename(staging, target)  # atomic; fails if another run took the name first
            return target
        except OSError:
            continue
    raise RuntimeError(f"could not find a free run folder name under {parent}")


# ---- stages ---------------------------------------------------------------------
def with_corpus(config: ExperimentConfig, data: str | Path) -> ExperimentConfig:
    """``config`` over the reports at ``data`` instead of its corpus (and without its splits)."""
    section = config.data.model_copy(update={"corpus": Path(data).resolve(), "splits": None})
    return config.model_copy(update={"data": section})


def load_data(config: ExperimentConfig) -> tuple[LabelScheme, Corpus, dict[str, Corpus]]:
    scheme = LabelScheme.from_yaml(config.data.labels)
    corpus = load_corpus(
        config.data.corpus, scheme, require_labels=True, on_error=config.data.on_error
    )
    if config.data.splits is not None:
        splits = load_splits(config.data.splits, corpus)
    else:
        ids = make_splits(corpus, seed=config.seed)
        splits = {name: corpus.subset(ids[name]) for name in ("train", "dev", "test")}
    return scheme, corpus, splits


def evaluate(model: EnforcementClassifier, corpus: Corpus) -> tuple[dict, list[dict]]:
    """Metrics and per-report prediction rows of ``model`` on a labeled corpus."""
    predictions = model.predict(corpus.documents)
    themes = model.themes_
    metrics = {
        "count": len(corpus),
        "theme": theme_scores(
            cast("list[str]", corpus.themes),  # a labeled corpus
            [p.theme for p in predictions],
            themes,
        ),
        "actions": action_scores(corpus.actions, [p.actions for p in predictions], model.actions_),
    }
    rows = []
    for report, p in zip(corpus, predictions):
        rows.append(
            {
                "id": report.id,
                "gold_theme": report.theme,
                "predicted_theme": p.theme,
                "theme_score": p.theme_scores[p.theme],
                "correct_theme": report.theme == p.theme,
                "gold_actions": ";".join(report.actions or ()),
                "predicted_actions": ";".join(p.actions),
                **{f"score_{a}": s for a, s in p.action_scores.items()},
                "title": report.title,
            }
        )
    return metrics, rows


def train_stage(
    config: ExperimentConfig,
    scheme: LabelScheme,
    splits: dict[str, Corpus],
    progress: bool | None = None,
) -> EnforcementClassifier:
    train, dev = splits["train"], splits["dev"]
    model = build_classifier(config, progress, scheme)
    gold = []
    if config.data.gold_sentences is not None:
        gold = load_gold_sentences(config.data.gold_sentences, reports=set(train.ids))
    labeled = cast("list[str]", train.themes), cast("list[str]", dev.themes)  # load_data checks
    return model.fit(
        train.documents,
        labeled[0],
        train.actions,
        dev=(dev.documents, labeled[1], dev.actions) if len(dev) else None,
        gold_sentences=[(clean(s.text), s.actions) for s in gold],
    )


def run_experiment(
    config: ExperimentConfig,
    stages: Sequence[str] = ("topics", "train"),
    log: Log = lambda message: None,
    progress: bool | None = None,
    data: Path | None = None,
) -> RunResult:
    """Run the stages of ``config`` and publish the run folder.

    Parameters
    ----------
    config : ExperimentConfig
        From :func:`~textcls.config.load_config`.
    stages : sequence of {"topics", "train"}
        ``"train"`` includes evaluation on the configured splits.
    log : callable
        Receives one line per finished step.
    data : Path, optional
        For topics only: a file or folder of (possibly unlabeled) reports to use
        instead of the configured corpus. It becomes the run's ``data.corpus`` (and
        counts in its hash), so the saved config reproduces the run.

    Notes
    -----
    A topic stage with ``topics.sample`` set reads its corpus as a stream
    (:func:`~textcls.topic_stage.sampled_topics_stage`); without training, the
    corpus is then never held in memory whole.
    """
    if data is not None:
        if "train" in stages:
            raise ValueError("data replaces the corpus of the topic stage only")
        config = with_corpus(config, data)
    topics = "topics" in stages and config.topics.enabled
    sampled = topics and config.topics.sample is not None
    timings: dict[str, float] = {}
    metrics: dict = {"name": config.name, "config_hash": config.digest()}
    with run_directory(config, prefix="" if "train" in stages else "topics-") as (folder, final):
        started = time.perf_counter()
        corpus: Corpus | None = None
        splits: dict[str, Corpus] = {}
        if "train" in stages:
            scheme, corpus, splits = load_data(config)
        else:
            scheme = LabelScheme.from_yaml(config.data.labels)
            if not sampled:  # the sampled stage streams the corpus itself
                corpus = load_corpus(config.data.corpus, scheme, on_error=config.data.on_error)
        if corpus is not None:
            metrics["data"] = {
                "corpus": str(config.data.corpus),
                "reports": len(corpus),
                "skipped": [str(p) for p in corpus.problems],
                **{name: len(part) for name, part in splits.items()},
            }
            metrics["cleaning"] = cleaning_summary(corpus)
            timings["load"] = time.perf_counter() - started
            log(
                f"loaded {len(corpus)} reports from {config.data.corpus}"
                + (f" ({len(corpus.problems)} skipped)" if corpus.problems else "")
            )

        if sampled:
            started = time.perf_counter()
            embedder = build_embedder(config, progress)
            model = build_topic_model(config, scheme, embedder)
            metrics["topics"], read = sampled_topics_stage(
                config, model, config.data.corpus, embedder, folder
            )
            if corpus is None:
                metrics.update(read)
            timings["topics"] = time.perf_counter() - started
            sample = metrics["topics"]["sample"]
            log(
                f"topics: {metrics['topics']['topics']} topics fitted on {sample['reports']:,} "
                f"of {sample['of']:,} reports, the rest assigned, in {timings['topics']:.1f}s"
            )
        elif topics and corpus is not None:
            started = time.perf_counter()
            embedder = build_embedder(config, progress)
            embeddings = embedder.fit_transform(corpus.documents)
            timings["embed"] = time.perf_counter() - started
            info = getattr(embedder, "cache_info_", None)
            log(
                f"embedded {len(corpus)} reports in {timings['embed']:.1f}s"
                + (f" (cache: {info['hits']} hits, {info['misses']} misses)" if info else "")
            )
            started = time.perf_counter()
            model = build_topic_model(config, scheme, embedder)
            metrics["topics"] = topics_stage(config, model, corpus, embeddings, folder)
            timings["topics"] = time.perf_counter() - started
            log(f"topics: {metrics['topics']['topics']} topics in {timings['topics']:.1f}s")

        if "train" in stages:
            started = time.perf_counter()
            model = train_stage(config, scheme, splits, progress)
            timings["train"] = time.perf_counter() - started
            log(f"trained on {len(splits['train'])} reports in {timings['train']:.1f}s")
            started = time.perf_counter()
            metrics["evaluation"] = {}
            for name in config.evaluate.splits:
                if len(splits[name]):
                    result, rows = evaluate(model, splits[name])
                    metrics["evaluation"][name] = result
                    if name == "test":
                        write_csv(folder / "predictions.csv", rows, list(rows[0]))
            metrics["thresholds"] = model.thresholds_
            if config.evaluate.plots and "test" in metrics["evaluation"]:
                from . import plots

                test = metrics["evaluation"]["test"]
                plots.plot_confusion(
                    test["theme"]["confusion"]["matrix"],
                    model.themes_,
                    folder / "confusion_theme.png",
                )
                plots.plot_action_f1(test["actions"]["per_label"], folder / "action_f1.png")
            timings["evaluate"] = time.perf_counter() - started
            pickle_path = save_model(
                model,
                folder,
                scheme,
                {
                    "config_hash": config.digest(),
                    "config_name": config.name,
                    "training_data_sha256": corpus_hash(splits["train"]),
                    "created": datetime.now().isoformat(timespec="seconds"),
                    "metrics": {n: headline(m) for n, m in metrics["evaluation"].items()},
                },
            )
            metrics["model_bytes"] = pickle_path.stat().st_size
            log(f"evaluated in {timings['evaluate']:.1f}s; model {metrics['model_bytes']:,} bytes")

        metrics["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
        metrics["libraries"] = library_versions()
        metrics["environment"] = run_environment()
        write_atomic(folder / "config.yaml", config.to_yaml().encode())
        write_atomic(folder / "metrics.json", json.dumps(metrics, indent=2).encode())
    return RunResult(final[0], metrics)


# ---- small helpers --------------------------------------------------------------
def headline(evaluation: dict) -> dict:
    """The numbers people compare: theme accuracy/macro-F1, action micro/macro-F1."""
    return {
        "theme_accuracy": evaluation["theme"]["accuracy"],
        "theme_macro_f1": evaluation["theme"]["macro_f1"],
        "action_micro_f1": evaluation["actions"]["micro_f1"],
        "action_macro_f1": evaluation["actions"]["macro_f1"],
        "count": evaluation["count"],
    }


def corpus_hash(corpus: Corpus) -> str:
    digest = hashlib.sha256()
    for r in corpus:
        digest.update(json.dumps([r.id, r.title, r.text, r.theme, list(r.actions or ())]).encode())
    return digest.hexdigest()
