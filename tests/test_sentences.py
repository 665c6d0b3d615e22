"""The sentence splitter on machine-translated punctuation, and against the gold sentences."""

import json

from conftest import REPO

from textcls.cleaning import clean
from textcls.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_offsets_point_back_into_the_text():
    text = "  Police shut 12 sites.The office warned users；rose。\n\n- Item one\n- Item two"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_machine_translated_punctuation_and_missing_spaces():
    assert texts("Police shut 12 sites.The office warned users；reports rose。Next") == [
        "Police shut 12 sites.",
        "The office warned users；",
        "reports rose。",
        "Next",
    ]


def test_abbreviations_decimals_and_web_addresses_do_not_split():
    assert texts(
        "Mr. Li said 1.2 million posts on weibo.com were removed. U.S. officials agreed."
    ) == ["Mr. Li said 1.2 million posts on weibo.com were removed.", "U.S. officials agreed."]


def test_quotes_and_lines_end_sentences():
    assert texts('He said "it is false." Police acted.\n1. Close accounts\n2. Delete posts') == [
        'He said "it is false."',
        "Police acted.",
        "1. Close accounts",
        "2. Delete posts",
    ]


def test_run_ons_are_cut_at_full_width_commas():
    clause = "the office cleaned up harmful information and closed accounts of many kinds"
    run_on = "，".join([clause] * 12)
    pieces = split_sentences(run_on)
    assert len(pieces) > 1 and all(len(p.text.split()) <= 80 for p in pieces)


def test_no_boundary_or_nothing_at_all():
    assert texts("a report with no boundary at all " * 3) == [
        ("a report with no boundary at all " * 3).strip()
    ]
    assert split_sentences("") == [] and split_sentences(" \n ") == []
    assert texts("12 345 6789") == ["12 345 6789"]


def test_agrees_with_the_gold_sentence_boundaries(corpus):
    """Sentences of the gold reports, split after cleaning, match the hand-made ones."""
    gold = [json.loads(line) for line in (REPO / "corpus/gold/sentences.jsonl").open()]
    by_id = {r.id: r for r in corpus}
    fields = {(g["report"], g["field"]) for g in gold}
    expected, found = set(), set()
    for report_id, field in fields:
        for g in gold:
            if (g["report"], g["field"]) == (report_id, field):
                expected.add((report_id, " ".join(clean(g["text"]).split())))
        text = clean(getattr(by_id[report_id], field))
        found |= {(report_id, " ".join(s.text.split())) for s in split_sentences(text)}
    exact = len(expected & found)
    assert exact / len(expected) >= 0.85 and exact / len(found) >= 0.85
