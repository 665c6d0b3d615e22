"""textcls: sort, count and explain reports of internet-governance enforcement.

The heavy parts (torch, BERTopic) load only when used, so ``import textcls``
stays quick.

Example
-------
>>> import textcls
>>> model = textcls.load_model("experiments/default/<run>")         # doctest: +SKIP
>>> model.predict(["Police closed 30 gambling websites."])[0].theme  # doctest: +SKIP
'fraud_platforms'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:  # one source of truth: the version in pyproject.toml, as installed
    __version__ = version("textcls")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

from .cleaning import clean
from .corpus import Corpus, Report, corpus_stats, load_corpus, make_splits
from .errors import ConfigError, InputError, ModelIntegrityError, TextclsError
from .labels import LabelScheme
from .persist import load_model

__all__ = [
    "clean",
    "Corpus",
    "Report",
    "corpus_stats",
    "load_corpus",
    "make_splits",
    "ConfigError",
    "InputError",
    "ModelIntegrityError",
    "TextclsError",
    "LabelScheme",
    "load_model",
    "load_config",
    "run_experiment",
    "EnforcementClassifier",
    "SentenceEmbedder",
    "StaticEmbedder",
    "TfidfEmbedder",
    "ThemeTopicModel",
    "SentenceActionModel",
    "split_sentences",
    "extract_figures",
    "audit",
    "suggest",
]

_LAZY = {
    "load_config": "config",
    "run_experiment": "experiment",
    "EnforcementClassifier": "classify",
    "SentenceEmbedder": "embedding",
    "TfidfEmbedder": "embedding",
    "StaticEmbedder": "static",
    "ThemeTopicModel": "topics",
    "SentenceActionModel": "sentence_actions",
    "split_sentences": "sentences",
    "extract_figures": "figures",
    "audit": "label_audit",
    "suggest": "active_learning",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'textcls' has no attribute {name!r}")
