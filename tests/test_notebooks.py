"""The notebooks run headless, top to bottom, on the project's environment."""

import nbformat
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_notebooks_are_committed_without_outputs():
    assert [p.name for p in NOTEBOOKS] == [
        "01_corpus.ipynb",
        "02_topics.ipynb",
        "03_train_evaluate.ipynb",
        "04_downstream.ipynb",
        "05_label_quality.ipynb",
        "06_report.ipynb",
    ]
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), path.name


def test_notebooks_run_headless(tmp_path, monkeypatch):
    # Every output goes to a scratch folder through these variables; the notebooks
    # run from their own folder, which must not change.
    before = sorted(p.name for p in (REPO / "notebooks").iterdir())
    monkeypatch.setenv("TEXTCLS_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("TEXTCLS_EXPERIMENTS", str(tmp_path / "experiments"))
    monkeypatch.setenv("TEXTCLS_EXPORT", str(tmp_path / "export.csv"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for path in NOTEBOOKS:  # in order: 04 uses the model that 03 trains
        book = nbformat.read(path, as_version=4)
        client = NotebookClient(
            book,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(REPO / "notebooks")}},
        )
        client.execute()  # raises CellExecutionError naming the failing cell
        errors = [
            o for c in book.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
        ]
        assert not errors, path.name
    assert (tmp_path / "export.csv").read_text().count("\n") == 4
    assert (tmp_path / "experiments" / "notebook-figures" / "map.png").is_file()
    assert (tmp_path / "experiments" / "notebook-report" / "report.html").is_file()
    assert (tmp_path / "experiments" / "to_label.jsonl").read_text().count("\n") == 10
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == before
