"""predict streams: chunks in input order, flat memory, ids for rows without one,
an output file that appears whole or not at all."""

import csv
import io
import json
import tracemalloc

from textcls.batch import Batch
from textcls.cli import main
from textcls.synthetic import recombined_reports


def _peak_bytes(path, chunk):
    tracemalloc.start()
    for _ in Batch([path]).chunks(chunk):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_reading_in_chunks_keeps_memory_flat(small_corpus, write_jsonl):
    rows = list(recombined_reports(small_corpus, 3000, seed=1))
    small, large = write_jsonl(rows[:300], "small.jsonl"), write_jsonl(rows, "large.jsonl")
    assert [len(c) for c in Batch([small]).chunks(128)] == [128, 128, 44]
    # Ten times the rows: were the file read whole, the peak would grow about tenfold.
    assert _peak_bytes(large, 100) < 2 * _peak_bytes(small, 100)


def test_a_csv_is_read_row_by_row(tmp_path):
    path = tmp_path / "pile.csv"
    path.write_bytes(b"id,text\na,Police shut 3 sites.\n" + b"b,x" * 20000 + b"\xff\n")
    batch = Batch([path])
    first = next(batch.chunks(1))
    assert [r.id for r in first] == ["a"]  # read before the bad bytes further on are met


def test_predict_streams_in_order_with_ids_and_writes_atomically(
    tfidf_run, tmp_path, capsys, write_jsonl, small_corpus
):
    rows = list(recombined_reports(small_corpus, 7, seed=2))
    rows[3].pop("id")
    rows[5]["id"] = rows[4]["id"]  # a repeated id is labeled twice, not rejected
    data = write_jsonl(rows)
    out = tmp_path / "out" / "labels.jsonl"
    assert main(["predict", str(tfidf_run), str(data), "--chunk-size", "3", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [r.get("id", f"{data}:4") for r in rows]
    assert (
        main(
            [
                "predict",
                str(tfidf_run),
                str(data),
                "--chunk-size",
                "7",
                "-o",
                str(tmp_path / "whole.jsonl"),
            ]
        )
        == 0
    )
    assert (tmp_path / "whole.jsonl").read_text() == out.read_text()

    assert main(["predict", str(tfidf_run), str(data), "-f", "csv", "--chunk-size", "2"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in table] == ids  # one header, however many chunks

    bad = write_jsonl([*rows[:5], "{oops"], "bad.jsonl")
    failed = tmp_path / "failed.jsonl"
    assert (
        main(
            [
                "predict",
                str(tfidf_run),
                str(bad),
                "--on-error",
                "fail",
                "--chunk-size",
                "2",
                "-o",
                str(failed),
            ]
        )
        == 2
    )
    assert not failed.exists() and not list(tmp_path.glob(".failed*"))
