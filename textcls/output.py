"""Write predictions and figures the way the command line shows them.

Offsets in a :class:`~textcls.classify.Prediction` refer to the string the
model was given, a report's :attr:`~textcls.corpus.Report.raw_document`
(headline, blank line, body). Records written for users refer to the report's
own fields instead: ``"field": "text"`` or ``"title"`` and offsets inside it.

Example
-------
>>> shorten("Police closed 12 gambling sites in the city of Wenzhou.", 30)
'Police closed 12 gambling s...'
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable, Sequence

from .corpus import Report

Echo = Callable[[str], None]
FIGURE_COLUMNS = ("id", "field", "start", "end", "value", "unit", "qualifier", "action", "text")


def shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _in_fields(report: Report, item: dict) -> dict:
    field, start, end = report.locate(item["start"], item["end"])
    return {**item, "field": field, "start": start, "end": end}


def prediction_record(report: Report, prediction) -> dict:
    """The JSONL record of one prediction, evidence and figures located in the report's fields."""
    record = {"id": report.id, **prediction.to_dict()}
    record["evidence"] = {
        action: _in_fields(report, item) for action, item in prediction.evidence.items()
    }
    record["figures"] = [_in_fields(report, item) for item in prediction.figures]
    return record


def write_predictions(
    reports: Sequence[Report],
    predictions: Sequence,
    output_format: str,
    echo: Echo,
    header: bool = True,
) -> None:
    """Print predictions as ``jsonl``, ``csv`` or a ``table`` with each action's evidence.

    Called once per chunk of a stream, ``header=False`` after the first chunk.
    """
    if output_format == "jsonl":
        for report, p in zip(reports, predictions):
            echo(json.dumps(prediction_record(report, p), ensure_ascii=False))
    elif output_format == "csv":
        rows = [["id", "theme", "theme_score", "actions", "figures"]] if header else []
        rows += [
            [
                report.id,
                p.theme,
                p.theme_scores[p.theme],
                ";".join(p.actions),
                ";".join(_figure_label(f) for f in p.figures),
            ]
            for report, p in zip(reports, predictions)
        ]
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        if rows:
            echo(text.getvalue()[:-1])
    else:
        # Ids longer than the first chunk's push their row out of line: a stream cannot
        # look ahead for the widest.
        width = max([len(r.id) for r in reports] + [2])
        if header:
            echo(f"{'id':<{width}}  {'theme':<22} {'score':>5}  actions")
        for report, p in zip(reports, predictions):
            echo(
                f"{report.id:<{width}}  {p.theme:<22} {p.theme_scores[p.theme]:>5.2f}  "
                f"{', '.join(p.actions)}"
            )
            for action, item in p.evidence.items():
                echo(
                    f'{"":<{width}}    {action}: "{shorten(item["sentence"], 90)}" '
                    f"({item['score']:.2f})"
                )
            if p.figures:
                echo(
                    f"{'':<{width}}    figures: "
                    + ", ".join(_figure_label(f) for f in p.figures[:8])
                    + (f" (+{len(p.figures) - 8} more)" if len(p.figures) > 8 else "")
                )


def _figure_label(figure: dict) -> str:
    value = figure["value"]
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{shown} {figure['unit']}"


def figure_records(report: Report, figures: Sequence[dict]) -> list[dict]:
    return [{"id": report.id, **_in_fields(report, f)} for f in figures]


def write_figures(records: Sequence[dict], output_format: str, echo: Echo) -> None:
    """Print figure records as ``jsonl`` or a ``table``."""
    if output_format == "jsonl":
        for record in records:
            echo(json.dumps(record, ensure_ascii=False))
        return
    width = max([len(r["id"]) for r in records] + [2])
    echo(f"{'id':<{width}}  {'where':<14} {'value':>16}  {'unit':<10} {'action':<21} text")
    for r in records:
        where = f"{r['field']} {r['start']}-{r['end']}"
        echo(
            f"{r['id']:<{width}}  {where:<14} {r['value']:>16,.0f}  {r['unit']:<10} "
            f"{r['action'] or '-':<21} {shorten(r['text'], 50)}"
        )


def evidence_lines(wrong: dict[str, dict], missed: dict[str, dict]) -> list[str]:
    """Lines for ``textcls eval --show``: the sentence behind each wrong or missed action."""
    lines = []
    for kind, found in (("wrong", wrong), ("missed", missed)):
        for action, item in found.items():
            lines.append(
                f'     {kind} {action}: "{shorten(item["sentence"], 100)}" ({item["score"]:.2f})'
            )
    return lines
