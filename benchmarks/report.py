"""`textcls report`: quality of its guided topics, its cost beyond prediction, the page's size.

* Topics: the test split as the user's unlabeled pile (labels withheld), guided by the
  train split (the classifier is trained on train + dev, as `textcls run` does); NMI of
  the report's topics against the withheld themes, and which themes got a topic.
* Cost: `build_report` + `write_report` on 10,000 reports (the corpus cycled, ids made
  unique) with the TF-IDF config, minus the time of `predict` on the same reports.

Writes ``benchmarks/results/report.json``.

    .venv/bin/python benchmarks/report.py
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
import warnings
from pathlib import Path

from _common import REPO, peak_rss_mb, save, table

PILE = 10_000


def main() -> None:
    warnings.filterwarnings("ignore")
    from textcls.config import load_config
    from textcls.experiment import load_data, train_stage
    from textcls.metrics import clustering_scores
    from textcls.report import build_report
    from textcls.report_html import write_report

    result: dict = {"topics": {}}
    rows = []
    for name in ("tfidf_logreg", "default"):
        config = load_config(REPO / "configs" / f"{name}.yaml")
        _, corpus, splits = load_data(config)
        model = train_stage(config, _scheme(config), splits, progress=False)
        test = splits["test"]
        pile = [dataclasses.replace(r, theme=None, actions=None) for r in test]
        started = time.perf_counter()
        data = build_report(pile, model, splits["train"])
        seconds = time.perf_counter() - started
        topics = [r["topic"] for r in data.rows]
        scores = clustering_scores(topics, test.themes)
        mapped = data.tables["topics.csv"]
        found = sorted(set(mapped["theme"]) - {"emerging"})
        result["topics"][name] = {
            **scores,
            "topics": len(mapped),
            "themes_with_a_topic": found,
            "emerging_reports": int(sum(r["emerging"] for r in data.rows)),
            "seconds_with_prediction": round(seconds, 2),
        }
        rows.append(
            (
                name,
                scores["nmi"],
                scores["purity"],
                len(mapped),
                f"{len(found)}/{len(set(test.themes))}",
            )
        )
        if name == "tfidf_logreg":
            tfidf_model, reports = model, corpus.reports
    print(table(rows, ("config", "NMI", "purity", "topics", "themes with a topic")))

    pile = [
        dataclasses.replace(
            reports[i % len(reports)],
            id=f"r{i:05d}",
            text=reports[i % len(reports)].text
            + ("" if i < len(reports) else f"\n\n(copy {i // len(reports)})"),
            theme=None,
            actions=None,
        )
        for i in range(PILE)
    ]
    started = time.perf_counter()
    tfidf_model.predict([r.raw_document for r in pile])
    predict_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        page = write_report(build_report(pile, tfidf_model, splits["train"]), Path(folder))
        total_s = time.perf_counter() - started
        size = page.stat().st_size
    result["pile"] = {
        "reports": PILE,
        "predict_s": round(predict_s, 1),
        "report_s": round(total_s, 1),
        "beyond_prediction_s": round(total_s - predict_s, 1),
        "page_mb": round(size / 1e6, 2),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(
        table(
            [
                (
                    PILE,
                    f"{predict_s:.1f}",
                    f"{total_s:.1f}",
                    f"{total_s - predict_s:.1f}",
                    f"{size / 1e6:.2f}",
                )
            ],
            ("reports", "predict s", "report s", "beyond prediction s", "page MB"),
        )
    )
    print(f"wrote {save('report', result)}")


def _scheme(config):
    from textcls.labels import LabelScheme

    return LabelScheme.from_yaml(config.data.labels)


if __name__ == "__main__":
    main()
