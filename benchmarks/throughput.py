"""Prediction throughput against raw sentence-transformers encoding.

On the same reports, in one process: raw ``SentenceTransformer.encode`` docs/s,
then textcls ``predict`` docs/s with a cold embedding cache and with a warm
one, the static embedder's docs/s, their ratios to the raw figure, and peak
RSS; MiniLM with ``long_text: chunk`` against ``truncate`` on the reports
longer than its window; and, in a fresh ``textcls predict`` process, the fast
config on 100,000 reports made by recombining corpus sentences. Writes
``benchmarks/results/throughput.json``.

    .venv/bin/python benchmarks/throughput.py [--n 1000] [--pile 100000]

Targets: warm >= 50x raw, cold >= 0.9x raw, static >= 50x raw, chunk <= 1.5x
truncate, the 100,000-report pile in under 120 s.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, corpus_texts, load, peak_rss_mb, save, table


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def recombined_reports(n: int, seed: int = 13) -> list[str]:
    """``n`` reports, each as many corpus sentences, drawn at random, as a corpus report has."""
    from textcls import load_corpus

    documents = load_corpus(REPO / "corpus" / "reports.jsonl").documents
    split = [re.split(r"(?<=[.!?])\s+", d) for d in documents]
    sentences = [s for parts in split for s in parts if s]
    rng = random.Random(seed)
    return [" ".join(rng.choices(sentences, k=len(rng.choice(split)))) for _ in range(n)]


def pile_prediction(n: int) -> dict:
    """Train the fast config, then label ``n`` new reports with ``textcls predict``."""
    from textcls.config import load_config
    from textcls.experiment import run_experiment
    from textcls.static import StaticEmbedder

    scratch = Path(tempfile.mkdtemp(prefix="textcls-pile-"))
    config = load_config(REPO / "configs" / "fast.yaml")
    config.output_dir = scratch
    config.topics.enabled = False
    config.evaluate.plots = False
    started = time.perf_counter()
    StaticEmbedder().distilled_path()  # distilled at first use; reported apart
    distilled_s = time.perf_counter() - started
    run = run_experiment(config, ("train",)).path
    pile = scratch / "pile.jsonl"
    with open(pile, "w", encoding="utf-8") as out:
        for i, text in enumerate(recombined_reports(n)):
            out.write(json.dumps({"id": f"pile-{i}", "text": text}) + "\n")
    textcls = Path(sys.executable).with_name("textcls")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(scratch / "predictions.jsonl", "wb") as sink:
        started = time.perf_counter()
        subprocess.run([str(textcls), "predict", str(run), str(pile)], stdout=sink, check=True)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds are what the run would take alone on a free core; wall time
    # also counts waiting for cores that other work holds.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(scratch / "predictions.jsonl", encoding="utf-8") as written:
        lines = sum(1 for _ in written)
    megabytes = pile.stat().st_size / 1e6
    shutil.rmtree(scratch, ignore_errors=True)
    assert lines == n, f"{lines} predictions for {n} reports"
    return {
        "reports": n,
        "wall_s": wall,
        "cpu_s": cpu,
        "docs_per_s": n / wall,
        "mb": megabytes,
        "distill_or_verify_s": distilled_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="reports to label")
    parser.add_argument(
        "--pile",
        type=int,
        default=100_000,
        help="reports for the fast config's predict run (0 skips it)",
    )
    args = parser.parse_args()
    load_before = load()
    texts = corpus_texts(args.n)

    from sentence_transformers import SentenceTransformer

    from textcls.classify import EnforcementClassifier
    from textcls.corpus import load_corpus
    from textcls.embedding import SentenceEmbedder
    from textcls.static import StaticEmbedder
    from textcls.weights import resolve_model

    # A model trained on the corpus; its embeddings come from the shared cache.
    corpus = load_corpus(REPO / "corpus" / "reports.jsonl")
    # It truncates like the raw call, so both do the same work.
    embedder = SentenceEmbedder(long_text="truncate", progress=False)
    model = EnforcementClassifier(embedder=embedder, thresholds="fixed").fit(
        corpus.documents, corpus.themes, corpus.actions
    )

    raw = SentenceTransformer(str(resolve_model().path), device="cpu")
    raw.max_seq_length = 256
    raw.encode(texts[:8])  # warm-up: first-call allocations are not throughput
    raw_rate = len(texts) / timed(
        lambda: raw.encode(texts, batch_size=32, normalize_embeddings=True)
    )

    # Cold: an empty cache folder; the weights are loaded before timing, like the raw model.
    model.embedder_.cache_dir = tempfile.mkdtemp(prefix="textcls-bench-")
    model.embedder_.transform(["warm-up"])
    cold_rate = len(texts) / timed(lambda: model.predict(texts))
    warm_rate = len(texts) / timed(lambda: model.predict(texts))
    assert model.embedder_.cache_info_["hits"] == len(texts)

    static = StaticEmbedder()
    static.transform(["warm-up"])  # loads (or distills, once) the model, like the raw one
    static_rate = len(texts) / timed(lambda: static.transform(texts))

    # Reports longer than MiniLM's window: what reading them to the end costs.
    window = raw.max_seq_length - 2
    lengths = [
        len(ids)
        for ids in raw.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
    ]
    long = [t for t, n in zip(texts, lengths) if n > window]
    truncate = SentenceEmbedder(use_cache=False, long_text="truncate", progress=False)
    chunk = SentenceEmbedder(use_cache=False, long_text="chunk", progress=False)
    truncate_s = timed(lambda: truncate.transform(long))
    chunk_s = timed(lambda: chunk.transform(long))

    rows = [
        ("raw SentenceTransformer.encode", f"{raw_rate:.1f}", "1.00"),
        ("textcls predict, cold cache", f"{cold_rate:.1f}", f"{cold_rate / raw_rate:.2f}"),
        ("textcls predict, warm cache", f"{warm_rate:.1f}", f"{warm_rate / raw_rate:.1f}"),
        ("StaticEmbedder.transform", f"{static_rate:.1f}", f"{static_rate / raw_rate:.1f}"),
    ]
    print(table(rows, ("", "docs/s", "x raw")))
    mean = sum(n for n in lengths if n > window) / len(long)
    print(
        f"{len(long)} reports over {window} tokens (mean {mean:.0f}): truncate "
        f"{truncate_s:.1f}s, chunk {chunk_s:.1f}s, {chunk_s / truncate_s:.2f}x"
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB; {len(texts)} reports")
    result = {
        "reports": len(texts),
        "raw_docs_per_s": raw_rate,
        "cold_docs_per_s": cold_rate,
        "warm_docs_per_s": warm_rate,
        "static_docs_per_s": static_rate,
        "cold_vs_raw": cold_rate / raw_rate,
        "warm_vs_raw": warm_rate / raw_rate,
        "static_vs_raw": static_rate / raw_rate,
        "long_reports": len(long),
        "truncate_s": truncate_s,
        "chunk_s": chunk_s,
        "chunk_vs_truncate": chunk_s / truncate_s,
        "peak_rss_mb": peak_rss_mb(),
    }
    if args.pile:
        pile = pile_prediction(args.pile)
        print(
            f"fast config, textcls predict on {pile['reports']:,} recombined reports: "
            f"{pile['wall_s']:.1f}s wall, {pile['cpu_s']:.1f}s CPU, "
            f"{pile['docs_per_s']:.0f} docs/s"
        )
        result["pile"] = pile
    result["load"] = {"before": load_before, "after": load()}
    print(f"load average (1, 5, 15 min) before {load_before}, after {result['load']['after']}")
    path = save("throughput", result)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
