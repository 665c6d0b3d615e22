"""The command line end to end on a small config."""

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import SEEDS, write_config

from textcls.cli import main


@pytest.fixture(scope="module")
def trained(tmp_path_factory, small_corpus):
    folder = tmp_path_factory.mktemp("cli")
    config = write_config(folder, small_corpus, name="cli")
    assert main(["train", str(config), "--quiet"]) == 0
    run_dir = next((folder / "experiments" / "cli").iterdir())
    return config, run_dir, folder / "data.jsonl"


def test_train_prints_a_summary_and_where_outputs_went(trained, capsys):
    config, run_dir, _ = trained
    assert main(["train", str(config), "-q"]) == 0
    out = capsys.readouterr().out
    assert "test" in out and "theme accuracy" in out and "actions micro-F1" in out
    assert "cleaning: removed " in out and "no report lost more than half" in out
    assert f"outputs: {run_dir.parent}" in out


def test_predict_formats(trained, capsys, tmp_path, monkeypatch):
    _, run_dir, _ = trained
    reports = tmp_path / "new.jsonl"
    reports.write_text(
        json.dumps(
            {"id": "n1", "text": "Police busted a phone-card gang that served telecom fraud rings."}
        )
        + "\n"
        + json.dumps(
            {
                "id": "n2",
                "text": "Regulators warned the public about "
                "bitcoin trading and closed crypto exchanges.",
            }
        )
        + "\n"
    )
    assert main(["predict", str(run_dir), str(reports)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["n1", "n2"]
    assert {"theme", "theme_scores", "actions", "action_scores"} <= set(rows[0])
    assert main(["predict", str(run_dir), str(reports), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table[0]["id"] == "n1" and table[0]["theme"] == rows[0]["theme"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("A rumor about a dam breach was false.\n"))
    assert main(["predict", str(run_dir), "-", "-f", "table"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["id", "theme", "score"] and out[1].startswith("1 ")


def test_eval_on_a_labeled_file_and_compare_runs(trained, capsys):
    _, run_dir, data = trained
    assert main(["eval", str(run_dir), "--data", str(data), "--no-show"]) == 0
    assert "theme_macro_f1=" in capsys.readouterr().out
    assert main(["eval", str(run_dir / "model.pkl"), "--data", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] > 50
    runs = sorted(p for p in run_dir.parent.iterdir())
    assert main(["compare", *map(str, runs), "--markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| run | theme_acc") and len(lines) == 2 + len(runs)


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")
def test_eval_reads_a_txt_folder_with_labels_beside_it(trained, capsys):
    _, run_dir, _ = trained
    assert main(["eval", str(run_dir), "--data", str(SEEDS)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if line[:3] in ("ok ", "XX ")]) == 5
    assert out[-1].startswith("theme_accuracy=")


def test_topics_on_an_unlabeled_folder(trained, tmp_path, small_corpus, capsys):
    config, _, _ = trained
    folder = tmp_path / "unlabeled"
    folder.mkdir()
    for report in small_corpus:
        (folder / f"{report.id}.txt").write_text(report.text)
    assert main(["topics", str(config), "--data", str(folder), "-q"]) == 0
    out = capsys.readouterr().out
    run_dir = next(
        p for p in (config.parent / "experiments" / "cli").iterdir() if p.name.startswith("topics-")
    )
    assert f"outputs: {run_dir}" in out
    assert {
        "topics.csv",
        "assignments.csv",
        "metrics.json",
        "topics_map.png",
        "topics_words.png",
        "topics_by_theme.png",
        "theme_sizes.png",
    } <= {p.name for p in run_dir.iterdir()}
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["topics"]["mapping"] == "label descriptions"
    assignments = list(csv.DictReader((run_dir / "assignments.csv").open()))
    assert len(assignments) == len(small_corpus) and all(a["theme"] for a in assignments)


def test_corpus_commands(capsys, tmp_path):
    assert main(["corpus", "stats"]) == 0
    out = capsys.readouterr().out
    assert "themes:" in out and "reports with scraped junk" in out
    out_path = tmp_path / "splits.json"
    assert main(["corpus", "split", "--out", str(out_path)]) == 0
    assert set(json.loads(out_path.read_text())) == {"seed", "train", "dev", "test"}


def test_console_script_help_and_usage_exit_codes():
    script = [sys.executable, "-m", "textcls"]
    done = subprocess.run([*script, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "predict" in done.stdout
    done = subprocess.run([*script, "predict"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Missing argument" in done.stderr


def test_predict_skips_bad_rows_and_accounts_for_every_row(trained, capsys, tmp_path):
    _, run_dir, _ = trained
    reports = tmp_path / "batch.jsonl"
    reports.write_text(
        "\n".join(
            [
                json.dumps({"id": "n1", "text": "Police busted a phone-card gang."}),
                "{not json",
                json.dumps(
                    {"id": "n2", "text": "Source: Xinhua. Police closed 12 gambling sites."}
                ),
                json.dumps({"id": "n3", "text": "< br >"}),
            ]
        )
        + "\n"
    )
    rejects = tmp_path / "rejects.jsonl"
    assert main(["predict", str(run_dir), str(reports), "--rejects", str(rejects)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["n1", "n2"]
    err = captured.err.splitlines()
    assert err[0] == (
        f"warning: skipped {reports}, line 2: not valid JSON (Expecting property "
        "name enclosed in double quotes at column 2)"
    )
    assert err[1] == f"warning: skipped {reports}, line 4, field 'text': text is empty"
    assert err[-1] == "read 4 = written 2 + rejected 2"
    assert [json.loads(line)["line"] for line in rejects.read_text().splitlines()] == [2, 4]

    assert main(["predict", str(run_dir), str(reports), "--on-error", "fail"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().endswith(
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    )
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text("{not json\n")
    assert main(["predict", str(run_dir), str(only_bad)]) == 2
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "read 1 = written 0 + rejected 1",
        "error: no report could be labeled",
    ]


def test_predict_writes_evidence_and_figures_located_in_the_report(trained, capsys, tmp_path):
    _, run_dir, _ = trained
    text = (
        "Copyright 2025 Wire.< Br > Police arrested 69 people and closed 12 websites. "
        "The office also warned the public about fake investment apps."
    )
    reports = tmp_path / "new.jsonl"
    reports.write_text(json.dumps({"id": "n1", "title": "Raid on scam den", "text": text}) + "\n")
    assert main(["predict", str(run_dir), str(reports)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["actions"] and set(row["evidence"]) == set(row["actions"])
    for item in row["evidence"].values():
        field = text if item["field"] == "text" else "Raid on scam den"
        assert field[item["start"] : item["end"]] == item["sentence"]
    assert [(f["value"], f["unit"]) for f in row["figures"]] == [(69, "people"), (12, "websites")]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in row["figures"])
    assert main(["predict", str(run_dir), str(reports), "-f", "table"]) == 0
    out = capsys.readouterr().out
    assert "figures: 69 people, 12 websites" in out and '"' in out


def test_figures_command(tmp_path, capsys):
    reports = tmp_path / "r.jsonl"
    reports.write_text(
        json.dumps(
            {
                "id": "a",
                "text": "Regulators fined the platform 1.2 million yuan and deleted 3,000 posts.",
            }
        )
        + "\n"
        + json.dumps({"id": "b", "text": "Nothing was counted here."})
        + "\n"
    )
    assert main(["figures", str(reports), "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [(r["id"], r["value"], r["unit"], r["action"]) for r in rows] == [
        ("a", 1_200_000, "yuan", "platform_action"),
        ("a", 3000, "posts", "content_removal"),
    ]
    assert "read 2 = written 2 + rejected 0" in captured.err
    assert main(["figures", str(reports)]) == 0
    assert "1,200,000" in capsys.readouterr().out


def test_eval_show_gives_the_sentence_behind_each_wrong_or_missed_action(trained, capsys):
    _, run_dir, data = trained
    assert main(["eval", str(run_dir), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "missed " in out or "wrong " in out  # 90 training reports leave some errors
