"""Many distinct reports from few: recombine the sentences of a corpus, for scale tests
and benchmarks (never for training or evaluation: the actions do not carry over).

With ``keep_theme=True`` each new report takes its title and sentences from reports
of one theme only and carries that theme, so clusterings of a large generated pile
can still be scored against themes (``textcls topics --sample`` is tested that way).

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
    reports: Iterable[Report],
    n: int,
    seed: int = 0,
    sentences: tuple[int, int] = (3, 9),
    keep_theme: bool = False,
) -> Iterator[dict]:
    """``n`` report records (``id``, ``title``, ``text``), each a random title and a run of
    random sentences from ``reports``; the same ``seed`` gives the same records.

    With ``keep_theme`` the title and sentences of a record come from reports of one
    theme, drawn in proportion to the themes' sizes, and the record carries ``theme``.
    """
    pools: dict[str | None, tuple[list[str], list[str]]] = {}
    for report in reports:
        titles, pool = pools.setdefault(report.theme if keep_theme else None, ([], []))
        if report.title:
            titles.append(report.title)
        pool.extend(s.text for s in split_sentences(report.text))
    groups = sorted((k for k in pools if pools[k][1]), key=str)
    if keep_theme and None in groups:
        raise ValueError("keep_theme needs labeled reports; some have no theme")
    weights = [len(pools[k][1]) for k in groups]
    rng = random.Random(seed)
    for i in range(n):
        group = rng.choices(groups, weights)[0] if len(groups) > 1 else groups[0]
        titles, pool = pools[group]
        body = " ".join(rng.choice(pool) for _ in range(rng.randint(*sentences)))
        row = {"id": f"gen-{i:07d}", "title": rng.choice(titles) if titles else "", "text": body}
        if keep_theme:
            row["theme"] = str(group)
        yield row


def write_recombined(
    path: str | Path, reports: Iterable[Report], n: int, seed: int = 0, keep_theme: bool = False
) -> Path:
    """Write :func:`recombined_reports` as JSONL, a line at a time."""
    with open_atomic(path) as out:
        for row in recombined_reports(reports, n, seed, keep_theme=keep_theme):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(path)
