"""Shipped files are found in a clone, and `textcls init` lays out a working folder."""

from conftest import CORPUS, LABELS, REPO

from textcls.bundled import bundled_file
from textcls.cli import main
from textcls.config import load_config
from textcls.labels import DEFAULT_LABELS


def test_a_clone_finds_its_own_files():
    assert DEFAULT_LABELS == LABELS
    assert bundled_file("corpus/reports.jsonl") == CORPUS
    assert bundled_file("configs") == REPO / "configs"


def test_init_writes_configs_that_run_inside_the_folder(tmp_path, capsys):
    folder = tmp_path / "work"
    assert main(["init", str(folder)]) == 0
    assert "next: textcls run" in capsys.readouterr().out
    names = {p.name for p in (folder / "configs").iterdir()}
    assert names == {p.name for p in (REPO / "configs").glob("*.yaml")}
    assert (folder / "corpus" / "reports.jsonl").read_bytes() == CORPUS.read_bytes()
    assert (folder / "experiments" / "README.md").is_file()
    for name in sorted(names - {"labels.yaml"}):
        config = load_config(folder / "configs" / name)
        assert config.data.corpus == (folder / "corpus" / "reports.jsonl").resolve()
        assert config.data.labels == (folder / "configs" / "labels.yaml").resolve()
        assert config.output_dir == (folder / "experiments").resolve()


def test_init_keeps_existing_files_unless_forced(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    edited = tmp_path / "configs" / "default.yaml"
    edited.write_text("name: mine\n")
    assert main(["init", str(tmp_path)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert edited.read_text() == "name: mine\n"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert edited.read_bytes() == (REPO / "configs" / "default.yaml").read_bytes()
