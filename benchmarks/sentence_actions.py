"""Sentence-level actions, evidence and figures against the document-only head.

For each config (document_only, default, sentence_tfidf): train on the train split
as ``textcls train`` does, then score

* the test split and the five seed reports (theme macro-F1, action micro-F1, F1 per action);
* the gold sentences of dev and test reports (sentence-level action micro-F1);
* the evidence: of the actions correctly predicted on gold dev/test reports, the share
  whose evidence sentence the gold set marks with that action;

then the figure extractor on the figure gold set, and the cost of prediction with
evidence and figures against today's document-only predict on the same reports with a
cold embedding cache. Writes ``benchmarks/results/sentence_actions.json``.

    .venv/bin/python benchmarks/sentence_actions.py [--n 1000] [--configs default ...]

Targets: test and seeds action micro-F1 >= 0.85, every action's test F1 >= 0.70,
sentence micro-F1 >= 0.80, evidence share >= 0.90, figures precision >= 0.90 and
recall >= 0.85, predict cost <= 1.5x.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from _common import REPO, corpus_texts, peak_rss_mb, save, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="reports for the cost measurement")
    parser.add_argument(
        "--configs", nargs="+", default=["document_only", "default", "sentence_tfidf"]
    )
    args = parser.parse_args()

    from textcls.cleaning import clean_with_offsets
    from textcls.config import load_config
    from textcls.corpus import load_corpus
    from textcls.evidence import Located, located_figures
    from textcls.experiment import evaluate, load_data, train_stage
    from textcls.gold import (
        evidence_agreement,
        figure_scores,
        load_gold_figures,
        load_gold_sentences,
        sentence_scores,
    )

    gold_sentences = load_gold_sentences(REPO / "corpus/gold/sentences.jsonl")
    results: dict = {"configs": {}}
    models = {}
    for name in args.configs:
        config = load_config(REPO / "configs" / f"{name}.yaml")
        scheme, corpus, splits = load_data(config)
        seeds = load_corpus(REPO.parent / "shared" / "seeds", scheme, require_labels=True)
        started = time.perf_counter()
        model = train_stage(config, scheme, splits, progress=False)
        trained = time.perf_counter() - started
        models[name] = model
        held_out = [s for s in gold_sentences if s.split in ("dev", "test")]
        gold_ids = sorted({s.report for s in held_out})
        gold_reports = corpus.subset(gold_ids)
        predictions = model.predict([r.raw_document for r in gold_reports])
        entry = {"train_s": round(trained, 1)}
        for split, part in (("test", splits["test"]), ("seeds", seeds)):
            metrics, _ = evaluate(model, part)
            entry[split] = {
                "theme_macro_f1": metrics["theme"]["macro_f1"],
                "action_micro_f1": metrics["actions"]["micro_f1"],
                "per_action_f1": {a: v["f1"] for a, v in metrics["actions"]["per_label"].items()},
            }
        entry["gold_sentences"] = sentence_scores(
            model.sentence_model_.score_sentences, model.sentence_model_.actions_, held_out
        )
        entry["evidence"] = evidence_agreement(predictions, list(gold_reports), held_out)
        results["configs"][name] = entry
        print(
            f"{name}: trained in {trained:.0f}s; test action micro-F1 "
            f"{entry['test']['action_micro_f1']:.3f}",
            flush=True,
        )

    rows = []
    for name, entry in results["configs"].items():
        rows.append(
            (
                name,
                f"{entry['test']['theme_macro_f1']:.3f}",
                f"{entry['test']['action_micro_f1']:.3f}",
                f"{min(entry['test']['per_action_f1'].values()):.2f}",
                f"{entry['seeds']['action_micro_f1']:.3f}",
                f"{entry['gold_sentences']['micro_f1']:.3f}",
                f"{entry['evidence']['share']:.3f}",
            )
        )
    print(
        table(
            rows,
            (
                "config",
                "test theme F1",
                "test action F1",
                "worst action F1",
                "seeds action F1",
                "sentence F1",
                "evidence in gold",
            ),
        )
    )
    for name, entry in results["configs"].items():
        print(
            f"{name} test F1 per action: "
            + ", ".join(f"{a} {f:.2f}" for a, f in entry["test"]["per_action_f1"].items())
        )

    # Figures against the figure gold set; batch 1 was looked at while writing the rules.
    corpus = load_corpus(REPO / "corpus/reports.jsonl")
    by_id = {r.id: r for r in corpus}
    figures = load_gold_figures(REPO / "corpus/gold/figures.jsonl")
    annotated = json.loads((REPO / "corpus/gold/figure_reports.json").read_text())

    def figures_of(report):
        raw = report.raw_document
        return located_figures(Located(raw, *clean_with_offsets(raw)))

    results["figures"] = {
        "batch1": figure_scores(figures_of, by_id, figures, annotated["batch1"]),
        "batch2": figure_scores(figures_of, by_id, figures, annotated["batch2"]),
        "all": figure_scores(figures_of, by_id, figures, annotated["batch1"] + annotated["batch2"]),
    }
    print(
        table(
            [
                (
                    k,
                    v["gold"],
                    v["extracted"],
                    v["correct"],
                    f"{v['precision']:.3f}",
                    f"{v['recall']:.3f}",
                )
                for k, v in results["figures"].items()
            ],
            ("figures", "gold", "extracted", "correct", "precision", "recall"),
        )
    )

    if "default" in models:
        results["cost"] = _cost(models["default"], corpus_texts(args.n))
        cost = results["cost"]
        print(
            f"predict {args.n} reports, cold cache: document-only {cost['document_s']:.1f}s, "
            f"with evidence and figures {cost['full_s']:.1f}s ({cost['ratio']:.2f}x)"
        )
    results["peak_rss_mb"] = peak_rss_mb()
    print(f"wrote {save('sentence_actions', results)}")


def _cost(model, texts: list[str]) -> dict:
    """Today's predict (document head, no evidence or figures) against the full one."""
    import copy

    today = copy.copy(model)
    today.action_mode, today.figures = "document", False
    today.sentence_model_ = None
    timings = {}
    for name, candidate in (("document_s", today), ("full_s", model)):
        candidate.embedder_ = copy.copy(model.embedder_)
        candidate.embedder_.cache_dir = tempfile.mkdtemp(prefix="textcls-bench-")
        candidate.embedder_.transform(["warm-up"])  # the weights load outside the timing
        started = time.perf_counter()
        candidate.predict(texts)
        timings[name] = time.perf_counter() - started
    return {
        **{k: round(v, 2) for k, v in timings.items()},
        "reports": len(texts),
        "ratio": round(timings["full_s"] / timings["document_s"], 3),
    }


if __name__ == "__main__":
    main()
