import pytest
from conftest import REPO

from textcls.config import load_config
from textcls.errors import ConfigError


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (REPO / "configs").glob("*.yaml") if p.name != "labels.yaml")
)
def test_shipped_configs_validate(name):
    config = load_config(REPO / "configs" / name)
    assert config.data.corpus.exists() and config.name == name.removesuffix(".yaml")


@pytest.mark.parametrize(
    "text, message",
    [
        ("theme_head: {modle: logreg}", r"theme_head.modle: unknown key; expected one of model, C"),
        ("seed: many", r"seed: input should be a valid integer.*\(got 'many'\)"),
        (
            "topics: {hdbscan: {min_cluster_size: 1}}",
            r"topics.hdbscan.min_cluster_size: input should be greater than or equal to 2",
        ),
        (
            "action_head: {model: forest}",
            r"action_head.model: input should be 'logreg' or "
            r"'linear_svm'",
        ),
        ("data: {corpus: nowhere.jsonl}", r"data.corpus: file not found: .*nowhere.jsonl"),
        ("data: [unclosed", r"not valid YAML \(line 1, column"),
        ("- just\n- a list", r"expected a mapping of settings"),
    ],
)
def test_config_errors_name_the_key_and_what_is_expected(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "r.jsonl").write_text("{}")
    (tmp_path / "labels.yaml").write_text("")
    path = tmp_path / "sub" / "c.yaml"
    path.write_text("data: {corpus: ../r.jsonl, splits: null, labels: ../labels.yaml}")
    config = load_config(path)
    assert config.data.corpus == tmp_path / "r.jsonl"
    assert config.output_dir == tmp_path / "experiments"
    assert config.digest() == load_config(path).digest()


def test_the_hash_covers_content_not_location(tmp_path):
    import shutil

    copies = []
    for name in ("one", "two"):
        tree = tmp_path / name / "deeper" if name == "two" else tmp_path / name
        shutil.copytree(REPO / "configs", tree / "configs")
        shutil.copytree(REPO / "corpus", tree / "corpus")
        copies.append(tree)
    digests = [load_config(tree / "configs" / "default.yaml").digest() for tree in copies]
    assert digests[0] == digests[1] == load_config(REPO / "configs" / "default.yaml").digest()
    assert (
        load_config(
            copies[0] / "configs" / "default.yaml", {"output_dir": str(tmp_path / "elsewhere")}
        ).digest()
        == digests[0]
    )
    # Other data under the same path, or another setting, is another run.
    splits = copies[1] / "corpus" / "splits.json"
    splits.write_text(splits.read_text().replace('"seed": 13', '"seed": 14'))
    assert load_config(copies[1] / "configs" / "default.yaml").digest() != digests[0]
    assert load_config(copies[0] / "configs" / "default.yaml", {"seed": 1}).digest() != digests[0]
