"""MkDocs hooks: pages whose content comes from the code, so they cannot drift from it.

* ``<!-- cli-reference -->`` becomes the reference of every ``textcls`` command, generated
  by typer's own docs generator (``typer textcls.cli utils docs``) from the app in
  ``textcls/cli.py``.
* ``<!-- label-scheme -->`` becomes a table of the themes and actions in
  ``configs/labels.yaml``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def on_page_markdown(markdown: str, **_: object) -> str:
    if "<!-- cli-reference -->" in markdown:
        markdown = markdown.replace("<!-- cli-reference -->", cli_reference())
    if "<!-- label-scheme -->" in markdown:
        markdown = markdown.replace("<!-- label-scheme -->", label_tables())
    return markdown


def cli_reference() -> str:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-m", "typer", "textcls.cli", "utils", "docs", "--name", "textcls"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    lines = done.stdout.splitlines()[1:]  # the page has its own title
    return "\n".join(_examples_as_console(_demote(lines)))


def _demote(lines: list[str]) -> list[str]:
    # typer starts each command at "##"; under the page title they read better one level down.
    return [f"#{line}" if line.startswith("#") else line for line in lines]


def _examples_as_console(lines: list[str]) -> list[str]:
    """Turn the ``Example: ...`` lines of the commands' help into console blocks."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = re.match(r"(Examples?): (.+)", lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        commands = [match.group(2)]
        i += 1
        while i < len(lines) and lines[i].strip():
            commands.append(lines[i].strip())
            i += 1
        out += [
            f"{match.group(1)}:",
            "",
            "```console",
            *(f"$ {html.unescape(command)}" for command in commands),
            "```",
        ]
    return out


def label_tables() -> str:
    scheme = yaml.safe_load((ROOT / "configs" / "labels.yaml").read_text(encoding="utf-8"))
    parts = []
    for group, title in (("themes", "Theme (exactly one)"), ("actions", "Action (any number)")):
        parts += [f"| {title} | Description and keywords |", "|---|---|"]
        # Bold, not code: table cells break code at underscores, not bold words.
        parts += [
            f"| **{name}** | {spec['description']}<br>"
            f"<small>{', '.join(map(str, spec['keywords']))}</small> |"
            for name, spec in scheme[group].items()
        ]
        parts.append("")
    return "\n".join(parts)
