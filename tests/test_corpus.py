"""Loading, validation and splitting of corpora (the shipped corpus is tested in
test_shipped_corpus.py)."""

import json

import pytest

from textcls.corpus import cleaning_summary, corpus_stats, load_corpus, load_splits, make_splits
from textcls.errors import InputError

GOOD = {
    "id": "a1",
    "title": "Sites shut",
    "text": "Police shut 30 gambling sites.",
    "theme": "fraud_platforms",
    "actions": ["platform_action"],
}


def test_jsonl_csv_and_txt_folder_give_the_same_records(tmp_path, write_jsonl, scheme):
    jsonl = load_corpus(write_jsonl([GOOD]), scheme)
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(
        "id,title,text,theme,actions\n"
        "a1,Sites shut,Police shut 30 gambling sites.,fraud_platforms,"
        "platform_action\n",
        encoding="utf-8",
    )
    from_csv = load_corpus(csv_path, scheme)
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "a1.txt").write_text("Police shut 30 gambling sites.", encoding="utf-8")
    (folder / "labels.jsonl").write_text(
        json.dumps({"file": "a1.txt", "theme": "fraud_platforms", "actions": ["platform_action"]})
        + "\n"
    )
    from_txt = load_corpus(folder, scheme)
    assert jsonl[0] == from_csv[0]
    assert (from_txt[0].id, from_txt[0].theme, from_txt[0].actions) == (
        "a1",
        "fraud_platforms",
        ("platform_action",),
    )


def test_unlabeled_txt_folder_loads_without_labels(tmp_path):
    (tmp_path / "one.txt").write_text("A rumor was debunked.")
    (tmp_path / "two.txt").write_text("A site was shut.")
    corpus = load_corpus(tmp_path)
    assert corpus.ids == ["one", "two"] and not corpus.labeled


@pytest.mark.parametrize(
    "rows, line, field, words",
    [
        (
            ['{"id": "a", "text": "x", "theme": "rumors"}', '{"id": "b", "text": '],
            2,
            None,
            "not valid JSON",
        ),
        ([{**GOOD, "theme": "gossip"}], 1, "theme", "unknown theme 'gossip'"),
        ([{**GOOD, "actions": ["arrests"]}], 1, "actions", "unknown action 'arrests'"),
        ([{"id": "a", "theme": "rumors"}], 1, "text", "required field is missing"),
        ([{"text": "x"}], 1, "id", "required field is missing"),
        ([{**GOOD, "text": "   \n "}], 1, "text", "text is empty"),
        ([{**GOOD, "text": "< Br > &nbsp;"}], 1, "text", "text is empty"),
        ([GOOD, {**GOOD}], 2, "id", "duplicate id 'a1' (first seen on line 1)"),
        (
            [{**GOOD, "actions": "platform_action"}, {**GOOD, "id": "b", "actions": 3}],
            2,
            "actions",
            "expected a list",
        ),
    ],
)
def test_bad_rows_name_file_line_and_field(write_jsonl, scheme, rows, line, field, words):
    path = write_jsonl(rows)
    with pytest.raises(InputError) as caught:
        load_corpus(path, scheme)
    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert words in str(error) and str(path) in str(error) and f"line {line}" in str(error)


def test_invalid_utf8_names_the_line(tmp_path, scheme):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl, line 2: not valid UTF-8"):
        load_corpus(path, scheme)


def test_empty_file_and_wrong_csv_columns_are_clear(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(InputError, match=r"empty\.jsonl: contains no reports"):
        load_corpus(empty)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("headline,body\nA,B\n")
    with pytest.raises(
        InputError,
        match=r"wrong.csv, line 1, field 'id': missing column\(s\) "
        r"id, text; found headline, body",
    ):
        load_corpus(wrong)


def test_skip_mode_keeps_good_rows_and_lists_bad_ones(write_jsonl, scheme):
    path = write_jsonl([GOOD, "{oops", {**GOOD, "id": "b", "theme": "gossip"}, {**GOOD, "id": "c"}])
    corpus = load_corpus(path, scheme, on_error="skip")
    assert corpus.ids == ["a1", "c"]
    assert [(p.line, p.field) for p in corpus.problems] == [(2, None), (3, "theme")]


def test_splits_are_reproducible_grouped_by_event_and_stratified(corpus):
    first, second = make_splits(corpus, seed=5), make_splits(corpus, seed=5)
    assert first == second
    assert make_splits(corpus, seed=6) != first
    event_of = {r.id: r.event for r in corpus}
    seen = {}
    for name in ("train", "dev", "test"):
        for report_id in first[name]:
            assert seen.setdefault(event_of[report_id], name) == name, "event straddles splits"
    assert sorted(first["train"] + first["dev"] + first["test"]) == sorted(corpus.ids)
    for theme in set(corpus.themes):
        total = sum(t == theme for t in corpus.themes)
        in_test = sum(corpus.subset(first["test"]).themes.count(theme) for _ in [0])
        assert 0.08 * total <= in_test <= 0.25 * total


def test_load_splits_rejects_unknown_ids(tmp_path, small_corpus):
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": ["nope"], "dev": [], "test": []}))
    with pytest.raises(InputError, match="field 'train': 1 id"):
        load_splits(path, small_corpus)


def test_stats_count_labels_lengths_and_junk(write_jsonl):
    corpus = load_corpus(
        write_jsonl(
            [GOOD, {**GOOD, "id": "b", "theme": "rumors", "text": "A rumor.< Br > Comments (0)"}]
        )
    )
    stats = corpus_stats(corpus)
    assert stats["themes"] == {"fraud_platforms": 1, "rumors": 1}
    assert stats["actions"] == {"platform_action": 2}
    assert stats["with_junk"] == 1 and stats["words"]["max"] == 5


def test_cleaning_summary_counts_removed_characters_and_lists_heavy_losses(write_jsonl):
    junk = "Copyright © 2024 Example Daily. All Rights Reserved. Share to: WeChat Weibo QQ"
    corpus = load_corpus(
        write_jsonl([GOOD, {**GOOD, "id": "b", "title": "", "text": "Sites shut. " + junk}])
    )
    summary = cleaning_summary(corpus)
    assert summary["characters_removed"] == len("".join(junk.split()))
    assert summary["characters"] == sum(len("".join((r.title + r.text).split())) for r in corpus)
    assert [r["id"] for r in summary["reports_over_half"]] == ["b"]
    assert summary["reports_over_half"][0]["origin"].endswith(":2")
    assert cleaning_summary(corpus, limit=0.95)["reports_over_half"] == []
