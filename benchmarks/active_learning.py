"""Active learning, simulated on the shipped corpus: which reports to label next.

Each strategy starts from the same 100 random training reports, picks 50 more
from the rest of the train split with ``textcls.active_learning.select``,
retrains, and so on until the whole train split is labeled. After every round
the model is scored on the test split (thresholds tuned on dev, as in a run).
Every strategy is repeated from several random starts; the curves are means.

Writes ``benchmarks/results/active_learning.json`` and ``active_learning.png``.

    .venv/bin/python benchmarks/active_learning.py [--config configs/tfidf_logreg.yaml]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _common import REPO, RESULTS, save, table

START, STEP, SEEDS = 100, 50, (0, 1, 2, 3, 4)
STRATEGIES = ("random", "uncertainty", "diverse")
METRICS = {"theme_macro_f1": "test theme macro-F1", "action_micro_f1": "test action micro-F1"}


def curve(config, splits, strategy: str, seed: int) -> list[dict]:
    """Scores after each round of one strategy from one random start."""
    from textcls.active_learning import select
    from textcls.experiment import build_classifier, evaluate, headline

    train, dev, test = splits["train"], splits["dev"], splits["test"]
    documents = train.documents
    order = np.random.default_rng(seed).permutation(len(train))
    labeled, pool = list(order[:START]), list(order[START:])
    points = []
    for round_number in range(len(train)):
        model = build_classifier(config, progress=False).fit(
            [documents[i] for i in labeled],
            [train[i].theme for i in labeled],
            [train.actions[i] for i in labeled],
            dev=(dev.documents, dev.themes, dev.actions),
        )
        scores = headline(evaluate(model, test)[0])
        points.append({"labeled": len(labeled), **{k: scores[k] for k in METRICS}})
        if not pool:
            return points
        chosen = select(
            model, [documents[i] for i in pool], STEP, strategy, seed=seed * 1000 + round_number
        )
        labeled += [pool[i] for i in chosen]
        pool = [p for k, p in enumerate(pool) if k not in set(chosen)]
    return points


def reached(sizes: list[int], means: list[float], target: float) -> int | None:
    """The fewest labeled reports at which a mean curve reaches ``target``."""
    return next((s for s, m in zip(sizes, means) if m >= target - 1e-9), None)


def plot(sizes, summary: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    for ax, (metric, label) in zip(axes, METRICS.items()):
        for strategy in STRATEGIES:
            runs = np.array(summary[strategy][metric])
            mean = runs.mean(axis=0)
            (line,) = ax.plot(sizes, mean, marker="o", ms=3, label=strategy)
            ax.fill_between(
                sizes, runs.min(axis=0), runs.max(axis=0), alpha=0.15, color=line.get_color()
            )
        ax.set_xlabel("labeled training reports")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.suptitle(
        f"Active learning on the shipped corpus (mean of {len(SEEDS)} random starts; band: min-max)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(REPO / "configs" / "tfidf_logreg.yaml"))
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from textcls.config import load_config
    from textcls.experiment import load_data

    config = load_config(args.config)
    _, _, splits = load_data(config)
    started = time.perf_counter()
    summary = {s: {m: [] for m in METRICS} for s in STRATEGIES}
    sizes: list[int] = []
    for seed in SEEDS:
        for strategy in STRATEGIES:
            points = curve(config, splits, strategy, seed)
            sizes = [p["labeled"] for p in points]
            for metric in METRICS:
                summary[strategy][metric].append([p[metric] for p in points])
            print(
                f"seed {seed} {strategy:<11} "
                + " ".join(
                    f"{p['labeled']}:{p['theme_macro_f1']:.3f}/{p['action_micro_f1']:.3f}"
                    for p in points
                ),
                flush=True,
            )

    means = {s: {m: np.mean(summary[s][m], axis=0).tolist() for m in METRICS} for s in STRATEGIES}
    at = sizes.index(400) if 400 in sizes else None
    rows, verdict = [], {}
    for metric in METRICS:
        for k, size in enumerate(sizes):
            rows.append((metric, size, *(f"{means[s][metric][k]:.3f}" for s in STRATEGIES)))
        if at is not None:
            target = means["random"][metric][at]
            needed = reached(sizes, means["diverse"][metric], target)
            verdict[metric] = {
                "random_at_400": target,
                "diverse_reports_needed": needed,
                "met": needed is not None and needed <= 300,
            }
    print(table(rows, ("metric", "labeled", *STRATEGIES)))
    for metric, v in verdict.items():
        print(
            f"{metric}: random at 400 = {v['random_at_400']:.3f}; diverse reaches it with "
            f"{v['diverse_reports_needed']} reports (target <= 300: "
            f"{'met' if v['met'] else 'missed'})"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    plot(sizes, summary, RESULTS / "active_learning.png")
    result = {
        "config": str(args.config),
        "seeds": list(SEEDS),
        "sizes": sizes,
        "means": means,
        "runs": summary,
        "target": verdict,
        "seconds": time.perf_counter() - started,
    }
    print(f"wrote {save('active_learning', result)}")


if __name__ == "__main__":
    main()
