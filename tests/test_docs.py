"""The docs site builds with --strict (a broken link or cross-reference fails), every module
has its API page and every command its entry in the CLI reference."""

import os
import subprocess
import sys

import typer
from conftest import REPO

from textcls.cli import app


def test_docs_build_strict_with_a_page_per_module_and_every_command(tmp_path):
    site = tmp_path / "site"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(REPO / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    modules = {p.stem for p in (REPO / "textcls").glob("*.py") if not p.stem.startswith("_")}
    pages = {p.parent.name for p in (site / "reference").glob("*/index.html")}
    assert modules <= pages

    cli_page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"textcls {name}" in cli_page
        for sub in getattr(command, "commands", {}):
            assert f"textcls {name} {sub}" in cli_page
    assert "financial_speculation" in (site / "concepts" / "index.html").read_text()
