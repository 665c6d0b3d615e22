"""One API page per module of textcls, generated at build time by mkdocs-gen-files.

A new module gets its page and its entry in the API section of the navigation without any
edit here or in mkdocs.yml; its docstrings are the page.
"""

import ast
from pathlib import Path

import mkdocs_gen_files

PACKAGE = Path(__file__).resolve().parent.parent / "textcls"


def public_names() -> dict[str, str]:
    """``import textcls`` names and the module each comes from, read from ``__init__.py``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.update({alias.asname or alias.name: node.module for alias in node.names})
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_LAZY":
            names.update(ast.literal_eval(node.value))
    exported = ast.literal_eval(
        next(
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
        )
    )
    return {name: names[name] for name in exported}


nav = mkdocs_gen_files.Nav()
with mkdocs_gen_files.open("reference/index.md", "w") as page:
    page.write(
        "::: textcls\n    options:\n      show_root_heading: false\n      members: false\n\n"
        "## Public names\n\n`import textcls` gives these; each links to its module.\n\n"
    )
    page.writelines(
        f"- [`textcls.{name}`][textcls.{module}.{name}]\n"
        for name, module in public_names().items()
    )
nav["textcls"] = "index.md"
for module in sorted(PACKAGE.glob("*.py")):
    if module.stem.startswith("_"):  # __init__ is the index page; __main__ is no API
        continue
    with mkdocs_gen_files.open(f"reference/{module.stem}.md", "w") as page:
        page.write(f"::: textcls.{module.stem}\n")
    nav[module.stem] = f"{module.stem}.md"
with mkdocs_gen_files.open("reference/SUMMARY.md", "w") as summary:
    summary.writelines(nav.build_literate_nav())
