"""predict on a real dask LocalCluster (2 worker processes): the same labels as one
process, resumable parts, and no row lost or doubled when a worker dies."""

import json
import os
import signal
import threading
import time

import pytest

pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")

from textcls.cli import main  # noqa: E402
from textcls.synthetic import recombined_reports  # noqa: E402

N = 2000


@pytest.fixture(scope="module")
def job(tmp_path_factory, small_corpus, tfidf_run):
    """A TF-IDF-only model (nothing embeds on the workers), 2,000 recombined reports plus
    a bad line and a row without id, and the labels one process gives them."""
    folder = tmp_path_factory.mktemp("dask")
    (folder / "run").symlink_to(tfidf_run)
    rows = list(recombined_reports(small_corpus, N, seed=5))
    lines = [json.dumps(r) for r in rows[:-1]]
    lines += ["{not json", json.dumps({"text": rows[-1]["text"]})]
    data = folder / "reports.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    single = folder / "single.jsonl"
    assert (
        main(["predict", str(folder / "run"), str(data), "-o", str(single), "--chunk-size", "300"])
        == 0
    )
    labels = [json.loads(line) for line in single.read_text().splitlines()]
    assert len(labels) == N and labels[-1]["id"] == f"{data}:{N + 1}"
    return folder, data, labels


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _parts(folder, suffix):
    return sorted(folder.glob(f"part-*.{suffix}"))


def test_dask_labels_match_one_process_and_reject_bad_rows(job, scheduler, capsys):
    folder, data, labels = job
    out = folder / "jsonl"
    assert (
        main(
            [
                "predict",
                str(folder / "run"),
                str(data),
                "--dask",
                scheduler.scheduler.address,
                "--format",
                "jsonl",
                "-o",
                str(out),
                "--chunk-size",
                "400",
            ]
        )
        == 0
    )
    assert capsys.readouterr().err.splitlines()[-1] == f"read {N + 1} = written {N} + rejected 1"
    parts = _parts(out, "jsonl")
    assert len(parts) == 6  # 2,002 lines in parts of 400
    assert [json.loads(line) for p in parts for line in p.read_text().splitlines()] == labels
    manifest = json.loads((out / "_SUCCESS").read_text())
    assert manifest["written"] == N and sum(c["rows"] for c in manifest["counts"].values()) == N
    [rejects] = (out / "_rejects").iterdir()
    assert json.loads(rejects.read_text())["reason"].startswith("not valid JSON")


def test_a_rerun_recomputes_only_the_missing_part(job, scheduler, capsys):
    folder, data, labels = job
    out = folder / "parquet"
    command = [
        "predict",
        str(folder / "run"),
        str(data),
        "--dask",
        scheduler.scheduler.address,
        "-o",
        str(out),
        "--chunk-size",
        "500",
    ]
    assert main(command) == 0
    parts = _parts(out, "parquet")
    table = pq.read_table(out).to_pylist()  # the folder reads as one dataset
    assert [r["id"] for r in table] == [r["id"] for r in labels]
    assert [(r["theme"], r["actions"], json.loads(r["evidence"])) for r in table] == [
        (r["theme"], r["actions"], r["evidence"]) for r in labels
    ]
    before = {p.name: p.stat().st_mtime_ns for p in parts}
    parts[2].unlink()
    (out / "_parts" / f"{parts[2].stem}.json").unlink()
    assert main(command) == 0
    assert json.loads((out / "_SUCCESS").read_text())["skipped"] == len(parts) - 1
    after = {p.name: p.stat().st_mtime_ns for p in _parts(out, "parquet")}
    assert {n for n in after if after[n] != before[n]} == {parts[2].name}
    assert pq.read_table(out).to_pylist() == table

    # Another job's folder is refused unless --overwrite.
    capsys.readouterr()
    other = [*command[:-1], "700"]  # other partitions: another job
    assert main(other) == 2
    assert "holds the parts of another job" in capsys.readouterr().err
    assert main([*other, "--overwrite"]) == 0 and len(_parts(out, "parquet")) == 3


def test_a_killed_worker_loses_and_doubles_no_row(job, scheduler):
    folder, data, labels = job
    out = folder / "killed"
    pids = list(scheduler.run(os.getpid).values())
    killed = []

    def kill_once_a_part_is_in():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = list((out / "_parts").glob("*.json")) if (out / "_parts").exists() else []
            if done:
                killed.append(len(done))
                os.kill(pids[0], signal.SIGKILL)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_once_a_part_is_in)
    watcher.start()
    assert (
        main(
            [
                "predict",
                str(folder / "run"),
                str(data),
                "--dask",
                scheduler.scheduler.address,
                "--format",
                "jsonl",
                "-o",
                str(out),
                "--chunk-size",
                "100",
            ]
        )
        == 0
    )
    watcher.join()
    assert killed and killed[0] < 21  # killed with parts still to do
    ids = [
        json.loads(line)["id"] for p in _parts(out, "jsonl") for line in p.read_text().splitlines()
    ]
    assert ids == [r["id"] for r in labels]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_bad_dask_inputs_fail_on_one_line(job, tmp_path, capsys):
    folder, data, _ = job
    run = str(folder / "run")
    started = time.monotonic()
    assert (
        main(["predict", run, str(data), "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "a")])
        == 2
    )
    assert time.monotonic() - started < 10
    assert (
        capsys.readouterr()
        .err.strip()
        .startswith("error: --dask tcp://127.0.0.1:9: no scheduler answered within 8 s")
    )
    assert (
        main(
            [
                "predict",
                run,
                str(tmp_path / "nothing-*.jsonl"),
                "--dask",
                "local:1",
                "-o",
                str(tmp_path / "b"),
            ]
        )
        == 2
    )
    assert capsys.readouterr().err.strip() == (
        f"error: {tmp_path / 'nothing-*.jsonl'}: the glob matches no file"
    )
    import pyarrow as pa

    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), tmp_path / "no_text.parquet")
    assert (
        main(
            [
                "predict",
                run,
                str(tmp_path / "no_text.parquet"),
                "--dask",
                "local:1",
                "-o",
                str(tmp_path / "c"),
            ]
        )
        == 2
    )
    assert capsys.readouterr().err.strip() == (
        f"error: {tmp_path / 'no_text.parquet'}, field 'text': no 'text' column; found id, body"
    )


def test_parquet_input_on_a_local_cluster_started_by_the_command(job, tmp_path, capsys):
    folder, data, labels = job
    import pyarrow as pa

    rows = [json.loads(line) for line in data.read_text().splitlines()[:300]]
    rows[7]["id"] = None  # gets FILE:ROW, like FILE:LINE
    source = tmp_path / "pile.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=100)
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("headline,body\nx,y\n")  # a whole file rejected, the job goes on
    out = tmp_path / "out"
    assert (
        main(
            [
                "predict",
                str(folder / "run"),
                str(source),
                str(bad_csv),
                "--dask",
                "local:1",
                "-o",
                str(out),
                "--format",
                "jsonl",
            ]
        )
        == 0
    )
    assert capsys.readouterr().err.splitlines()[-1] == "read 301 = written 300 + rejected 1"
    got = [json.loads(line) for p in _parts(out, "jsonl") for line in p.read_text().splitlines()]
    assert len(_parts(out, "jsonl")) == 4 and got[7]["id"] == f"{source}:8"  # CSV: empty
    [reject] = [json.loads(p.read_text()) for p in (out / "_rejects").iterdir()]
    assert reject["file"] == str(bad_csv) and reject["reason"].startswith("missing column(s)")
    assert got[:7] + got[8:] == labels[:7] + labels[8:300]
