"""Hand-labeled gold sets for sentence-level actions and figures, and their scores.

Two gold sets ship in ``corpus/gold/`` (see its README): sentences labeled with
the actions each states, and the figures of a set of reports. Both point into
corpus reports by ``report``, ``field`` (``title`` or ``text``) and character
offsets in that field as written, junk included.

Example
-------
>>> gold = load_gold_sentences("corpus/gold/sentences.jsonl")   # doctest: +SKIP
>>> gold[0].report, gold[0].actions                             # doctest: +SKIP
('fin-065', [])
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from .cleaning import clean
from .corpus import Report
from .errors import InputError


@dataclass(frozen=True)
class GoldSentence:
    report: str
    split: str
    field: str
    start: int
    end: int
    text: str
    actions: list[str]


@dataclass(frozen=True)
class GoldFigure:
    report: str
    field: str
    start: int
    end: int
    text: str
    value: float
    unit: str
    action: str | None
    batch: int = 1


def _rows(path: str | Path, required: Sequence[str]) -> Iterable[tuple[int, dict]]:
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", path, number) from None
        for key in required:
            if key not in row:
                raise InputError("required field is missing", path, number, key)
        if row["field"] not in ("title", "text"):
            raise InputError("must be 'title' or 'text'", path, number, "field")
        yield number, row


def load_gold_sentences(path: str | Path, reports: set[str] | None = None) -> list[GoldSentence]:
    """Gold sentences, optionally only those of the ``reports`` ids given."""
    keys = ("report", "field", "start", "end", "text", "actions")
    return [
        GoldSentence(
            row["report"],
            row.get("split", ""),
            row["field"],
            int(row["start"]),
            int(row["end"]),
            row["text"],
            list(row["actions"]),
        )
        for _, row in _rows(path, keys)
        if reports is None or row["report"] in reports
    ]


def load_gold_figures(path: str | Path) -> list[GoldFigure]:
    keys = ("report", "field", "start", "end", "text", "value", "unit")
    return [
        GoldFigure(
            row["report"],
            row["field"],
            int(row["start"]),
            int(row["end"]),
            row["text"],
            float(row["value"]),
            row["unit"],
            row.get("action"),
            int(row.get("batch", 1)),
        )
        for _, row in _rows(path, keys)
    ]


def sentence_scores(
    score: Callable[[list[str]], np.ndarray],
    actions: Sequence[str],
    gold: Sequence[GoldSentence],
    threshold: float = 0.5,
) -> dict:
    """Sentence-level micro-F1 and per-action F1 of ``score`` (texts -> scores per action)."""
    truth = np.array([[a in s.actions for a in actions] for s in gold], dtype=bool)
    predicted = score([clean(s.text) for s in gold]) >= threshold
    return {
        "count": len(gold),
        "micro_f1": _f1(truth, predicted),
        "per_action": {a: _f1(truth[:, j], predicted[:, j]) for j, a in enumerate(actions)},
    }


def evidence_agreement(
    predictions: Sequence, reports: Sequence[Report], gold: Sequence[GoldSentence]
) -> dict:
    """Share of correct predicted actions whose evidence overlaps a gold sentence with the action.

    ``predictions[i]`` was made on ``reports[i].raw_document``.
    """
    marked: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for s in gold:
        for action in s.actions:
            marked.setdefault((s.report, action), []).append((s.field, s.start, s.end))
    hits = total = 0
    for report, prediction in zip(reports, predictions):
        for action, evidence in prediction.evidence.items():
            if action not in (report.actions or ()):
                continue
            total += 1
            field, start, end = report.locate(evidence["start"], evidence["end"])
            hits += any(
                f == field and start < e and s < end
                for f, s, e in marked.get((report.id, action), ())
            )
    return {
        "correct_actions": total,
        "evidence_in_gold": hits,
        "share": round(hits / total, 4) if total else 0.0,
    }


def figure_scores(
    figures_of: Callable[[Report], list[dict]],
    reports: Mapping[str, Report],
    gold: Sequence[GoldFigure],
    report_ids: Iterable[str],
) -> dict:
    """Precision and recall of extracted figures: a hit overlaps a gold figure and has its
    unit and value (within 1%). ``figures_of`` gives a report's figures with offsets in
    ``report.raw_document``."""
    hits = extracted = 0
    by_report: dict[str, list[GoldFigure]] = {}
    for figure in gold:
        by_report.setdefault(figure.report, []).append(figure)
    expected = 0
    for report_id in report_ids:
        report = reports[report_id]
        wanted = list(by_report.get(report_id, ()))
        expected += len(wanted)
        for found in figures_of(report):
            extracted += 1
            field, start, end = report.locate(found["start"], found["end"])
            match = next(
                (g for g in wanted if g.field == field and g.start < end and start < g.end), None
            )
            if (
                match is not None
                and match.unit == found["unit"]
                and abs(match.value - found["value"]) <= 0.01 * max(1.0, match.value)
            ):
                hits += 1
                wanted.remove(match)
    precision = hits / extracted if extracted else 0.0
    recall = hits / expected if expected else 0.0
    return {
        "gold": expected,
        "extracted": extracted,
        "correct": hits,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    denominator = float(truth.sum() + predicted.sum())
    return round(2 * float(np.sum(truth & predicted)) / denominator, 4) if denominator else 0.0
