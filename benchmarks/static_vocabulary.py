"""Does a distillation vocabulary built from the corpus help the static embedder on dev?

Distills a second static model whose vocabulary adds the training split's words
(document frequency >= 2) to MiniLM's word pieces, then trains the fast config's
classifier on the train split with each model, with and without TF-IDF, and
scores it on dev (the test split is not touched). Writes
``benchmarks/results/static_vocabulary.json``.

    .venv/bin/python benchmarks/static_vocabulary.py
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from _common import REPO, save, table


def main() -> None:
    from model2vec.distill import distill

    logging.getLogger("model2vec").setLevel(logging.ERROR)  # one line per known word
    from sklearn.feature_extraction.text import CountVectorizer

    from textcls.config import load_config
    from textcls.experiment import build_classifier, evaluate, load_data
    from textcls.static import StaticEmbedder, distill_settings
    from textcls.weights import resolve_model

    config = load_config(REPO / "configs" / "fast.yaml")
    _, _, splits = load_data(config)
    train, dev = splits["train"], splits["dev"]
    counts = CountVectorizer(min_df=2).fit(train.documents)
    words = sorted(counts.vocabulary_)

    settings = distill_settings(config.embedder.n_components)
    started = time.perf_counter()
    corpus_model = distill(
        str(resolve_model().path),
        vocabulary=words,
        pca_dims=settings["pca_dims"],
        quantize_to=settings["quantize_to"],
        sif_coefficient=settings["sif_coefficient"],
        device="cpu",
    )
    corpus_model.config["max_length"] = None
    folder = Path(tempfile.mkdtemp(prefix="textcls-vocab-"))
    corpus_model.save_pretrained(folder)
    distill_s = time.perf_counter() - started

    class CorpusVocabulary(StaticEmbedder):
        def distilled_path(self):
            return folder

    rows, result = [], {"corpus_words": len(words), "distill_s": distill_s, "dev": {}}
    for name, embedder in (
        ("MiniLM word pieces", StaticEmbedder()),
        ("+ corpus words", CorpusVocabulary()),
    ):
        for tfidf in (False, True):
            config.features.tfidf = tfidf
            model = build_classifier(config)
            model.embedder = embedder
            model.fit(
                train.documents,
                train.themes,
                train.actions,
                dev=(dev.documents, dev.themes, dev.actions),
            )
            metrics, _ = evaluate(model, dev)
            label = f"{name}{' + TF-IDF' if tfidf else ''}"
            scores = {
                "theme_macro_f1": metrics["theme"]["macro_f1"],
                "action_micro_f1": metrics["actions"]["micro_f1"],
            }
            result["dev"][label] = scores
            rows.append(
                (label, f"{scores['theme_macro_f1']:.3f}", f"{scores['action_micro_f1']:.3f}")
            )
    print(table(rows, ("static vocabulary (dev split)", "theme macro-F1", "action micro-F1")))
    print(f"{len(words)} corpus words; distilled in {distill_s:.0f}s")
    print(f"wrote {save('static_vocabulary', result)}")


if __name__ == "__main__":
    main()
