"""Griffe extension for the API pages: read textcls's docstrings as the NumPy style that
mkdocstrings knows.

* The doctests are headed "Example"; NumPy style only knows "Examples". Both are read alike,
  so the doctests render as code blocks (without their ``# doctest:`` flags), not as quotes.
* Sphinx roles (``:class:`~textcls.corpus.Report```) become code spans (``Report``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_SINGULAR = re.compile(r"^([ \t]*)Example\n([ \t]*)-------[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|exc|data|obj):`(~?)([^`]+)`")


def _role_as_code(match: re.Match[str]) -> str:
    target = match.group(2)
    return f"`{target.rsplit('.', 1)[-1] if match.group(1) else target}`"


class NumpyDocstrings(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = _SINGULAR.sub(r"\1Examples\n\2--------", obj.docstring.value)
            obj.docstring.value = _ROLE.sub(_role_as_code, text)
