"""The label audit: out-of-fold probabilities, confident learning, rare labels."""

import csv
import dataclasses
import random

from conftest import REPO, write_config

from textcls.cli import main
from textcls.config import load_config
from textcls.corpus import Corpus
from textcls.label_audit import COLUMNS, audit

TFIDF = {"features": {"embeddings": False, "tfidf": True}, "topics": {"enabled": False}}


def test_audit_ranks_injected_label_flips_near_the_top(corpus, scheme):
    rng = random.Random(7)
    reports, flips = list(corpus), set()
    for n, i in enumerate(rng.sample(range(len(reports)), 30)):
        report = reports[i]
        if n < 15:
            theme = rng.choice([t for t in scheme.themes if t != report.theme])
            reports[i] = dataclasses.replace(report, theme=theme)
            flips.add((report.id, "theme"))
        else:
            action = rng.choice(scheme.actions)
            toggled = set(report.actions) ^ {action}
            reports[i] = dataclasses.replace(
                report, actions=tuple(a for a in scheme.actions if a in toggled)
            )
            flips.add((report.id, action))
    result = audit(
        load_config(REPO / "configs" / "tfidf_logreg.yaml"), corpus=Corpus(reports, path="flipped")
    )
    top = {(issue.id, issue.field) for issue in result.issues[:60]}
    assert len(flips & top) >= 15, sorted(flips & top)
    assert result.theme_proba.shape == (len(reports), len(scheme.themes))
    assert not result.skipped


def test_a_label_too_rare_for_the_folds_is_named_and_the_rest_audited(
    tmp_path, small_corpus, capsys
):
    lone_other = next(r.id for r in small_corpus if r.theme == "other")
    lone_summons = next(r.id for r in small_corpus if "summons" in r.actions)
    reports = [
        r
        if r.id == lone_summons
        else dataclasses.replace(r, actions=tuple(a for a in r.actions if a != "summons"))
        for r in small_corpus
        if r.theme != "other" or r.id == lone_other
    ]
    config = write_config(tmp_path, reports, name="rare", **TFIDF)
    out = tmp_path / "audit.csv"
    assert main(["audit", str(config), "--top", "5", "-o", str(out), "--folds", "3", "-q"]) == 0
    printed = capsys.readouterr().out
    assert "theme 'other' is too rare to audit (1 report;" in printed
    assert "action 'summons' is too rare to audit (1 report;" in printed
    assert printed.splitlines()[0].split()[:3] == ["rank", "id", "field"]
    rows = list(csv.DictReader(out.open()))
    assert rows and list(rows[0]) == COLUMNS
    # An action's row carries the report's best sentence for it; a theme's row none.
    by_id = {r.id: r for r in reports}
    for row in rows:
        if row["field"] == "theme":
            assert row["evidence"] == ""
        else:
            assert row["evidence"] and row["evidence"] in by_id[row["id"]].document
    assert not [
        r for r in rows if r["field"] == "summons" or "other" in (r["given"], r["suggested"])
    ]
    confidences = [float(r["confidence"]) for r in rows]
    assert confidences == sorted(confidences, reverse=True)


def test_more_folds_than_events_is_a_clear_error(tmp_path, small_corpus, capsys):
    config = write_config(tmp_path, list(small_corpus)[:4], name="tiny", **TFIDF)
    assert main(["audit", str(config), "--folds", "5", "-o", str(tmp_path / "a.csv")]) == 2
    assert "distinct events for 5 folds" in capsys.readouterr().err
