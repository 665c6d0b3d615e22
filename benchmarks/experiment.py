"""Wall time of the main job with a cold and a warm cache.

Runs ``textcls run configs/default.yaml`` twice in fresh processes against an
empty cache folder (``TEXTCLS_CACHE``): the first run embeds, reduces and
unpacks the model (cold), the second finds all of it cached (warm). Prints
whole-process wall time and the per-stage split (embed / topics / train /
evaluate) from each run's metrics.json. Writes ``benchmarks/results/experiment.json``.

    .venv/bin/python benchmarks/experiment.py

Target: warm at least 5x faster than cold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, load, save, table

STAGES = ("load", "embed", "topics", "train", "evaluate")


def run_once(cache: Path, output: Path) -> dict:
    env = {**os.environ, "TEXTCLS_CACHE": str(cache)}
    textcls = Path(sys.executable).with_name("textcls")
    config = output / "bench.yaml"
    config.write_text(
        (REPO / "configs" / "default.yaml")
        .read_text()
        .replace("../corpus/", f"{REPO}/corpus/")
        .replace("labels: labels.yaml", f"labels: {REPO}/configs/labels.yaml")
        .replace("output_dir: ../experiments", f"output_dir: {output}")
    )
    started = time.perf_counter()
    done = subprocess.run(
        [str(textcls), "run", str(config), "--quiet"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    run_dir = Path(done.stdout.strip().splitlines()[-1].removeprefix("outputs: "))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    return {"wall_s": wall, "stages_s": metrics["timings_s"]}


def main() -> None:
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="textcls-bench-") as scratch:
        scratch = Path(scratch)
        cold = run_once(scratch / "cache", scratch)
        warm = run_once(scratch / "cache", scratch)
    rows = [
        (stage, f"{cold['stages_s'].get(stage, 0):.1f}", f"{warm['stages_s'].get(stage, 0):.1f}")
        for stage in STAGES
    ]
    rows.append(("whole process (wall)", f"{cold['wall_s']:.1f}", f"{warm['wall_s']:.1f}"))
    print(table(rows, ("seconds", "cold cache", "warm cache")))
    ratio = cold["wall_s"] / warm["wall_s"]
    stage_ratio = sum(cold["stages_s"].values()) / sum(warm["stages_s"].values())
    print(f"warm is {ratio:.1f}x faster end to end, {stage_ratio:.1f}x over the stages alone")
    loads = {"before": load_before, "after": load()}
    print(f"load average (1, 5, 15 min) before {loads['before']}, after {loads['after']}")
    path = save(
        "experiment",
        {
            "cold": cold,
            "warm": warm,
            "speedup_wall": ratio,
            "speedup_stages": stage_ratio,
            "load": loads,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
