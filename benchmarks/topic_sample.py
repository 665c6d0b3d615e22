"""Topics at scale: `textcls topics --sample N` against fitting on every report.

Generates 20,000 reports by recombining corpus sentences within each theme, so each
one carries its theme, and runs the topic stage of the fast config (static
embeddings, which are not cached) on them two ways: on all reports, and fitted on
a sample of 5,000 with the rest assigned by the fitted model. Each run is a fresh
process with an empty UMAP cache, measured twice:

* whole command: wall time and peak RSS of `textcls topics`, imports and numba's
  compilation included (about 20-40 s and 200 MB, the same in both ways);
* the stage alone: BERTopic and matplotlib imported and numba compiled first (a fit on
  random points), then the time and the growth of peak RSS of the stage (reading,
  embedding, fitting, assigning, writing tables, figures and the model).

NMI of the topics against the themes is over all 20,000 reports in both ways.
Writes ``benchmarks/results/topic_sample_N.json``.

    .venv/bin/python benchmarks/topic_sample.py [--n 20000] [--sample 5000] [--warm-only]

Target: with the sample, less than half the memory and time of the full fit, and
NMI within 0.05 of it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from _common import REPO, load, peak_rss_mb, save, table

CONFIG = REPO / "configs" / "fast.yaml"


def one(sample: int, data: str, warm: bool) -> dict:
    """One run in this process; the caller starts a fresh process for each."""
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    from textcls.config import load_config
    from textcls.experiment import run_experiment

    overrides = {
        "topics": {"sample": sample or None},
        "output_dir": str(Path(data).parent),
        "data": {"on_error": "skip"},  # a recombined text can be junk only, e.g. "Comments (0)"
    }
    config = load_config(CONFIG, overrides)
    if warm:
        _compile_numba(config)
        started = time.perf_counter()
    before = peak_rss_mb()
    result = run_experiment(config, ("topics",), data=Path(data))
    seconds = time.perf_counter() - started
    topics = result.metrics["topics"]
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_growth_mb": round(peak_rss_mb() - before, 1),
        "nmi": topics["topics_vs_gold"]["nmi"],
        "purity": topics["topics_vs_gold"]["purity"],
        "topics": topics["topics"],
        "sample_nmi": topics.get("sample", {}).get("topics_vs_gold", {}).get("nmi"),
    }


def _compile_numba(config) -> None:
    """Import what the stage imports and fit UMAP (both shapes the stage uses) and HDBSCAN
    on random points: past 4,096 points UMAP switches to NN-descent, so that many."""
    import numpy as np
    from hdbscan import HDBSCAN
    from umap import UMAP

    from textcls import plots  # noqa: F401  (matplotlib)
    from textcls.topics import import_bertopic

    import_bertopic()

    points = np.random.default_rng(0).random((4200, config.embedder.n_components))
    for components in (config.topics.umap.n_components, 2):
        reduced = UMAP(n_neighbors=15, n_components=components, metric="cosine").fit_transform(
            points.astype(np.float32)
        )
    HDBSCAN(min_cluster_size=15, prediction_data=True).fit(reduced)


def _fresh_cache(work: Path) -> Path:
    """A textcls cache sharing the distilled static model and the unpacked MiniLM but
    with no stored UMAP reductions, so each run fits."""
    from textcls.weights import cache_root

    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
    for part in ("static", "models"):
        if (cache_root() / part).exists():
            (cache / part).symlink_to(cache_root() / part)
    return cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--warm-only", action="store_true", help="skip the whole-command runs")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sample, data, warm = args.one
        print(json.dumps(one(int(sample), data, warm == "warm")))
        return

    from textcls.config import load_config
    from textcls.corpus import load_corpus
    from textcls.experiment import build_embedder
    from textcls.synthetic import write_recombined

    build_embedder(load_config(CONFIG)).distilled_path()  # distilled once, outside the runs
    work = Path(tempfile.mkdtemp(prefix="textcls-topic-sample-"))
    data = write_recombined(
        work / "reports.jsonl", load_corpus(REPO / "corpus" / "reports.jsonl"), args.n, 7, True
    )
    results: dict = {"n": args.n, "sample": args.sample, "load_before": load(), "runs": {}}
    rows = []
    kinds = ("warm",) if args.warm_only else ("cold", "warm")
    for warm in kinds:
        for sample in (0, args.sample):
            env = {
                **os.environ,
                "PYTHONPATH": str(REPO),
                "TEXTCLS_CACHE": str(_fresh_cache(work)),
            }
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(sample), str(data), warm],
                capture_output=True,
                text=True,
                env=env,
                cwd=work,
            )
            if done.returncode:
                sys.exit(f"run failed:\n{done.stderr[-3000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            if warm == "cold":
                run["seconds"] = round(time.perf_counter() - started, 1)  # process start to end
            way = f"sample {sample:,}" if sample else "all"
            results["runs"][f"{warm}-{way}"] = run
            memory = run["peak_rss_mb"] if warm == "cold" else run["rss_growth_mb"]
            rows.append((warm, way, run["seconds"], memory, run["nmi"], run["topics"]))
    for warm in kinds:
        full, part = (results["runs"][f"{warm}-{w}"] for w in ("all", f"sample {args.sample:,}"))
        memory = "peak_rss_mb" if warm == "cold" else "rss_growth_mb"
        results[f"ratio-{warm}"] = {
            "time": round(part["seconds"] / full["seconds"], 2),
            "memory": round(part[memory] / full[memory], 2),
            "nmi_difference": round(part["nmi"] - full["nmi"], 4),
        }
    results["load_after"] = load()
    print(
        table(
            rows,
            ("numba", "fitted on", "seconds", "memory MB (peak, or growth)", "NMI", "topics"),
        )
    )
    for warm in kinds:
        print(f"ratio-{warm}", results[f"ratio-{warm}"])
    print(f"wrote {save(f'topic_sample_{args.n}', results)}")


if __name__ == "__main__":
    main()
