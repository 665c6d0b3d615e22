"""The analyst's report: a pile of reports labeled, counted over time, and clustered.

:func:`build_report` takes the user's reports, a trained classifier and the
labeled corpus that guides the topics, and returns a :class:`ReportData`: the
tables behind ``textcls report`` (counts per theme and action per month,
figure totals, topics, emerging topics, scores for labeled input) plus one
record per report for the page. :func:`write_report` writes the CSVs and
``report.html`` into a folder (:func:`textcls.report_html.write_report`).

Example
-------
>>> month_of("", "Police said on 3 March 2021 that 40 sites were shut.")
'2021-03'
>>> data = build_report(reports, model, guide)                     # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus, Report
from .errors import InputError
from .guided import EMERGING, GuidedTopics
from .metrics import action_scores, clustering_scores, theme_scores
from .output import prediction_record

UNDATED = "undated"
#: Files a report folder holds; any other file in OUTDIR means it is not a report folder.
REPORT_FILES = (
    "report.html",
    "report.png",
    "reports.csv",
    "themes_by_month.csv",
    "actions_by_month.csv",
    "figures.csv",
    "topics.csv",
    "emerging.csv",
    "confusion.csv",
    "scores.csv",
)
EVIDENCE_CHARS = 300

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_ISO = re.compile(r"\b((?:19|20)\d\d)[-/.](\d{1,2})(?:[-/.]\d{1,2})?\b")
_CHINESE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月")
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WRITTEN = re.compile(
    rf"\b({_MONTH_NAME})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?"
    rf"((?:19|20)\d\d)\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+({_MONTH_NAME})\.?,?\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def month_of(date: str | None, text: str = "") -> str | None:
    """``YYYY-MM`` from a ``date`` field, else the first date written in ``text``, else None."""
    for source in (date or "", text):
        found = []
        for match in _ISO.finditer(source):
            found.append((match.start(), int(match[1]), int(match[2])))
        for match in _CHINESE.finditer(source):
            found.append((match.start(), int(match[1]), int(match[2])))
        for match in _WRITTEN.finditer(source):
            name, year = (match[1], match[2]) if match[1] else (match[3], match[4])
            found.append((match.start(), int(year), _MONTHS[name.lower().rstrip(".")]))
        valid = [f for f in sorted(found) if 1 <= f[2] <= 12]
        if valid:
            return f"{valid[0][1]:04d}-{valid[0][2]:02d}"
    return None


@dataclass
class ReportData:
    """Everything a report page shows; the tables are what the CSVs hold."""

    rows: list[dict]
    themes: list[str]
    actions: list[str]
    tables: dict[str, pd.DataFrame]
    undated: int
    topics_note: str = ""
    scores: dict = field(default_factory=dict)
    points: np.ndarray | None = None

    @property
    def months(self) -> list[str]:
        return sorted({r["month"] for r in self.rows} - {UNDATED})


def build_report(
    reports: Sequence[Report], model, guide: Corpus, topics: GuidedTopics | None = None
) -> ReportData:
    """Label ``reports`` with ``model``, cluster them guided by ``guide`` and count.

    Parameters
    ----------
    reports : sequence of Report
        The user's reports, labeled or not.
    model : EnforcementClassifier
        A trained classifier (``textcls.load_model``).
    guide : Corpus
        Labeled reports whose themes guide the topics (the model's training data).
    topics : GuidedTopics, optional
        The topic stage with its settings; the default one when missing.
    """
    reports = list(reports)
    predictions = model.predict([r.raw_document for r in reports])
    scores = np.array([[p.theme_scores[t] for t in model.themes_] for p in predictions])
    stage = topics if topics is not None else GuidedTopics()
    stage.fit(
        [r.document for r in reports],
        scores,
        model.themes_,
        guide.documents,
        [str(t) for t in guide.themes],
    )
    titles = [r.title or " ".join(r.text.split())[:100] for r in reports]
    rows = [
        _row(r, p, t, title, stage.theme_of_topic_.get(t, ""), bool(e))
        for r, p, t, title, e in zip(reports, predictions, stage.topics_, titles, stage.emerging_)
    ]
    data = ReportData(
        rows,
        list(model.themes_),
        list(model.actions_),
        {},
        sum(r["month"] == UNDATED for r in rows),
        points=stage.points_,
    )
    data.tables["reports.csv"] = pd.DataFrame(
        [{k: v for k, v in r.items() if k not in ("evidence", "figures")} for r in rows]
    )
    data.tables["themes_by_month.csv"] = _by_month(rows, "theme", data.themes)
    data.tables["actions_by_month.csv"] = _by_month(rows, "actions", data.actions)
    data.tables["figures.csv"] = _figure_totals(rows)
    topic_rows = _topic_table(stage, titles)
    data.tables["topics.csv"] = pd.DataFrame(
        topic_rows,
        columns=["topic", "size", "theme", "top_words", "example_1", "example_2", "example_3"],
    )
    data.tables["emerging.csv"] = data.tables["topics.csv"][
        data.tables["topics.csv"]["theme"] == EMERGING
    ].reset_index(drop=True)
    if len(reports) < stage.min_reports:
        data.topics_note = (
            f"Topics need at least {stage.min_reports} reports; this pile has {len(reports)}."
        )
    if reports and all(r.labeled for r in reports):
        data.scores = _scores(reports, predictions, stage, data)
    return data


def _row(
    report: Report, prediction, topic: int, title: str, topic_theme: str, emerging: bool
) -> dict:
    record = prediction_record(report, prediction)
    evidence = {
        a: {
            "field": e["field"],
            "start": e["start"],
            "end": e["end"],
            "sentence": e["sentence"][:EVIDENCE_CHARS],
            "score": e["score"],
        }
        for a, e in record["evidence"].items()
    }
    figures = [
        {"value": f["value"], "unit": f["unit"], "action": f.get("action"), "text": f["text"][:80]}
        for f in record["figures"]
    ]
    return {
        "id": report.id,
        "title": title[:160],
        "month": month_of(report.date, report.raw_document) or UNDATED,
        "theme": prediction.theme,
        "confidence": prediction.theme_scores[prediction.theme],
        "actions": ";".join(prediction.actions),
        "topic": topic,
        "topic_theme": topic_theme,
        "emerging": emerging,
        "gold_theme": report.theme or "",
        "gold_actions": ";".join(report.actions or ()),
        "evidence": evidence,
        "figures": figures,
    }


def _by_month(rows: list[dict], key: str, labels: list[str]) -> pd.DataFrame:
    counts: Counter = Counter()
    for row in rows:
        for label in [x for x in row[key].split(";") if x]:
            counts[(row["month"], label)] += 1
    months = sorted({m for m, _ in counts} - {UNDATED}) + (
        [UNDATED] if any(m == UNDATED for m, _ in counts) else []
    )
    table = pd.DataFrame(
        [[counts[(m, label)] for label in labels] for m in months],
        columns=labels,
        index=pd.Index(months, name="month"),
    )
    return table.reset_index()


def _figure_totals(rows: list[dict]) -> pd.DataFrame:
    totals: dict[tuple, list] = {}
    for row in rows:
        for figure in row["figures"]:
            entry = totals.setdefault((figure["unit"], row["theme"], row["month"]), [0.0, 0])
            entry[0] += float(figure["value"])
            entry[1] += 1
    return pd.DataFrame(
        [
            {"unit": u, "theme": t, "month": m, "total": v, "mentions": c}
            for (u, t, m), (v, c) in sorted(totals.items())
        ],
        columns=["unit", "theme", "month", "total", "mentions"],
    )


def _topic_table(stage: GuidedTopics, titles: list[str]) -> list[dict]:
    sizes = Counter(stage.topics_)
    examples = stage.examples(titles) if stage.theme_of_topic_ else {}
    return [
        {
            "topic": t,
            "size": sizes[t],
            "theme": theme,
            "top_words": " ".join(stage.words_.get(t, [])),
            **{f"example_{i + 1}": e for i, e in enumerate(examples.get(t, []))},
        }
        for t, theme in stage.theme_of_topic_.items()
    ]


def _scores(reports: list[Report], predictions, stage: GuidedTopics, data: ReportData) -> dict:
    gold = [str(r.theme) for r in reports]
    themes = theme_scores(gold, [p.theme for p in predictions], data.themes)
    actions = action_scores(
        [list(r.actions or ()) for r in reports], [p.actions for p in predictions], data.actions
    )
    matrix = themes["confusion"]["matrix"]
    data.tables["confusion.csv"] = pd.DataFrame(
        matrix, columns=data.themes, index=pd.Index(data.themes, name="gold \\ predicted")
    ).reset_index()
    data.tables["scores.csv"] = pd.DataFrame(
        [{"kind": "theme", "label": k, **v} for k, v in themes["per_class"].items()]
        + [{"kind": "action", "label": k, **v} for k, v in actions["per_label"].items()]
    )
    result = {
        "theme_accuracy": themes["accuracy"],
        "theme_macro_f1": themes["macro_f1"],
        "action_micro_f1": actions["micro_f1"],
        "action_macro_f1": actions["macro_f1"],
    }
    if stage.theme_of_topic_:
        result["topics_vs_gold"] = clustering_scores(stage.topics_, gold)
    return result


def check_outdir(folder: str | Path, overwrite: bool) -> None:
    """Refuse a folder that holds files a report does not write, unless ``overwrite``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("exists and is not a folder", folder)
    if overwrite or not folder.exists():
        return
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in REPORT_FILES)
    if foreign:
        raise InputError(
            f"holds files that are not a report ({', '.join(foreign[:5])}); "
            "choose another folder or pass --overwrite",
            folder,
        )


def guide_corpus(run: str | Path, scheme) -> Corpus:
    """The labeled reports a run's model was trained on: its corpus's train split (or the
    whole corpus without splits), else the starter corpus when the run's files are gone."""
    import json

    import yaml

    from .bundled import bundled_file
    from .corpus import load_corpus

    folder = Path(run) if Path(run).is_dir() else Path(run).parent
    config = folder / "config.yaml"
    data = (
        (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("data", {})
        if config.exists()
        else {}
    )
    corpus_path = Path(data.get("corpus") or bundled_file("corpus/reports.jsonl"))
    if not corpus_path.exists():
        corpus_path = Path(bundled_file("corpus/reports.jsonl"))
        data = {}
    corpus = load_corpus(corpus_path, scheme, require_labels=True, on_error="skip")
    splits = Path(data["splits"]) if data.get("splits") else None
    if splits is not None and splits.exists():
        train = set(json.loads(splits.read_text(encoding="utf-8")).get("train", []))
        return corpus.subset([r.id for r in corpus if r.id in train])
    return corpus
