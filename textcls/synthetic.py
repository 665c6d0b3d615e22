"""Many distinct reports from few: recombine the sentences of a corpus, for scale tests
and benchmarks (never for training or evaluation: the labels do not carry over).

Example
-------
>>> from textcls.corpus import Report
>>> seed = [Report("a", "Police shut 3 sites. Fines followed."),
...         Report("b", "A rumor was denied. Two men were detained.")]
>>> rows = list(recombined_reports(seed, 3, seed=1))
>>> [r["id"] for r in rows], all(r["text"] for r in rows)
(['gen-0000000', 'gen-0000001', 'gen-0000002'], True)
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterable, Iterator

from .atomic import open_atomic
from .corpus import Report
from .sentences import split_sentences


def recombined_reports(
    reports: Iterable[Report], n: int, seed: int = 0, sentences: tuple[int, int] = (3, 9)
) -> Iterator[dict]:
    """``n`` report records (``id``, ``title``, ``text``), each a random title and a run of
    random sentences from ``reports``; the same ``seed`` gives the same records."""
    titles: list[str] = []
    pool: list[str] = []
    for report in reports:
        if report.title:
            titles.append(report.title)
        pool.extend(s.text for s in split_sentences(report.text))
    rng = random.Random(seed)
    for i in range(n):
        body = " ".join(rng.choice(pool) for _ in range(rng.randint(*sentences)))
        yield {"id": f"gen-{i:07d}", "title": rng.choice(titles) if titles else "", "text": body}


def write_recombined(path: str | Path, reports: Iterable[Report], n: int, seed: int = 0) -> Path:
    """Write :func:`recombined_reports` as JSONL, a line at a time."""
    with open_atomic(path) as out:
        for row in recombined_reports(reports, n, seed):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(path)
