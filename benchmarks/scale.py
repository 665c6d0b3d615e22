"""Prediction at scale: streaming in one process against dask LocalClusters.

Generates N reports by recombining corpus sentences, then labels them with a
TF-IDF model (no embeddings) three ways, each in a fresh process: single-process
streaming (``textcls predict -o``), ``--dask`` with 1 local worker, with 2. Reports
docs/s, peak RSS of every process, the scaling efficiency of 2 workers over 1 and
Dask's overhead at 1 worker against plain streaming. Writes
``benchmarks/results/scale.json``.

    .venv/bin/python benchmarks/scale.py --model RUN_FOLDER [--n 10000 100000]

Without ``--model`` it first trains ``configs/tfidf_logreg.yaml`` into a temporary
folder. N = 1,000,000 is by hand only (about 1.3 GB of JSONL and, at ~1,000 docs/s,
tens of minutes per mode): ``--n 1000000``.

Targets: peak RSS at 1M <= 1.2x at 100k (single process); 2 workers >= 1.7x the
docs/s of 1; Dask overhead at 1 worker <= 15%.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, save, table

MODES = ("single", "dask1", "dask2")


def one(mode: str, model: str, data: str, out: str) -> dict:
    """Run one mode in this process; the caller starts a fresh process per mode."""
    from textcls.cli import main as cli

    if mode == "single":
        started = time.perf_counter()
        assert cli(["predict", model, data, "-o", out]) == 0
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "rss_mb": {"main": _self_rss()}}
    from dask.distributed import Client, LocalCluster

    from textcls.distributed import predict_on_dask

    workers = int(mode[-1])
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()  # the cluster is up: its start is not the job's cost
        summary = predict_on_dask(model, [data], client, out, output_format="jsonl")
        seconds = time.perf_counter() - started
        workers_rss = client.run(_self_rss)
    return {
        "seconds": seconds,
        "rows": summary["written"],
        "rss_mb": {
            "main": _self_rss(),
            **{f"worker{i}": v for i, v in enumerate(workers_rss.values())},
        },
    }


def _self_rss() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _train(folder: Path) -> str:
    from textcls.cli import main as cli

    config = (REPO / "configs" / "tfidf_logreg.yaml").read_text()
    path = folder / "tfidf_logreg.yaml"
    path.write_text(
        config.replace("../", f"{REPO}/").replace(
            "labels: labels.yaml", f"labels: {REPO}/configs/labels.yaml"
        )
        + f"output_dir: {folder}\n"
    )
    assert cli(["train", str(path), "--quiet"]) == 0
    return str(next((folder / "tfidf_logreg").iterdir()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a run folder of a TF-IDF model (default: train one)")
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--name", default="scale", help="results file: results/NAME.json")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return

    from textcls.corpus import load_corpus
    from textcls.synthetic import write_recombined

    work = Path(tempfile.mkdtemp(prefix="textcls-scale-"))
    model = args.model or _train(work)
    corpus = load_corpus(REPO / "corpus" / "reports.jsonl")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    results: dict = {"model": model, "load": os.getloadavg(), "runs": {}}
    rows = []
    for n in args.n:
        data = write_recombined(work / f"reports-{n}.jsonl", corpus, n)
        for mode in args.modes:
            out = work / f"out-{mode}-{n}{'.jsonl' if mode == 'single' else ''}"
            done = subprocess.run(
                [sys.executable, __file__, "--one", mode, model, str(data), str(out)],
                capture_output=True,
                text=True,
                env=env,
                cwd=REPO / "benchmarks",
            )
            if done.returncode:
                sys.exit(f"{mode} at {n} failed:\n{done.stderr[-3000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["docs_per_s"] = round(n / run["seconds"], 1)
            run["load_after"] = os.getloadavg()
            results["runs"][f"{mode}-{n}"] = run
            rows.append(
                (
                    f"{n:,}",
                    mode,
                    f"{run['docs_per_s']:.0f}",
                    f"{run['seconds']:.1f}",
                    " ".join(f"{k} {v:.0f}" for k, v in run["rss_mb"].items()),
                )
            )
        runs = results["runs"]
        if all(f"{m}-{n}" in runs for m in MODES):
            rate = {m: runs[f"{m}-{n}"]["docs_per_s"] for m in MODES}
            results[f"summary-{n}"] = {
                "speedup_2_over_1": round(rate["dask2"] / rate["dask1"], 2),
                "scaling_efficiency": round(rate["dask2"] / rate["dask1"] / 2, 2),
                "dask_overhead_1_worker": round(rate["single"] / rate["dask1"] - 1, 3),
            }
    print(table(rows, ("reports", "mode", "docs/s", "seconds", "peak RSS MB per process")))
    for key, value in results.items():
        if key.startswith("summary"):
            print(key, value)
    print(f"wrote {save(args.name, results)}")


if __name__ == "__main__":
    main()
