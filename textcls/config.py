"""Experiment configuration: YAML validated up front.

A config is data. :func:`load_config` reads a YAML file, rejects unknown keys
and wrong types with the key path and what is expected, resolves relative
paths against the config file's folder and checks that input files exist.
The resolved config, written into every run folder, reproduces the run.

Example
-------
>>> config = load_config("configs/default.yaml")     # doctest: +SKIP
>>> config.theme_head.model                          # doctest: +SKIP
'logreg'
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from .errors import ConfigError
from .labels import _yaml_where
from .weights import file_sha256


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DataConfig(_Strict):
    corpus: Path = Path("../corpus/reports.jsonl")
    splits: Optional[Path] = Path("../corpus/splits.json")
    labels: Path = Path("labels.yaml")
    # Hand-labeled sentences for the sentence-level action model; only those of
    # training reports are used.
    gold_sentences: Optional[Path] = None
    on_error: Literal["raise", "skip"] = "raise"


class EmbedderConfig(_Strict):
    # static: a model2vec model distilled from model_path (MiniLM by default); it reads
    # whole texts, so max_seq_length and long_text apply to sentence_transformer only.
    kind: Literal["sentence_transformer", "tfidf_svd", "static"] = "sentence_transformer"
    model_path: Optional[Path] = None
    model_sha256: Optional[str] = Field(None, pattern=r"^[0-9a-f]{64}$")
    batch_size: int = Field(32, gt=0)
    max_seq_length: int = Field(256, gt=0, le=512)
    long_text: Literal["truncate", "chunk"] = "truncate"
    normalize: bool = True
    n_components: int = Field(256, gt=0)  # dimensions of tfidf_svd and static vectors


class FeaturesConfig(_Strict):
    embeddings: bool = True
    tfidf: bool = False
    tfidf_max_features: int = Field(30000, gt=0)
    tfidf_ngram_range: tuple[int, int] = (1, 2)


class HeadConfig(_Strict):
    model: Literal["logreg", "linear_svm"] = "logreg"
    C: float = Field(4.0, gt=0)
    class_weight: Optional[Literal["balanced"]] = "balanced"


class ThemeHeadConfig(HeadConfig):
    calibrate: bool = True


class ActionHeadConfig(HeadConfig):
    thresholds: Literal["tuned", "fixed"] = "tuned"
    threshold: float = Field(0.5, gt=0, lt=1)
    # document: one vector per report; sentence: each action's best sentence; both:
    # max(sentence, sentence_weight * sentence + (1 - sentence_weight) * document).
    mode: Literal["document", "sentence", "both"] = "document"
    sentence_weight: float = Field(0.6, ge=0, le=1)
    sentence_C: float = Field(4.0, gt=0)


class UmapConfig(_Strict):
    n_neighbors: int = Field(15, ge=2)
    n_components: int = Field(5, ge=2)
    min_dist: float = Field(0.0, ge=0)
    metric: str = "cosine"


class HdbscanConfig(_Strict):
    min_cluster_size: int = Field(10, ge=2)
    min_samples: Optional[int] = Field(None, ge=1)
    cluster_selection_method: Literal["eom", "leaf"] = "eom"


class TopicsConfig(_Strict):
    enabled: bool = True
    umap: UmapConfig = UmapConfig()
    hdbscan: HdbscanConfig = HdbscanConfig()
    ngram_range: tuple[int, int] = (1, 2)
    min_df: int = Field(2, ge=1)
    top_n_words: int = Field(10, ge=1)
    reduce_outliers: bool = True
    outlier_strategy: Literal["embeddings", "c-tf-idf", "distributions"] = "embeddings"
    guidance: float = Field(0.7, ge=0)
    guidance_sharpness: float = Field(20.0, gt=0)
    # New reports take the topic most of their k nearest training reports hold (0: the
    # topic with the nearest centroid).
    neighbors: int = Field(5, ge=0)
    # Fit on a uniform sample of this many reports and assign the rest to their nearest
    # topic, in chunks: for piles too large to cluster whole (null: fit on everything).
    sample: Optional[int] = Field(None, ge=2)


class EvaluateConfig(_Strict):
    splits: list[Literal["dev", "test"]] = ["dev", "test"]
    plots: bool = True


class ExperimentConfig(_Strict):
    """Everything that decides a run. Paths are relative to the config's folder."""

    name: Optional[str] = Field(None, pattern=r"^[A-Za-z0-9_.-]+$")
    seed: int = 13
    output_dir: Path = Path("../experiments")
    data: DataConfig = DataConfig()
    embedder: EmbedderConfig = EmbedderConfig()
    features: FeaturesConfig = FeaturesConfig()
    theme_head: ThemeHeadConfig = ThemeHeadConfig()
    action_head: ActionHeadConfig = ActionHeadConfig()
    topics: TopicsConfig = TopicsConfig()
    evaluate: EvaluateConfig = EvaluateConfig()

    def digest(self) -> str:
        """A short hash of the settings and of the content of the files they name.

        Locations do not count: the same config over the same data gets the same
        hash in every clone, and another corpus under the same path gets another.
        """
        settings = self.model_dump(mode="json")
        settings.pop("output_dir")  # where results go does not change them
        for section, key in _INPUT_PATHS:
            value = getattr(getattr(self, section), key)
            settings[section][key] = None if value is None else content_sha256(Path(value))
        text = json.dumps(settings, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)


_INPUT_PATHS = (
    ("data", "corpus"),
    ("data", "splits"),
    ("data", "labels"),
    ("data", "gold_sentences"),
    ("embedder", "model_path"),
)


def content_sha256(path: Path) -> str:
    """sha256 of a file, or of a folder's files with their names relative to it.

    Example
    -------
    >>> content_sha256(Path("corpus/splits.json"))[:12]        # doctest: +SKIP
    '5be1b4e0d3a4'
    """
    if not path.is_dir():
        return file_sha256(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(path).as_posix()}\0{file_sha256(file)}\n".encode())
    return digest.hexdigest()


def load_config(path: str | Path, overrides: dict | None = None) -> ExperimentConfig:
    """Read, validate and resolve a YAML experiment config.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    overrides : dict, optional
        Nested values applied on top of the file before validation.

    Raises
    ------
    ConfigError
        With the file, the key path and what is expected.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({_yaml_where(exc)})") from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    raw = _merge(raw, overrides or {})
    raw.setdefault("name", path.stem)
    try:
        config = ExperimentConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: " + "; ".join(_describe(e) for e in exc.errors())) from None
    return _resolve_paths(config, path.parent.resolve(), path)


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _describe(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        return f"{where}: unknown key; expected one of {', '.join(allowed)}"
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}{shown}"


def _allowed_keys(loc: tuple) -> list[str]:
    model: type[BaseModel] = ExperimentConfig
    for part in loc:
        annotation = model.model_fields[part].annotation
        model = annotation if isinstance(annotation, type) else model
    return list(model.model_fields)


def _resolve_paths(config: ExperimentConfig, base: Path, source: Path) -> ExperimentConfig:
    def resolve(value: Path | None) -> Path | None:
        return None if value is None else (base / value).resolve()

    config.output_dir = (base / config.output_dir).resolve()
    config.embedder.model_path = resolve(config.embedder.model_path)
    for key in ("corpus", "splits", "labels", "gold_sentences"):
        setattr(config.data, key, resolve(getattr(config.data, key)))
    for section, key in _INPUT_PATHS:
        value = getattr(getattr(config, section), key)
        if value is not None and not value.exists():
            raise ConfigError(f"{source}: {section}.{key}: file not found: {value}")
    return config
