"""Prediction throughput against raw sentence-transformers encoding.

On the same reports, in one process: raw ``SentenceTransformer.encode`` docs/s,
then textcls ``predict`` docs/s with a cold embedding cache and with a warm
one, their ratios to the raw figure, and peak RSS. Writes
``benchmarks/results/throughput.json``.

    .venv/bin/python benchmarks/throughput.py [--n 1000]

Targets: warm >= 50x raw, cold >= 0.9x raw.
"""
from __future__ import annotations

import argparse
import tempfile
import time

from _common import REPO, corpus_texts, peak_rss_mb, save, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="reports to label")
    args = parser.parse_args()
    texts = corpus_texts(args.n)

    from sentence_transformers import SentenceTransformer

    from textcls.classify import EnforcementClassifier
    from textcls.corpus import load_corpus
    from textcls.embedding import SentenceEmbedder
    from textcls.weights import resolve_model

    # A model trained on the corpus; its embeddings come from the shared cache.
    corpus = load_corpus(REPO / "corpus" / "reports.jsonl")
    model = EnforcementClassifier(embedder=SentenceEmbedder(progress=False),
                                  thresholds="fixed").fit(corpus.documents, corpus.themes,
                                                          corpus.actions)

    raw = SentenceTransformer(str(resolve_model().path), device="cpu")
    raw.max_seq_length = 256
    raw.encode(texts[:8])  # warm-up: first-call allocations are not throughput
    started = time.perf_counter()
    raw.encode(texts, batch_size=32, normalize_embeddings=True)
    raw_rate = len(texts) / (time.perf_counter() - started)

    # Cold: an empty cache folder; the weights are loaded before timing, like the raw model.
    model.embedder_.cache_dir = tempfile.mkdtemp(prefix="textcls-bench-")
    model.embedder_.transform(["warm-up"])
    started = time.perf_counter()
    model.predict(texts)
    cold_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    model.predict(texts)
    warm_rate = len(texts) / (time.perf_counter() - started)
    assert model.embedder_.cache_info_["hits"] == len(texts)

    rows = [("raw SentenceTransformer.encode", f"{raw_rate:.1f}", "1.00"),
            ("textcls predict, cold cache", f"{cold_rate:.1f}", f"{cold_rate / raw_rate:.2f}"),
            ("textcls predict, warm cache", f"{warm_rate:.1f}", f"{warm_rate / raw_rate:.1f}")]
    print(table(rows, ("", "docs/s", "x raw")))
    print(f"peak RSS {peak_rss_mb():.0f} MB; {len(texts)} reports")
    path = save("throughput", {"reports": len(texts), "raw_docs_per_s": raw_rate,
                               "cold_docs_per_s": cold_rate, "warm_docs_per_s": warm_rate,
                               "cold_vs_raw": cold_rate / raw_rate,
                               "warm_vs_raw": warm_rate / raw_rate,
                               "peak_rss_mb": peak_rss_mb()})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
