"""Prediction input: one bad row is set aside, never the batch."""

import io
import json

import pytest

from textcls.batch import Batch
from textcls.errors import InputError

ROWS = [
    {"id": "a", "text": "Police closed 12 gambling sites."},
    "{not json",
    {"id": "b", "text": "Copyright © 2025 Mekong Daily Wire. Police arrested 69 people."},
    {"id": "c", "text": "< br > &nbsp;"},
    {"id": "d"},
]


def test_bad_rows_are_set_aside_with_file_line_and_reason(write_jsonl):
    path = write_jsonl(ROWS)
    warned = []
    batch = Batch([path], warn=warned.append)
    assert [r.id for r in batch] == ["a", "b"]
    assert [(p.line, p.field) for p in batch.rejected] == [(2, None), (4, "text"), (5, "text")]
    assert [p.reason for p in batch.rejected] == [
        "not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "text is empty",
        "required field is missing",
    ]
    assert warned == batch.rejected and all(str(path) in str(p) for p in warned)
    assert batch.tally(written=2) == "read 5 = written 2 + rejected 3"


def test_rejects_file_holds_each_row_and_its_reason(write_jsonl, tmp_path):
    batch = Batch([write_jsonl(ROWS), tmp_path / "missing.jsonl"])
    list(batch)
    batch.write_rejects(tmp_path / "out" / "rejects.jsonl")
    rows = [
        json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()
    ]
    assert [r["row"] for r in rows[:3]] == ["{not json", ROWS[3], ROWS[4]]
    assert rows[3] == {
        "file": str(tmp_path / "missing.jsonl"),
        "line": None,
        "field": None,
        "reason": "no such file or folder",
        "row": None,
    }
    assert batch.read == 6


def test_fail_mode_raises_at_the_first_bad_row(write_jsonl):
    with pytest.raises(InputError, match=r"line 2: not valid JSON"):
        list(Batch([write_jsonl(ROWS)], on_error="fail"))


def test_stdin_lines_are_checked_like_file_rows():
    stdin = io.StringIO(
        'Police shut 30 sites.\n\n{"id": "j", "text": "Rumor denied."}\n'
        '{"title": "no text"}\n< br >\n{oops\n'
    )
    batch = Batch(["-"], stdin=stdin)
    assert [(r.id, r.text) for r in batch] == [
        ("1", "Police shut 30 sites."),
        ("j", "Rumor denied."),
    ]
    assert [(p.path, p.line, p.field) for p in batch.rejected] == [
        ("<stdin>", 4, "text"),
        ("<stdin>", 5, "text"),
        ("<stdin>", 6, None),
    ]
    assert batch.rejected[0].row == {"id": "4", "title": "no text"}
