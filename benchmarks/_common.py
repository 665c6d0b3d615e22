"""Shared by the benchmark scripts: the corpus texts, a machine description, JSON output."""

from __future__ import annotations

import json
import os
import platform
import resource
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"


def corpus_texts(n: int) -> list[str]:
    """``n`` distinct report texts: the shipped corpus, cycled with a copy marker if short."""
    from textcls import load_corpus

    documents = load_corpus(REPO / "corpus" / "reports.jsonl").documents
    return [
        documents[i % len(documents)]
        + ("" if i < len(documents) else f"\n\n(copy {i // len(documents)})")
        for i in range(n)
    ]


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or "unknown",
        "date": datetime.now().isoformat(timespec="seconds"),
    }


def load() -> list[float]:
    """Load average over 1, 5 and 15 minutes: other work on the machine slows every figure."""
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def save(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, indent=2))
    return path


def table(rows: list[tuple], header: tuple) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(v).ljust(w) for v, w in zip(row, widths)) for row in [header, *rows]
    )
