"""The wheel works on its own: `python -m build` makes the sdist and, from it, the wheel; the
wheel goes into a fresh virtual environment and runs `init`, `train` and `predict` in a folder
outside the clone.

The fresh environment borrows this environment's installed dependencies instead of installing
them again (seconds instead of minutes): a ``.pth`` file puts this interpreter's site-packages
on its path. That is needed on top of ``--system-site-packages`` because that flag shares the
*base* interpreter's packages, and the test usually runs inside a venv already. A ``.pth`` line
adds the folder without running the ``.pth`` files inside it, so an editable install of the
clone stays invisible and the wheel's ``textcls`` is the only one.
"""

import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

VERSION = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)[1]


def run(*command, cwd=None, env=None, timeout=300):
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # Without isolation build uses the installed setuptools, so no download; it builds the
    # sdist first and the wheel from the unpacked sdist, which checks the sdist is complete.
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO)
    (wheel,) = out.glob("textcls-*.whl")
    (sdist,) = out.glob("textcls-*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def venv(tmp_path_factory, dist):
    folder = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", folder)
    python = folder / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "_textcls_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # pip comes from the borrowed site-packages and installs into the fresh environment.
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", dist[0], env=env)
    return folder / "bin", env


def test_the_wheel_carries_the_shipped_files_and_the_sdist_the_sources(dist):
    wheel, sdist = dist
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for shipped in (
        "configs/labels.yaml",
        "configs/default.yaml",
        "configs/tfidf_logreg.yaml",
        "corpus/reports.jsonl",
        "corpus/splits.json",
        "corpus/README.md",
        "experiments/README.md",
        "corpus/gold/sentences.jsonl",
        "corpus/gold/figures.jsonl",
    ):
        assert f"textcls/_data/{shipped}" in names
    assert "textcls/py.typed" in names
    # The default config trains on the gold sentences, so they ship; the seeds never do.
    assert not any("seeds" in name or name.startswith("tests/") for name in names)
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "pyproject.toml",
        "CHANGELOG.md",
        "configs/labels.yaml",
        "corpus/reports.jsonl",
        "textcls/cli.py",
    } <= members


def test_init_train_and_predict_outside_the_clone(venv, tmp_path):
    bin_dir, env = venv
    textcls = bin_dir / "textcls"
    assert run(textcls, "--version", cwd=tmp_path, env=env).strip() == f"textcls {VERSION}"
    where = run(
        bin_dir / "python",
        "-c",
        "import textcls, textcls.labels as l; "
        "print(textcls.__file__); print(len(l.LabelScheme.from_yaml().themes))",
        cwd=tmp_path,
        env=env,
    ).split()
    assert where[0].startswith(str(bin_dir.parent)) and where[1] == "5"
    assert run(textcls, "corpus", "stats", cwd=tmp_path, env=env).startswith("665 reports")

    run(textcls, "init", "work", cwd=tmp_path, env=env)
    out = run(textcls, "train", "work/configs/tfidf_logreg.yaml", "-q", cwd=tmp_path, env=env)
    (run_dir,) = (tmp_path / "work" / "experiments" / "tfidf_logreg").iterdir()
    assert f"outputs: {run_dir}" in out and (run_dir / "model.pkl").is_file()

    (tmp_path / "new.jsonl").write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "Police busted a gang that ran online gambling websites and telecom fraud.",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "n2",
                "text": "Regulators closed accounts that promoted bitcoin "
                "trading and crypto mining.",
            }
        )
        + "\n"
    )
    out = run(textcls, "predict", run_dir, "new.jsonl", cwd=tmp_path, env=env)
    themes = {row["id"]: row["theme"] for row in map(json.loads, out.splitlines())}
    assert themes == {"n1": "fraud_platforms", "n2": "financial_speculation"}
