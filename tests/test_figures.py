"""Figures: normalised values and units, the forms of machine-translated English, bad input."""

import json

from conftest import REPO

from textcls.figures import MAX_VALUE, UNITS, extract_figures
from textcls.gold import figure_scores, load_gold_figures


def found(text):
    return [(f.value, f.unit, f.qualifier) for f in extract_figures(text)]


def test_counts_and_amounts_with_their_units_and_actions():
    figures = extract_figures(
        "Weibo closed 12,000 illegal user accounts, cleared more than "
        "51,000 pieces of harmful information, and the company was "
        "fined 1.2 million yuan."
    )
    assert [(f.value, f.unit, f.action) for f in figures] == [
        (12000, "accounts", "account_action"),
        (51000, "posts", "content_removal"),
        (1_200_000, "yuan", "platform_action"),
    ]
    text = "Weibo closed 12,000 illegal user accounts."
    first = figures[0]
    assert text[first.start : first.end] == first.text == "12,000 illegal user accounts"


def test_machine_translated_magnitudes_and_number_words():
    assert found("Police cracked more than 1.7 ten thousand cases") == [
        (17000, "cases", "more_than")
    ]
    assert found("1.2万 accounts were banned") == [(12000, "accounts", "exact")]
    assert found("Three apps and dozens of websites were taken offline") == [
        (3, "apps", "exact"),
        (24, "websites", "approximate"),
    ]
    assert found("nearly 500 people were detained; 20 to 30 websites were shut") == [
        (500, "people", "nearly"),
        (20, "websites", "range"),
    ]
    assert extract_figures("20 to 30 websites")[0].upper == 30


def test_not_figures():
    assert (
        found(
            "In 2021 he was jailed for 3 years; an account with 1.2 million fans and 20% of views."
        )
        == []
    )
    assert found("A 23-year-old man was detained for 10 days.") == []


def test_bad_input_gives_sensible_output():
    assert found("99999999999999999999 accounts were closed") == []  # above MAX_VALUE
    assert MAX_VALUE < 1e20
    assert found("12 345 6789 0 1") == []
    assert found("") == []
    mixed = "网信办 closed 300 accounts，删除 1.2万 posts。"
    assert found(mixed) == [(300, "accounts", "exact"), (12000, "posts", "exact")]
    assert len(extract_figures("Police closed 12 websites. " * 8000)) == 8000


def test_every_unit_is_documented_once():
    nouns = [noun for names in UNITS.values() for noun in names]
    assert len(nouns) == len(set(nouns))


def test_gold_figures_precision_and_recall(corpus):
    from textcls.cleaning import clean_with_offsets
    from textcls.evidence import Located, located_figures

    gold = load_gold_figures(REPO / "corpus/gold/figures.jsonl")
    by_id = {r.id: r for r in corpus}
    annotated = json.loads((REPO / "corpus/gold/figure_reports.json").read_text())
    ids = annotated["batch1"] + annotated["batch2"]  # reports without figures count too
    scores = figure_scores(
        lambda r: located_figures(Located(r.raw_document, *clean_with_offsets(r.raw_document))),
        by_id,
        gold,
        ids,
    )
    # README figures: precision 0.91, recall 0.86 on 234 gold figures.
    assert scores["precision"] >= 0.88 and scores["recall"] >= 0.82
