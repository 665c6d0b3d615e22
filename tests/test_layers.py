"""The module map of CONTRIBUTING.md: no import cycles inside textcls, and the orchestrators
(experiment, cli, and label_audit above experiment) on top, imported by no module below them."""

import ast

from conftest import REPO

PACKAGE = REPO / "textcls"
ORCHESTRATORS = {"experiment", "cli"}
# Who may import an orchestrator: the command line runs experiments; `python -m textcls`;
# the label audit trains the config's classifier fold by fold, as an experiment does.
ALLOWED = {"cli": {"experiment"}, "__main__": {"cli"}, "label_audit": {"experiment"}}


def imports_of(module: str) -> set[str]:
    """The textcls modules that ``module`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= (
                {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textcls."):
            found.add(node.module.split(".")[1])
    return found & {p.stem for p in PACKAGE.glob("*.py")}


GRAPH = {p.stem: imports_of(p.stem) for p in PACKAGE.glob("*.py")}


def test_only_the_command_line_imports_the_orchestrators():
    for module, imported in GRAPH.items():
        assert not (imported & ORCHESTRATORS) - ALLOWED.get(module, set()), module


def test_no_import_cycles():
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module not in done:
            for imported in GRAPH[module]:
                visit(imported, [*path, module])
            done.add(module)

    for module in GRAPH:
        visit(module, [])
