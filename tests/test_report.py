"""textcls report: the tables, the guided topics, the page's content and the command's guards."""

import json

import pandas as pd
import pytest
from conftest import LABELS

from textcls.classify import EnforcementClassifier
from textcls.cli import main
from textcls.corpus import Report
from textcls.labels import LabelScheme
from textcls.persist import save_model
from textcls.report import build_report, month_of
from textcls.report_html import write_report


@pytest.fixture(scope="module")
def model(small_corpus):
    """A TF-IDF model on the small corpus: trains in about a second."""
    return EnforcementClassifier(tfidf=True, thresholds="fixed").fit(
        [r.raw_document for r in small_corpus], small_corpus.themes, small_corpus.actions
    )


@pytest.fixture(scope="module")
def pile(corpus, small_corpus):
    """40 labeled reports the model never saw, 8 per theme."""
    seen, picked, per_theme = set(small_corpus.ids), [], {}
    for report in corpus:
        if report.id not in seen and per_theme.get(report.theme, 0) < 8:
            per_theme[report.theme] = per_theme.get(report.theme, 0) + 1
            picked.append(report)
    return picked


@pytest.mark.parametrize(
    "date, text, month",
    [
        ("2021-06", "", "2021-06"),
        ("2021-06-30", "", "2021-06"),
        (None, "On 3 March 2021, police said...", "2021-03"),
        (None, "Police said on Sept. 14, 2022 that 40 sites were shut.", "2022-09"),
        (None, "2023年5月, the office acted.", "2023-05"),
        (None, "Officials, in a notice dated 2020/11/02, said ...", "2020-11"),
        (None, "In 2021 some 300 accounts were closed.", None),
        ("", "No date at all; 2021-13 is no month.", None),
    ],
)
def test_month_of_reads_the_date_field_then_the_text(date, text, month):
    assert month_of(date, text) == month


def test_report_tables_on_a_labeled_pile(model, pile, small_corpus):
    data = build_report(pile, model, small_corpus)
    tables = data.tables
    assert len(data.rows) == len(pile) and data.undated == sum(r.date is None for r in pile)
    by_month = tables["themes_by_month.csv"]
    assert by_month[data.themes].to_numpy().sum() == len(pile)
    assert set(by_month["month"]) == {r["month"] for r in data.rows}
    actions = tables["actions_by_month.csv"]
    assert actions[data.actions].to_numpy().sum() == sum(
        len([a for a in r["actions"].split(";") if a]) for r in data.rows
    )
    topics = tables["topics.csv"]
    assert topics["size"].sum() == len(pile)
    # Every theme the classifier found has a topic, each with words and 3 headlines.
    assert set(topics["theme"]) - {"emerging"} == {
        r["theme"] for r in data.rows if not r["emerging"]
    }
    assert topics["top_words"].str.len().min() > 0 and topics["example_3"].notna().all()
    figures = tables["figures.csv"]
    assert figures["mentions"].sum() == sum(len(r["figures"]) for r in data.rows)
    confusion = tables["confusion.csv"]
    assert confusion[data.themes].to_numpy().sum() == len(pile)
    assert 0.5 < data.scores["theme_accuracy"] <= 1 and "topics_vs_gold" in data.scores
    evidence = next(r for r in data.rows if r["evidence"])
    report = next(r for r in pile if r.id == evidence["id"])
    item = next(iter(evidence["evidence"].values()))
    # Evidence points into the report's own field, as `predict` reports it.
    assert getattr(report, item["field"])[item["start"] : item["end"]].strip()


def test_page_is_self_contained(model, pile, small_corpus, tmp_path):
    page = write_report(build_report(pile, model, small_corpus), tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "http://" not in text
    assert text.count('<figure class="chart">') == 5 and text.count("<svg") == 5
    assert "Scores against the labels given" in text
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {
        "report.html",
        "reports.csv",
        "themes_by_month.csv",
        "actions_by_month.csv",
        "figures.csv",
        "topics.csv",
        "emerging.csv",
        "confusion.csv",
        "scores.csv",
    }
    assert len(pd.read_csv(tmp_path / "out" / "reports.csv")) == len(pile)


def test_undated_unlabeled_reports_are_said_so(model, small_corpus, tmp_path):
    reports = [
        Report(
            id=f"u{i}",
            title=f"Police shut {i + 10} gambling sites",
            text="Police in the city shut gambling and fraud websites and arrested "
            f"{i + 2} suspects for telecom fraud.",
        )
        for i in range(12)
    ]
    data = build_report(reports, model, small_corpus)
    assert data.undated == 12 and not data.scores and not data.months
    assert list(data.tables["themes_by_month.csv"]["month"]) == ["undated"]
    page = write_report(data, tmp_path / "out").read_text(encoding="utf-8")
    assert page.count("No report has a date") == 2 and "all 12 are undated" in page
    assert not (tmp_path / "out" / "confusion.csv").exists()


def test_a_single_report_gets_a_page_without_topics(model, small_corpus, tmp_path):
    one = [
        Report(
            id="only",
            text="The cyberspace office closed 300 accounts promoting bitcoin on 5 May 2022.",
        )
    ]
    data = build_report(one, model, small_corpus)
    assert data.rows[0]["topic"] == -1 and data.rows[0]["month"] == "2022-05"
    page = write_report(data, tmp_path / "out").read_text(encoding="utf-8")
    assert "Topics need at least 10 reports; this pile has 1." in page
    assert "The map needs more reports." in page


def test_report_command_and_its_output_folder_guard(model, pile, small_corpus, tmp_path, capsys):
    run = tmp_path / "run"
    save_model(model, run, LabelScheme.from_yaml(LABELS))
    data, guide = tmp_path / "pile.jsonl", tmp_path / "guide.jsonl"
    for path, reports in ((data, pile), (guide, small_corpus)):
        path.write_text(
            "".join(
                json.dumps(
                    {
                        "id": r.id,
                        "title": r.title,
                        "text": r.text,
                        "theme": r.theme,
                        "actions": list(r.actions),
                        "date": r.date,
                    }
                )
                + "\n"
                for r in reports
            )
        )
    out = tmp_path / "out"
    args = ["report", str(run), str(data), "-o", str(out), "--guide", str(guide)]
    assert main(args) == 0
    assert f"wrote {out / 'report.html'}" in capsys.readouterr().out
    assert main(args) == 0  # a report folder may be written again
    (out / "notes.txt").write_text("mine")
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "holds files that are not a report (notes.txt)" in err and "--overwrite" in err
    assert main([*args, "--overwrite"]) == 0
    assert (out / "notes.txt").read_text() == "mine"  # --overwrite replaces only report files


def test_the_guide_is_the_runs_training_split(scheme, tmp_path):
    from conftest import CORPUS, REPO

    from textcls.report import guide_corpus

    run = tmp_path / "run"
    run.mkdir()
    splits = REPO / "corpus" / "splits.json"
    (run / "config.yaml").write_text(
        json.dumps({"data": {"corpus": str(CORPUS), "splits": str(splits)}})
    )
    train = set(json.loads(splits.read_text())["train"])
    assert set(guide_corpus(run / "model.pkl", scheme).ids) == train
    # A run whose files are gone falls back to the whole starter corpus.
    (run / "config.yaml").write_text(json.dumps({"data": {"corpus": str(tmp_path / "gone")}}))
    assert len(guide_corpus(run, scheme)) == 665


def test_reports_that_fit_no_theme_form_emerging_topics(model, pile, small_corpus):
    plants = [
        "tomato",
        "basil",
        "rose",
        "tulip",
        "pepper",
        "mint",
        "orchid",
        "fern",
        "lily",
        "cactus",
        "ivy",
        "sage",
    ]
    garden = [
        Report(
            id=f"g{i}",
            title=f"How to grow {p} in a small garden",
            text=f"Water the {p} seedlings every morning, give the {p} plants compost "
            "and sunlight, prune the leaves in spring and harvest in summer.",
        )
        for i, p in enumerate(plants)
    ]
    data = build_report([*pile, *garden], model, small_corpus)
    flagged = {r["id"] for r in data.rows if r["emerging"]}
    ids = {g.id for g in garden}
    # A model trained on 90 reports is unsure of a few real ones too, but of far fewer.
    assert ids <= flagged and len(flagged - ids) < len(pile) / 4
    emerging = data.tables["emerging.csv"]
    assert len(emerging) >= 1 and emerging["size"].sum() == len(flagged)
    assert "garden" in " ".join(emerging["top_words"]) or "plants" in " ".join(
        emerging["top_words"]
    )
